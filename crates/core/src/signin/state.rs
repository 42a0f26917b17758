//! The states a sign-in waits in, one variant per challenge, each carrying only what
//! answering that challenge needs.
//!
//! The whole [`SignIn`] is serialised and sealed by the service (it holds an SRP session
//! key, a pending TOTP secret or a code hash), so nothing here is readable at rest; the
//! hand-written `Debug`s keep those values out of logs too.

use serde::{Deserialize, Serialize};

use crate::message::Medium;
use crate::user::MfaFactor;
use crate::Millis;

use super::choice::FirstChallenge;
use super::flow::Flow;

/// A sign-in in progress: its flow and the state it waits in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    /// Who, where, how.
    pub flow: Flow,
    /// What it waits for.
    pub state: SignInState,
}

/// What a sign-in waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInState {
    /// `PASSWORD_VERIFIER`: the client's SRP proof.
    AwaitingPasswordVerifier {
        /// The server's half of the SRP exchange.
        srp: SrpServerState,
    },
    /// `NEW_PASSWORD_REQUIRED`: the user signed in with a temporary password.
    AwaitingNewPassword {
        /// Required attributes the user lacks (unprefixed names); the answer must set them.
        required_attributes: Vec<String>,
    },
    /// `SELECT_MFA_TYPE`: several factors are enabled and none is preferred.
    AwaitingMfaSelection {
        /// The factors offered (`MFAS_CAN_CHOOSE`).
        allowed: Vec<MfaFactor>,
    },
    /// `SMS_MFA`: a code was sent by SMS.
    AwaitingSmsCode {
        /// The code sent.
        code: StoredOtp,
    },
    /// `EMAIL_OTP`: a code was sent by e-mail.
    AwaitingEmailCode {
        /// The code sent.
        code: StoredOtp,
        /// During e-mail MFA setup: the address the code went to, which becomes the
        /// user's (verified) e-mail and MFA factor once the code comes back.
        enroll_email: Option<String>,
    },
    /// `SOFTWARE_TOKEN_MFA`: a code from the user's authenticator app.
    AwaitingTotpCode,
    /// `CUSTOM_CHALLENGE`: the answer goes to the Verify trigger.
    AwaitingCustomAnswer {
        /// The round: history and Create's private parameters.
        round: super::custom::CustomRound,
    },
    /// `SELECT_CHALLENGE`: a choice-based sign-in waits for the user to pick a first
    /// factor (and, for a password, to type it: the same `Session` is answered then).
    AwaitingFirstFactorChoice {
        /// The factors offered (`AvailableChallenges`); the pick must be one of them.
        available: Vec<FirstChallenge>,
    },
    /// `EMAIL_OTP` / `SMS_OTP` as the *first* factor of a choice-based sign-in: the right
    /// code signs the user in (the same `EMAIL_OTP` name as e-mail MFA, so the state, not
    /// the name, says which it is).
    AwaitingSignInCode {
        /// Where the code went.
        medium: Medium,
        /// The code sent.
        code: StoredOtp,
    },
    /// `WEB_AUTHN`: a passkey assertion is awaited.
    AwaitingPasskey {
        /// What checks the answer (challenge, allowed credentials).
        assertion: crate::passkey::AssertionState,
    },
    /// `DEVICE_SRP_AUTH`: the first factor passed on a remembered device, which now proves
    /// itself instead of (or before) the second factor.
    AwaitingDeviceSrp,
    /// `DEVICE_PASSWORD_VERIFIER`: the device's SRP proof (the state travels in the sealed
    /// `SECRET_BLOCK`, like `PASSWORD_VERIFIER`).
    AwaitingDevicePasswordVerifier {
        /// The server's half of the device's SRP exchange.
        srp: SrpServerState,
    },
    /// The `Session` `SignUp` answers (choice-based clients only): it stands for a sign-up
    /// still to be confirmed and signs nobody in.
    AwaitingSignUpConfirmation,
    /// The `Session` `ConfirmSignUp` answers: the confirmed code was the first factor, and
    /// `InitiateAuth USER_AUTH` with this `Session` signs the user in, once.
    AwaitingAutoSignIn,
    /// `MFA_SETUP`: MFA is required and the user has no usable factor.
    AwaitingMfaSetup {
        /// The factors that may be set up (`MFAS_CAN_SETUP`).
        allowed: Vec<MfaFactor>,
        /// How far a TOTP setup inside this sign-in got.
        totp: TotpSetupStage,
    },
}

impl SignInState {
    /// The challenge this state waits for an answer to; `None` for the sign-up states,
    /// which no challenge answers.
    pub fn challenge_name(&self) -> Option<super::ChallengeName> {
        use super::ChallengeName as C;
        Some(match self {
            SignInState::AwaitingFirstFactorChoice { .. } => C::SelectChallenge,
            SignInState::AwaitingSignInCode { medium, .. } => match medium {
                Medium::Email => C::EmailOtp,
                Medium::Sms => C::SmsOtp,
            },
            SignInState::AwaitingSignUpConfirmation | SignInState::AwaitingAutoSignIn => {
                return None
            }
            SignInState::AwaitingDeviceSrp => C::DeviceSrpAuth,
            SignInState::AwaitingPasskey { .. } => C::WebAuthn,
            SignInState::AwaitingDevicePasswordVerifier { .. } => C::DevicePasswordVerifier,
            SignInState::AwaitingPasswordVerifier { .. } => C::PasswordVerifier,
            SignInState::AwaitingNewPassword { .. } => C::NewPasswordRequired,
            SignInState::AwaitingMfaSelection { .. } => C::SelectMfaType,
            SignInState::AwaitingSmsCode { .. } => C::SmsMfa,
            SignInState::AwaitingEmailCode { .. } => C::EmailOtp,
            SignInState::AwaitingTotpCode => C::SoftwareTokenMfa,
            SignInState::AwaitingMfaSetup { .. } => C::MfaSetup,
            SignInState::AwaitingCustomAnswer { .. } => C::CustomChallenge,
        })
    }
}

/// The server's half of an SRP exchange, between `InitiateAuth` and `PASSWORD_VERIFIER`.
///
/// The session key K depends only on A, B, b and the verifier, all known at
/// `InitiateAuth` (protocol notes §4.4), so K is computed there and carried instead of b
/// and A: smaller, and b never leaves the first request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SrpServerState {
    /// A random id, recorded as used when the proof is checked: a `SECRET_BLOCK` works once.
    pub block_id: String,
    /// The 16-byte session key K.
    #[serde(with = "b64")]
    pub session_key: Vec<u8>,
    /// When the challenge was issued.
    pub issued_at: Millis,
    /// When the proof stops being accepted (the client's `AuthSessionValidity`).
    pub expires_at: Millis,
}

impl std::fmt::Debug for SrpServerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SrpServerState")
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A one-time code sent during this sign-in: only its keyed hash, and when it expires.
/// Its attempt limit is the session's.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOtp {
    /// `StepContext::code_hash(digits)`.
    #[serde(with = "b64")]
    pub hash: Vec<u8>,
    /// When it stops working.
    pub expires_at: Millis,
}

impl std::fmt::Debug for StoredOtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredOtp")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// How far a TOTP setup inside `MFA_SETUP` got (AssociateSoftwareToken and
/// VerifySoftwareToken called with the session).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TotpSetupStage {
    /// No secret handed out yet.
    NotStarted,
    /// A secret was handed out; a code from it must be verified.
    Associated {
        /// The secret (raw bytes; the client got it in base32).
        #[serde(with = "b64")]
        secret: Vec<u8>,
    },
    /// A code was verified and the factor enabled on the user; `MFA_SETUP` may complete.
    Verified,
}

impl std::fmt::Debug for TotpSetupStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TotpSetupStage::NotStarted => "NotStarted",
            TotpSetupStage::Associated { .. } => "Associated(<secret>)",
            TotpSetupStage::Verified => "Verified",
        })
    }
}

/// Bytes as standard base64 in the serialised state (compact, unlike a number array).
mod b64 {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
