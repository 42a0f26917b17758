//! `AdminSetUserPassword`.

use keystep_core::service::admin_users::AdminSetUserPasswordInput;
use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Sets a user's password, permanent or temporary.
pub async fn handle(
    state: &AppState,
    req: proto::AdminSetUserPasswordRequest,
) -> Result<proto::AdminSetUserPasswordResponse, ApiError> {
    state
        .keystep
        .admin_set_user_password(AdminSetUserPasswordInput {
            pool_id: req.user_pool_id,
            username: req.username,
            password: req.password.0,
            permanent: req.permanent.unwrap_or(false),
        })
        .await?;
    Ok(proto::AdminSetUserPasswordResponse {})
}
