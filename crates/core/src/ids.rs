//! Identifier shapes: pool ids, app-client ids, client secrets, subs.
//!
//! Clients derive the region and the SRP "pool name" from the pool id by splitting at `_`,
//! so a pool id has exactly one `_`: `<region>_<9 alphanumerics>`.

use crate::ports::Rng;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// Draws `len` characters uniformly from `alphabet` (rejection sampling, no modulo bias).
pub fn random_string(rng: &dyn Rng, alphabet: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    // Largest multiple of the alphabet size that fits in a byte.
    let limit = 256 - (256 % alphabet.len());
    while out.len() < len {
        let mut buf = [0u8; 32];
        rng.fill(&mut buf);
        for b in buf {
            if (b as usize) < limit && out.len() < len {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    out
}

/// A new pool id for `region`: `<region>_<9 alphanumerics>`.
pub fn new_pool_id(rng: &dyn Rng, region: &str) -> String {
    format!("{}_{}", region, random_string(rng, ALNUM, 9))
}

/// The SRP pool name clients derive from a pool id: the text after the `_`.
pub fn pool_name_for_srp(pool_id: &str) -> &str {
    pool_id.split_once('_').map(|(_, n)| n).unwrap_or(pool_id)
}

/// The region part of a pool id.
pub fn region_of(pool_id: &str) -> &str {
    pool_id.split_once('_').map(|(r, _)| r).unwrap_or(pool_id)
}

/// Whether `s` has the shape of a pool id (`[\w-]+_[0-9a-zA-Z]+`, at most 55 characters).
pub fn is_pool_id(s: &str) -> bool {
    let Some((region, rest)) = s.split_once('_') else {
        return false;
    };
    s.len() <= 55
        && !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A new app-client id: 26 lowercase alphanumerics, as Cognito issues them.
pub fn new_client_id(rng: &dyn Rng) -> String {
    random_string(rng, LOWER_ALNUM, 26)
}

/// A new app-client secret: 51 lowercase alphanumerics (within `[\w+]{24,64}`).
pub fn new_client_secret(rng: &dyn Rng) -> String {
    random_string(rng, LOWER_ALNUM, 51)
}

/// A new user import job id: `import-` and 10 letters and digits, as Cognito issues them.
pub fn new_import_job_id(rng: &dyn Rng) -> String {
    format!("import-{}", random_string(rng, ALNUM, 10))
}

/// A new random UUID (version 4) from the domain's randomness source.
pub fn new_uuid(rng: &dyn Rng) -> String {
    let mut b = [0u8; 16];
    rng.fill(&mut b);
    uuid::Builder::from_random_bytes(b)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// An opaque URL-safe token of `bytes` random bytes (base64url, no padding).
pub fn new_opaque_token(rng: &dyn Rng, bytes: usize) -> String {
    use base64::Engine;
    let mut b = vec![0u8; bytes];
    rng.fill(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// A sign-in's id (which names its auth event): the time it started, in milliseconds as
/// 12 hex digits, then 12 random bytes (base64url). The time comes first so that a
/// pool's new events land at the end of the events' primary-key index, next to each
/// other, instead of each on a random page of it: a batch of events then rewrites a few
/// pages, not one per event (the random-key index was most of what recording an event
/// cost). Nothing secret rides on it: the event's time is in the event, and 96 random
/// bits keep ids of one millisecond apart.
pub fn new_sign_in_id(rng: &dyn Rng, started_at: crate::Millis) -> String {
    let millis = u64::try_from(started_at.0).unwrap_or(0) & 0xffff_ffff_ffff;
    format!("{millis:012x}{}", new_opaque_token(rng, 12))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::SystemRng;

    #[test]
    fn sign_in_ids_sort_by_their_start_and_differ_within_a_millisecond() {
        let early = new_sign_in_id(&SystemRng, crate::Millis(1_764_387_000_000));
        let later = new_sign_in_id(&SystemRng, crate::Millis(1_764_387_000_001));
        let same = new_sign_in_id(&SystemRng, crate::Millis(1_764_387_000_001));
        assert!(early < later, "{early} {later}");
        assert_ne!(later, same);
        assert_eq!(later.len(), 28);
        assert!(later.starts_with("019acda90ec1"), "{later}");
        // Before 1970 or past the 48 bits: still an id, never a panic.
        assert_eq!(new_sign_in_id(&SystemRng, crate::Millis(-5)).len(), 28);
    }

    #[test]
    fn pool_ids_have_one_underscore_and_nine_alnum() {
        let id = new_pool_id(&SystemRng, "us-east-1");
        assert!(is_pool_id(&id), "{id}");
        assert_eq!(id.matches('_').count(), 1);
        assert_eq!(pool_name_for_srp(&id).len(), 9);
        assert_eq!(region_of(&id), "us-east-1");
    }

    #[test]
    fn pool_id_shape_rejects_garbage() {
        assert!(!is_pool_id("nounderscore"));
        assert!(!is_pool_id("us-east-1_a_b"));
        assert!(!is_pool_id("_abc"));
        assert!(!is_pool_id("us-east-1_"));
        assert!(is_pool_id("us-east-1_XaMpLe123"));
    }

    #[test]
    fn client_ids_are_26_lower_alnum() {
        let id = new_client_id(&SystemRng);
        assert_eq!(id.len(), 26);
        assert!(id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    }
}
