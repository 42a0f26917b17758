//! User pools: create, read, list, update, delete, custom attributes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    AccountRecoverySetting, AdminCreateUserConfig, DeviceConfiguration, EmailConfiguration,
    LambdaConfig, SchemaAttribute, SmsConfiguration, UserAttributeUpdateSettings, UserPool,
    UserPoolAddOns, UserPoolDescription, UserPoolPolicies, UsernameConfiguration,
    VerificationMessageTemplate,
};

/// `CreateUserPool` request: create a user pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateUserPoolRequest {
    /// Name of the user pool.
    #[serde(rename = "PoolName")]
    pub pool_name: String,
    /// Pool policies (password and sign-in).
    #[serde(rename = "Policies")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<UserPoolPolicies>,
    /// `ACTIVE` prevents deleting the pool; `INACTIVE` allows it.
    #[serde(rename = "DeletionProtection")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<String>,
    /// Lambda triggers attached to the pool.
    #[serde(rename = "LambdaConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_config: Option<LambdaConfig>,
    /// Attributes Cognito sends a verification code to at sign-up (`email`, `phone_number`).
    #[serde(rename = "AutoVerifiedAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_verified_attributes: Option<Vec<String>>,
    /// Attributes that may be used as an alias to sign in (`email`, `phone_number`, `preferred_username`).
    #[serde(rename = "AliasAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_attributes: Option<Vec<String>>,
    /// Attributes (`email`, `phone_number`) that replace the username at sign-up.
    #[serde(rename = "UsernameAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_attributes: Option<Vec<String>>,
    /// Legacy: text of the verification SMS; use `VerificationMessageTemplate`.
    #[serde(rename = "SmsVerificationMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_verification_message: Option<String>,
    /// Legacy: body of the verification email; use `VerificationMessageTemplate`.
    #[serde(rename = "EmailVerificationMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
    /// Legacy: subject of the verification email; use `VerificationMessageTemplate`.
    #[serde(rename = "EmailVerificationSubject")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    /// Verification message templates (SMS and email).
    #[serde(rename = "VerificationMessageTemplate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_message_template: Option<VerificationMessageTemplate>,
    /// Text of the MFA SMS; must contain `{####}`.
    #[serde(rename = "SmsAuthenticationMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    /// MFA mode of the pool: `OFF`, `ON` or `OPTIONAL`.
    #[serde(rename = "MfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// Settings for attribute changes that require verification.
    #[serde(rename = "UserAttributeUpdateSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettings>,
    /// Device-tracking settings.
    #[serde(rename = "DeviceConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfiguration>,
    /// How email is sent (Cognito default or SES).
    #[serde(rename = "EmailConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_configuration: Option<EmailConfiguration>,
    /// How SMS are sent (SNS role).
    #[serde(rename = "SmsConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfiguration>,
    /// Cost-allocation tags of the pool.
    #[serde(rename = "UserPoolTags")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_tags: Option<BTreeMap<String, String>>,
    /// Settings for users created by an administrator (invitation message, self sign-up).
    #[serde(rename = "AdminCreateUserConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    /// Attribute schema: standard attributes to adjust and custom attributes to add.
    #[serde(rename = "Schema")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Vec<SchemaAttribute>>,
    /// Threat-protection (advanced security) settings.
    #[serde(rename = "UserPoolAddOns")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_add_ons: Option<UserPoolAddOns>,
    /// Username matching settings.
    #[serde(rename = "UsernameConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_configuration: Option<UsernameConfiguration>,
    /// Which verified channels may be used to recover the account, in priority order.
    #[serde(rename = "AccountRecoverySetting")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_recovery_setting: Option<AccountRecoverySetting>,
    /// Feature tier: `LITE`, `ESSENTIALS` or `PLUS`.
    #[serde(rename = "UserPoolTier")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_tier: Option<String>,
}

/// `CreateUserPool` response: the pool as created.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateUserPoolResponse {
    /// The user pool.
    #[serde(rename = "UserPool")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool: Option<UserPool>,
}

/// `DescribeUserPool` request: read a user pool's configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeUserPoolRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `DescribeUserPool` response: the pool's configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeUserPoolResponse {
    /// The user pool.
    #[serde(rename = "UserPool")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool: Option<UserPool>,
}

/// `ListUserPools` request: list the user pools of the account, one page at a time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserPoolsRequest {
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// Maximum number of pools to return (1-60).
    #[serde(rename = "MaxResults")]
    pub max_results: i64,
}

/// `ListUserPools` response: one page of pools.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserPoolsResponse {
    /// User pools on this page.
    #[serde(rename = "UserPools")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pools: Option<Vec<UserPoolDescription>>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `UpdateUserPool` request: replace a pool's settings; members left out are reset to their defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateUserPoolRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Pool policies (password and sign-in).
    #[serde(rename = "Policies")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<UserPoolPolicies>,
    /// `ACTIVE` prevents deleting the pool; `INACTIVE` allows it.
    #[serde(rename = "DeletionProtection")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<String>,
    /// Lambda triggers attached to the pool.
    #[serde(rename = "LambdaConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_config: Option<LambdaConfig>,
    /// Attributes Cognito sends a verification code to at sign-up (`email`, `phone_number`).
    #[serde(rename = "AutoVerifiedAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_verified_attributes: Option<Vec<String>>,
    /// Legacy: text of the verification SMS; use `VerificationMessageTemplate`.
    #[serde(rename = "SmsVerificationMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_verification_message: Option<String>,
    /// Legacy: body of the verification email; use `VerificationMessageTemplate`.
    #[serde(rename = "EmailVerificationMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
    /// Legacy: subject of the verification email; use `VerificationMessageTemplate`.
    #[serde(rename = "EmailVerificationSubject")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    /// Verification message templates (SMS and email).
    #[serde(rename = "VerificationMessageTemplate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_message_template: Option<VerificationMessageTemplate>,
    /// Text of the MFA SMS; must contain `{####}`.
    #[serde(rename = "SmsAuthenticationMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    /// Settings for attribute changes that require verification.
    #[serde(rename = "UserAttributeUpdateSettings")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettings>,
    /// MFA mode of the pool: `OFF`, `ON` or `OPTIONAL`.
    #[serde(rename = "MfaConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// Device-tracking settings.
    #[serde(rename = "DeviceConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfiguration>,
    /// How email is sent (Cognito default or SES).
    #[serde(rename = "EmailConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_configuration: Option<EmailConfiguration>,
    /// How SMS are sent (SNS role).
    #[serde(rename = "SmsConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfiguration>,
    /// Cost-allocation tags of the pool.
    #[serde(rename = "UserPoolTags")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_tags: Option<BTreeMap<String, String>>,
    /// Settings for users created by an administrator (invitation message, self sign-up).
    #[serde(rename = "AdminCreateUserConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    /// Threat-protection (advanced security) settings.
    #[serde(rename = "UserPoolAddOns")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_add_ons: Option<UserPoolAddOns>,
    /// Which verified channels may be used to recover the account, in priority order.
    #[serde(rename = "AccountRecoverySetting")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_recovery_setting: Option<AccountRecoverySetting>,
    /// New name of the user pool.
    #[serde(rename = "PoolName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_name: Option<String>,
    /// Feature tier: `LITE`, `ESSENTIALS` or `PLUS`.
    #[serde(rename = "UserPoolTier")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_tier: Option<String>,
}

/// `UpdateUserPool` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateUserPoolResponse {}

/// `DeleteUserPool` request: delete a user pool and everything in it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPoolRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `DeleteUserPool` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPoolResponse {}

/// `AddCustomAttributes` request: add custom attributes to a pool's schema.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AddCustomAttributesRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Custom attributes to add to the schema.
    #[serde(rename = "CustomAttributes")]
    pub custom_attributes: Vec<SchemaAttribute>,
}

/// `AddCustomAttributes` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AddCustomAttributesResponse {}
