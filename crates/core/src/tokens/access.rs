//! Verifying the access tokens presented to token-authenticated operations.
//!
//! A token is decoded once: [`peek_access_token`] reads its header and claims into typed
//! values, which say which pool's key to fetch; [`UnverifiedAccess::verify`] then checks
//! the signature over the same token and only then hands the claims out. Nothing read by
//! the peek is trusted before that.

use std::borrow::Cow;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::AuthError;
use crate::signing::SigningKey;
use crate::user::User;
use crate::Millis;

/// What an access token presented to an operation says, once verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    /// The pool (from `iss`).
    pub pool_id: String,
    /// `sub`.
    pub sub: String,
    /// `username`.
    pub username: String,
    /// `client_id`.
    pub client_id: String,
    /// `origin_jti`.
    pub origin_jti: String,
    /// `jti`.
    pub jti: String,
    /// `iat`, seconds.
    pub iat: i64,
    /// `exp`, seconds.
    pub exp: i64,
    /// `device_key`.
    pub device_key: Option<String>,
    /// `scope`, space-separated.
    pub scope: String,
}

impl AccessClaims {
    /// Whether the token was granted `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split(' ').any(|s| s == scope)
    }
}

/// The error for an access token that is not ours, malformed or of the wrong kind.
pub fn invalid_access_token() -> AuthError {
    AuthError::NotAuthorized("Invalid Access Token".into())
}

/// The error for an access token whose sign-in was revoked.
pub fn revoked_access_token() -> AuthError {
    AuthError::NotAuthorized("Access Token has been revoked".into())
}

/// The JOSE header, as far as verification reads it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Header<'t> {
    #[serde(borrow)]
    alg: Cow<'t, str>,
    #[serde(borrow)]
    kid: Cow<'t, str>,
}

/// The claims verification reads; the others are ignored. A member of the wrong type
/// makes the token invalid, as a missing one does.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Claims {
    token_use: String,
    iss: String,
    sub: String,
    username: String,
    client_id: String,
    origin_jti: String,
    jti: String,
    iat: i64,
    exp: i64,
    #[serde(default)]
    device_key: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

/// An access token read but not yet verified: the header's `kid` and the pool named by
/// `iss` say which key checks it. Its claims are kept inside until
/// [`UnverifiedAccess::verify`] passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnverifiedAccess<'t> {
    /// The header's `kid`.
    pub kid: String,
    /// The pool named by `iss` (`<public_url>/<poolId>`).
    pub pool_id: String,
    /// `header.payload`: what the signature signs.
    signed: &'t str,
    signature: &'t str,
    rs256: bool,
    claims: Claims,
}

fn token_parts(token: &str) -> Result<(&str, &str, &str), AuthError> {
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(header), Some(payload), Some(signature), None) => Ok((header, payload, signature)),
        _ => Err(invalid_access_token()),
    }
}

fn base64url(part: &str) -> Result<Vec<u8>, AuthError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| invalid_access_token())
}

fn decode<T: DeserializeOwned>(part: &str) -> Result<T, AuthError> {
    serde_json::from_slice(&base64url(part)?).map_err(|_| invalid_access_token())
}

/// The pool of an issuer `<public_url>/<poolId>`.
fn pool_of_issuer<'i>(iss: &'i str, public_url: &str) -> Result<&'i str, AuthError> {
    iss.strip_prefix(public_url.trim_end_matches('/'))
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|p| crate::ids::is_pool_id(p))
        .ok_or_else(invalid_access_token)
}

/// Reads which key an access token claims to be signed with (see [`UnverifiedAccess`]).
pub fn peek_access_token<'t>(
    token: &'t str,
    public_url: &str,
) -> Result<UnverifiedAccess<'t>, AuthError> {
    let (header, payload, signature) = token_parts(token)?;
    let header_bytes = base64url(header)?;
    let header: Header<'_> =
        serde_json::from_slice(&header_bytes).map_err(|_| invalid_access_token())?;
    let claims: Claims = decode(payload)?;
    let pool_id = pool_of_issuer(&claims.iss, public_url)?.to_string();
    Ok(UnverifiedAccess {
        kid: header.kid.into_owned(),
        pool_id,
        // Three parts, so the signature is preceded by a dot.
        signed: &token[..token.len() - signature.len() - 1],
        signature,
        rs256: header.alg == "RS256",
        claims,
    })
}

impl UnverifiedAccess<'_> {
    /// Verifies the token's signature (RS256, with `key`, the pool's access key its `kid`
    /// names), `token_use` and expiry, and hands out its claims. Revocation and the
    /// user's state need the store; the service checks them next.
    pub fn verify(self, key: &SigningKey, now: Millis) -> Result<AccessClaims, AuthError> {
        if !self.rs256 || self.kid != key.kid() {
            return Err(invalid_access_token());
        }
        if !key.verify(self.signed.as_bytes(), &base64url(self.signature)?) {
            return Err(invalid_access_token());
        }
        let claims = self.claims;
        if claims.token_use != "access" {
            return Err(invalid_access_token());
        }
        if now.as_secs() >= claims.exp {
            return Err(AuthError::NotAuthorized("Access Token has expired".into()));
        }
        Ok(AccessClaims {
            pool_id: self.pool_id,
            sub: claims.sub,
            username: claims.username,
            client_id: claims.client_id,
            origin_jti: claims.origin_jti,
            jti: claims.jti,
            iat: claims.iat,
            exp: claims.exp,
            device_key: claims.device_key,
            scope: claims.scope.unwrap_or_default(),
        })
    }
}

/// Verifies an access token: [`peek_access_token`], then [`UnverifiedAccess::verify`].
pub fn verify_access_token(
    key: &SigningKey,
    token: &str,
    public_url: &str,
    now: Millis,
) -> Result<AccessClaims, AuthError> {
    peek_access_token(token, public_url)?.verify(key, now)
}

/// Whether a verified access token is still good for `user`: enabled, and issued no
/// earlier than the user's `tokens_valid_after` (GlobalSignOut, disable). Whole seconds,
/// as `iat` is; the revoked sign-ins of a global sign-out are refused by `origin_jti`.
pub fn check_access_user(claims: &AccessClaims, user: &User) -> Result<(), AuthError> {
    if !user.enabled {
        return Err(AuthError::NotAuthorized("User is disabled.".into()));
    }
    if user
        .tokens_valid_after
        .is_some_and(|after| claims.iat < after.as_secs())
    {
        return Err(revoked_access_token());
    }
    Ok(())
}
