//! `ForgotPassword`.

use keystep_core::service::recovery::ForgotPasswordInput;
use keystep_proto as proto;

use super::shape_user::render_delivery;
use crate::{ApiError, AppState};

/// Sends a password-reset code.
pub async fn handle(
    state: &AppState,
    req: proto::ForgotPasswordRequest,
) -> Result<proto::ForgotPasswordResponse, ApiError> {
    let d = state
        .keystep
        .forgot_password(ForgotPasswordInput {
            client_id: req.client_id,
            username: req.username,
            secret_hash: req.secret_hash.map(|s| s.0),
            client_metadata: req.client_metadata.unwrap_or_default(),
        })
        .await?;
    Ok(proto::ForgotPasswordResponse {
        code_delivery_details: Some(render_delivery(&d)),
    })
}
