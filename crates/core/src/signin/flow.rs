//! Which flow a sign-in runs, and the context every step of it shares.

use serde::{Deserialize, Serialize};

use crate::app_client::{AppClient, ExplicitAuthFlow};
use crate::error::AuthError;
use crate::Millis;

/// An `AuthFlow` Keystep runs (aliases folded into one variant each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`.
    UserSrpAuth,
    /// `USER_PASSWORD_AUTH`.
    UserPasswordAuth,
    /// `ADMIN_USER_PASSWORD_AUTH`, also spelled `ADMIN_NO_SRP_AUTH`.
    AdminUserPasswordAuth,
    /// `REFRESH_TOKEN_AUTH`, also spelled `REFRESH_TOKEN`.
    RefreshTokenAuth,
    /// `CUSTOM_AUTH`: the pool's challenge triggers decide.
    CustomAuth,
    /// `USER_AUTH`: choice-based sign-in (a password, a one-time code or a passkey).
    UserAuth,
}

/// Every `AuthFlow` value Cognito accepts, for the validation message.
const WIRE_FLOWS: &str = "[USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]";

impl AuthFlow {
    /// Parses a wire `AuthFlow`. Unknown values are the validation error Cognito gives.
    pub fn parse(s: &str) -> Result<AuthFlow, AuthError> {
        match s {
            "USER_SRP_AUTH" => Ok(AuthFlow::UserSrpAuth),
            "USER_PASSWORD_AUTH" => Ok(AuthFlow::UserPasswordAuth),
            "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => Ok(AuthFlow::AdminUserPasswordAuth),
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => Ok(AuthFlow::RefreshTokenAuth),
            "CUSTOM_AUTH" => Ok(AuthFlow::CustomAuth),
            "USER_AUTH" => Ok(AuthFlow::UserAuth),
            _ => Err(AuthError::InvalidParameter(format!(
                "1 validation error detected: Value '{}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: {WIRE_FLOWS}",
                s.chars().take(64).collect::<String>()
            ))),
        }
    }

    /// The canonical wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthFlow::UserSrpAuth => "USER_SRP_AUTH",
            AuthFlow::UserPasswordAuth => "USER_PASSWORD_AUTH",
            AuthFlow::AdminUserPasswordAuth => "ADMIN_USER_PASSWORD_AUTH",
            AuthFlow::RefreshTokenAuth => "REFRESH_TOKEN_AUTH",
            AuthFlow::CustomAuth => "CUSTOM_AUTH",
            AuthFlow::UserAuth => "USER_AUTH",
        }
    }

    /// The `ExplicitAuthFlows` entry an app client needs for this flow.
    pub fn client_gate(self) -> ExplicitAuthFlow {
        match self {
            AuthFlow::UserSrpAuth => ExplicitAuthFlow::AllowUserSrpAuth,
            AuthFlow::UserPasswordAuth => ExplicitAuthFlow::AllowUserPasswordAuth,
            AuthFlow::AdminUserPasswordAuth => ExplicitAuthFlow::AllowAdminUserPasswordAuth,
            AuthFlow::RefreshTokenAuth => ExplicitAuthFlow::AllowRefreshTokenAuth,
            AuthFlow::CustomAuth => ExplicitAuthFlow::AllowCustomAuth,
            AuthFlow::UserAuth => ExplicitAuthFlow::AllowUserAuth,
        }
    }

    /// Whether the flow may be started through `InitiateAuth` (`admin_api == false`) or
    /// `AdminInitiateAuth` (`true`), and whether `client` allows it.
    pub fn check_allowed(self, client: &AppClient, admin_api: bool) -> Result<(), AuthError> {
        let api_ok = match self {
            AuthFlow::UserPasswordAuth => !admin_api,
            AuthFlow::AdminUserPasswordAuth => admin_api,
            AuthFlow::UserSrpAuth
            | AuthFlow::RefreshTokenAuth
            | AuthFlow::CustomAuth
            | AuthFlow::UserAuth => true,
        };
        if !api_ok {
            return Err(AuthError::InvalidParameter(
                "Initiate Auth method not supported.".into(),
            ));
        }
        // USER_AUTH covers password sign-ins inside its own flow only, so it is not a twin.
        if client.allows(self.client_gate()) {
            return Ok(());
        }
        Err(AuthError::InvalidParameter(match self {
            AuthFlow::UserPasswordAuth => {
                "USER_PASSWORD_AUTH flow not enabled for this client".into()
            }
            AuthFlow::UserAuth => "USER_AUTH flow not enabled for this client".into(),
            _ => "Auth flow not enabled for this client".into(),
        }))
    }
}

/// What every step of one sign-in shares: who is signing in, where, and how it started.
/// Fixed at the first factor; carried in the session (or the SRP secret block).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// The pool.
    pub pool_id: String,
    /// The app client the sign-in started on; every later step must use the same one.
    pub client_id: String,
    /// The user's `sub`.
    pub sub: String,
    /// The canonical username (`USER_ID_FOR_SRP`; what the SRP verifier binds).
    pub username: String,
    /// The name the client typed (an alias, the username, or the `sub`); clients may
    /// hash it into `SECRET_HASH` and send it back as `USERNAME`.
    pub typed_username: String,
    /// The flow that started it.
    pub auth_flow: AuthFlow,
    /// Whether it started through an admin operation (AdminInitiateAuth), for events
    /// and triggers.
    pub admin: bool,
    /// When the first request arrived.
    pub started_at: Millis,
    /// The `DEVICE_KEY` the client sent, if any (bound into the access token).
    pub device_key: Option<String>,
    /// No user has the typed name: the app client prevents user existence errors, and
    /// a custom sign-in runs on a stand-in so that the triggers are asked (with
    /// `userNotFound`) as for a real user. Such a sign-in never authenticates, and `sub`
    /// is the digest its counters are kept under.
    #[serde(default)]
    pub user_not_found: bool,
    /// The sign-in runs on the pool's hosted pages: it ends in an authorization code, not
    /// in tokens, and only the pages may continue it (never `RespondToAuthChallenge`).
    #[serde(default)]
    pub hosted: bool,
    /// This sign-in's own random id, which names its auth event: sign-ins of one user
    /// that start in the same millisecond (a burst of guesses) are each their own event.
    /// Empty in sessions from before it existed, whose event id is derived as it was.
    #[serde(default)]
    pub id: String,
}
