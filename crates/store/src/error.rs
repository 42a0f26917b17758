//! Failures inside the store, how they become [`StoreError`]s, and the retry of
//! operations that lost a lock or a serialization race.

use std::future::Future;
use std::time::Duration;

use keystep_core::StoreError;
use sqlx::error::ErrorKind;

/// A failure inside the store: a driver error (maybe worth retrying) or an answer the
/// port already defines.
#[derive(Debug)]
pub(crate) enum Fail {
    /// The database failed, under sqlx.
    Sql(sqlx::Error),
    /// The database failed, under rusqlite (the SQLite fast lane).
    Lite(rusqlite::Error),
    /// A defined outcome: `Conflict`, `Stale`, `NotFound`, or a corrupt row.
    Store(StoreError),
}

impl From<sqlx::Error> for Fail {
    fn from(e: sqlx::Error) -> Self {
        Fail::Sql(e)
    }
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        Fail::Lite(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::Store(e)
    }
}

impl From<Fail> for StoreError {
    fn from(f: Fail) -> Self {
        match f {
            Fail::Store(e) => e,
            Fail::Sql(e) => backend(&e),
            Fail::Lite(e) => StoreError::Backend(e.to_string()),
        }
    }
}

/// A driver error as [`StoreError::Backend`]. Database messages name constraints and
/// tables, never bound values; connection errors never carry the URL's password.
pub(crate) fn backend(e: &sqlx::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// A row that does not decode (bad JSON, unknown enum name): the database holds
/// something this version does not understand.
pub(crate) fn corrupt(what: &str, cause: impl std::fmt::Display) -> Fail {
    Fail::Store(StoreError::Backend(format!("corrupt {what}: {cause}")))
}

/// Maps an insert's failure: a unique violation becomes `Conflict(name)`, a foreign-key
/// violation (the pool, client, user or group it points at is gone) `NotFound`.
pub(crate) fn on_insert<E: Into<Fail>>(name: &str) -> impl FnOnce(E) -> Fail + '_ {
    move |e| {
        let e = e.into();
        match violation(&e) {
            Some((Violation::Unique, _)) => Fail::Store(StoreError::Conflict(name.to_string())),
            Some((Violation::ForeignKey, _)) => Fail::Store(StoreError::NotFound),
            None => e,
        }
    }
}

/// Whether a unique violation came from the constraint on `column` (SQLite names the
/// columns in its message, PostgreSQL names the constraint, which we name after them).
pub(crate) fn violates(e: &Fail, column: &str) -> bool {
    matches!(violation(e), Some((Violation::Unique, names)) if names.contains(column))
}

/// The constraints a write can break that the port gives a meaning to.
enum Violation {
    Unique,
    ForeignKey,
}

/// The constraint `e` broke, if any, with the text that names it (the message, and the
/// constraint's name where the driver reports one).
fn violation(e: &Fail) -> Option<(Violation, String)> {
    match e {
        Fail::Sql(e) => {
            let d = e.as_database_error()?;
            let kind = match d.kind() {
                ErrorKind::UniqueViolation => Violation::Unique,
                ErrorKind::ForeignKeyViolation => Violation::ForeignKey,
                _ => return None,
            };
            Some((
                kind,
                format!("{} {}", d.message(), d.constraint().unwrap_or("")),
            ))
        }
        Fail::Lite(rusqlite::Error::SqliteFailure(code, message)) => {
            let kind = match code.extended_code {
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => Violation::Unique,
                rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Violation::ForeignKey,
                _ => return None,
            };
            Some((kind, message.clone().unwrap_or_default()))
        }
        _ => None,
    }
}

/// Whether running the operation again may succeed: SQLite was busy or locked beyond its
/// busy timeout, or PostgreSQL aborted a transaction for serialization or deadlock.
pub(crate) fn is_retryable(e: &Fail) -> bool {
    match e {
        Fail::Sql(e) => is_retryable_sql(e),
        Fail::Lite(e) => is_busy(e),
        Fail::Store(_) => false,
    }
}

/// Whether SQLite answered busy or locked to rusqlite.
pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn is_retryable_sql(e: &sqlx::Error) -> bool {
    let Some(code) = e.as_database_error().and_then(|d| d.code()) else {
        return false;
    };
    matches!(
        code.as_ref(),
        // SQLite (extended) result codes: BUSY, BUSY_RECOVERY, BUSY_SNAPSHOT,
        // BUSY_TIMEOUT, LOCKED, LOCKED_SHAREDCACHE.
        "5" | "261" | "517" | "773" | "6" | "262"
        // PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected.
        | "40001" | "40P01"
    )
}

/// How many times an operation runs before its retryable failure is reported.
const ATTEMPTS: u32 = 8;

/// Runs `op` (one statement or one whole transaction) until it succeeds, fails for a
/// reason retrying cannot help, or [`ATTEMPTS`] runs are used; waits a little longer
/// (with jitter) after each lost race.
pub(crate) async fn retry<T, F, Fut>(mut op: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Fail>>,
{
    let mut delay_ms: u64 = 5;
    let mut attempt = 1;
    let started = std::time::Instant::now();
    loop {
        match op().await {
            Err(e) if attempt < ATTEMPTS && is_retryable(&e) => {
                tracing::debug!(attempt, error = ?e, "store operation lost a race; retrying");
                crate::meter::METER.retried();
                tokio::time::sleep(Duration::from_millis(delay_ms + jitter(delay_ms))).await;
                delay_ms = (delay_ms * 2).min(500);
                attempt += 1;
            }
            other => {
                // Domain outcomes (a conflict, a missing row) are answers, not failures.
                let failed = matches!(&other, Err(Fail::Sql(_) | Fail::Lite(_)));
                crate::meter::METER.record(started.elapsed(), failed);
                return other.map_err(StoreError::from);
            }
        }
    }
}

/// A number in `0..=max` that differs between racing callers (no cryptographic need).
fn jitter(max: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    nanos % (max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn retry_gives_up_on_non_retryable_errors_at_once() {
        let mut calls = 0;
        let r: Result<(), StoreError> = retry(|| {
            calls += 1;
            async { Err(Fail::Sql(sqlx::Error::RowNotFound)) }
        })
        .await;
        assert!(matches!(r, Err(StoreError::Backend(_))));
        assert_eq!(calls, 1);
    }

    #[tokio::test]
    async fn retry_passes_defined_outcomes_through() {
        let r: Result<(), StoreError> =
            retry(|| async { Err(Fail::Store(StoreError::Stale)) }).await;
        assert!(matches!(r, Err(StoreError::Stale)));
    }
}
