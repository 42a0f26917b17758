//! Token signing keys per pool: generations, the newest signing, rotated atomically.

use sqlx::Row;

use keystep_core::ports::PoolKeyRow;
use keystep_core::{Millis, StoreError};

use super::{dialect, DbPool, DbRow};
use crate::error::{on_insert, Fail};

fn row(r: &DbRow) -> Result<PoolKeyRow, Fail> {
    Ok(PoolKeyRow {
        pool_id: r.try_get("pool_id")?,
        generation: r.try_get("generation")?,
        keys: r.try_get("keys")?,
        created_at: Millis(r.try_get("created_at")?),
        retired_at: r.try_get::<Option<i64>, _>("retired_at")?.map(Millis),
    })
}

pub(super) async fn list(db: &DbPool, pool_id: &str) -> Result<Vec<PoolKeyRow>, Fail> {
    let rows = sqlx::query(
        "SELECT pool_id, generation, keys, created_at, retired_at FROM pool_keys \
         WHERE pool_id = $1 ORDER BY generation",
    )
    .bind(pool_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(row).collect()
}

/// Inserts every row unless the pool has keys; then reads what is there.
pub(super) async fn init(
    db: &DbPool,
    pool_id: &str,
    rows: &[PoolKeyRow],
) -> Result<Vec<PoolKeyRow>, Fail> {
    let mut tx = dialect::begin(db).await?;
    let existing: i64 = sqlx::query("SELECT COUNT(*) AS n FROM pool_keys WHERE pool_id = $1")
        .bind(pool_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if existing == 0 {
        for r in rows {
            sqlx::query(
                "INSERT INTO pool_keys (pool_id, generation, keys, created_at, retired_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pool_id, generation) DO NOTHING",
            )
            .bind(pool_id)
            .bind(r.generation)
            .bind(&r.keys)
            .bind(r.created_at.0)
            .bind(r.retired_at.map(|m| m.0))
            .execute(&mut *tx)
            .await
            .map_err(on_insert("pool_keys"))?;
        }
    }
    tx.commit().await?;
    list(db, pool_id).await
}

/// Retires `current` (only if it still signs) and inserts `next`, in one transaction.
pub(super) async fn rotate(db: &DbPool, current: i64, next: &PoolKeyRow) -> Result<(), Fail> {
    let mut tx = dialect::begin(db).await?;
    let retired = sqlx::query(
        "UPDATE pool_keys SET retired_at = $1 \
         WHERE pool_id = $2 AND generation = $3 AND retired_at IS NULL",
    )
    .bind(next.created_at.0)
    .bind(&next.pool_id)
    .bind(current)
    .execute(&mut *tx)
    .await?;
    if retired.rows_affected() != 1 {
        return Err(StoreError::Stale.into());
    }
    let inserted = sqlx::query(
        "INSERT INTO pool_keys (pool_id, generation, keys, created_at, retired_at) \
         VALUES ($1, $2, $3, $4, NULL) ON CONFLICT (pool_id, generation) DO NOTHING",
    )
    .bind(&next.pool_id)
    .bind(current + 1)
    .bind(&next.keys)
    .bind(next.created_at.0)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() != 1 {
        return Err(StoreError::Stale.into());
    }
    tx.commit().await?;
    Ok(())
}
