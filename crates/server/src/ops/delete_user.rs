//! `DeleteUser`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Deletes the caller.
pub async fn handle(
    state: &AppState,
    req: proto::DeleteUserRequest,
) -> Result<proto::DeleteUserResponse, ApiError> {
    state.keystep.delete_user(&req.access_token.0).await?;
    Ok(proto::DeleteUserResponse {})
}
