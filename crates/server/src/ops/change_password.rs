//! `ChangePassword`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Changes the caller's password.
pub async fn handle(
    state: &AppState,
    req: proto::ChangePasswordRequest,
) -> Result<proto::ChangePasswordResponse, ApiError> {
    state
        .keystep
        .change_password(
            &req.access_token.0,
            req.previous_password.as_ref().map(|p| p.0.as_str()),
            &req.proposed_password.0,
        )
        .await?;
    Ok(proto::ChangePasswordResponse {})
}
