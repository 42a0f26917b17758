//! `GetUserAttributeVerificationCode`.

use keystep_proto as proto;

use super::shape_user::render_delivery;
use crate::{ApiError, AppState};

/// Sends a code to verify the caller's e-mail or phone number.
pub async fn handle(
    state: &AppState,
    req: proto::GetUserAttributeVerificationCodeRequest,
) -> Result<proto::GetUserAttributeVerificationCodeResponse, ApiError> {
    let d = state
        .keystep
        .get_user_attribute_verification_code(&req.access_token.0, &req.attribute_name)
        .await?;
    Ok(proto::GetUserAttributeVerificationCodeResponse {
        code_delivery_details: Some(render_delivery(&d)),
    })
}
