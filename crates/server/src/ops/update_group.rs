//! `UpdateGroup`.

use keystep_core::service::groups::GroupFields;
use keystep_proto as proto;

use super::shape_user::render_group;
use crate::{ApiError, AppState};

/// Changes a group's description, precedence or role.
pub async fn handle(
    state: &AppState,
    req: proto::UpdateGroupRequest,
) -> Result<proto::UpdateGroupResponse, ApiError> {
    let fields = GroupFields {
        description: req.description,
        precedence: req.precedence,
        role_arn: req.role_arn,
    };
    let g = state
        .keystep
        .update_group(&req.user_pool_id, &req.group_name, fields)
        .await?;
    Ok(proto::UpdateGroupResponse {
        group: Some(render_group(&g)),
    })
}
