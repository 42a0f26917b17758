//! The assets of a hosted UI customization: the style sheet and the logo, served from
//! Keystep's own origin under versioned paths (so they are cached for good and a change
//! shows at once), never sniffed as anything else.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use keystep_core::service::ui_customization::Asset;

use crate::AppState;

async fn serve(
    state: &AppState,
    pool: &str,
    client: &str,
    version: &str,
    asset: Asset,
) -> Response {
    match state.keystep.ui_asset(pool, client, version, asset).await {
        Ok(Some((bytes, content_type))) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => crate::ApiError::from(e).into_response(),
    }
}

/// `GET /ui/<pool>/<client>/<version>/custom.css`.
pub async fn css(
    State(state): State<AppState>,
    Path((pool, client, version)): Path<(String, String, String)>,
) -> Response {
    serve(&state, &pool, &client, &version, Asset::Css).await
}

/// `GET /ui/<pool>/<client>/<version>/assets/images/image.jpg`.
pub async fn logo(
    State(state): State<AppState>,
    Path((pool, client, version)): Path<(String, String, String)>,
) -> Response {
    serve(&state, &pool, &client, &version, Asset::Logo).await
}
