//! `GetUserPoolMfaConfig`.

use keystep_proto as proto;

use super::shape_mfa::render;
use crate::{ApiError, AppState};

/// Shows the pool's MFA settings.
pub async fn handle(
    state: &AppState,
    req: proto::GetUserPoolMfaConfigRequest,
) -> Result<proto::GetUserPoolMfaConfigResponse, ApiError> {
    let pool = state
        .keystep
        .get_user_pool_mfa_config(&req.user_pool_id)
        .await?;
    let v = render(&pool);
    Ok(proto::GetUserPoolMfaConfigResponse {
        sms_mfa_configuration: v.sms,
        software_token_mfa_configuration: v.totp,
        email_mfa_configuration: v.email,
        mfa_configuration: Some(v.mfa),
        web_authn_configuration: v.webauthn,
    })
}
