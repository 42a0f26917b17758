//! Everything a transition may look at, gathered by the service before it runs.

use crate::attributes::Attributes;
use crate::password_policy::PasswordPolicy;
use crate::pool::{AuthFactor, DevicePolicy, MfaConfiguration, UserPool};
use crate::service::passwords::PasswordVerifier;
use crate::user::{MfaFactor, User, UserStatus};
use crate::Millis;

/// The pool's rules a sign-in follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolRules {
    /// The pool id.
    pub pool_id: String,
    /// The SRP pool name (the part of the pool id after `_`).
    pub srp_pool_name: String,
    /// `MfaConfiguration`.
    pub mfa: MfaConfiguration,
    /// SMS is a factor of this pool.
    pub sms_mfa: bool,
    /// TOTP is a factor of this pool.
    pub totp_mfa: bool,
    /// E-mail is a factor of this pool.
    pub email_mfa: bool,
    /// The password policy (`NEW_PASSWORD_REQUIRED`; temporary password validity).
    pub password_policy: PasswordPolicy,
    /// Schema attributes every user must have (other than `sub`).
    pub required_attributes: Vec<String>,
    /// The first factors choice-based sign-in may offer.
    pub first_factors: Vec<AuthFactor>,
    /// `DeviceConfiguration`; `None` when the pool does not track devices.
    pub devices: Option<DevicePolicy>,
    /// The relying-party id passkeys are checked against, when the pool offers
    /// `WEB_AUTHN` as a first factor and has one.
    pub passkey_rp: Option<String>,
}

impl PoolRules {
    /// The rules of `pool`.
    pub fn of(pool: &UserPool) -> PoolRules {
        let s = &pool.settings;
        PoolRules {
            pool_id: pool.id.clone(),
            srp_pool_name: crate::ids::pool_name_for_srp(&pool.id).to_string(),
            mfa: s.mfa,
            sms_mfa: s.sms_mfa_enabled,
            totp_mfa: s.totp_mfa_enabled,
            email_mfa: s.email_mfa_enabled,
            password_policy: s.password_policy,
            required_attributes: s
                .schema
                .iter()
                .filter(|a| a.required && a.name != "sub")
                .map(|a| a.name.clone())
                .collect(),
            first_factors: s.first_factors.clone(),
            devices: s.devices,
            passkey_rp: s
                .webauthn
                .as_ref()
                .and_then(|w| w.relying_party_id.clone())
                .filter(|_| s.first_factors.contains(&AuthFactor::WebAuthn)),
        }
    }
}

/// The user as the engine sees it: a copy taken for this step, secrets opened.
#[derive(Clone, PartialEq, Eq)]
pub struct UserSnapshot {
    /// `sub`.
    pub sub: String,
    /// Canonical username.
    pub username: String,
    /// Status.
    pub status: UserStatus,
    /// `Enabled`.
    pub enabled: bool,
    /// When the current password was set.
    pub password_set_at: Option<Millis>,
    /// Attributes (without `sub`).
    pub attributes: Attributes,
    /// The opened SRP salt and verifier; `None` for a user without a password.
    pub password: Option<PasswordVerifier>,
    /// Enabled MFA factors.
    pub mfa_enabled: Vec<MfaFactor>,
    /// Preferred MFA factor.
    pub mfa_preferred: Option<MfaFactor>,
    /// The opened, verified TOTP secret.
    pub totp_secret: Option<Vec<u8>>,
    /// The authenticator's name.
    pub totp_device_name: Option<String>,
    /// The last TOTP step accepted.
    pub last_totp_step: Option<i64>,
    /// The user's passkeys for the pool's relying party (loaded for choice-based
    /// sign-ins only; empty otherwise).
    pub passkeys: Vec<StoredCredential>,
}

/// A registered passkey as a sign-in checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCredential {
    /// The credential id, base64url.
    pub credential_id: String,
    /// The stored passkey (public key and counter), as `keystep-passkey` keeps it.
    pub passkey: String,
}

impl std::fmt::Debug for UserSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSnapshot")
            .field("sub", &self.sub)
            .field("username", &self.username)
            .field("status", &self.status)
            .field("enabled", &self.enabled)
            .field("mfa_enabled", &self.mfa_enabled)
            .field("mfa_preferred", &self.mfa_preferred)
            .finish_non_exhaustive()
    }
}

impl UserSnapshot {
    /// A snapshot of `user` with its secrets as the service opened them.
    pub fn of(
        user: &User,
        password: Option<PasswordVerifier>,
        totp_secret: Option<Vec<u8>>,
    ) -> UserSnapshot {
        UserSnapshot {
            sub: user.sub.clone(),
            username: user.username.clone(),
            status: user.status,
            enabled: user.enabled,
            password_set_at: user.password_set_at,
            attributes: user.attributes.clone(),
            password,
            mfa_enabled: user.mfa.enabled.clone(),
            mfa_preferred: user.mfa.preferred,
            totp_secret,
            totp_device_name: user.mfa.totp_device_name.clone(),
            last_totp_step: user.mfa.last_totp_step,
            passkeys: Vec::new(),
        }
    }

    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// Whether an attribute is present and its `*_verified` flag is `"true"`.
    pub fn has_verified(&self, name: &str) -> bool {
        self.attr(name).is_some()
            && self
                .attributes
                .get(&format!("{name}_verified"))
                .is_some_and(|v| v == "true")
    }
}

/// The device the request named (`DEVICE_KEY`), as the engine sees it: the service has
/// checked it belongs to the user and opened its verifier.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceSnapshot {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
    /// Whether it is remembered (only a remembered device proves itself at sign-in).
    pub remembered: bool,
    /// The device's SRP salt and verifier.
    pub verifier: PasswordVerifier,
}

impl std::fmt::Debug for DeviceSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceSnapshot")
            .field("key", &self.key)
            .field("remembered", &self.remembered)
            .finish_non_exhaustive()
    }
}

/// Random values drawn by the service before the step, used only if the step needs them.
#[derive(Clone, PartialEq, Eq)]
pub struct Fresh {
    /// The next one-time code's digits.
    pub code: String,
    /// The SRP secret exponent b (32 bytes or more).
    pub srp_b: Vec<u8>,
    /// A TOTP secret (20 bytes).
    pub totp_secret: Vec<u8>,
    /// An id for a `SECRET_BLOCK`.
    pub block_id: String,
    /// A passkey assertion drawn for this user (the `CREDENTIAL_REQUEST_OPTIONS` JSON and
    /// the state that checks the answer), when a `WEB_AUTHN` challenge may be issued.
    pub passkey_assertion: Option<(String, crate::passkey::AssertionState)>,
}

impl std::fmt::Debug for Fresh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fresh(<redacted>)")
    }
}

/// The inputs of one transition besides the state and the answer.
pub struct StepContext<'a> {
    /// Now.
    pub now: Millis,
    /// The pool's rules.
    pub pool: &'a PoolRules,
    /// The user, as loaded for this step.
    pub user: &'a UserSnapshot,
    /// Wrong answers this session already had.
    pub session_attempts: u32,
    /// How long a challenge (and the code it sent) stays answerable: the client's
    /// `AuthSessionValidity`.
    pub session_validity_secs: i64,
    /// Pre-drawn randomness.
    pub fresh: &'a Fresh,
    /// The keyed hash one-time codes of this sign-in are kept as.
    pub code_hash: &'a dyn Fn(&str) -> Vec<u8>,
    /// The device this request named, if any.
    pub device: Option<&'a DeviceSnapshot>,
}
