//! `DeleteUserPool`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Deletes a pool with everything in it.
pub async fn handle(
    state: &AppState,
    req: proto::DeleteUserPoolRequest,
) -> Result<proto::DeleteUserPoolResponse, ApiError> {
    state.keystep.delete_user_pool(&req.user_pool_id).await?;
    Ok(proto::DeleteUserPoolResponse {})
}
