//! `Policies.PasswordPolicy` and the check every new password goes through.

use serde::{Deserialize, Serialize};

use crate::error::AuthError;

/// The symbols Cognito counts for `RequireSymbols`.
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// A pool's password rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// `MinimumLength` (6..=99).
    pub minimum_length: u32,
    /// `RequireUppercase`.
    pub require_uppercase: bool,
    /// `RequireLowercase`.
    pub require_lowercase: bool,
    /// `RequireNumbers`.
    pub require_numbers: bool,
    /// `RequireSymbols`.
    pub require_symbols: bool,
    /// `PasswordHistorySize`: how many earlier passwords a user may not set again (the
    /// current one included).
    pub password_history_size: Option<u32>,
    /// `TemporaryPasswordValidityDays`.
    pub temporary_password_validity_days: u32,
}

impl Default for PasswordPolicy {
    /// Cognito's defaults: 8 characters, all four classes, 7-day temporary passwords.
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            password_history_size: None,
            temporary_password_validity_days: 7,
        }
    }
}

/// The longest password Cognito accepts.
pub const MAX_PASSWORD_LENGTH: usize = 256;

impl PasswordPolicy {
    /// Checks `password` and names the first rule it breaks, in Cognito's words.
    pub fn check(&self, password: &str) -> Result<(), AuthError> {
        let fail = |why: &str| {
            Err(AuthError::InvalidPassword(format!(
                "Password did not conform with policy: {why}"
            )))
        };
        if password.chars().count() < self.minimum_length as usize {
            return fail("Password not long enough");
        }
        if password.len() > MAX_PASSWORD_LENGTH {
            return fail("Password is too long");
        }
        if password.starts_with(' ') || password.ends_with(' ') {
            return fail("Password must not begin or end with a space");
        }
        if self.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
            return fail("Password must have lowercase characters");
        }
        if self.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
            return fail("Password must have uppercase characters");
        }
        if self.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
            return fail("Password must have numeric characters");
        }
        if self.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
            return fail("Password must have symbol characters");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_names_the_first_broken_rule() {
        let p = PasswordPolicy::default();
        assert!(p.check("Correct-Horse-9!").is_ok());
        let msg = |pw: &str| match p.check(pw) {
            Err(AuthError::InvalidPassword(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(msg("Ab1!").ends_with("Password not long enough"));
        assert!(msg("ABCDEFG1!").ends_with("lowercase characters"));
        assert!(msg("abcdefg1!").ends_with("uppercase characters"));
        assert!(msg("Abcdefgh!").ends_with("numeric characters"));
        assert!(msg("Abcdefgh1").ends_with("symbol characters"));
    }

    #[test]
    fn relaxed_policy_accepts_plain_passwords() {
        let p = PasswordPolicy {
            minimum_length: 6,
            require_uppercase: false,
            require_lowercase: false,
            require_numbers: false,
            require_symbols: false,
            ..Default::default()
        };
        assert!(p.check("aaaaaa").is_ok());
        assert!(p.check("aaaaa").is_err());
    }
}
