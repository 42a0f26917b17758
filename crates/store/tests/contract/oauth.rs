//! OAuth authorization codes (taken exactly once, also under a race) and the hosted pages'
//! sessions; both go with their user; a refresh token keeps its scopes.

use std::sync::Arc;

use keystep_core::ports::{HostedSessionRow, OAuthCodeRow};
use keystep_core::Millis;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    a_code_is_taken_once_even_by_racing_redemptions,
    hosted_sessions_are_read_and_ended,
    refresh_tokens_keep_their_scopes
);

fn code(user: &keystep_core::user::User, hash: &[u8]) -> OAuthCodeRow {
    OAuthCodeRow {
        hash: hash.to_vec(),
        pool_id: user.pool_id.clone(),
        client_id: CLIENT.into(),
        sub: user.sub.clone(),
        grant: r#"{"scopes":["openid"]}"#.into(),
        expires_at: T0.plus_secs(300),
    }
}

async fn a_code_is_taken_once_even_by_racing_redemptions(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let c = code(&alice, b"code-1");
    store.insert_oauth_code(&c).await.unwrap();
    assert!(
        store.insert_oauth_code(&c).await.is_err(),
        "one row per hash"
    );
    assert_eq!(store.take_oauth_code(b"code-1").await.unwrap(), Some(c));
    assert_eq!(store.take_oauth_code(b"code-1").await.unwrap(), None);

    store
        .insert_oauth_code(&code(&alice, b"code-2"))
        .await
        .unwrap();
    let store = Arc::clone(&store);
    let mut racers = Vec::new();
    for _ in 0..8 {
        let s = Arc::clone(&store);
        racers.push(tokio::spawn(
            async move { s.take_oauth_code(b"code-2").await },
        ));
    }
    let mut won = 0;
    for r in racers {
        if r.await.unwrap().unwrap().is_some() {
            won += 1;
        }
    }
    assert_eq!(won, 1, "exactly one redemption gets the code");

    // A deleted user's codes go with them.
    store
        .insert_oauth_code(&code(&alice, b"code-3"))
        .await
        .unwrap();
    assert!(store.delete_user(POOL, &alice.sub).await.unwrap());
    assert_eq!(store.take_oauth_code(b"code-3").await.unwrap(), None);
}

async fn hosted_sessions_are_read_and_ended(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let s = HostedSessionRow {
        hash: b"cookie-1".to_vec(),
        pool_id: POOL.into(),
        sub: alice.sub.clone(),
        auth_time: T0,
        created_at: T0,
        expires_at: T0.plus_secs(3600),
    };
    store.insert_hosted_session(&s).await.unwrap();
    assert_eq!(
        store.get_hosted_session(b"cookie-1").await.unwrap(),
        Some(s)
    );
    assert_eq!(store.get_hosted_session(b"cookie-2").await.unwrap(), None);
    assert!(store.delete_hosted_session(b"cookie-1").await.unwrap());
    assert!(!store.delete_hosted_session(b"cookie-1").await.unwrap());
    assert_eq!(store.get_hosted_session(b"cookie-1").await.unwrap(), None);
    // Expired sessions are purged.
    let old = HostedSessionRow {
        hash: b"cookie-3".to_vec(),
        pool_id: POOL.into(),
        sub: alice.sub.clone(),
        auth_time: T0,
        created_at: T0,
        expires_at: Millis(T0.0 + 1),
    };
    store.insert_hosted_session(&old).await.unwrap();
    store.purge_expired(T0.plus_secs(10), 100).await.unwrap();
    assert_eq!(store.get_hosted_session(b"cookie-3").await.unwrap(), None);
}

async fn refresh_tokens_keep_their_scopes(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let mut t = refresh_token(&alice, CLIENT, b"scoped", "origin-s");
    t.scope = Some("openid email".into());
    store.insert_refresh_token(&t).await.unwrap();
    let read = store.get_refresh_token(b"scoped").await.unwrap().unwrap();
    assert_eq!(read.scope.as_deref(), Some("openid email"));
}
