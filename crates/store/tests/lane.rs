//! SQLite's fast lane: the hot statements run on it, and a statement it cannot run at once
//! (another connection holds the write lock) goes through the pool and still succeeds.
//!
//! One test per binary on purpose: the store's meter is per process, so the counts below
//! are this test's alone.

// Test code: a failed expectation is a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use sqlx::{Connection, Executor, SqliteConnection};

#[allow(dead_code)]
#[path = "contract/fixtures.rs"]
mod fixtures;

use fixtures::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_statements_take_the_lane_and_fall_back_when_the_database_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keystep.db");
    let url = format!("sqlite://{}", path.display());
    let store = keystep_store::open(&url).await.unwrap();
    seed(&*store).await;
    let user = seed_user(&*store, POOL, "alice").await;

    // Six hot statements: four reads and two writes.
    let before = store.stats();
    let (client, pool) = store.get_client_with_pool(CLIENT).await.unwrap().unwrap();
    assert_eq!(
        (client.client_id.as_str(), pool.id.as_str()),
        (CLIENT, POOL)
    );
    let found = store.get_user(POOL, &user.username_key).await.unwrap();
    assert_eq!(found.map(|u| u.sub), Some(user.sub.clone()));
    assert!(store
        .groups_of_user(POOL, &user.sub)
        .await
        .unwrap()
        .is_empty());
    assert!(store.get_counter("k").await.unwrap().is_none());
    store.put_counter("k", "{}", T0, None).await.unwrap();
    let token = refresh_token(&user, CLIENT, b"hash-1", "origin-1");
    store.insert_refresh_token(&token).await.unwrap();
    let after = store.stats();
    assert_eq!(after.lane_statements - before.lane_statements, 6);
    assert_eq!(after.lane_fallbacks, before.lane_fallbacks);

    // Another connection takes SQLite's write lock and keeps it for a moment: the lane
    // does not wait on the request's thread, the pool does, and the write lands.
    let mut other = SqliteConnection::connect(&url).await.unwrap();
    other.execute("BEGIN IMMEDIATE").await.unwrap();
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        other.execute("COMMIT").await.unwrap();
        other.close().await.unwrap();
    });
    let before = store.stats();
    store
        .put_counter("k", r#"{"n":1}"#, T0, Some(0))
        .await
        .unwrap();
    let after = store.stats();
    release.await.unwrap();
    assert_eq!(after.lane_fallbacks - before.lane_fallbacks, 1);
    assert_eq!(after.lane_statements, before.lane_statements);
    let row = store.get_counter("k").await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.version), (r#"{"n":1}"#, 1));

    // With `lane=off` nothing takes the lane.
    let off = keystep_store::open(&format!("{url}?lane=off"))
        .await
        .unwrap();
    let before = off.stats();
    assert!(off
        .get_user(POOL, &user.username_key)
        .await
        .unwrap()
        .is_some());
    let after = off.stats();
    assert_eq!(after.lane_statements, before.lane_statements);
}
