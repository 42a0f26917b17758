//! Operations on issued tokens: `GetTokensFromRefreshToken`, `RevokeToken`,
//! `GlobalSignOut`, `AdminUserGlobalSignOut`, and the access-token check every
//! token-authenticated operation starts with.

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::pool::UserPool;
use crate::signin::AuthFlow;
use crate::tokens::{self, AccessClaims};
use crate::user::User;

use super::auth::IssuedTokens;
use super::Keystep;

/// The caller of a token-authenticated operation, once its access token checked out.
#[derive(Debug, Clone)]
pub struct AccessContext {
    /// The pool the token was issued by.
    pub pool: UserPool,
    /// The user, as stored now.
    pub user: User,
    /// What the token says.
    pub claims: AccessClaims,
}

impl AccessContext {
    /// The app client the token was issued to (for its read/write attribute rules).
    pub async fn client(&self, keystep: &Keystep) -> Result<AppClient, AuthError> {
        keystep
            .store
            .get_client(&self.claims.client_id)
            .await?
            .filter(|c| c.pool_id == self.pool.id)
            .ok_or_else(tokens::invalid_access_token)
    }
}

/// Whether `token` has the shape of a JWT (three base64url parts), i.e. is an ID or
/// access token rather than one of Keystep's opaque refresh tokens.
fn looks_like_jwt(token: &str) -> bool {
    token.starts_with("eyJ") && token.split('.').count() == 3
}

impl Keystep {
    /// Checks an access token presented to a token-authenticated operation: as
    /// [`Keystep::check_access_token`], and it carries the self-service scope
    /// (`aws.cognito.signin.user.admin`; OAuth tokens granted only `openid` do not).
    pub async fn authenticate_access(
        &self,
        access_token: &str,
    ) -> Result<AccessContext, AuthError> {
        let context = self.check_access_token(access_token).await?;
        if !context.claims.has_scope(tokens::API_SCOPE) {
            return Err(AuthError::NotAuthorized(
                "Access Token does not have required scopes".into(),
            ));
        }
        Ok(context)
    }

    /// Checks an access token: signature, issuer and expiry; the user exists and is
    /// enabled; it was not signed out.
    pub async fn check_access_token(&self, access_token: &str) -> Result<AccessContext, AuthError> {
        let now = self.clock.now();
        let public_url = &self.config.public_url;
        let peek = tokens::peek_access_token(access_token, public_url)?;
        let keys = self
            .pool_keys_with_access_key(&peek.pool_id, &peek.kid)
            .await?
            .ok_or_else(tokens::invalid_access_token)?;
        let key = keys
            .access_key(&peek.kid, now)
            .ok_or_else(tokens::invalid_access_token)?;
        // The claims are the ones the peek read, handed out once the signature holds.
        let claims = peek.verify(key, now)?;
        let holder = self
            .store
            .get_token_holder(&claims.pool_id, &claims.sub, &claims.origin_jti)
            .await?
            .ok_or_else(tokens::invalid_access_token)?;
        let user = holder
            .user
            .ok_or_else(|| AuthError::UserNotFound("User does not exist.".into()))?;
        tokens::check_access_user(&claims, &user)?;
        if holder.origin_revoked {
            return Err(tokens::revoked_access_token());
        }
        Ok(AccessContext {
            pool: holder.pool,
            user,
            claims,
        })
    }

    /// `GetTokensFromRefreshToken`: the raw `ClientSecret` (not a hash) proves the client.
    pub async fn get_tokens_from_refresh_token(
        &self,
        client_id: &str,
        refresh_token: &str,
        client_secret: Option<&str>,
        device_key: Option<&str>,
        client_metadata: &std::collections::BTreeMap<String, String>,
    ) -> Result<IssuedTokens, AuthError> {
        // The client and the token in one read; the token is looked at only once the
        // client has proved itself.
        let hash = tokens::refresh_token_hash(&self.keys, refresh_token);
        let crate::ports::RefreshContext {
            client,
            pool,
            token,
        } = self
            .load_client_with_refresh_token(client_id, &hash)
            .await?;
        self.check_client_secret(&client, client_secret)?;
        AuthFlow::RefreshTokenAuth.check_allowed(&client, false)?;
        self.refresh_found(&pool, &client, token, device_key, client_metadata, |_| {
            Ok(())
        })
        .await
    }

    /// `RevokeToken`: the refresh token stops working, and so do the access tokens of
    /// its sign-in. An unknown token is not an error (RFC 7009: nothing to revoke).
    pub async fn revoke_token(
        &self,
        client_id: &str,
        token: &str,
        client_secret: Option<&str>,
    ) -> Result<(), AuthError> {
        let (client, _pool) = self.load_client(client_id).await?;
        self.check_client_secret(&client, client_secret)?;
        if !client.settings.enable_token_revocation {
            return Err(AuthError::UnsupportedOperation(
                "Token revocation is not enabled for this app client.".into(),
            ));
        }
        if looks_like_jwt(token) {
            return Err(AuthError::UnsupportedTokenType(
                "Only refresh tokens can be revoked.".into(),
            ));
        }
        let hash = tokens::refresh_token_hash(&self.keys, token);
        let Some(row) = self.store.get_refresh_token(&hash).await? else {
            return Ok(());
        };
        if row.client_id != client.client_id {
            return Err(AuthError::Unauthorized(
                "The token was not issued to this client.".into(),
            ));
        }
        self.store.revoke_refresh_token(&hash).await?;
        Ok(())
    }

    /// `GlobalSignOut`.
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        self.sign_out_everywhere(&caller.pool, &caller.user.sub)
            .await
    }

    /// `AdminUserGlobalSignOut`.
    pub async fn admin_user_global_sign_out(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.sign_out_everywhere(&pool, &user.sub).await
    }

    /// Revokes every refresh token of the user (and with them their sign-ins' access
    /// tokens) and refuses every token issued before now.
    async fn sign_out_everywhere(&self, pool: &UserPool, sub: &str) -> Result<(), AuthError> {
        let now = self.clock.now();
        self.modify_user(pool, sub, |u| {
            u.tokens_valid_after = Some(now);
            Ok(())
        })
        .await?;
        self.store.revoke_user_refresh_tokens(&pool.id, sub).await?;
        Ok(())
    }
}
