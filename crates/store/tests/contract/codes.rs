//! One-time codes: replacement, failure counting, consumption.

use keystep_core::code::CodePurpose;
use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(codes_replace_count_and_consume);

async fn codes_replace_count_and_consume(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let u = seed_user(&*store, POOL, "alice").await;
    let p = CodePurpose::SignUp;

    assert!(store.get_code(POOL, &u.sub, p).await.unwrap().is_none());
    let first = code(&u, p, "first");
    store.put_code(&first).await.unwrap();
    assert_eq!(
        store.get_code(POOL, &u.sub, p).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        store
            .record_code_failure(POOL, &u.sub, p, "first")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .record_code_failure(POOL, &u.sub, p, "first")
            .await
            .unwrap(),
        2
    );

    // A new code replaces the old one, attempts and all.
    let mut second = code(&u, p, "second");
    second.created_at = T0.plus_secs(10);
    second.expires_at = T0.plus_secs(20);
    store.put_code(&second).await.unwrap();
    assert_eq!(
        store.get_code(POOL, &u.sub, p).await.unwrap(),
        Some(second.clone())
    );
    let stale = store.record_code_failure(POOL, &u.sub, p, "first").await;
    assert!(matches!(stale, Err(StoreError::NotFound)), "{stale:?}");
    assert!(!store.consume_code(POOL, &u.sub, p, "first").await.unwrap());

    // Other purposes are separate codes.
    let reset = code(&u, CodePurpose::ForgotPassword, "reset");
    store.put_code(&reset).await.unwrap();
    assert_eq!(
        store
            .record_code_failure(POOL, &u.sub, CodePurpose::ForgotPassword, "reset")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .get_code(POOL, &u.sub, p)
            .await
            .unwrap()
            .unwrap()
            .attempts,
        0
    );

    // Consumed once.
    assert!(store.consume_code(POOL, &u.sub, p, "second").await.unwrap());
    assert!(!store.consume_code(POOL, &u.sub, p, "second").await.unwrap());
    assert!(store.get_code(POOL, &u.sub, p).await.unwrap().is_none());
    let gone = store.record_code_failure(POOL, &u.sub, p, "second").await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    assert!(store
        .get_code(POOL, &u.sub, CodePurpose::ForgotPassword)
        .await
        .unwrap()
        .is_some());
}
