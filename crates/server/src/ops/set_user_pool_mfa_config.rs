//! `SetUserPoolMfaConfig`.

use keystep_core::pool::{MfaConfiguration, SmsConfiguration};
use keystep_core::service::pools::MfaConfigChange;
use keystep_core::AuthError;
use keystep_proto as proto;

use super::shape_mfa::render;
use super::shape_pool::enum_error;
use crate::{ApiError, AppState};

/// Switches MFA factors and the pool's MFA mode.
pub async fn handle(
    state: &AppState,
    req: proto::SetUserPoolMfaConfigRequest,
) -> Result<proto::SetUserPoolMfaConfigResponse, ApiError> {
    if req.web_authn_configuration.is_some() {
        return Err(AuthError::UnsupportedOperation(
            "Keystep does not support WebAuthnConfiguration (passkeys) yet.".into(),
        )
        .into());
    }
    let mfa = req
        .mfa_configuration
        .as_deref()
        .map(|m| match m {
            "OFF" => Ok(MfaConfiguration::Off),
            "ON" => Ok(MfaConfiguration::On),
            "OPTIONAL" => Ok(MfaConfiguration::Optional),
            other => Err(enum_error(
                "mfaConfiguration",
                other,
                &["OFF", "ON", "OPTIONAL"],
            )),
        })
        .transpose()?;
    let change = MfaConfigChange {
        mfa,
        totp_enabled: req
            .software_token_mfa_configuration
            .as_ref()
            .map(|t| t.enabled.unwrap_or(false)),
        sms_enabled: req.sms_mfa_configuration.as_ref().map(|_| true),
        sms_message: req
            .sms_mfa_configuration
            .as_ref()
            .and_then(|s| s.sms_authentication_message.clone()),
        email_enabled: req.email_mfa_configuration.as_ref().map(|_| true),
        email_message: req
            .email_mfa_configuration
            .as_ref()
            .and_then(|e| e.message.clone()),
        email_subject: req
            .email_mfa_configuration
            .as_ref()
            .and_then(|e| e.subject.clone()),
        sms_configuration: req
            .sms_mfa_configuration
            .as_ref()
            .and_then(|s| s.sms_configuration.as_ref())
            .map(|c| SmsConfiguration {
                sns_caller_arn: c.sns_caller_arn.clone(),
                external_id: c.external_id.clone(),
                sns_region: c.sns_region.clone(),
            }),
    };
    let pool = state
        .keystep
        .set_user_pool_mfa_config(&req.user_pool_id, change)
        .await?;
    let v = render(&pool);
    Ok(proto::SetUserPoolMfaConfigResponse {
        sms_mfa_configuration: v.sms,
        software_token_mfa_configuration: v.totp,
        email_mfa_configuration: v.email,
        mfa_configuration: Some(v.mfa),
        web_authn_configuration: None,
    })
}
