//! `SetUICustomization` / `GetUICustomization`, and the branding the hosted pages link.

use crate::error::AuthError;
use crate::pool::UserPool;
use crate::ui_customization::{
    check_css, ImageType, UiCustomization, ALL_CLIENTS, MAX_IMAGE_BYTES,
};

use super::Keystep;

/// The path under `public_url` (and under every pool domain) where the assets are served:
/// `<this>/<poolId>/<clientId>/<CSSVersion>/custom.css` and `…/assets/images/image.jpg`.
pub const ASSET_PATH: &str = "/ui";

/// One of a customization's two assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asset {
    /// The style sheet.
    Css,
    /// The logo.
    Logo,
}

impl Asset {
    /// The last part of its path.
    pub fn file(self) -> &'static str {
        match self {
            Asset::Css => "custom.css",
            Asset::Logo => "assets/images/image.jpg",
        }
    }
}

/// The path (from the origin) of an asset of `c`.
pub fn asset_path(c: &UiCustomization, asset: Asset) -> String {
    format!(
        "{ASSET_PATH}/{}/{}/{}/{}",
        c.pool_id,
        c.client_id,
        c.css_version,
        asset.file()
    )
}

/// `ClientId`: `[\w+]+`, 1–128.
fn check_client_id(id: &str) -> Result<(), AuthError> {
    let ok = (1..=128).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+');
    if !ok {
        return Err(AuthError::InvalidParameter(
            "1 validation error detected: Value at 'clientId' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\w+]+"
                .into(),
        ));
    }
    Ok(())
}

impl Keystep {
    /// The pool, which must have a domain (the pages are served there), and the client
    /// id the request names (`ALL` when absent), which must be the pool's.
    async fn branding_target(
        &self,
        pool_id: &str,
        client_id: Option<&str>,
    ) -> Result<(UserPool, String), AuthError> {
        let client_id = client_id.unwrap_or(ALL_CLIENTS);
        check_client_id(client_id)?;
        let pool = if client_id == ALL_CLIENTS {
            self.load_pool(pool_id).await?
        } else {
            self.load_pool_client(pool_id, client_id).await?.1
        };
        if self.store.list_pool_domains(&pool.id).await?.is_empty() {
            return Err(AuthError::InvalidParameter(
                "There has to be an existing domain associated with this user pool".into(),
            ));
        }
        Ok((pool, client_id.to_string()))
    }

    /// `SetUICustomization`: replaces the style sheet and the logo together (a call with
    /// neither clears them).
    pub async fn set_ui_customization(
        &self,
        pool_id: &str,
        client_id: Option<&str>,
        css: Option<String>,
        image: Option<Vec<u8>>,
    ) -> Result<UiCustomization, AuthError> {
        let css = css.filter(|c| !c.trim().is_empty());
        if let Some(css) = &css {
            check_css(css).map_err(|e| AuthError::InvalidParameter(e.to_string()))?;
        }
        let image = image.filter(|i| !i.is_empty());
        if let Some(image) = &image {
            if image.len() > MAX_IMAGE_BYTES || ImageType::sniff(image).is_none() {
                return Err(AuthError::InvalidParameter(
                    "The uploaded image must be a PNG or JPEG file of at most 100 KB.".into(),
                ));
            }
        }
        let (pool, client_id) = self.branding_target(pool_id, client_id).await?;
        let now = self.clock.now();
        let created_at = self
            .store
            .get_ui_customization(&pool.id, &client_id)
            .await?
            .map_or(now, |c| c.created_at);
        let c = UiCustomization {
            pool_id: pool.id,
            client_id,
            css,
            image,
            css_version: now.utc_compact(),
            created_at,
            modified_at: now,
        };
        self.store.put_ui_customization(&c).await?;
        Ok(c)
    }

    /// `GetUICustomization`: the client's own customization, else the pool's, else none.
    pub async fn get_ui_customization(
        &self,
        pool_id: &str,
        client_id: Option<&str>,
    ) -> Result<Option<UiCustomization>, AuthError> {
        let (pool, client_id) = self.branding_target(pool_id, client_id).await?;
        self.effective_customization(&pool.id, &client_id).await
    }

    async fn effective_customization(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<Option<UiCustomization>, AuthError> {
        if let Some(own) = self.store.get_ui_customization(pool_id, client_id).await? {
            return Ok(Some(own));
        }
        Ok(self
            .store
            .get_ui_customization(pool_id, ALL_CLIENTS)
            .await?)
    }

    /// What the hosted pages of `client_id` show: its customization or the pool's, when
    /// it styles anything.
    pub async fn hosted_branding(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<Option<UiCustomization>, AuthError> {
        Ok(self
            .effective_customization(pool_id, client_id)
            .await?
            .filter(|c| !c.is_empty()))
    }

    /// An asset, if `version` is the customization's current one: its bytes and media
    /// type.
    pub async fn ui_asset(
        &self,
        pool_id: &str,
        client_id: &str,
        version: &str,
        asset: Asset,
    ) -> Result<Option<(Vec<u8>, &'static str)>, AuthError> {
        let Some(c) = self.store.get_ui_customization(pool_id, client_id).await? else {
            return Ok(None);
        };
        if c.css_version != version {
            return Ok(None);
        }
        Ok(match asset {
            Asset::Css => c
                .css
                .map(|css| (css.into_bytes(), "text/css; charset=utf-8")),
            Asset::Logo => c
                .image
                .and_then(|image| ImageType::sniff(&image).map(|t| (image, t.content_type()))),
        })
    }

    /// The absolute URL of an asset (`ImageUrl`).
    pub fn ui_asset_url(&self, c: &UiCustomization, asset: Asset) -> String {
        format!(
            "{}{}",
            self.config.public_url.trim_end_matches('/'),
            asset_path(c, asset)
        )
    }
}
