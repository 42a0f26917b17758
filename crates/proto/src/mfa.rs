//! MFA: pool settings, TOTP enrolment and user preferences.

use serde::{Deserialize, Serialize};

use crate::{
    EmailMfaConfig, MfaSettings, Sensitive, SmsMfaConfig, SoftwareTokenMfaConfig,
    WebAuthnConfiguration, WebAuthnMfaSettings,
};

/// `SetUserPoolMfaConfig` request: set a pool's MFA mode and per-method settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetUserPoolMfaConfigRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// SMS MFA settings.
    #[serde(rename = "SmsMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfig>,
    /// TOTP MFA settings.
    #[serde(rename = "SoftwareTokenMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfig>,
    /// Email-OTP MFA settings.
    #[serde(rename = "EmailMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfig>,
    /// MFA mode of the pool: `OFF`, `ON` or `OPTIONAL`.
    #[serde(rename = "MfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// Passkey (WebAuthn) settings.
    #[serde(rename = "WebAuthnConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<WebAuthnConfiguration>,
}

/// `SetUserPoolMfaConfig` response: the MFA settings now in force.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetUserPoolMfaConfigResponse {
    /// SMS MFA settings.
    #[serde(rename = "SmsMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfig>,
    /// TOTP MFA settings.
    #[serde(rename = "SoftwareTokenMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfig>,
    /// Email-OTP MFA settings.
    #[serde(rename = "EmailMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfig>,
    /// MFA mode of the pool: `OFF`, `ON` or `OPTIONAL`.
    #[serde(rename = "MfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// Passkey (WebAuthn) settings.
    #[serde(rename = "WebAuthnConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<WebAuthnConfiguration>,
}

/// `GetUserPoolMfaConfig` request: read a pool's MFA mode and per-method settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUserPoolMfaConfigRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `GetUserPoolMfaConfig` response: the pool's MFA settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUserPoolMfaConfigResponse {
    /// SMS MFA settings.
    #[serde(rename = "SmsMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfig>,
    /// TOTP MFA settings.
    #[serde(rename = "SoftwareTokenMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfig>,
    /// Email-OTP MFA settings.
    #[serde(rename = "EmailMfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfig>,
    /// MFA mode of the pool: `OFF`, `ON` or `OPTIONAL`.
    #[serde(rename = "MfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// Passkey (WebAuthn) settings.
    #[serde(rename = "WebAuthnConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<WebAuthnConfiguration>,
}

/// `AssociateSoftwareToken` request: start TOTP enrolment: get a shared secret for an authenticator app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssociateSoftwareTokenRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Sensitive>,
    /// Session of an `MFA_SETUP` challenge (instead of an access token).
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
}

/// `AssociateSoftwareToken` response: the TOTP secret, and a new session when called with one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssociateSoftwareTokenResponse {
    /// TOTP shared secret (base32), to show to the user as a QR code.
    #[serde(rename = "SecretCode")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_code: Option<Sensitive>,
    /// New session to pass to `VerifySoftwareToken` (when called with a session).
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
}

/// `VerifySoftwareToken` request: finish TOTP enrolment with a code from the authenticator app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VerifySoftwareTokenRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Sensitive>,
    /// Session returned by `AssociateSoftwareToken` (instead of an access token).
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
    /// Six-digit TOTP code from the authenticator app.
    #[serde(rename = "UserCode")]
    pub user_code: Sensitive,
    /// Label the user gave the authenticator app.
    #[serde(rename = "FriendlyDeviceName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<String>,
}

/// `VerifySoftwareToken` response: the outcome, and a new session when called with one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VerifySoftwareTokenResponse {
    /// `SUCCESS` or `ERROR`.
    #[serde(rename = "Status")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// New session to answer the `MFA_SETUP` challenge with.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
}

/// `SetUserMFAPreference` request: set the caller's enabled and preferred MFA methods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetUserMFAPreferenceRequest {
    /// SMS MFA preference for the user.
    #[serde(rename = "SMSMfaSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettings>,
    /// TOTP MFA preference for the user.
    #[serde(rename = "SoftwareTokenMfaSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_settings: Option<MfaSettings>,
    /// Email-OTP MFA preference for the user.
    #[serde(rename = "EmailMfaSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettings>,
    /// Passkey MFA preference for the user.
    #[serde(rename = "WebAuthnMfaSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_authn_mfa_settings: Option<WebAuthnMfaSettings>,
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
}

/// `SetUserMFAPreference` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetUserMFAPreferenceResponse {}

/// `AdminSetUserMFAPreference` request: set a user's enabled and preferred MFA methods (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminSetUserMFAPreferenceRequest {
    /// SMS MFA preference for the user.
    #[serde(rename = "SMSMfaSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettings>,
    /// TOTP MFA preference for the user.
    #[serde(rename = "SoftwareTokenMfaSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_settings: Option<MfaSettings>,
    /// Email-OTP MFA preference for the user.
    #[serde(rename = "EmailMfaSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettings>,
    /// Passkey MFA preference for the user.
    #[serde(rename = "WebAuthnMfaSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_authn_mfa_settings: Option<WebAuthnMfaSettings>,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `AdminSetUserMFAPreference` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminSetUserMFAPreferenceResponse {}

/// `SetUserSettings` request: the legacy way to turn SMS MFA on or off.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetUserSettingsRequest {
    /// The user's access token.
    #[serde(rename = "AccessToken")]
    pub access_token: crate::Sensitive,
    /// SMS options: one `{DeliveryMedium: SMS, AttributeName: phone_number}` turns SMS MFA
    /// on; none turns it off.
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Vec<crate::MfaOption>,
}

/// `SetUserSettings` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetUserSettingsResponse {}

/// `AdminSetUserSettings` request: [`SetUserSettingsRequest`] by an administrator.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminSetUserSettingsRequest {
    /// Id of the user pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user.
    #[serde(rename = "Username")]
    pub username: crate::Sensitive,
    /// SMS options, as for `SetUserSettings`.
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Vec<crate::MfaOption>,
}

/// `AdminSetUserSettings` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminSetUserSettingsResponse {}

/// `AdminDeleteSoftwareToken` request: remove a user's authenticator app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDeleteSoftwareTokenRequest {
    /// Id of the user pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user.
    #[serde(rename = "Username")]
    pub username: crate::Sensitive,
}

/// `AdminDeleteSoftwareToken` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDeleteSoftwareTokenResponse {}
