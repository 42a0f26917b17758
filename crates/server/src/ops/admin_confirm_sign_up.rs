//! `AdminConfirmSignUp`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Confirms a user without a code.
pub async fn handle(
    state: &AppState,
    req: proto::AdminConfirmSignUpRequest,
) -> Result<proto::AdminConfirmSignUpResponse, ApiError> {
    state
        .keystep
        .admin_confirm_sign_up(&req.user_pool_id, &req.username)
        .await?;
    Ok(proto::AdminConfirmSignUpResponse {})
}
