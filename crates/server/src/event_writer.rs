//! Auth events written in batches (group commit): a sign-in step hands its event to a
//! writer task and answers at once; the writer gathers the steps that arrive within a few
//! milliseconds and records them in one statement. Each step was one more statement and
//! commit on the sign-in's path (a thread hop to SQLite's connection each); a batch
//! shares one among all of its steps.
//!
//! Reads of events flush first, so this node's steps are always seen by its own reads.
//! What is given up: another node sees a step up to [`LINGER`] later, and a crash loses
//! the steps of its last [`LINGER`] (a stop flushes them). Events were already
//! best-effort: a failure to record one was logged, never the sign-in's.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use keystep_core::auth_event::{merge_steps, AuthEvent};
use keystep_core::ports::{AuthEventSink, Store};
use keystep_core::{Millis, StoreError};
use tokio::sync::{mpsc, oneshot};

/// How long the writer waits after a batch's first step for more.
pub const LINGER: Duration = Duration::from_millis(10);
/// Steps in one statement at most (9 parameters each, well under SQLite's limit).
const MAX_BATCH: usize = 256;
/// Steps waiting at most; past it, steps wait for room (backpressure, never loss).
const QUEUE: usize = 4096;

enum Message {
    Step(Box<(AuthEvent, Millis)>),
    Flush(oneshot::Sender<()>),
}

/// The batching [`AuthEventSink`]; its writer runs until every handle is dropped.
pub struct BatchedAuthEvents {
    queue: mpsc::Sender<Message>,
}

impl BatchedAuthEvents {
    /// Starts the writer on the current Tokio runtime.
    pub fn start(store: Arc<dyn Store>) -> BatchedAuthEvents {
        let (queue, inbox) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(store, inbox));
        BatchedAuthEvents { queue }
    }
}

#[async_trait]
impl AuthEventSink for BatchedAuthEvents {
    async fn record(&self, event: AuthEvent, expires_at: Millis) {
        if self
            .queue
            .send(Message::Step(Box::new((event, expires_at))))
            .await
            .is_err()
        {
            tracing::warn!("the auth event writer has stopped; an event was not recorded");
        }
    }

    async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.queue.send(Message::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

async fn write_batches(store: Arc<dyn Store>, mut inbox: mpsc::Receiver<Message>) {
    while let Some(first) = inbox.recv().await {
        let mut steps = Vec::new();
        let mut flushes = Vec::new();
        let mut flushing = take(first, &mut steps, &mut flushes);
        if !flushing {
            // Wait a little for other sign-ins' steps, unless someone wants them read.
            let deadline = tokio::time::Instant::now() + LINGER;
            while steps.len() < MAX_BATCH && !flushing {
                match tokio::time::timeout_at(deadline, inbox.recv()).await {
                    Ok(Some(m)) => flushing = take(m, &mut steps, &mut flushes),
                    Ok(None) | Err(_) => break,
                }
            }
        }
        while steps.len() < MAX_BATCH {
            match inbox.try_recv() {
                Ok(m) => {
                    take(m, &mut steps, &mut flushes);
                }
                Err(_) => break,
            }
        }
        write(&*store, steps).await;
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// Adds a message to the batch; whether it asks for a flush.
fn take(
    m: Message,
    steps: &mut Vec<(AuthEvent, Millis)>,
    flushes: &mut Vec<oneshot::Sender<()>>,
) -> bool {
    match m {
        Message::Step(step) => {
            steps.push(*step);
            false
        }
        Message::Flush(done) => {
            flushes.push(done);
            true
        }
    }
}

async fn write(store: &dyn Store, steps: Vec<(AuthEvent, Millis)>) {
    let merged = merge_steps(steps);
    match store.record_auth_events(&merged).await {
        Ok(()) => {}
        // One event's user is gone: record the others one by one.
        Err(StoreError::NotFound) => {
            for (event, expires_at) in &merged {
                match store.record_auth_event(event, *expires_at).await {
                    Ok(()) | Err(StoreError::NotFound) => {}
                    Err(e) => tracing::warn!(error = %e, "recording an auth event failed"),
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "recording auth events failed"),
    }
}
