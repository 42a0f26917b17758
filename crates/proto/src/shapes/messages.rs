//! Message templates and delivery (email/SMS) configuration.

use serde::{Deserialize, Serialize};

/// Templates of verification messages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VerificationMessageTemplate {
    /// Text of the verification SMS; must contain `{####}`.
    #[serde(rename = "SmsMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    /// Body of the verification email in code mode; must contain `{####}`.
    #[serde(rename = "EmailMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    /// Subject of the verification email in code mode.
    #[serde(rename = "EmailSubject")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    /// Body of the verification email in link mode; must contain `{##Verify Email##}`.
    #[serde(rename = "EmailMessageByLink")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message_by_link: Option<String>,
    /// Subject of the verification email in link mode.
    #[serde(rename = "EmailSubjectByLink")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject_by_link: Option<String>,
    /// Whether verification email carries a code or a link: `CONFIRM_WITH_CODE` or `CONFIRM_WITH_LINK`.
    #[serde(rename = "DefaultEmailOption")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<String>,
}

/// Settings for administrator-created users.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminCreateUserConfig {
    /// When true, only administrators may create users (self sign-up disabled).
    #[serde(rename = "AllowAdminCreateUserOnly")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_admin_create_user_only: Option<bool>,
    /// Legacy: days a temporary password stays usable.
    #[serde(rename = "UnusedAccountValidityDays")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_account_validity_days: Option<i64>,
    /// Invitation message with the temporary password.
    #[serde(rename = "InviteMessageTemplate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<MessageTemplate>,
}

/// Template of the invitation message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageTemplate {
    /// Text of the invitation SMS; must contain `{username}` and `{####}`.
    #[serde(rename = "SMSMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    /// Body of the invitation email; must contain `{username}` and `{####}`.
    #[serde(rename = "EmailMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    /// Subject of the invitation email.
    #[serde(rename = "EmailSubject")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
}

/// How a pool sends email.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailConfiguration {
    /// ARN of the verified SES identity used as sender.
    #[serde(rename = "SourceArn")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    /// Reply-To address of outgoing email.
    #[serde(rename = "ReplyToEmailAddress")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_email_address: Option<String>,
    /// `COGNITO_DEFAULT` or `DEVELOPER` (SES).
    #[serde(rename = "EmailSendingAccount")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_sending_account: Option<String>,
    /// Sender address, optionally with a display name.
    #[serde(rename = "From")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// SES configuration set applied to outgoing email.
    #[serde(rename = "ConfigurationSet")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_set: Option<String>,
}

/// How a pool sends SMS.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SmsConfiguration {
    /// ARN of the IAM role used to publish SMS through SNS.
    #[serde(rename = "SnsCallerArn")]
    pub sns_caller_arn: String,
    /// External id used when assuming the role.
    #[serde(rename = "ExternalId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// AWS region of SNS.
    #[serde(rename = "SnsRegion")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_region: Option<String>,
}
