//! The outbox: append, read back oldest first, filter, limit to the newest.

use keystep_core::message::OutboxFilter;
use keystep_core::Millis;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(outbox_appends_and_filters);

async fn outbox_appends_and_filters(db: TestDb) {
    let store = db.store;
    let other = "eu-west-1_Other";
    let sent = [
        message(POOL, "alice", 1),
        message(POOL, "bob", 2),
        message(other, "alice", 3),
        message(POOL, "alice", 4),
        message(POOL, "alice", 5),
    ];
    let mut ids = Vec::new();
    for m in &sent {
        ids.push(store.insert_outbox(m, Millis(i64::MAX)).await.unwrap());
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");

    let all = store.list_outbox(&OutboxFilter::default()).await.unwrap();
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), ids);
    assert_eq!(
        all.iter().map(|e| e.message.clone()).collect::<Vec<_>>(),
        sent.to_vec()
    );

    let pool_only = OutboxFilter {
        pool_id: Some(POOL.into()),
        ..Default::default()
    };
    let got = store.list_outbox(&pool_only).await.unwrap();
    assert_eq!(got.len(), 4);

    let alice_here = OutboxFilter {
        pool_id: Some(POOL.into()),
        username: Some("alice".into()),
        limit: None,
    };
    let got: Vec<_> = store
        .list_outbox(&alice_here)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(got, vec![sent[0].clone(), sent[3].clone(), sent[4].clone()]);

    let alice_anywhere = OutboxFilter {
        username: Some("alice".into()),
        ..Default::default()
    };
    assert_eq!(store.list_outbox(&alice_anywhere).await.unwrap().len(), 4);

    // A limit keeps the newest, still oldest first.
    let newest_two = OutboxFilter {
        limit: Some(2),
        ..alice_here.clone()
    };
    let got: Vec<_> = store
        .list_outbox(&newest_two)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(got, vec![sent[3].clone(), sent[4].clone()]);
    let newest_one = OutboxFilter {
        limit: Some(1),
        ..Default::default()
    };
    let got = store.list_outbox(&newest_one).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, ids[4]);

    // The address a message went to finds it as well as the username does (the
    // username is an opaque id in pools where the e-mail is the username).
    let by_address = OutboxFilter {
        pool_id: Some(POOL.into()),
        username: Some("alice@example.com".into()),
        limit: None,
    };
    let got: Vec<_> = store
        .list_outbox(&by_address)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(got, vec![sent[0].clone(), sent[3].clone(), sent[4].clone()]);

    let nobody = OutboxFilter {
        username: Some("nobody".into()),
        ..Default::default()
    };
    assert!(store.list_outbox(&nobody).await.unwrap().is_empty());
}
