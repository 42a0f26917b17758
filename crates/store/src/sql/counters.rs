//! Abuse counters: opaque state under a key, changed only by compare-and-swap, so that
//! two requests counting at once cannot both act on the same count.

use sqlx::Row;

use keystep_core::ports::CounterRow;
use keystep_core::{Millis, StoreError};

use super::DbPool;
use crate::error::Fail;

pub(super) async fn get(db: &DbPool, key: &str) -> Result<Option<CounterRow>, Fail> {
    let row = sqlx::query("SELECT key, state, version, expires_at FROM counters WHERE key = $1")
        .bind(key)
        .fetch_optional(db)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(Some(CounterRow {
        key: row.try_get("key")?,
        state: row.try_get("state")?,
        version: row.try_get("version")?,
        expires_at: Millis(row.try_get("expires_at")?),
    }))
}

/// Insert-if-absent or update-if-unchanged, each one statement; losing is `Stale`.
pub(super) async fn put(
    db: &DbPool,
    key: &str,
    state: &str,
    expires_at: Millis,
    expected_version: Option<i64>,
) -> Result<(), Fail> {
    let done =
        match expected_version {
            None => sqlx::query(
                "INSERT INTO counters (key, state, version, expires_at) VALUES ($1, $2, 0, $3) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(state)
            .bind(expires_at.0)
            .execute(db)
            .await?,
            Some(version) => {
                sqlx::query(
                    "UPDATE counters SET state = $1, expires_at = $2, version = version + 1 \
                 WHERE key = $3 AND version = $4",
                )
                .bind(state)
                .bind(expires_at.0)
                .bind(key)
                .bind(version)
                .execute(db)
                .await?
            }
        };
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Stale.into())
    }
}

/// Deletes the counters under `keys` in one statement.
pub(super) async fn delete_many(db: &DbPool, keys: &[String]) -> Result<(), Fail> {
    if keys.is_empty() {
        return Ok(());
    }
    let places = (1..=keys.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("DELETE FROM counters WHERE key IN ({places})");
    let mut query = sqlx::query(&sql);
    for key in keys {
        query = query.bind(key);
    }
    query.execute(db).await?;
    Ok(())
}

pub(super) async fn delete(db: &DbPool, key: &str) -> Result<(), Fail> {
    sqlx::query("DELETE FROM counters WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}
