//! The OAuth 2.0 / OpenID Connect user pool endpoints over the sign-in engine:
//! authorization requests and the pages' session (`authorize.rs`), the sign-in the hosted
//! pages run (`hosted.rs`), the token endpoint's grants (`token.rs`), `userInfo` and
//! revocation (`userinfo.rs`).

mod authorize;
mod federation;
mod hosted;
mod token;
mod userinfo;

use serde::{Deserialize, Serialize};

use crate::Millis;

pub use authorize::{LogoutRequest, LogoutTarget};
pub use federation::idp_response_url;
pub use hosted::HostedStep;
pub use token::{OAuthTokens, TokenRequest};
pub use userinfo::UserInfoError;

/// How long an authorization code works (Cognito: 5 minutes, once).
pub const CODE_LIFETIME_SECS: i64 = 300;

/// How long the pages' sign-in session lasts (Cognito: 1 hour).
pub const HOSTED_SESSION_SECS: i64 = 3600;

/// Random bytes in an authorization code and in a pages' session cookie.
const OPAQUE_BYTES: usize = 32;

/// What an authorization code stands for, kept with it (JSON) until it is redeemed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CodeGrant {
    /// The redirect URI of the authorization request; the token request must repeat it.
    redirect_uri: String,
    /// Granted scopes.
    scopes: Vec<String>,
    /// The request's `nonce`.
    nonce: Option<String>,
    /// The PKCE `S256` challenge.
    code_challenge: Option<String>,
    /// When the user authenticated.
    auth_time: Millis,
}

/// Keyed-hash scopes, so that a code, a cookie and a refresh token never share hashes.
const CODE_SCOPE: &str = "oauth-code";
const SESSION_SCOPE: &str = "hosted-session";
