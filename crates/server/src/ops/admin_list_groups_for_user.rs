//! `AdminListGroupsForUser`.

use keystep_proto as proto;

use super::shape_user::render_group;
use crate::{ApiError, AppState};

/// Lists the groups a user is in.
pub async fn handle(
    state: &AppState,
    req: proto::AdminListGroupsForUserRequest,
) -> Result<proto::AdminListGroupsForUserResponse, ApiError> {
    let (groups, next) = state
        .keystep
        .admin_list_groups_for_user(
            &req.user_pool_id,
            &req.username,
            req.limit,
            req.next_token.as_deref(),
        )
        .await?;
    Ok(proto::AdminListGroupsForUserResponse {
        groups: Some(groups.iter().map(render_group).collect()),
        next_token: next,
    })
}
