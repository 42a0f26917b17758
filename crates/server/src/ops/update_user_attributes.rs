//! `UpdateUserAttributes`.

use keystep_proto as proto;

use super::shape_user::{attribute_pairs, render_delivery};
use crate::{ApiError, AppState};

/// Changes the caller's attributes; codes go out for changed e-mail/phone.
pub async fn handle(
    state: &AppState,
    req: proto::UpdateUserAttributesRequest,
) -> Result<proto::UpdateUserAttributesResponse, ApiError> {
    let deliveries = state
        .keystep
        .update_user_attributes(
            &req.access_token.0,
            &attribute_pairs(Some(&req.user_attributes)),
        )
        .await?;
    Ok(proto::UpdateUserAttributesResponse {
        code_delivery_details_list: (!deliveries.is_empty())
            .then(|| deliveries.iter().map(render_delivery).collect()),
    })
}
