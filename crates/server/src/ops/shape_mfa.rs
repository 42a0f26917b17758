//! The pool MFA configuration as the wire shows it.

use keystep_core::pool::{MfaConfiguration, UserPool};
use keystep_proto as proto;

/// `MfaConfiguration` wire name.
pub fn mfa_name(m: MfaConfiguration) -> &'static str {
    match m {
        MfaConfiguration::Off => "OFF",
        MfaConfiguration::On => "ON",
        MfaConfiguration::Optional => "OPTIONAL",
    }
}

/// The members Get/SetUserPoolMfaConfig answer with.
pub struct MfaView {
    pub sms: Option<proto::SmsMfaConfig>,
    pub totp: Option<proto::SoftwareTokenMfaConfig>,
    pub email: Option<proto::EmailMfaConfig>,
    pub mfa: String,
    pub webauthn: Option<proto::WebAuthnConfiguration>,
}

/// Renders a pool's MFA settings.
pub fn render(pool: &UserPool) -> MfaView {
    let s = &pool.settings;
    MfaView {
        sms: s.sms_mfa_enabled.then(|| proto::SmsMfaConfig {
            sms_authentication_message: s.templates.sms_authentication.clone(),
            sms_configuration: s
                .sms_configuration
                .as_ref()
                .map(|c| proto::SmsConfiguration {
                    sns_caller_arn: c.sns_caller_arn.clone(),
                    external_id: c.external_id.clone(),
                    sns_region: c.sns_region.clone(),
                }),
        }),
        totp: Some(proto::SoftwareTokenMfaConfig {
            enabled: Some(s.totp_mfa_enabled),
        }),
        email: s.email_mfa_enabled.then(|| proto::EmailMfaConfig {
            message: s.email_mfa_message.clone(),
            subject: s.email_mfa_subject.clone(),
        }),
        mfa: mfa_name(s.mfa).to_string(),
        webauthn: s.webauthn.as_ref().map(|w| proto::WebAuthnConfiguration {
            relying_party_id: w.relying_party_id.clone(),
            user_verification: Some(
                if w.user_verification_required {
                    "required"
                } else {
                    "preferred"
                }
                .into(),
            ),
            factor_configuration: Some("SINGLE_FACTOR".into()),
        }),
    }
}
