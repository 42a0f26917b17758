//! Keystep's persistence: the domain's [`Store`] port for SQLite (the embedded default)
//! and PostgreSQL.
//!
//! Each backend has its own connection setup, dialect details and migrations
//! ([`sqlite`], [`postgres`]); the statements both understand alike live once, in
//! `src/sql/`, and are compiled into each backend against its own driver types (see
//! `sql/mod.rs`). Nothing outside this crate writes SQL. [`copy`] moves a whole database to
//! another, between any two backends.
//!
//! On SQLite, the hot statements also exist in a second form that runs on the caller's
//! thread through rusqlite, the fast lane (`lane.rs`, `sql/fast.rs`); rows of either
//! driver decode through the same functions (`cols.rs`).
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
mod cols;
pub mod copy;
mod error;
mod lane;
mod meter;
mod migration;
mod params;
mod parsed;
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

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
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
    AnyStore::open(database_url).await.map(AnyStore::into_store)
}

/// Brings the schema of the database `database_url` names up to date, then disconnects.
/// [`open`] does this itself; this is for a separate `migrate` step. Idempotent, and safe
/// when several nodes run it at once.
pub async fn migrate(database_url: &str) -> Result<(), StoreError> {
    let store = AnyStore::open(database_url).await?;
    store.close().await;
    Ok(())
}

/// A store on either backend, as its concrete type: for work on the database as a whole
/// (such as [`copy`]ing it to another) rather than through the [`Store`] port.
#[derive(Debug, Clone)]
pub enum AnyStore {
    /// An SQLite database.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PostgresStore),
}

impl AnyStore {
    /// Connects to the database `database_url` names (see [`open`]) and brings its schema
    /// up to date.
    pub async fn open(database_url: &str) -> Result<AnyStore, StoreError> {
        let store = match Backend::of_url(database_url)? {
            Backend::Sqlite => AnyStore::Sqlite(SqliteStore::connect(database_url).await?),
            Backend::Postgres => AnyStore::Postgres(PostgresStore::connect(database_url).await?),
        };
        let migrated = match &store {
            AnyStore::Sqlite(s) => s.migrate().await,
            AnyStore::Postgres(s) => s.migrate().await,
        };
        if let Err(e) = migrated {
            store.close().await;
            return Err(e);
        }
        Ok(store)
    }

    /// Which backend it is.
    pub fn backend(&self) -> Backend {
        match self {
            AnyStore::Sqlite(_) => Backend::Sqlite,
            AnyStore::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection (waiting for those in use).
    pub async fn close(&self) {
        match self {
            AnyStore::Sqlite(s) => s.close().await,
            AnyStore::Postgres(s) => s.close().await,
        }
    }

    /// The same database as the domain's [`Store`].
    pub fn into_store(self) -> Arc<dyn Store> {
        match self {
            AnyStore::Sqlite(s) => Arc::new(s),
            AnyStore::Postgres(s) => Arc::new(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keystep_core::pool::{PoolSettings, UserPool};
    use keystep_core::Millis;

    fn pool() -> UserPool {
        UserPool {
            id: "us-east-1_Memory".into(),
            name: "memory".into(),
            created_at: Millis(1),
            modified_at: Millis(1),
            settings: PoolSettings::default().into(),
        }
    }

    #[test]
    fn urls_choose_the_backend_and_errors_do_not_repeat_them() {
        assert_eq!(Backend::of_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::of_url("sqlite:x.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::of_url("sqlite::memory:").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::of_url("postgres://h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("postgresql://h/db").unwrap(),
            Backend::Postgres
        );
        let err = Backend::of_url("mysql://user:hunter2@h/db").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(Backend::of_url("no scheme").is_err());
    }

    #[tokio::test]
    async fn an_in_memory_database_keeps_its_data() {
        let store = open("sqlite::memory:").await.unwrap();
        store.insert_pool(&pool()).await.unwrap();
        for _ in 0..3 {
            assert_eq!(
                store.get_pool("us-east-1_Memory").await.unwrap(),
                Some(pool())
            );
        }
        // Another in-memory store is another database.
        let other = open("sqlite::memory:").await.unwrap();
        assert!(other.get_pool("us-east-1_Memory").await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_database_file_and_its_directory_are_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("deeper").join("keystep.db");
        let url = format!("sqlite:{}", path.display());
        let store = open(&url).await.unwrap();
        store.insert_pool(&pool()).await.unwrap();
        assert!(path.exists());
        migrate(&url).await.unwrap();
        let again = open(&url).await.unwrap();
        assert_eq!(
            again.get_pool("us-east-1_Memory").await.unwrap(),
            Some(pool())
        );
    }

    /// Needs `KEYSTEP_TEST_DATABASE_URL` naming a PostgreSQL server.
    #[tokio::test]
    #[ignore = "needs PostgreSQL: set KEYSTEP_TEST_DATABASE_URL (scripts/test then runs it)"]
    async fn postgres_connections_have_a_statement_timeout() {
        let Some(url) = std::env::var("KEYSTEP_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            panic!("KEYSTEP_TEST_DATABASE_URL is not set: this test needs PostgreSQL");
        };
        let url = url.replacen("postgres://", "postgresql://", 1);
        let store = PostgresStore::connect(&url).await.unwrap();
        let row = sqlx::query("SHOW statement_timeout")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        let timeout: String = sqlx::Row::try_get(&row, 0).unwrap();
        assert_eq!(timeout, "5s");
        store.close().await;
    }
}
