//! The SRP-6a computations of protocol notes §4.3 (client) and §4.4 (server), and the
//! device variant of §4.6.

use hmac::Mac;
use num_bigint::BigUint;
use num_traits::Zero;
use sha2::{Digest, Sha256};

use crate::error::SrpError;
use crate::group::{k, n, pad, update_padded};
use crate::mac::hmac_sha256;
use crate::modexp::{pow_g, pow_mod_n};

/// HKDF info; the trailing `0x01` is RFC 5869's block counter, inlined because only the
/// first output block is ever needed.
const HKDF_INFO_BLOCK_1: &[u8] = b"Caldera Derived Key\x01";

/// The pool name that goes into `x` and the claim signature: the part of the user pool id
/// after the region, e.g. `"us-east-1_XaMpLe123"` -> `"XaMpLe123"`.
///
/// Mirrors the clients' `userPoolId.split("_")[1]`, so only the second segment is returned
/// when there are more underscores; `None` when there is no underscore at all.
pub fn pool_name_from_pool_id(pool_id: &str) -> Option<&str> {
    pool_id.split('_').nth(1)
}

/// The inner hash `H(poolName || userIdForSrp || ":" || password)` of `x`.
///
/// It is hashed as raw 32 bytes, never padded, and the strings are concatenated without
/// a separator between pool name and user (that is what the clients do).
pub fn identity_hash(pool_name: &str, user_id_for_srp: &str, password: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(pool_name.as_bytes());
    h.update(user_id_for_srp.as_bytes());
    h.update(b":");
    h.update(password.as_bytes());
    h.finalize().into()
}

/// The private key `x = H(PAD(salt) || H(poolName || userIdForSrp || ":" || password))`.
pub fn compute_x(salt: &[u8], pool_name: &str, user_id_for_srp: &str, password: &str) -> BigUint {
    BigUint::from_bytes_be(&x_bytes(salt, pool_name, user_id_for_srp, password))
}

/// `x` as the 32 bytes of its hash, leading zeros kept, so that exponentiations by it
/// take the same number of steps whatever its value.
fn x_bytes(salt: &[u8], pool_name: &str, user_id_for_srp: &str, password: &str) -> [u8; 32] {
    let inner = identity_hash(pool_name, user_id_for_srp, password);
    let mut h = Sha256::new();
    update_padded(&mut h, salt);
    h.update(inner);
    h.finalize().into()
}

/// The password verifier `v = g^x mod N` stored for a user, as minimal big-endian bytes.
pub fn verifier(salt: &[u8], pool_name: &str, user_id_for_srp: &str, password: &str) -> Vec<u8> {
    pow_g(&x_bytes(salt, pool_name, user_id_for_srp, password)).to_bytes_be()
}

/// The device verifier of `ConfirmDevice` (protocol notes §4.6): the same formula with the
/// device group key in place of the pool name and the device key in place of the user.
///
/// Clients send `base64(PAD(salt))` and `base64(PAD(v))`; decode those and pass the bytes
/// as they are, since leading zeros do not matter here.
pub fn device_verifier(
    salt: &[u8],
    device_group_key: &str,
    device_key: &str,
    device_password: &str,
) -> Vec<u8> {
    verifier(salt, device_group_key, device_key, device_password)
}

/// The scrambling parameter `u = H(PAD(A) || PAD(B))`.
///
/// Hashes A and B as received (not reduced modulo N), exactly as the peer does.
pub fn compute_u(a_pub: &[u8], b_pub: &[u8]) -> BigUint {
    let mut h = Sha256::new();
    update_padded(&mut h, a_pub);
    update_padded(&mut h, b_pub);
    BigUint::from_bytes_be(&h.finalize())
}

fn is_zero(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b == 0)
}

/// `int(bytes) mod N`, refusing zero: A, B or v congruent to zero would pin the shared
/// secret to a value an attacker can compute without the password.
fn nonzero_mod_n(bytes: &[u8]) -> Result<BigUint, SrpError> {
    let value = BigUint::from_bytes_be(bytes) % n();
    if value.is_zero() {
        return Err(SrpError::ZeroValue);
    }
    Ok(value)
}

/// The server's public value `B = (k·v + g^b) mod N`, as minimal big-endian bytes.
///
/// `b` must be fresh randomness of at least 256 bits per attempt. A zero `b` or a verifier
/// that is zero modulo N is refused, as is the (negligible) case B mod N == 0, after which
/// the caller should draw a new `b`.
pub fn server_public(verifier: &[u8], b: &[u8]) -> Result<Vec<u8>, SrpError> {
    if is_zero(b) {
        return Err(SrpError::ZeroValue);
    }
    let v = nonzero_mod_n(verifier)?;
    let n = n();
    let g_b = pow_g(b);
    let big_b = (k() * v + g_b) % n;
    if big_b.is_zero() {
        return Err(SrpError::ZeroValue);
    }
    Ok(big_b.to_bytes_be())
}

/// The premaster secret from the server's side, `S = (A · v^u)^b mod N`.
///
/// Exposed for known-answer tests and for callers that want to derive the key themselves;
/// [`server_session_key`] is what a sign-in needs. Refuses A mod N == 0, a verifier that is
/// zero modulo N, a zero `b`, and u == 0.
pub fn server_premaster_secret(
    a_pub: &[u8],
    b_pub: &[u8],
    b: &[u8],
    verifier: &[u8],
) -> Result<BigUint, SrpError> {
    let u = compute_u(a_pub, b_pub);
    server_premaster_with_u(a_pub, b, verifier, &u)
}

fn server_premaster_with_u(
    a_pub: &[u8],
    b: &[u8],
    verifier: &[u8],
    u: &BigUint,
) -> Result<BigUint, SrpError> {
    let a_mod = nonzero_mod_n(a_pub)?;
    let v = nonzero_mod_n(verifier)?;
    if is_zero(b) || u.is_zero() {
        return Err(SrpError::ZeroValue);
    }
    let n = n();
    let base = (a_mod * pow_mod_n(&v, &u.to_bytes_be())) % n;
    Ok(pow_mod_n(&base, b))
}

/// The 16-byte session key K as the server derives it from the client's A, its own B and
/// b, and the stored verifier.
///
/// A, B and K depend only on values known when `InitiateAuth` arrives, so the server may
/// compute K there and carry K (instead of b) to the `PASSWORD_VERIFIER` step.
pub fn server_session_key(
    a_pub: &[u8],
    b_pub: &[u8],
    b: &[u8],
    verifier: &[u8],
) -> Result<[u8; 16], SrpError> {
    let u = compute_u(a_pub, b_pub);
    let s = server_premaster_with_u(a_pub, b, verifier, &u)?;
    Ok(session_key_from_premaster(&s, &u))
}

/// The client's public value `A = g^a mod N`, as minimal big-endian bytes; send it as
/// `SRP_A` through [`crate::to_hex`]. A zero `a` is refused.
pub fn client_public(a: &[u8]) -> Result<Vec<u8>, SrpError> {
    if is_zero(a) {
        return Err(SrpError::ZeroValue);
    }
    let big_a = pow_g(a);
    if big_a.is_zero() {
        return Err(SrpError::ZeroValue);
    }
    Ok(big_a.to_bytes_be())
}

/// The premaster secret from the client's side, `S = (B − k·g^x)^(a + u·x) mod N`.
///
/// Exposed for known-answer tests; [`client_session_key`] is what a sign-in needs.
/// Refuses B mod N == 0 (a malicious server could otherwise fix S), a zero `a`, and u == 0.
pub fn client_premaster_secret(
    a: &[u8],
    a_pub: &[u8],
    b_pub: &[u8],
    salt: &[u8],
    pool_name: &str,
    user_id_for_srp: &str,
    password: &str,
) -> Result<BigUint, SrpError> {
    let u = compute_u(a_pub, b_pub);
    client_premaster_with_u(
        a,
        a_pub,
        b_pub,
        salt,
        pool_name,
        user_id_for_srp,
        password,
        &u,
    )
}

#[allow(clippy::too_many_arguments)]
fn client_premaster_with_u(
    a: &[u8],
    a_pub: &[u8],
    b_pub: &[u8],
    salt: &[u8],
    pool_name: &str,
    user_id_for_srp: &str,
    password: &str,
    u: &BigUint,
) -> Result<BigUint, SrpError> {
    let b_mod = nonzero_mod_n(b_pub)?;
    nonzero_mod_n(a_pub)?;
    if is_zero(a) || u.is_zero() {
        return Err(SrpError::ZeroValue);
    }
    let n = n();
    let x_raw = x_bytes(salt, pool_name, user_id_for_srp, password);
    let x = BigUint::from_bytes_be(&x_raw);
    let k_g_x = (k() * pow_g(&x_raw)) % n;
    // Adding N first keeps the subtraction non-negative (BigUint cannot go below zero).
    let base = (b_mod + n - k_g_x) % n;
    let exponent = BigUint::from_bytes_be(a) + u * x;
    Ok(pow_mod_n(&base, &exponent.to_bytes_be()))
}

/// The 16-byte session key K as the client derives it (protocol notes §4.3).
///
/// `a_pub` is the A this client sent; `b_pub` and `salt` are the server's `SRP_B` and
/// `SALT`, `user_id_for_srp` is `USER_ID_FOR_SRP` (not what the user typed).
pub fn client_session_key(
    a: &[u8],
    a_pub: &[u8],
    b_pub: &[u8],
    salt: &[u8],
    pool_name: &str,
    user_id_for_srp: &str,
    password: &str,
) -> Result<[u8; 16], SrpError> {
    let u = compute_u(a_pub, b_pub);
    let s = client_premaster_with_u(
        a,
        a_pub,
        b_pub,
        salt,
        pool_name,
        user_id_for_srp,
        password,
        &u,
    )?;
    Ok(session_key_from_premaster(&s, &u))
}

/// `K = HKDF-SHA256(IKM = PAD(S), salt = PAD(u), info = "Caldera Derived Key")`, 16 bytes.
///
/// With L = 16 HKDF-Expand is a single HMAC block, so it is written out directly on top of
/// the infallible HMAC constructor instead of going through the fallible `hkdf` API.
pub fn session_key_from_premaster(s: &BigUint, u: &BigUint) -> [u8; 16] {
    let mut extract = hmac_sha256(&pad(u));
    extract.update(&pad(s));
    let prk = extract.finalize().into_bytes();
    let mut expand = hmac_sha256(&prk);
    expand.update(HKDF_INFO_BLOCK_1);
    let okm = expand.finalize().into_bytes();
    let mut key = [0u8; 16];
    key.copy_from_slice(&okm[..16]);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_name_follows_the_client_split() {
        assert_eq!(
            pool_name_from_pool_id("us-east-1_XaMpLe123"),
            Some("XaMpLe123")
        );
        assert_eq!(pool_name_from_pool_id("a_b_c"), Some("b"));
        assert_eq!(pool_name_from_pool_id("nounderscore"), None);
    }
}
