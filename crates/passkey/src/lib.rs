//! Passkeys (WebAuthn) for Keystep, by `webauthn-rs`: the two ceremonies, each in two
//! halves — registration (`StartWebAuthnRegistration` / `CompleteWebAuthnRegistration`) and
//! assertion (the `WEB_AUTHN` sign-in challenge and its answer).
//!
//! Everything crosses this boundary as JSON: the options the browser gets (exactly the
//! `PublicKeyCredentialCreationOptions` / `...RequestOptions` objects Amplify passes to
//! `navigator.credentials`), the credential it sends back, the ceremony state the server
//! keeps (sealed) between the halves, and the stored passkey. Verification — challenge,
//! origin, RP id hash, user presence and verification, signature, COSE algorithm, sign
//! counter — is the library's; this crate only configures it and names its failures.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;
use url::Url;
use uuid::Uuid;
use webauthn_rs::prelude::{
    AuthenticationResult, CredentialID, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Webauthn, WebauthnBuilder, WebauthnError,
};

/// Why a ceremony failed, in the terms Cognito's errors use.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasskeyError {
    /// The relying-party id cannot be used (not a host name).
    #[error("the relying-party id is not usable: {0}")]
    Configuration(String),
    /// The credential answers another challenge than the one issued.
    #[error("the credential does not answer the challenge issued")]
    ChallengeMismatch,
    /// `clientDataJSON.origin` is not the relying party's host or a subdomain of it.
    #[error("the origin is not allowed for this relying party")]
    OriginNotAllowed,
    /// The authenticator data was made for another relying-party id.
    #[error("the credential is bound to another relying party")]
    RelyingPartyMismatch,
    /// The user was not present or not verified, as required.
    #[error("the authenticator did not verify the user")]
    UserNotVerified,
    /// The credential or its signature does not verify, or is malformed.
    #[error("the credential is not valid: {0}")]
    Invalid(String),
    /// The authenticator's algorithm or format is not supported.
    #[error("the authenticator is not supported: {0}")]
    NotSupported(String),
    /// The sign counter went backwards: the credential may have been cloned.
    #[error("the credential's sign counter did not advance")]
    PossiblyCloned,
}

fn map(e: WebauthnError) -> PasskeyError {
    use WebauthnError as W;
    match e {
        W::MismatchedChallenge | W::ChallengeNotFound => PasskeyError::ChallengeMismatch,
        W::InvalidRPOrigin => PasskeyError::OriginNotAllowed,
        W::InvalidRPIDHash => PasskeyError::RelyingPartyMismatch,
        W::UserNotPresent | W::UserNotVerified => PasskeyError::UserNotVerified,
        W::CredentialPossibleCompromise => PasskeyError::PossiblyCloned,
        W::COSEKeyInvalidAlgorithm
        | W::CredentialInsecureCryptography
        | W::CredentialAlteredAlgFromRequest
        | W::AttestationNotSupported
        | W::COSEKeyEDUnsupported => PasskeyError::NotSupported(e.to_string()),
        other => PasskeyError::Invalid(other.to_string()),
    }
}

fn json_error(e: serde_json::Error) -> PasskeyError {
    PasskeyError::Invalid(format!("malformed JSON: {e}"))
}

/// A relying party: one pool's passkey settings.
pub struct RelyingParty {
    webauthn: Webauthn,
}

/// A registered passkey, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    /// The credential id (raw bytes; base64url on the wire).
    pub credential_id: Vec<u8>,
    /// The passkey (public key, algorithm, counter) as JSON, to store and hand back.
    pub passkey: String,
    /// `response.transports` the browser reported (`internal`, `usb`, `hybrid`...).
    pub transports: Vec<String>,
}

/// A verified assertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asserted {
    /// Which credential signed.
    pub credential_id: Vec<u8>,
    /// Whether the authenticator verified the user.
    pub user_verified: bool,
    /// The stored passkey with its counter advanced, when it changed.
    pub updated_passkey: Option<String>,
}

impl RelyingParty {
    /// The relying party `rp_id` (a host name). Origins allowed: `https://rp_id` and its
    /// subdomains on any port, and — for `localhost` only, which browsers treat as secure —
    /// `http://localhost` on any port.
    pub fn new(rp_id: &str) -> Result<RelyingParty, PasskeyError> {
        let https = Url::parse(&format!("https://{rp_id}"))
            .map_err(|e| PasskeyError::Configuration(e.to_string()))?;
        if https.domain() != Some(rp_id) {
            return Err(PasskeyError::Configuration(format!(
                "{rp_id} is not a host name"
            )));
        }
        let mut builder = WebauthnBuilder::new(rp_id, &https)
            .map_err(|e| PasskeyError::Configuration(e.to_string()))?
            .rp_name(rp_id)
            .allow_subdomains(true)
            .allow_any_port(true);
        let http_localhost;
        if rp_id == "localhost" {
            http_localhost = Url::parse("http://localhost")
                .map_err(|e| PasskeyError::Configuration(e.to_string()))?;
            builder = builder.append_allowed_origin(&http_localhost);
        }
        let webauthn = builder
            .build()
            .map_err(|e| PasskeyError::Configuration(e.to_string()))?;
        Ok(RelyingParty { webauthn })
    }

    /// The first half of registration: the creation options for the browser (the
    /// `publicKey` object) and the state to keep until the credential comes back.
    /// `exclude` are the user's credential ids already registered.
    pub fn start_registration(
        &self,
        user_id: Uuid,
        user_name: &str,
        exclude: Vec<Vec<u8>>,
    ) -> Result<(Value, String), PasskeyError> {
        let exclude: Vec<CredentialID> = exclude.into_iter().map(CredentialID::from).collect();
        let exclude = (!exclude.is_empty()).then_some(exclude);
        let (options, state) = self
            .webauthn
            .start_passkey_registration(user_id, user_name, user_name, exclude)
            .map_err(map)?;
        let options = serde_json::to_value(&options).map_err(json_error)?;
        let public_key = options.get("publicKey").cloned().unwrap_or(options);
        let state = serde_json::to_string(&state).map_err(json_error)?;
        Ok((public_key, state))
    }

    /// The second half of registration: verifies `credential` (a
    /// `RegistrationResponseJSON`) against the kept state.
    pub fn finish_registration(
        &self,
        credential: &Value,
        state: &str,
    ) -> Result<Registered, PasskeyError> {
        let state: PasskeyRegistration = serde_json::from_str(state).map_err(json_error)?;
        let response: RegisterPublicKeyCredential =
            serde_json::from_value(credential.clone()).map_err(json_error)?;
        let transports = credential
            .pointer("/response/transports")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let passkey = self
            .webauthn
            .finish_passkey_registration(&response, &state)
            .map_err(map)?;
        Ok(Registered {
            credential_id: passkey.cred_id().as_ref().to_vec(),
            passkey: serde_json::to_string(&passkey).map_err(json_error)?,
            transports,
        })
    }

    /// The first half of an assertion: the request options for the browser (the
    /// `publicKey` object) for these stored passkeys, and the state to keep.
    pub fn start_assertion(&self, passkeys: &[String]) -> Result<(Value, String), PasskeyError> {
        let passkeys: Vec<Passkey> = passkeys
            .iter()
            .map(|p| serde_json::from_str(p).map_err(json_error))
            .collect::<Result<_, _>>()?;
        let (options, state) = self
            .webauthn
            .start_passkey_authentication(&passkeys)
            .map_err(map)?;
        let options = serde_json::to_value(&options).map_err(json_error)?;
        let public_key = options.get("publicKey").cloned().unwrap_or(options);
        Ok((
            public_key,
            serde_json::to_string(&state).map_err(json_error)?,
        ))
    }

    /// The second half of an assertion: verifies `credential` (an
    /// `AuthenticationResponseJSON`) against the kept state; `stored` is the passkey the
    /// credential id names, whose counter is advanced.
    pub fn finish_assertion(
        &self,
        credential: &Value,
        state: &str,
        stored: &str,
    ) -> Result<Asserted, PasskeyError> {
        let state: PasskeyAuthentication = serde_json::from_str(state).map_err(json_error)?;
        let response: PublicKeyCredential =
            serde_json::from_value(credential.clone()).map_err(json_error)?;
        let result: AuthenticationResult = self
            .webauthn
            .finish_passkey_authentication(&response, &state)
            .map_err(map)?;
        let mut passkey: Passkey = serde_json::from_str(stored).map_err(json_error)?;
        let updated = match passkey.update_credential(&result) {
            Some(true) => Some(serde_json::to_string(&passkey).map_err(json_error)?),
            Some(false) => None,
            None => {
                return Err(PasskeyError::Invalid(
                    "the credential is not the stored passkey".into(),
                ))
            }
        };
        Ok(Asserted {
            credential_id: result.cred_id().as_ref().to_vec(),
            user_verified: result.user_verified(),
            updated_passkey: updated,
        })
    }
}

/// The credential id a `RegistrationResponseJSON` / `AuthenticationResponseJSON` names
/// (`rawId`, base64url), without verifying anything: to look the stored passkey up.
pub fn credential_id(credential: &Value) -> Option<Vec<u8>> {
    let raw = credential
        .get("rawId")
        .or_else(|| credential.get("id"))?
        .as_str()?;
    base64url_decode(raw)
}

/// base64url without padding, as WebAuthn JSON writes binary.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url with or without padding (browsers and libraries differ).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64url_decode(&base64url(&bytes)), Some(bytes));
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert_eq!(base64url_decode("-_8="), Some(vec![0xfb, 0xff]));
        assert_eq!(base64url_decode("not valid!"), None);
    }

    #[test]
    fn relying_parties_are_host_names() {
        assert!(RelyingParty::new("auth.example.com").is_ok());
        assert!(RelyingParty::new("localhost").is_ok());
        assert!(RelyingParty::new("https://example.com").is_err());
        assert!(RelyingParty::new("").is_err());
    }

    #[test]
    fn registration_options_have_what_amplify_requires() {
        let rp = RelyingParty::new("auth.example.com").unwrap();
        let user = Uuid::from_u128(7);
        let (options, state) = rp
            .start_registration(user, "alice", vec![vec![1, 2, 3]])
            .unwrap();
        for member in ["challenge", "user", "rp", "pubKeyCredParams"] {
            assert!(options.get(member).is_some(), "{member} in {options}");
        }
        assert_eq!(options["rp"]["id"], "auth.example.com");
        assert_eq!(options["user"]["name"], "alice");
        assert_eq!(options["excludeCredentials"][0]["id"], "AQID");
        assert!(!state.is_empty());
        // A credential that is not one fails cleanly.
        let bogus = serde_json::json!({"id": "x", "rawId": "eA", "type": "public-key",
            "response": {"clientDataJSON": "e30", "attestationObject": "oA"}});
        assert!(rp.finish_registration(&bogus, &state).is_err());
        assert!(rp
            .finish_registration(&serde_json::json!({}), &state)
            .is_err());
    }
}
