//! OAuth 2.0 as the user pool endpoints speak it: the errors they answer with, by their
//! OAuth names (RFC 6749 §5.2), the scopes a token carries, what an authorization request
//! may ask for (`authorize`), and PKCE (`pkce`).

pub mod authorize;
pub mod pkce;

use serde::{Deserialize, Serialize};

/// The scopes Cognito defines itself (every other scope is a resource server's).
pub use crate::oauth_client::STANDARD_SCOPES;

/// What tokens for the OAuth endpoints carry besides the sign-in: the granted scopes and
/// the authorization request's `nonce` (ID token only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthGrant {
    /// Granted scopes, in the order granted.
    pub scopes: Vec<String>,
    /// The `nonce` of the authorization request.
    pub nonce: Option<String>,
    /// The implicit grant: tokens in a redirect, never a refresh token.
    #[serde(default)]
    pub implicit: bool,
}

impl OAuthGrant {
    /// Whether `scope` was granted.
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// The `scope` claim: space-separated.
    pub fn scope(&self) -> String {
        self.scopes.join(" ")
    }
}

/// An OAuth endpoint's error (`{"error": ...}` on the wire).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum OAuthError {
    /// `invalid_request`: a parameter is missing, repeated or malformed.
    #[error("{0}")]
    InvalidRequest(String),
    /// `invalid_client`: the client is unknown or did not prove its secret.
    #[error("Client authentication failed.")]
    InvalidClient,
    /// `unauthorized_client`: the client may not use this grant.
    #[error("{0}")]
    UnauthorizedClient(String),
    /// `invalid_scope`: a scope the client may not have.
    #[error("{0}")]
    InvalidScope(String),
    /// `unsupported_grant_type`: a grant Keystep does not take (or not yet).
    #[error("{0}")]
    UnsupportedGrantType(String),
    /// `invalid_grant`: the code or refresh token is unknown, used, expired, revoked, or
    /// was issued for another redirect URI, client or PKCE verifier.
    #[error("{0}")]
    InvalidGrant(String),
    /// `unsupported_response_type`: `response_type` is neither `code` nor `token`.
    #[error("{0}")]
    UnsupportedResponseType(String),
    /// `unsupported_token_type`: only refresh tokens are revoked.
    #[error("{0}")]
    UnsupportedTokenType(String),
    /// `login_required`: `prompt=none` and nobody is signed in on the pages.
    #[error("{0}")]
    LoginRequired(String),
    /// `server_error`; the cause is logged.
    #[error("The server could not answer.")]
    Server,
}

impl OAuthError {
    /// The wire name.
    pub fn name(&self) -> &'static str {
        match self {
            OAuthError::InvalidRequest(_) => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::UnauthorizedClient(_) => "unauthorized_client",
            OAuthError::InvalidScope(_) => "invalid_scope",
            OAuthError::UnsupportedGrantType(_) => "unsupported_grant_type",
            OAuthError::InvalidGrant(_) => "invalid_grant",
            OAuthError::UnsupportedResponseType(_) => "unsupported_response_type",
            OAuthError::UnsupportedTokenType(_) => "unsupported_token_type",
            OAuthError::LoginRequired(_) => "login_required",
            OAuthError::Server => "server_error",
        }
    }
}

impl From<crate::AuthError> for OAuthError {
    fn from(e: crate::AuthError) -> OAuthError {
        tracing::error!(error = %e, "OAuth endpoint failed");
        OAuthError::Server
    }
}

impl From<crate::StoreError> for OAuthError {
    fn from(e: crate::StoreError) -> OAuthError {
        OAuthError::from(crate::AuthError::from(e))
    }
}

/// The scopes a `client_credentials` token gets: those asked for (space-separated), each
/// allowed to the client and still defined by a resource server; all of those when none
/// is asked for. `None` when one asked for is not allowed.
pub fn grant_scopes(
    requested: Option<&str>,
    allowed: &[String],
    defined: &[String],
) -> Option<Vec<String>> {
    let grantable: Vec<&String> = allowed.iter().filter(|s| defined.contains(s)).collect();
    let asked: Vec<&str> = requested
        .map(|r| r.split(' ').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    if asked.is_empty() {
        return Some(grantable.into_iter().cloned().collect());
    }
    let mut granted = Vec::new();
    for scope in asked {
        if !grantable.iter().any(|g| *g == scope) {
            return None;
        }
        if !granted.iter().any(|g: &String| g == scope) {
            granted.push(scope.to_string());
        }
    }
    Some(granted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granted_scopes_are_allowed_and_defined() {
        let allowed = vec![
            "api/read".to_string(),
            "api/write".to_string(),
            "api/gone".to_string(),
        ];
        let defined = vec!["api/read".to_string(), "api/write".to_string()];
        assert_eq!(
            grant_scopes(None, &allowed, &defined),
            Some(defined.clone())
        );
        assert_eq!(
            grant_scopes(Some("api/read"), &allowed, &defined),
            Some(vec!["api/read".to_string()])
        );
        assert_eq!(
            grant_scopes(Some("api/read api/read"), &allowed, &defined),
            Some(vec!["api/read".to_string()])
        );
        assert_eq!(grant_scopes(Some("api/gone"), &allowed, &defined), None);
        assert_eq!(grant_scopes(Some("api/admin"), &allowed, &defined), None);
        assert_eq!(grant_scopes(Some("openid"), &allowed, &defined), None);
    }
}
