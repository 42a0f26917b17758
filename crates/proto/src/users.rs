//! Administrative user management.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Attribute, MfaOption, Sensitive, User};

/// `AdminCreateUser` request: create a user with a temporary password and optionally invite them (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminCreateUserRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username of the new user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Initial attributes of the user.
    #[serde(rename = "UserAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_attributes: Option<Vec<Attribute>>,
    /// Extra name/value pairs passed to the pre-sign-up trigger; not stored.
    #[serde(rename = "ValidationData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_data: Option<Vec<Attribute>>,
    /// Temporary password; generated when absent.
    #[serde(rename = "TemporaryPassword")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<Sensitive>,
    /// Move an alias (email/phone) from another user instead of failing with `AliasExistsException`.
    #[serde(rename = "ForceAliasCreation")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_alias_creation: Option<bool>,
    /// `RESEND` to re-send the invitation to an existing user, `SUPPRESS` to send nothing.
    #[serde(rename = "MessageAction")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_action: Option<String>,
    /// Channels for the invitation: `SMS` and/or `EMAIL`.
    #[serde(rename = "DesiredDeliveryMediums")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_delivery_mediums: Option<Vec<String>>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `AdminCreateUser` response: the created user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminCreateUserResponse {
    /// The user.
    #[serde(rename = "User")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
}

/// `AdminGetUser` request: read a user by username or alias (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminGetUserRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
}

/// `AdminGetUser` response: the user's attributes, status and MFA settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminGetUserResponse {
    /// Canonical username of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// User attributes as name/value pairs.
    #[serde(rename = "UserAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_attributes: Option<Vec<Attribute>>,
    /// When the user was created, in epoch seconds.
    #[serde(rename = "UserCreateDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_create_date: Option<f64>,
    /// When the user was last changed, in epoch seconds.
    #[serde(rename = "UserLastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_last_modified_date: Option<f64>,
    /// Whether the user may sign in.
    #[serde(rename = "Enabled")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Account status (see `names::user_status`).
    #[serde(rename = "UserStatus")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_status: Option<String>,
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

/// `AdminDeleteUser` request: delete a user (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDeleteUserRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
}

/// `AdminDeleteUser` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDeleteUserResponse {}

/// `AdminUpdateUserAttributes` request: set attributes of a user (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminUpdateUserAttributesRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Attributes to set; `*_verified` may be set directly.
    #[serde(rename = "UserAttributes")]
    pub user_attributes: Vec<Attribute>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `AdminUpdateUserAttributes` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminUpdateUserAttributesResponse {}

/// `AdminDeleteUserAttributes` request: delete attributes of a user (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDeleteUserAttributesRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Names of the attributes to delete.
    #[serde(rename = "UserAttributeNames")]
    pub user_attribute_names: Vec<String>,
}

/// `AdminDeleteUserAttributes` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDeleteUserAttributesResponse {}

/// `AdminDisableUser` request: disable a user and revoke their tokens (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDisableUserRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
}

/// `AdminDisableUser` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDisableUserResponse {}

/// `AdminEnableUser` request: re-enable a disabled user (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminEnableUserRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
}

/// `AdminEnableUser` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminEnableUserResponse {}

/// `ListUsers` request: list or search a pool's users, one page at a time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUsersRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Attribute names to include for each user; all when absent.
    #[serde(rename = "AttributesToGet")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
    /// Maximum number of users to return (0-60, default 60).
    #[serde(rename = "Limit")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "PaginationToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
    /// Search expression such as `email = "a@example.com"` or `family_name ^= "Sm"`.
    #[serde(rename = "Filter")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

/// `ListUsers` response: one page of users.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUsersResponse {
    /// Users on this page.
    #[serde(rename = "Users")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<User>>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "PaginationToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `AdminUserGlobalSignOut` request: revoke all of a user's refresh tokens (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminUserGlobalSignOutRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
}

/// `AdminUserGlobalSignOut` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminUserGlobalSignOutResponse {}
