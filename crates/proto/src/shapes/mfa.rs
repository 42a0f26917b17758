//! MFA settings of pools and users.

use serde::{Deserialize, Serialize};

use crate::SmsConfiguration;

/// SMS MFA settings of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SmsMfaConfig {
    /// Text of the MFA SMS; must contain `{####}`.
    #[serde(rename = "SmsAuthenticationMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    /// How SMS are sent (SNS role).
    #[serde(rename = "SmsConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfiguration>,
}

/// TOTP MFA settings of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SoftwareTokenMfaConfig {
    /// Whether TOTP MFA is available in the pool.
    #[serde(rename = "Enabled")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Email-OTP MFA settings of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailMfaConfig {
    /// Body of the email-OTP message; must contain `{####}`.
    #[serde(rename = "Message")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Subject of the email.
    #[serde(rename = "Subject")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// Passkey settings of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebAuthnConfiguration {
    /// WebAuthn relying-party id.
    #[serde(rename = "RelyingPartyId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relying_party_id: Option<String>,
    /// WebAuthn user-verification requirement: `required` or `preferred`.
    #[serde(rename = "UserVerification")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    /// Whether passkeys count as one factor or as multiple factors.
    #[serde(rename = "FactorConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor_configuration: Option<String>,
}

/// A user's setting for one MFA method (SMS, TOTP or email).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MfaSettings {
    /// Whether the method is enabled for the user.
    #[serde(rename = "Enabled")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether this is the user's preferred MFA method.
    #[serde(rename = "PreferredMfa")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_mfa: Option<bool>,
}

/// A user's passkey MFA setting.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebAuthnMfaSettings {
    /// Whether passkeys count as MFA for the user.
    #[serde(rename = "Enabled")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Legacy SMS MFA option of a user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MfaOption {
    /// How the code was sent: `SMS` or `EMAIL`.
    #[serde(rename = "DeliveryMedium")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_medium: Option<String>,
    /// Name of the user attribute concerned (for example `email`).
    #[serde(rename = "AttributeName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

/// A user's SMS MFA setting.
pub type SmsMfaSettings = MfaSettings;

/// A user's TOTP MFA setting.
pub type SoftwareTokenMfaSettings = MfaSettings;

/// A user's email-OTP MFA setting.
pub type EmailMfaSettings = MfaSettings;
