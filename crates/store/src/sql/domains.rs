//! Pool domains, unique across pools.

use sqlx::Row;

use keystep_core::domain::PoolDomain;
use keystep_core::Millis;

use super::{DbPool, DbRow};
use crate::error::{on_insert, Fail};

const COLUMNS: &str = "domain, pool_id, certificate_arn, managed_login_version, created_at";

fn row(r: &DbRow) -> Result<PoolDomain, Fail> {
    Ok(PoolDomain {
        domain: r.try_get("domain")?,
        pool_id: r.try_get("pool_id")?,
        certificate_arn: r.try_get("certificate_arn")?,
        managed_login_version: r.try_get("managed_login_version")?,
        created_at: Millis(r.try_get("created_at")?),
    })
}

pub(super) async fn insert(db: &DbPool, d: &PoolDomain) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO pool_domains (domain, pool_id, certificate_arn, managed_login_version, \
         created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&d.domain)
    .bind(&d.pool_id)
    .bind(&d.certificate_arn)
    .bind(d.managed_login_version)
    .bind(d.created_at.0)
    .execute(db)
    .await
    .map_err(on_insert("domain"))?;
    Ok(())
}

pub(super) async fn get(db: &DbPool, domain: &str) -> Result<Option<PoolDomain>, Fail> {
    let sql = format!("SELECT {COLUMNS} FROM pool_domains WHERE domain = $1");
    let found = sqlx::query(&sql).bind(domain).fetch_optional(db).await?;
    found.as_ref().map(row).transpose()
}

pub(super) async fn list(db: &DbPool, pool_id: &str) -> Result<Vec<PoolDomain>, Fail> {
    let sql = format!("SELECT {COLUMNS} FROM pool_domains WHERE pool_id = $1 ORDER BY domain");
    let rows = sqlx::query(&sql).bind(pool_id).fetch_all(db).await?;
    rows.iter().map(row).collect()
}

pub(super) async fn update(db: &DbPool, d: &PoolDomain) -> Result<bool, Fail> {
    let done = sqlx::query(
        "UPDATE pool_domains SET certificate_arn = $1, managed_login_version = $2 \
         WHERE domain = $3 AND pool_id = $4",
    )
    .bind(&d.certificate_arn)
    .bind(d.managed_login_version)
    .bind(&d.domain)
    .bind(&d.pool_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn delete(db: &DbPool, pool_id: &str, domain: &str) -> Result<bool, Fail> {
    let done = sqlx::query("DELETE FROM pool_domains WHERE pool_id = $1 AND domain = $2")
        .bind(pool_id)
        .bind(domain)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
