//! One-time codes: six digits, stored only as a keyed hash, with a lifetime and an
//! attempt limit. A used, expired or exhausted code never works again.
//!
//! A code belongs to what it was sent to: its hash covers the destination (the e-mail
//! address or phone number), so once that attribute changes the code no longer fits.

use serde::{Deserialize, Serialize};

use crate::error::AuthError;
use crate::keys::{constant_time_eq, KeyRing};
use crate::ports::Rng;
use crate::Millis;

/// What a code is for; a user has at most one live code per purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CodePurpose {
    /// ConfirmSignUp.
    SignUp,
    /// ConfirmForgotPassword (ForgotPassword and AdminResetUserPassword).
    ForgotPassword,
    /// VerifyUserAttribute for `email`.
    VerifyEmail,
    /// VerifyUserAttribute for `phone_number`.
    VerifyPhone,
}

impl CodePurpose {
    /// The stable name stored with the code.
    pub fn as_str(self) -> &'static str {
        match self {
            CodePurpose::SignUp => "sign_up",
            CodePurpose::ForgotPassword => "forgot_password",
            CodePurpose::VerifyEmail => "verify_email",
            CodePurpose::VerifyPhone => "verify_phone",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<CodePurpose> {
        match s {
            "sign_up" => Some(CodePurpose::SignUp),
            "forgot_password" => Some(CodePurpose::ForgotPassword),
            "verify_email" => Some(CodePurpose::VerifyEmail),
            "verify_phone" => Some(CodePurpose::VerifyPhone),
            _ => None,
        }
    }

    /// How long a code lives (Cognito: 24 h for confirmation and verification, 1 h for
    /// password resets).
    pub fn lifetime_secs(self) -> i64 {
        match self {
            CodePurpose::ForgotPassword => 3600,
            _ => 24 * 3600,
        }
    }
}

/// Wrong guesses allowed on one code before it is destroyed.
pub const MAX_CODE_ATTEMPTS: u32 = 5;

/// A code as the store keeps it: never the digits, only their keyed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCode {
    /// The pool.
    pub pool_id: String,
    /// The user's `sub`.
    pub sub: String,
    /// What it is for.
    pub purpose: CodePurpose,
    /// A random id, so consuming a code is a compare-and-delete on exactly this code.
    pub id: String,
    /// `KeyRing::code_hash(scope, digits)`.
    pub hash: Vec<u8>,
    /// When it was issued.
    pub created_at: Millis,
    /// When it stops working.
    pub expires_at: Millis,
    /// Wrong guesses so far.
    pub attempts: u32,
}

/// Six random digits, uniformly drawn.
pub fn new_code(rng: &dyn Rng) -> String {
    crate::ids::random_string(rng, b"0123456789", 6)
}

/// The scope string a code hash is bound to: whose, what for, and where it was sent.
pub fn scope(pool_id: &str, sub: &str, purpose: CodePurpose, destination: &str) -> String {
    format!("{pool_id}\n{sub}\n{}\n{destination}", purpose.as_str())
}

/// Issues a new code sent to `destination`: returns the digits (for the message only)
/// and the record to store.
pub fn issue(
    keys: &KeyRing,
    rng: &dyn Rng,
    pool_id: &str,
    sub: &str,
    purpose: CodePurpose,
    destination: &str,
    now: Millis,
) -> (String, StoredCode) {
    let digits = new_code(rng);
    let stored = StoredCode {
        pool_id: pool_id.to_string(),
        sub: sub.to_string(),
        purpose,
        id: crate::ids::new_opaque_token(rng, 16),
        hash: keys.code_hash(&scope(pool_id, sub, purpose, destination), &digits),
        created_at: now,
        expires_at: now.plus_secs(purpose.lifetime_secs()),
        attempts: 0,
    };
    (digits, stored)
}

/// Which of `destinations` (the addresses the user has now for the code's purpose)
/// `presented` is the code for, if any. Every candidate is compared, each in constant
/// time; a wrong destination can only make a right code fail, never the reverse, since
/// each destination gives an unrelated hash.
pub fn matching_destination<'a>(
    keys: &KeyRing,
    stored: &StoredCode,
    presented: &str,
    destinations: &[&'a str],
) -> Option<&'a str> {
    let mut found = None;
    for destination in destinations {
        let hash = keys.code_hash(
            &scope(&stored.pool_id, &stored.sub, stored.purpose, destination),
            presented.trim(),
        );
        if constant_time_eq(&hash, &stored.hash) {
            found = Some(*destination);
        }
    }
    found
}

/// The error a client sees for a wrong code.
pub fn mismatch_error() -> AuthError {
    AuthError::CodeMismatch("Invalid verification code provided, please try again.".into())
}

/// The error a client sees for an expired, used or missing code.
pub fn expired_error() -> AuthError {
    AuthError::ExpiredCode("Invalid code provided, please request a code again.".into())
}

/// The error for the wrong answer that used up a code's attempts, and for any answer
/// while it is used up.
pub fn exhausted_error() -> AuthError {
    AuthError::TooManyFailedAttempts("Too many failed attempts. Please request a new code.".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::SystemRng;

    const TO: &str = "jane@example.com";

    #[test]
    fn codes_are_six_digits_and_only_hashes_are_kept() {
        let keys = KeyRing::new(&[1; 32]).unwrap();
        let (digits, stored) = issue(
            &keys,
            &SystemRng,
            "p",
            "s",
            CodePurpose::SignUp,
            TO,
            Millis(0),
        );
        assert_eq!(digits.len(), 6);
        assert!(digits.chars().all(|c| c.is_ascii_digit()));
        assert_ne!(stored.hash, digits.as_bytes());
        assert_eq!(
            matching_destination(&keys, &stored, &digits, &[TO]),
            Some(TO)
        );
        assert_eq!(
            matching_destination(
                &keys,
                &stored,
                &format!(" {digits} "),
                &["+15555550100", TO]
            ),
            Some(TO)
        );
        let wrong = if digits == "000000" {
            "111111"
        } else {
            "000000"
        };
        assert_eq!(matching_destination(&keys, &stored, wrong, &[TO]), None);
        assert_eq!(stored.expires_at, Millis(24 * 3600 * 1000));
    }

    #[test]
    fn a_code_is_bound_to_its_user_purpose_and_destination() {
        let keys = KeyRing::new(&[1; 32]).unwrap();
        let (digits, stored) = issue(
            &keys,
            &SystemRng,
            "p",
            "s1",
            CodePurpose::VerifyEmail,
            TO,
            Millis(0),
        );
        assert_eq!(
            matching_destination(&keys, &stored, &digits, &["other@example.com"]),
            None
        );
        assert_eq!(matching_destination(&keys, &stored, &digits, &[]), None);
        let mut other_user = stored.clone();
        other_user.sub = "s2".into();
        assert_eq!(
            matching_destination(&keys, &other_user, &digits, &[TO]),
            None
        );
        let mut other_purpose = stored;
        other_purpose.purpose = CodePurpose::ForgotPassword;
        assert_eq!(
            matching_destination(&keys, &other_purpose, &digits, &[TO]),
            None
        );
    }
}
