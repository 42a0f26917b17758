//! `GetUser`.

use keystep_proto as proto;

use super::shape_user::{view_attributes, view_mfa_options};
use crate::{ApiError, AppState};

/// The caller's own user.
pub async fn handle(
    state: &AppState,
    req: proto::GetUserRequest,
) -> Result<proto::GetUserResponse, ApiError> {
    let v = state.keystep.get_user(&req.access_token.0).await?;
    Ok(proto::GetUserResponse {
        username: v.username.clone(),
        user_attributes: view_attributes(&v),
        mfa_options: view_mfa_options(&v),
        preferred_mfa_setting: v.preferred_mfa.map(|f| f.as_str().into()),
        user_mfa_setting_list: (!v.mfa_enabled.is_empty())
            .then(|| v.mfa_enabled.iter().map(|f| f.as_str().into()).collect()),
    })
}
