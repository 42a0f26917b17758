//! Mapping between the wire's pool members and the domain's `PoolSettings`.
//!
//! CreateUserPool and UpdateUserPool carry the same settings members; UpdateUserPool
//! resets every member it does not carry to its default, as Cognito does.

use std::collections::BTreeMap;

use keystep_core::password_policy::PasswordPolicy;
use keystep_core::pool::{
    AliasKind, AttributeDataType, AuthFactor, DevicePolicy, EmailConfiguration, LambdaConfig,
    MessageTemplates, MfaConfiguration, PoolSettings, PoolTier, RecoveryChannel, RecoveryMechanism,
    SchemaAttribute, SmsConfiguration,
};
use keystep_core::service::pools::PoolView;
use keystep_core::AuthError;
use keystep_proto as proto;

fn invalid(msg: impl Into<String>) -> AuthError {
    AuthError::InvalidParameter(msg.into())
}

/// The settings members shared by CreateUserPool and UpdateUserPool.
pub struct PoolFields<'a> {
    pub policies: Option<&'a proto::UserPoolPolicies>,
    pub deletion_protection: Option<&'a str>,
    pub lambda_config: Option<&'a proto::LambdaConfig>,
    pub auto_verified_attributes: Option<&'a [String]>,
    pub sms_verification_message: Option<&'a str>,
    pub email_verification_message: Option<&'a str>,
    pub email_verification_subject: Option<&'a str>,
    pub verification_message_template: Option<&'a proto::VerificationMessageTemplate>,
    pub sms_authentication_message: Option<&'a str>,
    pub mfa_configuration: Option<&'a str>,
    pub user_attribute_update_settings: Option<&'a proto::UserAttributeUpdateSettings>,
    pub device_configuration: Option<&'a proto::DeviceConfiguration>,
    pub email_configuration: Option<&'a proto::EmailConfiguration>,
    pub sms_configuration: Option<&'a proto::SmsConfiguration>,
    pub user_pool_tags: Option<&'a BTreeMap<String, String>>,
    pub admin_create_user_config: Option<&'a proto::AdminCreateUserConfig>,
    pub user_pool_add_ons: Option<&'a proto::UserPoolAddOns>,
    pub account_recovery_setting: Option<&'a proto::AccountRecoverySetting>,
    pub user_pool_tier: Option<&'a str>,
}

impl<'a> PoolFields<'a> {
    /// The settings members of a CreateUserPool request.
    pub fn of_create(r: &'a proto::CreateUserPoolRequest) -> Self {
        PoolFields {
            policies: r.policies.as_ref(),
            deletion_protection: r.deletion_protection.as_deref(),
            lambda_config: r.lambda_config.as_ref(),
            auto_verified_attributes: r.auto_verified_attributes.as_deref(),
            sms_verification_message: r.sms_verification_message.as_deref(),
            email_verification_message: r.email_verification_message.as_deref(),
            email_verification_subject: r.email_verification_subject.as_deref(),
            verification_message_template: r.verification_message_template.as_ref(),
            sms_authentication_message: r.sms_authentication_message.as_deref(),
            mfa_configuration: r.mfa_configuration.as_deref(),
            user_attribute_update_settings: r.user_attribute_update_settings.as_ref(),
            device_configuration: r.device_configuration.as_ref(),
            email_configuration: r.email_configuration.as_ref(),
            sms_configuration: r.sms_configuration.as_ref(),
            user_pool_tags: r.user_pool_tags.as_ref(),
            admin_create_user_config: r.admin_create_user_config.as_ref(),
            user_pool_add_ons: r.user_pool_add_ons.as_ref(),
            account_recovery_setting: r.account_recovery_setting.as_ref(),
            user_pool_tier: r.user_pool_tier.as_deref(),
        }
    }

    /// The settings members of an UpdateUserPool request.
    pub fn of_update(r: &'a proto::UpdateUserPoolRequest) -> Self {
        PoolFields {
            policies: r.policies.as_ref(),
            deletion_protection: r.deletion_protection.as_deref(),
            lambda_config: r.lambda_config.as_ref(),
            auto_verified_attributes: r.auto_verified_attributes.as_deref(),
            sms_verification_message: r.sms_verification_message.as_deref(),
            email_verification_message: r.email_verification_message.as_deref(),
            email_verification_subject: r.email_verification_subject.as_deref(),
            verification_message_template: r.verification_message_template.as_ref(),
            sms_authentication_message: r.sms_authentication_message.as_deref(),
            mfa_configuration: r.mfa_configuration.as_deref(),
            user_attribute_update_settings: r.user_attribute_update_settings.as_ref(),
            device_configuration: r.device_configuration.as_ref(),
            email_configuration: r.email_configuration.as_ref(),
            sms_configuration: r.sms_configuration.as_ref(),
            user_pool_tags: r.user_pool_tags.as_ref(),
            admin_create_user_config: r.admin_create_user_config.as_ref(),
            user_pool_add_ons: r.user_pool_add_ons.as_ref(),
            account_recovery_setting: r.account_recovery_setting.as_ref(),
            user_pool_tier: r.user_pool_tier.as_deref(),
        }
    }

    /// Builds domain settings from these members (defaults for absent ones). Identifiers
    /// and schema are filled by the caller (they exist on CreateUserPool only).
    pub fn to_settings(&self) -> Result<PoolSettings, AuthError> {
        let mut s = PoolSettings::default();
        if let Some(pp) = self.policies.and_then(|p| p.password_policy.as_ref()) {
            s.password_policy = password_policy(pp)?;
        }
        if let Some(sip) = self.policies.and_then(|p| p.sign_in_policy.as_ref()) {
            if let Some(names) = &sip.allowed_first_auth_factors {
                s.first_factors = first_factors(names)?;
            }
        }
        s.deletion_protection = match self.deletion_protection {
            None | Some("INACTIVE") => false,
            Some("ACTIVE") => true,
            Some(other) => {
                return Err(enum_error(
                    "deletionProtection",
                    other,
                    &["ACTIVE", "INACTIVE"],
                ))
            }
        };
        if let Some(lc) = self.lambda_config {
            s.lambda = lambda_config(lc);
        }
        if let Some(av) = self.auto_verified_attributes {
            s.auto_verified = av
                .iter()
                .map(|a| match a.as_str() {
                    "email" => Ok(AliasKind::Email),
                    "phone_number" => Ok(AliasKind::PhoneNumber),
                    other => Err(enum_error(
                        "autoVerifiedAttributes",
                        other,
                        &["phone_number", "email"],
                    )),
                })
                .collect::<Result<_, _>>()?;
        }
        s.templates = templates(self);
        s.mfa = match self.mfa_configuration {
            None | Some("OFF") => MfaConfiguration::Off,
            Some("ON") => MfaConfiguration::On,
            Some("OPTIONAL") => MfaConfiguration::Optional,
            Some(other) => {
                return Err(enum_error(
                    "mfaConfiguration",
                    other,
                    &["OFF", "ON", "OPTIONAL"],
                ))
            }
        };
        // A pool with an SMS configuration can send SMS codes; TOTP is enabled separately
        // with SetUserPoolMfaConfig, but a pool created with MFA ON and no SMS setup would
        // be unusable, so TOTP is assumed there, as the console does.
        if let Some(sms) = self.sms_configuration {
            s.sms_configuration = Some(SmsConfiguration {
                sns_caller_arn: sms.sns_caller_arn.clone(),
                external_id: sms.external_id.clone(),
                sns_region: sms.sns_region.clone(),
            });
            s.sms_mfa_enabled = true;
        }
        if s.mfa != MfaConfiguration::Off && !s.sms_mfa_enabled {
            s.totp_mfa_enabled = true;
        }
        if let Some(u) = self.user_attribute_update_settings {
            s.attributes_require_verification_before_update = u
                .attributes_require_verification_before_update
                .iter()
                .flatten()
                .map(|a| {
                    AliasKind::from_attribute(a)
                        .filter(|k| *k != AliasKind::PreferredUsername)
                        .ok_or_else(|| {
                            enum_error(
                                "attributesRequireVerificationBeforeUpdate",
                                a,
                                &["phone_number", "email"],
                            )
                        })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(e) = self.email_configuration {
            s.email_configuration = Some(EmailConfiguration {
                source_arn: e.source_arn.clone(),
                reply_to: e.reply_to_email_address.clone(),
                sending_account: e.email_sending_account.clone(),
                from: e.from.clone(),
                configuration_set: e.configuration_set.clone(),
            });
        }
        if let Some(tags) = self.user_pool_tags {
            s.tags = tags.clone();
        }
        if let Some(ac) = self.admin_create_user_config {
            s.admin_create_user_only = ac.allow_admin_create_user_only.unwrap_or(false);
            if let Some(t) = &ac.invite_message_template {
                s.templates.invite_sms = t.sms_message.clone();
                s.templates.invite_email = t.email_message.clone();
                s.templates.invite_email_subject = t.email_subject.clone();
            }
            if let Some(days) = ac.unused_account_validity_days {
                s.echo
                    .insert("UnusedAccountValidityDays".into(), serde_json::json!(days));
            }
        }
        if let Some(ars) = self.account_recovery_setting {
            s.recovery = ars
                .recovery_mechanisms
                .iter()
                .flatten()
                .map(|m| {
                    let channel = match m.name.as_str() {
                        "verified_email" => RecoveryChannel::VerifiedEmail,
                        "verified_phone_number" => RecoveryChannel::VerifiedPhoneNumber,
                        "admin_only" => RecoveryChannel::AdminOnly,
                        other => {
                            return Err(enum_error(
                                "accountRecoverySetting.recoveryMechanisms.member.name",
                                other,
                                &["verified_email", "verified_phone_number", "admin_only"],
                            ))
                        }
                    };
                    let priority = u8::try_from(m.priority)
                        .ok()
                        .filter(|p| (1..=2).contains(p))
                        .ok_or_else(|| invalid("Recovery mechanism priority must be 1 or 2."))?;
                    Ok(RecoveryMechanism { channel, priority })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(dc) = self.device_configuration {
            let set = dc.challenge_required_on_new_device.is_some()
                || dc.device_only_remembered_on_user_prompt.is_some();
            s.devices = set.then(|| DevicePolicy {
                challenge_required_on_new_device: dc
                    .challenge_required_on_new_device
                    .unwrap_or(false),
                only_remembered_on_user_prompt: dc
                    .device_only_remembered_on_user_prompt
                    .unwrap_or(false),
            });
        }
        if let Some(ao) = self.user_pool_add_ons {
            s.echo.insert("UserPoolAddOns".into(), to_json(ao)?);
        }
        if let Some(t) = self.user_pool_tier {
            s.tier = PoolTier::parse(t)
                .ok_or_else(|| enum_error("userPoolTier", t, &["LITE", "ESSENTIALS", "PLUS"]))?;
        }
        if s.tier == PoolTier::Lite && s.first_factors != [AuthFactor::Password] {
            return Err(AuthError::FeatureUnavailableInTier(
                "Passwordless first factors (SignInPolicy.AllowedFirstAuthFactors) need the ESSENTIALS or PLUS feature plan.".into(),
            ));
        }
        Ok(s)
    }
}

/// `AllowedFirstAuthFactors`: 1–5 known first factors (`SOFTWARE_TOKEN` is a second
/// factor only); repeats are kept once.
fn first_factors(names: &[String]) -> Result<Vec<AuthFactor>, AuthError> {
    const NAMES: [&str; 5] = [
        "PASSWORD",
        "EMAIL_OTP",
        "SMS_OTP",
        "WEB_AUTHN",
        "SOFTWARE_TOKEN",
    ];
    if names.is_empty() || names.len() > 5 {
        return Err(invalid(
            "1 validation error detected: Value at 'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: Member must have length between 1 and 5",
        ));
    }
    let mut factors = Vec::new();
    for name in names {
        let factor = match AuthFactor::parse(name) {
            Some(f) => f,
            None if name == "SOFTWARE_TOKEN" => {
                return Err(invalid(
                    "SOFTWARE_TOKEN cannot be a first authentication factor.",
                ))
            }
            None => {
                return Err(enum_error(
                    "policies.signInPolicy.allowedFirstAuthFactors",
                    name,
                    &NAMES,
                ))
            }
        };
        if !factors.contains(&factor) {
            factors.push(factor);
        }
    }
    Ok(factors)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, AuthError> {
    serde_json::to_value(v).map_err(AuthError::internal)
}

/// Cognito's message for a value outside an enum.
pub fn enum_error(member: &str, value: &str, allowed: &[&str]) -> AuthError {
    invalid(format!(
        "1 validation error detected: Value '{}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
        value.chars().take(128).collect::<String>(),
        allowed.join(", ")
    ))
}

fn password_policy(pp: &proto::PasswordPolicy) -> Result<PasswordPolicy, AuthError> {
    let d = PasswordPolicy::default();
    let to_u32 = |v: Option<i64>, dflt: u32, what: &str| -> Result<u32, AuthError> {
        match v {
            None => Ok(dflt),
            Some(n) => u32::try_from(n)
                .map_err(|_| invalid(format!("Invalid password policy: {what} is out of range."))),
        }
    };
    Ok(PasswordPolicy {
        minimum_length: to_u32(pp.minimum_length, d.minimum_length, "MinimumLength")?,
        require_uppercase: pp.require_uppercase.unwrap_or(false),
        require_lowercase: pp.require_lowercase.unwrap_or(false),
        require_numbers: pp.require_numbers.unwrap_or(false),
        require_symbols: pp.require_symbols.unwrap_or(false),
        password_history_size: pp
            .password_history_size
            .map(|n| to_u32(Some(n), 0, "PasswordHistorySize"))
            .transpose()?,
        temporary_password_validity_days: to_u32(
            pp.temporary_password_validity_days,
            d.temporary_password_validity_days,
            "TemporaryPasswordValidityDays",
        )?,
    })
}

fn lambda_config(lc: &proto::LambdaConfig) -> LambdaConfig {
    let mut slots = BTreeMap::new();
    let mut put = |name: &str, v: &Option<String>| {
        if let Some(v) = v {
            slots.insert(name.to_string(), v.clone());
        }
    };
    put("PreSignUp", &lc.pre_sign_up);
    put("CustomMessage", &lc.custom_message);
    put("PostConfirmation", &lc.post_confirmation);
    put("PreAuthentication", &lc.pre_authentication);
    put("PostAuthentication", &lc.post_authentication);
    put("DefineAuthChallenge", &lc.define_auth_challenge);
    put("CreateAuthChallenge", &lc.create_auth_challenge);
    put(
        "VerifyAuthChallengeResponse",
        &lc.verify_auth_challenge_response,
    );
    put("PreTokenGeneration", &lc.pre_token_generation);
    put("UserMigration", &lc.user_migration);
    put("KMSKeyID", &lc.kms_key_id);
    let mut version = None;
    if let Some(ptg) = &lc.pre_token_generation_config {
        slots.insert("PreTokenGeneration".into(), ptg.lambda_arn.clone());
        version = Some(ptg.lambda_version.clone());
    }
    if let Some(c) = &lc.custom_sms_sender {
        slots.insert("CustomSMSSender".into(), c.lambda_arn.clone());
        slots.insert(
            "CustomSMSSender.LambdaVersion".into(),
            c.lambda_version.clone(),
        );
    }
    if let Some(c) = &lc.custom_email_sender {
        slots.insert("CustomEmailSender".into(), c.lambda_arn.clone());
        slots.insert(
            "CustomEmailSender.LambdaVersion".into(),
            c.lambda_version.clone(),
        );
    }
    LambdaConfig {
        slots,
        pre_token_generation_version: version,
    }
}

/// The wire `LambdaConfig` of a pool.
pub fn render_lambda_config(lc: &LambdaConfig) -> proto::LambdaConfig {
    let get = |k: &str| lc.slots.get(k).cloned();
    let versioned = |k: &str, v: &str| {
        get(k).map(|arn| proto::LambdaVersionConfig {
            lambda_arn: arn,
            lambda_version: get(v).unwrap_or_default(),
        })
    };
    proto::LambdaConfig {
        pre_sign_up: get("PreSignUp"),
        custom_message: get("CustomMessage"),
        post_confirmation: get("PostConfirmation"),
        pre_authentication: get("PreAuthentication"),
        post_authentication: get("PostAuthentication"),
        define_auth_challenge: get("DefineAuthChallenge"),
        create_auth_challenge: get("CreateAuthChallenge"),
        verify_auth_challenge_response: get("VerifyAuthChallengeResponse"),
        pre_token_generation: get("PreTokenGeneration"),
        user_migration: get("UserMigration"),
        kms_key_id: get("KMSKeyID"),
        pre_token_generation_config: lc.pre_token_generation_version.as_ref().and_then(|v| {
            get("PreTokenGeneration").map(|arn| proto::LambdaVersionConfig {
                lambda_arn: arn,
                lambda_version: v.clone(),
            })
        }),
        custom_sms_sender: versioned("CustomSMSSender", "CustomSMSSender.LambdaVersion"),
        custom_email_sender: versioned("CustomEmailSender", "CustomEmailSender.LambdaVersion"),
        ..Default::default()
    }
}

fn templates(f: &PoolFields<'_>) -> MessageTemplates {
    let vmt = f.verification_message_template;
    let pick = |a: Option<&str>, b: Option<&String>| b.cloned().or_else(|| a.map(String::from));
    MessageTemplates {
        sms_verification: pick(
            f.sms_verification_message,
            vmt.and_then(|t| t.sms_message.as_ref()),
        ),
        email_verification: pick(
            f.email_verification_message,
            vmt.and_then(|t| t.email_message.as_ref()),
        ),
        email_verification_subject: pick(
            f.email_verification_subject,
            vmt.and_then(|t| t.email_subject.as_ref()),
        ),
        default_email_option: vmt.and_then(|t| t.default_email_option.clone()),
        sms_authentication: f.sms_authentication_message.map(String::from),
        invite_sms: None,
        invite_email: None,
        invite_email_subject: None,
    }
}

/// Reads the identifier members of CreateUserPool into the settings.
pub fn apply_identifiers(
    s: &mut PoolSettings,
    req: &proto::CreateUserPoolRequest,
) -> Result<(), AuthError> {
    let kinds = |list: &Option<Vec<String>>, member: &str, allowed: &[&str]| {
        list.iter()
            .flatten()
            .map(|a| {
                if !allowed.contains(&a.as_str()) {
                    return Err(enum_error(member, a, allowed));
                }
                AliasKind::from_attribute(a).ok_or_else(|| enum_error(member, a, allowed))
            })
            .collect::<Result<Vec<_>, _>>()
    };
    s.identifiers.username_attributes = kinds(
        &req.username_attributes,
        "usernameAttributes",
        &["phone_number", "email"],
    )?;
    s.identifiers.alias_attributes = kinds(
        &req.alias_attributes,
        "aliasAttributes",
        &["phone_number", "email", "preferred_username"],
    )?;
    // Cognito's API defaults to case-sensitive usernames when the member is absent.
    s.identifiers.case_sensitive = req
        .username_configuration
        .as_ref()
        .map(|u| u.case_sensitive)
        .unwrap_or(true);
    Ok(())
}

/// Reads the wire schema entries.
pub fn schema_from_wire(
    list: &[proto::SchemaAttribute],
) -> Result<Vec<SchemaAttribute>, AuthError> {
    list.iter().map(schema_attribute).collect()
}

fn parse_num<T: std::str::FromStr>(v: &Option<String>, what: &str) -> Result<Option<T>, AuthError> {
    v.as_ref()
        .map(|s| {
            s.parse::<T>()
                .map_err(|_| invalid(format!("Invalid {what} constraint value: {s}")))
        })
        .transpose()
}

fn schema_attribute(a: &proto::SchemaAttribute) -> Result<SchemaAttribute, AuthError> {
    let name = a
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| invalid("Schema attributes need a Name."))?;
    let data_type = match a.attribute_data_type.as_deref() {
        // A standard attribute keeps its type; a custom one must say which.
        None => keystep_core::attributes::standard_schema()
            .into_iter()
            .find(|s| s.name == name)
            .map(|s| s.data_type)
            .ok_or_else(|| {
                invalid(
                    "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
                )
            })?,
        Some("String") => AttributeDataType::String,
        Some("Number") => AttributeDataType::Number,
        Some("DateTime") => AttributeDataType::DateTime,
        Some("Boolean") => AttributeDataType::Boolean,
        Some(other) => {
            return Err(enum_error(
                "schema.member.attributeDataType",
                other,
                &["String", "Number", "DateTime", "Boolean"],
            ))
        }
    };
    let sc = a.string_attribute_constraints.as_ref();
    let nc = a.number_attribute_constraints.as_ref();
    Ok(SchemaAttribute {
        name,
        data_type,
        developer_only: a.developer_only_attribute.unwrap_or(false),
        mutable: a.mutable.unwrap_or(true),
        required: a.required.unwrap_or(false),
        min_length: parse_num(&sc.and_then(|c| c.min_length.clone()), "MinLength")?,
        max_length: parse_num(&sc.and_then(|c| c.max_length.clone()), "MaxLength")?,
        min_value: parse_num(&nc.and_then(|c| c.min_value.clone()), "MinValue")?,
        max_value: parse_num(&nc.and_then(|c| c.max_value.clone()), "MaxValue")?,
    })
}

/// A schema attribute as the wire shows it.
pub fn render_schema_attribute(a: &SchemaAttribute) -> proto::SchemaAttribute {
    let is_string = matches!(
        a.data_type,
        AttributeDataType::String | AttributeDataType::DateTime
    );
    let is_number = a.data_type == AttributeDataType::Number;
    proto::SchemaAttribute {
        name: Some(a.name.clone()),
        attribute_data_type: Some(
            match a.data_type {
                AttributeDataType::String => "String",
                AttributeDataType::Number => "Number",
                AttributeDataType::DateTime => "DateTime",
                AttributeDataType::Boolean => "Boolean",
            }
            .to_string(),
        ),
        developer_only_attribute: Some(a.developer_only),
        mutable: Some(a.mutable),
        required: Some(a.required),
        string_attribute_constraints: is_string.then(|| proto::StringAttributeConstraints {
            min_length: a.min_length.map(|v| v.to_string()),
            max_length: a.max_length.map(|v| v.to_string()),
        }),
        number_attribute_constraints: (is_number
            && (a.min_value.is_some() || a.max_value.is_some()))
        .then(|| proto::NumberAttributeConstraints {
            min_value: a.min_value.map(|v| v.to_string()),
            max_value: a.max_value.map(|v| v.to_string()),
        }),
    }
}

fn alias_names(kinds: &[AliasKind]) -> Option<Vec<String>> {
    (!kinds.is_empty()).then(|| kinds.iter().map(|k| k.attribute().to_string()).collect())
}

fn from_echo<T: serde::de::DeserializeOwned>(s: &PoolSettings, key: &str) -> Option<T> {
    s.echo
        .get(key)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// The wire view of a pool (DescribeUserPool, CreateUserPool).
pub fn render_pool(view: &PoolView) -> proto::UserPool {
    let p = &view.pool;
    let s = &p.settings;
    let pp = &s.password_policy;
    let t = &s.templates;
    proto::UserPool {
        id: Some(p.id.clone()),
        name: Some(p.name.clone()),
        arn: Some(view.arn.clone()),
        status: Some("Enabled".into()),
        creation_date: Some(p.created_at.as_secs_f64()),
        last_modified_date: Some(p.modified_at.as_secs_f64()),
        estimated_number_of_users: Some(view.estimated_users as i64),
        policies: Some(proto::UserPoolPolicies {
            password_policy: Some(proto::PasswordPolicy {
                minimum_length: Some(pp.minimum_length.into()),
                require_uppercase: Some(pp.require_uppercase),
                require_lowercase: Some(pp.require_lowercase),
                require_numbers: Some(pp.require_numbers),
                require_symbols: Some(pp.require_symbols),
                password_history_size: pp.password_history_size.map(i64::from),
                temporary_password_validity_days: Some(pp.temporary_password_validity_days.into()),
            }),
            sign_in_policy: Some(proto::SignInPolicy {
                allowed_first_auth_factors: Some(
                    s.first_factors
                        .iter()
                        .map(|f| f.as_str().to_string())
                        .collect(),
                ),
            }),
        }),
        deletion_protection: Some(
            if s.deletion_protection {
                "ACTIVE"
            } else {
                "INACTIVE"
            }
            .into(),
        ),
        lambda_config: Some(render_lambda_config(&s.lambda)),
        schema_attributes: Some(s.schema.iter().map(render_schema_attribute).collect()),
        auto_verified_attributes: alias_names(&s.auto_verified),
        alias_attributes: alias_names(&s.identifiers.alias_attributes),
        username_attributes: alias_names(&s.identifiers.username_attributes),
        sms_verification_message: t.sms_verification.clone(),
        email_verification_message: t.email_verification.clone(),
        email_verification_subject: t.email_verification_subject.clone(),
        verification_message_template: Some(proto::VerificationMessageTemplate {
            sms_message: t.sms_verification.clone(),
            email_message: t.email_verification.clone(),
            email_subject: t.email_verification_subject.clone(),
            default_email_option: Some(
                t.default_email_option
                    .clone()
                    .unwrap_or_else(|| "CONFIRM_WITH_CODE".into()),
            ),
            ..Default::default()
        }),
        sms_authentication_message: t.sms_authentication.clone(),
        user_attribute_update_settings: Some(proto::UserAttributeUpdateSettings {
            attributes_require_verification_before_update: Some(
                s.attributes_require_verification_before_update
                    .iter()
                    .map(|k| k.attribute().to_string())
                    .collect(),
            ),
        }),
        mfa_configuration: Some(
            match s.mfa {
                MfaConfiguration::Off => "OFF",
                MfaConfiguration::On => "ON",
                MfaConfiguration::Optional => "OPTIONAL",
            }
            .into(),
        ),
        device_configuration: s.devices.map(|d| proto::DeviceConfiguration {
            challenge_required_on_new_device: Some(d.challenge_required_on_new_device),
            device_only_remembered_on_user_prompt: Some(d.only_remembered_on_user_prompt),
        }),
        email_configuration: Some(match &s.email_configuration {
            Some(e) => proto::EmailConfiguration {
                source_arn: e.source_arn.clone(),
                reply_to_email_address: e.reply_to.clone(),
                email_sending_account: e.sending_account.clone(),
                from: e.from.clone(),
                configuration_set: e.configuration_set.clone(),
            },
            None => proto::EmailConfiguration {
                email_sending_account: Some("COGNITO_DEFAULT".into()),
                ..Default::default()
            },
        }),
        sms_configuration: s
            .sms_configuration
            .as_ref()
            .map(|c| proto::SmsConfiguration {
                sns_caller_arn: c.sns_caller_arn.clone(),
                external_id: c.external_id.clone(),
                sns_region: c.sns_region.clone(),
            }),
        user_pool_tags: Some(s.tags.clone()),
        admin_create_user_config: Some(proto::AdminCreateUserConfig {
            allow_admin_create_user_only: Some(s.admin_create_user_only),
            unused_account_validity_days: from_echo(s, "UnusedAccountValidityDays")
                .or(Some(pp.temporary_password_validity_days.into())),
            invite_message_template: (t.invite_sms.is_some()
                || t.invite_email.is_some()
                || t.invite_email_subject.is_some())
            .then(|| proto::MessageTemplate {
                sms_message: t.invite_sms.clone(),
                email_message: t.invite_email.clone(),
                email_subject: t.invite_email_subject.clone(),
            }),
        }),
        user_pool_add_ons: from_echo(s, "UserPoolAddOns"),
        username_configuration: Some(proto::UsernameConfiguration {
            case_sensitive: s.identifiers.case_sensitive,
        }),
        account_recovery_setting: (!s.recovery.is_empty()).then(|| proto::AccountRecoverySetting {
            recovery_mechanisms: Some(
                s.recovery
                    .iter()
                    .map(|m| proto::RecoveryOption {
                        priority: m.priority.into(),
                        name: match m.channel {
                            RecoveryChannel::VerifiedEmail => "verified_email",
                            RecoveryChannel::VerifiedPhoneNumber => "verified_phone_number",
                            RecoveryChannel::AdminOnly => "admin_only",
                        }
                        .into(),
                    })
                    .collect(),
            ),
        }),
        domain: view.domain.clone(),
        custom_domain: view.custom_domain.clone(),
        user_pool_tier: Some(s.tier.as_str().into()),
        ..Default::default()
    }
}
