//! `VerifyUserAttribute`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Marks the caller's e-mail or phone number verified with the code sent to it.
pub async fn handle(
    state: &AppState,
    req: proto::VerifyUserAttributeRequest,
) -> Result<proto::VerifyUserAttributeResponse, ApiError> {
    state
        .keystep
        .verify_user_attribute(&req.access_token.0, &req.attribute_name, &req.code.0)
        .await?;
    Ok(proto::VerifyUserAttributeResponse {})
}
