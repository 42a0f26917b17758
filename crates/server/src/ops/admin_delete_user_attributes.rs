//! `AdminDeleteUserAttributes`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Removes attributes from a user.
pub async fn handle(
    state: &AppState,
    req: proto::AdminDeleteUserAttributesRequest,
) -> Result<proto::AdminDeleteUserAttributesResponse, ApiError> {
    state
        .keystep
        .admin_delete_user_attributes(&req.user_pool_id, &req.username, &req.user_attribute_names)
        .await?;
    Ok(proto::AdminDeleteUserAttributesResponse {})
}
