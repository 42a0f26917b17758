//! `SetUserMFAPreference`.

use keystep_proto as proto;

use super::shape_auth::preferences;
use crate::{ApiError, AppState};

/// Enables, disables and prefers the caller's MFA factors.
pub async fn handle(
    state: &AppState,
    req: proto::SetUserMFAPreferenceRequest,
) -> Result<proto::SetUserMFAPreferenceResponse, ApiError> {
    let prefs = preferences(
        req.sms_mfa_settings,
        req.software_token_mfa_settings,
        req.email_mfa_settings,
        req.web_authn_mfa_settings.is_some(),
    )?;
    state
        .keystep
        .set_user_mfa_preference(&req.access_token.0, &prefs)
        .await?;
    Ok(proto::SetUserMFAPreferenceResponse {})
}
