//! `AddCustomAttributes`.

use keystep_proto as proto;

use super::shape_pool::schema_from_wire;
use crate::{ApiError, AppState};

/// Adds `custom:` attributes to a pool's schema.
pub async fn handle(
    state: &AppState,
    req: proto::AddCustomAttributesRequest,
) -> Result<proto::AddCustomAttributesResponse, ApiError> {
    let attrs = schema_from_wire(&req.custom_attributes)?;
    state
        .keystep
        .add_custom_attributes(&req.user_pool_id, attrs)
        .await?;
    Ok(proto::AddCustomAttributesResponse {})
}
