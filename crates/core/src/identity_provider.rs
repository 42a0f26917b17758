//! Identity providers of a pool (SAML, OIDC, and the social providers Google, Facebook,
//! Login with Amazon and Sign in with Apple), checked as Cognito checks them at
//! `CreateIdentityProvider` / `UpdateIdentityProvider`, and the links
//! (`AdminLinkProviderForUser`) that let an identity at a provider sign in as an existing
//! user.
//!
//! Keystep stores and describes every type, SAML included, but signs nobody in through
//! them yet: the federation endpoints (`/oauth2/idpresponse`, `/saml2/idpresponse`) are
//! a later piece, which will reuse the endpoint constants and the link lookup defined
//! here. Where Cognito's rules are not documented (protocol notes §15.11 mark them
//! UNCONFIRMED) the choice is written on the function that makes it.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::AuthError;
use crate::pool::UserPool;
use crate::time::Millis;

/// The most identity providers one pool has.
pub const MAX_PROVIDERS_PER_POOL: u32 = 300;
/// The most identities at providers linked to one user (Cognito's documented five).
pub const MAX_LINKS_PER_USER: u32 = 5;
/// The most `IdpIdentifiers` one provider has.
pub const MAX_IDENTIFIERS: usize = 50;
/// The `ProviderName` that stands for the pool's own users in `AdminLinkProviderForUser`.
pub const COGNITO: &str = "Cognito";
/// The `ProviderAttributeName` that means "the subject at the provider".
pub const COGNITO_SUBJECT: &str = "Cognito_Subject";

/// Google's endpoints (what Describe shows for a `Google` provider).
pub mod google {
    /// Authorization endpoint.
    pub const AUTHORIZE_URL: &str = "https://accounts.google.com/o/oauth2/v2/auth";
    /// Token endpoint.
    pub const TOKEN_URL: &str = "https://www.googleapis.com/oauth2/v4/token";
    /// Profile endpoint (the mapped fields are appended).
    pub const ATTRIBUTES_URL: &str = "https://people.googleapis.com/v1/people/me?personFields=";
    /// ID-token issuer.
    pub const ISSUER: &str = "https://accounts.google.com";
}

/// Facebook's endpoints; `{v}` is the Graph API version (`api_version`, else
/// [`facebook::DEFAULT_API_VERSION`]).
pub mod facebook {
    /// The Graph API version used when `api_version` is not set.
    pub const DEFAULT_API_VERSION: &str = "v17.0";
    /// Authorization endpoint.
    pub fn authorize_url(v: &str) -> String {
        format!("https://www.facebook.com/{v}/dialog/oauth")
    }
    /// Token endpoint.
    pub fn token_url(v: &str) -> String {
        format!("https://graph.facebook.com/{v}/oauth/access_token")
    }
    /// Profile endpoint (the mapped fields are appended).
    pub fn attributes_url(v: &str) -> String {
        format!("https://graph.facebook.com/{v}/me?fields=")
    }
}

/// Login with Amazon's endpoints.
pub mod amazon {
    /// Authorization endpoint.
    pub const AUTHORIZE_URL: &str = "https://www.amazon.com/ap/oa";
    /// Token endpoint.
    pub const TOKEN_URL: &str = "https://api.amazon.com/auth/o2/token";
    /// Profile endpoint.
    pub const ATTRIBUTES_URL: &str = "https://api.amazon.com/user/profile";
}

/// Sign in with Apple's endpoints.
pub mod apple {
    /// Authorization endpoint.
    pub const AUTHORIZE_URL: &str = "https://appleid.apple.com/auth/authorize";
    /// Token endpoint.
    pub const TOKEN_URL: &str = "https://appleid.apple.com/auth/token";
    /// ID-token issuer.
    pub const ISSUER: &str = "https://appleid.apple.com";
}

/// `ProviderType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderType {
    /// `SAML`.
    Saml,
    /// `Facebook`.
    Facebook,
    /// `Google`.
    Google,
    /// `LoginWithAmazon`.
    LoginWithAmazon,
    /// `SignInWithApple`.
    SignInWithApple,
    /// `OIDC`.
    Oidc,
}

const ALL_TYPES: [ProviderType; 6] = [
    ProviderType::Saml,
    ProviderType::Facebook,
    ProviderType::Google,
    ProviderType::LoginWithAmazon,
    ProviderType::SignInWithApple,
    ProviderType::Oidc,
];

impl ProviderType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderType::Saml => "SAML",
            ProviderType::Facebook => "Facebook",
            ProviderType::Google => "Google",
            ProviderType::LoginWithAmazon => "LoginWithAmazon",
            ProviderType::SignInWithApple => "SignInWithApple",
            ProviderType::Oidc => "OIDC",
        }
    }

    /// The type a wire name names.
    pub fn parse(s: &str) -> Option<ProviderType> {
        ALL_TYPES.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether it is one of the social providers, whose name is their type's.
    pub fn is_social(self) -> bool {
        !matches!(self, ProviderType::Saml | ProviderType::Oidc)
    }

    /// The claim that identifies a user at this provider (Google `sub`, Facebook `id`,
    /// Login with Amazon `user_id` as Cognito documents; Apple and OIDC `sub`), mapped to
    /// `username` when the mapping does not say otherwise. SAML has none: the subject is
    /// the assertion's `NameID`.
    pub fn subject_claim(self) -> Option<&'static str> {
        match self {
            ProviderType::Saml => None,
            ProviderType::Facebook => Some("id"),
            ProviderType::LoginWithAmazon => Some("user_id"),
            ProviderType::Google | ProviderType::SignInWithApple | ProviderType::Oidc => {
                Some("sub")
            }
        }
    }
}

/// `ProviderDetails`: the provider's settings. `Debug` hides the values of the secret
/// keys (`client_secret`, `private_key`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProviderDetails(pub BTreeMap<String, String>);

/// The `ProviderDetails` keys whose values are secrets: sealed at rest, hidden in `Debug`.
pub const SECRET_KEYS: [&str; 2] = ["client_secret", "private_key"];

impl fmt::Debug for ProviderDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.0 {
            if SECRET_KEYS.contains(&k.as_str()) {
                m.entry(k, &"<redacted>");
            } else {
                m.entry(k, v);
            }
        }
        m.finish()
    }
}

impl ProviderDetails {
    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

/// An identity provider of a pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityProvider {
    /// The pool.
    pub pool_id: String,
    /// `ProviderName`, unique in the pool.
    pub name: String,
    /// `ProviderType`.
    pub provider_type: ProviderType,
    /// `ProviderDetails` as given (checked; the keys Describe derives are not stored).
    pub details: ProviderDetails,
    /// `AttributeMapping`: pool attribute -> provider claim.
    pub attribute_mapping: BTreeMap<String, String>,
    /// `IdpIdentifiers`, unique across the pool's providers, in the order given.
    pub idp_identifiers: Vec<String>,
    /// `AcrMapping`.
    pub acr_mapping: BTreeMap<String, String>,
    /// `CreationDate`.
    pub created_at: Millis,
    /// `LastModifiedDate`.
    pub modified_at: Millis,
}

/// An identity at a provider linked to a user of the pool (`AdminLinkProviderForUser`):
/// when that identity signs in, it signs in as the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderLink {
    /// The pool.
    pub pool_id: String,
    /// The identity provider's name.
    pub provider_name: String,
    /// The attribute that identifies the identity (`Cognito_Subject` or, for SAML and
    /// OIDC, a mapped claim).
    pub attribute_name: String,
    /// Its value: the subject at the provider.
    pub subject: String,
    /// The linked user's `sub`.
    pub sub: String,
    /// When the link was made.
    pub created_at: Millis,
}

/// The username Cognito gives a federated user: `<ProviderName>_<subject>` (protocol
/// notes §15.10).
pub fn federated_username(provider_name: &str, subject: &str) -> String {
    format!("{provider_name}_{subject}")
}

fn invalid(member: &str, rule: &str) -> AuthError {
    AuthError::InvalidParameter(format!(
        "1 validation error detected: Value at '{member}' failed to satisfy constraint: {rule}"
    ))
}

/// Checks `ProviderType` against the model's enum.
pub fn parse_type(s: &str) -> Result<ProviderType, AuthError> {
    ProviderType::parse(s).ok_or_else(|| {
        AuthError::InvalidParameter(format!(
            "1 validation error detected: Value '{}' at 'providerType' failed to satisfy constraint: Member must satisfy enum value set: [SAML, Facebook, Google, LoginWithAmazon, SignInWithApple, OIDC]",
            s.chars().take(64).collect::<String>()
        ))
    })
}

/// Checks `ProviderName` against the model (`ProviderNameTypeV2`: 1–32 characters of
/// `[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+`, so at least three, neither the first
/// nor the last an underscore or a space) and against the type. `\p{Z}` is read as Rust's
/// white space and the middle class as "not white space, not a control character".
///
/// A social provider must be named after its type (Cognito's console and API do this;
/// **UNCONFIRMED** as an API rule), and no other provider may take a social type's name
/// or `Cognito`/`COGNITO` (which app clients and `AdminLinkProviderForUser` use for the
/// pool's own users) — Keystep's choice, so that a name always says what it is.
pub fn check_name(name: &str, provider_type: ProviderType) -> Result<(), AuthError> {
    let chars: Vec<char> = name.chars().collect();
    let edge_ok = |c: &char| *c != '_' && !c.is_whitespace();
    let pattern_ok = chars.len() >= 3
        && chars.first().is_some_and(edge_ok)
        && chars
            .get(1)
            .is_some_and(|c| !c.is_whitespace() && !c.is_control())
        && chars[2..].iter().all(edge_ok);
    if chars.len() > 32 || !pattern_ok {
        return Err(invalid(
            "providerName",
            "Member must have length between 1 and 32 and satisfy regular expression pattern: [^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+",
        ));
    }
    if provider_type.is_social() {
        if name != provider_type.as_str() {
            return Err(AuthError::InvalidParameter(format!(
                "A provider of type {0} must be named {0}.",
                provider_type.as_str()
            )));
        }
        return Ok(());
    }
    let reserved = name.eq_ignore_ascii_case(COGNITO)
        || ALL_TYPES
            .iter()
            .any(|t| t.is_social() && name.eq_ignore_ascii_case(t.as_str()));
    if reserved {
        return Err(AuthError::InvalidParameter(format!(
            "The provider name {name} is reserved."
        )));
    }
    Ok(())
}

/// Keys Describe adds to what was stored. A client that sends Describe's map back on
/// Update (read-modify-write) may include them; they are dropped, not refused.
const DERIVED_KEYS: [&str; 9] = [
    "attributes_url_add_attributes",
    "token_request_method",
    "SSORedirectBindingURI",
    "SLORedirectBindingURI",
    "ActiveEncryptionCertificate",
    // For social providers only: their endpoints are fixed.
    "authorize_url",
    "token_url",
    "attributes_url",
    "oidc_issuer",
];

/// Whether `url` is an absolute HTTPS URL, or plain HTTP to `localhost`/`127.0.0.1`
/// (so tests can run a provider on the machine).
fn is_provider_url(url: &str) -> bool {
    if url.chars().count() > 2048 || url.chars().any(char::is_whitespace) || url.contains('#') {
        return false;
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority.split(':').next().unwrap_or_default();
    if host.is_empty() || authority.contains('@') {
        return false;
    }
    match scheme {
        "https" => true,
        "http" => host == "localhost" || host == "127.0.0.1",
        _ => false,
    }
}

fn details_error(message: String) -> AuthError {
    AuthError::InvalidParameter(message)
}

/// Checks `ProviderDetails` for the type and returns what is stored: the given keys,
/// without those Describe derives.
///
/// Required keys (Cognito does not document which are mandatory, protocol notes §15.11;
/// these follow its console and the notes' suggestion):
/// - OIDC: `client_id`, `authorize_scopes` (containing `openid`), `oidc_issuer` (HTTPS,
///   or HTTP to localhost), `attributes_request_method` (`GET` | `POST`); optional
///   `client_secret`, and `authorize_url`, `token_url`, `attributes_url`, `jwks_uri`
///   (same URL rule). Keystep does not fetch the issuer's discovery document here.
/// - Google, Facebook, Login with Amazon: `client_id`, `client_secret`,
///   `authorize_scopes`; Facebook may add `api_version` (`v<major>.<minor>`).
/// - Sign in with Apple: `client_id`, `team_id`, `key_id`, `private_key`; optional
///   `authorize_scopes`.
/// - SAML: exactly one of `MetadataURL` (HTTPS) and `MetadataFile`; optional
///   `IDPSignout`, `IDPInit`, `EncryptedResponses` (`true` | `false`) and
///   `RequestSigningAlgorithm` (`rsa-sha256`). The metadata is stored, not parsed.
///
/// Any other key is refused, so that a misspelt key fails loudly.
pub fn check_details(
    provider_type: ProviderType,
    given: &BTreeMap<String, String>,
) -> Result<ProviderDetails, AuthError> {
    let social = provider_type.is_social();
    let mut kept = BTreeMap::new();
    for (k, v) in given {
        let derived = DERIVED_KEYS[..5].contains(&k.as_str())
            || (social && DERIVED_KEYS[5..].contains(&k.as_str()));
        if !derived {
            kept.insert(k.clone(), v.clone());
        }
    }
    let (required, optional): (&[&str], &[&str]) = match provider_type {
        ProviderType::Oidc => (
            &[
                "client_id",
                "authorize_scopes",
                "oidc_issuer",
                "attributes_request_method",
            ],
            &[
                "client_secret",
                "authorize_url",
                "token_url",
                "attributes_url",
                "jwks_uri",
            ],
        ),
        ProviderType::Google | ProviderType::LoginWithAmazon => {
            (&["client_id", "client_secret", "authorize_scopes"], &[])
        }
        ProviderType::Facebook => (
            &["client_id", "client_secret", "authorize_scopes"],
            &["api_version"],
        ),
        ProviderType::SignInWithApple => (
            &["client_id", "team_id", "key_id", "private_key"],
            &["authorize_scopes"],
        ),
        ProviderType::Saml => (
            &[],
            &[
                "MetadataURL",
                "MetadataFile",
                "IDPSignout",
                "IDPInit",
                "EncryptedResponses",
                "RequestSigningAlgorithm",
            ],
        ),
    };
    for key in required {
        if kept.get(*key).is_none_or(|v| v.trim().is_empty()) {
            return Err(details_error(format!(
                "{key} is required in ProviderDetails for a {} provider.",
                provider_type.as_str()
            )));
        }
    }
    for key in kept.keys() {
        if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
            return Err(details_error(format!(
                "{} is not a valid ProviderDetails key for a {} provider.",
                key.chars().take(64).collect::<String>(),
                provider_type.as_str()
            )));
        }
    }
    let get = |k: &str| kept.get(k).map(String::as_str);
    match provider_type {
        ProviderType::Oidc => {
            let scopes = get("authorize_scopes").unwrap_or_default();
            if !scopes.split_whitespace().any(|s| s == "openid") {
                return Err(details_error(
                    "authorize_scopes of an OIDC provider must include openid.".into(),
                ));
            }
            if !matches!(get("attributes_request_method"), Some("GET" | "POST")) {
                return Err(details_error(
                    "attributes_request_method must be GET or POST.".into(),
                ));
            }
            for key in [
                "oidc_issuer",
                "authorize_url",
                "token_url",
                "attributes_url",
                "jwks_uri",
            ] {
                if let Some(url) = get(key) {
                    if !is_provider_url(url) {
                        return Err(details_error(format!(
                            "{key} must be an HTTPS URL (HTTP is accepted for localhost only)."
                        )));
                    }
                }
            }
        }
        ProviderType::Facebook => {
            if let Some(v) = get("api_version") {
                let ok = v
                    .strip_prefix('v')
                    .and_then(|n| n.split_once('.'))
                    .is_some_and(|(a, b)| {
                        !a.is_empty()
                            && !b.is_empty()
                            && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
                    });
                if !ok {
                    return Err(details_error("api_version must look like v17.0.".into()));
                }
            }
        }
        ProviderType::Saml => {
            match (get("MetadataURL"), get("MetadataFile")) {
                (Some(url), None) if is_provider_url(url) => {}
                (None, Some(file)) if !file.trim().is_empty() => {}
                _ => {
                    return Err(details_error(
                        "A SAML provider needs exactly one of MetadataURL (an HTTPS URL) and MetadataFile.".into(),
                    ))
                }
            }
            for key in ["IDPSignout", "IDPInit", "EncryptedResponses"] {
                if !matches!(get(key), None | Some("true" | "false")) {
                    return Err(details_error(format!("{key} must be true or false.")));
                }
            }
            if !matches!(get("RequestSigningAlgorithm"), None | Some("rsa-sha256")) {
                return Err(details_error(
                    "RequestSigningAlgorithm must be rsa-sha256.".into(),
                ));
            }
        }
        ProviderType::Google | ProviderType::LoginWithAmazon | ProviderType::SignInWithApple => {}
    }
    Ok(ProviderDetails(kept))
}

/// Checks `AttributeMapping` (keys 1–32 characters naming an attribute of the pool, or
/// `username`; values at most 131072 characters, as the model has it) and returns it with
/// `username` mapped to the provider's subject claim when the caller did not map it
/// (how Cognito describes the social and OIDC providers it creates; **UNCONFIRMED** for
/// OIDC).
pub fn check_attribute_mapping(
    pool: &UserPool,
    provider_type: ProviderType,
    mapping: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, AuthError> {
    for (key, value) in mapping {
        if !(1..=32).contains(&key.chars().count()) {
            return Err(invalid(
                "attributeMapping",
                "Map keys must have length between 1 and 32",
            ));
        }
        if value.chars().count() > 131_072 {
            return Err(invalid(
                "attributeMapping",
                "Map values must have length less than or equal to 131072",
            ));
        }
        if key != "username" && pool.attribute(key).is_none() {
            return Err(AuthError::InvalidParameter(format!(
                "The attribute {key} in AttributeMapping is not an attribute of the user pool."
            )));
        }
    }
    let mut out = mapping.clone();
    if let Some(claim) = provider_type.subject_claim() {
        out.entry("username".to_string())
            .or_insert_with(|| claim.to_string());
    }
    Ok(out)
}

/// Checks `IdpIdentifiers`: at most 50, each 1–40 characters of `[\w\s+=.@-]`, none
/// twice (uniqueness across the pool's providers is the store's, atomically).
pub fn check_identifiers(ids: &[String]) -> Result<(), AuthError> {
    if ids.len() > MAX_IDENTIFIERS {
        return Err(invalid(
            "idpIdentifiers",
            "Member must have length less than or equal to 50",
        ));
    }
    let ok_char = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_+=.@-".contains(c);
    for (i, id) in ids.iter().enumerate() {
        if !(1..=40).contains(&id.chars().count()) || !id.chars().all(ok_char) {
            return Err(invalid(
                "idpIdentifiers.member",
                "Member must have length between 1 and 40 and satisfy regular expression pattern: [\\w\\s+=.@-]+",
            ));
        }
        if ids[..i].contains(id) {
            return Err(AuthError::InvalidParameter(format!(
                "The IdpIdentifier {id} is given more than once."
            )));
        }
    }
    Ok(())
}

/// Checks `AcrMapping`: at most 4 entries, keys `Level1`..`Level4`, values 1–64
/// printable characters without space, `"` or `\`.
pub fn check_acr_mapping(map: &BTreeMap<String, String>) -> Result<(), AuthError> {
    if map.len() > 4 {
        return Err(invalid(
            "acrMapping",
            "Member must have length less than or equal to 4",
        ));
    }
    for (k, v) in map {
        if !matches!(k.as_str(), "Level1" | "Level2" | "Level3" | "Level4") {
            return Err(invalid(
                "acrMapping",
                "Map keys must satisfy regular expression pattern: Level[1-4]",
            ));
        }
        let printable = |c: char| ('\u{21}'..='\u{7e}').contains(&c) && c != '"' && c != '\\';
        if !(1..=64).contains(&v.chars().count()) || !v.chars().all(printable) {
            return Err(invalid(
                "acrMapping",
                "Map values must have length between 1 and 64 and satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+",
            ));
        }
    }
    Ok(())
}

/// `ProviderDetails` as Describe shows them: what was stored, plus what Cognito derives.
/// OIDC gains `attributes_url_add_attributes: "false"`; a social provider gains its
/// published endpoints, `token_request_method` and, where it has one, `oidc_issuer`
/// (the `attributes_url_add_attributes` values of the social providers are as
/// Cognito-created providers show them in Terraform state: **UNCONFIRMED**). SAML shows
/// what was stored: the metadata is not parsed, so no binding URIs are derived.
pub fn described_details(idp: &IdentityProvider) -> BTreeMap<String, String> {
    let mut out = idp.details.0.clone();
    let mut put = |k: &str, v: String| {
        out.insert(k.to_string(), v);
    };
    match idp.provider_type {
        ProviderType::Oidc => put("attributes_url_add_attributes", "false".into()),
        ProviderType::Google => {
            put("authorize_url", google::AUTHORIZE_URL.into());
            put("token_url", google::TOKEN_URL.into());
            put("attributes_url", google::ATTRIBUTES_URL.into());
            put("attributes_url_add_attributes", "true".into());
            put("token_request_method", "POST".into());
            put("oidc_issuer", google::ISSUER.into());
        }
        ProviderType::Facebook => {
            let v = idp
                .details
                .get("api_version")
                .unwrap_or(facebook::DEFAULT_API_VERSION)
                .to_string();
            put("authorize_url", facebook::authorize_url(&v));
            put("token_url", facebook::token_url(&v));
            put("attributes_url", facebook::attributes_url(&v));
            put("attributes_url_add_attributes", "true".into());
            put("token_request_method", "GET".into());
        }
        ProviderType::LoginWithAmazon => {
            put("authorize_url", amazon::AUTHORIZE_URL.into());
            put("token_url", amazon::TOKEN_URL.into());
            put("attributes_url", amazon::ATTRIBUTES_URL.into());
            put("attributes_url_add_attributes", "false".into());
            put("token_request_method", "POST".into());
        }
        ProviderType::SignInWithApple => {
            put("authorize_url", apple::AUTHORIZE_URL.into());
            put("token_url", apple::TOKEN_URL.into());
            put("attributes_url_add_attributes", "false".into());
            put("token_request_method", "POST".into());
            put("oidc_issuer", apple::ISSUER.into());
        }
        ProviderType::Saml => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn oidc() -> BTreeMap<String, String> {
        map(&[
            ("client_id", "abc"),
            ("client_secret", "shh"),
            ("authorize_scopes", "openid email"),
            ("oidc_issuer", "https://issuer.example.com"),
            ("attributes_request_method", "GET"),
        ])
    }

    #[test]
    fn names_follow_the_model_and_the_type() {
        assert!(check_name("MyOidc", ProviderType::Oidc).is_ok());
        assert!(check_name("a-b", ProviderType::Saml).is_ok());
        for bad in [
            "ab",
            "_abc",
            "abc_",
            " abc",
            "abc ",
            "a\u{1}c",
            &"x".repeat(33),
        ] {
            assert!(check_name(bad, ProviderType::Oidc).is_err(), "{bad:?}");
        }
        assert!(check_name("Google", ProviderType::Google).is_ok());
        assert!(check_name("MyGoogle", ProviderType::Google).is_err());
        assert!(check_name("google", ProviderType::Oidc).is_err());
        assert!(check_name("COGNITO", ProviderType::Saml).is_err());
    }

    #[test]
    fn oidc_details_are_checked() {
        let ok = check_details(ProviderType::Oidc, &oidc()).unwrap();
        assert_eq!(ok.get("client_id"), Some("abc"));
        let mut d = oidc();
        d.insert("authorize_scopes".into(), "email profile".into());
        assert!(check_details(ProviderType::Oidc, &d).is_err());
        let mut d = oidc();
        d.insert("attributes_request_method".into(), "PUT".into());
        assert!(check_details(ProviderType::Oidc, &d).is_err());
        let mut d = oidc();
        d.insert("oidc_issuer".into(), "http://issuer.example.com".into());
        assert!(check_details(ProviderType::Oidc, &d).is_err());
        d.insert("oidc_issuer".into(), "http://127.0.0.1:8080/realm".into());
        assert!(check_details(ProviderType::Oidc, &d).is_ok());
        let mut d = oidc();
        d.remove("client_id");
        assert!(check_details(ProviderType::Oidc, &d).is_err());
        let mut d = oidc();
        d.insert("clientid".into(), "typo".into());
        assert!(check_details(ProviderType::Oidc, &d).is_err());
        // Describe's own key, sent back, is dropped rather than refused.
        let mut d = oidc();
        d.insert("attributes_url_add_attributes".into(), "false".into());
        let kept = check_details(ProviderType::Oidc, &d).unwrap();
        assert_eq!(kept.get("attributes_url_add_attributes"), None);
    }

    #[test]
    fn social_and_saml_details_are_checked() {
        let google = map(&[
            ("client_id", "id"),
            ("client_secret", "s"),
            ("authorize_scopes", "profile email openid"),
        ]);
        assert!(check_details(ProviderType::Google, &google).is_ok());
        let mut echoed = google.clone();
        echoed.insert("authorize_url".into(), google::AUTHORIZE_URL.into());
        assert_eq!(
            check_details(ProviderType::Google, &echoed).unwrap().0,
            google
        );
        let mut no_secret = google.clone();
        no_secret.remove("client_secret");
        assert!(check_details(ProviderType::Google, &no_secret).is_err());
        let mut fb = google.clone();
        fb.insert("api_version".into(), "v18.0".into());
        assert!(check_details(ProviderType::Facebook, &fb).is_ok());
        fb.insert("api_version".into(), "18".into());
        assert!(check_details(ProviderType::Facebook, &fb).is_err());
        let apple = map(&[
            ("client_id", "id"),
            ("team_id", "T"),
            ("key_id", "K"),
            ("private_key", "-----BEGIN PRIVATE KEY-----"),
        ]);
        assert!(check_details(ProviderType::SignInWithApple, &apple).is_ok());
        let saml = map(&[("MetadataURL", "https://idp.example.com/metadata")]);
        assert!(check_details(ProviderType::Saml, &saml).is_ok());
        assert!(check_details(ProviderType::Saml, &map(&[])).is_err());
        let both = map(&[
            ("MetadataURL", "https://idp.example.com/metadata"),
            ("MetadataFile", "<xml/>"),
        ]);
        assert!(check_details(ProviderType::Saml, &both).is_err());
    }

    #[test]
    fn debug_redacts_secrets() {
        let d = check_details(ProviderType::Oidc, &oidc()).unwrap();
        let shown = format!("{d:?}");
        assert!(shown.contains("client_secret") && !shown.contains("shh"));
        assert!(shown.contains("abc"));
    }

    #[test]
    fn identifiers_and_acr() {
        assert!(check_identifiers(&["example.com".into(), "corp user".into()]).is_ok());
        assert!(check_identifiers(&["bad/slash".into()]).is_err());
        assert!(check_identifiers(&["".into()]).is_err());
        assert!(check_identifiers(&["a".into(), "a".into()]).is_err());
        let many: Vec<String> = (0..51).map(|i| format!("id{i}")).collect();
        assert!(check_identifiers(&many).is_err());
        assert!(check_acr_mapping(&map(&[("Level1", "urn:acr:1")])).is_ok());
        assert!(check_acr_mapping(&map(&[("Level5", "x")])).is_err());
        assert!(check_acr_mapping(&map(&[("Level1", "has space")])).is_err());
    }

    #[test]
    fn describe_fills_social_endpoints() {
        let idp = IdentityProvider {
            pool_id: "p".into(),
            name: "Facebook".into(),
            provider_type: ProviderType::Facebook,
            details: ProviderDetails(map(&[("client_id", "i"), ("api_version", "v19.0")])),
            attribute_mapping: BTreeMap::new(),
            idp_identifiers: vec![],
            acr_mapping: BTreeMap::new(),
            created_at: Millis(0),
            modified_at: Millis(0),
        };
        let d = described_details(&idp);
        assert_eq!(
            d.get("authorize_url").map(String::as_str),
            Some("https://www.facebook.com/v19.0/dialog/oauth")
        );
        assert_eq!(
            d.get("token_request_method").map(String::as_str),
            Some("GET")
        );
    }
}
