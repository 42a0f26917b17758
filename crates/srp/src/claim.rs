//! `PASSWORD_CLAIM_SIGNATURE`: the client's proof that it holds K.

use hmac::Mac;
use subtle::ConstantTimeEq;

use crate::mac::hmac_sha256;

/// `HMAC-SHA256(K, poolName || userIdForSrp || secretBlock || timestamp)` (protocol notes §4.3).
///
/// `secret_block` is the base64-*decoded* `SECRET_BLOCK`, and `timestamp` is the string
/// exactly as sent: the MAC covers its bytes, not the instant it names. On the wire the
/// result travels as standard base64. For device SRP pass the device group key and device
/// key as `pool_name` and `user_id_for_srp`.
pub fn claim_signature(
    key: &[u8; 16],
    pool_name: &str,
    user_id_for_srp: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> [u8; 32] {
    let mut mac = hmac_sha256(key);
    mac.update(pool_name.as_bytes());
    mac.update(user_id_for_srp.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Whether `presented` (the base64-decoded `PASSWORD_CLAIM_SIGNATURE`) is the signature
/// K gives over these inputs.
///
/// Constant time in the signature bytes, so that a failed attempt reveals nothing about
/// how close it came; a wrong length simply fails.
pub fn verify_claim_signature(
    key: &[u8; 16],
    pool_name: &str,
    user_id_for_srp: &str,
    secret_block: &[u8],
    timestamp: &str,
    presented: &[u8],
) -> bool {
    let expected = claim_signature(key, pool_name, user_id_for_srp, secret_block, timestamp);
    expected.as_slice().ct_eq(presented).into()
}
