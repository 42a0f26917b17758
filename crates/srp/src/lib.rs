//! Cognito-flavoured SRP-6a, in both roles, plus the small helpers that travel with it
//! (`SECRET_HASH`, the `TIMESTAMP` string, the hex form of integers on the wire).
//!
//! Cognito's SRP differs from RFC 5054 in ways every client relies on (protocol notes §4):
//! values are hashed with Java `BigInteger.toByteArray()` padding instead of |N| padding,
//! the session key comes from HKDF with the info string `"Caldera Derived Key"`, and the
//! proof is an HMAC over pool name, user, secret block and a textual timestamp.
//!
//! Every byte-slice input is an unsigned big-endian integer: clients send integers, not
//! byte strings, so leading zero bytes never change a result. Byte outputs are minimal
//! big-endian (zero, which never occurs for a valid value, is a single `0x00` byte).
//!
//! The crate stays free of async runtimes. Its one piece of native code, AWS-LC's
//! constant-time exponentiation (the default `aws-lc` feature), can be switched off so that
//! the client library compiles it to WASM on the portable arithmetic.

#![deny(missing_docs)]

mod claim;
mod error;
mod group;
mod hexint;
mod mac;
mod modexp;
mod secret_hash;
mod session;
mod timestamp;

pub use claim::{claim_signature, verify_claim_signature};
pub use error::SrpError;
pub use group::{g, k, n, pad};
pub use hexint::{from_hex, to_hex};
pub use secret_hash::{secret_hash, verify_secret_hash};
pub use session::{
    client_premaster_secret, client_public, client_session_key, compute_u, compute_x,
    device_verifier, identity_hash, pool_name_from_pool_id, server_premaster_secret, server_public,
    server_session_key, session_key_from_premaster, verifier,
};
pub use timestamp::{format_timestamp, parse_timestamp};
