//! Every pool signs with keys of its own: a relying party that checks only the signature
//! against pool B's JWKS is never handed pool A's tokens; a rotation keeps the previous
//! keys published until their tokens expire; a database from before per-pool keys keeps
//! verifying the tokens its shared pair signed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use keystep_core::keys::KeyRing;
use keystep_core::pool::UserPool;
use keystep_core::ports::{Clock, SystemClock};
use keystep_core::service::ServiceConfig;
use keystep_core::signing::SigningKeys;
use keystep_core::Millis;
use keystep_server::bootstrap::{self, Setup};
use keystep_server::Limits;
use keystep_testkit::TestServer;
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";

/// A pool with a password client and the confirmed user `alice`.
async fn pool_with_user(server: &TestServer, name: &str) -> (String, String) {
    let (status, pool) = server
        .json("CreateUserPool", &json!({ "PoolName": name }))
        .await;
    assert_eq!(status, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client_id = server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "c",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}))
        .await;
    server
        .confirmed_user(&pool_id, "alice", PASSWORD, json!([]))
        .await;
    (pool_id, client_id)
}

async fn sign_in(server: &TestServer, client_id: &str) -> Value {
    let (status, answer) = server
        .json(
            "InitiateAuth",
            &json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD}}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    answer["AuthenticationResult"].clone()
}

async fn jwks(server: &TestServer, pool_id: &str) -> Vec<Value> {
    let resp = server
        .http()
        .get(format!("{}/{pool_id}/.well-known/jwks.json", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap()["keys"]
        .as_array()
        .unwrap()
        .clone()
}

fn kid_of(jwt: &str) -> String {
    let header = jwt.split('.').next().unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    header["kid"].as_str().unwrap().to_string()
}

/// Whether any key of `jwks` verifies `jwt`'s signature — all a careless relying party
/// checks.
fn verifies_with_any(jwt: &str, jwks: &[Value]) -> bool {
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    jwks.iter().any(|k| {
        let n = URL_SAFE_NO_PAD.decode(k["n"].as_str().unwrap()).unwrap();
        let e = URL_SAFE_NO_PAD.decode(k["e"].as_str().unwrap()).unwrap();
        RsaPublicKeyComponents { n: &n, e: &e }
            .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
            .is_ok()
    })
}

async fn get_user(server: &TestServer, access_token: &str) -> (u16, Value) {
    server
        .json("GetUser", &json!({ "AccessToken": access_token }))
        .await
}

#[tokio::test]
async fn a_pools_tokens_verify_only_against_its_own_keys() {
    let server = TestServer::start().await;
    let (pool_a, client_a) = pool_with_user(&server, "a").await;
    let (pool_b, client_b) = pool_with_user(&server, "b").await;
    let tokens_a = sign_in(&server, &client_a).await;
    let tokens_b = sign_in(&server, &client_b).await;
    let (jwks_a, jwks_b) = (jwks(&server, &pool_a).await, jwks(&server, &pool_b).await);
    assert_eq!((jwks_a.len(), jwks_b.len()), (2, 2));
    for token in ["IdToken", "AccessToken"] {
        let a = tokens_a[token].as_str().unwrap();
        let b = tokens_b[token].as_str().unwrap();
        assert!(verifies_with_any(a, &jwks_a), "{token} of A with A's keys");
        assert!(!verifies_with_any(a, &jwks_b), "{token} of A with B's keys");
        assert!(!verifies_with_any(b, &jwks_a), "{token} of B with A's keys");
        assert_ne!(kid_of(a), kid_of(b));
    }
    // The server itself accepts each pool's access token, and refuses one whose issuer
    // was moved to the other pool (its kid is not among that pool's keys).
    let access_a = tokens_a["AccessToken"].as_str().unwrap();
    assert_eq!(get_user(&server, access_a).await.0, 200);
    let mut parts: Vec<String> = access_a.split('.').map(str::to_string).collect();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    claims["iss"] = format!("{}/{pool_b}", server.url()).into();
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    let (status, answer) = get_user(&server, &parts.join(".")).await;
    assert_eq!(status, 400);
    assert_eq!(answer["__type"], "NotAuthorizedException");
}

#[tokio::test]
async fn a_rotation_signs_with_new_keys_and_keeps_the_old_ones_published_for_a_day() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = pool_with_user(&server, "rotating").await;
    let before = sign_in(&server, &client_id).await;
    let old_access = before["AccessToken"].as_str().unwrap().to_string();

    let keystep = server.keystep();
    let pool = keystep.load_pool(&pool_id).await.unwrap();
    assert_eq!(keystep.rotate_pool_keys(&pool).await.unwrap(), 2);
    let published = jwks(&server, &pool_id).await;
    assert_eq!(published.len(), 4, "new and previous generation");
    let after = sign_in(&server, &client_id).await;
    let new_access = after["AccessToken"].as_str().unwrap();
    assert_ne!(kid_of(new_access), kid_of(&old_access));
    assert_eq!(
        published[1]["kid"].as_str().unwrap(),
        kid_of(new_access),
        "the signing keys come first"
    );
    // Tokens of both generations work while they live.
    assert_eq!(get_user(&server, &old_access).await.0, 200);
    assert_eq!(get_user(&server, new_access).await.0, 200);
    assert!(verifies_with_any(&old_access, &published));

    // A day (and a margin) later only the signing generation is published.
    server.clock().advance(Duration::from_secs(24 * 3600 + 301));
    let later = jwks(&server, &pool_id).await;
    assert_eq!(later.len(), 2);
    assert!(!verifies_with_any(&old_access, &later));
    // Refresh tokens are opaque: a refresh after the rotation is signed with the new keys.
    let (status, refreshed) = server
        .json(
            "InitiateAuth",
            &json!({"ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
                "AuthParameters": {"REFRESH_TOKEN": before["RefreshToken"]}}),
        )
        .await;
    assert_eq!(status, 200, "{refreshed}");
    let access = refreshed["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap();
    assert!(verifies_with_any(access, &later));
    assert_eq!(get_user(&server, access).await.0, 200);
}

/// A database from a server that signed every pool's tokens with one shared pair.
#[tokio::test]
async fn tokens_signed_with_the_old_shared_pair_stay_valid_until_they_expire() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("keystep.db").display());
    let master_key = [7u8; 32];
    let legacy = SigningKeys::generate().unwrap();
    // What the old server left: its shared pair, and a pool made an hour ago.
    let now = SystemClock.now();
    let old_pool = UserPool {
        id: "us-east-1_OldPool01".into(),
        name: "old".into(),
        created_at: Millis(now.0 - 3_600_000),
        modified_at: Millis(now.0 - 3_600_000),
        settings: Default::default(),
    };
    {
        let store = keystep_store::open(&url).await.unwrap();
        let ring = KeyRing::new(&master_key).unwrap();
        let sealed = ring.seal("secret:signing_keys", &legacy.to_bytes().unwrap());
        store
            .put_secret_if_absent("signing_keys", &sealed.0)
            .await
            .unwrap();
        store.insert_pool(&old_pool).await.unwrap();
    }
    let start = || async {
        bootstrap::prepare(Setup {
            store: keystep_store::open(&url).await.unwrap(),
            master_key,
            clock: Arc::new(SystemClock),
            service: ServiceConfig {
                region: "us-east-1".into(),
                account_id: "000000000000".into(),
                public_url: "http://localhost:9229".into(),
                triggers: Default::default(),
                limits: Default::default(),
                domain_suffix: None,
            },
            admin: None,
            limits: Limits::default(),
            dev_pool: false,
            delivery: keystep_server::bootstrap::DeliverySetup::development(false),
            upstream: None,
        })
        .await
        .unwrap()
    };
    let prepared = start().await;
    let ks = &prepared.state.keystep;
    let old_pool = ks.load_pool(&old_pool.id).await.unwrap();
    let jwks = jwks_of(ks, &old_pool).await;
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids.len(), 4, "its own pair, then the shared one");
    assert!(kids.contains(&legacy.access.kid()));
    let keys = ks.pool_keys(&old_pool).await.unwrap();
    assert_ne!(keys.signing().access.kid(), legacy.access.kid());
    // Access tokens the shared pair signed still find their key (GetUser looks it up
    // this way), for a day after the upgrade and not after.
    let upgraded = SystemClock.now();
    assert!(keys.access_key(legacy.access.kid(), upgraded).is_some());
    assert!(keys
        .access_key(legacy.access.kid(), upgraded.plus_secs(24 * 3600 + 301))
        .is_none());
    // A second start agrees on when the shared pair retired, and on the pool's keys.
    let again = start().await;
    assert_eq!(
        again.state.keystep.pool_jwks(&old_pool).await.unwrap(),
        jwks_of(ks, &old_pool).await
    );

    // A pool made after the upgrade never publishes the shared pair.
    let new_pool = ks
        .create_user_pool("new", Default::default())
        .await
        .unwrap();
    let jwks = ks.pool_jwks(&new_pool).await.unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
}

async fn jwks_of(ks: &keystep_core::service::Keystep, pool: &UserPool) -> Value {
    ks.pool_jwks(pool).await.unwrap()
}
