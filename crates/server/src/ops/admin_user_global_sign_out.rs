//! `AdminUserGlobalSignOut`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Signs a user out of every sign-in.
pub async fn handle(
    state: &AppState,
    req: proto::AdminUserGlobalSignOutRequest,
) -> Result<proto::AdminUserGlobalSignOutResponse, ApiError> {
    state
        .keystep
        .admin_user_global_sign_out(&req.user_pool_id, &req.username)
        .await?;
    Ok(proto::AdminUserGlobalSignOutResponse {})
}
