//! In-progress sign-ins (compare-and-swap on `version`) and single-use values.

use keystep_core::ports::AuthSessionRow;
use keystep_core::{Millis, StoreError};

use super::rows::{self, SESSION_COLUMNS};
use super::DbPool;
use crate::error::{on_insert, Fail};

pub(super) async fn insert(db: &DbPool, s: &AuthSessionRow) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO auth_sessions (id, pool_id, client_id, state, version, attempts, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&s.id)
    .bind(&s.pool_id)
    .bind(&s.client_id)
    .bind(&s.state)
    .bind(s.version)
    .bind(i64::from(s.attempts))
    .bind(s.expires_at.0)
    .execute(db)
    .await
    .map_err(on_insert("session"))?;
    Ok(())
}

pub(super) async fn get(db: &DbPool, id: &str) -> Result<Option<AuthSessionRow>, Fail> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM auth_sessions WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db).await?;
    row.as_ref().map(rows::auth_session).transpose()
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
    let done = sqlx::query(
        "UPDATE auth_sessions SET state = $1, attempts = $2, expires_at = $3, \
         version = version + 1 WHERE id = $4 AND version = $5",
    )
    .bind(state)
    .bind(i64::from(attempts))
    .bind(expires_at.0)
    .bind(id)
    .bind(expected_version)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Stale.into());
    }
    Ok(())
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

/// One conditional delete: of many callers holding the same version, one deletes.
pub(super) async fn finish(db: &DbPool, id: &str, expected_version: i64) -> Result<bool, Fail> {
    let done = sqlx::query("DELETE FROM auth_sessions WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(expected_version)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Records `value` under `scope`; only the insert that created the row answers `true`.
pub(super) async fn use_once(
    db: &DbPool,
    scope: &str,
    value: &str,
    expires_at: Millis,
) -> Result<bool, Fail> {
    let done = sqlx::query(
        "INSERT INTO used_once (scope, value, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (scope, value) DO NOTHING",
    )
    .bind(scope)
    .bind(value)
    .bind(expires_at.0)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
