//! Full client + server exchanges with random secrets.

// Test helpers outside `#[test]` functions are still test code; clippy.toml only exempts
// the functions themselves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use keystep_srp::*;
use rand::RngCore;

const POOL: &str = "AbCdEf123";
const USER: &str = "6f1c2a3e-1111-4a4a-9b9b-0123456789ab";
const PASSWORD: &str = "Tr0ub4dor&3-ü";

fn random(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

struct Exchange {
    a: Vec<u8>,
    b: Vec<u8>,
    salt: Vec<u8>,
    v: Vec<u8>,
    a_pub: Vec<u8>,
    b_pub: Vec<u8>,
}

impl Exchange {
    fn new(password: &str) -> Self {
        let (a, b, salt) = (random(128), random(32), random(16));
        let v = verifier(&salt, POOL, USER, password);
        let a_pub = client_public(&a).unwrap();
        let b_pub = server_public(&v, &b).unwrap();
        Self {
            a,
            b,
            salt,
            v,
            a_pub,
            b_pub,
        }
    }

    fn server_key(&self) -> [u8; 16] {
        server_session_key(&self.a_pub, &self.b_pub, &self.b, &self.v).unwrap()
    }

    fn client_key(&self, password: &str) -> [u8; 16] {
        client_session_key(
            &self.a,
            &self.a_pub,
            &self.b_pub,
            &self.salt,
            POOL,
            USER,
            password,
        )
        .unwrap()
    }
}

#[test]
fn client_and_server_agree_and_the_proof_verifies() {
    for _ in 0..4 {
        let ex = Exchange::new(PASSWORD);
        let key = ex.client_key(PASSWORD);
        assert_eq!(key, ex.server_key());

        let block = random(64);
        let timestamp = format_timestamp(1_772_521_509);
        let sig = claim_signature(&key, POOL, USER, &block, &timestamp);
        assert!(verify_claim_signature(
            &ex.server_key(),
            POOL,
            USER,
            &block,
            &timestamp,
            &sig
        ));
    }
}

#[test]
fn wrong_password_does_not_agree() {
    let ex = Exchange::new(PASSWORD);
    let wrong = ex.client_key("Tr0ub4dor&3-u");
    assert_ne!(wrong, ex.server_key());
    let block = random(48);
    let timestamp = format_timestamp(1_795_615_200);
    let sig = claim_signature(&wrong, POOL, USER, &block, &timestamp);
    assert!(!verify_claim_signature(
        &ex.server_key(),
        POOL,
        USER,
        &block,
        &timestamp,
        &sig
    ));
}

#[test]
fn wrong_identity_or_salt_does_not_agree() {
    let ex = Exchange::new(PASSWORD);
    let server = ex.server_key();
    let other_user = client_session_key(
        &ex.a, &ex.a_pub, &ex.b_pub, &ex.salt, POOL, "someone", PASSWORD,
    )
    .unwrap();
    let other_pool = client_session_key(
        &ex.a, &ex.a_pub, &ex.b_pub, &ex.salt, "Other", USER, PASSWORD,
    )
    .unwrap();
    let mut salt = ex.salt.clone();
    salt[0] ^= 0x80;
    let other_salt =
        client_session_key(&ex.a, &ex.a_pub, &ex.b_pub, &salt, POOL, USER, PASSWORD).unwrap();
    assert_ne!(other_user, server);
    assert_ne!(other_pool, server);
    assert_ne!(other_salt, server);
}

#[test]
fn leading_zero_bytes_do_not_matter() {
    let ex = Exchange::new(PASSWORD);
    let zeros = |v: &[u8]| [&[0u8, 0, 0][..], v].concat();
    assert_eq!(
        verifier(&zeros(&ex.salt), POOL, USER, PASSWORD),
        ex.v,
        "salt"
    );
    assert_eq!(client_public(&zeros(&ex.a)).unwrap(), ex.a_pub);
    assert_eq!(
        server_public(&zeros(&ex.v), &zeros(&ex.b)).unwrap(),
        ex.b_pub
    );
    assert_eq!(
        server_session_key(
            &zeros(&ex.a_pub),
            &zeros(&ex.b_pub),
            &zeros(&ex.b),
            &zeros(&ex.v)
        )
        .unwrap(),
        ex.server_key()
    );
    assert_eq!(
        client_session_key(
            &zeros(&ex.a),
            &zeros(&ex.a_pub),
            &zeros(&ex.b_pub),
            &zeros(&ex.salt),
            POOL,
            USER,
            PASSWORD
        )
        .unwrap(),
        ex.client_key(PASSWORD)
    );
}

#[test]
fn wire_hex_round_trips() {
    let ex = Exchange::new(PASSWORD);
    for value in [&ex.a_pub, &ex.b_pub, &ex.salt, &ex.v] {
        let text = to_hex(value);
        assert!(!text.starts_with('0'));
        let parsed = from_hex(&text).unwrap();
        assert_eq!(to_hex(&parsed), text);
        assert_eq!(from_hex(&text.to_uppercase()).unwrap(), parsed);
        assert_eq!(from_hex(&format!("000{text}")).unwrap(), parsed);
    }
    for _ in 0..200 {
        let len = (rand::thread_rng().next_u32() % 40) as usize;
        let bytes = random(len);
        let big = num_bigint::BigUint::from_bytes_be(&bytes);
        assert_eq!(to_hex(&bytes), big.to_str_radix(16));
        assert_eq!(
            from_hex(&to_hex(&bytes)).unwrap(),
            big.to_bytes_be(),
            "{bytes:02x?}"
        );
    }
}

#[test]
fn device_exchange_agrees() {
    // Device SRP is the same protocol with the device group key and device key as identity.
    let (group, device, password) = ("-F2zOAzAd", "us-east-1_0f1e2d3c", "ZGV2aWNl");
    let salt = random(16);
    let v = device_verifier(&salt, group, device, password);
    let (a, b) = (random(128), random(32));
    let a_pub = client_public(&a).unwrap();
    let b_pub = server_public(&v, &b).unwrap();
    let server = server_session_key(&a_pub, &b_pub, &b, &v).unwrap();
    let client = client_session_key(&a, &a_pub, &b_pub, &salt, group, device, password).unwrap();
    assert_eq!(client, server);
}

#[test]
fn format_and_parse_round_trip() {
    let mut rng = rand::thread_rng();
    for _ in 0..2000 {
        // Years 1000..=9999, the range a four-digit year can express.
        let epoch = -30_610_224_000 + i64::from(rng.next_u64() as u32) * 60;
        let text = format_timestamp(epoch);
        assert_eq!(parse_timestamp(&text), Ok(epoch), "{text}");
    }
}
