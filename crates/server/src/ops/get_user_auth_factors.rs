//! `GetUserAuthFactors` and `AdminGetUserAuthFactors`.

use keystep_core::service::passkeys::AuthFactorsView;
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn render(v: AuthFactorsView) -> proto::GetUserAuthFactorsResponse {
    proto::GetUserAuthFactorsResponse {
        username: v.username,
        preferred_mfa_setting: v.preferred_mfa.map(|f| f.as_str().into()),
        user_mfa_setting_list: (!v.mfa_enabled.is_empty())
            .then(|| v.mfa_enabled.iter().map(|f| f.as_str().into()).collect()),
        configured_user_auth_factors: Some(
            v.factors.iter().map(|f| f.as_str().to_string()).collect(),
        ),
    }
}

/// The caller's sign-in factors.
pub async fn handle(
    state: &AppState,
    req: proto::GetUserAuthFactorsRequest,
) -> Result<proto::GetUserAuthFactorsResponse, ApiError> {
    let v = state
        .keystep
        .get_user_auth_factors(&req.access_token.0)
        .await?;
    Ok(render(v))
}

/// A user's sign-in factors, for an administrator.
pub async fn admin(
    state: &AppState,
    req: proto::AdminGetUserAuthFactorsRequest,
) -> Result<proto::GetUserAuthFactorsResponse, ApiError> {
    let v = state
        .keystep
        .admin_get_user_auth_factors(&req.user_pool_id, &req.username)
        .await?;
    Ok(render(v))
}
