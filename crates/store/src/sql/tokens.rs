//! Refresh tokens (by the hash of their value) and revoked sign-ins.
//!
//! Revoking a refresh token also records its sign-in (`origin_jti`) in `revoked_origins`,
//! so the access and ID tokens minted from that sign-in are refused too.

use rusqlite::Connection;

use sqlx::Row;

use keystep_core::ports::{RefreshContext, RefreshTokenRow, TokenHolder};
use keystep_core::user::User;
use keystep_core::user_session::TokenSession;
use keystep_core::Millis;

use super::rows::{
    self, CLIENT_COLUMNS_C, POOL_COLUMNS_P, TOKEN_COLUMNS, TOKEN_COLUMNS_T, USER_COLUMNS,
};
use super::{dialect, query_with, DbPool, Tx};
use crate::cols::Cols;
use crate::error::{on_insert, Fail};
use crate::lane;
use crate::params::{params, Param};

/// How long a revoked sign-in is remembered past its refresh token's expiry: the longest
/// an access token can live (Cognito allows one day), since one may be minted from the
/// refresh token right before it expires.
const ORIGIN_MEMORY_MS: i64 = 24 * 3600 * 1000;

const INSERT: &str = "INSERT INTO refresh_tokens (hash, pool_id, client_id, sub, origin_jti, \
     auth_time, created_at, expires_at, revoked, device_key, scope, rotated_until) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

fn insert_params(t: &RefreshTokenRow) -> [Param<'_>; 12] {
    params![
        &t.hash,
        &t.pool_id,
        &t.client_id,
        &t.sub,
        &t.origin_jti,
        t.auth_time.0,
        t.created_at.0,
        t.expires_at.0,
        t.revoked,
        &t.device_key,
        &t.scope,
        t.rotated_until.map(|m| m.0),
    ]
}

/// [`insert`] on the fast lane.
pub(super) fn insert_now(conn: &Connection, t: &RefreshTokenRow) -> Result<(), Fail> {
    lane::execute(conn, INSERT, &insert_params(t)).map_err(on_insert("refresh_token"))?;
    Ok(())
}

pub(super) async fn insert(db: &DbPool, t: &RefreshTokenRow) -> Result<(), Fail> {
    query_with(INSERT, &insert_params(t))
        .execute(db)
        .await
        .map_err(on_insert("refresh_token"))?;
    Ok(())
}

pub(super) async fn rotate(
    db: &DbPool,
    old_hash: &[u8],
    now: Millis,
    grace_until: Millis,
    next: &RefreshTokenRow,
) -> Result<bool, Fail> {
    let mut tx = dialect::begin(db).await?;
    let live = sqlx::query(
        "UPDATE refresh_tokens SET rotated_until = COALESCE(rotated_until, $1) \
         WHERE hash = $2 AND revoked = FALSE AND expires_at > $3 \
         AND (rotated_until IS NULL OR rotated_until > $3)",
    )
    .bind(grace_until.0)
    .bind(old_hash)
    .bind(now.0)
    .execute(&mut *tx)
    .await?;
    if live.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO refresh_tokens (hash, pool_id, client_id, sub, origin_jti, auth_time, \
         created_at, expires_at, revoked, device_key, scope, rotated_until) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE, $9, $10, NULL)",
    )
    .bind(&next.hash)
    .bind(&next.pool_id)
    .bind(&next.client_id)
    .bind(&next.sub)
    .bind(&next.origin_jti)
    .bind(next.auth_time.0)
    .bind(next.created_at.0)
    .bind(next.expires_at.0)
    .bind(&next.device_key)
    .bind(&next.scope)
    .execute(&mut *tx)
    .await
    .map_err(on_insert("refresh_token"))?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn get(db: &DbPool, hash: &[u8]) -> Result<Option<RefreshTokenRow>, Fail> {
    let sql = format!("SELECT {TOKEN_COLUMNS} FROM refresh_tokens WHERE hash = $1");
    let row = sqlx::query(&sql).bind(hash).fetch_optional(db).await?;
    row.as_ref().map(rows::refresh_token).transpose()
}

fn with_user_sql() -> &'static str {
    sql_once!(
        "SELECT {TOKEN_COLUMNS_T}, {USER_COLUMNS} FROM refresh_tokens rt \
         LEFT JOIN users u ON u.pool_id = rt.pool_id AND u.sub = rt.sub WHERE rt.hash = $1"
    )
}

fn with_user_row(row: &impl Cols) -> Result<(RefreshTokenRow, Option<User>), Fail> {
    let found: Option<String> = row.col("sub")?;
    Ok((
        rows::prefixed_refresh_token(row)?,
        found.map(|_| rows::user(row)).transpose()?,
    ))
}

/// The token and its user in one statement.
pub(super) async fn get_with_user(
    db: &DbPool,
    hash: &[u8],
) -> Result<Option<(RefreshTokenRow, Option<User>)>, Fail> {
    let row = query_with(with_user_sql(), &params![hash])
        .fetch_optional(db)
        .await?;
    row.as_ref().map(with_user_row).transpose()
}

/// [`get_with_user`] on the fast lane.
pub(super) fn get_with_user_now(
    conn: &Connection,
    hash: &[u8],
) -> Result<Option<(RefreshTokenRow, Option<User>)>, Fail> {
    lane::one(conn, with_user_sql(), &params![hash], |r| with_user_row(r))
}

/// The app client with its pool, and the token with its user, in one statement: what
/// a refresh reads. The token's columns are all NULL when no token has the hash.
fn with_client_sql() -> &'static str {
    sql_once!(
        "SELECT {CLIENT_COLUMNS_C}, {POOL_COLUMNS_P}, {TOKEN_COLUMNS_T}, {USER_COLUMNS} \
             FROM app_clients c JOIN pools p ON p.id = c.pool_id \
             LEFT JOIN refresh_tokens rt ON rt.hash = $2 \
             LEFT JOIN users u ON u.pool_id = rt.pool_id AND u.sub = rt.sub \
             WHERE c.client_id = $1"
    )
}

fn with_client_row(row: &impl Cols) -> Result<RefreshContext, Fail> {
    let client = rows::prefixed_client(row)?;
    let pool = rows::prefixed_pool(row)?;
    let token = match row.col::<Option<Vec<u8>>>("t_hash")? {
        Some(_) => Some(with_user_row(row)?),
        None => None,
    };
    Ok(RefreshContext {
        client,
        pool,
        token,
    })
}

pub(super) async fn get_with_client(
    db: &DbPool,
    client_id: &str,
    hash: &[u8],
) -> Result<Option<RefreshContext>, Fail> {
    let row = query_with(with_client_sql(), &params![client_id, hash])
        .fetch_optional(db)
        .await?;
    row.as_ref().map(with_client_row).transpose()
}

/// [`get_with_client`] on the fast lane.
pub(super) fn get_with_client_now(
    conn: &Connection,
    client_id: &str,
    hash: &[u8],
) -> Result<Option<RefreshContext>, Fail> {
    lane::one(conn, with_client_sql(), &params![client_id, hash], |r| {
        with_client_row(r)
    })
}

/// Revokes one token and its sign-in — every token of that sign-in, which rotation may
/// have made several of; whether one was live before.
pub(super) async fn revoke(db: &DbPool, hash: &[u8]) -> Result<bool, Fail> {
    let mut tx = dialect::begin(db).await?;
    let revoked = sqlx::query(
        "UPDATE refresh_tokens SET revoked = TRUE WHERE revoked = FALSE AND origin_jti = \
         (SELECT origin_jti FROM refresh_tokens WHERE hash = $1) \
         RETURNING origin_jti, expires_at",
    )
    .bind(hash)
    .fetch_all(&mut *tx)
    .await?;
    remember_origins(&mut tx, &revoked).await?;
    tx.commit().await?;
    Ok(!revoked.is_empty())
}

/// A user's live sessions: refresh tokens grouped by sign-in, most recently active first.
pub(super) async fn sessions(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    now: Millis,
    limit: u32,
) -> Result<Vec<TokenSession>, Fail> {
    let rows = sqlx::query(
        "SELECT origin_jti, MIN(client_id) AS client_id, MIN(auth_time) AS created_at, \
         MAX(COALESCE(last_active_at, created_at)) AS last_active_at FROM refresh_tokens \
         WHERE pool_id = $1 AND sub = $2 AND revoked = FALSE AND expires_at > $3 \
         AND (rotated_until IS NULL OR rotated_until > $3) \
         GROUP BY origin_jti ORDER BY last_active_at DESC, origin_jti LIMIT $4",
    )
    .bind(pool_id)
    .bind(sub)
    .bind(now.0)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TokenSession {
                origin_jti: r.try_get("origin_jti")?,
                client_id: r.try_get("client_id")?,
                created_at: Millis(r.try_get("created_at")?),
                last_active_at: Millis(r.try_get("last_active_at")?),
            })
        })
        .collect()
}

pub(super) async fn touch(db: &DbPool, hash: &[u8], now: Millis) -> Result<(), Fail> {
    sqlx::query("UPDATE refresh_tokens SET last_active_at = $1 WHERE hash = $2")
        .bind(now.0)
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Revokes one sign-in of a user (all its refresh tokens) and remembers it.
pub(super) async fn revoke_sign_in(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    origin_jti: &str,
) -> Result<bool, Fail> {
    let mut tx = dialect::begin(db).await?;
    let revoked = sqlx::query(
        "UPDATE refresh_tokens SET revoked = TRUE WHERE pool_id = $1 AND sub = $2 \
         AND origin_jti = $3 AND revoked = FALSE RETURNING origin_jti, expires_at",
    )
    .bind(pool_id)
    .bind(sub)
    .bind(origin_jti)
    .fetch_all(&mut *tx)
    .await?;
    remember_origins(&mut tx, &revoked).await?;
    tx.commit().await?;
    Ok(!revoked.is_empty())
}

/// Revokes every live token of a user and their sign-ins; how many were live.
pub(super) async fn revoke_user(db: &DbPool, pool_id: &str, sub: &str) -> Result<u64, Fail> {
    let mut tx = dialect::begin(db).await?;
    let n = revoke_user_in(&mut tx, pool_id, sub).await?;
    tx.commit().await?;
    Ok(n)
}

/// [`revoke_user`] inside a caller's transaction.
pub(super) async fn revoke_user_in(tx: &mut Tx, pool_id: &str, sub: &str) -> Result<u64, Fail> {
    let revoked = sqlx::query(
        "UPDATE refresh_tokens SET revoked = TRUE \
         WHERE pool_id = $1 AND sub = $2 AND revoked = FALSE RETURNING origin_jti, expires_at",
    )
    .bind(pool_id)
    .bind(sub)
    .fetch_all(&mut **tx)
    .await?;
    remember_origins(tx, &revoked).await?;
    Ok(revoked.len() as u64)
}

/// Records the sign-ins of just-revoked tokens (rows of `origin_jti, expires_at`).
async fn remember_origins(tx: &mut Tx, revoked: &[super::DbRow]) -> Result<(), Fail> {
    for row in revoked {
        let origin: String = row.try_get("origin_jti")?;
        let expires_at: i64 = row.try_get("expires_at")?;
        sqlx::query(
            "INSERT INTO revoked_origins (origin_jti, expires_at) VALUES ($1, $2) \
             ON CONFLICT (origin_jti) DO UPDATE SET expires_at = CASE \
             WHEN excluded.expires_at > revoked_origins.expires_at THEN excluded.expires_at \
             ELSE revoked_origins.expires_at END",
        )
        .bind(origin)
        .bind(expires_at.saturating_add(ORIGIN_MEMORY_MS))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Pool, user (left-joined: it may be gone) and revocation in one statement.
fn holder_sql() -> &'static str {
    sql_once!(
        "SELECT {POOL_COLUMNS_P}, {USER_COLUMNS}, \
         EXISTS (SELECT 1 FROM revoked_origins r WHERE r.origin_jti = $3) AS origin_revoked \
         FROM pools p LEFT JOIN users u ON u.pool_id = p.id AND u.sub = $2 \
         WHERE p.id = $1"
    )
}

fn holder_row(row: &impl Cols) -> Result<TokenHolder, Fail> {
    let found: Option<String> = row.col("sub")?;
    Ok(TokenHolder {
        pool: rows::prefixed_pool(row)?,
        user: found.map(|_| rows::user(row)).transpose()?,
        origin_revoked: row.col("origin_revoked")?,
    })
}

pub(super) async fn holder(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    origin_jti: &str,
) -> Result<Option<TokenHolder>, Fail> {
    let row = query_with(holder_sql(), &params![pool_id, sub, origin_jti])
        .fetch_optional(db)
        .await?;
    row.as_ref().map(holder_row).transpose()
}

/// [`holder`] on the fast lane.
pub(super) fn holder_now(
    conn: &Connection,
    pool_id: &str,
    sub: &str,
    origin_jti: &str,
) -> Result<Option<TokenHolder>, Fail> {
    lane::one(
        conn,
        holder_sql(),
        &params![pool_id, sub, origin_jti],
        |r| holder_row(r),
    )
}
