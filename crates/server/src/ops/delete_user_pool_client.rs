//! `DeleteUserPoolClient`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Deletes an app client.
pub async fn handle(
    state: &AppState,
    req: proto::DeleteUserPoolClientRequest,
) -> Result<proto::DeleteUserPoolClientResponse, ApiError> {
    state
        .keystep
        .delete_user_pool_client(&req.user_pool_id, &req.client_id)
        .await?;
    Ok(proto::DeleteUserPoolClientResponse {})
}
