//! App clients: who may call the public operations, and how.

use serde::{Deserialize, Serialize};

use crate::keys::Sealed;
use crate::Millis;

/// An auth flow an app client may allow (`ExplicitAuthFlows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ExplicitAuthFlow {
    /// `ALLOW_USER_SRP_AUTH`
    AllowUserSrpAuth,
    /// `ALLOW_USER_PASSWORD_AUTH`
    AllowUserPasswordAuth,
    /// `ALLOW_ADMIN_USER_PASSWORD_AUTH`
    AllowAdminUserPasswordAuth,
    /// `ALLOW_CUSTOM_AUTH`
    AllowCustomAuth,
    /// `ALLOW_REFRESH_TOKEN_AUTH`
    AllowRefreshTokenAuth,
    /// `ALLOW_USER_AUTH`
    AllowUserAuth,
    /// Legacy `ADMIN_NO_SRP_AUTH`.
    AdminNoSrpAuth,
    /// Legacy `CUSTOM_AUTH_FLOW_ONLY`.
    CustomAuthFlowOnly,
    /// Legacy `USER_PASSWORD_AUTH`.
    UserPasswordAuth,
}

impl ExplicitAuthFlow {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExplicitAuthFlow::AllowUserSrpAuth => "ALLOW_USER_SRP_AUTH",
            ExplicitAuthFlow::AllowUserPasswordAuth => "ALLOW_USER_PASSWORD_AUTH",
            ExplicitAuthFlow::AllowAdminUserPasswordAuth => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            ExplicitAuthFlow::AllowCustomAuth => "ALLOW_CUSTOM_AUTH",
            ExplicitAuthFlow::AllowRefreshTokenAuth => "ALLOW_REFRESH_TOKEN_AUTH",
            ExplicitAuthFlow::AllowUserAuth => "ALLOW_USER_AUTH",
            ExplicitAuthFlow::AdminNoSrpAuth => "ADMIN_NO_SRP_AUTH",
            ExplicitAuthFlow::CustomAuthFlowOnly => "CUSTOM_AUTH_FLOW_ONLY",
            ExplicitAuthFlow::UserPasswordAuth => "USER_PASSWORD_AUTH",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<ExplicitAuthFlow> {
        ALL_FLOWS.iter().copied().find(|f| f.as_str() == s)
    }

    /// Whether this is one of the pre-`ALLOW_` names (which cannot be mixed with the new ones).
    pub fn is_legacy(self) -> bool {
        !self.as_str().starts_with("ALLOW_")
    }
}

/// Every flow name, in wire order.
pub const ALL_FLOWS: [ExplicitAuthFlow; 9] = [
    ExplicitAuthFlow::AllowUserSrpAuth,
    ExplicitAuthFlow::AllowUserPasswordAuth,
    ExplicitAuthFlow::AllowAdminUserPasswordAuth,
    ExplicitAuthFlow::AllowCustomAuth,
    ExplicitAuthFlow::AllowRefreshTokenAuth,
    ExplicitAuthFlow::AllowUserAuth,
    ExplicitAuthFlow::AdminNoSrpAuth,
    ExplicitAuthFlow::CustomAuthFlowOnly,
    ExplicitAuthFlow::UserPasswordAuth,
];

/// The flows a client gets when `ExplicitAuthFlows` is not given.
pub const DEFAULT_FLOWS: [ExplicitAuthFlow; 3] = [
    ExplicitAuthFlow::AllowRefreshTokenAuth,
    ExplicitAuthFlow::AllowUserSrpAuth,
    ExplicitAuthFlow::AllowCustomAuth,
];

/// A unit of token validity (`TokenValidityUnits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// `seconds`
    Seconds,
    /// `minutes`
    Minutes,
    /// `hours`
    Hours,
    /// `days`
    Days,
}

impl TimeUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> i64 {
        match self {
            TimeUnit::Seconds => 1,
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3600,
            TimeUnit::Days => 86400,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<TimeUnit> {
        match s {
            "seconds" => Some(TimeUnit::Seconds),
            "minutes" => Some(TimeUnit::Minutes),
            "hours" => Some(TimeUnit::Hours),
            "days" => Some(TimeUnit::Days),
            _ => None,
        }
    }
}

/// A validity: an amount in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    /// How many units.
    pub amount: i64,
    /// Which unit.
    pub unit: TimeUnit,
}

impl Validity {
    /// The validity in seconds.
    pub fn seconds(self) -> i64 {
        self.amount.saturating_mul(self.unit.seconds())
    }
}

/// An app client of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppClient {
    /// The pool it belongs to.
    pub pool_id: String,
    /// 26 lowercase alphanumerics.
    pub client_id: String,
    /// `ClientName`.
    pub name: String,
    /// The client secret, sealed with the master key (`GenerateSecret`).
    pub secret: Option<Sealed>,
    /// When it was created.
    pub created_at: Millis,
    /// When it was last changed.
    pub modified_at: Millis,
    /// Everything configurable about the client (shared: the store hands out the same
    /// parsed settings while the stored text is unchanged).
    pub settings: std::sync::Arc<ClientSettings>,
    /// The ids and dates of its secrets, and the second secret of a rotation.
    #[serde(default)]
    pub secret_rotation: SecretRotation,
}

/// A client's secrets besides the primary `secret` (`AddUserPoolClientSecret`: at most two
/// are valid at once), and the primary's id and date once it has been listed or rotated.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecretRotation {
    /// The primary secret's id (`None`: derived from the client id until it is rotated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_id: Option<String>,
    /// When the primary secret was made (`None`: with the client).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_created_at: Option<Millis>,
    /// The other valid secret, sealed as the primary is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<AddedSecret>,
}

/// A further client secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddedSecret {
    /// `ClientSecretId`.
    pub id: String,
    /// The secret, sealed.
    pub sealed: Sealed,
    /// `ClientSecretCreateDate`.
    pub created_at: Millis,
}

/// The configurable part of an app client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientSettings {
    /// `ExplicitAuthFlows`.
    pub explicit_auth_flows: Vec<ExplicitAuthFlow>,
    /// `AccessTokenValidity` with its unit.
    pub access_token_validity: Validity,
    /// `IdTokenValidity` with its unit.
    pub id_token_validity: Validity,
    /// `RefreshTokenValidity` with its unit.
    pub refresh_token_validity: Validity,
    /// Whether the caller gave token validities explicitly (Describe echoes only those).
    pub explicit_validities: bool,
    /// `AuthSessionValidity` in minutes (3..=15).
    pub auth_session_validity_minutes: i64,
    /// `PreventUserExistenceErrors` ENABLED.
    pub prevent_user_existence_errors: bool,
    /// `ReadAttributes`; empty means all.
    pub read_attributes: Vec<String>,
    /// `WriteAttributes`; empty means all writable ones.
    pub write_attributes: Vec<String>,
    /// `EnableTokenRevocation`.
    pub enable_token_revocation: bool,
    /// `EnablePropagateAdditionalUserContextData`.
    pub enable_propagate_additional_user_context_data: bool,
    /// OAuth and hosted-UI settings.
    pub oauth: OAuthSettings,
    /// `RefreshTokenRotation`: with `Some(grace)`, `GetTokensFromRefreshToken` replaces
    /// the refresh token, and the one it replaced works `grace` more seconds (0–60).
    #[serde(default)]
    pub refresh_token_rotation: Option<u32>,
    /// `SSOSession.MaxValidityMinutes` (`SetUserPoolClientSessionConfiguration`); `None`:
    /// never set (60).
    #[serde(default)]
    pub sso_session_minutes: Option<u32>,
}

/// OAuth members of an app client, stored and echoed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OAuthSettings {
    /// `SupportedIdentityProviders`.
    pub supported_identity_providers: Vec<String>,
    /// `CallbackURLs`.
    pub callback_urls: Vec<String>,
    /// `LogoutURLs`.
    pub logout_urls: Vec<String>,
    /// `DefaultRedirectURI`.
    pub default_redirect_uri: Option<String>,
    /// `AllowedOAuthFlows`.
    pub allowed_oauth_flows: Vec<String>,
    /// `AllowedOAuthScopes`.
    pub allowed_oauth_scopes: Vec<String>,
    /// `AllowedOAuthFlowsUserPoolClient`.
    pub allowed_oauth_flows_user_pool_client: bool,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            explicit_auth_flows: DEFAULT_FLOWS.to_vec(),
            access_token_validity: Validity {
                amount: 60,
                unit: TimeUnit::Minutes,
            },
            id_token_validity: Validity {
                amount: 60,
                unit: TimeUnit::Minutes,
            },
            refresh_token_validity: Validity {
                amount: 30,
                unit: TimeUnit::Days,
            },
            explicit_validities: false,
            auth_session_validity_minutes: 3,
            prevent_user_existence_errors: false,
            read_attributes: Vec::new(),
            write_attributes: Vec::new(),
            enable_token_revocation: true,
            enable_propagate_additional_user_context_data: false,
            oauth: OAuthSettings::default(),
            refresh_token_rotation: None,
            sso_session_minutes: None,
        }
    }
}

impl AppClient {
    /// Whether the client allows `flow` (or its legacy twin).
    pub fn allows(&self, flow: ExplicitAuthFlow) -> bool {
        use ExplicitAuthFlow::*;
        let twin = match flow {
            AllowAdminUserPasswordAuth => Some(AdminNoSrpAuth),
            AllowUserPasswordAuth => Some(UserPasswordAuth),
            AllowCustomAuth => Some(CustomAuthFlowOnly),
            _ => None,
        };
        self.settings.explicit_auth_flows.contains(&flow)
            || twin.is_some_and(|t| self.settings.explicit_auth_flows.contains(&t))
    }
}
