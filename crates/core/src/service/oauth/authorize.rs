//! Authorization requests: checked against their client, answered from the pages'
//! session when the browser has one, completed with a code or (implicit grant) tokens;
//! and `/logout`.

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::oauth::authorize::{
    self as rules, Authorization, AuthorizeParams, Prompt, Refusal, ResponseType,
};
use crate::oauth::{OAuthError, OAuthGrant};
use crate::pool::UserPool;
use crate::ports::OAuthCodeRow;
use crate::signin::Authenticated;
use crate::user::User;
use crate::Millis;

use super::super::Keystep;
use super::{CodeGrant, CODE_LIFETIME_SECS, CODE_SCOPE, OPAQUE_BYTES, SESSION_SCOPE};

/// `/logout`'s parameters.
#[derive(Debug, Clone, Default)]
pub struct LogoutRequest {
    /// `client_id`.
    pub client_id: Option<String>,
    /// `logout_uri`: one of the client's `LogoutURLs`, to leave to.
    pub logout_uri: Option<String>,
    /// With `redirect_uri` (and `response_type`, ...): sign in again.
    pub authorize: AuthorizeParams,
}

/// Where the browser goes after `/logout`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoutTarget {
    /// To the app's logout URI.
    Leave(String),
    /// To the sign-in page again, with this authorization.
    SignInAgain(Authorization),
}

fn server_error(e: &AuthError) -> Refusal {
    tracing::error!(error = %e, "authorization request failed");
    Refusal::ErrorPage {
        error: "server_error",
        description: "The server could not answer.".into(),
    }
}

/// Whether `client` may reuse a pages' session that authenticated at `auth_time`: with
/// session tracking on, only within its `SSOSession.MaxValidityMinutes` (0: never).
fn sso_session_reusable(
    pool: &UserPool,
    client: &AppClient,
    auth_time: Millis,
    now: Millis,
) -> bool {
    if !pool.settings.session_tracking.enabled {
        return true;
    }
    let minutes = client
        .settings
        .sso_session_minutes
        .unwrap_or(crate::user_session::DEFAULT_SSO_VALIDITY_MINUTES);
    now.0 < auth_time.0 + i64::from(minutes) * 60_000
}

impl Keystep {
    /// Checks an authorization request against its client and the pool's scopes.
    pub async fn check_authorization(
        &self,
        params: &AuthorizeParams,
    ) -> Result<(Authorization, UserPool, AppClient), Refusal> {
        let client_id = params.client_id.as_deref().unwrap_or_default();
        let (client, pool) = match self.load_client(client_id).await {
            Ok(found) => found,
            Err(AuthError::ResourceNotFound(_)) => return Err(Refusal::redirect_mismatch()),
            Err(e) => return Err(server_error(&e)),
        };
        let defined = self
            .pool_custom_scopes(&pool.id)
            .await
            .map_err(|e| server_error(&e))?;
        let auth = rules::check(params, Some(&client), &defined)?;
        Ok((auth, pool, client))
    }

    /// The user signed in on the pages with the session cookie `cookie`, when it is a
    /// live session of `pool_id` and the user may still sign in (enabled, not signed out
    /// everywhere since).
    pub async fn hosted_session_user(
        &self,
        pool_id: &str,
        cookie: Option<&str>,
    ) -> Result<Option<(User, Millis)>, AuthError> {
        let Some(cookie) = cookie.filter(|c| !c.is_empty() && c.len() <= 128) else {
            return Ok(None);
        };
        let hash = self.keys.code_hash(SESSION_SCOPE, cookie);
        let Some(row) = self.store.get_hosted_session(&hash).await? else {
            return Ok(None);
        };
        if row.pool_id != pool_id || self.clock.now() >= row.expires_at {
            return Ok(None);
        }
        let Some(user) = self.store.get_user_by_sub(pool_id, &row.sub).await? else {
            return Ok(None);
        };
        let signed_out = user
            .tokens_valid_after
            .is_some_and(|after| after >= row.created_at);
        if !user.enabled || signed_out {
            return Ok(None);
        }
        Ok(Some((user, row.auth_time)))
    }

    /// An authorization for a browser that may be signed in on the pages already: the
    /// redirect to the app, or `None` when the pages must ask it to sign in.
    /// `pool` and `client` are the ones [`Keystep::check_authorization`] answered.
    pub async fn authorize_with_session(
        &self,
        auth: &Authorization,
        pool: &UserPool,
        client: &AppClient,
        cookie: Option<&str>,
    ) -> Result<Option<String>, Refusal> {
        if auth.prompt == Prompt::Login {
            return Ok(None);
        }
        let signed_in = self
            .hosted_session_user(&auth.pool_id, cookie)
            .await
            .map_err(|e| server_error(&e))?;
        let now = self.clock.now();
        let signed_in =
            signed_in.filter(|(_, auth_time)| sso_session_reusable(pool, client, *auth_time, now));
        match signed_in {
            Some((user, auth_time)) => self
                .complete_authorization(auth, &user, auth_time)
                .await
                .map(Some)
                .map_err(|e| server_error(&e)),
            None if auth.prompt == Prompt::None => Err(Refusal::Redirect {
                redirect_uri: auth.redirect_uri.clone(),
                fragment: auth.response_type == ResponseType::Token,
                error: OAuthError::LoginRequired("Nobody is signed in.".into()),
                state: auth.state.clone(),
            }),
            None => Ok(None),
        }
    }

    /// Completes an authorization for `user`: the redirect to the app with a code
    /// (stored by its hash, single use, 5 minutes) or — the implicit grant — with tokens
    /// in the fragment (no refresh token).
    pub(super) async fn complete_authorization(
        &self,
        auth: &Authorization,
        user: &User,
        auth_time: Millis,
    ) -> Result<String, AuthError> {
        let now = self.clock.now();
        let mut params: Vec<(&str, String)> = Vec::new();
        match auth.response_type {
            ResponseType::Code => {
                let code = crate::ids::new_opaque_token(&*self.rng, OPAQUE_BYTES);
                let grant = CodeGrant {
                    redirect_uri: auth.redirect_uri.clone(),
                    scopes: auth.scopes.clone(),
                    nonce: auth.nonce.clone(),
                    code_challenge: auth.code_challenge.clone(),
                    auth_time,
                };
                self.store
                    .insert_oauth_code(&OAuthCodeRow {
                        hash: self.keys.code_hash(CODE_SCOPE, &code),
                        pool_id: auth.pool_id.clone(),
                        client_id: auth.client_id.clone(),
                        sub: user.sub.clone(),
                        grant: serde_json::to_string(&grant).map_err(AuthError::internal)?,
                        expires_at: now.plus_secs(CODE_LIFETIME_SECS),
                    })
                    .await?;
                params.push(("code", code));
            }
            ResponseType::Token => {
                let (client, pool) = self.load_client(&auth.client_id).await?;
                let grant = OAuthGrant {
                    scopes: auth.scopes.clone(),
                    nonce: auth.nonce.clone(),
                    implicit: true,
                };
                let proof = Authenticated::hosted(
                    &pool.id,
                    &client.client_id,
                    &user.sub,
                    &user.username,
                    auth_time,
                    grant.clone(),
                );
                let tokens = self
                    .mint(&pool, &client, user, &proof, &Default::default())
                    .await?;
                params.push(("access_token", tokens.access_token));
                if grant.has("openid") {
                    params.push(("id_token", tokens.id_token));
                }
                params.push(("token_type", "Bearer".into()));
                params.push(("expires_in", tokens.expires_in.to_string()));
            }
        }
        if let Some(state) = &auth.state {
            params.push(("state", state.clone()));
        }
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Ok(rules::redirect_with(
            &auth.redirect_uri,
            auth.response_type == ResponseType::Token,
            &pairs,
        ))
    }

    /// `/logout`: checks where the browser goes, then ends the pages' session.
    pub async fn logout(
        &self,
        req: &LogoutRequest,
        cookie: Option<&str>,
    ) -> Result<LogoutTarget, Refusal> {
        let client_id = req.client_id.as_deref().unwrap_or_default();
        let (client, pool) = match self.load_client(client_id).await {
            Ok(found) => found,
            Err(AuthError::ResourceNotFound(_)) => return Err(Refusal::redirect_mismatch()),
            Err(e) => return Err(server_error(&e)),
        };
        let target = match req.logout_uri.as_deref() {
            Some(uri) => {
                let oauth = &client.settings.oauth;
                let registered = oauth.allowed_oauth_flows_user_pool_client
                    && oauth.logout_urls.iter().any(|u| u == uri);
                if !registered {
                    return Err(Refusal::ErrorPage {
                        error: "redirect_mismatch",
                        description: "The logout URI is not one of the app client's sign-out URLs."
                            .into(),
                    });
                }
                LogoutTarget::Leave(uri.to_string())
            }
            None => {
                let mut params = req.authorize.clone();
                params.client_id = Some(client.client_id.clone());
                let (auth, _, _) = self.check_authorization(&params).await?;
                LogoutTarget::SignInAgain(auth)
            }
        };
        if let Some(cookie) = cookie.filter(|c| !c.is_empty() && c.len() <= 128) {
            let hash = self.keys.code_hash(SESSION_SCOPE, cookie);
            if let Ok(Some(row)) = self.store.get_hosted_session(&hash).await {
                if row.pool_id == pool.id {
                    self.store
                        .delete_hosted_session(&hash)
                        .await
                        .map_err(|e| server_error(&e.into()))?;
                }
            }
        }
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pages_session_is_reused_within_the_clients_sso_validity_when_tracking() {
        let mut pool = UserPool {
            id: "us-east-1_abc".into(),
            name: "p".into(),
            created_at: Millis(0),
            modified_at: Millis(0),
            settings: Default::default(),
        };
        let mut client = AppClient {
            client_id: "c".into(),
            pool_id: pool.id.clone(),
            name: "c".into(),
            secret: None,
            created_at: Millis(0),
            modified_at: Millis(0),
            settings: Default::default(),
            secret_rotation: Default::default(),
        };
        let signed_in = Millis(1_000_000);
        let hour_later = Millis(1_000_000 + 3_600_000);
        // Without session tracking the setting is dormant.
        std::sync::Arc::make_mut(&mut client.settings).sso_session_minutes = Some(0);
        assert!(sso_session_reusable(&pool, &client, signed_in, hour_later));
        std::sync::Arc::make_mut(&mut pool.settings)
            .session_tracking
            .enabled = true;
        assert!(!sso_session_reusable(&pool, &client, signed_in, signed_in));
        std::sync::Arc::make_mut(&mut client.settings).sso_session_minutes = None; // 60 minutes
        assert!(sso_session_reusable(
            &pool,
            &client,
            signed_in,
            Millis(hour_later.0 - 1)
        ));
        assert!(!sso_session_reusable(&pool, &client, signed_in, hour_later));
    }
}
