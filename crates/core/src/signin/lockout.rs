//! The failed-password lockout of protocol notes §6.4: after 5 failures the user is
//! locked for 1 s, each further failure doubles it (`2^(n-5)` s, capped at 15 minutes);
//! attempts during a lockout are refused without being counted; 15 quiet minutes reset
//! the count. Pure functions over [`Lockout`]; the service stores the result.

use crate::error::AuthError;
use crate::user::Lockout;
use crate::Millis;

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
