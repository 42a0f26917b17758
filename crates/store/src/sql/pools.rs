//! User pools.

use rusqlite::Connection;
use sqlx::Row;

use keystep_core::pool::UserPool;
use keystep_core::ports::Page;
use keystep_core::StoreError;

use super::rows::{self, POOL_COLUMNS};
use super::{dialect, query_with, DbPool};
use crate::codec;
use crate::error::{on_insert, Fail};
use crate::lane;
use crate::params::params;

pub(super) async fn insert(db: &DbPool, pool: &UserPool) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO pools (id, name, created_at, modified_at, settings) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&pool.id)
    .bind(&pool.name)
    .bind(pool.created_at.0)
    .bind(pool.modified_at.0)
    .bind(codec::to_json(&pool.settings, "pool settings")?)
    .execute(db)
    .await
    .map_err(on_insert("pool"))?;
    Ok(())
}

fn get_sql() -> &'static str {
    sql_once!("SELECT {POOL_COLUMNS} FROM pools WHERE id = $1")
}

/// [`get`] on the fast lane.
pub(super) fn get_now(conn: &Connection, id: &str) -> Result<Option<UserPool>, Fail> {
    lane::one(conn, get_sql(), &params![id], |r| rows::pool(r))
}

pub(super) async fn get(db: &DbPool, id: &str) -> Result<Option<UserPool>, Fail> {
    let sql = get_sql();
    let row = query_with(sql, &params![id]).fetch_optional(db).await?;
    row.as_ref().map(rows::pool).transpose()
}

pub(super) async fn list(
    db: &DbPool,
    after: Option<&str>,
    limit: u32,
) -> Result<Page<UserPool>, Fail> {
    let from = if after.is_some() { "WHERE id > $2" } else { "" };
    let sql = format!("SELECT {POOL_COLUMNS} FROM pools {from} ORDER BY id LIMIT $1");
    let mut query = sqlx::query(&sql).bind(codec::probe_limit(limit));
    if let Some(after) = after {
        query = query.bind(after);
    }
    let found = query.fetch_all(db).await?;
    let items = found
        .iter()
        .map(rows::pool)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(codec::page(items, limit, |p| p.id.clone()))
}

pub(super) async fn update(db: &DbPool, pool: &UserPool) -> Result<(), Fail> {
    let done =
        sqlx::query("UPDATE pools SET name = $1, settings = $2, modified_at = $3 WHERE id = $4")
            .bind(&pool.name)
            .bind(codec::to_json(&pool.settings, "pool settings")?)
            .bind(pool.modified_at.0)
            .bind(&pool.id)
            .execute(db)
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound.into());
    }
    Ok(())
}

/// [`update`] if the stored `modified_at` is still `expected`; whether it was.
pub(super) async fn update_if(db: &DbPool, pool: &UserPool, expected: i64) -> Result<bool, Fail> {
    let done = sqlx::query(
        "UPDATE pools SET name = $1, settings = $2, modified_at = $3 \
         WHERE id = $4 AND modified_at = $5",
    )
    .bind(&pool.name)
    .bind(codec::to_json(&pool.settings, "pool settings")?)
    .bind(pool.modified_at.0)
    .bind(&pool.id)
    .bind(expected)
    .execute(db)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(true);
    }
    let exists = sqlx::query("SELECT 1 FROM pools WHERE id = $1")
        .bind(&pool.id)
        .fetch_optional(db)
        .await?;
    match exists {
        Some(_) => Ok(false),
        None => Err(StoreError::NotFound.into()),
    }
}

/// Deletes the pool; foreign keys cascade to its clients, users (and their aliases,
/// codes, memberships, refresh tokens), groups and sign-in sessions. Its outbox goes too.
pub(super) async fn delete(db: &DbPool, id: &str) -> Result<bool, Fail> {
    let mut tx = dialect::begin(db).await?;
    sqlx::query("DELETE FROM outbox WHERE pool_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM pools WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn count_users(db: &DbPool, pool_id: &str) -> Result<u64, Fail> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE pool_id = $1")
        .bind(pool_id)
        .fetch_one(db)
        .await?;
    let n: i64 = row.try_get("n")?;
    Ok(u64::try_from(n).unwrap_or(0))
}
