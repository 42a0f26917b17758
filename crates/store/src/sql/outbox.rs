//! The outbox: every message sent, as the development messenger records it.

use sqlx::Row;

use keystep_core::message::{OutboxEntry, OutboxFilter, OutgoingMessage};
use keystep_core::Millis;

use super::rows::{self, OUTBOX_COLUMNS};
use super::DbPool;
use crate::error::Fail;

pub(super) async fn insert(
    db: &DbPool,
    m: &OutgoingMessage,
    expires_at: Millis,
) -> Result<i64, Fail> {
    let row = sqlx::query(
        "INSERT INTO outbox (pool_id, username, medium, destination, purpose, code, subject, \
         body, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         RETURNING id",
    )
    .bind(&m.pool_id)
    .bind(&m.username)
    .bind(m.medium.as_str())
    .bind(&m.destination)
    .bind(m.purpose.as_str())
    .bind(&m.code)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(m.created_at.0)
    .bind(expires_at.0)
    .fetch_one(db)
    .await?;
    Ok(row.try_get("id")?)
}

/// The matching messages oldest first; with a limit, the newest that many (still oldest
/// first).
pub(super) async fn list(db: &DbPool, filter: &OutboxFilter) -> Result<Vec<OutboxEntry>, Fail> {
    let mut conditions = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    if let Some(pool_id) = &filter.pool_id {
        values.push(pool_id);
        conditions.push(format!("pool_id = ${}", values.len()));
    }
    if let Some(username) = &filter.username {
        // In pools where the e-mail or phone is the username the stored username is an
        // opaque id: the address a message went to finds it too.
        values.push(username);
        conditions.push(format!(
            "(username = ${n} OR destination = ${n})",
            n = values.len()
        ));
    }
    let where_sql = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = match filter.limit {
        Some(_) => format!(
            "SELECT {OUTBOX_COLUMNS} FROM (SELECT {OUTBOX_COLUMNS} FROM outbox {where_sql} \
             ORDER BY id DESC LIMIT ${}) AS newest ORDER BY id",
            values.len() + 1
        ),
        None => format!("SELECT {OUTBOX_COLUMNS} FROM outbox {where_sql} ORDER BY id"),
    };
    let mut query = sqlx::query(&sql);
    for value in values {
        query = query.bind(value);
    }
    if let Some(limit) = filter.limit {
        query = query.bind(i64::from(limit));
    }
    let found = query.fetch_all(db).await?;
    found.iter().map(rows::outbox_entry).collect()
}
