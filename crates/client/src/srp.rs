//! The client half of Cognito SRP: `SRP_A` for `InitiateAuth`, then the answer to
//! `PASSWORD_VERIFIER` (protocol notes §4.3).

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::RngCore;

use crate::config::AuthConfig;
use crate::error::AuthError;

/// One SRP attempt: the secret `a` and the public `A` sent with `InitiateAuth`.
pub(crate) struct SrpAttempt {
    a: Vec<u8>,
    a_pub: Vec<u8>,
}

impl fmt::Debug for SrpAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SrpAttempt(<redacted>)")
    }
}

impl SrpAttempt {
    /// A fresh attempt with 128 random bytes of `a`, as Amplify JS draws it.
    pub(crate) fn new() -> Result<SrpAttempt, AuthError> {
        let mut a = vec![0u8; 128];
        rand::thread_rng().fill_bytes(&mut a);
        SrpAttempt::from_private(a)
    }

    /// An attempt with a fixed private value `a` (big-endian bytes).
    pub(crate) fn from_private(a: Vec<u8>) -> Result<SrpAttempt, AuthError> {
        let a_pub = keystep_srp::client_public(&a).map_err(srp_error)?;
        Ok(SrpAttempt { a, a_pub })
    }

    /// `SRP_A`: lowercase hex of A.
    pub(crate) fn srp_a(&self) -> String {
        keystep_srp::to_hex(&self.a_pub)
    }

    /// The `ChallengeResponses` for a `PASSWORD_VERIFIER` challenge: `USERNAME` =
    /// `USER_ID_FOR_SRP`, the echoed secret block, `TIMESTAMP` for `now_secs`, the claim
    /// signature, and `SECRET_HASH` over `USER_ID_FOR_SRP` when the client has a secret.
    pub(crate) fn answer(
        &self,
        config: &AuthConfig,
        parameters: &BTreeMap<String, String>,
        password: &str,
        now_secs: i64,
    ) -> Result<BTreeMap<String, String>, AuthError> {
        let get = |key: &str| {
            parameters.get(key).ok_or_else(|| {
                AuthError::bad_response(
                    "InvalidServiceResponse",
                    format!("PASSWORD_VERIFIER without {key}"),
                )
            })
        };
        let user_id = get("USER_ID_FOR_SRP")?;
        let salt = keystep_srp::from_hex(get("SALT")?).map_err(srp_error)?;
        let b_pub = keystep_srp::from_hex(get("SRP_B")?).map_err(srp_error)?;
        let block_b64 = get("SECRET_BLOCK")?;
        let block = decode_base64_lenient(block_b64).ok_or_else(|| {
            AuthError::bad_response("InvalidServiceResponse", "SECRET_BLOCK is not base64")
        })?;
        let pool_name = keystep_srp::pool_name_from_pool_id(&config.user_pool_id)
            .ok_or_else(|| AuthError::invalid_parameter("user_pool_id has no '_'"))?;
        let key = keystep_srp::client_session_key(
            &self.a,
            &self.a_pub,
            &b_pub,
            &salt,
            pool_name,
            user_id,
            password,
        )
        .map_err(srp_error)?;
        let timestamp = keystep_srp::format_timestamp(now_secs);
        let signature = keystep_srp::claim_signature(&key, pool_name, user_id, &block, &timestamp);
        let mut responses = BTreeMap::new();
        responses.insert("USERNAME".to_string(), user_id.clone());
        responses.insert("PASSWORD_CLAIM_SECRET_BLOCK".to_string(), block_b64.clone());
        responses.insert("TIMESTAMP".to_string(), timestamp);
        responses.insert(
            "PASSWORD_CLAIM_SIGNATURE".to_string(),
            STANDARD.encode(signature),
        );
        if let Some(hash) = config.secret_hash(user_id) {
            responses.insert("SECRET_HASH".to_string(), hash);
        }
        Ok(responses)
    }
}

impl SrpAttempt {
    /// The `ChallengeResponses` for `DEVICE_PASSWORD_VERIFIER`: the same proof as the
    /// user's, with the device group key as the pool name, the device key as the user
    /// and the device's password (protocol notes §12.5); `USERNAME` stays the user.
    pub(crate) fn answer_device(
        &self,
        device: &crate::tokens::RememberedDevice,
        parameters: &BTreeMap<String, String>,
        username: &str,
        now_secs: i64,
    ) -> Result<BTreeMap<String, String>, AuthError> {
        let get = |key: &str| {
            parameters.get(key).ok_or_else(|| {
                AuthError::bad_response(
                    "InvalidServiceResponse",
                    format!("DEVICE_PASSWORD_VERIFIER without {key}"),
                )
            })
        };
        let salt = keystep_srp::from_hex(get("SALT")?).map_err(srp_error)?;
        let b_pub = keystep_srp::from_hex(get("SRP_B")?).map_err(srp_error)?;
        let block_b64 = get("SECRET_BLOCK")?;
        let block = decode_base64_lenient(block_b64).ok_or_else(|| {
            AuthError::bad_response("InvalidServiceResponse", "SECRET_BLOCK is not base64")
        })?;
        let key = keystep_srp::client_session_key(
            &self.a,
            &self.a_pub,
            &b_pub,
            &salt,
            &device.group_key,
            &device.key,
            &device.password,
        )
        .map_err(srp_error)?;
        let timestamp = keystep_srp::format_timestamp(now_secs);
        let signature =
            keystep_srp::claim_signature(&key, &device.group_key, &device.key, &block, &timestamp);
        let mut responses = BTreeMap::new();
        responses.insert("USERNAME".to_string(), username.to_string());
        responses.insert("DEVICE_KEY".to_string(), device.key.clone());
        responses.insert("PASSWORD_CLAIM_SECRET_BLOCK".to_string(), block_b64.clone());
        responses.insert("TIMESTAMP".to_string(), timestamp);
        responses.insert(
            "PASSWORD_CLAIM_SIGNATURE".to_string(),
            STANDARD.encode(signature),
        );
        Ok(responses)
    }
}

/// Standard or URL-safe base64, padded or not (Amplify JS accepts all of them).
/// The pure SRP half of a sign-in, for known-answer tests: with the private value `a`
/// (big-endian bytes), returns `SRP_A` (hex, as sent in `InitiateAuth`) and the
/// `ChallengeResponses` the client sends for a `PASSWORD_VERIFIER` challenge whose
/// `ChallengeParameters` are `parameters` (`SALT`, `SRP_B`, `SECRET_BLOCK`,
/// `USER_ID_FOR_SRP`), at `now_secs` (Unix seconds, the `TIMESTAMP`).
///
/// Not part of the supported API: [`crate::Auth::sign_in`] does all of this itself.
#[doc(hidden)]
pub fn password_verifier_responses(
    config: &AuthConfig,
    a: &[u8],
    parameters: &BTreeMap<String, String>,
    password: &str,
    now_secs: i64,
) -> Result<(String, BTreeMap<String, String>), AuthError> {
    let attempt = SrpAttempt::from_private(a.to_vec())?;
    let responses = attempt.answer(config, parameters, password, now_secs)?;
    Ok((attempt.srp_a(), responses))
}

fn decode_base64_lenient(text: &str) -> Option<Vec<u8>> {
    let normalised: String = text
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(normalised)
        .ok()
}

fn srp_error(e: keystep_srp::SrpError) -> AuthError {
    AuthError::bad_response("InvalidServiceResponse", format!("SRP: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_blocks_decode_in_any_base64_flavour() {
        assert_eq!(decode_base64_lenient("+/8="), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64_lenient("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64_lenient("!!"), None);
    }

    #[test]
    fn srp_a_is_unpadded_hex() {
        let attempt = SrpAttempt::new().unwrap();
        let a = attempt.srp_a();
        assert!(a
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert!(!a.starts_with('0'));
    }
}
