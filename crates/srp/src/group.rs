//! The SRP group (RFC 5054 3072-bit, g = 2), the multiplier `k`, and Cognito's padding rule.

use std::sync::OnceLock;

use num_bigint::BigUint;
use sha2::{Digest, Sha256};

/// The modulus exactly as every Cognito client embeds it (protocol notes §4.1).
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

const N_LEN: usize = 384;

/// Decoded at compile time so that a typo in the constant fails the build instead of
/// producing a zero modulus (which would make every `modpow` panic at run time).
const N_DECODED: Option<[u8; N_LEN]> = decode_fixed_hex(N_HEX);
const _: () = assert!(N_DECODED.is_some(), "N_HEX must be 768 hex digits");
const N_BYTES: [u8; N_LEN] = match N_DECODED {
    Some(bytes) => bytes,
    None => [0; N_LEN],
};

const fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

const fn decode_fixed_hex(s: &str) -> Option<[u8; N_LEN]> {
    let s = s.as_bytes();
    if s.len() != 2 * N_LEN {
        return None;
    }
    let mut out = [0u8; N_LEN];
    let mut i = 0;
    while i < N_LEN {
        let (Some(hi), Some(lo)) = (nibble(s[2 * i]), nibble(s[2 * i + 1])) else {
            return None;
        };
        out[i] = (hi << 4) | lo;
        i += 1;
    }
    Some(out)
}

/// The 3072-bit safe prime N of RFC 5054 Appendix A (= RFC 3526 group 15).
pub fn n() -> &'static BigUint {
    static N: OnceLock<BigUint> = OnceLock::new();
    N.get_or_init(|| BigUint::from_bytes_be(&N_BYTES))
}

/// The generator g = 2.
pub fn g() -> &'static BigUint {
    static G: OnceLock<BigUint> = OnceLock::new();
    G.get_or_init(|| BigUint::from(2u32))
}

/// The SRP-6a multiplier `k = H(PAD(N) || PAD(g))`.
///
/// Cognito hashes Java-padded values (386 bytes), not RFC 5054's |N|-padded ones, so this
/// is not the RFC 5054 `k` for the same group.
pub fn k() -> &'static BigUint {
    static K: OnceLock<BigUint> = OnceLock::new();
    K.get_or_init(|| {
        let mut h = Sha256::new();
        update_padded(&mut h, &N_BYTES);
        update_padded(&mut h, &[2]);
        BigUint::from_bytes_be(&h.finalize())
    })
}

/// `PAD(n)` of protocol notes §4.2: Java `BigInteger.toByteArray()` of a non-negative value,
/// i.e. minimal big-endian bytes with one `0x00` in front when the top bit is set (so that
/// Java would read the value as positive). Zero is the single byte `0x00`.
pub fn pad(n: &BigUint) -> Vec<u8> {
    let bytes = n.to_bytes_be();
    match bytes.first() {
        Some(&first) if first & 0x80 != 0 => {
            let mut out = Vec::with_capacity(bytes.len() + 1);
            out.push(0);
            out.extend_from_slice(&bytes);
            out
        }
        _ => bytes,
    }
}

/// Leading zero bytes carry no value: clients send integers, so they never hash them.
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// Feeds `PAD(int(bytes))` to a hasher without materialising the padded copy.
pub(crate) fn update_padded(h: &mut Sha256, bytes: &[u8]) {
    let bytes = strip_leading_zeros(bytes);
    match bytes.first() {
        None => h.update([0u8]),
        Some(&first) => {
            if first & 0x80 != 0 {
                h.update([0u8]);
            }
            h.update(bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_is_the_spec_constant() {
        assert_eq!(n().to_str_radix(16), N_HEX.to_ascii_lowercase());
        assert_eq!(n().bits(), 3072);
    }

    #[test]
    fn update_padded_matches_pad() {
        for value in [0u64, 1, 0x7f, 0x80, 0xff, 0x100, 0x8000, 0x1234_5678_9abc] {
            let big = BigUint::from(value);
            let direct = Sha256::digest(pad(&big));
            let mut h = Sha256::new();
            update_padded(&mut h, &[&[0u8, 0][..], &big.to_bytes_be()].concat());
            assert_eq!(h.finalize(), direct, "value {value:#x}");
        }
    }
}
