//! `GlobalSignOut`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Signs the caller out of every sign-in.
pub async fn handle(
    state: &AppState,
    req: proto::GlobalSignOutRequest,
) -> Result<proto::GlobalSignOutResponse, ApiError> {
    state.keystep.global_sign_out(&req.access_token.0).await?;
    Ok(proto::GlobalSignOutResponse {})
}
