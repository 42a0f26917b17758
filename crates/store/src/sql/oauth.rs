//! OAuth authorization codes (taken exactly once) and hosted sign-in sessions.

use sqlx::Row;

use keystep_core::ports::{HostedSessionRow, OAuthCodeRow};
use keystep_core::Millis;

use super::{DbPool, DbRow};
use crate::error::{on_insert, Fail};

const CODE_COLUMNS: &str = "hash, pool_id, client_id, sub, grant_json, expires_at";
const SESSION_COLUMNS: &str = "hash, pool_id, sub, auth_time, created_at, expires_at";

fn code(r: &DbRow) -> Result<OAuthCodeRow, Fail> {
    Ok(OAuthCodeRow {
        hash: r.try_get("hash")?,
        pool_id: r.try_get("pool_id")?,
        client_id: r.try_get("client_id")?,
        sub: r.try_get("sub")?,
        grant: r.try_get("grant_json")?,
        expires_at: Millis(r.try_get("expires_at")?),
    })
}

fn session(r: &DbRow) -> Result<HostedSessionRow, Fail> {
    Ok(HostedSessionRow {
        hash: r.try_get("hash")?,
        pool_id: r.try_get("pool_id")?,
        sub: r.try_get("sub")?,
        auth_time: Millis(r.try_get("auth_time")?),
        created_at: Millis(r.try_get("created_at")?),
        expires_at: Millis(r.try_get("expires_at")?),
    })
}

pub(super) async fn insert_code(db: &DbPool, c: &OAuthCodeRow) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO oauth_codes (hash, pool_id, client_id, sub, grant_json, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&c.hash)
    .bind(&c.pool_id)
    .bind(&c.client_id)
    .bind(&c.sub)
    .bind(&c.grant)
    .bind(c.expires_at.0)
    .execute(db)
    .await
    .map_err(on_insert("oauth_code"))?;
    Ok(())
}

/// `DELETE ... RETURNING`: the delete is the claim, so two redemptions cannot both win.
pub(super) async fn take_code(db: &DbPool, hash: &[u8]) -> Result<Option<OAuthCodeRow>, Fail> {
    let sql = format!("DELETE FROM oauth_codes WHERE hash = $1 RETURNING {CODE_COLUMNS}");
    let row = sqlx::query(&sql).bind(hash).fetch_optional(db).await?;
    row.as_ref().map(code).transpose()
}

pub(super) async fn insert_session(db: &DbPool, s: &HostedSessionRow) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO hosted_sessions (hash, pool_id, sub, auth_time, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.hash)
    .bind(&s.pool_id)
    .bind(&s.sub)
    .bind(s.auth_time.0)
    .bind(s.created_at.0)
    .bind(s.expires_at.0)
    .execute(db)
    .await
    .map_err(on_insert("hosted_session"))?;
    Ok(())
}

pub(super) async fn get_session(
    db: &DbPool,
    hash: &[u8],
) -> Result<Option<HostedSessionRow>, Fail> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM hosted_sessions WHERE hash = $1");
    let row = sqlx::query(&sql).bind(hash).fetch_optional(db).await?;
    row.as_ref().map(session).transpose()
}

pub(super) async fn delete_session(db: &DbPool, hash: &[u8]) -> Result<bool, Fail> {
    let done = sqlx::query("DELETE FROM hosted_sessions WHERE hash = $1")
        .bind(hash)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}
