//! App clients.

use rusqlite::Connection;

use keystep_core::app_client::AppClient;
use keystep_core::pool::UserPool;
use keystep_core::ports::Page;
use keystep_core::StoreError;

use super::rows::{self, CLIENT_COLUMNS, POOL_COLUMNS_P};
use super::{query_with, DbPool};
use crate::codec;
use crate::cols::Cols;
use crate::error::{on_insert, Fail};
use crate::lane;
use crate::params::params;

pub(super) async fn insert(db: &DbPool, client: &AppClient) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO app_clients \
         (client_id, pool_id, name, created_at, modified_at, secret, settings, secret_rotation) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&client.client_id)
    .bind(&client.pool_id)
    .bind(&client.name)
    .bind(client.created_at.0)
    .bind(client.modified_at.0)
    .bind(client.secret.as_ref().map(|s| s.0.as_slice()))
    .bind(codec::to_json(&client.settings, "client settings")?)
    .bind(codec::to_json(
        &client.secret_rotation,
        "client secret rotation",
    )?)
    .execute(db)
    .await
    .map_err(on_insert("client"))?;
    Ok(())
}

pub(super) async fn get(db: &DbPool, client_id: &str) -> Result<Option<AppClient>, Fail> {
    let sql = format!("SELECT {CLIENT_COLUMNS} FROM app_clients c WHERE c.client_id = $1");
    let row = sqlx::query(&sql).bind(client_id).fetch_optional(db).await?;
    row.as_ref().map(rows::client).transpose()
}

fn with_pool_sql() -> &'static str {
    sql_once!(
        "SELECT {CLIENT_COLUMNS}, {POOL_COLUMNS_P} FROM app_clients c \
         JOIN pools p ON p.id = c.pool_id WHERE c.client_id = $1"
    )
}

fn with_pool_row(r: &impl Cols) -> Result<(AppClient, UserPool), Fail> {
    Ok((rows::client(r)?, rows::prefixed_pool(r)?))
}

pub(super) async fn get_with_pool(
    db: &DbPool,
    client_id: &str,
) -> Result<Option<(AppClient, UserPool)>, Fail> {
    let row = query_with(with_pool_sql(), &params![client_id])
        .fetch_optional(db)
        .await?;
    row.as_ref().map(with_pool_row).transpose()
}

/// [`get_with_pool`] on the fast lane.
pub(super) fn get_with_pool_now(
    conn: &Connection,
    client_id: &str,
) -> Result<Option<(AppClient, UserPool)>, Fail> {
    lane::one(conn, with_pool_sql(), &params![client_id], |r| {
        with_pool_row(r)
    })
}

pub(super) async fn list(
    db: &DbPool,
    pool_id: &str,
    after: Option<&str>,
    limit: u32,
) -> Result<Page<AppClient>, Fail> {
    let from = if after.is_some() {
        "AND c.client_id > $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {CLIENT_COLUMNS} FROM app_clients c \
         WHERE c.pool_id = $2 {from} ORDER BY c.client_id LIMIT $1"
    );
    let mut query = sqlx::query(&sql)
        .bind(codec::probe_limit(limit))
        .bind(pool_id);
    if let Some(after) = after {
        query = query.bind(after);
    }
    let found = query.fetch_all(db).await?;
    let items = found
        .iter()
        .map(rows::client)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(codec::page(items, limit, |c| c.client_id.clone()))
}

pub(super) async fn update(db: &DbPool, client: &AppClient) -> Result<(), Fail> {
    let done = sqlx::query(
        "UPDATE app_clients SET name = $1, settings = $2, modified_at = $3 \
         WHERE pool_id = $4 AND client_id = $5",
    )
    .bind(&client.name)
    .bind(codec::to_json(&client.settings, "client settings")?)
    .bind(client.modified_at.0)
    .bind(&client.pool_id)
    .bind(&client.client_id)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound.into());
    }
    Ok(())
}

/// Compare-and-swap on `modified_at`: replaces the client's secret and its rotation (and
/// name, settings, modification time) only if nobody changed the client since `expected`;
/// whether it did. `NotFound` if the client is gone.
pub(super) async fn update_secrets_if(
    db: &DbPool,
    client: &AppClient,
    expected: i64,
) -> Result<bool, Fail> {
    let done = sqlx::query(
        "UPDATE app_clients SET name = $1, settings = $2, modified_at = $3, secret = $4, \
         secret_rotation = $5 WHERE pool_id = $6 AND client_id = $7 AND modified_at = $8",
    )
    .bind(&client.name)
    .bind(codec::to_json(&client.settings, "client settings")?)
    .bind(client.modified_at.0)
    .bind(client.secret.as_ref().map(|s| s.0.as_slice()))
    .bind(codec::to_json(
        &client.secret_rotation,
        "client secret rotation",
    )?)
    .bind(&client.pool_id)
    .bind(&client.client_id)
    .bind(expected)
    .execute(db)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(true);
    }
    let exists = sqlx::query("SELECT 1 FROM app_clients WHERE pool_id = $1 AND client_id = $2")
        .bind(&client.pool_id)
        .bind(&client.client_id)
        .fetch_optional(db)
        .await?;
    match exists {
        Some(_) => Ok(false),
        None => Err(StoreError::NotFound.into()),
    }
}

/// Deletes the client; its sign-in sessions and refresh tokens go with it.
pub(super) async fn delete(db: &DbPool, pool_id: &str, client_id: &str) -> Result<bool, Fail> {
    let done = sqlx::query("DELETE FROM app_clients WHERE pool_id = $1 AND client_id = $2")
        .bind(pool_id)
        .bind(client_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}
