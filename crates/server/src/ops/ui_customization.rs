//! `SetUICustomization` and `GetUICustomization`.

use base64::Engine;
use keystep_core::service::ui_customization::Asset;
use keystep_core::ui_customization::UiCustomization;
use keystep_core::AuthError;
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn shape(state: &AppState, c: Option<&UiCustomization>) -> proto::UiCustomizationResponse {
    let Some(c) = c else {
        return proto::UiCustomizationResponse::default();
    };
    // A cleared customization keeps only its ids and version, as Cognito's does.
    let set = !c.is_empty();
    proto::UiCustomizationResponse {
        ui_customization: proto::UiCustomizationType {
            user_pool_id: Some(c.pool_id.clone()),
            client_id: Some(c.client_id.clone()),
            image_url: c
                .image
                .as_ref()
                .map(|_| state.keystep.ui_asset_url(c, Asset::Logo)),
            css: c.css.clone(),
            css_version: Some(c.css_version.clone()),
            last_modified_date: set.then(|| c.modified_at.as_secs_f64()),
            creation_date: set.then(|| c.created_at.as_secs_f64()),
        },
    }
}

/// Sets the branding of the pool (`ALL`) or of one client.
pub async fn set(
    state: &AppState,
    req: proto::SetUiCustomizationRequest,
) -> Result<proto::UiCustomizationResponse, ApiError> {
    let image = match req.image_file {
        Some(b64) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|_| {
                    AuthError::InvalidParameter("ImageFile is not valid base64.".into())
                })?,
        ),
        None => None,
    };
    let c = state
        .keystep
        .set_ui_customization(&req.user_pool_id, req.client_id.as_deref(), req.css, image)
        .await?;
    Ok(shape(state, Some(&c)))
}

/// Reads the branding a client's pages show.
pub async fn get(
    state: &AppState,
    req: proto::GetUiCustomizationRequest,
) -> Result<proto::UiCustomizationResponse, ApiError> {
    let c = state
        .keystep
        .get_ui_customization(&req.user_pool_id, req.client_id.as_deref())
        .await?;
    Ok(shape(state, c.as_ref()))
}
