//! Resource servers and their scopes (a JSON list), by pool and identifier.

use sqlx::Row;

use keystep_core::resource_server::ResourceServer;

use super::{DbPool, DbRow};
use crate::error::{on_insert, Fail};

fn row(r: &DbRow) -> Result<ResourceServer, Fail> {
    let scopes: String = r.try_get("scopes")?;
    Ok(ResourceServer {
        pool_id: r.try_get("pool_id")?,
        identifier: r.try_get("identifier")?,
        name: r.try_get("name")?,
        scopes: serde_json::from_str(&scopes).unwrap_or_default(),
    })
}

fn scopes_json(s: &ResourceServer) -> String {
    serde_json::to_string(&s.scopes).unwrap_or_else(|_| "[]".into())
}

pub(super) async fn insert(db: &DbPool, s: &ResourceServer) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO resource_servers (pool_id, identifier, name, scopes) VALUES ($1, $2, $3, $4)",
    )
    .bind(&s.pool_id)
    .bind(&s.identifier)
    .bind(&s.name)
    .bind(scopes_json(s))
    .execute(db)
    .await
    .map_err(on_insert("resource server"))?;
    Ok(())
}

pub(super) async fn get(
    db: &DbPool,
    pool_id: &str,
    identifier: &str,
) -> Result<Option<ResourceServer>, Fail> {
    let found = sqlx::query(
        "SELECT pool_id, identifier, name, scopes FROM resource_servers \
         WHERE pool_id = $1 AND identifier = $2",
    )
    .bind(pool_id)
    .bind(identifier)
    .fetch_optional(db)
    .await?;
    found.as_ref().map(row).transpose()
}

pub(super) async fn list(
    db: &DbPool,
    pool_id: &str,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<ResourceServer>, Fail> {
    let rows = sqlx::query(
        "SELECT pool_id, identifier, name, scopes FROM resource_servers \
         WHERE pool_id = $1 AND identifier > $2 ORDER BY identifier LIMIT $3",
    )
    .bind(pool_id)
    .bind(after.unwrap_or(""))
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.iter().map(row).collect()
}

pub(super) async fn update(db: &DbPool, s: &ResourceServer) -> Result<bool, Fail> {
    let done = sqlx::query(
        "UPDATE resource_servers SET name = $1, scopes = $2 WHERE pool_id = $3 AND identifier = $4",
    )
    .bind(&s.name)
    .bind(scopes_json(s))
    .bind(&s.pool_id)
    .bind(&s.identifier)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn delete(db: &DbPool, pool_id: &str, identifier: &str) -> Result<bool, Fail> {
    let done = sqlx::query("DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2")
        .bind(pool_id)
        .bind(identifier)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
