//! Abuse counters: opaque state under a key, changed only by compare-and-swap, so that
//! two requests counting at once cannot both act on the same count.

use rusqlite::types::ToSql;
use rusqlite::Connection;

use keystep_core::ports::CounterRow;
use keystep_core::{Millis, StoreError};

use super::DbPool;
use crate::cols::Cols;
use crate::error::Fail;
use crate::lane;

const GET: &str = "SELECT key, state, version, expires_at FROM counters WHERE key = $1";
const CREATE: &str = "INSERT INTO counters (key, state, version, expires_at) \
     VALUES ($1, $2, 0, $3) ON CONFLICT (key) DO NOTHING";
const SWAP: &str = "UPDATE counters SET state = $1, expires_at = $2, version = version + 1 \
     WHERE key = $3 AND version = $4";

fn counter(row: &impl Cols) -> Result<CounterRow, Fail> {
    Ok(CounterRow {
        key: row.col("key")?,
        state: row.col("state")?,
        version: row.col("version")?,
        expires_at: Millis(row.col("expires_at")?),
    })
}

pub(super) async fn get(db: &DbPool, key: &str) -> Result<Option<CounterRow>, Fail> {
    let row = sqlx::query(GET).bind(key).fetch_optional(db).await?;
    row.as_ref().map(counter).transpose()
}

/// [`get`] on the fast lane.
pub(super) fn get_now(conn: &Connection, key: &str) -> Result<Option<CounterRow>, Fail> {
    lane::one(conn, GET, &[&key], |r| counter(r))
}

/// One changed row is a won swap; none is `Stale`.
fn swapped(changed: u64) -> Result<(), Fail> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Stale.into())
    }
}

/// Insert-if-absent or update-if-unchanged, each one statement; losing is `Stale`.
pub(super) async fn put(
    db: &DbPool,
    key: &str,
    state: &str,
    expires_at: Millis,
    expected_version: Option<i64>,
) -> Result<(), Fail> {
    let done = match expected_version {
        None => {
            sqlx::query(CREATE)
                .bind(key)
                .bind(state)
                .bind(expires_at.0)
                .execute(db)
                .await?
        }
        Some(version) => {
            sqlx::query(SWAP)
                .bind(state)
                .bind(expires_at.0)
                .bind(key)
                .bind(version)
                .execute(db)
                .await?
        }
    };
    swapped(done.rows_affected())
}

/// [`put`] on the fast lane.
pub(super) fn put_now(
    conn: &Connection,
    key: &str,
    state: &str,
    expires_at: Millis,
    expected_version: Option<i64>,
) -> Result<(), Fail> {
    let changed = match expected_version {
        None => lane::execute(conn, CREATE, &[&key, &state, &expires_at.0])?,
        Some(version) => lane::execute(conn, SWAP, &[&state, &expires_at.0, &key, &version])?,
    };
    swapped(changed)
}

fn delete_many_sql(n: usize) -> String {
    let places = (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("DELETE FROM counters WHERE key IN ({places})")
}

/// [`delete_many`] on the fast lane.
pub(super) fn delete_many_now(conn: &Connection, keys: &[String]) -> Result<(), Fail> {
    if keys.is_empty() {
        return Ok(());
    }
    let params: Vec<&dyn ToSql> = keys.iter().map(|k| k as &dyn ToSql).collect();
    lane::execute(conn, &delete_many_sql(keys.len()), &params)?;
    Ok(())
}

/// Deletes the counters under `keys` in one statement.
pub(super) async fn delete_many(db: &DbPool, keys: &[String]) -> Result<(), Fail> {
    if keys.is_empty() {
        return Ok(());
    }
    let sql = delete_many_sql(keys.len());
    let mut query = sqlx::query(&sql);
    for key in keys {
        query = query.bind(key);
    }
    query.execute(db).await?;
    Ok(())
}

const DELETE: &str = "DELETE FROM counters WHERE key = $1";

/// [`delete`] on the fast lane.
pub(super) fn delete_now(conn: &Connection, key: &str) -> Result<(), Fail> {
    lane::execute(conn, DELETE, &[&key])?;
    Ok(())
}

pub(super) async fn delete(db: &DbPool, key: &str) -> Result<(), Fail> {
    sqlx::query(DELETE).bind(key).execute(db).await?;
    Ok(())
}
