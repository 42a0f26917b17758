//! `POST /oauth2/token`: `authorization_code` (with PKCE), `refresh_token`, and
//! `client_credentials` for machine clients with resource-server scopes.

use std::collections::BTreeMap;

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::oauth::authorize::allows_flow;
use crate::oauth::{grant_scopes, pkce, OAuthError, OAuthGrant};
use crate::pool::UserPool;
use crate::signin::{AuthFlow, Authenticated};

use super::super::Keystep;
use super::{CodeGrant, CODE_SCOPE};

/// A token request, as the endpoint parsed it.
#[derive(Clone, Default)]
pub struct TokenRequest {
    /// `grant_type`.
    pub grant_type: String,
    /// The client, from HTTP Basic or the form.
    pub client_id: String,
    /// Its secret, from HTTP Basic or the form.
    pub client_secret: Option<String>,
    /// `scope`, space-separated (`client_credentials`).
    pub scope: Option<String>,
    /// `code` (`authorization_code`).
    pub code: Option<String>,
    /// `redirect_uri` (`authorization_code`): the authorization request's.
    pub redirect_uri: Option<String>,
    /// `code_verifier` (`authorization_code` with PKCE).
    pub code_verifier: Option<String>,
    /// `refresh_token` (`refresh_token`).
    pub refresh_token: Option<String>,
    /// `device_key` (`refresh_token` in pools that remember devices).
    pub device_key: Option<String>,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// The token endpoint's answer.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthTokens {
    /// `access_token`.
    pub access_token: String,
    /// `id_token`: only when `openid` was granted.
    pub id_token: Option<String>,
    /// `refresh_token`: only from `authorization_code`.
    pub refresh_token: Option<String>,
    /// `expires_in`, seconds.
    pub expires_in: i64,
}

impl std::fmt::Debug for OAuthTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthTokens")
            .field("expires_in", &self.expires_in)
            .field("with_id_token", &self.id_token.is_some())
            .field("with_refresh_token", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, OAuthError> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| OAuthError::InvalidRequest(format!("{name} is required.")))
}

fn invalid_grant(why: &str) -> OAuthError {
    OAuthError::InvalidGrant(why.to_string())
}

impl Keystep {
    /// The token endpoint.
    pub async fn oauth_token(&self, req: TokenRequest) -> Result<OAuthTokens, OAuthError> {
        match req.grant_type.as_str() {
            "client_credentials" => self.client_credentials(req).await,
            "authorization_code" => self.authorization_code(req).await,
            "refresh_token" => self.refresh_token_grant(req).await,
            "" => Err(OAuthError::InvalidRequest("grant_type is required.".into())),
            _ => Err(OAuthError::UnsupportedGrantType(
                "grant_type must be authorization_code, refresh_token or client_credentials."
                    .into(),
            )),
        }
    }

    /// The client of a token request, authenticated: a client with a secret must prove
    /// it (HTTP Basic or the form); a public client sends only its id.
    async fn token_client(&self, req: &TokenRequest) -> Result<(AppClient, UserPool), OAuthError> {
        let (client, pool) = match self.load_client(&req.client_id).await {
            Ok(found) => found,
            Err(AuthError::ResourceNotFound(_)) => return Err(OAuthError::InvalidClient),
            Err(e) => return Err(e.into()),
        };
        match (&client.secret, req.client_secret.as_deref()) {
            (Some(_), Some(secret)) => self
                .check_client_secret(&client, Some(secret))
                .map_err(|_| OAuthError::InvalidClient)?,
            (Some(_), None) | (None, Some(_)) => return Err(OAuthError::InvalidClient),
            (None, None) => {}
        }
        Ok((client, pool))
    }

    async fn authorization_code(&self, req: TokenRequest) -> Result<OAuthTokens, OAuthError> {
        let code = required(&req.code, "code")?;
        let redirect_uri = required(&req.redirect_uri, "redirect_uri")?;
        let (client, pool) = self.token_client(&req).await?;
        if !allows_flow(&client, "code") {
            return Err(OAuthError::UnauthorizedClient(
                "The client may not use the authorization code grant.".into(),
            ));
        }
        // Taking the code spends it, whatever follows: a code presented with the wrong
        // verifier or by the wrong client is not left for a second guess.
        let row = self
            .store
            .take_oauth_code(&self.keys.code_hash(CODE_SCOPE, code))
            .await?
            .ok_or_else(|| invalid_grant("The code is unknown or was used."))?;
        if row.client_id != client.client_id || row.pool_id != pool.id {
            return Err(invalid_grant("The code was issued to another client."));
        }
        if self.clock.now() >= row.expires_at {
            return Err(invalid_grant("The code has expired."));
        }
        let grant: CodeGrant = serde_json::from_str(&row.grant)
            .map_err(|e| OAuthError::from(AuthError::internal(e)))?;
        if grant.redirect_uri != redirect_uri {
            return Err(invalid_grant(
                "redirect_uri does not match the authorization request.",
            ));
        }
        if let Some(challenge) = &grant.code_challenge {
            let verifier = req.code_verifier.as_deref().unwrap_or_default();
            if !pkce::verifies(verifier, challenge) {
                return Err(invalid_grant(
                    "The code_verifier does not match the code_challenge.",
                ));
            }
        }
        let user = self
            .store
            .get_user_by_sub(&pool.id, &row.sub)
            .await?
            .ok_or_else(|| invalid_grant("The user no longer exists."))?;
        let signed_out = user
            .tokens_valid_after
            .is_some_and(|after| after > grant.auth_time);
        if !user.enabled || signed_out {
            return Err(invalid_grant("The user may no longer sign in."));
        }
        let oauth = OAuthGrant {
            scopes: grant.scopes,
            nonce: grant.nonce,
            implicit: false,
        };
        let proof = Authenticated::hosted(
            &pool.id,
            &client.client_id,
            &user.sub,
            &user.username,
            grant.auth_time,
            oauth.clone(),
        );
        let tokens = self
            .mint(&pool, &client, &user, &proof, &BTreeMap::new())
            .await?;
        Ok(OAuthTokens {
            access_token: tokens.access_token,
            id_token: oauth.has("openid").then_some(tokens.id_token),
            refresh_token: tokens.refresh_token,
            expires_in: tokens.expires_in,
        })
    }

    async fn refresh_token_grant(&self, req: TokenRequest) -> Result<OAuthTokens, OAuthError> {
        let token = required(&req.refresh_token, "refresh_token")?;
        let (client, pool) = self.token_client(&req).await?;
        AuthFlow::RefreshTokenAuth
            .check_allowed(&client, false)
            .map_err(|e| OAuthError::UnauthorizedClient(e.to_string()))?;
        let tokens = self
            .refresh(
                &pool,
                &client,
                token,
                req.device_key.as_deref(),
                &BTreeMap::new(),
                |_| Ok(()),
            )
            .await
            .map_err(|e| match e {
                AuthError::NotAuthorized(why)
                | AuthError::ResourceNotFound(why)
                | AuthError::RefreshTokenReuse(why) => OAuthError::InvalidGrant(why),
                other => other.into(),
            })?;
        // The scopes are the original grant's: an ID token only with `openid`, or for a
        // refresh token from the API (which always had one).
        let with_id = tokens
            .oauth_scope
            .as_deref()
            .is_none_or(|s| s.split(' ').any(|x| x == "openid"));
        Ok(OAuthTokens {
            access_token: tokens.access_token,
            id_token: with_id.then_some(tokens.id_token),
            // Present only when the client rotates refresh tokens.
            refresh_token: tokens.refresh_token,
            expires_in: tokens.expires_in,
        })
    }

    async fn client_credentials(&self, req: TokenRequest) -> Result<OAuthTokens, OAuthError> {
        let (client, pool) = self.token_client(&req).await?;
        if client.secret.is_none() {
            return Err(OAuthError::UnauthorizedClient(
                "client_credentials needs an app client with a secret.".into(),
            ));
        }
        if !allows_flow(&client, "client_credentials") {
            return Err(OAuthError::UnauthorizedClient(
                "The client may not use the client_credentials grant.".into(),
            ));
        }
        let oauth = &client.settings.oauth;
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
            .map_err(|e| OAuthError::from(AuthError::internal(e)))?;
        Ok(OAuthTokens {
            access_token,
            id_token: None,
            refresh_token: None,
            expires_in,
        })
    }
}
