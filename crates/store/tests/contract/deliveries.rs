//! The delivery queue: a code and its message are stored together; racing claimers each
//! get different messages; only the attempt that claimed a message records its end.

use std::collections::BTreeSet;
use std::sync::Arc;

use keystep_core::code::CodePurpose;
use keystep_core::message::{Medium, MessagePurpose};
use keystep_core::parcel::{Channel, DeliveryStatus};
use keystep_core::ports::{DeliveryFilter, DeliveryOutcome, NewDelivery};

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    a_code_and_its_message_are_stored_together,
    racing_claimers_never_share_a_message,
    only_the_latest_attempt_finishes_a_message,
    finished_messages_lose_their_payload_and_expire,
);

fn delivery(username: &str, n: i64) -> NewDelivery {
    NewDelivery {
        pool_id: POOL.into(),
        username: username.into(),
        medium: Medium::Email,
        purpose: MessagePurpose::SignUp,
        channel: Channel::Smtp,
        destination_masked: "a***@e***".into(),
        payload: format!("sealed-{n}").into_bytes(),
        created_at: T0.plus_secs(n),
    }
}

async fn a_code_and_its_message_are_stored_together(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    store
        .put_code(
            &code(&alice, CodePurpose::SignUp, "c1"),
            Some(&delivery("alice", 1)),
        )
        .await
        .unwrap();
    assert!(store
        .get_code(POOL, &alice.sub, CodePurpose::SignUp)
        .await
        .unwrap()
        .is_some());
    let queued = store
        .list_deliveries(&DeliveryFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].status, DeliveryStatus::Pending);
    assert_eq!(queued[0].attempts, 0);
    assert_eq!(queued[0].payload.as_deref(), Some(&b"sealed-1"[..]));

    // A code for a user who does not exist fails, and its message is not queued either.
    let mut ghost = alice.clone();
    ghost.sub = "no-such-sub".into();
    assert!(store
        .put_code(
            &code(&ghost, CodePurpose::SignUp, "c2"),
            Some(&delivery("ghost", 2))
        )
        .await
        .is_err());
    let after = store
        .list_deliveries(&DeliveryFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(after.len(), 1, "the failed code's message was rolled back");
}

async fn racing_claimers_never_share_a_message(db: TestDb) {
    let store = db.store;
    for n in 0..40 {
        store.enqueue_delivery(&delivery("bob", n)).await.unwrap();
    }
    let now = T0.plus_secs(100);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            store
                .claim_deliveries(now, now.plus_secs(60), 7)
                .await
                .unwrap()
        }));
    }
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for t in tasks {
        for row in t.await.unwrap() {
            total += 1;
            assert_eq!(row.attempts, 1);
            assert_eq!(row.next_attempt_at, now.plus_secs(60));
            assert!(seen.insert(row.id), "message {} claimed twice", row.id);
        }
    }
    assert_eq!(total, 40, "every due message is claimed exactly once");
    // Leased: nothing is due until the lease ends, then all of it again.
    assert!(store
        .claim_deliveries(now.plus_secs(59), now.plus_secs(120), 100)
        .await
        .unwrap()
        .is_empty());
    let again = store
        .claim_deliveries(now.plus_secs(60), now.plus_secs(120), 100)
        .await
        .unwrap();
    assert_eq!(again.len(), 40);
    assert!(again.iter().all(|r| r.attempts == 2));
    // Not yet due: a message queued for later is not claimed.
    let mut later = delivery("carol", 1000);
    later.created_at = T0.plus_secs(10_000);
    store.enqueue_delivery(&later).await.unwrap();
    assert!(store
        .claim_deliveries(now.plus_secs(200), now.plus_secs(260), 100)
        .await
        .unwrap()
        .iter()
        .all(|r| r.username != "carol"));
}

async fn only_the_latest_attempt_finishes_a_message(db: TestDb) {
    let store = db.store;
    let id = store.enqueue_delivery(&delivery("dave", 1)).await.unwrap();
    let now = T0.plus_secs(10);
    let first = store
        .claim_deliveries(now, now.plus_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    // The first node stalls past its lease; another takes the message over.
    let second = store
        .claim_deliveries(now.plus_secs(61), now.plus_secs(121), 10)
        .await
        .unwrap();
    assert_eq!(second[0].attempts, 2);
    let expires = now.plus_secs(7 * 86400);
    assert!(!store
        .finish_delivery(id, 1, &DeliveryOutcome::Sent, now.plus_secs(62), expires)
        .await
        .unwrap());
    let retry = DeliveryOutcome::Retry {
        at: now.plus_secs(70),
        error: "SMTP: connection refused".into(),
    };
    assert!(store
        .finish_delivery(id, 2, &retry, now.plus_secs(62), expires)
        .await
        .unwrap());
    let row = &store
        .list_deliveries(&DeliveryFilter {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()[0];
    assert_eq!(row.status, DeliveryStatus::Pending);
    assert_eq!(row.next_attempt_at, now.plus_secs(70));
    assert_eq!(row.last_error.as_deref(), Some("SMTP: connection refused"));
    assert!(row.payload.is_some(), "kept for the retry");
    // The same attempt cannot be finished twice.
    assert!(store
        .finish_delivery(id, 2, &DeliveryOutcome::Sent, now.plus_secs(63), expires)
        .await
        .unwrap());
    assert!(!store
        .finish_delivery(
            id,
            2,
            &DeliveryOutcome::Failed { error: "x".into() },
            now.plus_secs(64),
            expires
        )
        .await
        .unwrap());
}

async fn finished_messages_lose_their_payload_and_expire(db: TestDb) {
    let store = db.store;
    let sent = store.enqueue_delivery(&delivery("erin", 1)).await.unwrap();
    let failed = store.enqueue_delivery(&delivery("erin", 2)).await.unwrap();
    let pending = store.enqueue_delivery(&delivery("erin", 3)).await.unwrap();
    let now = T0.plus_secs(10);
    let claimed = store
        .claim_deliveries(now, now.plus_secs(60), 2)
        .await
        .unwrap();
    assert_eq!(
        claimed.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![sent, failed]
    );
    let expires = now.plus_secs(3600);
    store
        .finish_delivery(sent, 1, &DeliveryOutcome::Sent, now, expires)
        .await
        .unwrap();
    store
        .finish_delivery(
            failed,
            1,
            &DeliveryOutcome::Failed {
                error: "550 no such mailbox".into(),
            },
            now,
            expires,
        )
        .await
        .unwrap();
    let failed_only = store
        .list_deliveries(&DeliveryFilter {
            status: Some(DeliveryStatus::Failed),
            pool_id: Some(POOL.into()),
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(failed_only.len(), 1);
    assert_eq!(failed_only[0].id, failed);
    assert_eq!(failed_only[0].payload, None, "the code is erased");
    let all = store
        .list_deliveries(&DeliveryFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![pending, failed, sent],
        "newest first"
    );
    // Housekeeping forgets finished records after their time, never a pending message.
    store
        .purge_expired(expires.plus_secs(1), 100)
        .await
        .unwrap();
    let left = store
        .list_deliveries(&DeliveryFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(left.iter().map(|r| r.id).collect::<Vec<_>>(), vec![pending]);
}
