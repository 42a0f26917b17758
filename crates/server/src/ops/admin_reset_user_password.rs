//! `AdminResetUserPassword`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Puts a user in RESET_REQUIRED and sends a reset code.
pub async fn handle(
    state: &AppState,
    req: proto::AdminResetUserPasswordRequest,
) -> Result<proto::AdminResetUserPasswordResponse, ApiError> {
    state
        .keystep
        .admin_reset_user_password(&req.user_pool_id, &req.username)
        .await?;
    Ok(proto::AdminResetUserPasswordResponse {})
}
