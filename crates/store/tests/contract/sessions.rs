//! Sign-in sessions (compare-and-swap) and single-use values.

use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    auth_sessions_advance_and_finish_by_version,
    use_once_is_once_per_scope
);

async fn auth_sessions_advance_and_finish_by_version(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let s = session(POOL, CLIENT, "sess-0123456789abcdefghij");
    store.insert_auth_session(&s).await.unwrap();
    assert_eq!(
        store.get_auth_session(&s.id).await.unwrap(),
        Some(s.clone())
    );
    assert!(store.get_auth_session("nope").await.unwrap().is_none());
    let again = store.insert_auth_session(&s).await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref n)) if n == "session"),
        "{again:?}"
    );

    let later = T0.plus_secs(300);
    store
        .advance_auth_session(&s.id, 0, b"awaiting sms code", 1, later)
        .await
        .unwrap();
    let stored = store.get_auth_session(&s.id).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(stored.state, b"awaiting sms code");
    assert_eq!(stored.attempts, 1);
    assert_eq!(stored.expires_at, later);
    assert_eq!(
        (stored.pool_id.as_str(), stored.client_id.as_str()),
        (POOL, CLIENT)
    );

    // The old version no longer works, and changes nothing.
    let stale = store
        .advance_auth_session(&s.id, 0, b"replayed", 0, later)
        .await;
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    assert_eq!(
        store.get_auth_session(&s.id).await.unwrap(),
        Some(stored.clone())
    );
    let gone = store.advance_auth_session("nope", 0, b"x", 0, later).await;
    assert!(matches!(gone, Err(StoreError::Stale)), "{gone:?}");

    assert!(!store.finish_auth_session(&s.id, 0).await.unwrap());
    assert!(store.get_auth_session(&s.id).await.unwrap().is_some());
    assert!(store.finish_auth_session(&s.id, 1).await.unwrap());
    assert!(!store.finish_auth_session(&s.id, 1).await.unwrap());
    assert!(store.get_auth_session(&s.id).await.unwrap().is_none());

    // Deleting the client ends its sessions.
    store.insert_auth_session(&s).await.unwrap();
    assert!(store.delete_client(POOL, CLIENT).await.unwrap());
    assert!(store.get_auth_session(&s.id).await.unwrap().is_none());
}

async fn use_once_is_once_per_scope(db: TestDb) {
    let store = db.store;
    let exp = T0.plus_secs(90);
    assert!(store.use_once("srp-block", "id-1", exp).await.unwrap());
    assert!(!store.use_once("srp-block", "id-1", exp).await.unwrap());
    assert!(!store
        .use_once("srp-block", "id-1", exp.plus_secs(100))
        .await
        .unwrap());
    assert!(store.use_once("srp-block", "id-2", exp).await.unwrap());
    assert!(store
        .use_once("totp:us-east-1_X:sub", "id-1", exp)
        .await
        .unwrap());
}
