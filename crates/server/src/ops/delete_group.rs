//! `DeleteGroup`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Deletes a group and its memberships.
pub async fn handle(
    state: &AppState,
    req: proto::DeleteGroupRequest,
) -> Result<proto::DeleteGroupResponse, ApiError> {
    state
        .keystep
        .delete_group(&req.user_pool_id, &req.group_name)
        .await?;
    Ok(proto::DeleteGroupResponse {})
}
