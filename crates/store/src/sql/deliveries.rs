//! The delivery queue: messages for real senders, claimed by one node at a time and
//! finished by the attempt that claimed them.

use keystep_core::message::Medium;
use keystep_core::parcel::{Channel, DeliveryStatus};
use keystep_core::ports::{DeliveryFilter, DeliveryOutcome, DeliveryRow, NewDelivery};
use keystep_core::Millis;
use sqlx::Row;

use super::{DbPool, DbRow, Tx};
use crate::codec;
use crate::error::{corrupt, Fail};

/// The columns [`row`] reads.
const COLUMNS: &str = "id, pool_id, username, medium, purpose, channel, destination_masked, \
     payload, status, attempts, next_attempt_at, last_error, created_at, updated_at";

/// A pending row is never purged: its `expires_at` is this far out until it is finished.
const PENDING_EXPIRES_AT: i64 = i64::MAX;

fn row(r: &DbRow) -> Result<DeliveryRow, Fail> {
    let channel: String = r.try_get("channel")?;
    let status: String = r.try_get("status")?;
    let attempts: i64 = r.try_get("attempts")?;
    Ok(DeliveryRow {
        id: r.try_get("id")?,
        pool_id: r.try_get("pool_id")?,
        username: r.try_get("username")?,
        medium: codec::medium(r.try_get("medium")?)?,
        purpose: codec::message_purpose(r.try_get("purpose")?)?,
        channel: Channel::parse(&channel).ok_or_else(|| corrupt("delivery channel", &channel))?,
        destination_masked: r.try_get("destination_masked")?,
        payload: r.try_get("payload")?,
        status: DeliveryStatus::parse(&status)
            .ok_or_else(|| corrupt("delivery status", &status))?,
        attempts: u32::try_from(attempts).map_err(|_| corrupt("delivery attempts", "negative"))?,
        next_attempt_at: Millis(r.try_get("next_attempt_at")?),
        last_error: r.try_get("last_error")?,
        created_at: Millis(r.try_get("created_at")?),
        updated_at: Millis(r.try_get("updated_at")?),
    })
}

fn medium_name(m: Medium) -> &'static str {
    m.as_str()
}

/// Queues a message inside the caller's transaction.
pub(super) async fn enqueue_in(tx: &mut Tx, d: &NewDelivery) -> Result<i64, Fail> {
    let r = sqlx::query(
        "INSERT INTO deliveries (pool_id, username, medium, purpose, channel, \
         destination_masked, payload, status, attempts, next_attempt_at, last_error, \
         created_at, updated_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, NULL, $8, $8, $9) RETURNING id",
    )
    .bind(&d.pool_id)
    .bind(&d.username)
    .bind(medium_name(d.medium))
    .bind(d.purpose.as_str())
    .bind(d.channel.as_str())
    .bind(&d.destination_masked)
    .bind(&d.payload)
    .bind(d.created_at.0)
    .bind(PENDING_EXPIRES_AT)
    .fetch_one(&mut **tx)
    .await?;
    Ok(r.try_get("id")?)
}

pub(super) async fn enqueue(db: &DbPool, d: &NewDelivery) -> Result<i64, Fail> {
    let mut tx = super::dialect::begin(db).await?;
    let id = enqueue_in(&mut tx, d).await?;
    tx.commit().await?;
    Ok(id)
}

/// One conditional UPDATE: the rows it changes are the caller's, and a concurrent claim
/// (which re-checks `status` and `next_attempt_at` on the locked row) cannot change them
/// again. On PostgreSQL the subquery skips rows another claimer holds, so concurrent
/// claimers take different messages instead of all reaching for the oldest few.
pub(super) async fn claim(
    db: &DbPool,
    now: Millis,
    lease_until: Millis,
    limit: u32,
) -> Result<Vec<DeliveryRow>, Fail> {
    // The due ids are chosen once (a materialised CTE): a subquery with LIMIT under
    // `IN` may be run again by the planner and hand out more than `limit` rows.
    let sql = format!(
        "WITH due AS MATERIALIZED (SELECT id FROM deliveries WHERE status = 'pending' \
         AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3 {skip}) \
         UPDATE deliveries SET next_attempt_at = $2, attempts = attempts + 1, updated_at = $1 \
         WHERE id IN (SELECT id FROM due) AND status = 'pending' AND next_attempt_at <= $1 \
         RETURNING {COLUMNS}",
        skip = super::dialect::SKIP_LOCKED
    );
    let found = sqlx::query(&sql)
        .bind(now.0)
        .bind(lease_until.0)
        .bind(i64::from(limit))
        .fetch_all(db)
        .await?;
    let mut rows = found.iter().map(row).collect::<Result<Vec<_>, _>>()?;
    rows.sort_by_key(|r| (r.created_at, r.id));
    Ok(rows)
}

pub(super) async fn finish(
    db: &DbPool,
    id: i64,
    attempts: u32,
    outcome: &DeliveryOutcome,
    now: Millis,
    record_expires_at: Millis,
) -> Result<bool, Fail> {
    let (status, next, error, keep_payload, expires) = match outcome {
        DeliveryOutcome::Sent => ("sent", now, None, false, record_expires_at),
        DeliveryOutcome::Retry { at, error } => (
            "pending",
            *at,
            Some(error.as_str()),
            true,
            Millis(PENDING_EXPIRES_AT),
        ),
        DeliveryOutcome::Failed { error } => (
            "failed",
            now,
            Some(error.as_str()),
            false,
            record_expires_at,
        ),
    };
    let sql = if keep_payload {
        "UPDATE deliveries SET status = $3, next_attempt_at = $4, last_error = $5, \
         updated_at = $6, expires_at = $7 WHERE id = $1 AND attempts = $2 AND status = 'pending'"
    } else {
        "UPDATE deliveries SET status = $3, next_attempt_at = $4, last_error = $5, \
         updated_at = $6, expires_at = $7, payload = NULL \
         WHERE id = $1 AND attempts = $2 AND status = 'pending'"
    };
    let done = sqlx::query(sql)
        .bind(id)
        .bind(i64::from(attempts))
        .bind(status)
        .bind(next.0)
        .bind(error.map(|e| e.chars().take(500).collect::<String>()))
        .bind(now.0)
        .bind(expires.0)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn list(db: &DbPool, filter: &DeliveryFilter) -> Result<Vec<DeliveryRow>, Fail> {
    let mut conditions = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    if let Some(status) = filter.status {
        values.push(status.as_str());
        conditions.push(format!("status = ${}", values.len()));
    }
    if let Some(pool_id) = &filter.pool_id {
        values.push(pool_id);
        conditions.push(format!("pool_id = ${}", values.len()));
    }
    let where_sql = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM deliveries {where_sql} ORDER BY id DESC LIMIT ${}",
        values.len() + 1
    );
    let mut query = sqlx::query(&sql);
    for value in values {
        query = query.bind(value);
    }
    let found = query
        .bind(i64::from(filter.limit.max(1)))
        .fetch_all(db)
        .await?;
    found.iter().map(row).collect()
}
