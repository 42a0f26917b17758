//! Abuse counters: compare-and-swap on opaque state, and their expiry.

use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    counters_compare_and_swap,
    session_attempts_are_reserved_up_to_a_cap
);

async fn counters_compare_and_swap(db: TestDb) {
    let store = db.store;
    let key = "lock-password:us-east-1_X:u:sub-1";
    assert!(store.get_counter(key).await.unwrap().is_none());

    store
        .put_counter(key, r#"{"failures":1}"#, T0.plus_secs(900), None)
        .await
        .unwrap();
    let row = store.get_counter(key).await.unwrap().unwrap();
    assert_eq!(row.key, key);
    assert_eq!(row.state, r#"{"failures":1}"#);
    assert_eq!(row.version, 0);
    assert_eq!(row.expires_at, T0.plus_secs(900));

    // A second insert loses: the counter exists.
    let again = store.put_counter(key, "{}", T0, None).await;
    assert!(matches!(again, Err(StoreError::Stale)), "{again:?}");

    // An update must name the version it read.
    store
        .put_counter(key, r#"{"failures":2}"#, T0.plus_secs(901), Some(0))
        .await
        .unwrap();
    let stale = store
        .put_counter(key, r#"{"failures":9}"#, T0, Some(0))
        .await;
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    let row = store.get_counter(key).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.version), (r#"{"failures":2}"#, 1));

    // Counters are separate by key, deleted on request, and forgotten once expired.
    store
        .put_counter("other", "{}", T0.plus_secs(10), None)
        .await
        .unwrap();
    store.delete_counter(key).await.unwrap();
    store.delete_counter(key).await.unwrap();
    assert!(store.get_counter(key).await.unwrap().is_none());
    assert!(store.get_counter("other").await.unwrap().is_some());
    let purged = store.purge_expired(T0.plus_secs(10), 100).await.unwrap();
    assert_eq!(purged, 1);
    assert!(store.get_counter("other").await.unwrap().is_none());

    // Several at once; keys not named, or not there, are no matter.
    for k in ["a", "b", "c"] {
        store
            .put_counter(k, "{}", T0.plus_secs(600), None)
            .await
            .unwrap();
    }
    store
        .delete_counters(&["a".into(), "c".into(), "missing".into()])
        .await
        .unwrap();
    assert!(store.get_counter("a").await.unwrap().is_none());
    assert!(store.get_counter("b").await.unwrap().is_some());
    assert!(store.get_counter("c").await.unwrap().is_none());
    store.delete_counters(&[]).await.unwrap();
}

async fn session_attempts_are_reserved_up_to_a_cap(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    store
        .insert_auth_session(&session(POOL, CLIENT, "s1"))
        .await
        .unwrap();
    for n in 1..=3 {
        assert_eq!(
            store.reserve_session_attempt("s1", 3).await.unwrap(),
            Some(n)
        );
    }
    assert_eq!(store.reserve_session_attempt("s1", 3).await.unwrap(), None);
    let row = store.get_auth_session("s1").await.unwrap().unwrap();
    assert_eq!(row.attempts, 3);
    // Reserving does not move the sign-in: the version is what a step compares against.
    assert_eq!(row.version, 0);
    assert!(store.finish_auth_session("s1", 0).await.unwrap());
    assert_eq!(store.reserve_session_attempt("s1", 3).await.unwrap(), None);
    assert_eq!(
        store.reserve_session_attempt("missing", 3).await.unwrap(),
        None
    );
}
