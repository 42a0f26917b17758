//! `AdminDisableUser`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Disables a user and revokes their tokens.
pub async fn handle(
    state: &AppState,
    req: proto::AdminDisableUserRequest,
) -> Result<proto::AdminDisableUserResponse, ApiError> {
    state
        .keystep
        .admin_disable_user(&req.user_pool_id, &req.username)
        .await?;
    Ok(proto::AdminDisableUserResponse {})
}
