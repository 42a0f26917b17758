//! SRP-6a costs per sign-in: the server's step at `InitiateAuth USER_SRP_AUTH` (B and the
//! session key K), the client's step (K from B), and the verifier computation that a
//! `USER_PASSWORD_AUTH` password check repeats.
//!
//! `cargo bench -p keystep-srp` (results under target/criterion); `--bench srp -- --quick`
//! for a fast look.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

const POOL_NAME: &str = "XaMpLe123";
const USER: &str = "0b6d2b1c-5f2e-4a57-9b8e-3b5b4a1c9d10";
const PASSWORD: &str = "Correct-Horse-9!";

struct Inputs {
    salt: Vec<u8>,
    verifier: Vec<u8>,
    a: [u8; 32],
    a_pub: Vec<u8>,
    b: [u8; 32],
    b_pub: Vec<u8>,
}

fn inputs() -> Inputs {
    // Fixed secrets: the cost of a modpow depends on the exponent's length, not on its
    // value, so fixed 256-bit values measure what fresh ones would.
    let salt = vec![0x5a; 16];
    let verifier = keystep_srp::verifier(&salt, POOL_NAME, USER, PASSWORD);
    let a = [0x37; 32];
    let b = [0x91; 32];
    let a_pub = keystep_srp::client_public(&a).unwrap();
    let b_pub = keystep_srp::server_public(&verifier, &b).unwrap();
    Inputs {
        salt,
        verifier,
        a,
        a_pub,
        b,
        b_pub,
    }
}

fn srp(c: &mut Criterion) {
    let i = inputs();
    let mut g = c.benchmark_group("srp");
    g.bench_function(
        "server_step (server_public + server_session_key)",
        |bench| {
            bench.iter(|| {
                let b_pub = keystep_srp::server_public(black_box(&i.verifier), &i.b).unwrap();
                keystep_srp::server_session_key(black_box(&i.a_pub), &b_pub, &i.b, &i.verifier)
                    .unwrap()
            })
        },
    );
    g.bench_function("server_public", |bench| {
        bench.iter(|| keystep_srp::server_public(black_box(&i.verifier), &i.b).unwrap())
    });
    g.bench_function("server_session_key", |bench| {
        bench.iter(|| {
            keystep_srp::server_session_key(black_box(&i.a_pub), &i.b_pub, &i.b, &i.verifier)
                .unwrap()
        })
    });
    g.bench_function("client_step (client_session_key)", |bench| {
        bench.iter(|| {
            keystep_srp::client_session_key(
                &i.a,
                black_box(&i.a_pub),
                &i.b_pub,
                &i.salt,
                POOL_NAME,
                USER,
                PASSWORD,
            )
            .unwrap()
        })
    });
    g.bench_function("client_public", |bench| {
        bench.iter(|| keystep_srp::client_public(black_box(&i.a)).unwrap())
    });
    g.bench_function("verifier (g^x mod N)", |bench| {
        bench.iter(|| keystep_srp::verifier(black_box(&i.salt), POOL_NAME, USER, PASSWORD))
    });
    g.finish();

    // The two sides agree, so the numbers above are of a working exchange.
    let server = keystep_srp::server_session_key(&i.a_pub, &i.b_pub, &i.b, &i.verifier).unwrap();
    let client = keystep_srp::client_session_key(
        &i.a, &i.a_pub, &i.b_pub, &i.salt, POOL_NAME, USER, PASSWORD,
    )
    .unwrap();
    assert_eq!(server, client);
}

criterion_group!(benches, srp);
criterion_main!(benches);
