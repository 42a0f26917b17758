//! Known-answer tests against the end-to-end vector of protocol notes §4.8 / Appendix A
//! (`tests/data/srp-test-vectors.json`, a copy of the shared spec file). That vector was
//! reproduced byte-exact by pycognito and Amplify JS, so passing here means real clients
//! and this crate agree.

// Test helpers outside `#[test]` functions are still test code; clippy.toml only exempts
// the functions themselves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use keystep_srp::*;
use num_bigint::BigUint;
use serde_json::Value;

const VECTORS: &str = include_str!("data/srp-test-vectors.json");

struct Vector(Value);

impl Vector {
    fn load() -> Self {
        Self(serde_json::from_str(VECTORS).unwrap())
    }
    fn str(&self, path: &str) -> &str {
        let mut v = &self.0;
        for key in path.split('/') {
            v = &v[key];
        }
        v.as_str().unwrap_or_else(|| panic!("missing {path}"))
    }
    fn int(&self, path: &str) -> Vec<u8> {
        from_hex(self.str(path)).unwrap()
    }
    fn salt(&self) -> Vec<u8> {
        hex::decode(self.str("salt_hex")).unwrap()
    }
    fn names(&self) -> (&str, &str, &str) {
        (
            self.str("pool_name"),
            self.str("user_id_for_srp"),
            self.str("password"),
        )
    }
    fn secret_block(&self) -> Vec<u8> {
        STANDARD.decode(self.str("secret_block_b64")).unwrap()
    }
}

fn big_hex(n: &BigUint) -> String {
    n.to_str_radix(16)
}

#[test]
fn k_matches() {
    let v = Vector::load();
    assert_eq!(big_hex(k()), v.str("k_hex"));
}

#[test]
fn pool_name_is_derived_from_the_pool_id() {
    let v = Vector::load();
    assert_eq!(
        pool_name_from_pool_id(v.str("pool_id")),
        Some(v.str("pool_name"))
    );
}

#[test]
fn salt_is_padded_with_a_zero_byte() {
    let v = Vector::load();
    let padded = pad(&BigUint::from_bytes_be(&v.salt()));
    assert_eq!(hex::encode(padded), v.str("padded_salt_hex"));
}

#[test]
fn inner_hash_matches() {
    let v = Vector::load();
    let (pool, user, password) = v.names();
    assert_eq!(
        hex::encode(identity_hash(pool, user, password)),
        v.str("inner_hash_hex")
    );
}

#[test]
fn x_and_verifier_match() {
    let v = Vector::load();
    let (pool, user, password) = v.names();
    assert_eq!(
        big_hex(&compute_x(&v.salt(), pool, user, password)),
        v.str("x_hex")
    );
    let verifier = verifier(&v.salt(), pool, user, password);
    assert_eq!(to_hex(&verifier), v.str("verifier_hex"));
}

#[test]
fn public_values_match() {
    let v = Vector::load();
    let a_pub = client_public(&v.int("a_hex")).unwrap();
    assert_eq!(to_hex(&a_pub), v.str("SRP_A_hex"));
    let b_pub = server_public(&v.int("verifier_hex"), &v.int("b_hex")).unwrap();
    assert_eq!(to_hex(&b_pub), v.str("SRP_B_hex"));
}

#[test]
fn u_matches() {
    let v = Vector::load();
    let u = compute_u(&v.int("SRP_A_hex"), &v.int("SRP_B_hex"));
    assert_eq!(big_hex(&u), v.str("u_hex"));
}

#[test]
fn premaster_secret_agrees_both_ways() {
    let v = Vector::load();
    let (pool, user, password) = v.names();
    let server = server_premaster_secret(
        &v.int("SRP_A_hex"),
        &v.int("SRP_B_hex"),
        &v.int("b_hex"),
        &v.int("verifier_hex"),
    )
    .unwrap();
    let client = client_premaster_secret(
        &v.int("a_hex"),
        &v.int("SRP_A_hex"),
        &v.int("SRP_B_hex"),
        &v.salt(),
        pool,
        user,
        password,
    )
    .unwrap();
    assert_eq!(big_hex(&server), v.str("S_hex"));
    assert_eq!(client, server);
    // §4.8: S starts with b5, so PAD(S) must carry the extra zero byte into HKDF.
    assert_eq!(pad(&server)[0], 0);
}

#[test]
fn session_key_matches_both_ways() {
    let v = Vector::load();
    let (pool, user, password) = v.names();
    let server = server_session_key(
        &v.int("SRP_A_hex"),
        &v.int("SRP_B_hex"),
        &v.int("b_hex"),
        &v.int("verifier_hex"),
    )
    .unwrap();
    let client = client_session_key(
        &v.int("a_hex"),
        &v.int("SRP_A_hex"),
        &v.int("SRP_B_hex"),
        &v.salt(),
        pool,
        user,
        password,
    )
    .unwrap();
    assert_eq!(hex::encode(server), v.str("hkdf_key_hex"));
    assert_eq!(client, server);
    let s = BigUint::parse_bytes(v.str("S_hex").as_bytes(), 16).unwrap();
    let u = BigUint::parse_bytes(v.str("u_hex").as_bytes(), 16).unwrap();
    assert_eq!(session_key_from_premaster(&s, &u), server);
}

#[test]
fn password_claim_signature_matches() {
    let v = Vector::load();
    let (pool, user, _) = v.names();
    let key: [u8; 16] = hex::decode(v.str("hkdf_key_hex"))
        .unwrap()
        .try_into()
        .unwrap();
    let sig = claim_signature(&key, pool, user, &v.secret_block(), v.str("timestamp"));
    assert_eq!(STANDARD.encode(sig), v.str("PASSWORD_CLAIM_SIGNATURE"));
    let presented = STANDARD.decode(v.str("PASSWORD_CLAIM_SIGNATURE")).unwrap();
    assert!(verify_claim_signature(
        &key,
        pool,
        user,
        &v.secret_block(),
        v.str("timestamp"),
        &presented
    ));
}

#[test]
fn secret_hash_matches() {
    let v = Vector::load();
    let expected = v.str("secret_hash/SECRET_HASH");
    let (secret, user, client) = (
        v.str("secret_hash/client_secret"),
        v.str("secret_hash/username"),
        v.str("secret_hash/client_id"),
    );
    assert_eq!(secret_hash(secret, user, client), expected);
    assert!(verify_secret_hash(secret, user, client, expected));
}

#[test]
fn timestamp_strings_match() {
    let v = Vector::load();
    // 2026-03-03T07:05:09Z and 2026-11-25T14:00:00Z.
    assert_eq!(format_timestamp(1_772_521_509), v.str("timestamp"));
    assert_eq!(
        format_timestamp(1_772_521_509),
        "Tue Mar 3 07:05:09 UTC 2026"
    );
    assert_eq!(
        format_timestamp(1_795_615_200),
        "Wed Nov 25 14:00:00 UTC 2026"
    );
    assert_eq!(
        parse_timestamp("Tue Mar 3 07:05:09 UTC 2026"),
        Ok(1_772_521_509)
    );
    assert_eq!(
        parse_timestamp("Tue Mar 03 07:05:09 UTC 2026"),
        Ok(1_772_521_509)
    );
    assert_eq!(
        parse_timestamp("Wed Nov 25 14:00:00 UTC 2026"),
        Ok(1_795_615_200)
    );
}

#[test]
fn device_confirm_values_match() {
    let v = Vector::load();
    let salt = hex::decode(v.str("device/salt_hex")).unwrap();
    let salt_b64 = STANDARD.encode(pad(&BigUint::from_bytes_be(&salt)));
    assert_eq!(salt_b64, v.str("device/ConfirmDevice.Salt_b64"));

    let verifier = device_verifier(
        &salt,
        v.str("device/DeviceGroupKey"),
        v.str("device/DeviceKey"),
        v.str("device/random_password"),
    );
    assert!(to_hex(&verifier).starts_with(v.str("device/verifier_hex_prefix")));
    let verifier_b64 = STANDARD.encode(pad(&BigUint::from_bytes_be(&verifier)));
    assert!(verifier_b64.starts_with(v.str("device/ConfirmDevice.PasswordVerifier_b64_prefix")));

    // The server receives the padded bytes back; the leading zero must not matter.
    let from_wire = STANDARD.decode(verifier_b64).unwrap();
    assert_eq!(from_wire[0], 0);
    let b = [0x3c; 32];
    assert_eq!(
        server_public(&from_wire, &b).unwrap(),
        server_public(&verifier, &b).unwrap()
    );
}

#[test]
fn padding_examples_from_amplify() {
    for (n, padded) in [(20u32, "14"), (236, "00ec"), (200, "00c8")] {
        assert_eq!(hex::encode(pad(&BigUint::from(n))), padded);
    }
    assert_eq!(pad(&BigUint::from(0u32)), vec![0]);
    // PAD(N) is 385 bytes: N's top byte is 0xff.
    let padded_n = pad(n());
    assert_eq!(padded_n.len(), 385);
    assert_eq!(padded_n[0], 0);
}

#[test]
fn hex_follows_biginteger_to_string() {
    assert_eq!(to_hex(&[0x00, 0xab]), "ab");
    assert_eq!(to_hex(&[0x0a, 0xbc]), "abc");
    assert_eq!(to_hex(&[]), "0");
    assert_eq!(to_hex(&[0, 0, 0]), "0");
    assert_eq!(to_hex(&[0x01, 0x00]), "100");
    assert_eq!(from_hex("abc").unwrap(), vec![0x0a, 0xbc]);
    assert_eq!(from_hex("ABC").unwrap(), vec![0x0a, 0xbc]);
    assert_eq!(from_hex("00ab").unwrap(), vec![0xab]);
    assert_eq!(from_hex("0000").unwrap(), vec![0]);
    assert_eq!(from_hex("0").unwrap(), vec![0]);
    let v = Vector::load();
    assert_eq!(to_hex(&v.int("SRP_B_hex")), v.str("SRP_B_hex"));
}
