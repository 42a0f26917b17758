//! The sign-in engine: a pure state machine over the steps of a password sign-in and
//! its challenges (protocol notes §2).
//!
//! A sign-in in progress is a [`SignIn`]: the [`Flow`] it belongs to (pool, client, user,
//! how it started) and the [`SignInState`] it waits in, one variant per challenge the
//! client must answer. [`start`] runs the first factor (a password, or the first half of
//! SRP); [`step`] takes the state and one [`ChallengeAnswer`] and returns a
//! [`Transition`]: wait in a new state with a challenge (or a setup reply) to send, or an
//! [`Authenticated`] proof that tokens may be minted from, or a [`Rejection`]. Every
//! outcome carries [`Effect`]s — values the service carries out (send a code, record a
//! TOTP step, count a password failure, set the new password...).
//!
//! # What "pure" means here, and how codes are checked
//!
//! The engine never awaits and never touches the store, the clock or the key ring
//! directly. Everything it needs arrives in the [`StepContext`]:
//!
//! * `now`, and the pool's rules ([`PoolRules`]);
//! * a snapshot of the user ([`UserSnapshot`]) with its secrets already *opened* by the
//!   service (SRP salt and verifier, TOTP secret): the engine does the arithmetic (SRP,
//!   HMAC, TOTP) itself, so every check is decided — and unit-tested — here;
//! * values the service drew at random beforehand ([`Fresh`]: the next one-time code,
//!   the SRP `b`, a TOTP secret, a secret-block id), because drawing randomness is an
//!   effect but using it is not; unused draws are simply dropped;
//! * the keyed hash one-time codes are stored as, as a plain function
//!   ([`StepContext::code_hash`]), so a code lives in the sealed session state only as a
//!   hash and is compared in constant time.
//!
//! The alternative — the service checking codes and passing verdicts in — would put the
//! knowledge of *which* code a state expects outside the engine, and with it every
//! wrong-order case. Passing the means to check keeps that knowledge in one place.
//!
//! # What the service does around it
//!
//! Loading and compare-and-swapping the session row, checking `USERNAME` and
//! `SECRET_HASH` of a response against the flow's user, sealing the `SECRET_BLOCK`
//! (and refusing a replayed one), expiring sessions, and applying the effects. A
//! [`Rejection`] says whether the session survives (`SessionFate::Retry`: same state,
//! one more attempt counted) or is destroyed.

mod after_password;
mod answer;
mod challenge;
pub mod choice;
mod context;
pub mod custom;
mod device;
mod effect;
mod first_factor;
mod flow;
pub mod mfa_policy;
mod outcome;
mod state;
mod transition;

pub use answer::{ChallengeAnswer, ChallengeResponse};
pub use challenge::{Challenge, ChallengeName};
pub use context::{DeviceSnapshot, Fresh, PoolRules, StepContext, StoredCredential, UserSnapshot};
pub use effect::Effect;
pub use first_factor::{check_timestamp, start, FirstFactor};
pub use flow::{AuthFlow, Flow};
pub use outcome::{Authenticated, Rejection, Reply, SessionFate, Transition};
pub use state::{SignIn, SignInState, SrpServerState, StoredOtp, TotpSetupStage};
pub use transition::step;

/// Wrong answers one session tolerates; the next one destroys it.
pub const MAX_SESSION_ATTEMPTS: u32 = 5;

/// How far a `TIMESTAMP` may be from the server's clock, in seconds.
pub const MAX_TIMESTAMP_SKEW_SECS: i64 = 300;

/// The error for a session that is unknown, used up, expired or exhausted.
pub fn session_expired() -> crate::AuthError {
    crate::AuthError::NotAuthorized("Invalid session for the user, session is expired.".into())
}

/// The error for a wrong password or a wrong SRP proof (and, when user existence errors
/// are prevented, for an unknown user).
pub fn incorrect_credentials() -> crate::AuthError {
    crate::AuthError::NotAuthorized("Incorrect username or password.".into())
}

/// The error for a wrong MFA code, and for a code sent to a state that expects another.
pub fn code_mismatch() -> crate::AuthError {
    crate::AuthError::CodeMismatch("Invalid code or auth state for the user.".into())
}

#[cfg(test)]
mod tests;
