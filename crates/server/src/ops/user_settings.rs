//! `SetUserSettings`, `AdminSetUserSettings` (the legacy SMS MFA switch) and
//! `AdminDeleteSoftwareToken`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

fn options(list: &[proto::MfaOption]) -> Vec<(Option<String>, Option<String>)> {
    list.iter()
        .map(|o| (o.delivery_medium.clone(), o.attribute_name.clone()))
        .collect()
}

/// SMS MFA on or off for the token's user.
pub async fn set(
    state: &AppState,
    req: proto::SetUserSettingsRequest,
) -> Result<proto::SetUserSettingsResponse, ApiError> {
    state
        .keystep
        .set_user_settings(&req.access_token.0, &options(&req.mfa_options))
        .await?;
    Ok(proto::SetUserSettingsResponse {})
}

/// SMS MFA on or off for a user.
pub async fn admin_set(
    state: &AppState,
    req: proto::AdminSetUserSettingsRequest,
) -> Result<proto::AdminSetUserSettingsResponse, ApiError> {
    state
        .keystep
        .admin_set_user_settings(
            &req.user_pool_id,
            &req.username.0,
            &options(&req.mfa_options),
        )
        .await?;
    Ok(proto::AdminSetUserSettingsResponse {})
}

/// Forgets a user's authenticator app.
pub async fn admin_delete_software_token(
    state: &AppState,
    req: proto::AdminDeleteSoftwareTokenRequest,
) -> Result<proto::AdminDeleteSoftwareTokenResponse, ApiError> {
    state
        .keystep
        .admin_delete_software_token(&req.user_pool_id, &req.username.0)
        .await?;
    Ok(proto::AdminDeleteSoftwareTokenResponse {})
}
