//! The failed-password lockout of protocol notes §6.4: after 5 failures the user is
//! locked for 1 s, each further failure doubles it (`2^(n-5)` s, capped at 15 minutes);
//! attempts during a lockout are refused without being counted; 15 quiet minutes reset
//! the count. The same rule locks out failed second factors. Pure functions over
//! [`Lockout`]; the service stores the result.
//!
//! An attempt during a lockout is refused before it is judged. A password is then judged
//! and settled before it is answered: unless a lock began meanwhile (then it is refused
//! whatever it was), a failure is counted with [`after_failure`] and a success forgets the
//! count. So of a burst of parallel wrong passwords, each settled one counts, and those
//! settled after the fifth are refused. A second factor's attempt is counted *before* it
//! is judged ([`reserve`]) and the count is cleared when the sign-in completes.

use serde::{Deserialize, Serialize};

use crate::error::AuthError;
use crate::Millis;

/// Failure bookkeeping for one lockout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Lockout {
    /// Consecutive failures counted.
    pub failures: u32,
    /// When the last failure happened.
    pub last_failure_at: Option<Millis>,
    /// Until when attempts are refused.
    pub locked_until: Option<Millis>,
}

/// Failures allowed before the first lock.
pub const FREE_FAILURES: u32 = 5;

/// The longest lock, in seconds.
pub const MAX_LOCK_SECS: i64 = 15 * 60;

/// Quiet time after which the failure count starts again, in seconds.
pub const RESET_AFTER_SECS: i64 = 15 * 60;

/// The error for a sign-in during a lockout.
pub fn attempts_exceeded() -> AuthError {
    AuthError::NotAuthorized("Password attempts exceeded".into())
}

/// Whether sign-in is refused at `now`.
pub fn is_locked(lockout: &Lockout, now: Millis) -> bool {
    lockout.locked_until.is_some_and(|until| now < until)
}

/// Reserves one attempt at `now`: refused (`None`) during a lockout, else the bookkeeping
/// with this attempt counted as a failure, to be cleared if it turns out right.
pub fn reserve(lockout: &Lockout, now: Millis) -> Option<Lockout> {
    (!is_locked(lockout, now)).then(|| after_failure(lockout, now))
}

/// When the bookkeeping no longer matters: the lock is over and the count has reset.
pub fn forgettable_at(lockout: &Lockout) -> Millis {
    let reset = lockout
        .last_failure_at
        .map_or(Millis(0), |t| t.plus_secs(RESET_AFTER_SECS));
    lockout.locked_until.map_or(reset, |until| until.max(reset))
}

/// The bookkeeping after one more failed password at `now`.
pub fn after_failure(lockout: &Lockout, now: Millis) -> Lockout {
    let quiet = lockout
        .last_failure_at
        .is_none_or(|last| now.0.saturating_sub(last.0) >= RESET_AFTER_SECS * 1000);
    let failures = if quiet {
        1
    } else {
        lockout.failures.saturating_add(1)
    };
    let locked_until = (failures >= FREE_FAILURES).then(|| {
        let doublings = (failures - FREE_FAILURES).min(20);
        now.plus_secs((1i64 << doublings).min(MAX_LOCK_SECS))
    });
    Lockout {
        failures,
        last_failure_at: Some(now),
        locked_until,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_for_a_second_then_doubling_up_to_fifteen_minutes() {
        let mut l = Lockout::default();
        let mut now = Millis(1_000_000);
        for _ in 0..4 {
            l = after_failure(&l, now);
            assert!(!is_locked(&l, now));
        }
        l = after_failure(&l, now);
        assert_eq!(l.failures, 5);
        assert!(is_locked(&l, now));
        assert!(!is_locked(&l, now.plus_secs(1)));
        now = now.plus_secs(2);
        l = after_failure(&l, now);
        assert_eq!(l.locked_until, Some(now.plus_secs(2)));
        for _ in 0..30 {
            now = now.plus_secs(1);
            l = after_failure(&l, now);
        }
        assert_eq!(l.locked_until, Some(now.plus_secs(MAX_LOCK_SECS)));
    }

    #[test]
    fn reserving_counts_first_and_refuses_while_locked() {
        let now = Millis(50_000);
        let mut l = Lockout::default();
        for n in 1..=5 {
            l = reserve(&l, now).expect("not locked yet");
            assert_eq!(l.failures, n);
        }
        // The fifth reservation set the lock: a sixth at the same instant is refused
        // and changes nothing.
        assert_eq!(reserve(&l, now), None);
        assert_eq!(reserve(&l, now.plus_secs(1)).map(|l| l.failures), Some(6));
        assert_eq!(forgettable_at(&l), now.plus_secs(RESET_AFTER_SECS));
    }

    #[test]
    fn fifteen_quiet_minutes_reset_the_count() {
        let mut l = Lockout::default();
        let now = Millis(0);
        for _ in 0..4 {
            l = after_failure(&l, now);
        }
        let later = now.plus_secs(RESET_AFTER_SECS);
        l = after_failure(&l, later);
        assert_eq!(l.failures, 1);
        assert!(!is_locked(&l, later));
    }
}
