//! The delivery settings: SMTP, the SMS webhook, the outbox and retries.

use std::collections::BTreeMap;
use std::path::PathBuf;

use keystep_server::bootstrap::{DeliverySetup, OutboxMode};

use super::{ConfigError, Layer, Secret};

/// The `[delivery]` table: how failed sends are retried.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RetryLayer {
    pub max_attempts: Option<u32>,
    pub first_retry_secs: Option<f64>,
}

/// Where codes and temporary passwords go.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryConfig {
    /// `smtp_url`: the relay, in lettre's URL syntax.
    pub smtp_url: Option<Secret>,
    /// `smtp_allow_plain`: plain SMTP beyond loopback.
    pub smtp_allow_plain: bool,
    /// `smtp_ca_file`: PEM certificates trusted for the relay besides the public roots.
    pub smtp_ca_file: Option<PathBuf>,
    /// `email_from`: the sender address.
    pub email_from: Option<String>,
    /// `[email_source_arn_map]`: a `DEVELOPER` pool's `SourceArn` to its own relay URL.
    pub email_source_arn_map: BTreeMap<String, Secret>,
    /// `sms_webhook_url`.
    pub sms_webhook_url: Option<String>,
    /// `sms_webhook_secret`: the key of `X-Keystep-Signature` on SMS webhook calls.
    pub sms_webhook_secret: Option<Secret>,
    /// `outbox`: `auto`, `on` or `off`.
    pub outbox: OutboxMode,
    /// `outbox_ttl_secs`: how long outbox rows are kept.
    pub outbox_ttl_secs: u64,
    /// `[delivery] max_attempts`.
    pub max_attempts: u32,
    /// `[delivery] first_retry_secs`: the wait after the first failure (doubling after).
    pub first_retry_secs: f64,
}

pub(super) fn parse_outbox_mode(s: &str) -> Result<OutboxMode, String> {
    match s {
        "auto" => Ok(OutboxMode::Auto),
        "on" => Ok(OutboxMode::On),
        "off" => Ok(OutboxMode::Off),
        _ => Err("expected auto, on or off".into()),
    }
}

fn invalid(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.into(),
        message: message.into(),
    }
}

/// Environment over file over defaults, checked.
pub(super) fn resolve(
    env: &mut Layer,
    file: &mut Layer,
    allow_http: bool,
) -> Result<DeliveryConfig, ConfigError> {
    macro_rules! pick {
        ($field:ident) => {
            env.$field.take().or(file.$field.take())
        };
    }
    let smtp_url = pick!(smtp_url);
    let email_from = pick!(email_from);
    let sms_webhook_url = pick!(sms_webhook_url);
    let sms_webhook_secret = pick!(sms_webhook_secret);
    let outbox = match pick!(outbox) {
        Some(s) => parse_outbox_mode(&s).map_err(|m| invalid("outbox", m))?,
        None => OutboxMode::Auto,
    };
    let (env_retry, file_retry) = (
        env.delivery.take().unwrap_or_default(),
        file.delivery.take().unwrap_or_default(),
    );
    let max_attempts = env_retry
        .max_attempts
        .or(file_retry.max_attempts)
        .unwrap_or(10);
    if !(1..=100).contains(&max_attempts) {
        return Err(invalid(
            "delivery.max_attempts",
            "must be between 1 and 100",
        ));
    }
    let first_retry_secs = env_retry
        .first_retry_secs
        .or(file_retry.first_retry_secs)
        .unwrap_or(5.0);
    if !first_retry_secs.is_finite() || !(0.05..=3600.0).contains(&first_retry_secs) {
        return Err(invalid(
            "delivery.first_retry_secs",
            "must be between 0.05 and 3600",
        ));
    }
    let outbox_ttl_secs = pick!(outbox_ttl_secs).unwrap_or(24 * 3600);
    if !(60..=30 * 24 * 3600).contains(&outbox_ttl_secs) {
        return Err(invalid(
            "outbox_ttl_secs",
            "must be between 60 and 2592000 (30 days)",
        ));
    }
    if smtp_url.is_some() && email_from.is_none() {
        return Err(invalid(
            "email_from",
            "is required with smtp_url (for example \"Example <no-reply@example.com>\")",
        ));
    }
    if let Some(url) = &sms_webhook_url {
        if !keystep_core::triggers::webhook_url_allowed(url, allow_http) {
            return Err(invalid(
                "sms_webhook_url",
                keystep_core::triggers::plain_http_refused("the SMS webhook"),
            ));
        }
        match &sms_webhook_secret {
            Some(s) if s.0.len() >= 16 => {}
            _ => {
                return Err(invalid(
                    "sms_webhook_secret",
                    "is required with sms_webhook_url, at least 16 characters: the webhook \
                     checks X-Keystep-Signature with it",
                ))
            }
        }
    }
    if outbox == OutboxMode::Off && smtp_url.is_none() && sms_webhook_url.is_none() {
        return Err(invalid(
            "outbox",
            "off needs a real sender (smtp_url or sms_webhook_url): nothing could deliver codes",
        ));
    }
    Ok(DeliveryConfig {
        smtp_url,
        smtp_allow_plain: pick!(smtp_allow_plain).unwrap_or(false),
        smtp_ca_file: pick!(smtp_ca_file),
        email_from,
        email_source_arn_map: pick!(email_source_arn_map).unwrap_or_default(),
        sms_webhook_url,
        sms_webhook_secret,
        outbox,
        outbox_ttl_secs,
        max_attempts,
        first_retry_secs,
    })
}

impl DeliveryConfig {
    /// Whether a real sender is configured.
    pub fn has_sender(&self) -> bool {
        self.smtp_url.is_some() || self.sms_webhook_url.is_some()
    }

    /// The server's delivery setup (reads `smtp_ca_file`).
    pub fn setup(&self, print_outbox: bool) -> Result<DeliverySetup, String> {
        let ca_pem = match &self.smtp_ca_file {
            Some(path) => Some(
                std::fs::read(path).map_err(|e| format!("smtp_ca_file {}: {e}", path.display()))?,
            ),
            None => None,
        };
        let smtp = match (&self.smtp_url, &self.email_from) {
            (Some(url), Some(from)) => Some(keystep_server::delivery::SmtpSettings {
                url: url.0.clone(),
                allow_plain: self.smtp_allow_plain,
                ca_pem,
                from: from.clone(),
                source_arn_map: self
                    .email_source_arn_map
                    .iter()
                    .map(|(arn, url)| (arn.clone(), url.0.clone()))
                    .collect(),
            }),
            _ => None,
        };
        let sms_webhook = match (&self.sms_webhook_url, &self.sms_webhook_secret) {
            (Some(url), Some(secret)) => Some((url.clone(), secret.0.as_bytes().to_vec())),
            _ => None,
        };
        Ok(DeliverySetup {
            outbox: self.outbox,
            print_outbox,
            outbox_ttl: std::time::Duration::from_secs(self.outbox_ttl_secs),
            smtp,
            sms_webhook,
            retry: keystep_core::parcel::RetryPolicy {
                max_attempts: self.max_attempts,
                first_retry_ms: (self.first_retry_secs * 1000.0) as i64,
                ..Default::default()
            },
        })
    }
}

/// `KEYSTEP_EMAIL_SOURCE_ARN_MAP`: `arn=url` pairs separated by commas.
pub(super) fn source_arn_map(
    key: &str,
    value: &str,
) -> Result<BTreeMap<String, Secret>, ConfigError> {
    Ok(super::arn_map(key, value)?
        .into_iter()
        .map(|(k, v)| (k, Secret(v)))
        .collect())
}
