//! `DeleteUserAttributes`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Removes some of the caller's attributes.
pub async fn handle(
    state: &AppState,
    req: proto::DeleteUserAttributesRequest,
) -> Result<proto::DeleteUserAttributesResponse, ApiError> {
    state
        .keystep
        .delete_user_attributes(&req.access_token.0, &req.user_attribute_names)
        .await?;
    Ok(proto::DeleteUserAttributesResponse {})
}
