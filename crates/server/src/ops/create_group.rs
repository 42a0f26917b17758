//! `CreateGroup`.

use keystep_core::service::groups::GroupFields;
use keystep_proto as proto;

use super::shape_user::render_group;
use crate::{ApiError, AppState};

/// Creates a group.
pub async fn handle(
    state: &AppState,
    req: proto::CreateGroupRequest,
) -> Result<proto::CreateGroupResponse, ApiError> {
    let fields = GroupFields {
        description: req.description,
        precedence: req.precedence,
        role_arn: req.role_arn,
    };
    let g = state
        .keystep
        .create_group(&req.user_pool_id, &req.group_name, fields)
        .await?;
    Ok(proto::CreateGroupResponse {
        group: Some(render_group(&g)),
    })
}
