//! Self sign-up and its confirmation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{AnalyticsMetadata, Attribute, CodeDeliveryDetails, Sensitive, UserContextData};

/// `SignUp` request: register a new user through an app client.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignUpRequest {
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Base64 HMAC-SHA256 of username + client id keyed with the client secret.
    #[serde(rename = "SecretHash")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<Sensitive>,
    /// Username of the new user (the email or phone in username-attribute pools).
    #[serde(rename = "Username")]
    pub username: String,
    /// Password for the new user.
    #[serde(rename = "Password")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Sensitive>,
    /// User attributes as name/value pairs.
    #[serde(rename = "UserAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_attributes: Option<Vec<Attribute>>,
    /// Extra name/value pairs passed to the pre-sign-up trigger; not stored.
    #[serde(rename = "ValidationData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_data: Option<Vec<Attribute>>,
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

/// `SignUp` response: whether the user is confirmed, its `sub`, and where a confirmation code went.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignUpResponse {
    /// Whether the user is already confirmed (no code needed).
    #[serde(rename = "UserConfirmed")]
    pub user_confirmed: bool,
    /// Where and how the code was sent.
    #[serde(rename = "CodeDeliveryDetails")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
    /// Immutable id (`sub`) of the new user.
    #[serde(rename = "UserSub")]
    pub user_sub: String,
    /// Session usable to sign in with `USER_AUTH` right after confirmation.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
}

/// `ConfirmSignUp` request: confirm a new user with the code sent at sign-up.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmSignUpRequest {
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
    /// Code sent at sign-up.
    #[serde(rename = "ConfirmationCode")]
    pub confirmation_code: Sensitive,
    /// Move an alias (email/phone) from another user instead of failing with `AliasExistsException`.
    #[serde(rename = "ForceAliasCreation")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_alias_creation: Option<bool>,
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
    /// Session returned by `SignUp`.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
}

/// `ConfirmSignUp` response: a session for an automatic sign-in, when available.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmSignUpResponse {
    /// Session usable to sign in with `USER_AUTH` without re-entering credentials.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
}

/// `ResendConfirmationCode` request: send a new sign-up confirmation code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResendConfirmationCodeRequest {
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

/// `ResendConfirmationCode` response: where the code was sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResendConfirmationCodeResponse {
    /// Where and how the code was sent.
    #[serde(rename = "CodeDeliveryDetails")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

/// `AdminConfirmSignUp` request: confirm a user without a code (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminConfirmSignUpRequest {
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

/// `AdminConfirmSignUp` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminConfirmSignUpResponse {}
