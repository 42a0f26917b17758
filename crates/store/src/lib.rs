//! Keystep's persistence: the domain's [`Store`] port for SQLite (the embedded default)
//! and PostgreSQL.
//!
//! Each backend has its own connection setup, dialect details and migrations
//! ([`sqlite`], [`postgres`]); the statements both understand alike live once, in
//! `src/sql/`, and are compiled into each backend against its own driver types (see
//! `sql/mod.rs`). Nothing outside this crate writes SQL.
//!
//! ```no_run
//! # async fn demo() -> Result<(), keystep_core::StoreError> {
//! let store = keystep_store::open("sqlite://./keystep.db").await?;
//! let pools = store.list_pools(None, 10).await?;
//! # let _ = pools; Ok(()) }
//! ```

use std::sync::Arc;

use keystep_core::ports::Store;
use keystep_core::StoreError;

mod codec;
mod migration;
mod error;
pub mod postgres;
pub mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// The kind of database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://path`, `sqlite:path` or `sqlite::memory:`.
    Sqlite,
    /// `postgres://...` or `postgresql://...`.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, by its scheme. The error never repeats the URL
    /// (it may carry a password).
    pub fn of_url(database_url: &str) -> Result<Backend, StoreError> {
        let scheme = database_url
            .split_once(':')
            .map(|(s, _)| s.to_ascii_lowercase())
            .unwrap_or_default();
        match scheme.as_str() {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StoreError::Backend(format!(
                "unsupported database URL scheme {scheme:?}: use sqlite:// or postgres://"
            ))),
        }
    }
}

/// Connects to the database `database_url` names, brings its schema up to date, and
/// returns it as the domain's [`Store`].
///
/// `sqlite://path` or `sqlite:path` (the file is created if missing; WAL journal,
/// foreign keys on, a busy timeout), `sqlite::memory:` (one connection, for tests),
/// `postgres://` or `postgresql://` (a pool with a statement timeout).
pub async fn open(database_url: &str) -> Result<Arc<dyn Store>, StoreError> {
    match Backend::of_url(database_url)? {
        Backend::Sqlite => {
            let store = SqliteStore::connect(database_url).await?;
            store.migrate().await?;
            Ok(Arc::new(store))
        }
        Backend::Postgres => {
            let store = PostgresStore::connect(database_url).await?;
            store.migrate().await?;
            Ok(Arc::new(store))
        }
    }
}

/// Brings the schema of the database `database_url` names up to date, then disconnects.
/// [`open`] does this itself; this is for a separate `migrate` step. Idempotent, and safe
/// when several nodes run it at once.
pub async fn migrate(database_url: &str) -> Result<(), StoreError> {
    match Backend::of_url(database_url)? {
        Backend::Sqlite => {
            let store = SqliteStore::connect(database_url).await?;
            let result = store.migrate().await;
            store.close().await;
            result
        }
        Backend::Postgres => {
            let store = PostgresStore::connect(database_url).await?;
            let result = store.migrate().await;
            store.close().await;
            result
        }
    }
}
