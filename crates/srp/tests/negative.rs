//! Inputs that must be refused, and proofs that must not verify.

// Test helpers outside `#[test]` functions are still test code; clippy.toml only exempts
// the functions themselves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use keystep_srp::*;
use num_bigint::BigUint;

const POOL: &str = "XaMpLe123";
const USER: &str = "alice";
const PASSWORD: &str = "Correct-Horse-9!";
const SALT: [u8; 16] = [
    0x8b, 0xb7, 0xdc, 0xf9, 0x05, 0xf4, 0x18, 0xbf, 0x27, 0xb6, 0x62, 0x3a, 0xa4, 0xd2, 0xf5, 0x8f,
];
const A: [u8; 32] = [0x7a; 32];
const B: [u8; 32] = [0x3c; 32];
const KEY_HEX: &str = "99db2c23ca5d47145bdbcb6a5f7420bd";
const BLOCK_B64: &str = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w";
const TIMESTAMP: &str = "Tue Mar 3 07:05:09 UTC 2026";
const SIGNATURE_B64: &str = "qIdxYJroi+3PhBC52TvFNnJ2W94bDvOXvVC22vZObkM=";

fn n_bytes() -> Vec<u8> {
    n().to_bytes_be()
}

fn multiple_of_n(m: u32) -> Vec<u8> {
    (n() * BigUint::from(m)).to_bytes_be()
}

fn key() -> [u8; 16] {
    hex::decode(KEY_HEX).unwrap().try_into().unwrap()
}

fn block() -> Vec<u8> {
    STANDARD.decode(BLOCK_B64).unwrap()
}

fn signature() -> Vec<u8> {
    STANDARD.decode(SIGNATURE_B64).unwrap()
}

fn verifies(block: &[u8], timestamp: &str, sig: &[u8]) -> bool {
    verify_claim_signature(&key(), POOL, USER, block, timestamp, sig)
}

fn exchange() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let v = verifier(&SALT, POOL, USER, PASSWORD);
    let a_pub = client_public(&A).unwrap();
    let b_pub = server_public(&v, &B).unwrap();
    (v, a_pub, b_pub)
}

#[test]
fn baseline_signature_verifies() {
    assert!(verifies(&block(), TIMESTAMP, &signature()));
}

#[test]
fn server_rejects_a_congruent_to_zero() {
    let (v, _, b_pub) = exchange();
    for bad_a in [
        vec![],
        vec![0],
        vec![0; 400],
        n_bytes(),
        multiple_of_n(2),
        multiple_of_n(1000),
    ] {
        assert_eq!(
            server_session_key(&bad_a, &b_pub, &B, &v),
            Err(SrpError::ZeroValue)
        );
        assert_eq!(
            server_premaster_secret(&bad_a, &b_pub, &B, &v),
            Err(SrpError::ZeroValue)
        );
    }
    // A = N parsed from the wire hex form, as the server receives it.
    let wire_n = from_hex(&to_hex(&n_bytes()).to_uppercase()).unwrap();
    assert_eq!(
        server_session_key(&wire_n, &b_pub, &B, &v),
        Err(SrpError::ZeroValue)
    );
}

#[test]
fn client_rejects_b_congruent_to_zero() {
    let (_, a_pub, _) = exchange();
    for bad_b in [vec![], vec![0], n_bytes(), multiple_of_n(3)] {
        assert_eq!(
            client_session_key(&A, &a_pub, &bad_b, &SALT, POOL, USER, PASSWORD),
            Err(SrpError::ZeroValue)
        );
    }
}

#[test]
fn zero_secrets_and_verifiers_are_refused() {
    let (v, a_pub, b_pub) = exchange();
    // b = 0 would make S = 1, v = 0 would make S = 0: both let anyone compute K.
    assert_eq!(server_public(&v, &[]), Err(SrpError::ZeroValue));
    assert_eq!(server_public(&v, &[0, 0]), Err(SrpError::ZeroValue));
    assert_eq!(server_public(&[], &B), Err(SrpError::ZeroValue));
    assert_eq!(server_public(&n_bytes(), &B), Err(SrpError::ZeroValue));
    assert_eq!(
        server_session_key(&a_pub, &b_pub, &[0], &v),
        Err(SrpError::ZeroValue)
    );
    assert_eq!(
        server_session_key(&a_pub, &b_pub, &B, &[0; 8]),
        Err(SrpError::ZeroValue)
    );
    assert_eq!(client_public(&[]), Err(SrpError::ZeroValue));
    assert_eq!(client_public(&[0; 128]), Err(SrpError::ZeroValue));
    assert_eq!(
        client_session_key(&[0], &a_pub, &b_pub, &SALT, POOL, USER, PASSWORD),
        Err(SrpError::ZeroValue)
    );
}

#[test]
fn bad_hex_is_refused() {
    for bad in [
        "", " ", "xyz", "0x12", "12 ", " 12", "+1", "-1", "1g", "é", "12\n", "1_0", "ab cd",
    ] {
        assert_eq!(from_hex(bad), Err(SrpError::BadHex), "{bad:?}");
    }
}

#[test]
fn wrong_signature_fails() {
    let sig = signature();
    for bit in [0usize, 7, 100, 255] {
        let mut flipped = sig.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        assert!(!verifies(&block(), TIMESTAMP, &flipped), "bit {bit}");
    }
    assert!(!verifies(&block(), TIMESTAMP, &[]));
    assert!(!verifies(&block(), TIMESTAMP, &sig[..31]));
    assert!(!verifies(&block(), TIMESTAMP, &[&sig[..], &[0]].concat()));
    assert!(!verifies(&block(), TIMESTAMP, &[0; 32]));
}

#[test]
fn wrong_key_or_identity_fails() {
    let mut other_key = key();
    other_key[15] ^= 1;
    assert!(!verify_claim_signature(
        &other_key,
        POOL,
        USER,
        &block(),
        TIMESTAMP,
        &signature()
    ));
    assert!(!verify_claim_signature(
        &key(),
        POOL,
        "Alice",
        &block(),
        TIMESTAMP,
        &signature()
    ));
    assert!(!verify_claim_signature(
        &key(),
        "us-east-1_XaMpLe123",
        USER,
        &block(),
        TIMESTAMP,
        &signature()
    ));
}

#[test]
fn tampered_secret_block_fails() {
    let original = block();
    let mut flipped = original.clone();
    flipped[20] ^= 0x01;
    assert!(!verifies(&flipped, TIMESTAMP, &signature()));
    assert!(!verifies(
        &original[..original.len() - 1],
        TIMESTAMP,
        &signature()
    ));
    assert!(!verifies(
        &[&original[..], b"x"].concat(),
        TIMESTAMP,
        &signature()
    ));
    assert!(!verifies(&[], TIMESTAMP, &signature()));
}

#[test]
fn one_bit_change_in_timestamp_fails() {
    let bytes = TIMESTAMP.as_bytes();
    for i in 0..bytes.len() {
        let mut changed = bytes.to_vec();
        changed[i] ^= 0x01;
        let Ok(changed) = String::from_utf8(changed) else {
            continue;
        };
        assert!(!verifies(&block(), &changed, &signature()), "{changed:?}");
    }
    // The padded-day spelling names the same instant but is a different string: the
    // signature covers the text as sent.
    assert!(!verifies(
        &block(),
        "Tue Mar 03 07:05:09 UTC 2026",
        &signature()
    ));
}

#[test]
fn malformed_timestamps_are_refused() {
    for bad in [
        "",
        "Tue Mar 3 07:05:09 UTC",
        "Tue Mar 3 07:05:09 GMT 2026",
        "Tue  Mar 3 07:05:09 UTC 2026",
        "Tue Mar  3 07:05:09 UTC 2026",
        "Tue Mar 3 07:05:09 UTC 2026 ",
        " Tue Mar 3 07:05:09 UTC 2026",
        "tue Mar 3 07:05:09 UTC 2026",
        "Tue MAR 3 07:05:09 UTC 2026",
        "Tue March 3 07:05:09 UTC 2026",
        "Wed Mar 3 07:05:09 UTC 2026",
        "Tue Mar 003 07:05:09 UTC 2026",
        "Tue Mar +3 07:05:09 UTC 2026",
        "Tue Mar 0 07:05:09 UTC 2026",
        "Tue Mar 32 07:05:09 UTC 2026",
        "Sun Feb 29 07:05:09 UTC 2026",
        "Tue Mar 3 7:05:09 UTC 2026",
        "Tue Mar 3 24:00:00 UTC 2026",
        "Tue Mar 3 07:60:00 UTC 2026",
        "Tue Mar 3 07:05:60 UTC 2026",
        "Tue Mar 3 07:05 UTC 2026",
        "Tue Mar 3 07:05:09:00 UTC 2026",
        "Tue Mar 3 07-05-09 UTC 2026",
        "Tue Mar 3 07:05:09 UTC 26",
        "Tue Mar 3 07:05:09 UTC 02026",
        "Tue Mar 3 07:05:09 UTC +026",
        "Tue Mar 3 07:05:09 UTC 2026\n",
        "Tue Mar ３ 07:05:09 UTC 2026",
        "2026-03-03T07:05:09Z",
    ] {
        assert_eq!(parse_timestamp(bad), Err(SrpError::BadTimestamp), "{bad:?}");
    }
    // Leap days exist only in leap years.
    assert!(parse_timestamp("Thu Feb 29 00:00:00 UTC 2024").is_ok());
    assert!(parse_timestamp("Tue Feb 29 00:00:00 UTC 2000").is_ok());
    assert_eq!(
        parse_timestamp("Mon Feb 29 00:00:00 UTC 2100"),
        Err(SrpError::BadTimestamp)
    );
}

#[test]
fn wrong_secret_hash_fails() {
    let (secret, user, client) = (
        "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3t00",
        "alice",
        "1example23456789",
    );
    let good = "ANy4a19jll360T2ce8ww47TzRG/Rnj95sqTqCMdLwSo=";
    assert!(verify_secret_hash(secret, user, client, good));
    assert!(!verify_secret_hash(secret, "Alice", client, good));
    assert!(!verify_secret_hash(secret, user, "1example23456780", good));
    assert!(!verify_secret_hash("other", user, client, good));
    assert!(!verify_secret_hash(secret, user, client, ""));
    assert!(!verify_secret_hash(secret, user, client, &good[..43]));
    assert!(!verify_secret_hash(
        secret,
        user,
        client,
        "BNy4a19jll360T2ce8ww47TzRG/Rnj95sqTqCMdLwSo="
    ));
}
