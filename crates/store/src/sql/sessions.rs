//! In-progress sign-ins (compare-and-swap on `version`) and single-use values.

use rusqlite::Connection;

use keystep_core::ports::AuthSessionRow;
use keystep_core::{Millis, StoreError};

use super::rows::{self, SESSION_COLUMNS};
use super::{query_with, DbPool};
use crate::error::{on_insert, Fail};
use crate::lane;
use crate::params::{params, Param};

const INSERT: &str = "INSERT INTO auth_sessions \
     (id, pool_id, client_id, state, version, attempts, expires_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

fn insert_params(s: &AuthSessionRow) -> [Param<'_>; 7] {
    params![
        &s.id,
        &s.pool_id,
        &s.client_id,
        &s.state,
        s.version,
        i64::from(s.attempts),
        s.expires_at.0,
    ]
}

/// [`insert`] on the fast lane.
pub(super) fn insert_now(conn: &Connection, s: &AuthSessionRow) -> Result<(), Fail> {
    lane::execute(conn, INSERT, &insert_params(s)).map_err(on_insert("session"))?;
    Ok(())
}

pub(super) async fn insert(db: &DbPool, s: &AuthSessionRow) -> Result<(), Fail> {
    query_with(INSERT, &insert_params(s))
        .execute(db)
        .await
        .map_err(on_insert("session"))?;
    Ok(())
}

fn get_sql() -> &'static str {
    sql_once!("SELECT {SESSION_COLUMNS} FROM auth_sessions WHERE id = $1")
}

/// [`get`] on the fast lane.
pub(super) fn get_now(conn: &Connection, id: &str) -> Result<Option<AuthSessionRow>, Fail> {
    lane::one(conn, get_sql(), &params![id], |r| rows::auth_session(r))
}

pub(super) async fn get(db: &DbPool, id: &str) -> Result<Option<AuthSessionRow>, Fail> {
    let sql = get_sql();
    let row = query_with(sql, &params![id]).fetch_optional(db).await?;
    row.as_ref().map(rows::auth_session).transpose()
}

const ADVANCE: &str = "UPDATE auth_sessions SET state = $1, attempts = $2, expires_at = $3, \
     version = version + 1 WHERE id = $4 AND version = $5";

fn advance_params<'a>(
    id: &'a str,
    expected_version: i64,
    state: &'a [u8],
    attempts: u32,
    expires_at: Millis,
) -> [Param<'a>; 5] {
    params![
        state,
        i64::from(attempts),
        expires_at.0,
        id,
        expected_version
    ]
}

/// No changed row: another caller moved the session first.
fn advanced(changed: u64) -> Result<(), Fail> {
    if changed == 0 {
        return Err(StoreError::Stale.into());
    }
    Ok(())
}

/// [`advance`] on the fast lane.
pub(super) fn advance_now(
    conn: &Connection,
    id: &str,
    expected_version: i64,
    state: &[u8],
    attempts: u32,
    expires_at: Millis,
) -> Result<(), Fail> {
    let params = advance_params(id, expected_version, state, attempts, expires_at);
    advanced(lane::execute(conn, ADVANCE, &params)?)
}

/// One conditional statement: of many callers holding the same version, one moves it.
pub(super) async fn advance(
    db: &DbPool,
    id: &str,
    expected_version: i64,
    state: &[u8],
    attempts: u32,
    expires_at: Millis,
) -> Result<(), Fail> {
    let params = advance_params(id, expected_version, state, attempts, expires_at);
    let done = query_with(ADVANCE, &params).execute(db).await?;
    advanced(done.rows_affected())
}

/// One conditional statement that leaves the version alone (a reserved answer does not
/// move the sign-in): of many callers, only as many as the session has answers left
/// succeed.
pub(super) async fn reserve_attempt(db: &DbPool, id: &str, max: u32) -> Result<Option<u32>, Fail> {
    let row = sqlx::query(
        "UPDATE auth_sessions SET attempts = attempts + 1 \
         WHERE id = $1 AND attempts < $2 RETURNING attempts",
    )
    .bind(id)
    .bind(i64::from(max))
    .fetch_optional(db)
    .await?;
    match row {
        Some(row) => Ok(Some(crate::codec::count(
            sqlx::Row::try_get(&row, "attempts")?,
            "session attempts",
        )?)),
        None => Ok(None),
    }
}

const FINISH: &str = "DELETE FROM auth_sessions WHERE id = $1 AND version = $2";

/// [`finish`] on the fast lane.
pub(super) fn finish_now(conn: &Connection, id: &str, expected_version: i64) -> Result<bool, Fail> {
    Ok(lane::execute(conn, FINISH, &params![id, expected_version])? == 1)
}

/// One conditional delete: of many callers holding the same version, one deletes.
pub(super) async fn finish(db: &DbPool, id: &str, expected_version: i64) -> Result<bool, Fail> {
    let done = query_with(FINISH, &params![id, expected_version])
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

const USE_ONCE: &str = "INSERT INTO used_once (scope, value, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (scope, value) DO NOTHING";

/// [`use_once`] on the fast lane.
pub(super) fn use_once_now(
    conn: &Connection,
    scope: &str,
    value: &str,
    expires_at: Millis,
) -> Result<bool, Fail> {
    Ok(lane::execute(conn, USE_ONCE, &params![scope, value, expires_at.0])? == 1)
}

/// Records `value` under `scope`; only the insert that created the row answers `true`.
pub(super) async fn use_once(
    db: &DbPool,
    scope: &str,
    value: &str,
    expires_at: Millis,
) -> Result<bool, Fail> {
    let done = query_with(USE_ONCE, &params![scope, value, expires_at.0])
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
