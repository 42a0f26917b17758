//! A user pool and its settings.

use serde::{Deserialize, Serialize};

use crate::password_policy::PasswordPolicy;
use crate::Millis;

/// A user pool: the container of users, app clients and groups, and the rules they follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPool {
    /// `<region>_<9 alphanumerics>`.
    pub id: String,
    /// The pool name given at creation (`PoolName`).
    pub name: String,
    /// When the pool was created.
    pub created_at: Millis,
    /// When the pool was last changed.
    pub modified_at: Millis,
    /// Everything configurable about the pool. Shared: a request reads the pool's
    /// settings as the store last parsed them, and a change copies them first
    /// (`Arc::make_mut`).
    pub settings: std::sync::Arc<PoolSettings>,
}

/// A sign-in identifier other than the username: `email`, `phone_number` or
/// `preferred_username`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasKind {
    /// The `email` attribute.
    Email,
    /// The `phone_number` attribute.
    PhoneNumber,
    /// The `preferred_username` attribute (alias pools only).
    PreferredUsername,
}

impl AliasKind {
    /// The attribute this alias is read from.
    pub fn attribute(self) -> &'static str {
        match self {
            AliasKind::Email => "email",
            AliasKind::PhoneNumber => "phone_number",
            AliasKind::PreferredUsername => "preferred_username",
        }
    }

    /// The alias for an attribute name, if it can be one.
    pub fn from_attribute(name: &str) -> Option<AliasKind> {
        match name {
            "email" => Some(AliasKind::Email),
            "phone_number" => Some(AliasKind::PhoneNumber),
            "preferred_username" => Some(AliasKind::PreferredUsername),
            _ => None,
        }
    }
}

/// The pool's `MfaConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MfaConfiguration {
    /// No MFA.
    #[default]
    Off,
    /// Users may enable MFA.
    Optional,
    /// Every user must use MFA.
    On,
}

/// The pool's feature plan (`UserPoolTier`). Choice-based sign-in and its factors need
/// `ESSENTIALS` or above, as in Cognito.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PoolTier {
    /// `LITE`.
    Lite,
    /// `ESSENTIALS` (Cognito's default for new pools).
    #[default]
    Essentials,
    /// `PLUS`.
    Plus,
}

impl PoolTier {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PoolTier::Lite => "LITE",
            PoolTier::Essentials => "ESSENTIALS",
            PoolTier::Plus => "PLUS",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<PoolTier> {
        [PoolTier::Lite, PoolTier::Essentials, PoolTier::Plus]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// A first factor of choice-based sign-in (`Policies.SignInPolicy.AllowedFirstAuthFactors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthFactor {
    /// `PASSWORD` (plain or SRP).
    Password,
    /// `EMAIL_OTP`: a code sent to the verified e-mail address.
    EmailOtp,
    /// `SMS_OTP`: a code sent to the verified phone number.
    SmsOtp,
    /// `WEB_AUTHN`: a passkey.
    WebAuthn,
}

impl AuthFactor {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthFactor::Password => "PASSWORD",
            AuthFactor::EmailOtp => "EMAIL_OTP",
            AuthFactor::SmsOtp => "SMS_OTP",
            AuthFactor::WebAuthn => "WEB_AUTHN",
        }
    }

    /// Parses a wire name (`SOFTWARE_TOKEN` is an MFA factor only: `None`).
    pub fn parse(s: &str) -> Option<AuthFactor> {
        [
            AuthFactor::Password,
            AuthFactor::EmailOtp,
            AuthFactor::SmsOtp,
            AuthFactor::WebAuthn,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }
}

/// `DeviceConfiguration`: the pool tracks devices (any member set turns it on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DevicePolicy {
    /// `ChallengeRequiredOnNewDevice`: a remembered device, proven by device SRP, stands
    /// in for the second factor; other devices still need it.
    pub challenge_required_on_new_device: bool,
    /// `DeviceOnlyRememberedOnUserPrompt`: `ConfirmDevice` leaves a device
    /// `not_remembered` until `UpdateDeviceStatus` remembers it.
    pub only_remembered_on_user_prompt: bool,
}

/// `WebAuthnConfiguration`: passkeys for the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebAuthnSettings {
    /// `RelyingPartyId`: the host passkeys are bound to. Keystep serves no hosted pages
    /// yet, so there is no default; without it registration answers
    /// `WebAuthnConfigurationMissingException`.
    pub relying_party_id: Option<String>,
    /// `UserVerification` is `required` (`true`) or `preferred`. Keystep's passkey
    /// ceremonies ask authenticators to verify the user either way (see docs).
    pub user_verification_required: bool,
}

/// `Policies.SignInPolicy.AllowedFirstAuthFactors` when a pool never set one.
fn default_first_factors() -> Vec<AuthFactor> {
    vec![AuthFactor::Password]
}

/// How users sign in: with a username plus aliases, or with email/phone as the username.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignInIdentifiers {
    /// `UsernameAttributes`: email and/or phone number *are* the username (the stored
    /// username becomes the `sub`). Only `Email` and `PhoneNumber` appear here.
    pub username_attributes: Vec<AliasKind>,
    /// `AliasAttributes`: verified attributes that also sign a user in.
    pub alias_attributes: Vec<AliasKind>,
    /// `UsernameConfiguration.CaseSensitive`; Cognito's API default is `true`... but the
    /// console default and the recommended setting is `false`.
    pub case_sensitive: bool,
}

/// The data type of a schema attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AttributeDataType {
    /// `String`.
    #[default]
    String,
    /// `Number`.
    Number,
    /// `DateTime`.
    DateTime,
    /// `Boolean`.
    Boolean,
}

/// One schema attribute (standard or `custom:`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaAttribute {
    /// Full name, `custom:` prefix included for custom attributes.
    pub name: String,
    /// Its data type.
    pub data_type: AttributeDataType,
    /// Whether only admins (not users themselves) may write it... as Cognito's
    /// `DeveloperOnlyAttribute`.
    pub developer_only: bool,
    /// Whether it may change after creation.
    pub mutable: bool,
    /// Whether sign-up must supply it.
    pub required: bool,
    /// String length bounds (`StringAttributeConstraints`).
    pub min_length: Option<u32>,
    /// Upper string length bound.
    pub max_length: Option<u32>,
    /// Number bounds (`NumberAttributeConstraints`).
    pub min_value: Option<i64>,
    /// Upper number bound.
    pub max_value: Option<i64>,
}

/// One `AccountRecoverySetting.RecoveryMechanisms` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryMechanism {
    /// Which channel.
    pub channel: RecoveryChannel,
    /// 1 = tried first.
    pub priority: u8,
}

/// A password-recovery channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryChannel {
    /// `verified_email`.
    VerifiedEmail,
    /// `verified_phone_number`.
    VerifiedPhoneNumber,
    /// `admin_only`: users cannot reset their own password.
    AdminOnly,
}

/// The `LambdaConfig` slots. Stored as given; invoked by the trigger issue.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LambdaConfig {
    /// Slot name (`PreSignUp`, `DefineAuthChallenge`, ...) to the ARN or URL given.
    pub slots: std::collections::BTreeMap<String, String>,
    /// `PreTokenGenerationConfig.LambdaVersion` (`V1_0`, `V2_0`...), if given.
    pub pre_token_generation_version: Option<String>,
}

/// Message templates (`VerificationMessageTemplate`, `AdminCreateUserConfig.InviteMessageTemplate`,
/// `SmsVerificationMessage`...). Each template keeps `{####}` and `{username}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MessageTemplates {
    /// SMS for sign-up and attribute verification codes.
    pub sms_verification: Option<String>,
    /// E-mail body for verification codes.
    pub email_verification: Option<String>,
    /// E-mail subject for verification codes.
    pub email_verification_subject: Option<String>,
    /// `DefaultEmailOption` (`CONFIRM_WITH_CODE` / `CONFIRM_WITH_LINK`).
    pub default_email_option: Option<String>,
    /// SMS for MFA codes (`SmsAuthenticationMessage`).
    pub sms_authentication: Option<String>,
    /// Invitation SMS (AdminCreateUser).
    pub invite_sms: Option<String>,
    /// Invitation e-mail body.
    pub invite_email: Option<String>,
    /// Invitation e-mail subject.
    pub invite_email_subject: Option<String>,
}

/// Everything configurable about a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolSettings {
    /// `Policies.PasswordPolicy`.
    pub password_policy: PasswordPolicy,
    /// Username, alias and case rules.
    pub identifiers: SignInIdentifiers,
    /// `AutoVerifiedAttributes`: attributes whose verification code is sent at sign-up.
    pub auto_verified: Vec<AliasKind>,
    /// The schema: standard attributes plus any `custom:` ones.
    pub schema: Vec<SchemaAttribute>,
    /// `MfaConfiguration`.
    pub mfa: MfaConfiguration,
    /// Whether TOTP is enabled as a factor (`SoftwareTokenMfaConfiguration.Enabled`).
    pub totp_mfa_enabled: bool,
    /// Whether SMS is enabled as a factor (a `SmsMfaConfiguration` or `SmsConfiguration` was set).
    pub sms_mfa_enabled: bool,
    /// Whether e-mail is enabled as a factor (`EmailMfaConfiguration` set).
    pub email_mfa_enabled: bool,
    /// `EmailMfaConfiguration.Message` / `.Subject`.
    pub email_mfa_message: Option<String>,
    /// E-mail MFA subject.
    pub email_mfa_subject: Option<String>,
    /// `SmsConfiguration` (accepted and echoed; SMS goes to the outbox).
    pub sms_configuration: Option<SmsConfiguration>,
    /// `LambdaConfig`.
    pub lambda: LambdaConfig,
    /// `AdminCreateUserConfig.AllowAdminCreateUserOnly`.
    pub admin_create_user_only: bool,
    /// `AccountRecoverySetting.RecoveryMechanisms`; empty means the legacy default
    /// (verified phone, then verified e-mail).
    pub recovery: Vec<RecoveryMechanism>,
    /// Message templates.
    pub templates: MessageTemplates,
    /// `DeletionProtection` ACTIVE.
    pub deletion_protection: bool,
    /// `UserPoolTags`.
    pub tags: std::collections::BTreeMap<String, String>,
    /// `SetUserPoolSessionConfiguration`.
    #[serde(default)]
    pub session_tracking: crate::user_session::SessionTracking,
    /// Risk configurations (`SetRiskConfiguration`), by client id or `ALL`.
    #[serde(default)]
    pub risk: std::collections::BTreeMap<String, crate::risk::RiskConfiguration>,
    /// `EmailConfiguration` as given (echoed; e-mail goes to the outbox).
    pub email_configuration: Option<EmailConfiguration>,
    /// `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`.
    pub attributes_require_verification_before_update: Vec<AliasKind>,
    /// `UserPoolTier`.
    #[serde(default)]
    pub tier: PoolTier,
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors`: what `USER_AUTH` may start with.
    #[serde(default = "default_first_factors")]
    pub first_factors: Vec<AuthFactor>,
    /// `DeviceConfiguration`; `None`: devices are not tracked.
    #[serde(default)]
    pub devices: Option<DevicePolicy>,
    /// `WebAuthnConfiguration` of `SetUserPoolMfaConfig`; `None` when never set.
    #[serde(default)]
    pub webauthn: Option<WebAuthnSettings>,
    /// Settings Keystep accepts and shows back but does not act on yet
    /// (`UserPoolAddOns`,
    /// `AdminCreateUserConfig.UnusedAccountValidityDays`...), keyed by wire member name.
    #[serde(default)]
    pub echo: std::collections::BTreeMap<String, serde_json::Value>,
}

/// `SmsConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SmsConfiguration {
    /// `SnsCallerArn`.
    pub sns_caller_arn: String,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// `SnsRegion`.
    pub sns_region: Option<String>,
}

/// `EmailConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmailConfiguration {
    /// `SourceArn`.
    pub source_arn: Option<String>,
    /// `ReplyToEmailAddress`.
    pub reply_to: Option<String>,
    /// `EmailSendingAccount`.
    pub sending_account: Option<String>,
    /// `From`.
    pub from: Option<String>,
    /// `ConfigurationSet`.
    pub configuration_set: Option<String>,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            password_policy: PasswordPolicy::default(),
            identifiers: SignInIdentifiers {
                case_sensitive: false,
                ..Default::default()
            },
            auto_verified: Vec::new(),
            schema: crate::attributes::standard_schema(),
            mfa: MfaConfiguration::Off,
            totp_mfa_enabled: false,
            sms_mfa_enabled: false,
            email_mfa_enabled: false,
            email_mfa_message: None,
            email_mfa_subject: None,
            sms_configuration: None,
            lambda: LambdaConfig::default(),
            admin_create_user_only: false,
            recovery: Vec::new(),
            templates: MessageTemplates::default(),
            deletion_protection: false,
            tags: Default::default(),
            risk: Default::default(),
            session_tracking: Default::default(),
            email_configuration: None,
            attributes_require_verification_before_update: Vec::new(),
            tier: PoolTier::default(),
            first_factors: default_first_factors(),
            devices: None,
            webauthn: None,
            echo: Default::default(),
        }
    }
}

impl PoolSettings {
    /// Pools stored before the tier, the sign-in policy and device tracking were acted on
    /// kept them, as
    /// given, among the echoed settings: move them into their fields.
    pub fn lift_echo(&mut self) {
        if let Some(dc) = self.echo.remove("DeviceConfiguration") {
            let flag = |name: &str| dc.get(name).and_then(|v| v.as_bool());
            let challenge = flag("ChallengeRequiredOnNewDevice");
            let prompt = flag("DeviceOnlyRememberedOnUserPrompt");
            if challenge.is_some() || prompt.is_some() {
                self.devices = Some(DevicePolicy {
                    challenge_required_on_new_device: challenge.unwrap_or(false),
                    only_remembered_on_user_prompt: prompt.unwrap_or(false),
                });
            }
        }
        if let Some(tier) = self.echo.remove("UserPoolTier") {
            if let Some(tier) = tier.as_str().and_then(PoolTier::parse) {
                self.tier = tier;
            }
        }
        if let Some(policy) = self.echo.remove("SignInPolicy") {
            let factors: Option<Vec<AuthFactor>> = policy
                .get("AllowedFirstAuthFactors")
                .and_then(|v| v.as_array())
                .map(|names| {
                    names
                        .iter()
                        .filter_map(|n| n.as_str().and_then(AuthFactor::parse))
                        .collect()
                });
            if let Some(factors) = factors.filter(|f| !f.is_empty()) {
                self.first_factors = factors;
            }
        }
    }
}

impl UserPool {
    /// Prepares a compare-and-swap write of the pool (`Store::update_pool_if`): moves
    /// `modified_at` to `now`, or strictly past it so that two changes in one millisecond
    /// still conflict, and returns the value the write must find stored.
    pub fn touch(&mut self, now: crate::Millis) -> crate::Millis {
        let before = self.modified_at;
        self.modified_at = crate::Millis(now.0.max(before.0 + 1));
        before
    }

    /// The schema entry for `name`, if the pool knows that attribute.
    pub fn attribute(&self, name: &str) -> Option<&SchemaAttribute> {
        self.settings.schema.iter().find(|a| a.name == name)
    }

    /// Whether email/phone are the username (the stored username is then the `sub`).
    pub fn uses_username_attributes(&self) -> bool {
        !self.settings.identifiers.username_attributes.is_empty()
    }

    /// The key a username is stored and looked up under (lowercased when the pool is
    /// case-insensitive).
    pub fn username_key(&self, username: &str) -> String {
        if self.settings.identifiers.case_sensitive {
            username.to_string()
        } else {
            username.to_lowercase()
        }
    }

    /// The Cognito ARN of the pool.
    pub fn arn(&self, account_id: &str) -> String {
        format!(
            "arn:aws:cognito-idp:{}:{}:userpool/{}",
            crate::ids::region_of(&self.id),
            account_id,
            self.id
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Millis;

    #[test]
    fn touch_moves_modified_at_strictly_later_and_returns_the_old_value() {
        let mut pool = UserPool {
            id: "us-east-1_abc".into(),
            name: "p".into(),
            created_at: Millis(0),
            modified_at: Millis(1_000),
            settings: PoolSettings::default().into(),
        };
        assert_eq!(pool.touch(Millis(5_000)), Millis(1_000));
        assert_eq!(pool.modified_at, Millis(5_000));
        // The same millisecond, or a clock behind: still strictly later.
        assert_eq!(pool.touch(Millis(5_000)), Millis(5_000));
        assert_eq!(pool.modified_at, Millis(5_001));
        pool.touch(Millis(10));
        assert_eq!(pool.modified_at, Millis(5_002));
    }
}
