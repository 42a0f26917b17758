//! `step`: one answer applied to the state a sign-in waits in.
//!
//! The rule for answers that do not fit the state (wrong order): an MFA code sent to a
//! state that waits for a different code is `CodeMismatch` "Invalid code or auth state
//! for the user." (Cognito's wording covers both); anything else is `InvalidParameter`
//! naming the challenge the sign-in waits for. Both count as a wrong attempt and leave
//! the session as it was, so a confused client can still answer correctly — until the
//! session's attempts run out.

use crate::attributes::{looks_like_email, mask_destination};
use crate::error::AuthError;
use crate::keys::constant_time_eq;
use crate::message::Medium;
use crate::user::MfaFactor;

use super::after_password::{challenge_factor, enter_mfa, new_code};
use super::answer::ChallengeAnswer;
use super::challenge::Challenge;
use super::effect::Effect;
use super::first_factor::password_claim;
use super::flow::Flow;
use super::outcome::{Authenticated, Rejection, Reply, Transition};
use super::state::{SignIn, SignInState, StoredOtp, TotpSetupStage};
use super::{code_mismatch, StepContext};

/// Applies `answer` to the state `signin` waits in.
pub fn step(
    signin: &SignIn,
    answer: ChallengeAnswer,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    use ChallengeAnswer as A;
    use SignInState as S;
    let flow = &signin.flow;
    match (&signin.state, answer) {
        (
            S::AwaitingPasswordVerifier { srp },
            A::PasswordVerifier {
                secret_block,
                signature,
                timestamp,
            },
        ) => password_claim(flow, srp, &secret_block, &signature, &timestamp, ctx),
        (
            S::AwaitingNewPassword {
                required_attributes,
            },
            A::NewPassword {
                password,
                attributes,
            },
        ) => new_password(flow, required_attributes, password, attributes, ctx),
        (S::AwaitingMfaSelection { allowed }, A::SelectMfa(factor)) => {
            if !allowed.contains(&factor) {
                return Err(Rejection::retry(
                    AuthError::InvalidParameter(format!(
                        "{} is not one of the MFA types offered to this user.",
                        factor.as_str()
                    )),
                    ctx,
                ));
            }
            challenge_factor(flow, ctx, factor, Vec::new())
        }
        (S::AwaitingSmsCode { code }, A::SmsCode(presented)) => {
            one_time_code(flow, code, &presented, None, ctx)
        }
        (S::AwaitingEmailCode { code, enroll_email }, A::EmailCode(presented)) => {
            one_time_code(flow, code, &presented, enroll_email.as_deref(), ctx)
        }
        (S::AwaitingTotpCode, A::TotpCode(presented)) => totp_code(flow, &presented, ctx),
        (
            S::AwaitingMfaSetup { allowed, totp },
            answer @ (A::AssociateSoftwareToken
            | A::VerifySoftwareToken { .. }
            | A::MfaSetup { .. }),
        ) => mfa_setup(flow, allowed, totp, answer, ctx),
        (S::AwaitingCustomAnswer { round }, A::CustomAnswer(answer)) => {
            Ok(super::custom::answer(round, answer))
        }
        (S::AwaitingPasskey { assertion }, A::PasskeyCredential(credential)) => {
            super::choice::passkey(flow, assertion, &credential, ctx)
        }
        (S::AwaitingDeviceSrp, A::DeviceSrp(a_pub)) => super::device::device_srp(flow, &a_pub, ctx),
        (
            S::AwaitingDevicePasswordVerifier { srp },
            A::DevicePasswordVerifier {
                secret_block,
                signature,
                timestamp,
            },
        ) => super::device::device_claim(flow, srp, &secret_block, &signature, &timestamp, ctx),
        (S::AwaitingFirstFactorChoice { available }, A::SelectFirstFactor(pick)) => {
            super::choice::choose(flow, available, pick, ctx)
        }
        (
            S::AwaitingSignInCode {
                medium: Medium::Email,
                code,
            },
            A::EmailCode(presented),
        )
        | (
            S::AwaitingSignInCode {
                medium: Medium::Sms,
                code,
            },
            A::SmsOtpCode(presented),
        ) => one_time_code(flow, code, &presented, None, ctx),
        (state, answer) => Err(wrong_order(state, &answer, ctx)),
    }
}

/// The rejection for an answer that does not fit the state (see the module doc).
fn wrong_order(state: &SignInState, answer: &ChallengeAnswer, ctx: &StepContext<'_>) -> Rejection {
    // A sign-up's session answers no challenge: using it so ends it.
    let Some(waits_for) = state.challenge_name() else {
        return Rejection::fatal(super::session_expired());
    };
    let waits_for_code = matches!(
        state,
        SignInState::AwaitingSmsCode { .. }
            | SignInState::AwaitingEmailCode { .. }
            | SignInState::AwaitingTotpCode
            | SignInState::AwaitingSignInCode { .. }
    );
    let error = if answer.is_mfa_code() && waits_for_code {
        code_mismatch()
    } else {
        AuthError::InvalidParameter(format!(
            "This sign-in is waiting for the {} challenge, not {}.",
            waits_for.as_str(),
            answer.answers().as_str()
        ))
    };
    Rejection::retry(error, ctx)
}

/// `NEW_PASSWORD_REQUIRED`: every missing required attribute must come with the answer,
/// and the password must satisfy the policy; then MFA as after any first factor.
fn new_password(
    flow: &Flow,
    required_attributes: &[String],
    password: String,
    attributes: Vec<(String, String)>,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    for name in required_attributes {
        let given = attributes.iter().any(|(n, v)| n == name && !v.is_empty());
        if !given {
            return Err(Rejection::retry(
                AuthError::InvalidParameter(format!("Invalid attributes given, {name} is missing")),
                ctx,
            ));
        }
    }
    if let Err(e) = ctx.pool.password_policy.check(&password) {
        return Err(Rejection::retry(e, ctx));
    }
    enter_mfa(
        flow,
        ctx,
        vec![Effect::SetPassword {
            password,
            attributes,
        }],
    )
}

/// `SMS_MFA` / `EMAIL_OTP`: the code sent in this session, compared by keyed hash.
fn one_time_code(
    flow: &Flow,
    code: &StoredOtp,
    presented: &str,
    enroll_email: Option<&str>,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    if ctx.now >= code.expires_at {
        return Err(Rejection::fatal(crate::code::expired_error()));
    }
    let hash = (ctx.code_hash)(presented.trim());
    if !constant_time_eq(&hash, &code.hash) {
        return Err(Rejection::retry(code_mismatch(), ctx));
    }
    let effects = match enroll_email {
        Some(email) => vec![Effect::EnrollEmailMfa {
            email: email.to_string(),
        }],
        None => Vec::new(),
    };
    Ok(Transition::Authenticated {
        proof: Authenticated::signed_in(flow, ctx.now),
        effects,
    })
}

/// `SOFTWARE_TOKEN_MFA`: a code of the user's verified secret, from a step not used before.
fn totp_code(flow: &Flow, presented: &str, ctx: &StepContext<'_>) -> Result<Transition, Rejection> {
    let step = ctx.user.totp_secret.as_deref().and_then(|secret| {
        crate::totp::verify_fresh(secret, presented, ctx.now, ctx.user.last_totp_step)
    });
    match step {
        Some(step) => Ok(Transition::Authenticated {
            proof: Authenticated::signed_in(flow, ctx.now),
            effects: vec![Effect::RecordTotpStep(step)],
        }),
        None => Err(Rejection::retry(code_mismatch(), ctx)),
    }
}

/// `MFA_SETUP` and the two setup calls made with its session.
fn mfa_setup(
    flow: &Flow,
    allowed: &[MfaFactor],
    stage: &TotpSetupStage,
    answer: ChallengeAnswer,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    let invalid = |msg: &str| {
        Err(Rejection::retry(
            AuthError::InvalidParameter(msg.into()),
            ctx,
        ))
    };
    match answer {
        ChallengeAnswer::AssociateSoftwareToken => {
            if !allowed.contains(&MfaFactor::Totp) {
                return invalid("SOFTWARE_TOKEN_MFA cannot be set up for this user.");
            }
            let secret = ctx.fresh.totp_secret.clone();
            Ok(Transition::Continue {
                reply: Reply::SoftwareTokenAssociated {
                    secret_code: crate::totp::base32_encode(&secret),
                },
                next: SignInState::AwaitingMfaSetup {
                    allowed: allowed.to_vec(),
                    totp: TotpSetupStage::Associated { secret },
                },
                effects: Vec::new(),
            })
        }
        ChallengeAnswer::VerifySoftwareToken {
            code,
            friendly_device_name,
        } => {
            let TotpSetupStage::Associated { secret } = stage else {
                return invalid("Call AssociateSoftwareToken before VerifySoftwareToken.");
            };
            let Some(step) = crate::totp::verify(secret, &code, ctx.now) else {
                return Err(Rejection::retry(
                    AuthError::CodeMismatch(
                        "Code mismatch and fail enable Software Token MFA".into(),
                    ),
                    ctx,
                ));
            };
            Ok(Transition::Continue {
                reply: Reply::SoftwareTokenVerified,
                next: SignInState::AwaitingMfaSetup {
                    allowed: allowed.to_vec(),
                    totp: TotpSetupStage::Verified,
                },
                effects: vec![Effect::EnableTotp {
                    secret: secret.clone(),
                    friendly_device_name,
                    step,
                }],
            })
        }
        ChallengeAnswer::MfaSetup { email: None } => match stage {
            TotpSetupStage::Verified => Ok(Transition::Authenticated {
                proof: Authenticated::signed_in(flow, ctx.now),
                effects: Vec::new(),
            }),
            _ => invalid("MFA setup is not complete: verify a software token or give an EMAIL."),
        },
        ChallengeAnswer::MfaSetup { email: Some(email) } => {
            if !allowed.contains(&MfaFactor::Email) {
                return invalid("EMAIL_OTP cannot be set up for this user.");
            }
            if !looks_like_email(&email) {
                return invalid("Invalid email address format.");
            }
            let (code, effect) = new_code(ctx, Medium::Email, &email);
            Ok(Transition::Continue {
                reply: Reply::Challenge(Challenge::code_sent(
                    &flow.username,
                    Medium::Email,
                    mask_destination(&email),
                )),
                next: SignInState::AwaitingEmailCode {
                    code,
                    enroll_email: Some(email),
                },
                effects: vec![effect],
            })
        }
        other => Err(wrong_order(
            &SignInState::AwaitingMfaSetup {
                allowed: allowed.to_vec(),
                totp: stage.clone(),
            },
            &other,
            ctx,
        )),
    }
}
