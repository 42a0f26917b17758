//! `POST /oauth2/token`, the `client_credentials` grant: a confidential app client trades
//! its secret for an access token carrying the resource-server scopes it is granted. The
//! other grants (`authorization_code`, `refresh_token`) come with the hosted sign-in.

use crate::oauth::{grant_scopes, OAuthError};

use super::Keystep;

/// A token request, as the endpoint parsed it.
#[derive(Clone, Default)]
pub struct TokenRequest {
    /// `grant_type`.
    pub grant_type: String,
    /// The client, from HTTP Basic or the form.
    pub client_id: String,
    /// Its secret, from HTTP Basic or the form.
    pub client_secret: Option<String>,
    /// `scope`, space-separated.
    pub scope: Option<String>,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// A `client_credentials` token.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientToken {
    /// `access_token`.
    pub access_token: String,
    /// `expires_in`, seconds.
    pub expires_in: i64,
}

impl std::fmt::Debug for ClientToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientToken")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

impl Keystep {
    /// The token endpoint.
    pub async fn oauth_token(&self, req: TokenRequest) -> Result<ClientToken, OAuthError> {
        match req.grant_type.as_str() {
            "client_credentials" => self.client_credentials(req).await,
            "authorization_code" | "refresh_token" => Err(OAuthError::UnsupportedGrantType(format!(
                "The {} grant is not supported by this server yet (it comes with the hosted sign-in pages).",
                req.grant_type
            ))),
            "" => Err(OAuthError::InvalidRequest("grant_type is required.".into())),
            _ => Err(OAuthError::UnsupportedGrantType(
                "grant_type must be client_credentials, authorization_code or refresh_token."
                    .into(),
            )),
        }
    }

    async fn client_credentials(&self, req: TokenRequest) -> Result<ClientToken, OAuthError> {
        let (client, pool) = self
            .load_client(&req.client_id)
            .await
            .map_err(|_| OAuthError::InvalidClient)?;
        if client.secret.is_none() {
            return Err(OAuthError::UnauthorizedClient(
                "client_credentials needs an app client with a secret.".into(),
            ));
        }
        let Some(secret) = req.client_secret.as_deref() else {
            return Err(OAuthError::InvalidClient);
        };
        self.check_client_secret(&client, Some(secret))
            .map_err(|_| OAuthError::InvalidClient)?;
        let oauth = &client.settings.oauth;
        let allowed = oauth.allowed_oauth_flows_user_pool_client
            && oauth
                .allowed_oauth_flows
                .iter()
                .any(|f| f == "client_credentials");
        if !allowed {
            return Err(OAuthError::UnauthorizedClient(
                "The client may not use the client_credentials grant.".into(),
            ));
        }
        let defined = self.pool_custom_scopes(&pool.id).await?;
        let scopes = grant_scopes(req.scope.as_deref(), &oauth.allowed_oauth_scopes, &defined)
            .ok_or_else(|| {
                OAuthError::InvalidScope("A requested scope is not allowed for this client.".into())
            })?;
        if scopes.is_empty() {
            return Err(OAuthError::InvalidScope(
                "The client is allowed no scope a resource server defines.".into(),
            ));
        }
        let now = self.clock.now();
        let expires_in = client.settings.access_token_validity.seconds();
        let claims = serde_json::json!({
            "sub": client.client_id,
            "token_use": "access",
            "scope": scopes.join(" "),
            "auth_time": now.as_secs(),
            "iss": crate::tokens::issuer(&self.config.public_url, &pool.id),
            "exp": now.as_secs() + expires_in,
            "iat": now.as_secs(),
            "version": 2,
            "jti": crate::ids::new_uuid(&*self.rng),
            "client_id": client.client_id,
        });
        let keys = self.pool_keys(&pool).await?;
        let access_token = keys
            .signing()
            .access
            .sign_jwt(&claims)
            .map_err(|e| OAuthError::from(crate::AuthError::internal(e)))?;
        Ok(ClientToken {
            access_token,
            expires_in,
        })
    }
}
