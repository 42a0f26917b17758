//! Identity providers (their details and mappings as JSON text), the identifiers they
//! claim (one row each, so the primary key keeps an identifier unique in the pool), and
//! the links between identities at a provider and users.

use std::collections::BTreeMap;

use sqlx::Row;

use keystep_core::identity_provider::{
    IdentityProvider, ProviderDetails, ProviderLink, ProviderType,
};
use keystep_core::{Millis, StoreError};

use super::{dialect, DbPool, DbRow, Tx};
use crate::error::{corrupt, on_insert, violates, Fail};

const COLUMNS: &str = "pool_id, name, provider_type, details, attribute_mapping, \
                       idp_identifiers, acr_mapping, created_at, modified_at";

fn map_of(r: &DbRow, column: &str) -> Result<BTreeMap<String, String>, Fail> {
    let text: String = r.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| corrupt("identity provider", e))
}

fn row(r: &DbRow) -> Result<IdentityProvider, Fail> {
    let type_name: String = r.try_get("provider_type")?;
    let provider_type = ProviderType::parse(&type_name)
        .ok_or_else(|| corrupt("identity provider", format!("type {type_name}")))?;
    let identifiers: String = r.try_get("idp_identifiers")?;
    Ok(IdentityProvider {
        pool_id: r.try_get("pool_id")?,
        name: r.try_get("name")?,
        provider_type,
        details: ProviderDetails(map_of(r, "details")?),
        attribute_mapping: map_of(r, "attribute_mapping")?,
        idp_identifiers: serde_json::from_str(&identifiers)
            .map_err(|e| corrupt("identity provider", e))?,
        acr_mapping: map_of(r, "acr_mapping")?,
        created_at: Millis(r.try_get("created_at")?),
        modified_at: Millis(r.try_get("modified_at")?),
    })
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, Fail> {
    serde_json::to_string(value).map_err(|e| corrupt("identity provider", e))
}

/// Claims the provider's identifiers; one already held in the pool is
/// `Conflict("identifier:<id>")`.
async fn claim_identifiers(tx: &mut Tx, p: &IdentityProvider) -> Result<(), Fail> {
    for id in &p.idp_identifiers {
        sqlx::query(
            "INSERT INTO identity_provider_identifiers (pool_id, identifier, provider_name) \
             VALUES ($1, $2, $3)",
        )
        .bind(&p.pool_id)
        .bind(id)
        .bind(&p.name)
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            let e = Fail::from(e);
            if violates(&e, "identifier") {
                Fail::Store(StoreError::Conflict(format!("identifier:{id}")))
            } else {
                on_insert("identifier")(e)
            }
        })?;
    }
    Ok(())
}

pub(super) async fn insert(db: &DbPool, p: &IdentityProvider, max: u32) -> Result<(), Fail> {
    let mut tx = dialect::begin(db).await?;
    // Lock the pool's row so that concurrent creates count one after the other (SQLite's
    // write transaction serializes them anyway; PostgreSQL's READ COMMITTED would not).
    sqlx::query("UPDATE pools SET name = name WHERE id = $1")
        .bind(&p.pool_id)
        .execute(&mut *tx)
        .await?;
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM identity_providers WHERE pool_id = $1")
        .bind(&p.pool_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if n >= i64::from(max) {
        return Err(StoreError::Conflict("limit".into()).into());
    }
    let sql = format!(
        "INSERT INTO identity_providers ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    );
    sqlx::query(&sql)
        .bind(&p.pool_id)
        .bind(&p.name)
        .bind(p.provider_type.as_str())
        .bind(json(&p.details.0)?)
        .bind(json(&p.attribute_mapping)?)
        .bind(json(&p.idp_identifiers)?)
        .bind(json(&p.acr_mapping)?)
        .bind(p.created_at.0)
        .bind(p.modified_at.0)
        .execute(&mut *tx)
        .await
        .map_err(on_insert("provider"))?;
    claim_identifiers(&mut tx, p).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn get(
    db: &DbPool,
    pool_id: &str,
    name: &str,
) -> Result<Option<IdentityProvider>, Fail> {
    let sql = format!("SELECT {COLUMNS} FROM identity_providers WHERE pool_id = $1 AND name = $2");
    let found = sqlx::query(&sql)
        .bind(pool_id)
        .bind(name)
        .fetch_optional(db)
        .await?;
    found.as_ref().map(row).transpose()
}

pub(super) async fn get_by_identifier(
    db: &DbPool,
    pool_id: &str,
    identifier: &str,
) -> Result<Option<IdentityProvider>, Fail> {
    let sql = format!(
        "SELECT {} FROM identity_providers p \
         JOIN identity_provider_identifiers i \
           ON i.pool_id = p.pool_id AND i.provider_name = p.name \
         WHERE i.pool_id = $1 AND i.identifier = $2",
        COLUMNS
            .split(", ")
            .map(|c| format!("p.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let found = sqlx::query(&sql)
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
) -> Result<Vec<IdentityProvider>, Fail> {
    let sql = format!(
        "SELECT {COLUMNS} FROM identity_providers WHERE pool_id = $1 AND name > $2 \
         ORDER BY name LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(pool_id)
        .bind(after.unwrap_or(""))
        .bind(i64::from(limit))
        .fetch_all(db)
        .await?;
    rows.iter().map(row).collect()
}

pub(super) async fn update(db: &DbPool, p: &IdentityProvider) -> Result<bool, Fail> {
    let mut tx = dialect::begin(db).await?;
    let done = sqlx::query(
        "UPDATE identity_providers SET details = $1, attribute_mapping = $2, \
         idp_identifiers = $3, acr_mapping = $4, modified_at = $5 \
         WHERE pool_id = $6 AND name = $7",
    )
    .bind(json(&p.details.0)?)
    .bind(json(&p.attribute_mapping)?)
    .bind(json(&p.idp_identifiers)?)
    .bind(json(&p.acr_mapping)?)
    .bind(p.modified_at.0)
    .bind(&p.pool_id)
    .bind(&p.name)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "DELETE FROM identity_provider_identifiers WHERE pool_id = $1 AND provider_name = $2",
    )
    .bind(&p.pool_id)
    .bind(&p.name)
    .execute(&mut *tx)
    .await?;
    claim_identifiers(&mut tx, p).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes the provider; its identifiers and links go by cascade.
pub(super) async fn delete(db: &DbPool, pool_id: &str, name: &str) -> Result<bool, Fail> {
    let done = sqlx::query("DELETE FROM identity_providers WHERE pool_id = $1 AND name = $2")
        .bind(pool_id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn link_row(r: &DbRow) -> Result<ProviderLink, Fail> {
    Ok(ProviderLink {
        pool_id: r.try_get("pool_id")?,
        provider_name: r.try_get("provider_name")?,
        attribute_name: r.try_get("attribute_name")?,
        subject: r.try_get("subject")?,
        sub: r.try_get("sub")?,
        created_at: Millis(r.try_get("created_at")?),
    })
}

pub(super) async fn insert_link(db: &DbPool, l: &ProviderLink, max: u32) -> Result<(), Fail> {
    let mut tx = dialect::begin(db).await?;
    // Lock the user's row so that concurrent links of one user count one after the other.
    sqlx::query("UPDATE users SET version = version WHERE pool_id = $1 AND sub = $2")
        .bind(&l.pool_id)
        .bind(&l.sub)
        .execute(&mut *tx)
        .await?;
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM identity_provider_links WHERE pool_id = $1 AND sub = $2",
    )
    .bind(&l.pool_id)
    .bind(&l.sub)
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    if n >= i64::from(max) {
        return Err(StoreError::Conflict("limit".into()).into());
    }
    sqlx::query(
        "INSERT INTO identity_provider_links \
         (pool_id, provider_name, subject, attribute_name, sub, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&l.pool_id)
    .bind(&l.provider_name)
    .bind(&l.subject)
    .bind(&l.attribute_name)
    .bind(&l.sub)
    .bind(l.created_at.0)
    .execute(&mut *tx)
    .await
    .map_err(on_insert("link"))?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn get_link(
    db: &DbPool,
    pool_id: &str,
    provider_name: &str,
    subject: &str,
) -> Result<Option<ProviderLink>, Fail> {
    let found = sqlx::query(
        "SELECT pool_id, provider_name, subject, attribute_name, sub, created_at \
         FROM identity_provider_links \
         WHERE pool_id = $1 AND provider_name = $2 AND subject = $3",
    )
    .bind(pool_id)
    .bind(provider_name)
    .bind(subject)
    .fetch_optional(db)
    .await?;
    found.as_ref().map(link_row).transpose()
}

pub(super) async fn delete_link(
    db: &DbPool,
    pool_id: &str,
    provider_name: &str,
    subject: &str,
) -> Result<bool, Fail> {
    let done = sqlx::query(
        "DELETE FROM identity_provider_links \
         WHERE pool_id = $1 AND provider_name = $2 AND subject = $3",
    )
    .bind(pool_id)
    .bind(provider_name)
    .bind(subject)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
