//! Mapping between the wire's app-client members and the domain's `ClientSettings`.

use keystep_core::app_client::{
    AppClient, ClientSettings, ExplicitAuthFlow, OAuthSettings, TimeUnit, Validity, ALL_FLOWS,
    DEFAULT_FLOWS,
};
use keystep_core::AuthError;
use keystep_proto as proto;

use super::shape_pool::enum_error;

/// The settings members shared by Create- and UpdateUserPoolClient.
pub struct ClientFields<'a> {
    pub refresh_token_validity: Option<i64>,
    pub access_token_validity: Option<i64>,
    pub id_token_validity: Option<i64>,
    pub token_validity_units: Option<&'a proto::TokenValidityUnits>,
    pub read_attributes: Option<&'a [String]>,
    pub write_attributes: Option<&'a [String]>,
    pub explicit_auth_flows: Option<&'a [String]>,
    pub supported_identity_providers: Option<&'a [String]>,
    pub callback_urls: Option<&'a [String]>,
    pub logout_urls: Option<&'a [String]>,
    pub default_redirect_uri: Option<&'a str>,
    pub allowed_oauth_flows: Option<&'a [String]>,
    pub allowed_oauth_scopes: Option<&'a [String]>,
    pub allowed_oauth_flows_user_pool_client: Option<bool>,
    pub prevent_user_existence_errors: Option<&'a str>,
    pub enable_token_revocation: Option<bool>,
    pub enable_propagate_additional_user_context_data: Option<bool>,
    pub auth_session_validity: Option<i64>,
    pub refresh_token_rotation: Option<&'a proto::RefreshTokenRotation>,
}

impl<'a> ClientFields<'a> {
    /// The settings members of a CreateUserPoolClient request.
    pub fn of_create(r: &'a proto::CreateUserPoolClientRequest) -> Self {
        ClientFields {
            refresh_token_validity: r.refresh_token_validity,
            access_token_validity: r.access_token_validity,
            id_token_validity: r.id_token_validity,
            token_validity_units: r.token_validity_units.as_ref(),
            read_attributes: r.read_attributes.as_deref(),
            write_attributes: r.write_attributes.as_deref(),
            explicit_auth_flows: r.explicit_auth_flows.as_deref(),
            supported_identity_providers: r.supported_identity_providers.as_deref(),
            callback_urls: r.callback_urls.as_deref(),
            logout_urls: r.logout_urls.as_deref(),
            default_redirect_uri: r.default_redirect_uri.as_deref(),
            allowed_oauth_flows: r.allowed_oauth_flows.as_deref(),
            allowed_oauth_scopes: r.allowed_oauth_scopes.as_deref(),
            allowed_oauth_flows_user_pool_client: r.allowed_oauth_flows_user_pool_client,
            prevent_user_existence_errors: r.prevent_user_existence_errors.as_deref(),
            enable_token_revocation: r.enable_token_revocation,
            enable_propagate_additional_user_context_data: r
                .enable_propagate_additional_user_context_data,
            auth_session_validity: r.auth_session_validity,
            refresh_token_rotation: r.refresh_token_rotation.as_ref(),
        }
    }

    /// The settings members of an UpdateUserPoolClient request.
    pub fn of_update(r: &'a proto::UpdateUserPoolClientRequest) -> Self {
        ClientFields {
            refresh_token_validity: r.refresh_token_validity,
            access_token_validity: r.access_token_validity,
            id_token_validity: r.id_token_validity,
            token_validity_units: r.token_validity_units.as_ref(),
            read_attributes: r.read_attributes.as_deref(),
            write_attributes: r.write_attributes.as_deref(),
            explicit_auth_flows: r.explicit_auth_flows.as_deref(),
            supported_identity_providers: r.supported_identity_providers.as_deref(),
            callback_urls: r.callback_urls.as_deref(),
            logout_urls: r.logout_urls.as_deref(),
            default_redirect_uri: r.default_redirect_uri.as_deref(),
            allowed_oauth_flows: r.allowed_oauth_flows.as_deref(),
            allowed_oauth_scopes: r.allowed_oauth_scopes.as_deref(),
            allowed_oauth_flows_user_pool_client: r.allowed_oauth_flows_user_pool_client,
            prevent_user_existence_errors: r.prevent_user_existence_errors.as_deref(),
            enable_token_revocation: r.enable_token_revocation,
            enable_propagate_additional_user_context_data: r
                .enable_propagate_additional_user_context_data,
            auth_session_validity: r.auth_session_validity,
            refresh_token_rotation: r.refresh_token_rotation.as_ref(),
        }
    }

    /// Builds domain settings; absent members take Cognito's defaults.
    pub fn to_settings(&self) -> Result<ClientSettings, AuthError> {
        let mut s = ClientSettings::default();
        if let Some(r) = self.refresh_token_rotation {
            let grace = r.retry_grace_period_seconds.unwrap_or(0);
            if !(0..=60).contains(&grace) {
                return Err(AuthError::InvalidParameter(
                    "1 validation error detected: Value at \
                     'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy \
                     constraint: Member must have value between 0 and 60"
                        .into(),
                ));
            }
            s.refresh_token_rotation = match r.feature.as_str() {
                "ENABLED" => Some(grace as u32),
                "DISABLED" => None,
                other => {
                    return Err(enum_error(
                        "refreshTokenRotation.feature",
                        other,
                        &["ENABLED", "DISABLED"],
                    ))
                }
            };
        }
        if let Some(flows) = self.explicit_auth_flows {
            let names: Vec<&str> = ALL_FLOWS.iter().map(|f| f.as_str()).collect();
            s.explicit_auth_flows = flows
                .iter()
                .map(|f| {
                    ExplicitAuthFlow::parse(f)
                        .ok_or_else(|| enum_error("explicitAuthFlows.member", f, &names))
                })
                .collect::<Result<_, _>>()?;
        } else {
            s.explicit_auth_flows = DEFAULT_FLOWS.to_vec();
        }
        let units = self.token_validity_units;
        let unit = |given: Option<&String>, dflt: TimeUnit, member: &str| {
            given
                .map(|u| {
                    TimeUnit::parse(u).ok_or_else(|| {
                        enum_error(member, u, &["seconds", "minutes", "hours", "days"])
                    })
                })
                .transpose()
                .map(|u| u.unwrap_or(dflt))
        };
        let access_unit = unit(
            units.and_then(|u| u.access_token.as_ref()),
            TimeUnit::Hours,
            "tokenValidityUnits.accessToken",
        )?;
        let id_unit = unit(
            units.and_then(|u| u.id_token.as_ref()),
            TimeUnit::Hours,
            "tokenValidityUnits.idToken",
        )?;
        let refresh_unit = unit(
            units.and_then(|u| u.refresh_token.as_ref()),
            TimeUnit::Days,
            "tokenValidityUnits.refreshToken",
        )?;
        if let Some(a) = self.access_token_validity {
            s.access_token_validity = Validity {
                amount: a,
                unit: access_unit,
            };
            s.explicit_validities = true;
        }
        if let Some(a) = self.id_token_validity {
            s.id_token_validity = Validity {
                amount: a,
                unit: id_unit,
            };
            s.explicit_validities = true;
        }
        // RefreshTokenValidity 0 means the default of 30 days.
        if let Some(a) = self.refresh_token_validity.filter(|a| *a != 0) {
            s.refresh_token_validity = Validity {
                amount: a,
                unit: refresh_unit,
            };
            s.explicit_validities = true;
        }
        if let Some(v) = self.auth_session_validity {
            s.auth_session_validity_minutes = v;
        }
        s.prevent_user_existence_errors = match self.prevent_user_existence_errors {
            None | Some("LEGACY") => false,
            Some("ENABLED") => true,
            Some(other) => {
                return Err(enum_error(
                    "preventUserExistenceErrors",
                    other,
                    &["LEGACY", "ENABLED"],
                ))
            }
        };
        s.read_attributes = self.read_attributes.map(<[_]>::to_vec).unwrap_or_default();
        s.write_attributes = self.write_attributes.map(<[_]>::to_vec).unwrap_or_default();
        s.enable_token_revocation = self.enable_token_revocation.unwrap_or(true);
        s.enable_propagate_additional_user_context_data = self
            .enable_propagate_additional_user_context_data
            .unwrap_or(false);
        s.oauth = OAuthSettings {
            supported_identity_providers: to_vec(self.supported_identity_providers),
            callback_urls: to_vec(self.callback_urls),
            logout_urls: to_vec(self.logout_urls),
            default_redirect_uri: self.default_redirect_uri.map(String::from),
            allowed_oauth_flows: to_vec(self.allowed_oauth_flows),
            allowed_oauth_scopes: to_vec(self.allowed_oauth_scopes),
            allowed_oauth_flows_user_pool_client: self
                .allowed_oauth_flows_user_pool_client
                .unwrap_or(false),
        };
        Ok(s)
    }
}

fn to_vec(v: Option<&[String]>) -> Vec<String> {
    v.map(<[_]>::to_vec).unwrap_or_default()
}

fn non_empty(v: &[String]) -> Option<Vec<String>> {
    (!v.is_empty()).then(|| v.to_vec())
}

/// The wire view of an app client.
pub fn render_client(c: &AppClient, secret: Option<&str>) -> proto::UserPoolClient {
    let s = &c.settings;
    proto::UserPoolClient {
        user_pool_id: Some(c.pool_id.clone()),
        client_name: Some(c.name.clone()),
        client_id: Some(c.client_id.clone()),
        client_secret: secret.map(proto::Sensitive::from),
        creation_date: Some(c.created_at.as_secs_f64()),
        last_modified_date: Some(c.modified_at.as_secs_f64()),
        refresh_token_validity: Some(s.refresh_token_validity.amount),
        access_token_validity: Some(s.access_token_validity.amount),
        id_token_validity: Some(s.id_token_validity.amount),
        token_validity_units: Some(proto::TokenValidityUnits {
            access_token: Some(s.access_token_validity.unit.as_str().into()),
            id_token: Some(s.id_token_validity.unit.as_str().into()),
            refresh_token: Some(s.refresh_token_validity.unit.as_str().into()),
        }),
        read_attributes: non_empty(&s.read_attributes),
        write_attributes: non_empty(&s.write_attributes),
        explicit_auth_flows: Some(
            s.explicit_auth_flows
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
        ),
        supported_identity_providers: non_empty(&s.oauth.supported_identity_providers),
        callback_urls: non_empty(&s.oauth.callback_urls),
        logout_urls: non_empty(&s.oauth.logout_urls),
        default_redirect_uri: s.oauth.default_redirect_uri.clone(),
        allowed_oauth_flows: non_empty(&s.oauth.allowed_oauth_flows),
        allowed_oauth_scopes: non_empty(&s.oauth.allowed_oauth_scopes),
        allowed_oauth_flows_user_pool_client: Some(s.oauth.allowed_oauth_flows_user_pool_client),
        analytics_configuration: None,
        prevent_user_existence_errors: Some(
            if s.prevent_user_existence_errors {
                "ENABLED"
            } else {
                "LEGACY"
            }
            .into(),
        ),
        enable_token_revocation: Some(s.enable_token_revocation),
        enable_propagate_additional_user_context_data: Some(
            s.enable_propagate_additional_user_context_data,
        ),
        auth_session_validity: Some(s.auth_session_validity_minutes),
        refresh_token_rotation: Some(proto::RefreshTokenRotation {
            feature: if s.refresh_token_rotation.is_some() {
                "ENABLED"
            } else {
                "DISABLED"
            }
            .into(),
            retry_grace_period_seconds: Some(i64::from(s.refresh_token_rotation.unwrap_or(0))),
        }),
    }
}
