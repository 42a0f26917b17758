//! Confirmed devices of users (remembered or not), by key.

use sqlx::Row;

use keystep_core::device::{Device, DeviceStatus};
use keystep_core::Millis;

use super::{DbPool, DbRow};
use crate::error::{on_insert, Fail};

const COLUMNS: &str = "device_key, pool_id, sub, group_key, name, status, verifier, \
                       created_at, modified_at, last_auth_at";

fn status_name(s: DeviceStatus) -> &'static str {
    s.as_str()
}

fn row(r: &DbRow) -> Result<Device, Fail> {
    let status: String = r.try_get("status")?;
    Ok(Device {
        key: r.try_get("device_key")?,
        pool_id: r.try_get("pool_id")?,
        sub: r.try_get("sub")?,
        group_key: r.try_get("group_key")?,
        name: r.try_get("name")?,
        // An unknown status (a newer build's) reads as the safe one: never skips MFA.
        status: DeviceStatus::parse(&status).unwrap_or(DeviceStatus::NotRemembered),
        verifier: r.try_get("verifier")?,
        created_at: Millis(r.try_get("created_at")?),
        modified_at: Millis(r.try_get("modified_at")?),
        last_authenticated_at: r.try_get::<Option<i64>, _>("last_auth_at")?.map(Millis),
    })
}

pub(super) async fn insert(db: &DbPool, d: &Device) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO devices (device_key, pool_id, sub, group_key, name, status, verifier, \
         created_at, modified_at, last_auth_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&d.key)
    .bind(&d.pool_id)
    .bind(&d.sub)
    .bind(&d.group_key)
    .bind(&d.name)
    .bind(status_name(d.status))
    .bind(&d.verifier)
    .bind(d.created_at.0)
    .bind(d.modified_at.0)
    .bind(d.last_authenticated_at.map(|m| m.0))
    .execute(db)
    .await
    .map_err(on_insert("device"))?;
    Ok(())
}

pub(super) async fn get(db: &DbPool, pool_id: &str, key: &str) -> Result<Option<Device>, Fail> {
    let sql = format!("SELECT {COLUMNS} FROM devices WHERE pool_id = $1 AND device_key = $2");
    let found = sqlx::query(&sql)
        .bind(pool_id)
        .bind(key)
        .fetch_optional(db)
        .await?;
    found.as_ref().map(row).transpose()
}

pub(super) async fn set_status(
    db: &DbPool,
    pool_id: &str,
    key: &str,
    status: DeviceStatus,
    now: Millis,
) -> Result<bool, Fail> {
    let done = sqlx::query(
        "UPDATE devices SET status = $1, modified_at = $2 WHERE pool_id = $3 AND device_key = $4",
    )
    .bind(status_name(status))
    .bind(now.0)
    .bind(pool_id)
    .bind(key)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn authenticated(
    db: &DbPool,
    pool_id: &str,
    key: &str,
    now: Millis,
) -> Result<(), Fail> {
    sqlx::query("UPDATE devices SET last_auth_at = $1 WHERE pool_id = $2 AND device_key = $3")
        .bind(now.0)
        .bind(pool_id)
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

pub(super) async fn delete(db: &DbPool, pool_id: &str, key: &str) -> Result<bool, Fail> {
    let done = sqlx::query("DELETE FROM devices WHERE pool_id = $1 AND device_key = $2")
        .bind(pool_id)
        .bind(key)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn list(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    remembered_only: bool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<Device>, Fail> {
    let sql = format!(
        "SELECT {COLUMNS} FROM devices WHERE pool_id = $1 AND sub = $2 \
         AND ($3 = FALSE OR status = 'remembered') AND device_key > $4 \
         ORDER BY device_key LIMIT $5"
    );
    let rows = sqlx::query(&sql)
        .bind(pool_id)
        .bind(sub)
        .bind(remembered_only)
        .bind(after.unwrap_or(""))
        .bind(i64::from(limit))
        .fetch_all(db)
        .await?;
    rows.iter().map(row).collect()
}
