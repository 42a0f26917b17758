//! The password lockout judged first and settled after, over a real SQLite store: the
//! interleavings that decide whether a guess is answered for what it is.
//!
//! Here rather than beside the code for the reason `user_lifecycle.rs` gives: only an
//! integration test sees one `Store` trait on both sides.

// Helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use keystep_core::limits::{Lock, Subject};
use keystep_core::message::OutgoingMessage;
use keystep_core::ports::{DeliveryError, Messenger};

use common::TestClock;
use keystep_core::service::Keystep;
use keystep_core::AuthError;

/// Nothing is sent in these tests.
struct Nowhere;

#[async_trait::async_trait]
impl Messenger for Nowhere {
    async fn send(&self, _: &OutgoingMessage) -> Result<(), DeliveryError> {
        Ok(())
    }
}

async fn service() -> (Keystep, Arc<TestClock>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let store = keystep_store::open(&url).await.unwrap();
    let clock = Arc::new(TestClock::new());
    let ks = common::keystep(store, clock.clone(), Arc::new(Nowhere));
    (ks, clock, dir)
}

const ALICE: Subject<'static> = Subject::User {
    pool_id: "us-east-1_test",
    sub: "alice",
};

fn is_locked_out(r: &Result<(), AuthError>) -> bool {
    matches!(r, Err(AuthError::NotAuthorized(m)) if m == "Password attempts exceeded")
}

async fn fail(ks: &Keystep, times: usize) {
    for _ in 0..times {
        ks.refuse_if_locked(Lock::Password, &ALICE).await.unwrap();
        ks.settle_attempt(Lock::Password, &ALICE, false)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_right_password_settled_after_a_lock_began_is_refused() {
    let (ks, _clock, _dir) = service().await;
    // The right password passed the gate while nobody had failed...
    ks.refuse_if_locked(Lock::Password, &ALICE).await.unwrap();
    // ...and five wrong ones were settled while it was being judged.
    fail(&ks, 5).await;
    let settled = ks.settle_attempt(Lock::Password, &ALICE, true).await;
    assert!(is_locked_out(&settled), "{settled:?}");
    // It did not clear the lock either.
    let gate = ks.refuse_if_locked(Lock::Password, &ALICE).await;
    assert!(is_locked_out(&gate), "{gate:?}");
}

#[tokio::test]
async fn a_wrong_password_settled_after_a_lock_began_is_refused_and_not_counted() {
    let (ks, clock, _dir) = service().await;
    ks.refuse_if_locked(Lock::Password, &ALICE).await.unwrap();
    fail(&ks, 5).await;
    let settled = ks.settle_attempt(Lock::Password, &ALICE, false).await;
    assert!(is_locked_out(&settled), "{settled:?}");
    // Not counted: the lock is still the first one (1 s), not a doubled one.
    clock.advance_secs(1);
    ks.refuse_if_locked(Lock::Password, &ALICE).await.unwrap();
}

#[tokio::test]
async fn a_right_password_forgets_the_failures_before_it() {
    let (ks, _clock, _dir) = service().await;
    fail(&ks, 4).await;
    ks.refuse_if_locked(Lock::Password, &ALICE).await.unwrap();
    ks.settle_attempt(Lock::Password, &ALICE, true)
        .await
        .unwrap();
    // Four more failures do not lock: the count started over.
    fail(&ks, 4).await;
    ks.refuse_if_locked(Lock::Password, &ALICE).await.unwrap();
    fail(&ks, 1).await;
    let gate = ks.refuse_if_locked(Lock::Password, &ALICE).await;
    assert!(is_locked_out(&gate), "{gate:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_a_parallel_burst_of_wrong_passwords_five_are_answered() {
    let (ks, _clock, _dir) = service().await;
    let ks = Arc::new(ks);
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let ks = ks.clone();
            tokio::spawn(async move {
                ks.refuse_if_locked(Lock::Password, &ALICE).await?;
                ks.settle_attempt(Lock::Password, &ALICE, false).await
            })
        })
        .collect();
    let mut answered = 0;
    for task in tasks {
        let r = task.await.unwrap();
        if r.is_ok() {
            answered += 1;
        } else {
            assert!(is_locked_out(&r), "{r:?}");
        }
    }
    assert_eq!(answered, 5);
}
