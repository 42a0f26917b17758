//! Code delivery: choosing where a code goes, issuing and storing it, rendering the
//! message from the pool's templates, sending it, and checking what the user types back.

use crate::attributes::mask_destination;
use crate::code::{self, CodePurpose, MAX_CODE_ATTEMPTS};
use crate::error::AuthError;
use crate::limits::Budget;
use crate::message::{render_template, Medium, MessagePurpose, OutgoingMessage};
use crate::pool::{AliasKind, RecoveryChannel, UserPool};
use crate::user::User;

use super::limits::user_subject;
use super::Keystep;

/// Where a code went, as `CodeDeliveryDetails` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDelivery {
    /// `Destination`: the masked e-mail or phone number.
    pub destination_masked: String,
    /// `DeliveryMedium`.
    pub medium: Medium,
    /// `AttributeName`: `email` or `phone_number`.
    pub attribute_name: String,
}

/// Proof that a presented code matched the user's live code; consume it to use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedCode {
    sub: String,
    purpose: CodePurpose,
    id: String,
    destination: String,
}

impl MatchedCode {
    /// The address the code was sent to (and so proves the user receives).
    pub fn destination(&self) -> &str {
        &self.destination
    }
}

/// Where a sign-up confirmation code goes: to the `AutoVerifiedAttributes` the user has;
/// when both e-mail and phone are auto-verified, by SMS (the e-mail is verified later).
pub fn sign_up_medium(pool: &UserPool, user: &User) -> Option<Medium> {
    let auto = &pool.settings.auto_verified;
    [
        (AliasKind::PhoneNumber, Medium::Sms),
        (AliasKind::Email, Medium::Email),
    ]
    .into_iter()
    .find(|(kind, medium)| auto.contains(kind) && user.attr(medium.attribute()).is_some())
    .map(|(_, medium)| medium)
}

/// The channels `AccountRecoverySetting` lists, by priority; unset means the legacy
/// default: verified phone, then verified e-mail.
pub(crate) fn recovery_channels(pool: &UserPool) -> Vec<RecoveryChannel> {
    if pool.settings.recovery.is_empty() {
        return vec![
            RecoveryChannel::VerifiedPhoneNumber,
            RecoveryChannel::VerifiedEmail,
        ];
    }
    let mut mechanisms = pool.settings.recovery.clone();
    mechanisms.sort_by_key(|m| m.priority);
    mechanisms.into_iter().map(|m| m.channel).collect()
}

fn verified_medium(user: &User, channel: RecoveryChannel) -> Option<Medium> {
    let medium = match channel {
        RecoveryChannel::VerifiedEmail => Medium::Email,
        RecoveryChannel::VerifiedPhoneNumber => Medium::Sms,
        RecoveryChannel::AdminOnly => return None,
    };
    let attr = medium.attribute();
    (user.attr(attr).is_some() && user.is_verified(attr)).then_some(medium)
}

/// The error for a user without any verified channel to send a reset code to.
pub fn no_recovery_channel() -> AuthError {
    AuthError::InvalidParameter(
        "Cannot reset password for the user as there is no registered/verified email or phone_number"
            .into(),
    )
}

/// The refusal of a self-service reset in an `admin_only` pool.
pub fn admin_only_recovery() -> AuthError {
    AuthError::NotAuthorized("Contact administrator to reset password.".into())
}

/// Where a ForgotPassword code goes: the first recovery channel, by priority, that the
/// user has verified. `admin_only` pools refuse self-service resets.
pub fn recovery_medium(pool: &UserPool, user: &User) -> Result<Medium, AuthError> {
    let channels = recovery_channels(pool);
    if channels.contains(&RecoveryChannel::AdminOnly) {
        return Err(admin_only_recovery());
    }
    channels
        .into_iter()
        .find_map(|c| verified_medium(user, c))
        .ok_or_else(no_recovery_channel)
}

/// Where an administrator's reset code goes: the pool's recovery channels (even in
/// `admin_only` pools, since an administrator asked), else the legacy order; `None`
/// when the user has nothing verified (the administrator must then set a password).
pub fn admin_reset_medium(pool: &UserPool, user: &User) -> Option<Medium> {
    recovery_channels(pool)
        .into_iter()
        .chain([
            RecoveryChannel::VerifiedPhoneNumber,
            RecoveryChannel::VerifiedEmail,
        ])
        .find_map(|c| verified_medium(user, c))
}

/// Cognito's default text for a message (`{####}` is the code, `{username}` the user).
pub fn default_template(purpose: MessagePurpose) -> &'static str {
    match purpose {
        MessagePurpose::ForgotPassword => "Your password reset code is {####}. ",
        MessagePurpose::AdminCreateUser => {
            "Your username is {username} and temporary password is {####}. "
        }
        MessagePurpose::Authentication => "Your authentication code is {####}. ",
        MessagePurpose::SignUp
        | MessagePurpose::ResendCode
        | MessagePurpose::VerifyUserAttribute
        | MessagePurpose::UpdateUserAttribute => "Your verification code is {####}. ",
    }
}

fn default_subject(purpose: MessagePurpose) -> &'static str {
    match purpose {
        MessagePurpose::ForgotPassword => "Your password reset code",
        MessagePurpose::AdminCreateUser => "Your temporary password",
        MessagePurpose::Authentication => "Your authentication code",
        _ => "Your verification code",
    }
}

/// The template and subject (e-mail only) for a message, the pool's own when it set one.
/// Password resets use the pool's verification template when customised, as Cognito
/// does, and otherwise their own default wording.
pub fn message_template(
    pool: &UserPool,
    purpose: MessagePurpose,
    medium: Medium,
) -> (String, Option<String>) {
    let t = &pool.settings.templates;
    let (body, subject) = match (purpose, medium) {
        (MessagePurpose::AdminCreateUser, Medium::Sms) => (&t.invite_sms, &None),
        (MessagePurpose::AdminCreateUser, Medium::Email) => {
            (&t.invite_email, &t.invite_email_subject)
        }
        (MessagePurpose::Authentication, Medium::Sms) => (&t.sms_authentication, &None),
        (MessagePurpose::Authentication, Medium::Email) => (
            &pool.settings.email_mfa_message,
            &pool.settings.email_mfa_subject,
        ),
        (_, Medium::Sms) => (&t.sms_verification, &None),
        (_, Medium::Email) => (&t.email_verification, &t.email_verification_subject),
    };
    let body = body
        .clone()
        .unwrap_or_else(|| default_template(purpose).to_string());
    let subject = (medium == Medium::Email).then(|| {
        subject
            .clone()
            .unwrap_or_else(|| default_subject(purpose).to_string())
    });
    (body, subject)
}

/// The name a user signs in with, for `{username}`: the e-mail or phone in
/// username-attribute pools (the stored username is an opaque `sub` there).
pub fn sign_in_name(pool: &UserPool, user: &User) -> String {
    pool.settings
        .identifiers
        .username_attributes
        .iter()
        .find_map(|k| user.attributes.get(k.attribute()))
        .cloned()
        .unwrap_or_else(|| user.username.clone())
}

/// The code purpose and medium for verifying `attribute` (only `email` and
/// `phone_number` are verified with codes).
pub(crate) fn verification_of(
    attribute: &str,
) -> Result<(CodePurpose, Medium, AliasKind), AuthError> {
    match attribute {
        "email" => Ok((CodePurpose::VerifyEmail, Medium::Email, AliasKind::Email)),
        "phone_number" => Ok((
            CodePurpose::VerifyPhone,
            Medium::Sms,
            AliasKind::PhoneNumber,
        )),
        other => Err(AuthError::InvalidParameter(format!(
            "{} is not an attribute that can be verified; only email and phone_number are.",
            other.chars().take(64).collect::<String>()
        ))),
    }
}

impl Keystep {
    /// Issues a new code for `purpose` (replacing, hence invalidating, the previous one),
    /// stores its hash and sends it to `user`'s `medium` attribute.
    pub async fn send_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: CodePurpose,
        message_purpose: MessagePurpose,
        medium: Medium,
    ) -> Result<CodeDelivery, AuthError> {
        let to = destination(user, medium)?.to_string();
        self.send_code_to(pool, user, purpose, message_purpose, medium, &to)
            .await
    }

    /// [`Keystep::send_code`] to an explicit address (a new e-mail or phone number that
    /// waits for its code before it replaces the user's verified one). The code is stored
    /// in the same transaction as the message that carries it is queued.
    pub async fn send_code_to(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: CodePurpose,
        message_purpose: MessagePurpose,
        medium: Medium,
        to: &str,
    ) -> Result<CodeDelivery, AuthError> {
        let now = self.clock.now();
        let (digits, stored) = code::issue(
            &self.keys, &*self.rng, &pool.id, &user.sub, purpose, to, now,
        );
        let message = self
            .render_message(pool, user, medium, to, message_purpose, &digits)
            .await?;
        self.post(pool, user, message, Some(&stored)).await?;
        Ok(code_delivery(to, medium))
    }

    /// After an attribute update: a verification code for each e-mail/phone that became
    /// unverified, when the pool auto-verifies it. Returns where the codes went.
    pub async fn send_verification_codes(
        &self,
        pool: &UserPool,
        user: &User,
        unverified: &[Medium],
    ) -> Result<Vec<CodeDelivery>, AuthError> {
        let mut deliveries = Vec::new();
        for &medium in unverified {
            let (purpose, _, kind) = verification_of(medium.attribute())?;
            if pool.settings.auto_verified.contains(&kind) {
                deliveries.push(
                    self.send_code(
                        pool,
                        user,
                        purpose,
                        MessagePurpose::UpdateUserAttribute,
                        medium,
                    )
                    .await?,
                );
            }
        }
        Ok(deliveries)
    }

    /// Renders and sends one message carrying `code` (a one-time code or a temporary
    /// password) to `user`'s `medium` attribute; returns the masked delivery.
    pub async fn deliver(
        &self,
        pool: &UserPool,
        user: &User,
        medium: Medium,
        purpose: MessagePurpose,
        code: &str,
    ) -> Result<CodeDelivery, AuthError> {
        let to = destination(user, medium)?;
        self.deliver_to(pool, user, medium, to, purpose, code).await
    }

    /// [`Keystep::deliver`] to an explicit address (an e-mail being set up for MFA is
    /// not the user's attribute yet).
    pub async fn deliver_to(
        &self,
        pool: &UserPool,
        user: &User,
        medium: Medium,
        to: &str,
        purpose: MessagePurpose,
        code: &str,
    ) -> Result<CodeDelivery, AuthError> {
        let message = self
            .render_message(pool, user, medium, to, purpose, code)
            .await?;
        self.post(pool, user, message, None).await?;
        Ok(code_delivery(to, medium))
    }

    /// The message carrying `code`, from the pool's template or its `CustomMessage`
    /// trigger.
    async fn render_message(
        &self,
        pool: &UserPool,
        user: &User,
        medium: Medium,
        to: &str,
        purpose: MessagePurpose,
        code: &str,
    ) -> Result<OutgoingMessage, AuthError> {
        let (mut template, mut subject) = message_template(pool, purpose, medium);
        if let Some(custom) = self.custom_message(pool, user, purpose).await? {
            let (text, custom_subject) = match medium {
                Medium::Sms => (custom.sms, None),
                Medium::Email => (custom.email, custom.email_subject),
            };
            if let Some(text) = text {
                template = text;
            }
            if custom_subject.is_some() {
                subject = custom_subject;
            }
        }
        Ok(OutgoingMessage {
            pool_id: pool.id.clone(),
            username: user.username.clone(),
            medium,
            destination: to.to_string(),
            purpose,
            code: Some(code.to_string()),
            subject,
            body: render_template(&template, code, &sign_in_name(pool, user)),
            created_at: self.clock.now(),
        })
    }

    /// Checks `presented` against `user`'s live code for `purpose` without using it up.
    ///
    /// Nothing is compared before it is paid for: first one answer of the user's hourly
    /// budget for the purpose (`LimitExceeded` past it, even for the right code), then one
    /// attempt on the code itself, reserved in the store by one conditional update. Only
    /// then are the digits compared. The answer that uses up the code's last attempt
    /// destroys it and is `TooManyFailedAttempts`; an answer that finds no attempt left
    /// gets the same, and a missing, used or expired code is `ExpiredCode` — none of which
    /// depends on whether the digits were right.
    pub async fn check_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: CodePurpose,
        presented: &str,
    ) -> Result<MatchedCode, AuthError> {
        let subject = user_subject(&pool.id, &user.sub);
        self.take_budget(Budget::CodeAttempts(purpose), &subject)
            .await?;
        let now = self.clock.now();
        let reserved = self
            .store
            .reserve_code_attempt(&pool.id, &user.sub, purpose, MAX_CODE_ATTEMPTS, now)
            .await?;
        let Some(stored) = reserved else {
            return Err(
                match self.store.get_code(&pool.id, &user.sub, purpose).await? {
                    Some(c) if c.attempts >= MAX_CODE_ATTEMPTS && now < c.expires_at => {
                        code::exhausted_error()
                    }
                    _ => code::expired_error(),
                },
            );
        };
        let destinations = code_destinations(user, purpose);
        if let Some(to) = code::matching_destination(&self.keys, &stored, presented, &destinations)
        {
            return Ok(MatchedCode {
                sub: user.sub.clone(),
                purpose,
                id: stored.id,
                destination: to.to_string(),
            });
        }
        if stored.attempts >= MAX_CODE_ATTEMPTS {
            self.store
                .consume_code(&pool.id, &user.sub, purpose, &stored.id)
                .await?;
            return Err(code::exhausted_error());
        }
        Err(code::mismatch_error())
    }

    /// Uses up a matched code. Exactly one caller wins a code; the others (a concurrent
    /// request with the same code) get `ExpiredCode`.
    pub async fn consume_matched_code(
        &self,
        pool: &UserPool,
        matched: MatchedCode,
    ) -> Result<(), AuthError> {
        let won = self
            .store
            .consume_code(&pool.id, &matched.sub, matched.purpose, &matched.id)
            .await?;
        if won {
            Ok(())
        } else {
            Err(code::expired_error())
        }
    }

    /// Checks and uses up `presented` in one go: `Ok` exactly once per issued code, or
    /// `CodeMismatch` / `ExpiredCode` / `TooManyFailedAttempts`.
    pub async fn verify_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: CodePurpose,
        presented: &str,
    ) -> Result<(), AuthError> {
        let matched = self.check_code(pool, user, purpose, presented).await?;
        self.consume_matched_code(pool, matched).await
    }

    /// Destroys the verification codes of `user`'s e-mail and phone among `changed`: a
    /// code belongs to the address it was sent to, and that address is gone.
    pub async fn discard_codes_of_changed(
        &self,
        pool: &UserPool,
        user: &User,
        changed: &[String],
    ) -> Result<(), AuthError> {
        for name in changed {
            if let Ok((purpose, _, _)) = verification_of(name) {
                self.discard_code(pool, user, purpose).await?;
            }
        }
        Ok(())
    }

    /// Destroys `user`'s outstanding code for `purpose`, if any (e.g. an administrator
    /// confirmed the user, so the sign-up code must not work any more).
    pub async fn discard_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: CodePurpose,
    ) -> Result<(), AuthError> {
        if let Some(stored) = self.store.get_code(&pool.id, &user.sub, purpose).await? {
            self.store
                .consume_code(&pool.id, &user.sub, purpose, &stored.id)
                .await?;
        }
        Ok(())
    }
}

/// Where a code of `purpose` may have gone: the user's addresses that such a code is sent
/// to, including a new address still waiting for its code. A code fits only the one it
/// was sent to (see [`code::matches`]).
pub(crate) fn code_destinations(user: &User, purpose: CodePurpose) -> Vec<&str> {
    let attributes: &[&str] = match purpose {
        CodePurpose::VerifyEmail => &["email"],
        CodePurpose::VerifyPhone => &["phone_number"],
        CodePurpose::SignUp | CodePurpose::ForgotPassword => &["email", "phone_number"],
    };
    let mut out = Vec::new();
    for name in attributes {
        out.extend(user.pending_attributes.get(*name).map(String::as_str));
        out.extend(user.attr(name));
    }
    out
}

/// `CodeDeliveryDetails` for a message to `to`.
fn code_delivery(to: &str, medium: Medium) -> CodeDelivery {
    CodeDelivery {
        destination_masked: mask_destination(to),
        medium,
        attribute_name: medium.attribute().to_string(),
    }
}

/// `user`'s address for `medium`, or `InvalidParameter` when the attribute is missing.
fn destination(user: &User, medium: Medium) -> Result<&str, AuthError> {
    user.attr(medium.attribute()).ok_or_else(|| {
        AuthError::InvalidParameter(format!(
            "Cannot send a message by {}: the user has no {} attribute.",
            medium.as_str(),
            medium.attribute()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attributes::Attributes;
    use crate::pool::{PoolSettings, RecoveryMechanism};
    use crate::user::{MfaSettings, UserStatus};
    use crate::Millis;

    fn pool(settings: PoolSettings) -> UserPool {
        UserPool {
            id: "us-east-1_test12345".into(),
            name: "t".into(),
            created_at: Millis(0),
            modified_at: Millis(0),
            settings: settings.into(),
        }
    }

    fn user(attrs: &[(&str, &str)]) -> User {
        User {
            pool_id: "us-east-1_test12345".into(),
            username: "jane".into(),
            username_key: "jane".into(),
            sub: "s".into(),
            attributes: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Attributes>(),
            status: UserStatus::Confirmed,
            enabled: true,
            created_at: Millis(0),
            modified_at: Millis(0),
            password: None,
            password_set_at: None,
            mfa: MfaSettings::default(),
            tokens_valid_after: None,
            pending_attributes: Default::default(),
            password_history: Vec::new(),
            version: 0,
        }
    }

    #[test]
    fn sign_up_prefers_sms_when_both_are_auto_verified() {
        let both = pool(PoolSettings {
            auto_verified: vec![AliasKind::Email, AliasKind::PhoneNumber],
            ..Default::default()
        });
        let u = user(&[("email", "a@x.com"), ("phone_number", "+15555550100")]);
        assert_eq!(sign_up_medium(&both, &u), Some(Medium::Sms));
        let email_only_user = user(&[("email", "a@x.com")]);
        assert_eq!(sign_up_medium(&both, &email_only_user), Some(Medium::Email));
        let none = pool(PoolSettings::default());
        assert_eq!(sign_up_medium(&none, &u), None);
    }

    #[test]
    fn recovery_follows_priority_over_verified_attributes() {
        let legacy = pool(PoolSettings::default());
        let both = user(&[
            ("email", "a@x.com"),
            ("email_verified", "true"),
            ("phone_number", "+15555550100"),
            ("phone_number_verified", "true"),
        ]);
        assert_eq!(recovery_medium(&legacy, &both), Ok(Medium::Sms));

        let email_first = pool(PoolSettings {
            recovery: vec![
                RecoveryMechanism {
                    channel: RecoveryChannel::VerifiedPhoneNumber,
                    priority: 2,
                },
                RecoveryMechanism {
                    channel: RecoveryChannel::VerifiedEmail,
                    priority: 1,
                },
            ],
            ..Default::default()
        });
        assert_eq!(recovery_medium(&email_first, &both), Ok(Medium::Email));

        let unverified = user(&[("email", "a@x.com"), ("email_verified", "false")]);
        assert_eq!(
            recovery_medium(&legacy, &unverified),
            Err(no_recovery_channel())
        );
        assert_eq!(admin_reset_medium(&legacy, &unverified), None);

        let admin_only = pool(PoolSettings {
            recovery: vec![RecoveryMechanism {
                channel: RecoveryChannel::AdminOnly,
                priority: 1,
            }],
            ..Default::default()
        });
        assert!(matches!(
            recovery_medium(&admin_only, &both),
            Err(AuthError::NotAuthorized(_))
        ));
        assert_eq!(admin_reset_medium(&admin_only, &both), Some(Medium::Sms));
    }

    #[test]
    fn templates_default_to_cognito_wording() {
        let p = pool(PoolSettings::default());
        let (body, subject) = message_template(&p, MessagePurpose::SignUp, Medium::Sms);
        assert_eq!(body, "Your verification code is {####}. ");
        assert_eq!(subject, None);
        let (body, subject) = message_template(&p, MessagePurpose::AdminCreateUser, Medium::Email);
        assert_eq!(
            body,
            "Your username is {username} and temporary password is {####}. "
        );
        assert!(subject.is_some());
        let (body, _) = message_template(&p, MessagePurpose::ForgotPassword, Medium::Email);
        assert_eq!(body, "Your password reset code is {####}. ");
    }
}
