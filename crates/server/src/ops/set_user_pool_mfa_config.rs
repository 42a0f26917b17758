//! `SetUserPoolMfaConfig`.

use keystep_core::pool::{MfaConfiguration, SmsConfiguration, WebAuthnSettings};
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
    let webauthn = req
        .web_authn_configuration
        .as_ref()
        .map(webauthn_settings)
        .transpose()?;
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
        webauthn,
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
        web_authn_configuration: v.webauthn,
    })
}

/// `WebAuthnConfiguration`: a relying-party id that is a host name (1–127 characters),
/// `UserVerification` `required` or `preferred` (default), single-factor passkeys.
fn webauthn_settings(c: &proto::WebAuthnConfiguration) -> Result<WebAuthnSettings, AuthError> {
    let rp = c.relying_party_id.clone().filter(|r| !r.is_empty());
    if let Some(rp) = &rp {
        let host_like = rp.len() <= 127
            && rp
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-')
            && keystep_passkey::RelyingParty::new(rp).is_ok();
        if !host_like {
            return Err(AuthError::InvalidParameter(
                "WebAuthnConfiguration.RelyingPartyId must be a host name (no scheme, no port)."
                    .into(),
            ));
        }
    }
    let user_verification_required = match c.user_verification.as_deref() {
        None | Some("preferred") => false,
        Some("required") => true,
        Some(other) => {
            return Err(enum_error(
                "webAuthnConfiguration.userVerification",
                other,
                &["required", "preferred"],
            ))
        }
    };
    match c.factor_configuration.as_deref() {
        None | Some("SINGLE_FACTOR") => {}
        Some("MULTI_FACTOR_WITH_USER_VERIFICATION") => {
            return Err(AuthError::UnsupportedOperation(
                "Passkeys as a second factor (MULTI_FACTOR_WITH_USER_VERIFICATION) are not supported by this server yet.".into(),
            ))
        }
        Some(other) => {
            return Err(enum_error(
                "webAuthnConfiguration.factorConfiguration",
                other,
                &["SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION"],
            ))
        }
    }
    Ok(WebAuthnSettings {
        relying_party_id: rp,
        user_verification_required,
    })
}
