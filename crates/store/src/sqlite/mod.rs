//! The SQLite backend: the embedded default.
//!
//! One database file in WAL mode (readers never wait for the writer), foreign keys on,
//! and a busy timeout so concurrent writers queue instead of failing. Write transactions
//! start with `BEGIN IMMEDIATE`, taking the write lock up front, so two of them never
//! deadlock upgrading read locks; what still finds the database busy is retried.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Row;

use keystep_core::StoreError;

use crate::error::{backend, retry, Fail};
use crate::lane::Lane;
use crate::migration;

mod schema;
// Deliberately compiled once per backend: see `sql/mod.rs`.
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
mod sql;

/// The driver the shared statements in `sql/` run on.
type Db = sqlx::Sqlite;
/// The store type `sql/` implements [`keystep_core::ports::Store`] for.
type ThisStore = SqliteStore;

/// How long a connection waits for another's write lock before reporting busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections in the pool of a database file.
const MAX_CONNECTIONS: u32 = 8;

/// The [`keystep_core::ports::Store`] on an SQLite database.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The hot statements' way around sqlx's connection threads (see `lane.rs`); none
    /// for an in-memory database, or with `lane=off`.
    lane: Option<Arc<Lane>>,
}

impl SqliteStore {
    /// Connects to `sqlite://path` or `sqlite:path` (creating the file, and its directory,
    /// if missing) or `sqlite::memory:` (a private in-memory database on one connection;
    /// it lives as long as the store). Does not migrate: see [`SqliteStore::migrate`].
    ///
    /// `?synchronous=full` (Keystep's own parameter, taken out before the URL reaches the
    /// driver) makes every commit wait for the disk: a power loss then loses no committed
    /// transaction. The default, `normal` in WAL mode, survives a crash of the process but
    /// may lose the last commits on a power loss.
    ///
    /// `?lane=off` (also Keystep's own) runs every statement through sqlx, none on the
    /// fast lane; the lane is also off when the URL carries driver parameters of its own.
    pub async fn connect(database_url: &str) -> Result<SqliteStore, StoreError> {
        let (database_url, lane_on) = take_lane(database_url)?;
        let (database_url, synchronous) = take_synchronous(&database_url)?;
        let database_url = database_url.as_str();
        let in_memory = database_url.contains(":memory:") || database_url.contains("mode=memory");
        let mut options = SqliteConnectOptions::from_str(database_url)
            .map_err(|e| backend(&e))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool_options = if in_memory {
            // Each connection would otherwise see its own (or a table-locked shared)
            // in-memory database; one connection that never closes keeps it whole.
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            options = options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous);
            if let Some(dir) = options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    tokio::fs::create_dir_all(dir).await.map_err(|e| {
                        StoreError::Backend(format!("creating the database directory: {e}"))
                    })?;
                }
            }
            SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS)
        };
        // No ping before each use: a connection to a local file cannot go stale, and the
        // ping is one more hop to the connection's worker thread (two context switches) on
        // every statement, a large share of the CPU of a store-bound request.
        let pool = pool_options
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await
            .map_err(|e| backend(&e))?;
        let lane = if lane_on && !in_memory && !database_url.contains('?') {
            let full = matches!(synchronous, SqliteSynchronous::Full);
            Some(Arc::new(Lane::open(options.get_filename(), full)?))
        } else {
            None
        };
        Ok(SqliteStore { pool, lane })
    }

    /// Applies the migrations this database lacks, in one `BEGIN IMMEDIATE` transaction
    /// (so processes starting together take turns). Idempotent.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        retry(|| migrate(&self.pool)).await
    }

    /// Closes every connection (waiting for those in use).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

async fn migrate(pool: &SqlitePool) -> Result<(), Fail> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS keystep_migrations (
            version    INTEGER NOT NULL PRIMARY KEY,
            applied_at INTEGER NOT NULL
        ) STRICT",
    )
    .execute(&mut *tx)
    .await?;
    let applied = sqlx::query("SELECT version FROM keystep_migrations")
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("version"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut ran = Vec::new();
    for m in schema::MIGRATIONS
        .iter()
        .filter(|m| !applied.contains(&m.version))
    {
        for statement in m.statements {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO keystep_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(m.version)
            .bind(migration::now_millis())
            .execute(&mut *tx)
            .await?;
        ran.push(m);
    }
    tx.commit().await?;
    migration::report("sqlite", &applied, schema::MIGRATIONS, &ran);
    Ok(())
}

impl SqliteStore {
    /// Writes a consistent copy of the live database to `to` (`VACUUM INTO`: one read
    /// transaction, so writers carry on and the copy is one instant of the database),
    /// then checks the copy's integrity. `to` must not exist.
    pub async fn backup_to(&self, to: &std::path::Path) -> Result<(), StoreError> {
        if to.exists() {
            return Err(StoreError::Backend(format!(
                "{} exists already; back up to a new file",
                to.display()
            )));
        }
        let target = to
            .to_str()
            .ok_or_else(|| StoreError::Backend("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(|e| backend(&e))?;
        let copy = SqliteConnectOptions::new().filename(to).read_only(true);
        let mut conn = sqlx::ConnectOptions::connect(&copy)
            .await
            .map_err(|e| backend(&e))?;
        let row = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| backend(&e))?;
        let verdict: String = row.try_get(0).map_err(|e| backend(&e))?;
        if verdict != "ok" {
            return Err(StoreError::Backend(format!(
                "the copy failed its integrity check: {verdict}"
            )));
        }
        Ok(())
    }
}

/// Splits Keystep's `synchronous=normal|full` parameter off a SQLite URL.
fn take_synchronous(url: &str) -> Result<(String, SqliteSynchronous), StoreError> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), SqliteSynchronous::Normal));
    };
    let mut synchronous = SqliteSynchronous::Normal;
    let mut rest = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("synchronous", "normal")) => synchronous = SqliteSynchronous::Normal,
            Some(("synchronous", "full")) => synchronous = SqliteSynchronous::Full,
            Some(("synchronous", _)) => {
                return Err(StoreError::Backend(
                    "synchronous must be normal or full".into(),
                ))
            }
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, synchronous))
}

/// Splits Keystep's `lane=on|off` parameter off a SQLite URL.
fn take_lane(url: &str) -> Result<(String, bool), StoreError> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), true));
    };
    let mut on = true;
    let mut rest = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("lane", "on")) => on = true,
            Some(("lane", "off")) => on = false,
            Some(("lane", _)) => return Err(StoreError::Backend("lane must be on or off".into())),
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, on))
}

/// Where SQLite's SQL differs from PostgreSQL's, for `sql/`.
mod dialect {
    use crate::lane::Lane;

    /// The store's fast lane, if it has one.
    pub(super) fn lane(store: &super::SqliteStore) -> Option<&Lane> {
        store.lane.as_deref()
    }

    use sqlx::sqlite::SqlitePool;
    use sqlx::{Sqlite, Transaction};

    /// Starts a write transaction holding the write lock from its first statement.
    pub(super) async fn begin(
        pool: &SqlitePool,
    ) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Nothing: SQLite runs one writer at a time, so claimers never meet.
    pub(super) const SKIP_LOCKED: &str = "";

    /// The text of `attribute` in the JSON object `u.attributes` (NULL when absent).
    /// `attribute` is one of a fixed list of plain names.
    pub(super) fn json_attribute(attribute: &'static str) -> String {
        format!("json_extract(u.attributes, '$.{attribute}')")
    }

    /// Every `(table, column)` of the database, as two TEXT columns.
    pub(super) const SCHEMA_COLUMNS: &str = "SELECT m.name, p.name FROM sqlite_master AS m \
         JOIN pragma_table_info(m.name) AS p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";

    /// What lets an `INSERT` set an autoincrement column: nothing.
    pub(super) const INSERT_IDENTITY: &str = "";

    /// After explicit values went into an autoincrement column: nothing to do, SQLite
    /// continues after the largest.
    pub(super) async fn sync_identity(
        _tx: &mut Transaction<'static, Sqlite>,
        _table: &str,
        _column: &str,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keysteps_synchronous_parameter_is_taken_out_of_the_url() {
        let (url, s) = take_synchronous("sqlite://./k.db?synchronous=full").unwrap();
        assert_eq!(url, "sqlite://./k.db");
        assert!(matches!(s, SqliteSynchronous::Full));
        let (url, s) = take_synchronous("sqlite://./k.db?mode=rwc&synchronous=normal").unwrap();
        assert_eq!(url, "sqlite://./k.db?mode=rwc");
        assert!(matches!(s, SqliteSynchronous::Normal));
        let (url, s) = take_synchronous("sqlite://./k.db").unwrap();
        assert_eq!(url, "sqlite://./k.db");
        assert!(matches!(s, SqliteSynchronous::Normal));
        assert!(take_synchronous("sqlite://./k.db?synchronous=off").is_err());
    }

    #[test]
    fn keysteps_lane_parameter_is_taken_out_of_the_url() {
        let (url, on) = take_lane("sqlite://./k.db?lane=off&synchronous=full").unwrap();
        assert_eq!(url, "sqlite://./k.db?synchronous=full");
        assert!(!on);
        let (url, on) = take_lane("sqlite://./k.db").unwrap();
        assert_eq!(url, "sqlite://./k.db");
        assert!(on);
        assert!(take_lane("sqlite://./k.db?lane=maybe").is_err());
    }
}
