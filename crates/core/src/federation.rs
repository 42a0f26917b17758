//! Sign-in through an identity provider (pure parts): where its endpoints are, how it
//! proves who signed in (an OpenID Connect ID token, or Facebook's and Login with
//! Amazon's profile), what travels through it in `state`, checking the ID token, and
//! turning its claims into the federated user's attributes.

use std::collections::BTreeMap;

use aws_lc_rs::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::identity_provider::{IdentityProvider, ProviderType};
use crate::oauth::authorize::Authorization;
use crate::Millis;

/// How long a browser may take at the identity provider (Cognito: 5 minutes).
pub const FEDERATION_SECS: i64 = 300;

/// Why a federated sign-in failed; the app gets `invalid_request` with this text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FederationError {
    /// The provider's configuration or discovery document lacks something.
    #[error("The identity provider is not configured well enough: {0}")]
    Configuration(String),
    /// The provider could not be reached or answered an error.
    #[error("The identity provider did not answer: {0}")]
    Upstream(String),
    /// What came back does not check out.
    #[error("The identity provider's answer was refused: {0}")]
    Refused(String),
    /// This kind of provider is not built.
    #[error("Sign-in through {0} identity providers is not supported by this server yet.")]
    Unsupported(&'static str),
}

/// The provider's endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamEndpoints {
    /// Where the browser signs in.
    pub authorize_url: String,
    /// Where the code is traded.
    pub token_url: String,
    /// How the provider says who signed in.
    pub proof: Proof,
}

/// How a provider says who signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// OpenID Connect: an ID token from `issuer`, signed with one of `jwks_uri`'s keys;
    /// userInfo, when there is one, adds claims about the same subject.
    IdToken {
        /// The issuer its ID tokens name.
        issuer: String,
        /// Its signing keys.
        jwks_uri: String,
        /// Its userInfo endpoint, if any.
        userinfo_url: Option<String>,
    },
    /// OAuth 2.0 without OpenID Connect (Facebook, Login with Amazon): the profile this
    /// URL answers, over TLS, to the access token the code was traded for with the
    /// client secret. The code is bound to Keystep's client, so the profile is the
    /// signed-in user's.
    Profile {
        /// The profile endpoint, with the fields to ask for.
        profile_url: String,
    },
}

impl Proof {
    /// Whether the provider is asked for a `nonce` (only OpenID Connect returns it).
    pub fn uses_nonce(&self) -> bool {
        matches!(self, Proof::IdToken { .. })
    }
}

/// Whether the provider's details name every endpoint, so no discovery is needed.
pub fn needs_discovery(idp: &IdentityProvider) -> bool {
    if !matches!(
        idp.provider_type,
        ProviderType::Oidc | ProviderType::Google | ProviderType::SignInWithApple
    ) {
        return false;
    }
    let details = crate::identity_provider::described_details(idp);
    ["authorize_url", "token_url", "jwks_uri"]
        .iter()
        .any(|k| !details.contains_key(*k))
}

/// The discovery document's URL for an issuer.
pub fn discovery_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )
}

/// The endpoints: those the details name, else the discovery document's.
pub fn endpoints(
    idp: &IdentityProvider,
    discovered: Option<&Value>,
) -> Result<UpstreamEndpoints, FederationError> {
    // Social providers' published endpoints fill in what their details leave out.
    let details = crate::identity_provider::described_details(idp);
    match idp.provider_type {
        ProviderType::Saml => return Err(FederationError::Unsupported("SAML")),
        ProviderType::Facebook | ProviderType::LoginWithAmazon => {
            let named = |key: &str| {
                details
                    .get(key)
                    .cloned()
                    .ok_or_else(|| FederationError::Configuration(format!("no {key}")))
            };
            return Ok(UpstreamEndpoints {
                authorize_url: named("authorize_url")?,
                token_url: named("token_url")?,
                proof: Proof::Profile {
                    profile_url: profile_url(idp, &named("attributes_url")?),
                },
            });
        }
        ProviderType::Oidc | ProviderType::Google | ProviderType::SignInWithApple => {}
    }
    let from_discovery = |member: &str| {
        discovered
            .and_then(|d| d.get(member))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let pick = |detail: &str, member: &str| -> Option<String> {
        details
            .get(detail)
            .cloned()
            .or_else(|| from_discovery(member))
    };
    let required = |detail: &str, member: &str| {
        pick(detail, member).ok_or_else(|| FederationError::Configuration(format!("no {detail}")))
    };
    let issuer = required("oidc_issuer", "issuer")?;
    if let Some(d) = discovered {
        // A discovery document must be the issuer's own (OpenID Connect Discovery §4.3).
        let named = d.get("issuer").and_then(Value::as_str).unwrap_or_default();
        if named.trim_end_matches('/') != issuer.trim_end_matches('/') {
            return Err(FederationError::Refused(
                "the discovery document names another issuer".into(),
            ));
        }
    }
    Ok(UpstreamEndpoints {
        authorize_url: required("authorize_url", "authorization_endpoint")?,
        token_url: required("token_url", "token_endpoint")?,
        proof: Proof::IdToken {
            jwks_uri: required("jwks_uri", "jwks_uri")?,
            // OpenID Connect userInfo only: Google's described `attributes_url` is its
            // People API, which answers no `sub`.
            userinfo_url: idp
                .details
                .get("attributes_url")
                .map(str::to_string)
                .or_else(|| from_discovery("userinfo_endpoint")),
            issuer,
        },
    })
}

/// The profile URL of a provider without ID tokens. Facebook answers only the fields
/// asked for: its `id` and every claim `AttributeMapping` names are appended (Cognito's
/// `attributes_url_add_attributes`).
fn profile_url(idp: &IdentityProvider, attributes_url: &str) -> String {
    if idp.provider_type != ProviderType::Facebook {
        return attributes_url.to_string();
    }
    let mut fields = vec!["id"];
    for claim in idp.attribute_mapping.values() {
        let plain =
            !claim.is_empty() && claim.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain && !fields.contains(&claim.as_str()) {
            fields.push(claim);
        }
    }
    format!("{attributes_url}{}", fields.join(","))
}

/// Facebook's `appsecret_proof`: the access token's HMAC-SHA256 under the app secret,
/// in hex, which Graph API calls carry so that a stolen access token alone is useless.
pub fn facebook_appsecret_proof(app_secret: &str, access_token: &str) -> String {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, app_secret.as_bytes());
    let tag = aws_lc_rs::hmac::sign(&key, access_token.as_bytes());
    tag.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// What travels through the provider in `state`, sealed by the service.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FederationState {
    /// Single-use id.
    pub id: String,
    /// The app's authorization, completed when the provider sends the browser back.
    pub auth: Authorization,
    /// The provider's name.
    pub provider: String,
    /// The `nonce` sent to the provider.
    pub nonce: String,
    /// When the flow is abandoned.
    pub expires_at: Millis,
}

fn refused(why: &str) -> FederationError {
    FederationError::Refused(why.to_string())
}

/// Checks an ID token from the provider: RS256 with one of `jwks`' keys, its issuer, that
/// it is for `audience`, unexpired at `now`, and carries `nonce`. Its claims.
pub fn verify_id_token(
    token: &str,
    jwks: &Value,
    issuer: &str,
    audience: &str,
    nonce: &str,
    now: Millis,
) -> Result<Map<String, Value>, FederationError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refused("the ID token is not a JWT"));
    };
    let decode = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| refused("bad base64url"))
    };
    let header: Value =
        serde_json::from_slice(&decode(header)?).map_err(|_| refused("bad JWT header"))?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(refused("the ID token is not RS256"));
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| refused("the provider publishes no keys"))?;
    let key = keys
        .iter()
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some("RSA"))
        .find(|k| kid.is_none() || k.get("kid").and_then(Value::as_str) == kid)
        .ok_or_else(|| refused("no key of the provider signed the ID token"))?;
    let component = |name: &str| {
        key.get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| refused("a key lacks n or e"))
            .and_then(decode)
    };
    let public = RsaPublicKeyComponents {
        n: component("n")?,
        e: component("e")?,
    };
    let signed = &token.as_bytes()[..header_len(token)];
    public
        .verify(&RSA_PKCS1_2048_8192_SHA256, signed, &decode(signature)?)
        .map_err(|_| refused("the ID token's signature does not verify"))?;
    let claims: Map<String, Value> =
        serde_json::from_slice(&decode(payload)?).map_err(|_| refused("bad JWT payload"))?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
    if text("iss").trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(refused("the ID token is from another issuer"));
    }
    let for_us = match claims.get("aud") {
        Some(Value::String(a)) => a == audience,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    };
    if !for_us {
        return Err(refused("the ID token is for another client"));
    }
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if now.as_secs() >= exp {
        return Err(refused("the ID token has expired"));
    }
    if !crate::keys::constant_time_eq(text("nonce").as_bytes(), nonce.as_bytes()) {
        return Err(refused("the ID token's nonce is not this sign-in's"));
    }
    if text("sub").is_empty() {
        return Err(refused("the ID token names no subject"));
    }
    Ok(claims)
}

/// The length of `header.payload`, the signed part of a JWT.
fn header_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(0)
}

fn claim_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        // Multi-valued claims are URL-form-encoded, as Cognito stores them.
        Value::Array(items) => {
            let mut out = url::form_urlencoded::Serializer::new(String::new());
            for item in items {
                if let Some(text) = claim_text(item) {
                    out.append_pair("value", &text);
                }
            }
            Some(out.finish())
        }
        _ => None,
    }
}

/// The pool attributes `AttributeMapping` (pool attribute → provider claim) gives from
/// the provider's claims. Claims the provider did not send leave attributes alone;
/// `username` names the subject claim and is no attribute.
pub fn mapped_attributes(
    mapping: &BTreeMap<String, String>,
    claims: &Map<String, Value>,
) -> Vec<(String, String)> {
    mapping
        .iter()
        .filter(|(attribute, _)| attribute.as_str() != "username")
        .filter_map(|(attribute, claim)| {
            claims
                .get(claim)
                .and_then(claim_text)
                .filter(|v| v.len() <= 2048)
                .map(|v| (attribute.clone(), v))
        })
        .collect()
}

/// The subject: the claim mapped to `username`, else the provider type's own.
pub fn subject(idp: &IdentityProvider, claims: &Map<String, Value>) -> Option<String> {
    let claim = idp
        .attribute_mapping
        .get("username")
        .map(String::as_str)
        .or(idp.provider_type.subject_claim())?;
    claims
        .get(claim)
        .and_then(claim_text)
        .filter(|s| !s.is_empty())
}

/// The `identities` attribute (a JSON array, as Cognito writes it into ID tokens).
pub fn identities(
    idp: &IdentityProvider,
    subject: &str,
    issuer: Option<&str>,
    created: Millis,
) -> String {
    serde_json::json!([{
        "userId": subject,
        "providerName": idp.name,
        "providerType": idp.provider_type.as_str(),
        "issuer": issuer,
        "primary": "true",
        "dateCreated": created.0.to_string(),
    }])
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_attributes_take_what_was_sent() {
        let mapping: BTreeMap<String, String> = [
            ("email", "email"),
            ("email_verified", "email_verified"),
            ("name", "name"),
            ("username", "sub"),
            ("custom:groups", "groups"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let claims = serde_json::json!({
            "sub": "abc", "email": "a@example.com", "email_verified": true,
            "groups": ["x", "y z"],
        });
        let Value::Object(claims) = claims else {
            panic!("object")
        };
        assert_eq!(
            mapped_attributes(&mapping, &claims),
            vec![
                ("custom:groups".to_string(), "value=x&value=y+z".to_string()),
                ("email".to_string(), "a@example.com".to_string()),
                ("email_verified".to_string(), "true".to_string()),
            ]
        );
    }

    fn provider(kind: ProviderType, details: &[(&str, &str)]) -> IdentityProvider {
        IdentityProvider {
            pool_id: "us-east-1_p".into(),
            name: kind.as_str().into(),
            provider_type: kind,
            details: crate::identity_provider::ProviderDetails(
                details
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            attribute_mapping: BTreeMap::new(),
            idp_identifiers: Vec::new(),
            acr_mapping: BTreeMap::new(),
            created_at: Millis(0),
            modified_at: Millis(0),
        }
    }

    #[test]
    fn endpoints_come_from_details_or_the_issuers_discovery() {
        let oidc = provider(
            ProviderType::Oidc,
            &[("oidc_issuer", "https://idp.example")],
        );
        assert!(needs_discovery(&oidc));
        let doc = serde_json::json!({
            "issuer": "https://idp.example",
            "authorization_endpoint": "https://idp.example/authorize",
            "token_endpoint": "https://idp.example/token",
            "jwks_uri": "https://idp.example/jwks",
            "userinfo_endpoint": "https://idp.example/userinfo",
        });
        let e = endpoints(&oidc, Some(&doc)).unwrap();
        assert_eq!(e.token_url, "https://idp.example/token");
        assert_eq!(
            e.proof,
            Proof::IdToken {
                issuer: "https://idp.example".into(),
                jwks_uri: "https://idp.example/jwks".into(),
                userinfo_url: Some("https://idp.example/userinfo".into()),
            }
        );
        // A document that names another issuer is not this provider's.
        let mut other = doc.clone();
        other["issuer"] = "https://evil.example".into();
        assert!(matches!(
            endpoints(&oidc, Some(&other)),
            Err(FederationError::Refused(_))
        ));
        // Google: its published endpoints, keys and userInfo from its discovery document.
        let google = provider(ProviderType::Google, &[("client_id", "c")]);
        let gdoc = serde_json::json!({
            "issuer": "https://accounts.google.com",
            "jwks_uri": "https://www.googleapis.com/oauth2/v3/certs",
            "userinfo_endpoint": "https://openidconnect.googleapis.com/v1/userinfo",
        });
        let g = endpoints(&google, Some(&gdoc)).unwrap();
        assert_eq!(
            g.authorize_url,
            "https://accounts.google.com/o/oauth2/v2/auth"
        );
        assert_eq!(
            g.proof,
            Proof::IdToken {
                issuer: "https://accounts.google.com".into(),
                jwks_uri: "https://www.googleapis.com/oauth2/v3/certs".into(),
                userinfo_url: Some("https://openidconnect.googleapis.com/v1/userinfo".into()),
            }
        );
        assert!(matches!(
            endpoints(&provider(ProviderType::Saml, &[]), None),
            Err(FederationError::Unsupported("SAML"))
        ));
    }

    #[test]
    fn facebook_and_amazon_prove_identity_with_their_profile() {
        let mut fb = provider(ProviderType::Facebook, &[("api_version", "v19.0")]);
        fb.attribute_mapping = [("email", "email"), ("name", "name"), ("x", "bad,field")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert!(!needs_discovery(&fb));
        let e = endpoints(&fb, None).unwrap();
        assert_eq!(
            e.authorize_url,
            "https://www.facebook.com/v19.0/dialog/oauth"
        );
        assert_eq!(
            e.token_url,
            "https://graph.facebook.com/v19.0/oauth/access_token"
        );
        // Only plain field names are asked for: a mapping cannot add Graph syntax.
        assert_eq!(
            e.proof,
            Proof::Profile {
                profile_url: "https://graph.facebook.com/v19.0/me?fields=id,email,name".into()
            }
        );
        assert!(!e.proof.uses_nonce());
        let amazon = endpoints(&provider(ProviderType::LoginWithAmazon, &[]), None).unwrap();
        assert_eq!(amazon.token_url, "https://api.amazon.com/auth/o2/token");
        assert_eq!(
            amazon.proof,
            Proof::Profile {
                profile_url: "https://api.amazon.com/user/profile".into()
            }
        );
    }

    #[test]
    fn appsecret_proof_is_hmac_sha256_in_hex() {
        // RFC 4231 test case 2: key "Jefe".
        assert_eq!(
            facebook_appsecret_proof("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn tokens_that_do_not_check_out_are_refused() {
        let jwks = serde_json::json!({"keys": []});
        for token in ["", "a.b", "a.b.c.d", "e30.e30.AA"] {
            assert!(verify_id_token(token, &jwks, "i", "a", "n", Millis(0)).is_err());
        }
    }
}
