//! Many concurrent callers, one winner.

use std::sync::Arc;

use keystep_core::code::CodePurpose;
use keystep_core::ports::Store;
use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    one_of_many_advances_a_session,
    one_of_many_finishes_a_session,
    one_of_many_consumes_a_code,
    one_of_many_uses_a_value_once,
    one_of_many_updates_a_user,
    one_of_many_claims_an_alias,
    a_burst_reserves_at_most_the_cap_of_a_code,
    a_burst_reserves_at_most_the_cap_of_a_session,
    a_burst_on_a_counter_is_counted_once_each,
);

/// How many callers race.
const RACERS: usize = 20;

/// Runs `op(i)` for every racer at once (released together) and returns the results.
async fn race<T, F, Fut>(store: &Arc<dyn Store>, op: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(Arc<dyn Store>, usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let start = Arc::new(tokio::sync::Barrier::new(RACERS));
    let mut handles = Vec::new();
    for i in 0..RACERS {
        let fut = op(store.clone(), i);
        let start = start.clone();
        handles.push(tokio::spawn(async move {
            start.wait().await;
            fut.await
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

async fn one_of_many_advances_a_session(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    store
        .insert_auth_session(&session(POOL, CLIENT, "raced"))
        .await
        .unwrap();
    let results = race(&store, |s, i| async move {
        s.advance_auth_session(
            "raced",
            0,
            format!("winner {i}").as_bytes(),
            1,
            T0.plus_secs(60),
        )
        .await
    })
    .await;
    let wins: Vec<usize> = (0..RACERS).filter(|i| results[*i].is_ok()).collect();
    assert_eq!(wins.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| matches!(r, Err(StoreError::Stale))),
        "{results:?}"
    );
    let stored = store.get_auth_session("raced").await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(stored.state, format!("winner {}", wins[0]).into_bytes());
}

async fn one_of_many_finishes_a_session(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    store
        .insert_auth_session(&session(POOL, CLIENT, "raced"))
        .await
        .unwrap();
    let results = race(&store, |s, _| async move {
        s.finish_auth_session("raced", 0).await.unwrap()
    })
    .await;
    assert_eq!(results.iter().filter(|r| **r).count(), 1, "{results:?}");
    assert!(store.get_auth_session("raced").await.unwrap().is_none());
}

async fn one_of_many_consumes_a_code(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let u = seed_user(&*store, POOL, "alice").await;
    store
        .put_code(&code(&u, CodePurpose::ForgotPassword, "the-code"), None)
        .await
        .unwrap();
    let sub = u.sub.clone();
    let results = race(&store, move |s, _| {
        let sub = sub.clone();
        async move {
            s.consume_code(POOL, &sub, CodePurpose::ForgotPassword, "the-code")
                .await
                .unwrap()
        }
    })
    .await;
    assert_eq!(results.iter().filter(|r| **r).count(), 1, "{results:?}");
}

async fn one_of_many_uses_a_value_once(db: TestDb) {
    let store = db.store;
    let results = race(&store, |s, _| async move {
        s.use_once("srp-secret-block", "block-id", T0.plus_secs(300))
            .await
            .unwrap()
    })
    .await;
    assert_eq!(results.iter().filter(|r| **r).count(), 1, "{results:?}");
}

async fn one_of_many_updates_a_user(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let u = seed_user(&*store, POOL, "alice").await;
    let results = race(&store, move |s, i| {
        let mut mine = u.clone();
        mine.attributes.insert("name".into(), format!("writer {i}"));
        async move {
            let claims = [email_alias(&mine)];
            s.update_user(&mine, &claims).await
        }
    })
    .await;
    let wins: Vec<usize> = (0..RACERS).filter(|i| results[*i].is_ok()).collect();
    assert_eq!(wins.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| matches!(r, Err(StoreError::Stale))),
        "{results:?}"
    );
    let stored = store.get_user(POOL, "alice").await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(
        stored.attr("name"),
        Some(format!("writer {}", wins[0]).as_str())
    );
}

async fn one_of_many_claims_an_alias(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let results = race(&store, |s, i| async move {
        let mut u = user(POOL, &format!("user{i:02}"));
        u.attributes
            .insert("email".into(), "shared@example.com".into());
        let claims = [email_alias(&u)];
        s.insert_user(&u, &claims).await
    })
    .await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| matches!(r, Err(StoreError::Conflict(n)) if n == "alias:email")),
        "{results:?}"
    );
    assert_eq!(store.count_users(POOL).await.unwrap(), 1);
}

async fn a_burst_reserves_at_most_the_cap_of_a_code(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let u = seed_user(&*store, POOL, "alice").await;
    store
        .put_code(&code(&u, CodePurpose::ForgotPassword, "the-code"), None)
        .await
        .unwrap();
    let sub = u.sub.clone();
    let results = race(&store, move |s, _| {
        let sub = sub.clone();
        async move {
            s.reserve_code_attempt(POOL, &sub, CodePurpose::ForgotPassword, 5, T0)
                .await
                .unwrap()
                .map(|c| c.attempts)
        }
    })
    .await;
    let mut numbers: Vec<u32> = results.iter().flatten().copied().collect();
    numbers.sort();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5], "{results:?}");
}

async fn a_burst_reserves_at_most_the_cap_of_a_session(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    store
        .insert_auth_session(&session(POOL, CLIENT, "raced"))
        .await
        .unwrap();
    let results = race(&store, |s, _| async move {
        s.reserve_session_attempt("raced", 5).await.unwrap()
    })
    .await;
    let mut numbers: Vec<u32> = results.iter().flatten().copied().collect();
    numbers.sort();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5], "{results:?}");
    let row = store.get_auth_session("raced").await.unwrap().unwrap();
    assert_eq!((row.attempts, row.version), (5, 0));
}

/// Every racer increments a counter by compare-and-swap, retrying when it loses: no
/// increment is lost, and each racer saw a different value.
async fn a_burst_on_a_counter_is_counted_once_each(db: TestDb) {
    let store = db.store;
    let results = race(&store, |s, _| async move {
        loop {
            let row = s.get_counter("burst").await.unwrap();
            let (n, version) = match &row {
                Some(r) => (r.state.parse::<u32>().unwrap(), Some(r.version)),
                None => (0, None),
            };
            match s
                .put_counter("burst", &(n + 1).to_string(), T0.plus_secs(60), version)
                .await
            {
                Ok(()) => return n + 1,
                Err(StoreError::Stale) => continue,
                Err(e) => panic!("{e}"),
            }
        }
    })
    .await;
    let mut seen = results.clone();
    seen.sort();
    assert_eq!(seen, (1..=RACERS as u32).collect::<Vec<_>>());
    let row = store.get_counter("burst").await.unwrap().unwrap();
    assert_eq!(row.state, RACERS.to_string());
}
