//! The SQLite fast lane: the hot statements run on the caller's own thread.
//!
//! sqlx runs each SQLite connection on a thread of its own, so every statement is a trip
//! to that thread and back, two or more context switches, which profiling found to be
//! the largest cost of a sign-in after its cryptography (`docs/performance.md`). The
//! lane keeps rusqlite connections to the same database file and runs the statements of
//! the hot path (the reads and single-statement writes of sign-in, refresh and
//! `GetUser`) right where the request is, in microseconds, without a hand-off.
//!
//! It never waits: a reader comes from a small idle list or is opened; the one writer
//! is taken with `try_lock` and its busy timeout is zero. Whenever the lane cannot run
//! a statement at once (the writer is in use, another connection holds SQLite's write
//! lock, the database is busy), it says so and the caller runs the same statement
//! through sqlx, which waits off the request's thread. Both paths run the same SQL on
//! the same file with the same settings (WAL, foreign keys, `synchronous`), so they are
//! interchangeable statement by statement, and the store contract suite holds each to
//! the same answers.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, Statement};

use keystep_core::StoreError;

use crate::cols::LiteRow;
use crate::error::Fail;
use crate::params::Param;

/// Idle readers kept for reuse; more may be open at once, the rest are closed.
const IDLE_READERS: usize = 8;
/// After how many WAL frames a commit of the lane's writer copies the WAL back into the
/// database (SQLite's default is 1,000). A checkpoint copies each changed page once,
/// however often it was committed since the last one, and the hot tables are a few pages
/// committed hundreds of times a second: ten times fewer checkpoints do about a tenth of
/// the copying and `fsync`s (measured: about 5% of a password sign-in's CPU). The price
/// is a WAL of up to about 40 MiB (4 KiB pages) before SQLite reuses it, and a
/// checkpoint (with its `fsync`s) on the request's thread that makes the commit passing
/// the mark. Checkpointing `PASSIVE` from a thread of its own instead was tried: under a
/// steady write load the WAL is never wholly copied back, so SQLite never rewinds it, and
/// it grew past 290 MiB in 8 s.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 10_000;
/// Prepared statements each connection keeps.
const STATEMENT_CACHE: usize = 64;

/// What a statement does to the database, which decides the connection it runs on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Access {
    /// Reads only: any reader.
    Read,
    /// One statement that writes: the writer.
    Write,
}

/// rusqlite connections to one SQLite database file, for the hot statements.
pub(crate) struct Lane {
    path: PathBuf,
    synchronous_full: bool,
    readers: Mutex<Vec<Connection>>,
    /// `None` when writes do not take the lane: with `synchronous=full` every commit
    /// waits for the disk, which must not happen on a request's thread.
    writer: Option<Mutex<Connection>>,
}

impl std::fmt::Debug for Lane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lane")
            .field("path", &self.path)
            .field("writes", &self.writer.is_some())
            .finish()
    }
}

impl Lane {
    /// Opens the lane's writer on `path` (a database sqlx has created and migrated).
    pub(crate) fn open(path: &Path, synchronous_full: bool) -> Result<Lane, StoreError> {
        let mut lane = Lane {
            path: path.to_path_buf(),
            synchronous_full,
            readers: Mutex::new(Vec::new()),
            writer: None,
        };
        if !synchronous_full {
            let writer = lane
                .connect(false)
                .map_err(|e| StoreError::from(Fail::from(e)))?;
            lane.writer = Some(Mutex::new(writer));
        }
        Ok(lane)
    }

    fn connect(&self, query_only: bool) -> Result<Connection, rusqlite::Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        // Never wait for another connection's lock here: the caller's thread serves other
        // requests. A busy answer sends the statement through sqlx instead.
        conn.busy_timeout(std::time::Duration::ZERO)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(
            None,
            "synchronous",
            if self.synchronous_full {
                "FULL"
            } else {
                "NORMAL"
            },
        )?;
        if query_only {
            conn.pragma_update(None, "query_only", true)?;
        }
        if !query_only {
            conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        }
        Ok(conn)
    }

    /// Runs `f` on a reader or on the writer; `None` when the lane cannot take it now.
    pub(crate) fn run<T>(
        &self,
        access: Access,
        f: impl FnOnce(&Connection) -> Result<T, Fail>,
    ) -> Option<Result<T, Fail>> {
        match access {
            Access::Read => self.read(f),
            Access::Write => self.write(f),
        }
    }

    /// Runs `f` on the writer when it is free, else on a reader; `None` when no reader
    /// could be had.
    ///
    /// The writer first because its page cache stays warm: SQLite drops a connection's
    /// whole cache whenever another connection has committed, so on a reader nearly every
    /// statement after a write reads its pages again from the files (measured: 16 `pread`s
    /// per password sign-in with reads on readers, 5 with reads on the writer). The
    /// writer's own commits leave its cache as is.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Fail>) -> Option<Result<T, Fail>> {
        if let Some(writer) = self.writer.as_ref().and_then(|w| w.try_lock().ok()) {
            return Some(f(&writer));
        }
        let idle = self.readers.lock().ok()?.pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.connect(true).ok()?,
        };
        let done = f(&conn);
        if let Ok(mut idle) = self.readers.lock() {
            if idle.len() < IDLE_READERS {
                idle.push(conn);
            }
        }
        Some(done)
    }

    /// Runs `f` (one statement: SQLite commits it by itself) on the writer; `None` when
    /// writes do not take the lane or the writer is in use.
    fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Fail>) -> Option<Result<T, Fail>> {
        let writer = self.writer.as_ref()?.try_lock().ok()?;
        Some(f(&writer))
    }
}

/// Prepares `sql` (cached per connection) and binds `params` to its `$1, $2, ...`.
///
/// SQLite numbers `$N` parameters in the order they first appear in the text, not by
/// `N`, so each is bound by its name.
fn prepare<'c>(
    conn: &'c Connection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<rusqlite::CachedStatement<'c>, Fail> {
    let mut stmt = conn.prepare_cached(sql)?;
    bind(&mut stmt, params)?;
    Ok(stmt)
}

/// The names of the first parameters [`bind`] binds, in order (the rest are formatted).
const PARAMETERS: [&str; 16] = [
    "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
    "$16",
];

fn bind(stmt: &mut Statement<'_>, params: &[Param<'_>]) -> Result<(), Fail> {
    for (i, value) in params.iter().enumerate() {
        let formatted;
        let name = match PARAMETERS.get(i) {
            Some(name) => *name,
            None => {
                formatted = format!("${}", i + 1);
                formatted.as_str()
            }
        };
        let index = stmt.parameter_index(name)?.ok_or_else(|| {
            Fail::Store(StoreError::Backend(format!(
                "statement has no parameter {name}"
            )))
        })?;
        stmt.raw_bind_parameter(index, value)?;
    }
    Ok(())
}

/// The first row of `sql`, decoded by `decode`, or `None`.
pub(crate) fn one<T>(
    conn: &Connection,
    sql: &str,
    params: &[Param<'_>],
    decode: impl FnOnce(&LiteRow<'_, '_>) -> Result<T, Fail>,
) -> Result<Option<T>, Fail> {
    let mut stmt = prepare(conn, sql, params)?;
    let mut rows = stmt.raw_query();
    match rows.next()? {
        Some(row) => decode(&LiteRow::new(row)).map(Some),
        None => Ok(None),
    }
}

/// Every row of `sql`, each decoded by `decode`.
pub(crate) fn all<T>(
    conn: &Connection,
    sql: &str,
    params: &[Param<'_>],
    mut decode: impl FnMut(&LiteRow<'_, '_>) -> Result<T, Fail>,
) -> Result<Vec<T>, Fail> {
    let mut stmt = prepare(conn, sql, params)?;
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode(&LiteRow::new(row))?);
    }
    Ok(out)
}

/// Runs `sql`; how many rows it changed.
pub(crate) fn execute(conn: &Connection, sql: &str, params: &[Param<'_>]) -> Result<u64, Fail> {
    let mut stmt = prepare(conn, sql, params)?;
    let changed = stmt.raw_execute()?;
    Ok(changed as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cols::Cols;

    #[test]
    fn columns_are_found_by_name_in_any_order_and_a_missing_one_is_an_error() {
        let conn = Connection::open_in_memory().unwrap();
        let got = one(&conn, "SELECT 1 AS a, 'two' AS b, 3 AS c", &[], |row| {
            let c: i64 = row.col("c")?;
            let a: i64 = row.col("A")?;
            let b: String = row.col("b")?;
            let c_again: i64 = row.col("c")?;
            Ok((a, b, c, c_again, row.col::<i64>("d").is_err()))
        })
        .unwrap();
        assert_eq!(got, Some((1, "two".to_string(), 3, 3, true)));
    }

    #[test]
    fn parameters_bind_by_their_number_not_by_their_order() {
        let conn = Connection::open_in_memory().unwrap();
        let got = one(
            &conn,
            "SELECT $2 || '-' || $1 AS v",
            &crate::params::params!["one", "two"],
            |row| row.col::<String>("v"),
        )
        .unwrap();
        assert_eq!(got.as_deref(), Some("two-one"));
    }

    #[test]
    fn a_missing_parameter_is_an_error_not_a_silent_null() {
        let conn = Connection::open_in_memory().unwrap();
        let got = one(
            &conn,
            "SELECT $1 AS v",
            &crate::params::params![1_i64, 2_i64],
            |row| row.col::<i64>("v"),
        );
        assert!(got.is_err());
    }
}
