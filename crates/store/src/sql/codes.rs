//! One-time codes: at most one per user and purpose, consumed exactly once.

use keystep_core::code::{CodePurpose, StoredCode};
use keystep_core::Millis;

use keystep_core::ports::NewDelivery;

use super::rows::{self, CODE_COLUMNS};
use super::{deliveries, dialect, DbPool};
use crate::error::{on_insert, Fail};

/// Stores a code, replacing the user's code of the same purpose (its id, hash, times and
/// attempt count all start over), and queues the message that carries it, in one
/// transaction.
pub(super) async fn put(
    db: &DbPool,
    code: &StoredCode,
    delivery: Option<&NewDelivery>,
) -> Result<(), Fail> {
    let mut tx = dialect::begin(db).await?;
    sqlx::query(
        "INSERT INTO codes (pool_id, sub, purpose, id, hash, created_at, expires_at, attempts) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET id = excluded.id, \
         hash = excluded.hash, created_at = excluded.created_at, \
         expires_at = excluded.expires_at, attempts = excluded.attempts",
    )
    .bind(&code.pool_id)
    .bind(&code.sub)
    .bind(code.purpose.as_str())
    .bind(&code.id)
    .bind(&code.hash)
    .bind(code.created_at.0)
    .bind(code.expires_at.0)
    .bind(i64::from(code.attempts))
    .execute(&mut *tx)
    .await
    .map_err(on_insert("code"))?;
    if let Some(d) = delivery {
        deliveries::enqueue_in(&mut tx, d).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn get(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    purpose: CodePurpose,
) -> Result<Option<StoredCode>, Fail> {
    let sql = format!(
        "SELECT {CODE_COLUMNS} FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3"
    );
    let row = sqlx::query(&sql)
        .bind(pool_id)
        .bind(sub)
        .bind(purpose.as_str())
        .fetch_optional(db)
        .await?;
    row.as_ref().map(rows::code).transpose()
}

/// Reserves an attempt on the live code, in one conditional statement: of many callers,
/// only as many as the code has attempts left get it back (with the count raised).
pub(super) async fn reserve_attempt(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    purpose: CodePurpose,
    max: u32,
    now: Millis,
) -> Result<Option<StoredCode>, Fail> {
    let sql = format!(
        "UPDATE codes SET attempts = attempts + 1 \
         WHERE pool_id = $1 AND sub = $2 AND purpose = $3 AND attempts < $4 AND expires_at > $5 \
         RETURNING {CODE_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(pool_id)
        .bind(sub)
        .bind(purpose.as_str())
        .bind(i64::from(max))
        .bind(now.0)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(rows::code).transpose()
}

/// Deletes exactly the code `id`: of many concurrent callers, one sees a deleted row.
pub(super) async fn consume(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    purpose: CodePurpose,
    id: &str,
) -> Result<bool, Fail> {
    let done = sqlx::query(
        "DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3 AND id = $4",
    )
    .bind(pool_id)
    .bind(sub)
    .bind(purpose.as_str())
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
