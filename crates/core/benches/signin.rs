//! What a sign-in costs inside the domain, piece by piece: the password check of
//! `USER_PASSWORD_AUTH` (verifier recomputed from the salt, compared in constant time),
//! minting an ID + access token pair (two RS256 signatures), and the sign-in session's
//! compare-and-swap on SQLite (what makes a `Session` work once).
//!
//! `cargo bench -p keystep-core` (results under target/criterion); `--bench signin --
//! --quick` for a fast look.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use keystep_core::app_client::{AppClient, ClientSettings};
use keystep_core::keys::constant_time_eq;
use keystep_core::pool::{PoolSettings, UserPool};
use keystep_core::ports::{AuthSessionRow, RefreshTokenRow, Store, SystemRng};
use keystep_core::signing::SigningKeys;
use keystep_core::tokens::{self, ClaimsInput};
use keystep_core::user::{User, UserStatus};
use keystep_core::Millis;

const POOL_ID: &str = "us-east-1_XaMpLe123";
const CLIENT_ID: &str = "1example23456789abcdefghij";
const USERNAME: &str = "alice";
const PASSWORD: &str = "Correct-Horse-9!";
const NOW: Millis = Millis(1_700_000_000_000);

fn pool() -> UserPool {
    UserPool {
        id: POOL_ID.into(),
        name: "bench".into(),
        created_at: NOW,
        modified_at: NOW,
        settings: PoolSettings::default().into(),
    }
}

fn client() -> AppClient {
    AppClient {
        pool_id: POOL_ID.into(),
        client_id: CLIENT_ID.into(),
        name: "web".into(),
        secret: None,
        created_at: NOW,
        modified_at: NOW,
        settings: ClientSettings::default().into(),
        secret_rotation: Default::default(),
    }
}

fn password_check(c: &mut Criterion) {
    let salt = [0x5au8; 16];
    let pool_name = keystep_core::ids::pool_name_for_srp(POOL_ID);
    let stored = keystep_srp::verifier(&salt, pool_name, USERNAME, PASSWORD);
    let mut g = c.benchmark_group("password_check");
    g.bench_function("verifier recompute + constant-time compare", |b| {
        b.iter(|| {
            let candidate = keystep_srp::verifier(&salt, pool_name, USERNAME, black_box(PASSWORD));
            assert!(constant_time_eq(&candidate, &stored));
        })
    });
    g.finish();
}

fn token_minting(c: &mut Criterion) {
    let keys = SigningKeys::generate().unwrap();
    let client = client();
    let mut attributes = std::collections::BTreeMap::new();
    attributes.insert("email".to_string(), "alice@example.com".to_string());
    attributes.insert("email_verified".to_string(), "true".to_string());
    let user = User {
        pool_id: POOL_ID.into(),
        username: USERNAME.into(),
        username_key: USERNAME.into(),
        sub: "0b6d2b1c-5f2e-4a57-9b8e-3b5b4a1c9d10".into(),
        attributes,
        status: UserStatus::Confirmed,
        enabled: true,
        created_at: NOW,
        modified_at: NOW,
        password: None,
        password_set_at: Some(NOW),
        mfa: Default::default(),
        tokens_valid_after: None,
        pending_attributes: Default::default(),
        password_history: Vec::new(),
        version: 1,
    };
    let row = RefreshTokenRow {
        hash: vec![0; 32],
        pool_id: POOL_ID.into(),
        client_id: CLIENT_ID.into(),
        sub: user.sub.clone(),
        origin_jti: "origin".into(),
        auth_time: NOW,
        created_at: NOW,
        expires_at: NOW.plus_secs(3600),
        revoked: false,
        device_key: None,
        scope: None,
        rotated_until: None,
    };
    let proof = tokens::refresh_proof(&row, CLIENT_ID, USERNAME, NOW).unwrap();
    let issuer = tokens::issuer("http://127.0.0.1:9229", POOL_ID);
    let input = ClaimsInput {
        issuer: &issuer,
        client: &client,
        user: &user,
        groups: &[],
        proof: &proof,
        origin_jti: "origin",
        event_id: "event",
        now: NOW,
        customization: None,
    };
    let mut g = c.benchmark_group("tokens");
    g.bench_function("sign (ID + access token, RS256)", |b| {
        b.iter(|| tokens::sign(&keys, &SystemRng, black_box(&input)).unwrap())
    });
    g.bench_function("new_refresh_token", |b| {
        b.iter(|| tokens::new_refresh_token(&SystemRng))
    });
    g.finish();
}

fn session_cas(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store: Arc<dyn Store> = rt.block_on(async {
        let store = keystep_store::open(&url).await.unwrap();
        store.insert_pool(&pool()).await.unwrap();
        store.insert_client(&client()).await.unwrap();
        store
    });
    let state = vec![7u8; 600];
    let expires = NOW.plus_secs(1_000_000_000);
    let session = |id: String| AuthSessionRow {
        id,
        pool_id: POOL_ID.into(),
        client_id: CLIENT_ID.into(),
        state: state.clone(),
        version: 1,
        attempts: 0,
        expires_at: expires,
    };
    rt.block_on(store.insert_auth_session(&session("cas".into())))
        .unwrap();

    let mut g = c.benchmark_group("session_sqlite");
    let version = AtomicI64::new(1);
    g.bench_function("advance_auth_session (compare-and-swap)", |b| {
        b.iter(|| {
            let v = version.fetch_add(1, Ordering::Relaxed);
            rt.block_on(store.advance_auth_session("cas", v, &state, 0, expires))
                .unwrap();
        })
    });
    g.bench_function("get + advance (one challenge answer)", |b| {
        b.iter(|| {
            rt.block_on(async {
                let row = store.get_auth_session("cas").await.unwrap().unwrap();
                store
                    .advance_auth_session("cas", row.version, &row.state, 0, expires)
                    .await
                    .unwrap();
            });
            version.fetch_add(1, Ordering::Relaxed);
        })
    });
    let next = AtomicI64::new(0);
    g.bench_function("insert + finish (a session's life)", |b| {
        b.iter(|| {
            let id = format!("s{}", next.fetch_add(1, Ordering::Relaxed));
            rt.block_on(async {
                store
                    .insert_auth_session(&session(id.clone()))
                    .await
                    .unwrap();
                assert!(store.finish_auth_session(&id, 1).await.unwrap());
            });
        })
    });
    g.finish();
}

criterion_group!(benches, password_check, token_minting, session_cas);
criterion_main!(benches);
