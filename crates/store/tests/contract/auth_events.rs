//! Auth events: each step appends its challenge to the sign-in's one row, in one
//! statement (also when steps race); newest first; feedback; they go with their user.

use std::sync::Arc;

use keystep_core::auth_event::{AuthEvent, ChallengeKind, EventResponse, Feedback};

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    steps_append_to_one_event,
    a_batch_of_sign_ins_is_one_statement,
    events_page_newest_first_take_feedback_and_go_with_their_user
);

fn event(sub: &str, id: &str, at: i64, response: EventResponse) -> AuthEvent {
    AuthEvent {
        pool_id: POOL.into(),
        sub: sub.into(),
        event_id: id.into(),
        created_at: T0.plus_secs(at),
        response,
        challenges: Vec::new(),
        ip_address: Some("192.0.2.1".into()),
        client_id: CLIENT.into(),
        feedback: None,
    }
}

async fn a_batch_of_sign_ins_is_one_statement(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;
    let keep = T0.plus_secs(3600);
    let mut first = event(&alice.sub, "ev-a", 0, EventResponse::InProgress);
    first.challenges = vec![(ChallengeKind::Password, true)];
    store.record_auth_event(&first, keep).await.unwrap();
    // A batch: alice's sign-in goes on, bob's starts.
    let mut next = event(&alice.sub, "ev-a", 0, EventResponse::Pass);
    next.ip_address = Some("198.51.100.7".into());
    next.challenges = vec![(ChallengeKind::Mfa, true)];
    let mut other = event(&bob.sub, "ev-b", 5, EventResponse::Fail);
    other.challenges = vec![(ChallengeKind::Password, false)];
    store
        .record_auth_events(&[(next, keep), (other, keep)])
        .await
        .unwrap();
    let a = store
        .list_auth_events(POOL, &alice.sub, None, 10)
        .await
        .unwrap();
    assert_eq!(a.items.len(), 1);
    assert_eq!(a.items[0].response, EventResponse::Pass);
    assert_eq!(
        a.items[0].challenges,
        vec![(ChallengeKind::Password, true), (ChallengeKind::Mfa, true)]
    );
    // The first step's address stays.
    assert_eq!(a.items[0].ip_address.as_deref(), Some("192.0.2.1"));
    let b = store
        .list_auth_events(POOL, &bob.sub, None, 10)
        .await
        .unwrap();
    assert_eq!(b.items.len(), 1);
    assert_eq!(
        b.items[0].challenges,
        vec![(ChallengeKind::Password, false)]
    );
    // A batch with a user who is gone is refused whole, with NotFound, leaving the rest.
    let ghost = event(
        "00000000-0000-4000-8000-00000000dead",
        "ev-x",
        0,
        EventResponse::Fail,
    );
    let later = event(&bob.sub, "ev-c", 9, EventResponse::Pass);
    let refused = store
        .record_auth_events(&[(later, keep), (ghost, keep)])
        .await;
    assert!(
        matches!(refused, Err(keystep_core::StoreError::NotFound)),
        "{refused:?}"
    );
    let b = store
        .list_auth_events(POOL, &bob.sub, None, 10)
        .await
        .unwrap();
    assert_eq!(b.items.len(), 1);
    store.record_auth_events(&[]).await.unwrap();
}

async fn steps_append_to_one_event(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let keep = T0.plus_secs(3600);
    let mut e = event(&alice.sub, "ev-1", 0, EventResponse::InProgress);
    store.record_auth_event(&e, keep).await.unwrap();
    e.challenges = vec![(ChallengeKind::Password, true)];
    store.record_auth_event(&e, keep).await.unwrap();
    e.response = EventResponse::Fail;
    e.challenges = vec![(ChallengeKind::Mfa, false)];
    store.record_auth_event(&e, keep).await.unwrap();
    let got = store
        .list_auth_events(POOL, &alice.sub, None, 10)
        .await
        .unwrap();
    assert_eq!(got.items.len(), 1);
    assert_eq!(got.items[0].response, EventResponse::Fail);
    assert_eq!(
        got.items[0].challenges,
        vec![(ChallengeKind::Password, true), (ChallengeKind::Mfa, false)]
    );
    assert_eq!(got.items[0].ip_address.as_deref(), Some("192.0.2.1"));

    // Racing appends lose none.
    let mut racers = Vec::new();
    for _ in 0..8 {
        let s = Arc::clone(&store);
        let mut step = e.clone();
        step.challenges = vec![(ChallengeKind::Mfa, true)];
        racers.push(tokio::spawn(async move {
            s.record_auth_event(&step, keep).await
        }));
    }
    for r in racers {
        r.await.unwrap().unwrap();
    }
    let got = store
        .list_auth_events(POOL, &alice.sub, None, 10)
        .await
        .unwrap();
    assert_eq!(got.items[0].challenges.len(), 10);

    // No event for a user that does not exist.
    let ghost = event(
        "00000000-0000-4000-8000-00000000dead",
        "ev-x",
        0,
        EventResponse::Fail,
    );
    assert!(store.record_auth_event(&ghost, keep).await.is_err());
}

async fn events_page_newest_first_take_feedback_and_go_with_their_user(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;
    let keep = T0.plus_secs(3600);
    for i in 0..5 {
        let e = event(&alice.sub, &format!("ev-{i}"), i, EventResponse::Pass);
        store.record_auth_event(&e, keep).await.unwrap();
    }
    store
        .record_auth_event(&event(&bob.sub, "ev-bob", 9, EventResponse::Pass), keep)
        .await
        .unwrap();
    let first = store
        .list_auth_events(POOL, &alice.sub, None, 2)
        .await
        .unwrap();
    let second = store
        .list_auth_events(POOL, &alice.sub, first.next.as_deref(), 2)
        .await
        .unwrap();
    let third = store
        .list_auth_events(POOL, &alice.sub, second.next.as_deref(), 2)
        .await
        .unwrap();
    let ids: Vec<&str> = first
        .items
        .iter()
        .chain(&second.items)
        .chain(&third.items)
        .map(|e| e.event_id.as_str())
        .collect();
    assert_eq!(ids, ["ev-4", "ev-3", "ev-2", "ev-1", "ev-0"]);
    assert_eq!(third.next, None);

    let fb = Feedback {
        value: "Valid".into(),
        provider: "Admin".into(),
        at: T0.plus_secs(60),
    };
    assert!(store
        .set_auth_event_feedback(POOL, &alice.sub, "ev-2", &fb)
        .await
        .unwrap());
    assert!(
        !store
            .set_auth_event_feedback(POOL, &bob.sub, "ev-2", &fb)
            .await
            .unwrap(),
        "another user's event is not found"
    );
    let all = store
        .list_auth_events(POOL, &alice.sub, None, 10)
        .await
        .unwrap();
    assert_eq!(all.items[2].feedback, Some(fb));

    assert!(store.purge_expired(keep, 100).await.unwrap() >= 6);
    store
        .record_auth_event(&event(&alice.sub, "ev-new", 0, EventResponse::Pass), keep)
        .await
        .unwrap();
    store.delete_user(POOL, &alice.sub).await.unwrap();
    assert!(store
        .list_auth_events(POOL, &alice.sub, None, 10)
        .await
        .unwrap()
        .items
        .is_empty());
}
