//! Integers as Cognito writes them on the wire: `BigInteger.toString(16)`-style hex.

use crate::error::SrpError;
use crate::group::strip_leading_zeros;

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of the integer whose big-endian bytes are given, without leading zeros,
/// as Java `BigInteger.toString(16)` and JS `toString(16)` produce it: `00ab` -> `"ab"`,
/// `0a bc` -> `"abc"`, empty or all-zero -> `"0"`.
pub fn to_hex(bytes: &[u8]) -> String {
    let bytes = strip_leading_zeros(bytes);
    let Some((&first, rest)) = bytes.split_first() else {
        return "0".to_owned();
    };
    let mut out = String::with_capacity(bytes.len() * 2);
    if first >= 0x10 {
        out.push(char::from(DIGITS[usize::from(first >> 4)]));
    }
    out.push(char::from(DIGITS[usize::from(first & 0x0f)]));
    for &b in rest {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Parses a hex integer as clients send it (odd length and either case accepted) into
/// minimal big-endian bytes; zero becomes the single byte `0x00`.
///
/// Signs, `0x` prefixes, whitespace and the empty string are refused: no Cognito client
/// sends them, and accepting them would only widen what an attacker can feed the server.
pub fn from_hex(s: &str) -> Result<Vec<u8>, SrpError> {
    let digits = s.as_bytes();
    if digits.is_empty() {
        return Err(SrpError::BadHex);
    }
    let mut nibbles = Vec::with_capacity(digits.len());
    for &c in digits {
        nibbles.push(nibble(c).ok_or(SrpError::BadHex)?);
    }
    let start = nibbles
        .iter()
        .position(|&v| v != 0)
        .unwrap_or(nibbles.len());
    let significant = &nibbles[start..];
    if significant.is_empty() {
        return Ok(vec![0]);
    }
    let mut out = Vec::with_capacity(significant.len().div_ceil(2));
    // An odd count means the first byte holds a single nibble.
    let (head, pairs) = significant.split_at(significant.len() % 2);
    if let Some(&lone) = head.first() {
        out.push(lone);
    }
    for pair in pairs.chunks_exact(2) {
        out.push((pair[0] << 4) | pair[1]);
    }
    Ok(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}
