//! `AdminUpdateUserAttributes`.

use keystep_core::service::admin_users::AdminUpdateUserAttributesInput;
use keystep_proto as proto;

use super::shape_user::attribute_pairs;
use crate::{ApiError, AppState};

/// Sets attributes of a user (admins may set `*_verified` directly).
pub async fn handle(
    state: &AppState,
    req: proto::AdminUpdateUserAttributesRequest,
) -> Result<proto::AdminUpdateUserAttributesResponse, ApiError> {
    state
        .keystep
        .admin_update_user_attributes(AdminUpdateUserAttributesInput {
            pool_id: req.user_pool_id,
            username: req.username,
            attributes: attribute_pairs(Some(&req.user_attributes)),
            client_metadata: req.client_metadata.unwrap_or_default(),
        })
        .await?;
    Ok(proto::AdminUpdateUserAttributesResponse {})
}
