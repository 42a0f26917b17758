//! `GetTokensFromRefreshToken`.

use keystep_proto as proto;

use super::shape_auth::render_tokens;
use crate::{ApiError, AppState};

/// New ID and access tokens for a refresh token (Amplify JS ≥ 6.14 refreshes this way).
pub async fn handle(
    state: &AppState,
    req: proto::GetTokensFromRefreshTokenRequest,
) -> Result<proto::GetTokensFromRefreshTokenResponse, ApiError> {
    let tokens = state
        .keystep
        .get_tokens_from_refresh_token(
            &req.client_id,
            &req.refresh_token.0,
            req.client_secret.as_ref().map(|s| s.0.as_str()),
            req.device_key.as_deref(),
            &req.client_metadata.unwrap_or_default(),
        )
        .await?;
    Ok(proto::GetTokensFromRefreshTokenResponse {
        authentication_result: Some(render_tokens(tokens)),
    })
}
