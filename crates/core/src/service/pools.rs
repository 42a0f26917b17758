//! User pools: create, describe, list, update, delete; MFA configuration; custom attributes.

use crate::attributes::is_standard;
use crate::error::{AuthError, StoreError};
use crate::pool::{
    AliasKind, MfaConfiguration, PoolSettings, RecoveryChannel, SchemaAttribute, UserPool,
};
use crate::ports::Page;

use super::{decode_page_token, encode_page_token, Keystep};

/// The most custom attributes a pool may have.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;

/// A pool as `DescribeUserPool` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolView {
    /// The pool.
    pub pool: UserPool,
    /// `EstimatedNumberOfUsers`.
    pub estimated_users: u64,
    /// The pool ARN.
    pub arn: String,
    /// `Domain`: the prefix domain, if any.
    pub domain: Option<String>,
    /// `CustomDomain`, if any.
    pub custom_domain: Option<String>,
}

/// A change to the pool's MFA settings (`SetUserPoolMfaConfig`); `None` keeps a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MfaConfigChange {
    /// `MfaConfiguration`.
    pub mfa: Option<MfaConfiguration>,
    /// `SoftwareTokenMfaConfiguration.Enabled`.
    pub totp_enabled: Option<bool>,
    /// Whether an `SmsMfaConfiguration` was given (enables SMS MFA).
    pub sms_enabled: Option<bool>,
    /// `SmsMfaConfiguration.SmsAuthenticationMessage`.
    pub sms_message: Option<String>,
    /// Whether an `EmailMfaConfiguration` was given (enables e-mail MFA).
    pub email_enabled: Option<bool>,
    /// `EmailMfaConfiguration.Message`.
    pub email_message: Option<String>,
    /// `EmailMfaConfiguration.Subject`.
    pub email_subject: Option<String>,
    /// `SmsMfaConfiguration.SmsConfiguration`.
    pub sms_configuration: Option<crate::pool::SmsConfiguration>,
    /// `WebAuthnConfiguration`.
    pub webauthn: Option<crate::pool::WebAuthnSettings>,
}

fn invalid(msg: impl Into<String>) -> AuthError {
    AuthError::InvalidParameter(msg.into())
}

/// Checks a pool name: 1–128 characters of `[\w\s+=,.@-]`.
pub fn check_pool_name(name: &str) -> Result<(), AuthError> {
    let ok_char = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_+=,.@-".contains(c);
    if name.is_empty() || name.chars().count() > 128 || !name.chars().all(ok_char) {
        return Err(invalid(
            "1 validation error detected: Value at 'poolName' failed to satisfy constraint: Member must have length between 1 and 128 and match [\\w\\s+=,.@-]+",
        ));
    }
    Ok(())
}

/// Checks the internal consistency of pool settings.
pub fn check_settings(s: &PoolSettings) -> Result<(), AuthError> {
    let p = &s.password_policy;
    if !(6..=99).contains(&p.minimum_length) {
        return Err(invalid(
            "Invalid password policy: MinimumLength must be between 6 and 99.",
        ));
    }
    if p.temporary_password_validity_days > 365 {
        return Err(invalid(
            "Invalid password policy: TemporaryPasswordValidityDays must be between 0 and 365.",
        ));
    }
    if p.password_history_size.is_some_and(|h| h > 24) {
        return Err(invalid(
            "Invalid password policy: PasswordHistorySize must be between 0 and 24.",
        ));
    }
    let ids = &s.identifiers;
    if !ids.username_attributes.is_empty() && !ids.alias_attributes.is_empty() {
        return Err(invalid(
            "Only one of AliasAttributes and UsernameAttributes can be set in a User Pool.",
        ));
    }
    if ids
        .username_attributes
        .contains(&AliasKind::PreferredUsername)
    {
        return Err(invalid(
            "UsernameAttributes may only contain email and phone_number.",
        ));
    }
    if s.mfa != MfaConfiguration::Off
        && !(s.totp_mfa_enabled || s.sms_mfa_enabled || s.email_mfa_enabled)
    {
        return Err(invalid(
            "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
        ));
    }
    let mut priorities: Vec<u8> = s.recovery.iter().map(|r| r.priority).collect();
    priorities.sort_unstable();
    priorities.dedup();
    if priorities.len() != s.recovery.len() || s.recovery.iter().any(|r| r.priority == 0) {
        return Err(invalid(
            "Invalid AccountRecoverySetting: each mechanism needs a distinct priority of 1 or 2.",
        ));
    }
    if s.recovery.len() > 1
        && s.recovery
            .iter()
            .any(|r| r.channel == RecoveryChannel::AdminOnly)
    {
        return Err(invalid(
            "Invalid AccountRecoverySetting: admin_only cannot be combined with another mechanism.",
        ));
    }
    for a in &s.schema {
        check_schema_attribute(a)?;
    }
    Ok(())
}

fn check_schema_attribute(a: &SchemaAttribute) -> Result<(), AuthError> {
    let bare = a.name.strip_prefix("custom:").unwrap_or(&a.name);
    // Standard names are fixed by Cognito (some exceed the custom-name limit).
    if !is_standard(&a.name)
        && (bare.is_empty()
            || bare.len() > 20
            || !bare
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':'))
    {
        return Err(invalid(format!(
            "Invalid schema attribute name {}: names are 1-20 characters of [A-Za-z0-9_-].",
            a.name
        )));
    }
    // Cognito's wording (spec/cognito-messages.md §1).
    if a.max_length.is_some_and(|max| max > 2048) {
        return Err(invalid(format!(
            "user.{}: String attributes cannot have a length of more than 2048",
            a.name
        )));
    }
    if let (Some(min), Some(max)) = (a.min_length, a.max_length) {
        if min > max {
            return Err(invalid(format!(
                "user.{}: Max length cannot be less than min length.",
                a.name
            )));
        }
    }
    if let (Some(min), Some(max)) = (a.min_value, a.max_value) {
        if min > max {
            return Err(invalid(format!(
                "user.{}: Max value cannot be less than min value.",
                a.name
            )));
        }
    }
    Ok(())
}

/// Normalises one new custom attribute: adds the `custom:` prefix, checks the name and
/// refuses required ones. A string without bounds keeps none (Describe shows `{}`, as
/// Cognito does); values are still held to 2048 characters.
fn prepare_custom(mut a: SchemaAttribute) -> Result<SchemaAttribute, AuthError> {
    if !a.name.starts_with("custom:") {
        a.name = format!("custom:{}", a.name);
    }
    check_schema_attribute(&a)?;
    if a.required {
        return Err(invalid(
            "Required custom attributes are not supported currently.",
        ));
    }
    Ok(a)
}

/// Merges schema entries given at creation into the standard schema: a standard
/// attribute's entry replaces the default (to make it required, say); any other name
/// becomes a `custom:` attribute.
pub fn merge_schema(given: Vec<SchemaAttribute>) -> Result<Vec<SchemaAttribute>, AuthError> {
    let mut schema = crate::attributes::standard_schema();
    let mut customs = 0;
    for mut a in given {
        if is_standard(&a.name) {
            if a.name == "sub" {
                continue;
            }
            if let Some(slot) = schema.iter_mut().find(|s| s.name == a.name) {
                // The type of a standard attribute is fixed; only its flags change.
                if a.data_type != slot.data_type || a.developer_only {
                    return Err(invalid(format!(
                        "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {}",
                        a.name
                    )));
                }
                a.data_type = slot.data_type;
                *slot = a;
            }
            continue;
        }
        let a = prepare_custom(a)?;
        if schema.iter().any(|s| s.name == a.name) {
            return Err(invalid(format!(
                "Existing attribute already has name {}.",
                a.name
            )));
        }
        customs += 1;
        if customs > MAX_CUSTOM_ATTRIBUTES {
            return Err(invalid("A pool can have at most 50 custom attributes."));
        }
        schema.push(a);
    }
    Ok(schema)
}

/// The error of a compare-and-swap change of a pool that kept losing to other writers.
pub(crate) fn pool_changed_concurrently() -> AuthError {
    AuthError::ConcurrentModification("The user pool was changed concurrently; try again.".into())
}

impl Keystep {
    /// `CreateUserPool`.
    pub async fn create_user_pool(
        &self,
        name: &str,
        mut settings: PoolSettings,
    ) -> Result<UserPool, AuthError> {
        check_pool_name(name)?;
        settings.schema = merge_schema(std::mem::take(&mut settings.schema))?;
        check_settings(&settings)?;
        self.config.triggers.check(&settings.lambda)?;
        let now = self.clock.now();
        // A random 9-character suffix collides about never; retry a few times anyway.
        for _ in 0..5 {
            let pool = UserPool {
                id: crate::ids::new_pool_id(&*self.rng, &self.config.region),
                name: name.to_string(),
                created_at: now,
                modified_at: now,
                settings: std::sync::Arc::new(settings.clone()),
            };
            match self.store.insert_pool(&pool).await {
                Ok(()) => {
                    tracing::info!(pool_id = %pool.id, "user pool created");
                    return Ok(pool);
                }
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(AuthError::internal("could not allocate a pool id"))
    }

    /// `DescribeUserPool`.
    pub async fn describe_user_pool(&self, pool_id: &str) -> Result<PoolView, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let estimated_users = self.store.count_users(&pool.id).await?;
        let arn = pool.arn(&self.config.account_id);
        let domains = self.store.list_pool_domains(&pool.id).await?;
        let pick = |custom: bool| {
            domains
                .iter()
                .find(|d| d.is_custom() == custom)
                .map(|d| d.domain.clone())
        };
        Ok(PoolView {
            domain: pick(false),
            custom_domain: pick(true),
            pool,
            estimated_users,
            arn,
        })
    }

    /// `ListUserPools`: `max_results` 1–60, `next_token` from a previous page.
    pub async fn list_user_pools(
        &self,
        max_results: i64,
        next_token: Option<&str>,
    ) -> Result<(Vec<UserPool>, Option<String>), AuthError> {
        if !(1..=60).contains(&max_results) {
            return Err(invalid(
                "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60",
            ));
        }
        let after = next_token.map(decode_page_token).transpose()?;
        let Page { items, next } = self
            .store
            .list_pools(after.as_deref(), max_results as u32)
            .await?;
        Ok((items, next.map(|k| encode_page_token(&k))))
    }

    /// `UpdateUserPool`: replaces the mutable settings. What cannot change after creation
    /// (schema, username and alias attributes, case sensitivity) is kept.
    pub async fn update_user_pool(
        &self,
        pool_id: &str,
        name: Option<&str>,
        mut settings: PoolSettings,
    ) -> Result<UserPool, AuthError> {
        let mut pool = self.load_pool(pool_id).await?;
        if let Some(n) = name {
            check_pool_name(n)?;
            pool.name = n.to_string();
        }
        settings.schema = pool.settings.schema.clone();
        settings.identifiers = pool.settings.identifiers.clone();
        check_settings(&settings)?;
        self.config.triggers.check(&settings.lambda)?;
        pool.settings = std::sync::Arc::new(settings);
        pool.modified_at = self.clock.now();
        self.store.update_pool(&pool).await.map_err(|e| match e {
            StoreError::NotFound => super::pool_not_found(pool_id),
            other => other.into(),
        })?;
        Ok(pool)
    }

    /// `DeleteUserPool`.
    pub async fn delete_user_pool(&self, pool_id: &str) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        if pool.settings.deletion_protection {
            return Err(invalid(
                "The user pool cannot be deleted because deletion protection is activated.",
            ));
        }
        if !self.store.delete_pool(&pool.id).await? {
            return Err(super::pool_not_found(pool_id));
        }
        tracing::info!(pool_id = %pool.id, "user pool deleted");
        Ok(())
    }

    /// `SetUserPoolMfaConfig`.
    pub async fn set_user_pool_mfa_config(
        &self,
        pool_id: &str,
        change: MfaConfigChange,
    ) -> Result<UserPool, AuthError> {
        let mut pool = self.load_pool(pool_id).await?;
        let enabling = [
            change.totp_enabled,
            change.sms_enabled,
            change.email_enabled,
        ]
        .contains(&Some(true));
        if change.mfa == Some(MfaConfiguration::Off) && enabling {
            return Err(invalid(
                "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
            ));
        }
        let s = std::sync::Arc::make_mut(&mut pool.settings);
        if let Some(v) = change.totp_enabled {
            s.totp_mfa_enabled = v;
        }
        if let Some(v) = change.sms_enabled {
            s.sms_mfa_enabled = v;
        }
        if change.sms_configuration.is_some() {
            s.sms_configuration = change.sms_configuration;
        }
        if change.sms_message.is_some() {
            s.templates.sms_authentication = change.sms_message;
        }
        if let Some(v) = change.email_enabled {
            s.email_mfa_enabled = v;
        }
        if change.email_message.is_some() {
            s.email_mfa_message = change.email_message;
        }
        if change.email_subject.is_some() {
            s.email_mfa_subject = change.email_subject;
        }
        if let Some(m) = change.mfa {
            s.mfa = m;
        }
        if let Some(webauthn) = change.webauthn {
            if s.tier == crate::pool::PoolTier::Lite {
                return Err(AuthError::FeatureUnavailableInTier(
                    "WebAuthnConfiguration (passkeys) needs the ESSENTIALS or PLUS feature plan."
                        .into(),
                ));
            }
            s.webauthn = Some(webauthn);
        }
        check_settings(s)?;
        pool.modified_at = self.clock.now();
        self.store.update_pool(&pool).await?;
        Ok(pool)
    }

    /// `GetUserPoolMfaConfig`.
    pub async fn get_user_pool_mfa_config(&self, pool_id: &str) -> Result<UserPool, AuthError> {
        self.load_pool(pool_id).await
    }

    /// `AddCustomAttributes`.
    pub async fn add_custom_attributes(
        &self,
        pool_id: &str,
        attributes: Vec<SchemaAttribute>,
    ) -> Result<(), AuthError> {
        let mut pool = self.load_pool(pool_id).await?;
        if attributes.is_empty() {
            return Err(invalid("CustomAttributes must not be empty."));
        }
        let mut count = pool
            .settings
            .schema
            .iter()
            .filter(|a| a.name.starts_with("custom:"))
            .count();
        for a in attributes {
            let a = prepare_custom(a)?;
            if pool.attribute(&a.name).is_some() {
                return Err(invalid(format!(
                    "Existing attribute already has name {}.",
                    a.name
                )));
            }
            count += 1;
            if count > MAX_CUSTOM_ATTRIBUTES {
                return Err(invalid("A pool can have at most 50 custom attributes."));
            }
            std::sync::Arc::make_mut(&mut pool.settings).schema.push(a);
        }
        pool.modified_at = self.clock.now();
        self.store.update_pool(&pool).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::AttributeDataType;

    #[test]
    fn default_settings_pass_their_own_checks() {
        check_settings(&PoolSettings::default()).unwrap();
    }

    #[test]
    fn custom_attribute_names_are_prefixed_and_bounded() {
        let attr = |name: &str| SchemaAttribute {
            name: name.into(),
            data_type: AttributeDataType::String,
            developer_only: false,
            mutable: true,
            required: false,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
        };
        let schema = merge_schema(vec![attr("tenant")]).unwrap();
        assert!(schema.iter().any(|a| a.name == "custom:tenant"));
        assert!(merge_schema(vec![attr("a_name_far_longer_than_twenty")]).is_err());
        assert!(merge_schema(vec![attr("tenant"), attr("custom:tenant")]).is_err());
    }

    #[test]
    fn alias_and_username_attributes_exclude_each_other() {
        let mut s = PoolSettings::default();
        s.identifiers.alias_attributes = vec![AliasKind::Email];
        s.identifiers.username_attributes = vec![AliasKind::PhoneNumber];
        assert!(matches!(
            check_settings(&s),
            Err(AuthError::InvalidParameter(_))
        ));
    }

    #[test]
    fn mfa_on_needs_a_factor() {
        let mut s = PoolSettings {
            mfa: MfaConfiguration::On,
            ..Default::default()
        };
        assert!(check_settings(&s).is_err());
        s.totp_mfa_enabled = true;
        assert!(check_settings(&s).is_ok());
    }
}
