//! Device authentication after the first factor (protocol notes §12.5–§12.6): a request
//! that named a remembered device (`DEVICE_KEY`) has the device prove itself by SRP with
//! its own verifier (`DEVICE_SRP_AUTH`, then `DEVICE_PASSWORD_VERIFIER`); where the pool
//! says so (`ChallengeRequiredOnNewDevice`), that proof replaces the second factor.

use crate::error::AuthError;

use super::after_password::enter_mfa;
use super::challenge::Challenge;
use super::effect::Effect;
use super::first_factor::check_timestamp;
use super::flow::Flow;
use super::outcome::{Authenticated, Rejection, Reply, Transition};
use super::state::{SignInState, SrpServerState};
use super::{incorrect_credentials, session_expired, StepContext};

/// After the first factor of a confirmed user: a remembered device is asked to prove
/// itself; otherwise the MFA decision.
pub fn device_or_mfa(
    flow: &Flow,
    ctx: &StepContext<'_>,
    effects: Vec<Effect>,
) -> Result<Transition, Rejection> {
    match ctx.device {
        Some(device) if device.remembered && ctx.pool.devices.is_some() => {
            Ok(Transition::Continue {
                next: SignInState::AwaitingDeviceSrp,
                reply: Reply::Challenge(Challenge::device_srp(&flow.username)),
                effects,
            })
        }
        _ => enter_mfa(flow, ctx, effects),
    }
}

/// `DEVICE_SRP_AUTH`: the device's `SRP_A` gets `DEVICE_PASSWORD_VERIFIER` (the service
/// adds the sealed `SECRET_BLOCK`).
pub fn device_srp(
    flow: &Flow,
    a_pub: &[u8],
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    let Some(device) = ctx.device.filter(|d| d.remembered) else {
        return Err(Rejection::fatal(
            super::super::service::auth::device_not_found(),
        ));
    };
    let b = &ctx.fresh.srp_b;
    let v = &device.verifier;
    let b_pub = keystep_srp::server_public(&v.verifier, b)
        .map_err(|_| Rejection::fatal(AuthError::internal("device SRP B could not be made")))?;
    let session_key = keystep_srp::server_session_key(a_pub, &b_pub, b, &v.verifier)
        .map_err(|_| Rejection::fatal(AuthError::InvalidParameter("SRP_A is not valid.".into())))?;
    Ok(Transition::Continue {
        next: SignInState::AwaitingDevicePasswordVerifier {
            srp: SrpServerState {
                block_id: ctx.fresh.block_id.clone(),
                session_key: session_key.to_vec(),
                issued_at: ctx.now,
                expires_at: ctx.now.plus_secs(ctx.session_validity_secs),
            },
        },
        reply: Reply::Challenge(Challenge::device_password_verifier(
            &flow.username,
            &device.key,
            keystep_srp::to_hex(&v.salt),
            keystep_srp::to_hex(&b_pub),
        )),
        effects: Vec::new(),
    })
}

/// `DEVICE_PASSWORD_VERIFIER`: the proof, signed with the device group key as the "pool
/// name" and the device key as the "username" (§12.5). Then tokens — or MFA, where the
/// pool does not let a remembered device replace it.
pub fn device_claim(
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
    let Some(device) = ctx.device.filter(|d| d.remembered) else {
        return Err(Rejection::fatal(
            super::super::service::auth::device_not_found(),
        ));
    };
    check_timestamp(timestamp, ctx.now).map_err(Rejection::fatal)?;
    let Ok(key) = <[u8; 16]>::try_from(srp.session_key.as_slice()) else {
        return Err(Rejection::fatal(AuthError::internal(
            "device SRP session key has a bad length",
        )));
    };
    let valid = keystep_srp::verify_claim_signature(
        &key,
        &device.group_key,
        &device.key,
        secret_block,
        timestamp,
        signature,
    );
    if !valid {
        return Err(Rejection::fatal(incorrect_credentials()));
    }
    let effects = vec![Effect::DeviceAuthenticated {
        key: device.key.clone(),
    }];
    let replaces_mfa = ctx
        .pool
        .devices
        .is_some_and(|d| d.challenge_required_on_new_device);
    if replaces_mfa {
        return Ok(Transition::Authenticated {
            proof: Authenticated::signed_in(flow, ctx.now),
            effects,
        });
    }
    enter_mfa(flow, ctx, effects)
}
