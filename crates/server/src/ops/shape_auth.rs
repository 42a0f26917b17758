//! The sign-in answer shared by the four auth operations: either a challenge with its
//! `Session`, or `AuthenticationResult` (with `ChallengeParameters: {}`, as Cognito and
//! the emulators send it).

use std::collections::BTreeMap;

use keystep_core::service::auth::{AuthStep, IssuedTokens};
use keystep_proto as proto;
use keystep_proto::Sensitive;

/// The members of an auth answer.
pub struct AuthAnswer {
    pub challenge_name: Option<String>,
    pub session: Option<Sensitive>,
    pub challenge_parameters: Option<BTreeMap<String, String>>,
    pub authentication_result: Option<proto::AuthenticationResult>,
    /// `AvailableChallenges`, with `SELECT_CHALLENGE` only.
    pub available_challenges: Option<Vec<String>>,
}

/// `AuthenticationResult` for issued tokens.
pub fn render_tokens(t: IssuedTokens) -> proto::AuthenticationResult {
    proto::AuthenticationResult {
        access_token: Some(Sensitive(t.access_token)),
        expires_in: Some(t.expires_in),
        token_type: Some("Bearer".into()),
        refresh_token: t.refresh_token.map(Sensitive),
        id_token: Some(Sensitive(t.id_token)),
        new_device_metadata: t.new_device.map(|d| proto::NewDeviceMetadata {
            device_key: Some(d.key),
            device_group_key: Some(d.group_key),
        }),
    }
}

/// The answer for a sign-in step.
pub fn render_step(step: AuthStep) -> Result<AuthAnswer, crate::ApiError> {
    Ok(match step {
        AuthStep::Challenge { challenge, session } => AuthAnswer {
            challenge_name: Some(challenge.name.as_str().into()),
            session: session.map(Sensitive),
            available_challenges: (!challenge.available.is_empty()).then(|| {
                challenge
                    .available
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect()
            }),
            challenge_parameters: Some(challenge.parameters),
            authentication_result: None,
        },
        AuthStep::SignedIn(tokens) => AuthAnswer {
            challenge_name: None,
            session: None,
            challenge_parameters: Some(BTreeMap::new()),
            authentication_result: Some(render_tokens(tokens)),
            available_challenges: None,
        },
        // The API never starts a hosted sign-in, and a hosted one is never continued here.
        AuthStep::Hosted(_) => {
            return Err(
                keystep_core::AuthError::internal("a hosted sign-in reached the API").into(),
            )
        }
    })
}

/// The error for a device call without its (optional in the model) access token.
pub fn missing_access_token() -> crate::ApiError {
    keystep_core::AuthError::InvalidParameter("Missing required parameter AccessToken".into())
        .into()
}

/// The error for a setup call with neither an access token nor a session.
pub fn missing_token_or_session() -> crate::ApiError {
    keystep_core::AuthError::InvalidParameter("Either AccessToken or Session is required.".into())
        .into()
}

/// The factor settings of a preference call. WebAuthn (passkeys) is not built.
pub fn preferences(
    sms: Option<proto::MfaSettings>,
    totp: Option<proto::MfaSettings>,
    email: Option<proto::MfaSettings>,
    web_authn: bool,
) -> Result<keystep_core::service::mfa::MfaPreferences, crate::ApiError> {
    use keystep_core::service::mfa::{FactorPreference, MfaPreferences};
    if web_authn {
        return Err(keystep_core::AuthError::UnsupportedOperation(
            "WebAuthnMfaSettings (passkeys) is not supported by this server yet.".into(),
        )
        .into());
    }
    let one = |s: Option<proto::MfaSettings>| {
        s.map(|s| FactorPreference {
            enabled: s.enabled,
            preferred: s.preferred_mfa,
        })
    };
    Ok(MfaPreferences {
        sms: one(sms),
        totp: one(totp),
        email: one(email),
    })
}
