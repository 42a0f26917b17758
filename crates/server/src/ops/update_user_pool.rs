//! `UpdateUserPool`.

use keystep_proto as proto;

use super::shape_pool::PoolFields;
use crate::{ApiError, AppState};

/// Replaces a pool's mutable settings; members not given return to their defaults.
pub async fn handle(
    state: &AppState,
    req: proto::UpdateUserPoolRequest,
) -> Result<proto::UpdateUserPoolResponse, ApiError> {
    let current = state.keystep.load_pool(&req.user_pool_id).await?;
    let mut settings = PoolFields::of_update(&req).to_settings()?;
    // Factors are switched with SetUserPoolMfaConfig; an UpdateUserPool that does not
    // touch MFA must not silently disable them.
    settings.totp_mfa_enabled |= current.settings.totp_mfa_enabled;
    settings.email_mfa_enabled = current.settings.email_mfa_enabled;
    settings.email_mfa_message = current.settings.email_mfa_message.clone();
    settings.email_mfa_subject = current.settings.email_mfa_subject.clone();
    if req.sms_configuration.is_none() {
        settings.sms_mfa_enabled = current.settings.sms_mfa_enabled;
        settings.sms_configuration = current.settings.sms_configuration.clone();
    }
    if settings.mfa != keystep_core::pool::MfaConfiguration::Off
        && !(settings.totp_mfa_enabled || settings.sms_mfa_enabled || settings.email_mfa_enabled)
    {
        settings.totp_mfa_enabled = true;
    }
    state
        .keystep
        .update_user_pool(&req.user_pool_id, req.pool_name.as_deref(), settings)
        .await?;
    Ok(proto::UpdateUserPoolResponse {})
}
