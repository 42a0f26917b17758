//! Answers to challenges, parsed from `ChallengeName` + `ChallengeResponses` into
//! domain values (the server translates the wire request into these two inputs).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::error::AuthError;
use crate::user::MfaFactor;

use super::choice::FirstFactorPick;
use super::ChallengeName;

/// The prefix clients put on attribute names in `NEW_PASSWORD_REQUIRED` answers.
const ATTRIBUTE_PREFIX: &str = "userAttributes.";

/// One answer to the state a sign-in waits in.
#[derive(Clone, PartialEq, Eq)]
pub enum ChallengeAnswer {
    /// `PASSWORD_VERIFIER`.
    PasswordVerifier {
        /// `PASSWORD_CLAIM_SECRET_BLOCK`, base64-decoded.
        secret_block: Vec<u8>,
        /// `PASSWORD_CLAIM_SIGNATURE`, base64-decoded.
        signature: Vec<u8>,
        /// `TIMESTAMP`, as sent (the signature covers the text).
        timestamp: String,
    },
    /// `SMS_MFA` with `SMS_MFA_CODE`.
    SmsCode(String),
    /// `SOFTWARE_TOKEN_MFA` with `SOFTWARE_TOKEN_MFA_CODE`.
    TotpCode(String),
    /// `EMAIL_OTP` with `EMAIL_OTP_CODE`.
    EmailCode(String),
    /// `SELECT_MFA_TYPE` with `ANSWER`.
    SelectMfa(MfaFactor),
    /// `MFA_SETUP`: with `EMAIL` for an e-mail setup, without after a TOTP setup.
    MfaSetup {
        /// The address to set up e-mail MFA with.
        email: Option<String>,
    },
    /// `NEW_PASSWORD_REQUIRED`.
    NewPassword {
        /// `NEW_PASSWORD`.
        password: String,
        /// `userAttributes.<name>` entries, prefix removed.
        attributes: Vec<(String, String)>,
    },
    /// `AssociateSoftwareToken` called with this sign-in's `Session`.
    AssociateSoftwareToken,
    /// `CUSTOM_CHALLENGE` with `ANSWER`.
    CustomAnswer(String),
    /// `SELECT_CHALLENGE` with `ANSWER` (and the picked factor's parameters), or the
    /// documented shortcuts `PASSWORD` / `PASSWORD_SRP` on a `SELECT_CHALLENGE` session.
    SelectFirstFactor(FirstFactorPick),
    /// `SMS_OTP` with `SMS_OTP_CODE`.
    SmsOtpCode(String),
    /// `WEB_AUTHN` with `CREDENTIAL` (an `AuthenticationResponseJSON`, as sent).
    PasskeyCredential(String),
    /// `DEVICE_SRP_AUTH` with the device's `SRP_A` (decoded).
    DeviceSrp(Vec<u8>),
    /// `DEVICE_PASSWORD_VERIFIER`.
    DevicePasswordVerifier {
        /// `PASSWORD_CLAIM_SECRET_BLOCK`, base64-decoded.
        secret_block: Vec<u8>,
        /// `PASSWORD_CLAIM_SIGNATURE`, base64-decoded.
        signature: Vec<u8>,
        /// `TIMESTAMP`, as sent.
        timestamp: String,
    },
    /// `VerifySoftwareToken` called with this sign-in's `Session`.
    VerifySoftwareToken {
        /// `UserCode`.
        code: String,
        /// `FriendlyDeviceName`.
        friendly_device_name: Option<String>,
    },
}

impl ChallengeAnswer {
    /// The name of the challenge this answers, for messages; the setup calls answer
    /// `MFA_SETUP`.
    pub fn answers(&self) -> ChallengeName {
        match self {
            ChallengeAnswer::PasswordVerifier { .. } => ChallengeName::PasswordVerifier,
            ChallengeAnswer::SmsCode(_) => ChallengeName::SmsMfa,
            ChallengeAnswer::TotpCode(_) => ChallengeName::SoftwareTokenMfa,
            ChallengeAnswer::EmailCode(_) => ChallengeName::EmailOtp,
            ChallengeAnswer::SelectMfa(_) => ChallengeName::SelectMfaType,
            ChallengeAnswer::NewPassword { .. } => ChallengeName::NewPasswordRequired,
            ChallengeAnswer::CustomAnswer(_) => ChallengeName::CustomChallenge,
            ChallengeAnswer::SelectFirstFactor(_) => ChallengeName::SelectChallenge,
            ChallengeAnswer::SmsOtpCode(_) => ChallengeName::SmsOtp,
            ChallengeAnswer::DeviceSrp(_) => ChallengeName::DeviceSrpAuth,
            ChallengeAnswer::PasskeyCredential(_) => ChallengeName::WebAuthn,
            ChallengeAnswer::DevicePasswordVerifier { .. } => ChallengeName::DevicePasswordVerifier,
            ChallengeAnswer::MfaSetup { .. }
            | ChallengeAnswer::AssociateSoftwareToken
            | ChallengeAnswer::VerifySoftwareToken { .. } => ChallengeName::MfaSetup,
        }
    }

    /// Whether this is an MFA code (SMS, TOTP or e-mail).
    pub fn is_mfa_code(&self) -> bool {
        matches!(
            self,
            ChallengeAnswer::SmsCode(_)
                | ChallengeAnswer::TotpCode(_)
                | ChallengeAnswer::EmailCode(_)
                | ChallengeAnswer::SmsOtpCode(_)
        )
    }
}

impl std::fmt::Debug for ChallengeAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChallengeAnswer::SelectMfa(factor) => write!(f, "SelectMfa({})", factor.as_str()),
            ChallengeAnswer::SelectFirstFactor(pick) => {
                write!(f, "SelectFirstFactor({})", pick.challenge().as_str())
            }
            ChallengeAnswer::AssociateSoftwareToken => f.write_str("AssociateSoftwareToken"),
            ChallengeAnswer::VerifySoftwareToken { .. } => {
                f.write_str("VerifySoftwareToken(<redacted>)")
            }
            other => write!(f, "{}(<redacted>)", other.answers().as_str()),
        }
    }
}

/// A parsed `RespondToAuthChallenge`: the answer plus the members every response carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeResponse {
    /// `USERNAME`: alias, canonical username or `sub`; the service checks it names the
    /// flow's user.
    pub username: String,
    /// `SECRET_HASH`, for clients with a secret.
    pub secret_hash: Option<String>,
    /// `DEVICE_KEY`, when a device is remembered.
    pub device_key: Option<String>,
    /// The answer itself.
    pub answer: ChallengeAnswer,
}

fn missing(name: &str) -> AuthError {
    AuthError::InvalidParameter(format!("Missing required parameter {name}"))
}

pub(super) fn required<'a>(
    map: &'a BTreeMap<String, String>,
    name: &str,
) -> Result<&'a str, AuthError> {
    map.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing(name))
}

fn base64_member(map: &BTreeMap<String, String>, name: &str) -> Result<Vec<u8>, AuthError> {
    STANDARD
        .decode(required(map, name)?)
        .map_err(|_| AuthError::InvalidParameter(format!("{name} is not valid base64.")))
}

/// The factor an `ANSWER` names; `EMAIL_MFA` is accepted because AWS's own docs write it.
fn factor_answer(answer: &str) -> Result<MfaFactor, AuthError> {
    match answer {
        "SMS_MFA" => Ok(MfaFactor::Sms),
        "SOFTWARE_TOKEN_MFA" => Ok(MfaFactor::Totp),
        "EMAIL_OTP" | "EMAIL_MFA" => Ok(MfaFactor::Email),
        _ => Err(AuthError::InvalidParameter(
            "ANSWER must be one of SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP.".into(),
        )),
    }
}

/// Every `ChallengeName` Cognito accepts, for the validation message.
const WIRE_CHALLENGES: [&str; 16] = [
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
];

impl ChallengeResponse {
    /// Parses `ChallengeName` and `ChallengeResponses`. Unknown keys are ignored
    /// (pycognito re-sends the PASSWORD_VERIFIER keys with NEW_PASSWORD_REQUIRED).
    pub fn parse(
        challenge_name: &str,
        responses: &BTreeMap<String, String>,
    ) -> Result<ChallengeResponse, AuthError> {
        let Some(name) = ChallengeName::parse(challenge_name) else {
            return Err(if WIRE_CHALLENGES.contains(&challenge_name) {
                AuthError::UnsupportedOperation(format!(
                    "The {challenge_name} challenge is not supported by this server yet."
                ))
            } else {
                AuthError::InvalidParameter(format!(
                    "1 validation error detected: Value '{}' at 'challengeName' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                    challenge_name.chars().take(64).collect::<String>(),
                    WIRE_CHALLENGES.join(", ")
                ))
            });
        };
        let username = required(responses, "USERNAME")?.to_string();
        let answer =
            match name {
                ChallengeName::PasswordVerifier => ChallengeAnswer::PasswordVerifier {
                    secret_block: base64_member(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?,
                    signature: base64_member(responses, "PASSWORD_CLAIM_SIGNATURE")?,
                    timestamp: required(responses, "TIMESTAMP")?.to_string(),
                },
                ChallengeName::SmsMfa => {
                    ChallengeAnswer::SmsCode(required(responses, "SMS_MFA_CODE")?.to_string())
                }
                ChallengeName::SoftwareTokenMfa => ChallengeAnswer::TotpCode(
                    required(responses, "SOFTWARE_TOKEN_MFA_CODE")?.to_string(),
                ),
                ChallengeName::EmailOtp => {
                    ChallengeAnswer::EmailCode(required(responses, "EMAIL_OTP_CODE")?.to_string())
                }
                ChallengeName::SelectMfaType => {
                    ChallengeAnswer::SelectMfa(factor_answer(required(responses, "ANSWER")?)?)
                }
                ChallengeName::MfaSetup => ChallengeAnswer::MfaSetup {
                    email: responses.get("EMAIL").filter(|e| !e.is_empty()).cloned(),
                },
                ChallengeName::CustomChallenge => {
                    // An empty answer is an answer (Verify decides), but it must be present.
                    let answer = responses.get("ANSWER").ok_or_else(|| missing("ANSWER"))?;
                    ChallengeAnswer::CustomAnswer(answer.clone())
                }
                ChallengeName::SelectChallenge => ChallengeAnswer::SelectFirstFactor(
                    FirstFactorPick::parse(required(responses, "ANSWER")?, responses)?,
                ),
                ChallengeName::Password | ChallengeName::PasswordSrp => {
                    ChallengeAnswer::SelectFirstFactor(FirstFactorPick::parse(
                        name.as_str(),
                        responses,
                    )?)
                }
                ChallengeName::WebAuthn => ChallengeAnswer::PasskeyCredential(
                    required(responses, "CREDENTIAL")?.to_string(),
                ),
                ChallengeName::DeviceSrpAuth => {
                    let a = required(responses, "SRP_A")?;
                    ChallengeAnswer::DeviceSrp(keystep_srp::from_hex(a).map_err(|_| {
                        AuthError::InvalidParameter("SRP_A is not valid hex.".into())
                    })?)
                }
                ChallengeName::DevicePasswordVerifier => ChallengeAnswer::DevicePasswordVerifier {
                    secret_block: base64_member(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?,
                    signature: base64_member(responses, "PASSWORD_CLAIM_SIGNATURE")?,
                    timestamp: required(responses, "TIMESTAMP")?.to_string(),
                },
                ChallengeName::SmsOtp => {
                    ChallengeAnswer::SmsOtpCode(required(responses, "SMS_OTP_CODE")?.to_string())
                }
                ChallengeName::NewPasswordRequired => ChallengeAnswer::NewPassword {
                    password: required(responses, "NEW_PASSWORD")?.to_string(),
                    attributes: responses
                        .iter()
                        .filter_map(|(k, v)| {
                            k.strip_prefix(ATTRIBUTE_PREFIX)
                                .map(|name| (name.to_string(), v.clone()))
                        })
                        .collect(),
                },
            };
        Ok(ChallengeResponse {
            username,
            secret_hash: responses.get("SECRET_HASH").cloned(),
            device_key: responses.get("DEVICE_KEY").cloned(),
            answer,
        })
    }
}
