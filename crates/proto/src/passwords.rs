//! Password changes and resets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{AnalyticsMetadata, CodeDeliveryDetails, Sensitive, UserContextData};

/// `ForgotPassword` request: start a password reset: send a code to a verified channel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ForgotPasswordRequest {
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Base64 HMAC-SHA256 of username + client id keyed with the client secret.
    #[serde(rename = "SecretHash")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<Sensitive>,
    /// Device fingerprint and caller IP for threat protection; accepted and ignored.
    #[serde(rename = "UserContextData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Pinpoint analytics metadata sent by the client; accepted and ignored.
    #[serde(rename = "AnalyticsMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `ForgotPassword` response: where the code was sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ForgotPasswordResponse {
    /// Where and how the code was sent.
    #[serde(rename = "CodeDeliveryDetails")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

/// `ConfirmForgotPassword` request: finish a password reset with the code and a new password.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmForgotPasswordRequest {
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Base64 HMAC-SHA256 of username + client id keyed with the client secret.
    #[serde(rename = "SecretHash")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<Sensitive>,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Code sent by `ForgotPassword`.
    #[serde(rename = "ConfirmationCode")]
    pub confirmation_code: Sensitive,
    /// New password.
    #[serde(rename = "Password")]
    pub password: Sensitive,
    /// Pinpoint analytics metadata sent by the client; accepted and ignored.
    #[serde(rename = "AnalyticsMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// Device fingerprint and caller IP for threat protection; accepted and ignored.
    #[serde(rename = "UserContextData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `ConfirmForgotPassword` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmForgotPasswordResponse {}

/// `ChangePassword` request: change the caller's password.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangePasswordRequest {
    /// Current password of the user.
    #[serde(rename = "PreviousPassword")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_password: Option<Sensitive>,
    /// New password for the user.
    #[serde(rename = "ProposedPassword")]
    pub proposed_password: Sensitive,
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
}

/// `ChangePassword` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangePasswordResponse {}

/// `AdminSetUserPassword` request: set a user's password, permanent or temporary (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminSetUserPasswordRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// New password.
    #[serde(rename = "Password")]
    pub password: Sensitive,
    /// When true the password is permanent (`CONFIRMED`); otherwise temporary (`FORCE_CHANGE_PASSWORD`).
    #[serde(rename = "Permanent")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent: Option<bool>,
}

/// `AdminSetUserPassword` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminSetUserPasswordResponse {}

/// `AdminResetUserPassword` request: force a password reset and send a reset code (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminResetUserPasswordRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `AdminResetUserPassword` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminResetUserPasswordResponse {}
