//! `GetGroup`.

use keystep_proto as proto;

use super::shape_user::render_group;
use crate::{ApiError, AppState};

/// Shows a group.
pub async fn handle(
    state: &AppState,
    req: proto::GetGroupRequest,
) -> Result<proto::GetGroupResponse, ApiError> {
    let g = state
        .keystep
        .get_group(&req.user_pool_id, &req.group_name)
        .await?;
    Ok(proto::GetGroupResponse {
        group: Some(render_group(&g)),
    })
}
