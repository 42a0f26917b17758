//! Expiry purges and server secrets.

use keystep_core::code::CodePurpose;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    purge_expired_deletes_only_expired_rows_in_batches,
    secrets_are_put_once
);

async fn purge_expired_deletes_only_expired_rows_in_batches(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let now = T0.plus_secs(1000);
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;

    let mut expired_session = session(POOL, CLIENT, "expired-session");
    expired_session.expires_at = now; // expiring at `now` counts as expired
    let mut live_session = session(POOL, CLIENT, "live-session");
    live_session.expires_at = now.plus_secs(1);
    store.insert_auth_session(&expired_session).await.unwrap();
    store.insert_auth_session(&live_session).await.unwrap();

    let mut expired_code = code(&alice, CodePurpose::SignUp, "old");
    expired_code.expires_at = T0.plus_secs(10);
    let mut live_code = code(&bob, CodePurpose::SignUp, "new");
    live_code.expires_at = now.plus_secs(3600);
    store.put_code(&expired_code, None).await.unwrap();
    store.put_code(&live_code, None).await.unwrap();

    for i in 0..5 {
        assert!(store
            .use_once("scope", &format!("old-{i}"), T0)
            .await
            .unwrap());
    }
    assert!(store
        .use_once("scope", "live", now.plus_secs(30))
        .await
        .unwrap());

    let mut expired_token = refresh_token(&alice, CLIENT, b"old-token", "old-origin");
    expired_token.expires_at = T0.plus_secs(10);
    let live_token = refresh_token(&alice, CLIENT, b"live-token", "live-origin");
    store.insert_refresh_token(&expired_token).await.unwrap();
    store.insert_refresh_token(&live_token).await.unwrap();
    // A revoked sign-in is remembered past its token's expiry.
    assert!(store.revoke_refresh_token(b"old-token").await.unwrap());

    // At most 2 rows per table per call: session 1 + code 1 + used 2 + token 1.
    assert_eq!(store.purge_expired(now, 2).await.unwrap(), 5);
    assert_eq!(store.purge_expired(now, 2).await.unwrap(), 2);
    assert_eq!(store.purge_expired(now, 2).await.unwrap(), 1);
    assert_eq!(store.purge_expired(now, 2).await.unwrap(), 0);

    assert!(store
        .get_auth_session("expired-session")
        .await
        .unwrap()
        .is_none());
    assert!(store
        .get_auth_session("live-session")
        .await
        .unwrap()
        .is_some());
    assert!(store
        .get_code(POOL, &alice.sub, CodePurpose::SignUp)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .get_code(POOL, &bob.sub, CodePurpose::SignUp)
        .await
        .unwrap()
        .is_some());
    assert!(store
        .get_refresh_token(b"old-token")
        .await
        .unwrap()
        .is_none());
    assert!(store
        .get_refresh_token(b"live-token")
        .await
        .unwrap()
        .is_some());
    assert!(origin_revoked(&*store, "old-origin").await);
    // Forgotten single-use values may be used again; live ones may not.
    assert!(store
        .use_once("scope", "old-0", now.plus_secs(30))
        .await
        .unwrap());
    assert!(!store
        .use_once("scope", "live", now.plus_secs(30))
        .await
        .unwrap());

    // A day after the token's expiry, its revocation is forgotten too.
    let much_later = T0.plus_secs(10 + 86_400);
    assert!(store.purge_expired(much_later, 100).await.unwrap() >= 1);
    assert!(!origin_revoked(&*store, "old-origin").await);
}

async fn secrets_are_put_once(db: TestDb) {
    let store = db.store;
    assert!(store.get_secret("signing-key").await.unwrap().is_none());
    assert_eq!(
        store
            .put_secret_if_absent("signing-key", b"first")
            .await
            .unwrap(),
        b"first"
    );
    assert_eq!(
        store
            .put_secret_if_absent("signing-key", b"second")
            .await
            .unwrap(),
        b"first"
    );
    assert_eq!(
        store.get_secret("signing-key").await.unwrap().as_deref(),
        Some(&b"first"[..])
    );
    let binary: Vec<u8> = (0..=255).collect();
    assert_eq!(
        store.put_secret_if_absent("other", &binary).await.unwrap(),
        binary
    );

    // Nodes racing at first start agree on one value.
    let mut racing = Vec::new();
    for i in 0..20u8 {
        let store = store.clone();
        racing.push(tokio::spawn(async move {
            store
                .put_secret_if_absent("master", &[i; 32])
                .await
                .unwrap()
        }));
    }
    let mut values = Vec::new();
    for r in racing {
        values.push(r.await.unwrap());
    }
    let stored = store.get_secret("master").await.unwrap().unwrap();
    assert!(
        values.iter().all(|v| *v == stored),
        "all callers got the stored value"
    );
}
