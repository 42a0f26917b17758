//! `ListUsers`.

use keystep_core::service::admin_users::ListUsersInput;
use keystep_proto as proto;

use super::shape_user::render_view;
use crate::{ApiError, AppState};

/// Lists users, optionally filtered, one page at a time.
pub async fn handle(
    state: &AppState,
    req: proto::ListUsersRequest,
) -> Result<proto::ListUsersResponse, ApiError> {
    let out = state
        .keystep
        .list_users(ListUsersInput {
            pool_id: req.user_pool_id,
            attributes_to_get: req.attributes_to_get,
            limit: req.limit,
            pagination_token: req.pagination_token,
            filter: req.filter,
        })
        .await?;
    Ok(proto::ListUsersResponse {
        users: Some(out.users.iter().map(render_view).collect()),
        pagination_token: out.pagination_token,
    })
}
