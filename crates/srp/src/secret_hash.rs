//! `SECRET_HASH`, which app clients with a secret attach to user operations (§4.5).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::Mac;
use subtle::ConstantTimeEq;

use crate::mac::hmac_sha256;

/// `base64(HMAC-SHA256(key = clientSecret, msg = username || clientId))`, standard
/// alphabet with padding.
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = hmac_sha256(client_secret.as_bytes());
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `presented` is the `SECRET_HASH` for this username, compared in constant time.
///
/// The comparison is on the base64 text: clients all emit canonical padded base64, and a
/// text comparison avoids decoding attacker input. Clients differ in which username they
/// hash (typed alias, canonical name, `sub`), so callers try each candidate.
pub fn verify_secret_hash(
    client_secret: &str,
    username: &str,
    client_id: &str,
    presented: &str,
) -> bool {
    let expected = secret_hash(client_secret, username, client_id);
    expected.as_bytes().ct_eq(presented.as_bytes()).into()
}
