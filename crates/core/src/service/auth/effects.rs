//! Carrying out what the sign-in engine asked for.
//!
//! Effects run in two phases around the session's compare-and-swap:
//!
//! * [`Keystep::precheck_effects`] runs *before* it, for effects that can still fail in
//!   a way the client should be able to correct with the same `Session`: a TOTP step is
//!   claimed (a code is never accepted twice, even by two requests at the same time), the
//!   attributes of a `NEW_PASSWORD_REQUIRED` answer are tried on a copy of the user, and
//!   a code about to be sent is counted against the user's hourly sign-in code budget.
//! * [`Keystep::apply_effects`] runs *after* it, once this request owns the transition:
//!   send codes, write the user.

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::limits::Budget;
use crate::message::MessagePurpose;
use crate::pool::UserPool;
use crate::signin::{code_mismatch, Effect};
use crate::user::{MfaFactor, User, UserStatus};
use crate::Millis;

use super::super::limits::user_subject;
use super::super::users::{apply_attribute_updates, AttributeWriter};
use super::super::Keystep;

/// How long a claimed TOTP step is remembered: past the ±1 step window.
const TOTP_STEP_MEMORY_SECS: i64 = 120;

/// The sealing context of a user's verified TOTP secret.
pub fn totp_context(pool_id: &str, sub: &str) -> String {
    format!("totp:{pool_id}:{sub}")
}

impl Keystep {
    /// Claims `step` of `sub`'s TOTP secret; `false` if any request claimed it before.
    pub(crate) async fn claim_totp_step(
        &self,
        pool_id: &str,
        sub: &str,
        step: i64,
        now: Millis,
    ) -> Result<bool, AuthError> {
        Ok(self
            .store
            .use_once(
                &totp_context(pool_id, sub),
                &step.to_string(),
                now.plus_secs(TOTP_STEP_MEMORY_SECS),
            )
            .await?)
    }

    /// The first phase (see the module doc). An `Err` is a rejection the client may
    /// retry: nothing was changed.
    pub(crate) async fn precheck_effects(
        &self,
        pool: &UserPool,
        client: &AppClient,
        user: &User,
        effects: &[Effect],
        now: Millis,
    ) -> Result<(), AuthError> {
        for effect in effects {
            match effect {
                Effect::RecordTotpStep(step) | Effect::EnableTotp { step, .. }
                    if !self
                        .claim_totp_step(&pool.id, &user.sub, *step, now)
                        .await? =>
                {
                    return Err(code_mismatch());
                }
                Effect::SendMfaCode { .. } => {
                    self.take_budget(Budget::SignInCodes, &user_subject(&pool.id, &user.sub))
                        .await?;
                }
                Effect::SetPassword { attributes, .. } => {
                    let mut copy = user.clone();
                    apply_attribute_updates(
                        pool,
                        &mut copy,
                        attributes,
                        AttributeWriter::Client(client),
                    )?;
                    super::super::users::check_required(pool, &copy.attributes)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The second phase (see the module doc). `user` is the copy this request read before
    /// the engine ran; effects that only need to look at the user use it instead of
    /// reading again. Answers whether the stored user was written, so that the caller
    /// knows whether its copy is still current.
    pub(crate) async fn apply_effects(
        &self,
        pool: &UserPool,
        client: &AppClient,
        user: &User,
        effects: Vec<Effect>,
        now: Millis,
    ) -> Result<bool, AuthError> {
        let sub = user.sub.as_str();
        let mut written = false;
        for effect in effects {
            // Every arm but these four writes the user.
            written |= !matches!(
                effect,
                Effect::SendMfaCode { .. }
                    | Effect::ResetPasswordFailures
                    | Effect::DeviceAuthenticated { .. }
                    | Effect::PasskeyUsed { .. }
            );
            match effect {
                Effect::SendMfaCode {
                    medium,
                    destination,
                    code,
                } => {
                    self.deliver_to(
                        pool,
                        user,
                        medium,
                        &destination,
                        MessagePurpose::Authentication,
                        &code,
                    )
                    .await?;
                }
                Effect::RecordTotpStep(step) => {
                    self.modify_user(pool, sub, |u| {
                        u.mfa.last_totp_step = Some(u.mfa.last_totp_step.unwrap_or(step).max(step));
                        Ok(())
                    })
                    .await?;
                }
                // Done already: a judged password's lockout is settled before any of its
                // effects run (`Keystep::settle_password`).
                Effect::ResetPasswordFailures => {}
                Effect::SetPassword {
                    password,
                    attributes,
                } => {
                    self.modify_user(pool, sub, |u| {
                        apply_attribute_updates(
                            pool,
                            u,
                            &attributes,
                            AttributeWriter::Client(client),
                        )?;
                        self.set_password(pool, u, &password, now)?;
                        u.status = UserStatus::Confirmed;
                        Ok(())
                    })
                    .await?;
                }
                Effect::EnableTotp {
                    secret,
                    friendly_device_name,
                    step,
                } => {
                    let sealed = self.keys.seal(&totp_context(&pool.id, sub), &secret);
                    self.modify_user(pool, sub, |u| {
                        u.mfa.totp_secret = Some(sealed.clone());
                        u.mfa.pending_totp_secret = None;
                        u.mfa.totp_device_name = friendly_device_name.clone();
                        u.mfa.last_totp_step = Some(step);
                        enable_factor(u, MfaFactor::Totp, true);
                        Ok(())
                    })
                    .await?;
                }
                Effect::PasskeyUsed {
                    credential_id,
                    updated,
                } => {
                    if let Some(passkey) = updated {
                        self.store
                            .update_passkey(&pool.id, &credential_id, &passkey)
                            .await?;
                    }
                }
                Effect::DeviceAuthenticated { key } => {
                    self.store.device_authenticated(&pool.id, &key, now).await?;
                }
                Effect::EnrollEmailMfa { email } => {
                    self.modify_user(pool, sub, |u| {
                        u.attributes.insert("email".into(), email.clone());
                        u.attributes.insert("email_verified".into(), "true".into());
                        enable_factor(u, MfaFactor::Email, u.mfa.preferred.is_none());
                        Ok(())
                    })
                    .await?;
                }
            }
        }
        Ok(written)
    }
}

/// Adds `factor` to the user's enabled factors, preferring it when `prefer`.
fn enable_factor(user: &mut User, factor: MfaFactor, prefer: bool) {
    if !user.mfa.enabled.contains(&factor) {
        user.mfa.enabled.push(factor);
    }
    if prefer {
        user.mfa.preferred = Some(factor);
    }
}
