//! User sessions (`ListUserSessions`, `RevokeUserSession` and their admin twins) and
//! session configuration. A *token session* is one sign-in's refresh token — with
//! rotation, the chain of refresh tokens of that sign-in — for one app client; its id is
//! `tkn` and 25 lowercase letters and digits derived from the sign-in, so it names the
//! same session on every node without being stored. Tracking is opt-in per pool
//! (`UserSessionTracking`), as in Cognito: when it is on, a refresh marks the session
//! active, and a sign-in beyond `MaxPerUser` evicts the user's least recently active
//! session.

use serde::{Deserialize, Serialize};

use crate::Millis;

/// `MaxPerUser` when never set.
pub const DEFAULT_MAX_PER_USER: u32 = 20;
/// `MaxValidityMinutes` when never set.
pub const DEFAULT_SSO_VALIDITY_MINUTES: u32 = 60;
/// The most sessions one list answers (Cognito's page).
pub const MAX_LISTED: usize = 125;

/// The pool's session configuration (`SetUserPoolSessionConfiguration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTracking {
    /// `UserSessionTracking` `ENABLED`.
    pub enabled: bool,
    /// `TokenSession.MaxPerUser`, 1–100.
    pub max_per_user: u32,
}

impl Default for SessionTracking {
    fn default() -> Self {
        SessionTracking {
            enabled: false,
            max_per_user: DEFAULT_MAX_PER_USER,
        }
    }
}

/// One live token session, as the store groups a sign-in's refresh tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSession {
    /// The sign-in (`origin_jti`).
    pub origin_jti: String,
    /// The app client.
    pub client_id: String,
    /// When the user signed in.
    pub created_at: Millis,
    /// The latest refresh or rotation (the sign-in, before any).
    pub last_active_at: Millis,
}

/// Whether `s` has the shape of a session id (`^(tkn|sso)[a-z0-9]{25}$`).
pub fn is_session_id(s: &str) -> bool {
    s.len() == 28
        && (s.starts_with("tkn") || s.starts_with("sso"))
        && s[3..]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// The id of a token session from a keyed digest of its sign-in: `tkn` and 25 symbols of
/// `[a-z0-9]`, five bits of the digest each (125 bits).
pub fn token_session_id(digest: &[u8]) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = String::from("tkn");
    let mut bits = digest
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| (b >> i) & 1));
    while out.len() < 28 {
        let mut v = 0usize;
        for _ in 0..5 {
            v = (v << 1) | usize::from(bits.next().unwrap_or(0));
        }
        out.push(char::from(DIGITS[v]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_have_cognitos_shape() {
        let id = token_session_id(&[0xA5; 32]);
        assert!(is_session_id(&id), "{id}");
        assert_ne!(id, token_session_id(&[0x5A; 32]));
        assert!(!is_session_id("sso0123456789abcdefghijklmn"));
        assert!(is_session_id("sso0123456789abcdefghijklmno"));
        assert!(!is_session_id("tkn0123456789ABCDEFGHIJKLMNO"));
        assert!(!is_session_id("abc0123456789abcdefghijklmno"));
    }
}
