//! Users: identity, attributes, status and the secrets that belong to them.

use serde::{Deserialize, Serialize};

use crate::attributes::Attributes;
use crate::keys::Sealed;
use crate::pool::{AliasKind, UserPool};
use crate::Millis;

/// Cognito's `UserStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Signed up, not yet confirmed.
    Unconfirmed,
    /// Confirmed.
    Confirmed,
    /// Created by an admin with a temporary password.
    ForceChangePassword,
    /// An admin reset the password; the user must complete a reset with a code.
    ResetRequired,
    /// Signed in through a federated identity provider; has no password here.
    ExternalProvider,
}

impl UserStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::ResetRequired => "RESET_REQUIRED",
            UserStatus::ExternalProvider => "EXTERNAL_PROVIDER",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<UserStatus> {
        match s {
            "UNCONFIRMED" => Some(UserStatus::Unconfirmed),
            "CONFIRMED" => Some(UserStatus::Confirmed),
            "FORCE_CHANGE_PASSWORD" => Some(UserStatus::ForceChangePassword),
            "RESET_REQUIRED" => Some(UserStatus::ResetRequired),
            "EXTERNAL_PROVIDER" => Some(UserStatus::ExternalProvider),
            _ => None,
        }
    }
}

/// An MFA factor a user can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MfaFactor {
    /// `SMS_MFA`
    Sms,
    /// `SOFTWARE_TOKEN_MFA`
    Totp,
    /// `EMAIL_OTP`
    Email,
}

impl MfaFactor {
    /// The wire name used in `UserMFASettingList` and `PreferredMfaSetting`.
    pub fn as_str(self) -> &'static str {
        match self {
            MfaFactor::Sms => "SMS_MFA",
            MfaFactor::Totp => "SOFTWARE_TOKEN_MFA",
            MfaFactor::Email => "EMAIL_OTP",
        }
    }
}

/// A user's MFA state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MfaSettings {
    /// Factors the user has enabled.
    pub enabled: Vec<MfaFactor>,
    /// The preferred factor, if any.
    pub preferred: Option<MfaFactor>,
    /// A verified TOTP secret (sealed).
    pub totp_secret: Option<Sealed>,
    /// `FriendlyDeviceName` given when the TOTP secret was verified.
    pub totp_device_name: Option<String>,
    /// A TOTP secret handed out by AssociateSoftwareToken, not yet verified (sealed).
    pub pending_totp_secret: Option<Sealed>,
    /// The last TOTP time step accepted, so a code is never accepted twice.
    pub last_totp_step: Option<i64>,
}

/// A user of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The pool the user belongs to.
    pub pool_id: String,
    /// The canonical username (the `sub` in email/phone-as-username pools).
    pub username: String,
    /// The key the username is looked up by (lowercased in case-insensitive pools).
    pub username_key: String,
    /// The immutable user id (a UUID).
    pub sub: String,
    /// Attributes other than `sub`.
    pub attributes: Attributes,
    /// Status.
    pub status: UserStatus,
    /// `Enabled`.
    pub enabled: bool,
    /// When the user was created.
    pub created_at: Millis,
    /// When the user was last changed.
    pub modified_at: Millis,
    /// The sealed SRP salt and verifier; `None` for a user without a password.
    pub password: Option<Sealed>,
    /// When the current password was set (temporary passwords expire from here).
    pub password_set_at: Option<Millis>,
    /// MFA state.
    pub mfa: MfaSettings,
    /// Tokens issued before this instant are refused (GlobalSignOut, disable).
    pub tokens_valid_after: Option<Millis>,
    /// New `email` / `phone_number` values waiting for their code before they replace
    /// the verified ones (`AttributesRequireVerificationBeforeUpdate`).
    #[serde(default)]
    pub pending_attributes: std::collections::BTreeMap<String, String>,
    /// Earlier passwords' sealed verifiers, newest first, kept only as far as the pool's
    /// `PasswordHistorySize` reaches (the current password is `password`).
    #[serde(default)]
    pub password_history: Vec<Sealed>,
    /// Optimistic-concurrency version; the store bumps it on every update.
    pub version: i64,
}

impl User {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        if name == "sub" {
            return Some(&self.sub);
        }
        self.attributes.get(name).map(String::as_str)
    }

    /// Whether a `*_verified` flag is `"true"`.
    pub fn is_verified(&self, attribute: &str) -> bool {
        self.attributes
            .get(&format!("{attribute}_verified"))
            .is_some_and(|v| v == "true")
    }

    /// The sign-in aliases this user claims in `pool`: in email/phone-as-username pools
    /// every present email/phone; in alias pools only verified ones (and
    /// `preferred_username` whenever set). Values are normalised for lookup.
    pub fn alias_claims(&self, pool: &UserPool) -> Vec<(AliasKind, String)> {
        let ids = &pool.settings.identifiers;
        let mut out = Vec::new();
        for kind in [
            AliasKind::Email,
            AliasKind::PhoneNumber,
            AliasKind::PreferredUsername,
        ] {
            let Some(value) = self.attributes.get(kind.attribute()) else {
                continue;
            };
            let claimed = if ids.username_attributes.contains(&kind) {
                true
            } else if ids.alias_attributes.contains(&kind) {
                kind == AliasKind::PreferredUsername || self.is_verified(kind.attribute())
            } else {
                false
            };
            if claimed {
                out.push((kind, alias_key(pool, kind, value)));
            }
        }
        out
    }
}

/// How an alias value is normalised for lookup: e-mails are case-insensitive; a
/// preferred username follows the pool's case rule; phone numbers are taken as given.
pub fn alias_key(pool: &UserPool, kind: AliasKind, value: &str) -> String {
    match kind {
        AliasKind::Email => value.to_lowercase(),
        AliasKind::PhoneNumber => value.to_string(),
        AliasKind::PreferredUsername => pool.username_key(value),
    }
}
