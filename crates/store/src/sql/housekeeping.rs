//! Expiry purges and server secrets.

use sqlx::Row;

use keystep_core::{Millis, StoreError};

use super::DbPool;
use crate::error::Fail;

/// The tables with an `expires_at` column, each with its key columns.
const EXPIRING: [(&str, &str); 11] = [
    ("auth_sessions", "id"),
    ("codes", "pool_id, sub, purpose"),
    ("used_once", "scope, value"),
    ("refresh_tokens", "hash"),
    ("revoked_origins", "origin_jti"),
    ("counters", "key"),
    ("outbox", "id"),
    ("deliveries", "id"),
    ("oauth_codes", "hash"),
    ("hosted_sessions", "hash"),
    ("auth_events", "pool_id, event_id"),
];

/// Deletes rows whose `expires_at` is at or before `now`, at most `batch` per table.
pub(super) async fn purge_expired(db: &DbPool, now: Millis, batch: u32) -> Result<u64, Fail> {
    let mut total = 0;
    for (table, key) in EXPIRING {
        let sql = format!(
            "DELETE FROM {table} WHERE ({key}) IN \
             (SELECT {key} FROM {table} WHERE expires_at <= $1 LIMIT $2)"
        );
        let done = sqlx::query(&sql)
            .bind(now.0)
            .bind(i64::from(batch))
            .execute(db)
            .await?;
        total += done.rows_affected();
    }
    Ok(total)
}

pub(super) async fn get_secret(db: &DbPool, name: &str) -> Result<Option<Vec<u8>>, Fail> {
    let row = sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| r.try_get("value")).transpose()?)
}

/// Insert-or-ignore, then read: whoever inserted first, every caller gets that value.
pub(super) async fn put_secret_if_absent(
    db: &DbPool,
    name: &str,
    value: &[u8],
) -> Result<Vec<u8>, Fail> {
    sqlx::query(
        "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(value)
    .execute(db)
    .await?;
    get_secret(db, name).await?.ok_or_else(|| {
        Fail::Store(StoreError::Backend(format!(
            "server secret {name:?} vanished"
        )))
    })
}

/// Reads the schema version and writes a short-lived probe row: a database that cannot
/// be read, cannot be written, or lacks a migration this build has is not ready.
pub(super) async fn check_ready(db: &DbPool, now: Millis) -> Result<(), Fail> {
    let latest = super::super::schema::MIGRATIONS
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    let row = sqlx::query("SELECT MAX(version) AS version FROM keystep_migrations")
        .fetch_one(db)
        .await?;
    let have: Option<i64> = row.try_get("version")?;
    if have.unwrap_or(0) < latest {
        return Err(Fail::Store(StoreError::Backend(format!(
            "the database is at migration {} and this build needs {latest}",
            have.unwrap_or(0)
        ))));
    }
    sqlx::query(
        "INSERT INTO counters (key, state, version, expires_at) VALUES ('keystep:ready', '{}', 1, $1) \
         ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at",
    )
    .bind(now.0 + 60_000)
    .execute(db)
    .await?;
    Ok(())
}
