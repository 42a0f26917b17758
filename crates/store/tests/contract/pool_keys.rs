//! Token signing keys per pool: first generations stored once, rotation compare-and-swap.

use std::sync::Arc;

use keystep_core::ports::{PoolKeyRow, Store};
use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    pool_keys_init_once_rotate_and_go_with_the_pool,
    one_of_many_rotates
);

fn generation(n: i64, keys: &[u8], retired: bool) -> PoolKeyRow {
    PoolKeyRow {
        pool_id: POOL.into(),
        generation: n,
        keys: keys.to_vec(),
        created_at: T0.plus_secs(n),
        retired_at: retired.then(|| T0.plus_secs(100)),
    }
}

async fn pool_keys_init_once_rotate_and_go_with_the_pool(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    assert!(store.list_pool_keys(POOL).await.unwrap().is_empty());
    let first = vec![generation(0, b"legacy", true), generation(1, b"one", false)];
    assert_eq!(store.init_pool_keys(POOL, &first).await.unwrap(), first);
    // A second node's keys lose to the stored ones.
    let other = vec![generation(1, b"other", false)];
    assert_eq!(store.init_pool_keys(POOL, &other).await.unwrap(), first);

    let mut next = generation(2, b"two", false);
    next.created_at = T0.plus_secs(200);
    let stale = store.rotate_pool_keys(0, &next).await;
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    store.rotate_pool_keys(1, &next).await.unwrap();
    let stored = store.list_pool_keys(POOL).await.unwrap();
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[1].retired_at, Some(T0.plus_secs(200)));
    assert_eq!(stored[2], next);
    // Rotating from the retired generation again loses.
    let again = store.rotate_pool_keys(1, &generation(2, b"x", false)).await;
    assert!(matches!(again, Err(StoreError::Stale)), "{again:?}");

    let orphan = store
        .init_pool_keys("us-east-1_Missing", &[generation(1, b"k", false)])
        .await;
    assert!(orphan.is_err(), "keys need their pool");
    assert!(store.delete_pool(POOL).await.unwrap());
    assert!(store.list_pool_keys(POOL).await.unwrap().is_empty());
}

async fn one_of_many_rotates(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    store
        .init_pool_keys(POOL, &[generation(1, b"one", false)])
        .await
        .unwrap();
    let start = Arc::new(tokio::sync::Barrier::new(10));
    let mut handles = Vec::new();
    for i in 0..10u8 {
        let (store, start): (Arc<dyn Store>, _) = (store.clone(), start.clone());
        handles.push(tokio::spawn(async move {
            start.wait().await;
            store.rotate_pool_keys(1, &generation(2, &[i], false)).await
        }));
    }
    let mut wins = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(()) => wins += 1,
            Err(StoreError::Stale) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(wins, 1);
    let stored = store.list_pool_keys(POOL).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored[0].retired_at.is_some() && stored[1].retired_at.is_none());
}
