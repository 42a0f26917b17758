//! `AdminRemoveUserFromGroup`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Removes a user from a group.
pub async fn handle(
    state: &AppState,
    req: proto::AdminRemoveUserFromGroupRequest,
) -> Result<proto::AdminRemoveUserFromGroupResponse, ApiError> {
    state
        .keystep
        .admin_remove_user_from_group(&req.user_pool_id, &req.username, &req.group_name)
        .await?;
    Ok(proto::AdminRemoveUserFromGroupResponse {})
}
