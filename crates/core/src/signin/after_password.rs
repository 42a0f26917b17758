//! What follows a correct password (protocol notes §2.6 steps 9–12): the user's status,
//! then MFA. Also used after `NEW_PASSWORD_REQUIRED`, which leads into the same MFA
//! decision.

use crate::attributes::mask_destination;
use crate::error::AuthError;
use crate::message::Medium;
use crate::user::{MfaFactor, UserStatus};

use super::challenge::Challenge;
use super::effect::Effect;
use super::flow::Flow;
use super::mfa_policy::{self, MfaStep};
use super::outcome::{Authenticated, Rejection, Reply, Transition};
use super::state::{SignInState, StoredOtp, TotpSetupStage};
use super::StepContext;

/// The error for a `FORCE_CHANGE_PASSWORD` user whose temporary password is too old.
pub fn temporary_password_expired() -> AuthError {
    AuthError::NotAuthorized(
        "Temporary password has expired and must be reset by an administrator.".into(),
    )
}

/// After the first factor succeeded: status checks, then `NEW_PASSWORD_REQUIRED` or MFA
/// or tokens. `effects` (e.g. resetting the lockout) travel with whatever comes.
pub fn after_first_factor(
    flow: &Flow,
    ctx: &StepContext<'_>,
    effects: Vec<Effect>,
) -> Result<Transition, Rejection> {
    let user = ctx.user;
    match user.status {
        UserStatus::Unconfirmed => Err(Rejection::fatal(AuthError::UserNotConfirmed(
            "User is not confirmed.".into(),
        ))
        .with_effects(effects)),
        // A federated user signs in at their provider, never here.
        UserStatus::ExternalProvider => {
            Err(Rejection::fatal(super::incorrect_credentials()).with_effects(effects))
        }
        UserStatus::ResetRequired => Err(Rejection::fatal(AuthError::PasswordResetRequired(
            "Password reset required for the user".into(),
        ))
        .with_effects(effects)),
        UserStatus::ForceChangePassword => {
            let validity_days =
                i64::from(ctx.pool.password_policy.temporary_password_validity_days);
            let set_at = user.password_set_at.unwrap_or(ctx.now);
            if ctx.now >= set_at.plus_secs(validity_days * 86_400) {
                return Err(Rejection::fatal(temporary_password_expired()).with_effects(effects));
            }
            let required_attributes: Vec<String> = ctx
                .pool
                .required_attributes
                .iter()
                .filter(|a| user.attr(a).is_none_or(str::is_empty))
                .cloned()
                .collect();
            let challenge =
                Challenge::new_password(&flow.username, &required_attributes, &user.attributes);
            Ok(Transition::Continue {
                next: SignInState::AwaitingNewPassword {
                    required_attributes,
                },
                reply: Reply::Challenge(challenge),
                effects,
            })
        }
        UserStatus::Confirmed => super::device::device_or_mfa(flow, ctx, effects),
    }
}

/// The MFA decision, turned into a challenge (or tokens).
pub fn enter_mfa(
    flow: &Flow,
    ctx: &StepContext<'_>,
    effects: Vec<Effect>,
) -> Result<Transition, Rejection> {
    match mfa_policy::decide(ctx.pool, ctx.user) {
        MfaStep::None => Ok(Transition::Authenticated {
            proof: Authenticated::signed_in(flow, ctx.now),
            effects,
        }),
        MfaStep::Challenge(factor) => challenge_factor(flow, ctx, factor, effects),
        MfaStep::Select(allowed) => Ok(Transition::Continue {
            reply: Reply::Challenge(Challenge::select_mfa(&flow.username, &allowed)),
            next: SignInState::AwaitingMfaSelection { allowed },
            effects,
        }),
        MfaStep::Setup(allowed) => Ok(Transition::Continue {
            reply: Reply::Challenge(Challenge::mfa_setup(&flow.username, &allowed)),
            next: SignInState::AwaitingMfaSetup {
                allowed,
                totp: TotpSetupStage::NotStarted,
            },
            effects,
        }),
    }
}

/// Asks for `factor`'s code, sending one for SMS and e-mail.
pub fn challenge_factor(
    flow: &Flow,
    ctx: &StepContext<'_>,
    factor: MfaFactor,
    mut effects: Vec<Effect>,
) -> Result<Transition, Rejection> {
    let medium = match factor {
        MfaFactor::Totp => {
            let challenge =
                Challenge::software_token(&flow.username, ctx.user.totp_device_name.as_deref());
            return Ok(Transition::Continue {
                next: SignInState::AwaitingTotpCode,
                reply: Reply::Challenge(challenge),
                effects,
            });
        }
        MfaFactor::Sms => Medium::Sms,
        MfaFactor::Email => Medium::Email,
    };
    let Some(destination) = ctx.user.attr(medium.attribute()) else {
        // The policy only picks reachable factors; a selection can still name one that
        // is not (the state was built from an older snapshot).
        return Err(Rejection::retry(
            AuthError::InvalidParameter(format!(
                "The user has no {} to send an MFA code to.",
                medium.attribute()
            )),
            ctx,
        ));
    };
    let (code, effect) = new_code(ctx, medium, destination);
    effects.push(effect);
    let next = match medium {
        Medium::Sms => SignInState::AwaitingSmsCode { code },
        Medium::Email => SignInState::AwaitingEmailCode {
            code,
            enroll_email: None,
        },
    };
    Ok(Transition::Continue {
        next,
        reply: Reply::Challenge(Challenge::code_sent(
            &flow.username,
            medium,
            mask_destination(destination),
        )),
        effects,
    })
}

/// The pre-drawn code as a stored hash plus the effect that sends it.
pub fn new_code(ctx: &StepContext<'_>, medium: Medium, destination: &str) -> (StoredOtp, Effect) {
    let stored = StoredOtp {
        hash: (ctx.code_hash)(&ctx.fresh.code),
        expires_at: ctx.now.plus_secs(ctx.session_validity_secs),
    };
    let effect = Effect::SendMfaCode {
        medium,
        destination: destination.to_string(),
        code: ctx.fresh.code.clone(),
    };
    (stored, effect)
}
