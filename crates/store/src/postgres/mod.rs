//! The PostgreSQL backend, for several nodes sharing one database.
//!
//! Transactions run at READ COMMITTED: every compare-and-swap is a single conditional
//! statement (`UPDATE ... WHERE version = $n`), which PostgreSQL re-checks against the
//! newest row after waiting for a concurrent writer, so exactly one of many racing callers
//! wins. Deadlocks and serialization failures are retried. Each connection gets a
//! statement timeout.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::Row;

use keystep_core::StoreError;

use crate::error::{backend, retry, Fail};
use crate::migration;

mod schema;
// Deliberately compiled once per backend: see `sql/mod.rs`.
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
mod sql;

/// The driver the shared statements in `sql/` run on.
type Db = sqlx::Postgres;
/// The store type `sql/` implements [`keystep_core::ports::Store`] for.
type ThisStore = PostgresStore;

/// Connections in the pool.
const MAX_CONNECTIONS: u32 = 10;
/// The longest a statement may run (`statement_timeout`).
const STATEMENT_TIMEOUT_MS: u32 = 5_000;
/// The longest a migration may run, waiting for another node's included.
const MIGRATION_TIMEOUT_MS: u32 = 300_000;

/// The [`keystep_core::ports::Store`] on a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pub(crate) pool: PgPool,
}

impl PostgresStore {
    /// Connects to `postgres://` or `postgresql://` (libpq-style URL; `options=-csearch_path%3D<schema>`
    /// selects a schema). Does not migrate: see [`PostgresStore::migrate`].
    pub async fn connect(database_url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(database_url).map_err(|e| backend(&e))?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    sqlx::query(&format!("SET statement_timeout = {STATEMENT_TIMEOUT_MS}"))
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| backend(&e))?;
        Ok(PostgresStore { pool })
    }

    /// Applies the migrations this database (its current schema) lacks, in one
    /// transaction holding a transaction-scoped advisory lock, so nodes starting together
    /// take turns and the later ones find nothing to do. Idempotent.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        retry(|| migrate(&self.pool)).await
    }

    /// Closes every connection (waiting for those in use).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

async fn migrate(pool: &PgPool) -> Result<(), Fail> {
    let mut tx = pool.begin().await?;
    sqlx::query(&format!(
        "SET LOCAL statement_timeout = {MIGRATION_TIMEOUT_MS}"
    ))
    .execute(&mut *tx)
    .await?;
    // One lock per schema, so databases shared by several deployments (or tests) in
    // separate schemas do not wait for each other.
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('keystep_migrations:' || \
         coalesce(current_schema(), ''), 0))",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS keystep_migrations (
            version    BIGINT NOT NULL PRIMARY KEY,
            applied_at BIGINT NOT NULL
        )",
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
    migration::report("postgres", &applied, schema::MIGRATIONS, &ran);
    Ok(())
}

/// Where PostgreSQL's SQL differs from SQLite's, for `sql/`.
mod dialect {
    use sqlx::postgres::PgPool;
    use sqlx::{Postgres, Transaction};

    use crate::lane::Lane;

    /// No fast lane: a PostgreSQL statement is a network round trip whatever the driver.
    pub(super) fn lane(_store: &super::PostgresStore) -> Option<&Lane> {
        None
    }

    /// Starts a transaction (READ COMMITTED).
    pub(super) async fn begin(
        pool: &PgPool,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        pool.begin().await
    }

    /// What a claiming subquery appends so that concurrent claimers pass over each
    /// other's rows instead of waiting for them and then finding them gone.
    pub(super) const SKIP_LOCKED: &str = "FOR UPDATE SKIP LOCKED";

    /// The text of `attribute` in the JSON object `u.attributes` (NULL when absent).
    /// `attribute` is one of a fixed list of plain names.
    pub(super) fn json_attribute(attribute: &'static str) -> String {
        format!("(u.attributes::jsonb ->> '{attribute}')")
    }

    /// Every `(table, column)` of the current schema, as two TEXT columns.
    pub(super) const SCHEMA_COLUMNS: &str =
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema()";

    /// What lets an `INSERT` set a `GENERATED ALWAYS AS IDENTITY` column.
    pub(super) const INSERT_IDENTITY: &str = "OVERRIDING SYSTEM VALUE";

    /// After explicit values went into the identity `column` of `table` (fixed names, not
    /// input): moves its sequence past the largest, so the next default does not clash.
    /// Never moves it back.
    pub(super) async fn sync_identity(
        tx: &mut Transaction<'static, Postgres>,
        table: &str,
        column: &str,
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "SELECT setval(s.seq, GREATEST((SELECT MAX({column}) FROM {table}), \
             COALESCE(pg_sequence_last_value(s.seq), 1))) \
             FROM (SELECT pg_get_serial_sequence('{table}', '{column}')::regclass AS seq) AS s"
        );
        sqlx::query(&sql).execute(&mut **tx).await?;
        Ok(())
    }
}
