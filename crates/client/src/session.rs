//! The signed-in user: `fetch_auth_session` (with refresh), `get_current_user`,
//! `sign_out`, `update_password`.

use std::collections::BTreeMap;

use keystep_proto::{
    ChangePasswordRequest, ChangePasswordResponse, GetTokensFromRefreshTokenRequest,
    GetTokensFromRefreshTokenResponse, GlobalSignOutRequest, GlobalSignOutResponse,
    InitiateAuthRequest, InitiateAuthResponse, RevokeTokenRequest, RevokeTokenResponse,
};

use crate::auth::Auth;
use crate::error::AuthError;
use crate::tokens::Tokens;

/// Tokens are refreshed when the access token expires within this many seconds.
pub const REFRESH_MARGIN_SECS: i64 = 5 * 60;

/// Options of [`Auth::fetch_auth_session`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchAuthSessionOptions {
    /// Refresh even if the access token is still fresh.
    pub force_refresh: bool,
}

/// The current session: tokens when a user is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSession {
    /// The tokens (fresh for at least five minutes), `None` when signed out.
    pub tokens: Option<Tokens>,
    /// The user's `sub`, when signed in.
    pub user_sub: Option<String>,
}

/// The signed-in user, read from the ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    /// `cognito:username`.
    pub username: String,
    /// `sub`.
    pub user_id: String,
}

/// Options of [`Auth::sign_out`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SignOutOptions {
    /// `GlobalSignOut`: invalidate every session of the user, not only this one.
    pub global: bool,
}

/// Refresh failures after which the tokens are useless (Amplify's `TokenOrchestrator`).
fn ends_session(e: &AuthError) -> bool {
    matches!(
        e.name(),
        "NotAuthorizedException"
            | "TokenRevokedException"
            | "UserNotFoundException"
            | "PasswordResetRequiredException"
            | "UserNotConfirmedException"
            | "RefreshTokenReuseException"
    )
}

impl Auth {
    /// The current tokens, refreshed first when the access token expires within five
    /// minutes (or when forced), like Amplify's `fetchAuthSession`.
    ///
    /// Refreshing uses `GetTokensFromRefreshToken`, and `InitiateAuth REFRESH_TOKEN_AUTH`
    /// when the server does not know that operation. A refresh the server refuses
    /// (`NotAuthorized`, ...) signs the user out and returns the error.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// use keystep_client::FetchAuthSessionOptions;
    /// let session = auth.fetch_auth_session(FetchAuthSessionOptions::default()).await?;
    /// if let Some(tokens) = session.tokens {
    ///     println!("Authorization: Bearer {}", tokens.access_token);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch_auth_session(
        &self,
        options: FetchAuthSessionOptions,
    ) -> Result<AuthSession, AuthError> {
        let Some(mut tokens) = self.store.load()? else {
            return Ok(AuthSession {
                tokens: None,
                user_sub: None,
            });
        };
        if options.force_refresh || tokens.expires_at - self.now_secs() <= REFRESH_MARGIN_SECS {
            tokens = self.refresh(&tokens).await?;
        }
        let user_sub = tokens
            .id_claims()
            .or_else(|| tokens.access_claims())
            .and_then(|c| c.get("sub").and_then(|v| v.as_str()).map(str::to_string));
        Ok(AuthSession {
            tokens: Some(tokens),
            user_sub,
        })
    }

    async fn refresh(&self, tokens: &Tokens) -> Result<Tokens, AuthError> {
        let Some(refresh_token) = tokens.refresh_token.clone() else {
            return Err(AuthError::NotAuthorized {
                message: "no refresh token to refresh the session with".into(),
            });
        };
        let request = GetTokensFromRefreshTokenRequest {
            refresh_token: refresh_token.clone().into(),
            client_id: self.config.client_id.clone(),
            client_secret: self.config.client_secret.clone().map(Into::into),
            device_key: self.device().map(|d| d.key),
            ..Default::default()
        };
        let result = match self
            .wire
            .call::<_, GetTokensFromRefreshTokenResponse>("GetTokensFromRefreshToken", &request)
            .await
        {
            Ok(response) => Ok(response.authentication_result),
            Err(e)
                if matches!(
                    e.name(),
                    "UnknownOperationException" | "UnsupportedOperationException"
                ) =>
            {
                self.refresh_with_initiate_auth(tokens, &refresh_token)
                    .await
            }
            Err(e) => Err(e),
        };
        let result = match result {
            Ok(Some(result)) => result,
            Ok(None) => {
                return Err(AuthError::bad_response(
                    "InvalidServiceResponse",
                    "refresh returned no AuthenticationResult",
                ))
            }
            Err(e) => {
                if ends_session(&e) {
                    self.store.clear()?;
                }
                return Err(e);
            }
        };
        let fresh = Tokens::from_result(&result, Some(refresh_token), self.now_secs())?;
        self.store.save(&fresh)?;
        Ok(fresh)
    }

    async fn refresh_with_initiate_auth(
        &self,
        tokens: &Tokens,
        refresh_token: &str,
    ) -> Result<Option<keystep_proto::AuthenticationResult>, AuthError> {
        let mut params = BTreeMap::new();
        params.insert("REFRESH_TOKEN".to_string(), refresh_token.to_string());
        // Cognito checks SECRET_HASH over the canonical username (or sub) on refresh.
        if let Some(hash) = tokens
            .username()
            .and_then(|name| self.config.secret_hash(&name))
        {
            params.insert("SECRET_HASH".to_string(), hash);
        }
        if let Some(device) = self.device() {
            params.insert("DEVICE_KEY".to_string(), device.key);
        }
        let request = InitiateAuthRequest {
            auth_flow: "REFRESH_TOKEN_AUTH".into(),
            auth_parameters: Some(params),
            client_id: self.config.client_id.clone(),
            ..Default::default()
        };
        let response: InitiateAuthResponse = self.wire.call("InitiateAuth", &request).await?;
        Ok(response.authentication_result)
    }

    /// The signed-in user, from the stored ID token (no request), like Amplify's
    /// `getCurrentUser`.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// let user = auth.get_current_user().await?;
    /// println!("{} ({})", user.username, user.user_id);
    /// # Ok(()) }
    /// ```
    pub async fn get_current_user(&self) -> Result<AuthUser, AuthError> {
        let tokens = self.store.load()?.ok_or(AuthError::NotSignedIn)?;
        let claims = tokens.id_claims().ok_or(AuthError::NotSignedIn)?;
        let text = |key: &str| {
            claims
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .ok_or_else(|| {
                    AuthError::bad_response(
                        "InvalidServiceResponse",
                        format!("the ID token has no {key}"),
                    )
                })
        };
        Ok(AuthUser {
            username: text("cognito:username")?,
            user_id: text("sub")?,
        })
    }

    /// Signs out: `GlobalSignOut` when `global` (every device), else `RevokeToken` on the
    /// refresh token. The local tokens are cleared either way; a server error is returned
    /// afterwards.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// use keystep_client::SignOutOptions;
    /// auth.sign_out(SignOutOptions { global: true }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_out(&self, options: SignOutOptions) -> Result<(), AuthError> {
        self.set_pending(None);
        let tokens = self.store.load();
        let remote = match &tokens {
            Ok(Some(tokens)) if options.global => {
                let request = GlobalSignOutRequest {
                    access_token: tokens.access_token.clone().into(),
                };
                self.wire
                    .call::<_, GlobalSignOutResponse>("GlobalSignOut", &request)
                    .await
                    .map(drop)
            }
            Ok(Some(Tokens {
                refresh_token: Some(refresh),
                ..
            })) => {
                let request = RevokeTokenRequest {
                    token: refresh.clone().into(),
                    client_id: self.config.client_id.clone(),
                    client_secret: self.config.client_secret.clone().map(Into::into),
                };
                self.wire
                    .call::<_, RevokeTokenResponse>("RevokeToken", &request)
                    .await
                    .map(drop)
            }
            _ => Ok(()),
        };
        self.store.clear()?;
        tokens?;
        remote
    }

    /// Changes the signed-in user's password (`ChangePassword`).
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// auth.update_password("Correct-Horse-9!", "N3w-Passw0rd!").await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_password(
        &self,
        old_password: &str,
        new_password: &str,
    ) -> Result<(), AuthError> {
        let session = self
            .fetch_auth_session(FetchAuthSessionOptions::default())
            .await?;
        let tokens = session.tokens.ok_or(AuthError::NotSignedIn)?;
        let request = ChangePasswordRequest {
            previous_password: Some(old_password.into()),
            proposed_password: new_password.into(),
            access_token: tokens.access_token.into(),
        };
        let _: ChangePasswordResponse = self.wire.call("ChangePassword", &request).await?;
        Ok(())
    }
}
