//! The key ring: seals secrets at rest and keys the hashes of one-time codes.
//!
//! Every secret-bearing value is sealed with AES-256-GCM under a key derived from the
//! master key, with a *context* as associated data, so a sealed value copied into another
//! row (another user, another purpose) does not open.

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use aws_lc_rs::hmac;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes sealed by the key ring. `Debug` never shows them; serialised as base64.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed(pub Vec<u8>);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed(<{} bytes>)", self.0.len())
    }
}

impl Serialize for Sealed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Sealed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .map(Sealed)
            .map_err(serde::de::Error::custom)
    }
}

/// Why a sealed value did not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    /// Tampered, truncated, sealed under another key or for another context.
    #[error("sealed value did not open")]
    Unseal,
    /// The master key has the wrong length.
    #[error("master key must be 32 bytes")]
    BadMasterKey,
}

/// The length of the master key in bytes.
pub const MASTER_KEY_LEN: usize = 32;

/// The server's secret keys, derived from one 32-byte master key.
pub struct KeyRing {
    seal_key: LessSafeKey,
    code_key: hmac::Key,
    block_key: LessSafeKey,
    rng: SystemRandom,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyRing(<redacted>)")
    }
}

fn derive(master: &[u8], label: &str) -> [u8; 32] {
    let key = hmac::Key::new(hmac::HMAC_SHA256, master);
    let tag = hmac::sign(&key, label.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    out
}

fn aead_key(bytes: &[u8; 32]) -> Result<LessSafeKey, KeyError> {
    UnboundKey::new(&AES_256_GCM, bytes)
        .map(LessSafeKey::new)
        .map_err(|_| KeyError::BadMasterKey)
}

impl KeyRing {
    /// Derives the ring from the master key.
    pub fn new(master_key: &[u8]) -> Result<KeyRing, KeyError> {
        if master_key.len() != MASTER_KEY_LEN {
            return Err(KeyError::BadMasterKey);
        }
        Ok(KeyRing {
            seal_key: aead_key(&derive(master_key, "keystep seal v1"))?,
            code_key: hmac::Key::new(
                hmac::HMAC_SHA256,
                &derive(master_key, "keystep code hash v1"),
            ),
            block_key: aead_key(&derive(master_key, "keystep secret block v1"))?,
            rng: SystemRandom::new(),
        })
    }

    /// A fresh random master key.
    pub fn generate_master_key() -> Result<[u8; MASTER_KEY_LEN], KeyError> {
        let mut k = [0u8; MASTER_KEY_LEN];
        SystemRandom::new()
            .fill(&mut k)
            .map_err(|_| KeyError::BadMasterKey)?;
        Ok(k)
    }

    /// Seals `plaintext` for `context` (e.g. `"verifier:<pool>:<sub>"`).
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Sealed {
        Sealed(seal_with(&self.seal_key, &self.rng, context, plaintext))
    }

    /// Opens a value sealed for `context`.
    pub fn open(&self, context: &str, sealed: &Sealed) -> Result<Vec<u8>, KeyError> {
        open_with(&self.seal_key, context, &sealed.0)
    }

    /// Seals state the client carries (an SRP `SECRET_BLOCK`): a separate key, so such
    /// blobs can never be confused with secrets at rest.
    pub fn seal_block(&self, context: &str, plaintext: &[u8]) -> Vec<u8> {
        seal_with(&self.block_key, &self.rng, context, plaintext)
    }

    /// Opens a client-carried blob.
    pub fn open_block(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, KeyError> {
        open_with(&self.block_key, context, sealed)
    }

    /// The keyed hash a one-time code is stored as. `scope` binds it to its pool, user
    /// and purpose, so the same digits hash differently everywhere.
    pub fn code_hash(&self, scope: &str, code: &str) -> Vec<u8> {
        let mut ctx = hmac::Context::with_key(&self.code_key);
        ctx.update(scope.as_bytes());
        ctx.update(&[0]);
        ctx.update(code.as_bytes());
        ctx.sign().as_ref().to_vec()
    }

    /// Fills `buf` with cryptographically secure random bytes.
    pub fn random(&self, buf: &mut [u8]) {
        // SystemRandom only fails when the OS has no entropy source at all; there is no
        // safe way to continue then.
        if self.rng.fill(buf).is_err() {
            tracing::error!("system randomness unavailable");
            std::process::abort();
        }
    }
}

fn seal_with(key: &LessSafeKey, rng: &SystemRandom, context: &str, plaintext: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    if rng.fill(&mut nonce).is_err() {
        tracing::error!("system randomness unavailable");
        std::process::abort();
    }
    let mut buf = plaintext.to_vec();
    // Sealing with a valid key and a 12-byte nonce cannot fail for inputs this size.
    if key
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(context.as_bytes()),
            &mut buf,
        )
        .is_err()
    {
        tracing::error!("AEAD seal failed");
        std::process::abort();
    }
    let mut out = Vec::with_capacity(NONCE_LEN + buf.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&buf);
    out
}

fn open_with(key: &LessSafeKey, context: &str, sealed: &[u8]) -> Result<Vec<u8>, KeyError> {
    if sealed.len() < NONCE_LEN + 16 {
        return Err(KeyError::Unseal);
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| KeyError::Unseal)?;
    let mut buf = body.to_vec();
    let plain = key
        .open_in_place(nonce, Aad::from(context.as_bytes()), &mut buf)
        .map_err(|_| KeyError::Unseal)?;
    Ok(plain.to_vec())
}

/// Compares two byte strings in constant time (for equal lengths).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a, b).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> KeyRing {
        KeyRing::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn seal_round_trips_and_binds_context() {
        let r = ring();
        let s = r.seal("verifier:p:u1", b"secret");
        assert_eq!(r.open("verifier:p:u1", &s).unwrap(), b"secret");
        assert_eq!(r.open("verifier:p:u2", &s), Err(KeyError::Unseal));
        let other = KeyRing::new(&[8u8; 32]).unwrap();
        assert_eq!(other.open("verifier:p:u1", &s), Err(KeyError::Unseal));
    }

    #[test]
    fn tampering_is_detected() {
        let r = ring();
        let mut s = r.seal("c", b"secret");
        let last = s.0.len() - 1;
        s.0[last] ^= 1;
        assert_eq!(r.open("c", &s), Err(KeyError::Unseal));
        assert_eq!(r.open("c", &Sealed(vec![1, 2, 3])), Err(KeyError::Unseal));
    }

    #[test]
    fn sealed_debug_is_redacted() {
        let s = ring().seal("c", b"hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(format!("{s:?}").starts_with("Sealed(<"));
    }

    #[test]
    fn code_hashes_depend_on_scope() {
        let r = ring();
        assert_eq!(r.code_hash("a", "123456"), r.code_hash("a", "123456"));
        assert_ne!(r.code_hash("a", "123456"), r.code_hash("b", "123456"));
        assert_ne!(r.code_hash("a", "123456"), r.code_hash("a", "123457"));
    }

    #[test]
    fn block_and_rest_keys_differ() {
        let r = ring();
        let b = r.seal_block("c", b"x");
        assert!(r.open("c", &Sealed(b.clone())).is_err());
        assert_eq!(r.open_block("c", &b).unwrap(), b"x");
    }
}
