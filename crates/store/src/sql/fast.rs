//! Choosing, statement by statement, between the fast lane and sqlx.
//!
//! A hot operation is written twice over the same SQL: once for sqlx (every backend) and
//! once for a rusqlite connection (`_now`), which the SQLite store runs on its lane
//! (`crate::lane`). When there is no lane (PostgreSQL, an in-memory database, `lane=off`),
//! or the lane cannot run the statement at once, the sqlx version runs, with the usual
//! retries.

use std::future::Future;

use rusqlite::Connection;

use keystep_core::StoreError;

use super::{dialect, ThisStore};
use crate::error::{is_retryable, retry, Fail};
use crate::lane::Access;
use crate::meter::METER;

impl ThisStore {
    /// Reads with `now` on the lane, or with `later` through sqlx.
    pub(super) async fn read_or<T, F, Fut>(
        &self,
        now: impl FnOnce(&Connection) -> Result<T, Fail>,
        later: F,
    ) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Fail>>,
    {
        self.lane_or(Access::Read, now, later).await
    }

    /// Writes with `now` (one statement) on the lane, or with `later` through sqlx.
    pub(super) async fn write_or<T, F, Fut>(
        &self,
        now: impl FnOnce(&Connection) -> Result<T, Fail>,
        later: F,
    ) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Fail>>,
    {
        self.lane_or(Access::Write, now, later).await
    }

    async fn lane_or<T, F, Fut>(
        &self,
        access: Access,
        now: impl FnOnce(&Connection) -> Result<T, Fail>,
        later: F,
    ) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Fail>>,
    {
        if let Some(lane) = dialect::lane(self) {
            let started = std::time::Instant::now();
            if let Some(done) = lane.run(access, now) {
                if let Some(answer) = settled(done, started) {
                    return answer;
                }
            }
            METER.lane_fallback();
        }
        retry(later).await
    }
}

/// The lane's answer, unless SQLite was busy (then sqlx runs the statement, waiting for
/// the lock off this thread). A busy statement changed nothing: SQLite refuses it whole.
fn settled<T>(done: Result<T, Fail>, started: std::time::Instant) -> Option<Result<T, StoreError>> {
    if matches!(&done, Err(e) if is_retryable(e)) {
        return None;
    }
    let failed = matches!(&done, Err(Fail::Sql(_) | Fail::Lite(_)));
    METER.on_lane();
    METER.record(started.elapsed(), failed);
    Some(done.map_err(StoreError::from))
}
