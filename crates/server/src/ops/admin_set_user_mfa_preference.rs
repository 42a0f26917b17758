//! `AdminSetUserMFAPreference`.

use keystep_proto as proto;

use super::shape_auth::preferences;
use crate::{ApiError, AppState};

/// Enables, disables and prefers a user's MFA factors.
pub async fn handle(
    state: &AppState,
    req: proto::AdminSetUserMFAPreferenceRequest,
) -> Result<proto::AdminSetUserMFAPreferenceResponse, ApiError> {
    let prefs = preferences(
        req.sms_mfa_settings,
        req.software_token_mfa_settings,
        req.email_mfa_settings,
        req.web_authn_mfa_settings.is_some(),
    )?;
    state
        .keystep
        .admin_set_user_mfa_preference(&req.user_pool_id, &req.username, &prefs)
        .await?;
    Ok(proto::AdminSetUserMFAPreferenceResponse {})
}
