//! The first factor: a plain password (`USER_PASSWORD_AUTH`, `ADMIN_USER_PASSWORD_AUTH`)
//! or SRP (`USER_SRP_AUTH`: `SRP_A` now, the `PASSWORD_VERIFIER` proof next), with the
//! checks that come before it (§2.6 steps 5–8).

use crate::error::AuthError;
use crate::keys::constant_time_eq;
use crate::user::UserStatus;

use super::after_password::after_first_factor;
use super::challenge::Challenge;
use super::effect::Effect;
use super::flow::Flow;
use super::outcome::{Rejection, Reply, Transition};
use super::state::{SignInState, SrpServerState};
use super::{incorrect_credentials, session_expired, StepContext, MAX_TIMESTAMP_SKEW_SECS};

/// What the client presented to start.
#[derive(Clone, PartialEq, Eq)]
pub enum FirstFactor {
    /// `PASSWORD`.
    Password(String),
    /// `SRP_A`, decoded from hex.
    SrpA(Vec<u8>),
    /// `CUSTOM_AUTH`: the triggers decide; `SRP_A` when the client starts with SRP
    /// (`CHALLENGE_NAME=SRP_A`).
    Custom {
        /// `SRP_A`, decoded from hex.
        srp_a: Option<Vec<u8>>,
    },
}

impl std::fmt::Debug for FirstFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FirstFactor::Password(_) => "Password(<redacted>)",
            FirstFactor::SrpA(_) => "SrpA",
            FirstFactor::Custom { .. } => "Custom",
        })
    }
}

/// The checks before any password is looked at: disabled, reset required. (The lockout
/// comes before the engine: a locked-out user's attempt never reaches a step.)
pub(super) fn gate(ctx: &StepContext<'_>) -> Result<(), Rejection> {
    if !ctx.user.enabled {
        return Err(Rejection::fatal(AuthError::NotAuthorized(
            "User is disabled.".into(),
        )));
    }
    if ctx.user.status == UserStatus::ResetRequired {
        return Err(Rejection::fatal(AuthError::PasswordResetRequired(
            "Password reset required for the user".into(),
        )));
    }
    Ok(())
}

/// A wrong password: the sign-in is over. (The service counts an outcome without
/// `ResetPasswordFailures` as a failure before answering it.)
fn wrong_password() -> Rejection {
    Rejection::fatal(incorrect_credentials())
}

/// Starts a sign-in for `flow` with the first factor.
///
/// A password is checked by recomputing the SRP verifier from the stored salt (§4.4) and
/// comparing in constant time. `SRP_A` gets the `PASSWORD_VERIFIER` challenge (the
/// service adds the sealed `SECRET_BLOCK` holding the returned state).
pub fn start(
    flow: &Flow,
    first: FirstFactor,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    gate(ctx)?;
    if let FirstFactor::Custom { srp_a } = first {
        if ctx.user.status == UserStatus::Unconfirmed {
            return Err(Rejection::fatal(AuthError::UserNotConfirmed(
                "User is not confirmed.".into(),
            )));
        }
        return Ok(super::custom::begin(srp_a, Vec::new()));
    }
    if ctx.user.password.is_none() {
        return Err(wrong_password());
    }
    match first {
        FirstFactor::Password(password) => password_first(flow, &password, ctx),
        FirstFactor::SrpA(a_pub) => srp_challenge(flow, &a_pub, ctx),
        FirstFactor::Custom { .. } => Err(Rejection::fatal(AuthError::internal(
            "a custom first factor reached the password check",
        ))),
    }
}

/// A plain password as the first factor: recomputes the SRP verifier from the stored salt
/// (§4.4) and compares in constant time; then what follows any first factor.
pub(super) fn password_first(
    flow: &Flow,
    password: &str,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    let Some(stored) = &ctx.user.password else {
        return Err(wrong_password());
    };
    let candidate = keystep_srp::verifier(
        &stored.salt,
        &ctx.pool.srp_pool_name,
        &flow.username,
        password,
    );
    if !constant_time_eq(&candidate, &stored.verifier) {
        return Err(wrong_password());
    }
    after_first_factor(flow, ctx, vec![Effect::ResetPasswordFailures])
}

/// The `PASSWORD_VERIFIER` challenge for the client's `SRP_A` (the service adds the
/// sealed `SECRET_BLOCK` holding the returned state).
pub fn srp_challenge(
    flow: &Flow,
    a_pub: &[u8],
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    let Some(stored) = &ctx.user.password else {
        return Err(wrong_password());
    };
    let b = &ctx.fresh.srp_b;
    let b_pub = keystep_srp::server_public(&stored.verifier, b)
        .map_err(|_| Rejection::fatal(AuthError::internal("SRP B could not be made")))?;
    let session_key = keystep_srp::server_session_key(a_pub, &b_pub, b, &stored.verifier)
        .map_err(|_| Rejection::fatal(AuthError::InvalidParameter("SRP_A is not valid.".into())))?;
    let srp = SrpServerState {
        block_id: ctx.fresh.block_id.clone(),
        session_key: session_key.to_vec(),
        issued_at: ctx.now,
        expires_at: ctx.now.plus_secs(ctx.session_validity_secs),
    };
    let challenge = Challenge::password_verifier(
        &flow.username,
        keystep_srp::to_hex(&stored.salt),
        keystep_srp::to_hex(&b_pub),
    );
    Ok(Transition::Continue {
        next: SignInState::AwaitingPasswordVerifier { srp },
        reply: Reply::Challenge(challenge),
        effects: Vec::new(),
    })
}

/// Checks a `PASSWORD_VERIFIER`'s `TIMESTAMP`: well formed, and within
/// [`MAX_TIMESTAMP_SKEW_SECS`] of `now`. (The simulated challenge of an unknown user runs
/// the same check, so its answers fail the same way.)
pub fn check_timestamp(timestamp: &str, now: crate::Millis) -> Result<(), AuthError> {
    let Ok(client_secs) = keystep_srp::parse_timestamp(timestamp) else {
        return Err(AuthError::NotAuthorized(
            "TIMESTAMP is not a valid timestamp.".into(),
        ));
    };
    if (client_secs - now.as_secs()).abs() > MAX_TIMESTAMP_SKEW_SECS {
        return Err(AuthError::NotAuthorized(
            "TIMESTAMP is too far from the server's time; check the device clock.".into(),
        ));
    }
    Ok(())
}

/// Checks the `PASSWORD_VERIFIER` proof against the session key of `srp`.
///
/// The service has already opened the `SECRET_BLOCK`, checked it belongs to this state
/// and recorded its id as used; `secret_block` is its bytes as the client echoed them
/// (the signature covers them).
pub fn password_claim(
    flow: &Flow,
    srp: &SrpServerState,
    secret_block: &[u8],
    signature: &[u8],
    timestamp: &str,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    if ctx.now >= srp.expires_at {
        return Err(Rejection::fatal(session_expired()));
    }
    gate(ctx)?;
    check_timestamp(timestamp, ctx.now).map_err(Rejection::fatal)?;
    let Ok(key) = <[u8; 16]>::try_from(srp.session_key.as_slice()) else {
        return Err(Rejection::fatal(AuthError::internal(
            "SRP session key has a bad length",
        )));
    };
    let valid = keystep_srp::verify_claim_signature(
        &key,
        &ctx.pool.srp_pool_name,
        &flow.username,
        secret_block,
        timestamp,
        signature,
    );
    if !valid {
        return Err(wrong_password());
    }
    if flow.auth_flow == super::AuthFlow::CustomAuth {
        return Ok(super::custom::after_password(vec![
            Effect::ResetPasswordFailures,
        ]));
    }
    after_first_factor(flow, ctx, vec![Effect::ResetPasswordFailures])
}
