//! Passwords: the SRP salt and verifier sealed at rest, the plain-password check built on
//! them, and temporary passwords that satisfy a pool's policy.
//!
//! Keystep never keeps a password, only `v = g^x mod N` (Cognito §4.4). `x` binds the
//! SRP pool name and the canonical username, so the verifier is recomputed whenever a
//! password is set, and `USER_PASSWORD_AUTH` checks a password by recomputing `v`.

use crate::error::AuthError;
use crate::ids::pool_name_for_srp;
use crate::keys::{constant_time_eq, Sealed};
use crate::password_policy::PasswordPolicy;
use crate::pool::UserPool;
use crate::ports::Rng;
use crate::user::User;
use crate::Millis;

use super::Keystep;

/// Length of a fresh SRP salt in bytes (Cognito's `SALT` is 32 hex characters).
pub const SALT_LEN: usize = 16;

/// First byte of the sealed layout, so the layout can change without guessing.
const SEALED_LAYOUT_V1: u8 = 1;

/// Length of generated temporary passwords when the policy asks for less.
const TEMPORARY_PASSWORD_LEN: usize = 12;

/// A user's SRP salt and verifier, as opened from [`User::password`].
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordVerifier {
    /// The salt (16 bytes for verifiers Keystep made).
    pub salt: Vec<u8>,
    /// `v = g^x mod N`, big-endian bytes as `keystep_srp::verifier` returns them.
    pub verifier: Vec<u8>,
}

impl std::fmt::Debug for PasswordVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordVerifier(<redacted>)")
    }
}

impl PasswordVerifier {
    /// `[version, salt length, salt.., verifier..]`.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 + self.salt.len() + self.verifier.len());
        out.push(SEALED_LAYOUT_V1);
        // Salts are made here and are 16 bytes; the length byte cannot overflow.
        out.push(self.salt.len().min(255) as u8);
        out.extend_from_slice(&self.salt[..self.salt.len().min(255)]);
        out.extend_from_slice(&self.verifier);
        out
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<PasswordVerifier> {
        let (&version, rest) = bytes.split_first()?;
        let (&salt_len, rest) = rest.split_first()?;
        if version != SEALED_LAYOUT_V1 || rest.len() <= salt_len as usize {
            return None;
        }
        let (salt, verifier) = rest.split_at(salt_len as usize);
        Some(PasswordVerifier {
            salt: salt.to_vec(),
            verifier: verifier.to_vec(),
        })
    }
}

/// The sealing context of a user's verifier: a sealed value copied to another user or
/// pool does not open.
pub fn password_context(pool_id: &str, sub: &str) -> String {
    format!("password:{pool_id}:{sub}")
}

impl Keystep {
    /// Sets `user`'s password: checks the pool's policy — its rules, and that the password
    /// is none of the last `PasswordHistorySize` ones (each checked against its own sealed
    /// salt and verifier; no password is kept) — draws a fresh salt, computes the SRP
    /// verifier over the canonical username (`USER_ID_FOR_SRP`), seals both into
    /// `user.password`, moves the previous one into the history and stamps
    /// `password_set_at`. Writes nothing to the store.
    pub fn set_password(
        &self,
        pool: &UserPool,
        user: &mut User,
        password: &str,
        now: Millis,
    ) -> Result<(), AuthError> {
        pool.settings.password_policy.check(password)?;
        let remembered = pool
            .settings
            .password_policy
            .password_history_size
            .unwrap_or(0) as usize;
        let context = password_context(&pool.id, &user.sub);
        let previous: Vec<Sealed> = user
            .password
            .iter()
            .chain(user.password_history.iter())
            .take(remembered)
            .cloned()
            .collect();
        for sealed in &previous {
            let plain = self
                .keys
                .open(&context, sealed)
                .map_err(AuthError::internal)?;
            let Some(old) = PasswordVerifier::from_bytes(&plain) else {
                continue;
            };
            let candidate = keystep_srp::verifier(
                &old.salt,
                pool_name_for_srp(&pool.id),
                &user.username,
                password,
            );
            if constant_time_eq(&candidate, &old.verifier) {
                return Err(AuthError::PasswordHistoryPolicyViolation(
                    "The password was used recently; choose another one.".into(),
                ));
            }
        }
        // The history holds the previous passwords the policy still remembers besides the
        // current one.
        user.password_history = previous
            .into_iter()
            .take(remembered.saturating_sub(1))
            .collect();
        let mut salt = vec![0u8; SALT_LEN];
        self.rng.fill(&mut salt);
        let verifier =
            keystep_srp::verifier(&salt, pool_name_for_srp(&pool.id), &user.username, password);
        let plain = PasswordVerifier { salt, verifier }.to_bytes();
        user.password = Some(
            self.keys
                .seal(&password_context(&pool.id, &user.sub), &plain),
        );
        user.password_set_at = Some(now);
        Ok(())
    }

    /// Opens `user`'s sealed salt and verifier. A user without a password answers like a
    /// wrong password; a value that does not open is an internal error (wrong master key
    /// or a damaged row), logged and never shown.
    pub fn open_verifier(
        &self,
        pool: &UserPool,
        user: &User,
    ) -> Result<PasswordVerifier, AuthError> {
        let Some(sealed) = &user.password else {
            return Err(AuthError::NotAuthorized(
                "Incorrect username or password.".into(),
            ));
        };
        let plain = self
            .keys
            .open(&password_context(&pool.id, &user.sub), sealed)
            .map_err(AuthError::internal)?;
        PasswordVerifier::from_bytes(&plain)
            .ok_or_else(|| AuthError::internal("sealed password verifier has a bad layout"))
    }

    /// Whether `password` is `user`'s password: recomputes `g^x mod N` from the stored
    /// salt and compares with the stored verifier in constant time.
    pub fn check_password(&self, pool: &UserPool, user: &User, password: &str) -> bool {
        let Ok(stored) = self.open_verifier(pool, user) else {
            return false;
        };
        let candidate = keystep_srp::verifier(
            &stored.salt,
            pool_name_for_srp(&pool.id),
            &user.username,
            password,
        );
        constant_time_eq(&candidate, &stored.verifier)
    }

    /// Does the work of a password check for a user who does not exist, so that an
    /// unknown user and a wrong password take about the same time.
    pub fn simulate_password_check(&self, pool: &UserPool, username: &str, password: &str) {
        let salt = [0u8; SALT_LEN];
        let _ = keystep_srp::verifier(&salt, pool_name_for_srp(&pool.id), username, password);
    }

    /// A random temporary password that satisfies `policy` (see [`temporary_password`]).
    pub fn generate_temporary_password(&self, policy: &PasswordPolicy) -> String {
        temporary_password(&*self.rng, policy)
    }
}

const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
// A subset of the symbols Cognito counts, without quotes, backslashes or spaces, so the
// password survives being pasted from a message into a shell or a form.
const SYMBOLS: &[u8] = b"!#$%&*+-.:=?@^_~";

/// A random password with at least one character of every class (whatever the policy
/// requires, more classes only make it stronger), at least the policy's minimum length
/// and at least 12 characters, in random order. Look-alike characters are left out.
pub fn temporary_password(rng: &dyn Rng, policy: &PasswordPolicy) -> String {
    let len = (policy.minimum_length as usize).clamp(
        TEMPORARY_PASSWORD_LEN,
        crate::password_policy::MAX_PASSWORD_LENGTH,
    );
    let all: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS]
        .iter()
        .map(|class| class[uniform_below(rng, class.len())])
        .collect();
    while chars.len() < len {
        chars.push(all[uniform_below(rng, all.len())]);
    }
    // Fisher-Yates, so the mandatory characters are not always in front.
    for i in (1..chars.len()).rev() {
        chars.swap(i, uniform_below(rng, i + 1));
    }
    chars.into_iter().map(char::from).collect()
}

/// A uniform integer in `0..n` (rejection sampling, no modulo bias). `n` must be > 0.
fn uniform_below(rng: &dyn Rng, n: usize) -> usize {
    let n = n.max(1) as u64;
    let range = 1u64 << 32;
    let limit = range - range % n;
    loop {
        let mut b = [0u8; 4];
        rng.fill(&mut b);
        let v = u64::from(u32::from_le_bytes(b));
        if v < limit {
            return (v % n) as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::SystemRng;

    #[test]
    fn temporary_passwords_satisfy_every_policy() {
        let policies = [
            PasswordPolicy::default(),
            PasswordPolicy {
                minimum_length: 6,
                require_uppercase: false,
                require_lowercase: false,
                require_numbers: false,
                require_symbols: false,
                ..Default::default()
            },
            PasswordPolicy {
                minimum_length: 99,
                ..Default::default()
            },
        ];
        for policy in policies {
            for _ in 0..200 {
                let pw = temporary_password(&SystemRng, &policy);
                assert!(policy.check(&pw).is_ok(), "{pw} vs {policy:?}");
                assert!(pw.len() >= TEMPORARY_PASSWORD_LEN);
                assert!(pw.len() >= policy.minimum_length as usize);
            }
        }
    }

    #[test]
    fn temporary_passwords_differ() {
        let p = PasswordPolicy::default();
        assert_ne!(
            temporary_password(&SystemRng, &p),
            temporary_password(&SystemRng, &p)
        );
    }

    #[test]
    fn uniform_below_stays_in_range() {
        for n in [1usize, 2, 7, 64, 255] {
            for _ in 0..100 {
                assert!(uniform_below(&SystemRng, n) < n);
            }
        }
    }

    #[test]
    fn verifier_layout_round_trips_and_rejects_garbage() {
        let v = PasswordVerifier {
            salt: vec![9; SALT_LEN],
            verifier: vec![1, 2, 3],
        };
        assert_eq!(PasswordVerifier::from_bytes(&v.to_bytes()), Some(v.clone()));
        assert_eq!(PasswordVerifier::from_bytes(&[]), None);
        assert_eq!(PasswordVerifier::from_bytes(&[2, 0, 1]), None);
        assert_eq!(PasswordVerifier::from_bytes(&[1, 16, 1, 2]), None);
        assert!(!format!("{v:?}").contains('9'));
    }
}
