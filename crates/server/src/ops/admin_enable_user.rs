//! `AdminEnableUser`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Enables a disabled user.
pub async fn handle(
    state: &AppState,
    req: proto::AdminEnableUserRequest,
) -> Result<proto::AdminEnableUserResponse, ApiError> {
    state
        .keystep
        .admin_enable_user(&req.user_pool_id, &req.username)
        .await?;
    Ok(proto::AdminEnableUserResponse {})
}
