//! `ListGroups`.

use keystep_proto as proto;

use super::shape_user::render_group;
use crate::{ApiError, AppState};

/// Lists a pool's groups.
pub async fn handle(
    state: &AppState,
    req: proto::ListGroupsRequest,
) -> Result<proto::ListGroupsResponse, ApiError> {
    let (groups, next) = state
        .keystep
        .list_groups(&req.user_pool_id, req.limit, req.next_token.as_deref())
        .await?;
    Ok(proto::ListGroupsResponse {
        groups: Some(groups.iter().map(render_group).collect()),
        next_token: next,
    })
}
