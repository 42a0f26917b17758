//! Hosted UI customizations, one row per pool and client id (or `ALL`).

use sqlx::Row;

use keystep_core::ui_customization::UiCustomization;
use keystep_core::Millis;

use super::{DbPool, DbRow};
use crate::error::{on_insert, Fail};

fn row(r: &DbRow) -> Result<UiCustomization, Fail> {
    Ok(UiCustomization {
        pool_id: r.try_get("pool_id")?,
        client_id: r.try_get("client_id")?,
        css: r.try_get("css")?,
        image: r.try_get("image")?,
        css_version: r.try_get("css_version")?,
        created_at: Millis(r.try_get("created_at")?),
        modified_at: Millis(r.try_get("modified_at")?),
    })
}

/// Upsert: the first write sets `created_at`, later ones keep it.
pub(super) async fn put(db: &DbPool, c: &UiCustomization) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO ui_customizations \
         (pool_id, client_id, css, image, css_version, created_at, modified_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (pool_id, client_id) DO UPDATE SET css = excluded.css, \
         image = excluded.image, css_version = excluded.css_version, \
         modified_at = excluded.modified_at",
    )
    .bind(&c.pool_id)
    .bind(&c.client_id)
    .bind(&c.css)
    .bind(&c.image)
    .bind(&c.css_version)
    .bind(c.created_at.0)
    .bind(c.modified_at.0)
    .execute(db)
    .await
    .map_err(on_insert("ui customization"))?;
    Ok(())
}

pub(super) async fn get(
    db: &DbPool,
    pool_id: &str,
    client_id: &str,
) -> Result<Option<UiCustomization>, Fail> {
    let found = sqlx::query(
        "SELECT pool_id, client_id, css, image, css_version, created_at, modified_at \
         FROM ui_customizations WHERE pool_id = $1 AND client_id = $2",
    )
    .bind(pool_id)
    .bind(client_id)
    .fetch_optional(db)
    .await?;
    found.as_ref().map(row).transpose()
}
