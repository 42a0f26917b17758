//! Background housekeeping: every so often, delete what has expired (sign-in sessions,
//! one-time codes, single-use records, refresh tokens, revoked-sign-in markers).
//!
//! Deletion goes in batches of at most [`BATCH`] rows per table, with a short pause
//! between batches, so no statement holds locks for long and requests keep flowing. Every
//! node may run it: the deletes are idempotent, and two nodes purging at once only find
//! less to do. A failed pass is logged and retried at the next interval; it never stops
//! the server.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use keystep_core::service::Keystep;
use keystep_core::StoreError;

/// The default time between two passes.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);

/// Rows deleted per table and statement.
pub const BATCH: u32 = 500;

/// The pause between two batches of one pass.
const BATCH_PAUSE: Duration = Duration::from_millis(20);

/// Most batches in one pass; whatever is left waits for the next pass.
const MAX_BATCHES: u32 = 1_000;

/// Runs passes every `interval` until `shutdown` completes. The first pass comes after a
/// random part of one interval, so nodes started together do not purge in step.
/// Never panics; store errors are logged and the next pass tries again.
pub async fn run(keystep: Keystep, interval: Duration, shutdown: impl Future<Output = ()>) {
    let mut shutdown = std::pin::pin!(shutdown);
    // A zero interval would spin.
    let interval = interval.max(Duration::from_millis(10));
    let mut wait = first_wait(&keystep, interval);
    tracing::debug!(interval_secs = interval.as_secs(), "housekeeping started");
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            () = tokio::time::sleep(wait) => {}
        }
        wait = interval;
        match purge(&keystep, BATCH, shutdown.as_mut()).await {
            Ok(Pass {
                rows,
                batches,
                stopped,
            }) => {
                if rows > 0 {
                    tracing::info!(rows, batches, "housekeeping: expired rows deleted");
                } else {
                    tracing::debug!("housekeeping: nothing expired");
                }
                if stopped {
                    break;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "housekeeping pass failed; retrying at the next interval");
            }
        }
    }
    tracing::debug!("housekeeping stopped");
}

/// One complete pass: deletes expired rows in batches of `batch` per table until a batch
/// comes back short. Returns how many rows went.
pub async fn purge_once(keystep: &Keystep, batch: u32) -> Result<u64, StoreError> {
    let never = std::pin::pin!(std::future::pending::<()>());
    purge(keystep, batch, never).await.map(|p| p.rows)
}

/// What one pass did.
struct Pass {
    rows: u64,
    batches: u32,
    /// Shutdown came between two batches.
    stopped: bool,
}

async fn purge<F: Future<Output = ()>>(
    keystep: &Keystep,
    batch: u32,
    mut shutdown: Pin<&mut F>,
) -> Result<Pass, StoreError> {
    let batch = batch.max(1);
    let mut pass = Pass {
        rows: 0,
        batches: 0,
        stopped: false,
    };
    loop {
        let now = keystep.clock.now();
        let removed = keystep.store.purge_expired(now, batch).await?;
        pass.rows += removed;
        pass.batches += 1;
        // `batch` is per table: a total below it means every table came back short.
        if removed < u64::from(batch) || pass.batches >= MAX_BATCHES {
            return Ok(pass);
        }
        tokio::select! {
            () = shutdown.as_mut() => {
                pass.stopped = true;
                return Ok(pass);
            }
            () = tokio::time::sleep(BATCH_PAUSE) => {}
        }
    }
}

/// A random wait in `[interval / 10, interval)`.
fn first_wait(keystep: &Keystep, interval: Duration) -> Duration {
    let mut bytes = [0u8; 2];
    keystep.rng.fill(&mut bytes);
    let fraction = f64::from(u16::from_le_bytes(bytes)) / 65_536.0;
    interval.mul_f64(0.1 + 0.9 * fraction)
}
