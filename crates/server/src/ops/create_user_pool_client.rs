//! `CreateUserPoolClient`.

use keystep_core::AuthError;
use keystep_proto as proto;

use super::shape_client::{render_client, ClientFields};
use crate::{ApiError, AppState};

/// Creates an app client (with a generated secret when asked).
pub async fn handle(
    state: &AppState,
    req: proto::CreateUserPoolClientRequest,
) -> Result<proto::CreateUserPoolClientResponse, ApiError> {
    if req.client_secret.is_some() {
        return Err(AuthError::UnsupportedOperation(
            "Keystep does not support importing a ClientSecret yet; use GenerateSecret.".into(),
        )
        .into());
    }
    let settings = ClientFields::of_create(&req).to_settings()?;
    let view = state
        .keystep
        .create_user_pool_client(
            &req.user_pool_id,
            &req.client_name,
            req.generate_secret.unwrap_or(false),
            settings,
        )
        .await?;
    Ok(proto::CreateUserPoolClientResponse {
        user_pool_client: Some(render_client(&view.client, view.secret.as_deref())),
    })
}
