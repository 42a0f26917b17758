//! Registered passkeys, and the one pending registration per user.

use sqlx::Row;

use keystep_core::passkey::{PendingRegistration, StoredPasskey};
use keystep_core::Millis;

use super::{DbPool, DbRow};
use crate::error::{on_insert, Fail};

const COLUMNS: &str = "credential_id, pool_id, sub, rp_id, passkey, name, attachment, \
                       transports, created_at";

fn row(r: &DbRow) -> Result<StoredPasskey, Fail> {
    let transports: String = r.try_get("transports")?;
    Ok(StoredPasskey {
        credential_id: r.try_get("credential_id")?,
        pool_id: r.try_get("pool_id")?,
        sub: r.try_get("sub")?,
        relying_party_id: r.try_get("rp_id")?,
        passkey: r.try_get("passkey")?,
        name: r.try_get("name")?,
        attachment: r.try_get("attachment")?,
        transports: serde_json::from_str(&transports).unwrap_or_default(),
        created_at: Millis(r.try_get("created_at")?),
    })
}

pub(super) async fn insert(db: &DbPool, p: &StoredPasskey) -> Result<(), Fail> {
    let transports = serde_json::to_string(&p.transports).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO passkeys (credential_id, pool_id, sub, rp_id, passkey, name, attachment, \
         transports, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&p.credential_id)
    .bind(&p.pool_id)
    .bind(&p.sub)
    .bind(&p.relying_party_id)
    .bind(&p.passkey)
    .bind(&p.name)
    .bind(&p.attachment)
    .bind(transports)
    .bind(p.created_at.0)
    .execute(db)
    .await
    .map_err(on_insert("passkey"))?;
    Ok(())
}

pub(super) async fn list(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
) -> Result<Vec<StoredPasskey>, Fail> {
    let sql = format!(
        "SELECT {COLUMNS} FROM passkeys WHERE pool_id = $1 AND sub = $2 \
         ORDER BY created_at, credential_id"
    );
    let rows = sqlx::query(&sql)
        .bind(pool_id)
        .bind(sub)
        .fetch_all(db)
        .await?;
    rows.iter().map(row).collect()
}

pub(super) async fn update(
    db: &DbPool,
    pool_id: &str,
    credential_id: &str,
    passkey: &str,
) -> Result<(), Fail> {
    sqlx::query("UPDATE passkeys SET passkey = $1 WHERE pool_id = $2 AND credential_id = $3")
        .bind(passkey)
        .bind(pool_id)
        .bind(credential_id)
        .execute(db)
        .await?;
    Ok(())
}

pub(super) async fn delete(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    credential_id: &str,
) -> Result<bool, Fail> {
    let done =
        sqlx::query("DELETE FROM passkeys WHERE pool_id = $1 AND sub = $2 AND credential_id = $3")
            .bind(pool_id)
            .bind(sub)
            .bind(credential_id)
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn put_registration(db: &DbPool, p: &PendingRegistration) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO passkey_registrations (pool_id, sub, client_id, state, expires_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pool_id, sub) DO UPDATE SET \
         client_id = excluded.client_id, state = excluded.state, expires_at = excluded.expires_at",
    )
    .bind(&p.pool_id)
    .bind(&p.sub)
    .bind(&p.client_id)
    .bind(&p.state)
    .bind(p.expires_at.0)
    .execute(db)
    .await
    .map_err(on_insert("passkey registration"))?;
    Ok(())
}

pub(super) async fn take_registration(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
) -> Result<Option<PendingRegistration>, Fail> {
    let found = sqlx::query(
        "DELETE FROM passkey_registrations WHERE pool_id = $1 AND sub = $2 \
         RETURNING pool_id, sub, client_id, state, expires_at",
    )
    .bind(pool_id)
    .bind(sub)
    .fetch_optional(db)
    .await?;
    found
        .map(|r| {
            Ok(PendingRegistration {
                pool_id: r.try_get("pool_id")?,
                sub: r.try_get("sub")?,
                client_id: r.try_get("client_id")?,
                state: r.try_get("state")?,
                expires_at: Millis(r.try_get("expires_at")?),
            })
        })
        .transpose()
}
