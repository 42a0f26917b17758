//! `ConfirmForgotPassword`.

use keystep_core::service::recovery::ConfirmForgotPasswordInput;
use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Sets a new password with the reset code.
pub async fn handle(
    state: &AppState,
    req: proto::ConfirmForgotPasswordRequest,
) -> Result<proto::ConfirmForgotPasswordResponse, ApiError> {
    state
        .keystep
        .confirm_forgot_password(ConfirmForgotPasswordInput {
            client_id: req.client_id,
            username: req.username,
            confirmation_code: req.confirmation_code.0,
            password: req.password.0,
            secret_hash: req.secret_hash.map(|s| s.0),
            client_metadata: req.client_metadata.unwrap_or_default(),
        })
        .await?;
    Ok(proto::ConfirmForgotPasswordResponse {})
}
