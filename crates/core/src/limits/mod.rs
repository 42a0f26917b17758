//! Abuse limits: how often a user may be sent a code or try one in a rolling hour, and
//! the lockouts that follow failed passwords and failed second factors.
//!
//! Everything here is pure: the state of each counter ([`Window`], [`Lockout`]) and the
//! decision on one more event. The service (`service/limits.rs`) keeps the states in the
//! store and changes them only by compare-and-swap. A code attempt or second factor is
//! reserved (counted, or refused) before it is compared; a password is refused during a
//! lockout before it is compared, and its outcome is settled by compare-and-swap before
//! it is answered. Either way a burst of parallel guesses is counted one by one, and the
//! ones past the limit are refused without their outcome being told.
//!
//! Counters are kept per user (`sub`), or — for a name that is not a user, when the app
//! client prevents user existence errors — per keyed digest of the name, so that an
//! unknown user runs into the same limits as a real one.

pub mod lockout;
mod window;

use serde::{Deserialize, Serialize};

use crate::code::CodePurpose;
use crate::error::AuthError;

pub use lockout::Lockout;
pub use window::{Admission, Window, WINDOW_SECS};

/// The hourly budgets (server configuration `[limits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Codes one user may ask for per purpose in a rolling hour: `ForgotPassword`,
    /// `ResendConfirmationCode`, `GetUserAttributeVerificationCode` and attribute
    /// updates that send a code (Cognito: 5).
    pub code_requests_per_hour: u32,
    /// SMS and e-mail codes sent to one user during sign-in in a rolling hour. Higher than
    /// the above (a user signs in more often than they reset a password), but bounded:
    /// every SMS costs money, and a known password must not be a way to send thousands.
    pub sign_in_codes_per_hour: u32,
    /// Answers one user may give per code purpose in a rolling hour, across re-issued
    /// codes: `ConfirmSignUp`, `ConfirmForgotPassword`, `VerifyUserAttribute` (Cognito:
    /// 15, and 5–20 for password resets). Past it even the right code is refused.
    pub code_attempts_per_hour: u32,
    /// `ChangePassword` calls one user may make in a rolling hour (Cognito: 5).
    pub change_password_per_hour: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            code_requests_per_hour: 5,
            sign_in_codes_per_hour: 20,
            code_attempts_per_hour: 15,
            change_password_per_hour: 5,
        }
    }
}

/// Something a user may do a limited number of times an hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Being sent a code for a purpose on request.
    CodeRequests(CodePurpose),
    /// Being sent an SMS or e-mail code during sign-in.
    SignInCodes,
    /// Answering a code of a purpose.
    CodeAttempts(CodePurpose),
    /// `ChangePassword`.
    ChangePassword,
}

impl Budget {
    /// How many an hour `limits` allow.
    pub fn per_hour(self, limits: &Limits) -> u32 {
        match self {
            Budget::CodeRequests(_) => limits.code_requests_per_hour,
            Budget::SignInCodes => limits.sign_in_codes_per_hour,
            Budget::CodeAttempts(_) => limits.code_attempts_per_hour,
            Budget::ChangePassword => limits.change_password_per_hour,
        }
    }

    fn name(self) -> String {
        match self {
            Budget::CodeRequests(p) => format!("send-{}", p.as_str()),
            Budget::SignInCodes => "send-sign_in".into(),
            Budget::CodeAttempts(p) => format!("try-{}", p.as_str()),
            Budget::ChangePassword => "change_password".into(),
        }
    }
}

/// A failure lockout: after five failures, refusals that double up to 15 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Wrong passwords (and SRP proofs), on every flow and `ChangePassword`.
    Password,
    /// Wrong SMS, e-mail and TOTP codes at sign-in, across sessions. A correct password
    /// does not clear it; only a completed sign-in does.
    SecondFactor,
}

impl Lock {
    fn name(self) -> &'static str {
        match self {
            Lock::Password => "lock-password",
            Lock::SecondFactor => "lock-mfa",
        }
    }
}

/// Whose counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    /// A user.
    User {
        /// The pool.
        pool_id: &'a str,
        /// The user's `sub`.
        sub: &'a str,
    },
    /// A name that is no user (the service's keyed digest of pool and name).
    Unknown {
        /// The pool.
        pool_id: &'a str,
        /// Hex digest of the normalised name.
        digest: &'a str,
    },
}

impl Subject<'_> {
    fn key_part(&self) -> String {
        match self {
            Subject::User { pool_id, sub } => format!("{pool_id}:u:{sub}"),
            Subject::Unknown { pool_id, digest } => format!("{pool_id}:n:{digest}"),
        }
    }
}

/// The store key of a budget's counter.
pub fn budget_key(budget: Budget, subject: &Subject<'_>) -> String {
    format!("{}:{}", budget.name(), subject.key_part())
}

/// The store key of a lockout's counter.
pub fn lock_key(lock: Lock, subject: &Subject<'_>) -> String {
    format!("{}:{}", lock.name(), subject.key_part())
}

/// The error for a used-up hourly budget (Cognito's wording).
pub fn limit_exceeded() -> AuthError {
    AuthError::LimitExceeded("Attempt limit exceeded, please try after some time.".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_budgets_purposes_and_subjects() {
        let alice = Subject::User {
            pool_id: "p",
            sub: "a",
        };
        let bob = Subject::User {
            pool_id: "p",
            sub: "b",
        };
        let ghost = Subject::Unknown {
            pool_id: "p",
            digest: "a",
        };
        let keys = [
            budget_key(Budget::CodeRequests(CodePurpose::SignUp), &alice),
            budget_key(Budget::CodeRequests(CodePurpose::ForgotPassword), &alice),
            budget_key(Budget::CodeAttempts(CodePurpose::SignUp), &alice),
            budget_key(Budget::SignInCodes, &alice),
            budget_key(Budget::ChangePassword, &alice),
            budget_key(Budget::ChangePassword, &bob),
            budget_key(Budget::ChangePassword, &ghost),
            lock_key(Lock::Password, &alice),
            lock_key(Lock::SecondFactor, &alice),
            lock_key(Lock::Password, &ghost),
        ];
        let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
    }

    #[test]
    fn defaults_are_within_cognitos_range() {
        let l = Limits::default();
        assert!((5..=20).contains(&l.code_requests_per_hour));
        assert!(l.sign_in_codes_per_hour > l.code_requests_per_hour);
        assert_eq!(Budget::ChangePassword.per_hour(&l), 5);
    }
}
