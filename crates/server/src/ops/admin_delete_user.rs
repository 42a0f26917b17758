//! `AdminDeleteUser`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Deletes a user.
pub async fn handle(
    state: &AppState,
    req: proto::AdminDeleteUserRequest,
) -> Result<proto::AdminDeleteUserResponse, ApiError> {
    state
        .keystep
        .admin_delete_user(&req.user_pool_id, &req.username)
        .await?;
    Ok(proto::AdminDeleteUserResponse {})
}
