//! `UpdateUserPoolClient`.

use keystep_proto as proto;

use super::shape_client::{render_client, ClientFields};
use crate::{ApiError, AppState};

/// Replaces an app client's settings; members not given return to their defaults.
pub async fn handle(
    state: &AppState,
    req: proto::UpdateUserPoolClientRequest,
) -> Result<proto::UpdateUserPoolClientResponse, ApiError> {
    let settings = ClientFields::of_update(&req).to_settings()?;
    let view = state
        .keystep
        .update_user_pool_client(
            &req.user_pool_id,
            &req.client_id,
            req.client_name.as_deref(),
            settings,
        )
        .await?;
    Ok(proto::UpdateUserPoolClientResponse {
        user_pool_client: Some(render_client(&view.client, view.secret.as_deref())),
    })
}
