//! Shapes describing a user pool's configuration.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    AdminCreateUserConfig, EmailConfiguration, SmsConfiguration, VerificationMessageTemplate,
};

/// A user pool's full configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPool {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "Id")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name of the user pool.
    #[serde(rename = "Name")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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
    /// Deprecated pool status (`Enabled`/`Disabled`).
    #[serde(rename = "Status")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When it was last changed, in epoch seconds.
    #[serde(rename = "LastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    /// When it was created, in epoch seconds.
    #[serde(rename = "CreationDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
    /// The pool's attribute schema.
    #[serde(rename = "SchemaAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_attributes: Option<Vec<SchemaAttribute>>,
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
    /// Approximate number of users in the pool.
    #[serde(rename = "EstimatedNumberOfUsers")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_number_of_users: Option<i64>,
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
    /// Why the SMS configuration is unusable, if it is.
    #[serde(rename = "SmsConfigurationFailure")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_configuration_failure: Option<String>,
    /// Why the email configuration is unusable, if it is.
    #[serde(rename = "EmailConfigurationFailure")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_configuration_failure: Option<String>,
    /// Prefix of the hosted-UI domain, if any.
    #[serde(rename = "Domain")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Custom hosted-UI domain, if any.
    #[serde(rename = "CustomDomain")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_domain: Option<String>,
    /// Settings for users created by an administrator (invitation message, self sign-up).
    #[serde(rename = "AdminCreateUserConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    /// Threat-protection (advanced security) settings.
    #[serde(rename = "UserPoolAddOns")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_add_ons: Option<UserPoolAddOns>,
    /// Username matching settings.
    #[serde(rename = "UsernameConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_configuration: Option<UsernameConfiguration>,
    /// ARN of the user pool.
    #[serde(rename = "Arn")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Which verified channels may be used to recover the account, in priority order.
    #[serde(rename = "AccountRecoverySetting")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_recovery_setting: Option<AccountRecoverySetting>,
    /// Feature tier: `LITE`, `ESSENTIALS` or `PLUS`.
    #[serde(rename = "UserPoolTier")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_tier: Option<String>,
}

/// Summary of a user pool, as listed by `ListUserPools`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPoolDescription {
    /// Id of the user pool.
    #[serde(rename = "Id")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name of the user pool.
    #[serde(rename = "Name")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Lambda triggers attached to the pool.
    #[serde(rename = "LambdaConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_config: Option<LambdaConfig>,
    /// Deprecated pool status (`Enabled`/`Disabled`).
    #[serde(rename = "Status")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When it was last changed, in epoch seconds.
    #[serde(rename = "LastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    /// When it was created, in epoch seconds.
    #[serde(rename = "CreationDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
}

/// Pool policies.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPoolPolicies {
    /// Password strength rules.
    #[serde(rename = "PasswordPolicy")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicy>,
    /// Sign-in policy (allowed first factors).
    #[serde(rename = "SignInPolicy")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_policy: Option<SignInPolicy>,
}

/// Password strength rules of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// Minimum password length.
    #[serde(rename = "MinimumLength")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_length: Option<i64>,
    /// Whether an uppercase letter is required.
    #[serde(rename = "RequireUppercase")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_uppercase: Option<bool>,
    /// Whether a lowercase letter is required.
    #[serde(rename = "RequireLowercase")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_lowercase: Option<bool>,
    /// Whether a digit is required.
    #[serde(rename = "RequireNumbers")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_numbers: Option<bool>,
    /// Whether a symbol is required.
    #[serde(rename = "RequireSymbols")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_symbols: Option<bool>,
    /// Number of previous passwords a new one may not repeat.
    #[serde(rename = "PasswordHistorySize")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_history_size: Option<i64>,
    /// Days an administrator-set temporary password stays usable.
    #[serde(rename = "TemporaryPasswordValidityDays")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary_password_validity_days: Option<i64>,
}

/// Sign-in policy of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignInPolicy {
    /// First factors allowed in the choice-based `USER_AUTH` flow.
    #[serde(rename = "AllowedFirstAuthFactors")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_first_auth_factors: Option<Vec<String>>,
}

/// Lambda triggers of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LambdaConfig {
    /// Lambda ARN of the pre-sign-up trigger.
    #[serde(rename = "PreSignUp")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_sign_up: Option<String>,
    /// Lambda ARN of the custom-message trigger.
    #[serde(rename = "CustomMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
    /// Lambda ARN of the post-confirmation trigger.
    #[serde(rename = "PostConfirmation")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_confirmation: Option<String>,
    /// Lambda ARN of the pre-authentication trigger.
    #[serde(rename = "PreAuthentication")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_authentication: Option<String>,
    /// Lambda ARN of the post-authentication trigger.
    #[serde(rename = "PostAuthentication")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_authentication: Option<String>,
    /// Lambda ARN of the define-auth-challenge trigger.
    #[serde(rename = "DefineAuthChallenge")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub define_auth_challenge: Option<String>,
    /// Lambda ARN of the create-auth-challenge trigger.
    #[serde(rename = "CreateAuthChallenge")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_auth_challenge: Option<String>,
    /// Lambda ARN of the verify-auth-challenge-response trigger.
    #[serde(rename = "VerifyAuthChallengeResponse")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_auth_challenge_response: Option<String>,
    /// Legacy Lambda ARN of the pre-token-generation trigger (version 1 events).
    #[serde(rename = "PreTokenGeneration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_token_generation: Option<String>,
    /// Lambda ARN of the user-migration trigger.
    #[serde(rename = "UserMigration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_migration: Option<String>,
    /// Pre-token-generation trigger with its event version.
    #[serde(rename = "PreTokenGenerationConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_token_generation_config: Option<LambdaVersionConfig>,
    /// Lambda that sends SMS in place of Cognito.
    #[serde(rename = "CustomSMSSender")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_sms_sender: Option<LambdaVersionConfig>,
    /// Lambda that sends email in place of Cognito.
    #[serde(rename = "CustomEmailSender")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_email_sender: Option<LambdaVersionConfig>,
    /// KMS key ARN used to encrypt codes for the custom sender triggers.
    #[serde(rename = "KMSKeyID")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// Lambda invoked during inbound federation.
    #[serde(rename = "InboundFederation")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_federation: Option<LambdaVersionConfig>,
}

/// A Lambda trigger together with the event version it expects.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LambdaVersionConfig {
    /// Version of the trigger event format the function expects.
    #[serde(rename = "LambdaVersion")]
    pub lambda_version: String,
    /// ARN of the Lambda function.
    #[serde(rename = "LambdaArn")]
    pub lambda_arn: String,
}

/// One attribute of a pool's schema.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemaAttribute {
    /// Name of the attribute (without `custom:` for custom attributes).
    #[serde(rename = "Name")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Data type of the attribute: `String`, `Number`, `DateTime` or `Boolean`.
    #[serde(rename = "AttributeDataType")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_data_type: Option<String>,
    /// Legacy: attribute only readable and writable with admin credentials.
    #[serde(rename = "DeveloperOnlyAttribute")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_only_attribute: Option<bool>,
    /// Whether the value can change after it is set.
    #[serde(rename = "Mutable")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutable: Option<bool>,
    /// Whether every user must have a value.
    #[serde(rename = "Required")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Value limits for a `Number` attribute.
    #[serde(rename = "NumberAttributeConstraints")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_attribute_constraints: Option<NumberAttributeConstraints>,
    /// Length limits for a `String` attribute.
    #[serde(rename = "StringAttributeConstraints")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_attribute_constraints: Option<StringAttributeConstraints>,
}

/// Length limits of a `String` attribute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StringAttributeConstraints {
    /// Minimum length, as a decimal string.
    #[serde(rename = "MinLength")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<String>,
    /// Maximum length, as a decimal string.
    #[serde(rename = "MaxLength")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<String>,
}

/// Value limits of a `Number` attribute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberAttributeConstraints {
    /// Minimum value, as a decimal string.
    #[serde(rename = "MinValue")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<String>,
    /// Maximum value, as a decimal string.
    #[serde(rename = "MaxValue")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<String>,
}

/// How usernames are matched.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UsernameConfiguration {
    /// Whether usernames (and aliases) are matched case-sensitively.
    #[serde(rename = "CaseSensitive")]
    pub case_sensitive: bool,
}

/// Account-recovery mechanisms of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountRecoverySetting {
    /// Recovery mechanisms, each with a priority.
    #[serde(rename = "RecoveryMechanisms")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_mechanisms: Option<Vec<RecoveryOption>>,
}

/// One account-recovery mechanism.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecoveryOption {
    /// Order of the mechanism; 1 is tried first.
    #[serde(rename = "Priority")]
    pub priority: i64,
    /// Recovery mechanism: `verified_email`, `verified_phone_number` or `admin_only`.
    #[serde(rename = "Name")]
    pub name: String,
}

/// How changes to verified attributes are applied.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserAttributeUpdateSettings {
    /// Attributes (`email`, `phone_number`) whose new value only takes effect once verified.
    #[serde(rename = "AttributesRequireVerificationBeforeUpdate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_require_verification_before_update: Option<Vec<String>>,
}

/// Threat-protection (advanced security) settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPoolAddOns {
    /// Threat-protection mode: `OFF`, `AUDIT` or `ENFORCED`.
    #[serde(rename = "AdvancedSecurityMode")]
    pub advanced_security_mode: String,
    /// Threat-protection settings for custom-auth flows.
    #[serde(rename = "AdvancedSecurityAdditionalFlows")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_security_additional_flows: Option<AdvancedSecurityAdditionalFlows>,
}

/// Threat-protection settings for custom-auth flows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdvancedSecurityAdditionalFlows {
    /// Threat-protection mode for custom-auth flows: `AUDIT` or `ENFORCED`.
    #[serde(rename = "CustomAuthMode")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_auth_mode: Option<String>,
}

/// Device-tracking settings of a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceConfiguration {
    /// Whether a new device must pass an MFA challenge before it can be remembered.
    #[serde(rename = "ChallengeRequiredOnNewDevice")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_required_on_new_device: Option<bool>,
    /// When true, a device is only remembered if the user opts in.
    #[serde(rename = "DeviceOnlyRememberedOnUserPrompt")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_only_remembered_on_user_prompt: Option<bool>,
}
