//! Time-based one-time passwords (RFC 6238) as authenticator apps and Cognito use them:
//! HMAC-SHA1, 30-second steps, 6 digits, a base32 secret, and one step of tolerance either
//! side for clock drift.
//!
//! [`verify`] answers *which* time step a code belongs to rather than a yes/no, so the
//! caller can remember the step (`MfaSettings::last_totp_step`) and refuse the same code
//! a second time: a TOTP code is a one-time password only if it is used once.

use aws_lc_rs::hmac;

use crate::keys::constant_time_eq;
use crate::ports::Rng;
use crate::Millis;

/// Seconds per time step.
pub const STEP_SECS: i64 = 30;

/// Digits per code.
pub const DIGITS: u32 = 6;

/// Secret length in bytes: 160 bits, what RFC 4226 recommends for SHA-1 (32 base32 chars).
pub const SECRET_LEN: usize = 20;

/// Steps accepted either side of the current one.
pub const DRIFT_STEPS: i64 = 1;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A fresh random secret as authenticator apps take it: 20 random bytes in base32
/// (32 characters of `[A-Z2-7]`, no padding).
pub fn generate_secret(rng: &dyn Rng) -> String {
    let mut bytes = [0u8; SECRET_LEN];
    rng.fill(&mut bytes);
    base32_encode(&bytes)
}

/// RFC 4648 base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u64 = 0;
    let mut bits = 0u32;
    for &b in bytes {
        buffer = (buffer << 8) | u64::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes base32, tolerating lower case, spaces and `=` padding (people retype secrets).
/// `None` for any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u64 = 0;
    let mut bits = 0u32;
    for c in text.chars().filter(|c| *c != ' ' && *c != '=') {
        let upper = c.to_ascii_uppercase();
        let value = BASE32.iter().position(|&b| char::from(b) == upper)?;
        buffer = (buffer << 5) | value as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The time step an instant falls in.
pub fn step_at(now: Millis) -> i64 {
    now.as_secs().div_euclid(STEP_SECS)
}

/// RFC 4226 HOTP: the `digits`-digit code for `counter`, zero-padded.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let tag = hmac::sign(&key, &counter.to_be_bytes());
    let mac = tag.as_ref();
    // Dynamic truncation: the low nibble of the last byte picks four bytes.
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let word = u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]);
    let modulus = 10u64.pow(digits);
    format!(
        "{:0width$}",
        u64::from(word) % modulus,
        width = digits as usize
    )
}

/// The 6-digit code of a time step (negative steps have no code; they give step 0's).
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    hotp(secret, u64::try_from(step).unwrap_or(0), DIGITS)
}

/// The step `code` belongs to, if it is the code of the current step or one step either
/// side. Every candidate is compared (in constant time) so the time taken does not tell
/// which step matched.
pub fn verify(secret: &[u8], code: &str, now: Millis) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = step_at(now);
    let mut matched = None;
    for step in (current - DRIFT_STEPS)..=(current + DRIFT_STEPS) {
        let candidate = code_at_step(secret, step);
        if constant_time_eq(candidate.as_bytes(), code.as_bytes()) && matched.is_none() {
            matched = Some(step);
        }
    }
    matched
}

/// [`verify`], refusing a step at or before `last_step` (a code already used, or an older
/// one): the step returned is the one to record.
pub fn verify_fresh(secret: &[u8], code: &str, now: Millis, last_step: Option<i64>) -> Option<i64> {
    verify(secret, code, now).filter(|step| last_step.is_none_or(|last| *step > last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::SystemRng;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc6238_sha1_vectors() {
        // RFC 6238 Appendix B, SHA-1 column (8 digits), and their 6-digit truncations.
        let vectors: [(i64, &str); 6] = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (secs, expected) in vectors {
            let step = step_at(Millis(secs * 1000));
            assert_eq!(hotp(RFC_SECRET, step as u64, 8), expected, "t={secs}");
            assert_eq!(code_at_step(RFC_SECRET, step), expected[2..], "t={secs}");
            assert_eq!(
                verify(RFC_SECRET, &expected[2..], Millis(secs * 1000)),
                Some(step)
            );
        }
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), *code);
        }
    }

    #[test]
    fn one_step_of_drift_either_side_and_no_more() {
        let now = Millis(1_234_567_890_000);
        let step = step_at(now);
        for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = code_at_step(RFC_SECRET, step + offset);
            assert_eq!(
                verify(RFC_SECRET, &code, now),
                accepted.then_some(step + offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn malformed_codes_are_refused() {
        let now = Millis(59_000);
        for code in ["", "28708", "2870822", "28708a", "+87082", "２８７０８２"] {
            assert_eq!(verify(RFC_SECRET, code, now), None, "{code:?}");
        }
        assert_eq!(verify(RFC_SECRET, " 287082 ", now), Some(1));
    }

    #[test]
    fn a_used_step_is_not_accepted_again() {
        let now = Millis(59_000);
        assert_eq!(verify_fresh(RFC_SECRET, "287082", now, None), Some(1));
        assert_eq!(verify_fresh(RFC_SECRET, "287082", now, Some(1)), None);
        assert_eq!(verify_fresh(RFC_SECRET, "287082", now, Some(0)), Some(1));
    }

    #[test]
    fn secrets_are_32_base32_chars_and_round_trip() {
        let s = generate_secret(&SystemRng);
        assert_eq!(s.len(), 32);
        assert!(s.bytes().all(|b| BASE32.contains(&b)));
        assert_eq!(base32_decode(&s).map(|b| b.len()), Some(SECRET_LEN));
        assert_ne!(s, generate_secret(&SystemRng));
        // RFC 4648 test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(base32_decode("mzxw 6ytb oi=="), Some(b"foobar".to_vec()));
        assert_eq!(base32_decode("MZX1"), None);
    }
}
