//! Abuse counters: opaque state under a key, changed only by compare-and-swap, so that
//! two requests counting at once cannot both act on the same count.

use rusqlite::Connection;

use keystep_core::ports::CounterRow;
use keystep_core::{Millis, StoreError};

use super::{query_with, DbPool};
use crate::cols::Cols;
use crate::error::Fail;
use crate::lane;
use crate::params::{params, Param};

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
    let row = query_with(GET, &params![key]).fetch_optional(db).await?;
    row.as_ref().map(counter).transpose()
}

/// [`get`] on the fast lane.
pub(super) fn get_now(conn: &Connection, key: &str) -> Result<Option<CounterRow>, Fail> {
    lane::one(conn, GET, &params![key], |r| counter(r))
}

/// One changed row is a won swap; none is `Stale`.
fn swapped(changed: u64) -> Result<(), Fail> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Stale.into())
    }
}

/// The statement of [`put`] and its values: insert-if-absent, or update-if-unchanged.
fn put_statement<'a>(
    key: &'a str,
    state: &'a str,
    expires_at: Millis,
    expected_version: Option<i64>,
) -> (&'static str, Vec<Param<'a>>) {
    match expected_version {
        None => (CREATE, params![key, state, expires_at.0].to_vec()),
        Some(version) => (SWAP, params![state, expires_at.0, key, version].to_vec()),
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
    let (sql, params) = put_statement(key, state, expires_at, expected_version);
    let done = query_with(sql, &params).execute(db).await?;
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
    let (sql, params) = put_statement(key, state, expires_at, expected_version);
    swapped(lane::execute(conn, sql, &params)?)
}

fn delete_many_sql(n: usize) -> String {
    let places = (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("DELETE FROM counters WHERE key IN ({places})")
}

fn keys_params(keys: &[String]) -> Vec<Param<'_>> {
    keys.iter().map(Param::from).collect()
}

/// [`delete_many`] on the fast lane.
pub(super) fn delete_many_now(conn: &Connection, keys: &[String]) -> Result<(), Fail> {
    if keys.is_empty() {
        return Ok(());
    }
    lane::execute(conn, &delete_many_sql(keys.len()), &keys_params(keys))?;
    Ok(())
}

/// Deletes the counters under `keys` in one statement.
pub(super) async fn delete_many(db: &DbPool, keys: &[String]) -> Result<(), Fail> {
    if keys.is_empty() {
        return Ok(());
    }
    let sql = delete_many_sql(keys.len());
    query_with(&sql, &keys_params(keys)).execute(db).await?;
    Ok(())
}

const DELETE: &str = "DELETE FROM counters WHERE key = $1";

/// [`delete`] on the fast lane.
pub(super) fn delete_now(conn: &Connection, key: &str) -> Result<(), Fail> {
    lane::execute(conn, DELETE, &params![key])?;
    Ok(())
}

pub(super) async fn delete(db: &DbPool, key: &str) -> Result<(), Fail> {
    query_with(DELETE, &params![key]).execute(db).await?;
    Ok(())
}
