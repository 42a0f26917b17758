//! ID, access and refresh tokens: the claims of protocol notes §5.2/§5.3 (pure), minting
//! them from an [`Authenticated`] proof, the opaque refresh-token format, and verifying
//! access tokens presented to token-authenticated operations.
//!
//! Claims are built as JSON values rather than structs because their set is open (every
//! readable attribute becomes a claim) and their types follow Cognito's (booleans for the
//! `*_verified` flags, a number for `updated_at`, strings for custom attributes).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::keys::KeyRing;
use crate::ports::{RefreshTokenRow, Rng};
use crate::signin::Authenticated;
use crate::signing::SigningKeys;
use crate::user::User;
use crate::Millis;

mod access;
mod customize;
pub use access::{
    check_access_user, invalid_access_token, peek_access_token, revoked_access_token,
    verify_access_token, AccessClaims, UnverifiedAccess,
};
pub use customize::{ClaimChanges, TokenCustomization, RESERVED_CLAIMS};

/// The `scope` of tokens from API sign-ins.
pub const API_SCOPE: &str = "aws.cognito.signin.user.admin";

/// Random bytes in a refresh token (384 bits).
pub const REFRESH_TOKEN_BYTES: usize = 48;

/// The issuer of a pool's tokens: `<public_url>/<poolId>`.
pub fn issuer(public_url: &str, pool_id: &str) -> String {
    format!("{}/{}", public_url.trim_end_matches('/'), pool_id)
}

/// Everything a pair of tokens says, besides what the proof carries.
#[derive(Debug, Clone)]
pub struct ClaimsInput<'a> {
    /// `iss`.
    pub issuer: &'a str,
    /// The app client the tokens are for.
    pub client: &'a AppClient,
    /// The user, as stored now.
    pub user: &'a User,
    /// The user's group names (precedence order).
    pub groups: &'a [String],
    /// What authenticated.
    pub proof: &'a Authenticated,
    /// The sign-in id shared by all tokens of this sign-in and its refreshes.
    pub origin_jti: &'a str,
    /// The id of this authentication event.
    pub event_id: &'a str,
    /// `iat`.
    pub now: Millis,
    /// What a PreTokenGeneration trigger changed, if one ran.
    pub customization: Option<&'a TokenCustomization>,
}

fn common(
    input: &ClaimsInput<'_>,
    token_use: &str,
    jti: &str,
    validity_secs: i64,
) -> Map<String, Value> {
    let iat = input.now.as_secs();
    let mut c = Map::new();
    c.insert("sub".into(), input.user.sub.clone().into());
    c.insert("iss".into(), input.issuer.into());
    c.insert("token_use".into(), token_use.into());
    c.insert("auth_time".into(), input.proof.auth_time().as_secs().into());
    c.insert("iat".into(), iat.into());
    c.insert("exp".into(), iat.saturating_add(validity_secs).into());
    c.insert("jti".into(), jti.into());
    c.insert("origin_jti".into(), input.origin_jti.into());
    c.insert("event_id".into(), input.event_id.into());
    if !input.groups.is_empty() {
        c.insert("cognito:groups".into(), input.groups.to_vec().into());
    }
    c
}

/// Whether the client may read `attribute` (an empty `ReadAttributes` reads all).
fn readable(client: &AppClient, attribute: &str) -> bool {
    let list = &client.settings.read_attributes;
    list.is_empty() || list.iter().any(|a| a == attribute)
}

/// An attribute as a claim: booleans for the verified flags, a number for `updated_at`,
/// an object for a JSON `address`, strings for everything else (custom ones always).
fn attribute_claim(name: &str, value: &str) -> Value {
    match name {
        "email_verified" | "phone_number_verified" => Value::Bool(value == "true"),
        "updated_at" => value
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| value.into()),
        "address" => match serde_json::from_str::<Value>(value) {
            Ok(object @ Value::Object(_)) => object,
            _ => value.into(),
        },
        // Federated users' identities: an array in tokens (§15.10).
        "identities" => match serde_json::from_str::<Value>(value) {
            Ok(list @ Value::Array(_)) => list,
            _ => value.into(),
        },
        _ => value.into(),
    }
}

/// The ID token's claims (§5.2).
pub fn id_token_claims(input: &ClaimsInput<'_>, jti: &str) -> Value {
    let validity = input.client.settings.id_token_validity.seconds();
    let mut c = common(input, "id", jti, validity);
    c.insert("aud".into(), input.client.client_id.clone().into());
    c.insert(
        "cognito:username".into(),
        input.user.username.clone().into(),
    );
    for (name, value) in &input.user.attributes {
        if readable(input.client, name) {
            c.insert(name.clone(), attribute_claim(name, value));
        }
    }
    if let Some(nonce) = input.proof.oauth().and_then(|g| g.nonce.as_deref()) {
        c.insert("nonce".into(), nonce.into());
    }
    if let Some(custom) = input.customization {
        customize::apply(&mut c, &custom.id, custom.groups.as_deref());
    }
    Value::Object(c)
}

/// `at_hash` (OpenID Connect Core §3.1.3.6): the left half of the SHA-256 of the access
/// token, base64url.
pub fn at_hash(access_token: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16])
}

/// The access token's claims (§5.3): `client_id` and never `aud` (pycognito refuses an
/// access token with an audience).
pub fn access_token_claims(input: &ClaimsInput<'_>, jti: &str) -> Value {
    let validity = input.client.settings.access_token_validity.seconds();
    let mut c = common(input, "access", jti, validity);
    c.insert("client_id".into(), input.client.client_id.clone().into());
    // Tokens for the OAuth endpoints carry their granted scopes (§15.9), API ones the
    // self-service scope.
    let base_scope = match input.proof.oauth() {
        Some(grant) => {
            c.insert("version".into(), 2.into());
            grant.scope()
        }
        None => API_SCOPE.to_string(),
    };
    c.insert("scope".into(), base_scope.clone().into());
    c.insert("username".into(), input.user.username.clone().into());
    if let Some(device) = input.proof.device_key() {
        c.insert("device_key".into(), device.into());
    }
    if let Some(custom) = input.customization {
        customize::apply(&mut c, &custom.access, custom.groups.as_deref());
        c.insert(
            "scope".into(),
            customize::scopes(&base_scope, custom).into(),
        );
    }
    Value::Object(c)
}

/// A signed ID and access token pair.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedTokens {
    /// The ID token.
    pub id_token: String,
    /// The access token.
    pub access_token: String,
    /// `ExpiresIn`: the access token's lifetime in seconds.
    pub expires_in: i64,
}

impl std::fmt::Debug for SignedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedTokens")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// Signs the ID token (with the ID key) and the access token (with the access key).
pub fn sign(
    keys: &SigningKeys,
    rng: &dyn Rng,
    input: &ClaimsInput<'_>,
) -> Result<SignedTokens, AuthError> {
    let mut id = id_token_claims(input, &crate::ids::new_uuid(rng));
    let access = access_token_claims(input, &crate::ids::new_uuid(rng));
    let access_token = keys.access.sign_jwt(&access).map_err(AuthError::internal)?;
    if input.proof.oauth().is_some() {
        if let Value::Object(claims) = &mut id {
            claims.insert("at_hash".into(), at_hash(&access_token).into());
        }
    }
    Ok(SignedTokens {
        id_token: keys.id.sign_jwt(&id).map_err(AuthError::internal)?,
        access_token,
        expires_in: input.client.settings.access_token_validity.seconds(),
    })
}

/// A new opaque refresh token: 48 random bytes, base64url without padding
/// (`[A-Za-z0-9_-]`, 64 characters).
pub fn new_refresh_token(rng: &dyn Rng) -> String {
    crate::ids::new_opaque_token(rng, REFRESH_TOKEN_BYTES)
}

/// The keyed hash a refresh token is stored and looked up by.
pub fn refresh_token_hash(keys: &KeyRing, token: &str) -> Vec<u8> {
    keys.code_hash("refresh", token)
}

/// The error for a refresh token that is unknown or malformed.
pub fn invalid_refresh_token() -> AuthError {
    AuthError::NotAuthorized("Invalid Refresh Token.".into())
}

/// Checks a stored refresh token for use by `client_id` at `now`, and turns it into the
/// proof tokens are minted from. The caller has checked the user (exists, enabled).
pub fn refresh_proof(
    row: &RefreshTokenRow,
    client_id: &str,
    username: &str,
    now: Millis,
) -> Result<Authenticated, AuthError> {
    if row.client_id != client_id {
        return Err(invalid_refresh_token());
    }
    if row.revoked {
        return Err(AuthError::NotAuthorized(
            "Refresh Token has been revoked".into(),
        ));
    }
    if now >= row.expires_at {
        return Err(AuthError::NotAuthorized("Refresh Token has expired".into()));
    }
    if row.rotated_until.is_some_and(|until| now >= until) {
        return Err(AuthError::RefreshTokenReuse(
            "The refresh token was replaced by rotation and can no longer be used.".into(),
        ));
    }
    Ok(Authenticated::refreshed(row, username))
}

#[cfg(test)]
mod tests;
