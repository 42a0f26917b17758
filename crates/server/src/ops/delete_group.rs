//! `DeleteGroup`.

use keystep_core::service::groups::GroupFields;
use keystep_proto as proto;

use super::shape_user::{render_group, render_user};
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
