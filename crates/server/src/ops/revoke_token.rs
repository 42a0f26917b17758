//! `RevokeToken`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Revokes a refresh token and the access tokens of its sign-in.
pub async fn handle(
    state: &AppState,
    req: proto::RevokeTokenRequest,
) -> Result<proto::RevokeTokenResponse, ApiError> {
    state
        .keystep
        .revoke_token(
            &req.client_id,
            &req.token.0,
            req.client_secret.as_ref().map(|s| s.0.as_str()),
        )
        .await?;
    Ok(proto::RevokeTokenResponse {})
}
