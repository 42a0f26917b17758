//! `ListUsersInGroup`.

use keystep_proto as proto;

use super::shape_user::render_user;
use crate::{ApiError, AppState};

/// Lists the users in a group.
pub async fn handle(
    state: &AppState,
    req: proto::ListUsersInGroupRequest,
) -> Result<proto::ListUsersInGroupResponse, ApiError> {
    let (users, next) = state
        .keystep
        .list_users_in_group(
            &req.user_pool_id,
            &req.group_name,
            req.limit,
            req.next_token.as_deref(),
        )
        .await?;
    Ok(proto::ListUsersInGroupResponse {
        users: Some(users.iter().map(render_user).collect()),
        next_token: next,
    })
}
