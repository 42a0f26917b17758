//! Self-service operations authorised by the caller's access token.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Attribute, CodeDeliveryDetails, MfaOption, Sensitive};

/// `GetUser` request: read the caller's own user record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUserRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
}

/// `GetUser` response: the caller's attributes and MFA settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUserResponse {
    /// Canonical username of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// User attributes as name/value pairs.
    #[serde(rename = "UserAttributes")]
    pub user_attributes: Vec<Attribute>,
    /// Legacy SMS MFA settings of the user.
    #[serde(rename = "MFAOptions")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_options: Option<Vec<MfaOption>>,
    /// The user's preferred MFA method (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    #[serde(rename = "PreferredMfaSetting")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    /// MFA methods the user has enabled (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    #[serde(rename = "UserMFASettingList")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_mfa_setting_list: Option<Vec<String>>,
}

/// `UpdateUserAttributes` request: set attributes of the caller.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateUserAttributesRequest {
    /// Attributes to set.
    #[serde(rename = "UserAttributes")]
    pub user_attributes: Vec<Attribute>,
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `UpdateUserAttributes` response: where verification codes went for changed email/phone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateUserAttributesResponse {
    /// One entry per changed attribute that now awaits verification.
    #[serde(rename = "CodeDeliveryDetailsList")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_delivery_details_list: Option<Vec<CodeDeliveryDetails>>,
}

/// `DeleteUserAttributes` request: delete attributes of the caller.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserAttributesRequest {
    /// Names of the attributes to delete.
    #[serde(rename = "UserAttributeNames")]
    pub user_attribute_names: Vec<String>,
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
}

/// `DeleteUserAttributes` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserAttributesResponse {}

/// `DeleteUser` request: delete the caller's own account.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
}

/// `DeleteUser` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserResponse {}

/// `GetUserAttributeVerificationCode` request: send a code to verify one of the caller's attributes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUserAttributeVerificationCodeRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// Attribute to verify (`email` or `phone_number`).
    #[serde(rename = "AttributeName")]
    pub attribute_name: String,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `GetUserAttributeVerificationCode` response: where the code was sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUserAttributeVerificationCodeResponse {
    /// Where and how the code was sent.
    #[serde(rename = "CodeDeliveryDetails")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

/// `VerifyUserAttribute` request: verify one of the caller's attributes with the code sent to it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VerifyUserAttributeRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// Attribute being verified (`email` or `phone_number`).
    #[serde(rename = "AttributeName")]
    pub attribute_name: String,
    /// Verification code the user received.
    #[serde(rename = "Code")]
    pub code: Sensitive,
}

/// `VerifyUserAttribute` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VerifyUserAttributeResponse {}
