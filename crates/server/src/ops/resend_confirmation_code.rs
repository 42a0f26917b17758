//! `ResendConfirmationCode`.

use keystep_core::service::signup::ResendConfirmationCodeInput;
use keystep_proto as proto;

use super::shape_user::render_delivery;
use crate::{ApiError, AppState};

/// Sends a new sign-up code (the previous one stops working).
pub async fn handle(
    state: &AppState,
    req: proto::ResendConfirmationCodeRequest,
) -> Result<proto::ResendConfirmationCodeResponse, ApiError> {
    let d = state
        .keystep
        .resend_confirmation_code(ResendConfirmationCodeInput {
            client_id: req.client_id,
            username: req.username,
            secret_hash: req.secret_hash.map(|s| s.0),
            client_metadata: req.client_metadata.unwrap_or_default(),
        })
        .await?;
    Ok(proto::ResendConfirmationCodeResponse {
        code_delivery_details: Some(render_delivery(&d)),
    })
}
