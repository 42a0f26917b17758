//! `AdminGetUser`.

use keystep_proto as proto;

use super::shape_user::{view_attributes, view_mfa_options};
use crate::{ApiError, AppState};

/// Shows a user (by username, alias or sub).
pub async fn handle(
    state: &AppState,
    req: proto::AdminGetUserRequest,
) -> Result<proto::AdminGetUserResponse, ApiError> {
    let v = state
        .keystep
        .admin_get_user(&req.user_pool_id, &req.username)
        .await?;
    Ok(proto::AdminGetUserResponse {
        username: v.username.clone(),
        user_attributes: Some(view_attributes(&v)),
        user_create_date: Some(v.created_at.as_secs_f64()),
        user_last_modified_date: Some(v.modified_at.as_secs_f64()),
        enabled: Some(v.enabled),
        user_status: Some(v.status.as_str().into()),
        mfa_options: view_mfa_options(&v),
        preferred_mfa_setting: v.preferred_mfa.map(|f| f.as_str().into()),
        user_mfa_setting_list: (!v.mfa_enabled.is_empty())
            .then(|| v.mfa_enabled.iter().map(|f| f.as_str().into()).collect()),
    })
}
