//! Effects: what a transition asks the service to do. Values, so a test can see them and
//! the engine stays free of I/O.

use crate::message::Medium;

/// One thing the service must carry out after a transition.
#[derive(Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send an MFA code (`MessagePurpose::Authentication`) to `destination`.
    SendMfaCode {
        /// SMS or e-mail.
        medium: Medium,
        /// The phone number or e-mail address, unmasked.
        destination: String,
        /// The digits (their hash is in the next state).
        code: String,
    },
    /// Record this TOTP step as used on the user (`last_totp_step`), refusing the
    /// request if another request used it first.
    RecordTotpStep(i64),
    /// The password was right: clear the password lockout's count (the service counted
    /// this attempt as a failure before the engine judged it).
    ResetPasswordFailures,
    /// Complete `NEW_PASSWORD_REQUIRED`: set the password, write the attributes the
    /// client sent (through the client's write rules), and confirm the user.
    SetPassword {
        /// The new password (already checked against the pool's policy).
        password: String,
        /// Attributes to write, unprefixed names.
        attributes: Vec<(String, String)>,
    },
    /// A TOTP code from a new secret was verified: store the secret (sealed), enable
    /// TOTP and make it preferred, record the step.
    EnableTotp {
        /// The secret.
        secret: Vec<u8>,
        /// `FriendlyDeviceName`.
        friendly_device_name: Option<String>,
        /// The step of the verified code.
        step: i64,
    },
    /// A passkey signed in: keep its advanced sign counter.
    PasskeyUsed {
        /// The credential id, base64url.
        credential_id: String,
        /// The stored passkey with the new counter, when it changed.
        updated: Option<String>,
    },
    /// The remembered device proved itself: record when.
    DeviceAuthenticated {
        /// `DeviceKey`.
        key: String,
    },
    /// An e-mail MFA setup completed: set `email` (verified) and enable e-mail MFA.
    EnrollEmailMfa {
        /// The address the code was received at.
        email: String,
    },
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Effect::SendMfaCode { medium, .. } => write!(f, "SendMfaCode({})", medium.as_str()),
            Effect::RecordTotpStep(step) => write!(f, "RecordTotpStep({step})"),
            Effect::ResetPasswordFailures => f.write_str("ResetPasswordFailures"),
            Effect::SetPassword { attributes, .. } => {
                let names: Vec<&str> = attributes.iter().map(|(n, _)| n.as_str()).collect();
                write!(f, "SetPassword(<redacted>, {names:?})")
            }
            Effect::EnableTotp { step, .. } => write!(f, "EnableTotp(<secret>, step {step})"),
            Effect::EnrollEmailMfa { .. } => f.write_str("EnrollEmailMfa(<address>)"),
            Effect::DeviceAuthenticated { key } => write!(f, "DeviceAuthenticated({key})"),
            Effect::PasskeyUsed { credential_id, .. } => {
                write!(f, "PasskeyUsed({credential_id})")
            }
        }
    }
}
