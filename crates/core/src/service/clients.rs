//! App clients: create, describe, list, update, delete.

use crate::app_client::{AppClient, ClientSettings, TimeUnit, Validity};
use crate::error::{AuthError, StoreError};
use crate::pool::UserPool;
use crate::ports::Page;

use super::{
    client_not_found, client_secret_context, decode_page_token, encode_page_token, Keystep,
};

fn invalid(msg: impl Into<String>) -> AuthError {
    AuthError::InvalidParameter(msg.into())
}

/// An app client with its secret in clear, as Create/Describe show it.
#[derive(Clone, PartialEq)]
pub struct ClientView {
    /// The client.
    pub client: AppClient,
    /// `ClientSecret`, when it has one.
    pub secret: Option<String>,
}

impl std::fmt::Debug for ClientView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientView")
            .field("client", &self.client)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

fn check_validity(what: &str, v: Validity, min_secs: i64, max_secs: i64) -> Result<(), AuthError> {
    let s = v.seconds();
    if v.amount <= 0 || s < min_secs || s > max_secs {
        return Err(invalid(format!(
            "Invalid {what}: {} {} is outside the allowed range.",
            v.amount,
            v.unit.as_str()
        )));
    }
    Ok(())
}

/// Checks client settings against Cognito's rules and the pool's schema.
pub fn check_client_settings(pool: &UserPool, s: &ClientSettings) -> Result<(), AuthError> {
    if s.refresh_token_rotation.is_some() && pool.settings.tier == crate::pool::PoolTier::Lite {
        return Err(AuthError::FeatureUnavailableInTier(
            "Refresh token rotation needs the ESSENTIALS or PLUS feature plan.".into(),
        ));
    }
    let legacy = s.explicit_auth_flows.iter().any(|f| f.is_legacy());
    let modern = s.explicit_auth_flows.iter().any(|f| !f.is_legacy());
    if legacy && modern {
        return Err(invalid(
            "The ExplicitAuthFlows values ALLOW_ and legacy values cannot be mixed.",
        ));
    }
    // Access and ID tokens: 5 minutes to 1 day; refresh: 1 hour to 10 years.
    check_validity("AccessTokenValidity", s.access_token_validity, 300, 86_400)?;
    check_validity("IdTokenValidity", s.id_token_validity, 300, 86_400)?;
    check_validity(
        "RefreshTokenValidity",
        s.refresh_token_validity,
        3600,
        315_360_000,
    )?;
    if !(3..=15).contains(&s.auth_session_validity_minutes) {
        return Err(invalid(
            "1 validation error detected: Value at 'authSessionValidity' failed to satisfy constraint: Member must have value between 3 and 15",
        ));
    }
    for a in s.read_attributes.iter().chain(&s.write_attributes) {
        let known = pool.attribute(a).is_some();
        if !known {
            return Err(invalid(format!("Invalid read/write attribute: {a}")));
        }
    }
    if s.write_attributes.iter().any(|a| a == "sub") {
        return Err(invalid("Invalid write attributes specified: sub"));
    }
    Ok(())
}

/// Checks an app-client name: 1–128 characters of `[\w\s+=,.@-]`.
pub fn check_client_name(name: &str) -> Result<(), AuthError> {
    let ok_char = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_+=,.@-".contains(c);
    if name.is_empty() || name.chars().count() > 128 || !name.chars().all(ok_char) {
        return Err(invalid(
            "1 validation error detected: Value at 'clientName' failed to satisfy constraint: Member must have length between 1 and 128 and match [\\w\\s+=,.@-]+",
        ));
    }
    Ok(())
}

/// The validity Cognito applies when a unit is given without an amount.
pub fn default_validity(kind: &str) -> Validity {
    match kind {
        "refresh" => Validity {
            amount: 30,
            unit: TimeUnit::Days,
        },
        _ => Validity {
            amount: 60,
            unit: TimeUnit::Minutes,
        },
    }
}

impl Keystep {
    /// The client's OAuth settings against the pool's resource servers and identity
    /// providers.
    async fn check_oauth(
        &self,
        pool: &UserPool,
        settings: &ClientSettings,
        has_secret: bool,
    ) -> Result<(), AuthError> {
        let custom_scopes = self.pool_custom_scopes(&pool.id).await?;
        // Most clients name only COGNITO: read the pool's providers only when needed.
        let names_a_provider = settings
            .oauth
            .supported_identity_providers
            .iter()
            .any(|p| p != "COGNITO");
        let provider_names = if names_a_provider {
            self.pool_provider_names(&pool.id).await?
        } else {
            Vec::new()
        };
        crate::oauth_client::check(
            &settings.oauth,
            &crate::oauth_client::OAuthContext {
                pool_id: &pool.id,
                has_secret,
                custom_scopes: &custom_scopes,
                provider_names: &provider_names,
            },
        )
    }

    /// `CreateUserPoolClient`.
    pub async fn create_user_pool_client(
        &self,
        pool_id: &str,
        name: &str,
        generate_secret: bool,
        settings: ClientSettings,
    ) -> Result<ClientView, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        check_client_name(name)?;
        check_client_settings(&pool, &settings)?;
        self.check_oauth(&pool, &settings, generate_secret).await?;
        let now = self.clock.now();
        for _ in 0..5 {
            let client_id = crate::ids::new_client_id(&*self.rng);
            let mut client = AppClient {
                pool_id: pool.id.clone(),
                client_id,
                name: name.to_string(),
                secret: None,
                created_at: now,
                modified_at: now,
                settings: settings.clone().into(),
                secret_rotation: Default::default(),
            };
            let secret = generate_secret.then(|| crate::ids::new_client_secret(&*self.rng));
            if let Some(s) = &secret {
                client.secret = Some(
                    self.keys
                        .seal(&client_secret_context(&client), s.as_bytes()),
                );
            }
            match self.store.insert_client(&client).await {
                Ok(()) => {
                    tracing::info!(pool_id = %pool.id, client_id = %client.client_id, "app client created");
                    return Ok(ClientView { client, secret });
                }
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(AuthError::internal("could not allocate a client id"))
    }

    /// `DescribeUserPoolClient`.
    pub async fn describe_user_pool_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<ClientView, AuthError> {
        let (client, _) = self.load_pool_client(pool_id, client_id).await?;
        let secret = self.client_secret(&client)?;
        Ok(ClientView { client, secret })
    }

    /// `ListUserPoolClients`: `max_results` 1–60.
    pub async fn list_user_pool_clients(
        &self,
        pool_id: &str,
        max_results: i64,
        next_token: Option<&str>,
    ) -> Result<(Vec<AppClient>, Option<String>), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        if !(1..=60).contains(&max_results) {
            return Err(invalid(
                "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60",
            ));
        }
        let after = next_token.map(decode_page_token).transpose()?;
        let Page { items, next } = self
            .store
            .list_clients(&pool.id, after.as_deref(), max_results as u32)
            .await?;
        Ok((items, next.map(|k| encode_page_token(&k))))
    }

    /// `UpdateUserPoolClient`: replaces name and settings (the secret never changes).
    pub async fn update_user_pool_client(
        &self,
        pool_id: &str,
        client_id: &str,
        name: Option<&str>,
        settings: ClientSettings,
    ) -> Result<ClientView, AuthError> {
        let (mut client, pool) = self.load_pool_client(pool_id, client_id).await?;
        if let Some(n) = name {
            check_client_name(n)?;
            client.name = n.to_string();
        }
        check_client_settings(&pool, &settings)?;
        self.check_oauth(&pool, &settings, client.secret.is_some())
            .await?;
        client.settings = settings.into();
        client.modified_at = self.clock.now();
        self.store
            .update_client(&client)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => client_not_found(client_id),
                other => other.into(),
            })?;
        let secret = self.client_secret(&client)?;
        Ok(ClientView { client, secret })
    }

    /// `DeleteUserPoolClient`.
    pub async fn delete_user_pool_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<(), AuthError> {
        let (client, pool) = self.load_pool_client(pool_id, client_id).await?;
        if !self
            .store
            .delete_client(&pool.id, &client.client_id)
            .await?
        {
            return Err(client_not_found(client_id));
        }
        Ok(())
    }
}
