//! One-time codes: replacement, attempts reserved before a code is compared, consumption.

use keystep_core::code::CodePurpose;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(codes_replace_reserve_and_consume);

async fn codes_replace_reserve_and_consume(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let u = seed_user(&*store, POOL, "alice").await;
    let p = CodePurpose::SignUp;
    let now = T0.plus_secs(1);

    assert!(store.get_code(POOL, &u.sub, p).await.unwrap().is_none());
    assert_eq!(
        store
            .reserve_code_attempt(POOL, &u.sub, p, 5, now)
            .await
            .unwrap(),
        None,
        "no code, nothing to reserve"
    );
    let first = code(&u, p, "first");
    store.put_code(&first, None).await.unwrap();
    assert_eq!(
        store.get_code(POOL, &u.sub, p).await.unwrap(),
        Some(first.clone())
    );
    // A reservation hands back the code with this attempt counted.
    for n in 1..=2 {
        let reserved = store
            .reserve_code_attempt(POOL, &u.sub, p, 3, now)
            .await
            .unwrap()
            .expect("attempts left");
        assert_eq!(reserved.id, "first");
        assert_eq!(reserved.hash, first.hash);
        assert_eq!(reserved.attempts, n);
    }

    // A new code replaces the old one, attempts and all.
    let mut second = code(&u, p, "second");
    second.created_at = T0.plus_secs(10);
    second.expires_at = T0.plus_secs(20);
    store.put_code(&second, None).await.unwrap();
    assert_eq!(
        store.get_code(POOL, &u.sub, p).await.unwrap(),
        Some(second.clone())
    );
    assert!(!store.consume_code(POOL, &u.sub, p, "first").await.unwrap());

    // The cap holds: three reservations, then none, and the count stays at the cap.
    for n in 1..=3 {
        let reserved = store
            .reserve_code_attempt(POOL, &u.sub, p, 3, now)
            .await
            .unwrap();
        assert_eq!(reserved.map(|c| c.attempts), Some(n));
    }
    assert_eq!(
        store
            .reserve_code_attempt(POOL, &u.sub, p, 3, now)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .get_code(POOL, &u.sub, p)
            .await
            .unwrap()
            .unwrap()
            .attempts,
        3
    );
    // An expired code is never reserved, whatever its attempts.
    assert_eq!(
        store
            .reserve_code_attempt(POOL, &u.sub, p, 10, T0.plus_secs(20))
            .await
            .unwrap(),
        None
    );

    // Other purposes are separate codes.
    let reset = code(&u, CodePurpose::ForgotPassword, "reset");
    store.put_code(&reset, None).await.unwrap();
    let reserved = store
        .reserve_code_attempt(POOL, &u.sub, CodePurpose::ForgotPassword, 5, now)
        .await
        .unwrap();
    assert_eq!(
        reserved.map(|c| (c.id, c.attempts)),
        Some(("reset".into(), 1))
    );

    // Consumed once.
    assert!(store.consume_code(POOL, &u.sub, p, "second").await.unwrap());
    assert!(!store.consume_code(POOL, &u.sub, p, "second").await.unwrap());
    assert!(store.get_code(POOL, &u.sub, p).await.unwrap().is_none());
    assert_eq!(
        store
            .reserve_code_attempt(POOL, &u.sub, p, 5, now)
            .await
            .unwrap(),
        None
    );
    assert!(store
        .get_code(POOL, &u.sub, CodePurpose::ForgotPassword)
        .await
        .unwrap()
        .is_some());
}
