//! `AdminAddUserToGroup`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Adds a user to a group.
pub async fn handle(
    state: &AppState,
    req: proto::AdminAddUserToGroupRequest,
) -> Result<proto::AdminAddUserToGroupResponse, ApiError> {
    state
        .keystep
        .admin_add_user_to_group(&req.user_pool_id, &req.username, &req.group_name)
        .await?;
    Ok(proto::AdminAddUserToGroupResponse {})
}
