//! RS256 signing keys for ID and access tokens, and their JWKS form.
//!
//! Keys are RSA-2048 (what Cognito uses and what every JWT verifier accepts). At rest
//! they exist only as PKCS#8 DER sealed by the key ring. ID and access tokens are signed
//! with different keys, as on Cognito, so a verifier that pins one `kid` per token use
//! keeps working.
//!
//! Every user pool has keys of its own ([`PoolKeys`]), as on Cognito: a relying party
//! that checks only the signature against pool B's JWKS cannot be handed pool A's
//! tokens. A pool's keys come in generations; rotating makes a new generation sign and
//! keeps the previous ones in the JWKS until every token they signed has expired.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{
    KeyPair as _, ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Why a signing key could not be made, read or used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SigningError {
    /// Key generation failed.
    #[error("RSA key generation failed")]
    Generate,
    /// The PKCS#8 bytes are not an acceptable RSA private key.
    #[error("stored signing key is not a valid RSA PKCS#8 key")]
    BadKey,
    /// Serialising the key or signing failed.
    #[error("RSA operation failed")]
    Crypto,
}

/// One RSA-2048 key pair with its `kid`.
pub struct SigningKey {
    pair: KeyPair,
    kid: String,
    /// Unsigned big-endian modulus and exponent, precomputed for the JWK.
    n: Vec<u8>,
    e: Vec<u8>,
    /// The public key parsed once: parsing it again for every verification (an
    /// `UnparsedPublicKey`) cost a `GetUser` about a tenth of its RSA time.
    verifier: ParsedPublicKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A fresh RSA-2048 key.
    pub fn generate() -> Result<SigningKey, SigningError> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| SigningError::Generate)?;
        SigningKey::from_pair(pair).map_err(|_| SigningError::Generate)
    }

    /// Reads a key from unencrypted PKCS#8 DER (as produced by [`SigningKey::to_pkcs8`]).
    pub fn from_pkcs8(der: &[u8]) -> Result<SigningKey, SigningError> {
        let pair = KeyPair::from_pkcs8(der).map_err(|_| SigningError::BadKey)?;
        SigningKey::from_pair(pair)
    }

    fn from_pair(pair: KeyPair) -> Result<SigningKey, SigningError> {
        let public = pair.public_key();
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, public.as_ref());
        let verifier = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public.as_ref())
            .map_err(|_| SigningError::BadKey)?;
        Ok(SigningKey {
            kid: STANDARD.encode(digest.as_ref()),
            n: public.modulus().big_endian_without_leading_zero().to_vec(),
            e: public.exponent().big_endian_without_leading_zero().to_vec(),
            verifier,
            pair,
        })
    }

    /// The private key as PKCS#8 DER, for sealing and storing. Secret.
    pub fn to_pkcs8(&self) -> Result<Vec<u8>, SigningError> {
        let der = self.pair.as_der().map_err(|_| SigningError::Crypto)?;
        Ok(der.as_ref().to_vec())
    }

    /// The key id: base64 of the SHA-256 of the public key's DER (44 characters, like
    /// Cognito's).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as DER `RSAPublicKey` (RFC 8017).
    pub fn public_key_der(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }

    /// Whether `signature` is this key's RS256 signature (PKCS#1 v1.5, SHA-256) of
    /// `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.verifier.verify_sig(message, signature).is_ok()
    }

    /// Signs `claims` as a compact RS256 JWS with header `{"kid":..,"alg":"RS256"}`
    /// (Cognito sends no `typ`).
    pub fn sign_jwt(&self, claims: &serde_json::Value) -> Result<String, SigningError> {
        #[derive(Serialize)]
        struct Header<'a> {
            kid: &'a str,
            alg: &'static str,
        }
        let header = serde_json::to_vec(&Header {
            kid: &self.kid,
            alg: "RS256",
        })
        .map_err(|_| SigningError::Crypto)?;
        let payload = serde_json::to_vec(claims).map_err(|_| SigningError::Crypto)?;
        let mut out = URL_SAFE_NO_PAD.encode(header);
        out.push('.');
        out.push_str(&URL_SAFE_NO_PAD.encode(payload));
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                out.as_bytes(),
                &mut sig,
            )
            .map_err(|_| SigningError::Crypto)?;
        out.push('.');
        out.push_str(&URL_SAFE_NO_PAD.encode(sig));
        Ok(out)
    }

    /// The public key as a JWK (`n`, `e` base64url of the unsigned big-endian integers).
    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(&self.e),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(&self.n),
            "use": "sig",
        })
    }
}

/// The server's two signing keys.
#[derive(Debug)]
pub struct SigningKeys {
    /// Signs ID tokens.
    pub id: SigningKey,
    /// Signs access tokens.
    pub access: SigningKey,
}

/// How [`SigningKeys`] are stored (before sealing): both keys as base64 PKCS#8.
#[derive(Serialize, Deserialize)]
struct StoredKeys {
    id: String,
    access: String,
}

impl SigningKeys {
    /// Two fresh keys.
    pub fn generate() -> Result<SigningKeys, SigningError> {
        Ok(SigningKeys {
            id: SigningKey::generate()?,
            access: SigningKey::generate()?,
        })
    }

    /// The JWKS document: `{"keys":[<id key>, <access key>]}`.
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": [self.id.jwk(), self.access.jwk()] })
    }

    /// Serialises both private keys (to be sealed before storing). Secret.
    pub fn to_bytes(&self) -> Result<Vec<u8>, SigningError> {
        let stored = StoredKeys {
            id: STANDARD.encode(self.id.to_pkcs8()?),
            access: STANDARD.encode(self.access.to_pkcs8()?),
        };
        serde_json::to_vec(&stored).map_err(|_| SigningError::Crypto)
    }

    /// Reads what [`SigningKeys::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<SigningKeys, SigningError> {
        let stored: StoredKeys = serde_json::from_slice(bytes).map_err(|_| SigningError::BadKey)?;
        let der = |s: &str| STANDARD.decode(s).map_err(|_| SigningError::BadKey);
        Ok(SigningKeys {
            id: SigningKey::from_pkcs8(&der(&stored.id)?)?,
            access: SigningKey::from_pkcs8(&der(&stored.access)?)?,
        })
    }
}

/// How long a retired generation stays in the JWKS (and verifies access tokens): the
/// longest an ID or access token lives (one day), and a margin for clock skew.
pub const PUBLISHED_AFTER_RETIREMENT_SECS: i64 = 24 * 3600 + 300;

/// One generation of a pool's keys.
#[derive(Debug)]
pub struct KeyGeneration {
    /// Its number (the newest signs).
    pub generation: i64,
    /// The keys.
    pub keys: SigningKeys,
    /// When a newer generation replaced it.
    pub retired_at: Option<crate::Millis>,
}

/// A pool's keys, opened: the generation that signs, and those that still verify.
#[derive(Debug)]
pub struct PoolKeys {
    /// Oldest first; the last one signs.
    generations: Vec<KeyGeneration>,
}

impl PoolKeys {
    /// The keys of `generations` (any order); `None` when there are none.
    pub fn new(mut generations: Vec<KeyGeneration>) -> Option<PoolKeys> {
        generations.sort_by_key(|g| g.generation);
        (!generations.is_empty()).then_some(PoolKeys { generations })
    }

    fn newest(&self) -> &KeyGeneration {
        // `new` refuses an empty list.
        &self.generations[self.generations.len() - 1]
    }

    /// The keys new tokens are signed with.
    pub fn signing(&self) -> &SigningKeys {
        &self.newest().keys
    }

    /// The signing generation's number.
    pub fn current_generation(&self) -> i64 {
        self.newest().generation
    }

    /// The generations published at `now`, newest first: the signing one, and retired ones
    /// whose tokens may still be alive.
    fn published(&self, now: crate::Millis) -> impl Iterator<Item = &SigningKeys> {
        let newest = self.current_generation();
        self.generations
            .iter()
            .rev()
            .filter(move |g| {
                g.generation == newest
                    || g.retired_at
                        .is_some_and(|at| now < at.plus_secs(PUBLISHED_AFTER_RETIREMENT_SECS))
            })
            .map(|g| &g.keys)
    }

    /// The JWKS at `now`: the signing ID and access keys first, then those of retired
    /// generations still published.
    pub fn jwks(&self, now: crate::Millis) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = self
            .published(now)
            .flat_map(|k| [k.id.jwk(), k.access.jwk()])
            .collect();
        serde_json::json!({ "keys": keys })
    }

    /// The published access key with `kid`, if any.
    pub fn access_key(&self, kid: &str, now: crate::Millis) -> Option<&SigningKey> {
        self.published(now)
            .map(|k| &k.access)
            .find(|k| k.kid() == kid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
    use std::sync::OnceLock;

    // RSA generation takes a while; share two keys across the tests.
    fn keys() -> &'static SigningKeys {
        static KEYS: OnceLock<SigningKeys> = OnceLock::new();
        KEYS.get_or_init(|| SigningKeys::generate().unwrap())
    }

    fn split(jwt: &str) -> (String, Vec<u8>) {
        let (signed, sig) = jwt.rsplit_once('.').unwrap();
        (signed.to_string(), URL_SAFE_NO_PAD.decode(sig).unwrap())
    }

    #[test]
    fn jwt_verifies_with_the_public_key() {
        let k = &keys().id;
        let jwt = k
            .sign_jwt(&serde_json::json!({"sub": "abc", "iat": 1}))
            .unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header, serde_json::json!({"kid": k.kid(), "alg": "RS256"}));
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["sub"], "abc");

        let (signed, sig) = split(&jwt);
        let public =
            UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, k.public_key_der());
        assert!(public.verify(signed.as_bytes(), &sig).is_ok());
        // Another key, or another message, does not verify.
        let other = UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            keys().access.public_key_der(),
        );
        assert!(other.verify(signed.as_bytes(), &sig).is_err());
        assert!(public.verify(b"tampered", &sig).is_err());
    }

    #[test]
    fn jwk_reconstructs_the_public_key() {
        let k = &keys().access;
        let jwk = k.jwk();
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["alg"], "RS256");
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["e"], "AQAB");
        assert_eq!(jwk["kid"], k.kid());
        let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
        let e = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap();
        assert_eq!(n.len(), 256, "2048-bit modulus without a leading zero");
        let jwt = k
            .sign_jwt(&serde_json::json!({"token_use": "access"}))
            .unwrap();
        let (signed, sig) = split(&jwt);
        let public = RsaPublicKeyComponents { n: &n, e: &e };
        assert!(public
            .verify(
                &signature::RSA_PKCS1_2048_8192_SHA256,
                signed.as_bytes(),
                &sig
            )
            .is_ok());
    }

    #[test]
    fn kids_look_like_cognitos_and_differ() {
        let ks = keys();
        assert_eq!(ks.id.kid().len(), 44);
        assert!(ks.id.kid().ends_with('='));
        assert_ne!(ks.id.kid(), ks.access.kid());
        let jwks = ks.jwks();
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn pkcs8_round_trip_keeps_the_key() {
        let ks = keys();
        let back = SigningKeys::from_bytes(&ks.to_bytes().unwrap()).unwrap();
        assert_eq!(back.id.kid(), ks.id.kid());
        assert_eq!(back.access.kid(), ks.access.kid());
        assert_eq!(back.jwks(), ks.jwks());
        // A token signed by the restored key verifies with the original public key.
        let jwt = back.id.sign_jwt(&serde_json::json!({})).unwrap();
        let (signed, sig) = split(&jwt);
        let public = UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            ks.id.public_key_der(),
        );
        assert!(public.verify(signed.as_bytes(), &sig).is_ok());
        assert_eq!(
            SigningKey::from_pkcs8(b"not a key").unwrap_err(),
            SigningError::BadKey
        );
        assert!(SigningKeys::from_bytes(b"{}").is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let ks = keys();
        let shown = format!("{ks:?}");
        assert!(shown.contains(ks.id.kid()));
        let der = ks.id.to_pkcs8().unwrap();
        assert!(!shown.contains(&STANDARD.encode(&der[..16])));
        assert!(!shown.contains("modulus"));
    }

    #[test]
    fn pool_keys_sign_with_the_newest_and_publish_retired_ones_for_a_day() {
        let fresh = || SigningKeys::generate().unwrap();
        let t0 = crate::Millis(1_000_000_000);
        let keys = PoolKeys::new(vec![
            KeyGeneration {
                generation: 2,
                keys: fresh(),
                retired_at: None,
            },
            KeyGeneration {
                generation: 1,
                keys: fresh(),
                retired_at: Some(t0),
            },
        ])
        .unwrap();
        assert_eq!(keys.current_generation(), 2);
        let signing_access = keys.signing().access.kid().to_string();
        let old_access = keys.generations[0].keys.access.kid().to_string();
        let jwks = keys.jwks(t0);
        let kids: Vec<&str> = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap())
            .collect();
        assert_eq!(kids.len(), 4);
        assert_eq!(kids[1], signing_access, "the signing keys come first");
        assert!(keys.access_key(&old_access, t0).is_some());
        // A day (and the margin) after retirement the old generation is gone.
        let later = t0.plus_secs(PUBLISHED_AFTER_RETIREMENT_SECS);
        assert_eq!(keys.jwks(later)["keys"].as_array().unwrap().len(), 2);
        assert!(keys.access_key(&old_access, later).is_none());
        assert!(keys.access_key(&signing_access, later).is_some());
        // An ID key never verifies an access token.
        let id_kid = keys.signing().id.kid().to_string();
        assert!(keys.access_key(&id_kid, t0).is_none());
        assert!(PoolKeys::new(Vec::new()).is_none());
    }
}
