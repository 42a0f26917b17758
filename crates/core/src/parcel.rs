//! Messages on their way to a real sender (SMTP, an SMS provider, a custom sender
//! trigger): what is queued, how a failed attempt is retried, and what an e-mail looks
//! like on the wire. The development outbox does not queue; it records on the spot.
//!
//! A queued message is a [`Parcel`], sealed in the store with the master key (it carries
//! a code or a temporary password) and erased once it is sent or given up on.

use serde::{Deserialize, Serialize};

use crate::attributes::Attributes;
use crate::message::{Medium, OutgoingMessage};
use crate::pool::UserPool;
use crate::Millis;

/// Which sender carries a parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail over the configured SMTP relay.
    Smtp,
    /// SMS through the configured provider webhook.
    SmsWebhook,
    /// The pool's `CustomEmailSender` trigger.
    CustomEmailSender,
    /// The pool's `CustomSMSSender` trigger.
    CustomSmsSender,
}

impl Channel {
    /// The stable name, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Smtp => "smtp",
            Channel::SmsWebhook => "sms_webhook",
            Channel::CustomEmailSender => "custom_email_sender",
            Channel::CustomSmsSender => "custom_sms_sender",
        }
    }

    /// Reads [`Channel::as_str`] back.
    pub fn parse(s: &str) -> Option<Channel> {
        [
            Channel::Smtp,
            Channel::SmsWebhook,
            Channel::CustomEmailSender,
            Channel::CustomSmsSender,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// Sender and reply addresses of an e-mail, from the pool's `EmailConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailEnvelope {
    /// `From`, when the pool may set it (`EmailSendingAccount = DEVELOPER`); otherwise
    /// the server's `email_from` is used.
    pub from: Option<String>,
    /// `ReplyToEmailAddress`.
    pub reply_to: Option<String>,
    /// `SourceArn` of a `DEVELOPER` pool: the server configuration may route it to its
    /// own SMTP relay.
    pub source_arn: Option<String>,
}

impl EmailEnvelope {
    /// The envelope Cognito would use for `pool`: with `COGNITO_DEFAULT` (or nothing set)
    /// only the reply-to address is the pool's; with `DEVELOPER` the sender is the pool's
    /// `From`, else the e-mail address its `SourceArn` identity names.
    pub fn of(pool: &UserPool) -> EmailEnvelope {
        let Some(c) = &pool.settings.email_configuration else {
            return EmailEnvelope::default();
        };
        let developer = c.sending_account.as_deref() == Some("DEVELOPER");
        let source_arn = c.source_arn.clone().filter(|_| developer);
        let from = developer
            .then(|| {
                c.from.clone().or_else(|| {
                    source_arn
                        .as_deref()
                        .and_then(|arn| arn.rsplit_once(":identity/"))
                        .map(|(_, identity)| identity.to_string())
                        .filter(|identity| identity.contains('@'))
                })
            })
            .flatten();
        EmailEnvelope {
            from,
            reply_to: c.reply_to.clone(),
            source_arn,
        }
    }
}

/// A queued message: everything its sender needs, sealed at rest.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Parcel {
    /// The rendered message (with the code in clear: the parcel is sealed as a whole).
    pub message: OutgoingMessage,
    /// Its sender.
    pub channel: Channel,
    /// E-mail addresses (e-mail only).
    pub envelope: Option<EmailEnvelope>,
    /// The user's attributes, for a custom sender trigger's `request.userAttributes`.
    pub user_attributes: Attributes,
    /// The app client the request came through, when known (`callerContext.clientId`).
    pub client_id: Option<String>,
}

impl std::fmt::Debug for Parcel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parcel")
            .field("message", &self.message)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// Where a queued message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// Accepted by its sender.
    Sent,
    /// Given up on: a permanent refusal, or every attempt failed.
    Failed,
}

impl DeliveryStatus {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
        }
    }

    /// Reads [`DeliveryStatus::as_str`] back.
    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Sent,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// Why one attempt to send failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CarryFailure {
    /// Worth trying again (no connection, a timeout, a 4xx SMTP reply, a 5xx HTTP answer).
    #[error("{0}")]
    Transient(String),
    /// Trying again cannot help (an address the relay refuses, a 4xx HTTP answer).
    #[error("{0}")]
    Permanent(String),
}

/// How failed attempts are retried: after `first_retry`, doubling up to `max_delay`,
/// for at most `max_attempts` attempts in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Wait after the first failure, in milliseconds.
    pub first_retry_ms: i64,
    /// The longest wait between two attempts, in milliseconds.
    pub max_delay_ms: i64,
}

impl Default for RetryPolicy {
    /// Ten attempts over about 40 minutes: long enough to ride out a relay restart,
    /// short enough that a code still works when it arrives.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            first_retry_ms: 5_000,
            max_delay_ms: 15 * 60_000,
        }
    }
}

impl RetryPolicy {
    /// When to try again after attempt number `attempts` (1-based) failed at `now`, or
    /// `None` when that was the last one.
    pub fn next_attempt(&self, attempts: u32, now: Millis) -> Option<Millis> {
        if attempts >= self.max_attempts {
            return None;
        }
        let shift = attempts.saturating_sub(1).min(30);
        let delay = self
            .first_retry_ms
            .saturating_mul(1i64 << shift)
            .min(self.max_delay_ms)
            .max(0);
        Some(Millis(now.0.saturating_add(delay)))
    }
}

/// How long a claimed parcel is reserved for the node sending it: if that node dies
/// mid-send, another (or the restarted one) takes it over after this.
pub const CLAIM_LEASE_MS: i64 = 60_000;

/// How long the record of a sent or failed message (no payload) is kept to be listed.
pub const DELIVERY_RECORD_TTL_MS: i64 = 7 * 24 * 3_600_000;

/// Whether an e-mail body is HTML (Cognito templates may contain markup): a tag opens
/// with `<` and a letter or `/`, and closes with `>`.
pub fn looks_like_html(body: &str) -> bool {
    let bytes = body.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
        && body.contains('>')
}

/// The text alternative of an HTML body: tags dropped, `<br>` and block ends as line
/// breaks, the common entities decoded. Good enough for a one-line code message.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            name.as_str(),
            "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3"
        ) {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `triggerSource` of a custom sender event for a message.
pub fn custom_sender_source(channel: Channel, message: &OutgoingMessage) -> String {
    use crate::message::MessagePurpose as P;
    let prefix = match channel {
        Channel::CustomSmsSender => "CustomSMSSender",
        _ => "CustomEmailSender",
    };
    let suffix = match message.purpose {
        P::SignUp => "SignUp",
        P::ResendCode => "ResendCode",
        P::ForgotPassword => "ForgotPassword",
        P::AdminCreateUser => "AdminCreateUser",
        P::VerifyUserAttribute => "VerifyUserAttribute",
        P::UpdateUserAttribute => "UpdateUserAttribute",
        P::Authentication => "Authentication",
    };
    format!("{prefix}_{suffix}")
}

/// `request.code` of a custom sender event: the code encrypted with the pool's custom
/// sender key, AES-256-GCM, as base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes),
/// no associated data. `None` only if the cipher refuses the key.
pub fn encrypt_code(key: &[u8; 32], nonce: [u8; 12], code: &str) -> Option<String> {
    use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
    use base64::Engine;
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).ok()?);
    let mut body = code.as_bytes().to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut body)
        .ok()?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&body);
    Some(base64::engine::general_purpose::STANDARD.encode(out))
}

/// The custom sender slot of a medium (`CustomEmailSender` for e-mail).
pub fn custom_sender_channel(medium: Medium) -> Channel {
    match medium {
        Medium::Email => Channel::CustomEmailSender,
        Medium::Sms => Channel::CustomSmsSender,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::{EmailConfiguration, PoolSettings};

    #[test]
    fn retries_double_up_to_the_cap_then_stop() {
        let p = RetryPolicy {
            max_attempts: 5,
            first_retry_ms: 1_000,
            max_delay_ms: 3_000,
        };
        let now = Millis(10_000);
        assert_eq!(p.next_attempt(1, now), Some(Millis(11_000)));
        assert_eq!(p.next_attempt(2, now), Some(Millis(12_000)));
        assert_eq!(p.next_attempt(3, now), Some(Millis(13_000)));
        assert_eq!(p.next_attempt(4, now), Some(Millis(13_000)));
        assert_eq!(p.next_attempt(5, now), None);
        let huge = RetryPolicy {
            max_attempts: u32::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(
            huge.next_attempt(200, now),
            Some(Millis(10_000 + 15 * 60_000))
        );
    }

    #[test]
    fn html_is_recognised_and_has_a_text_alternative() {
        assert!(looks_like_html("<p>Your code is <b>{####}</b></p>"));
        assert!(!looks_like_html("Your code is {####}. "));
        assert!(!looks_like_html("3 < 4 and 5 > 4"));
        assert_eq!(
            html_to_text("<p>Your code is <b>123456</b></p><p>Bye &amp; thanks</p>"),
            "Your code is 123456\nBye & thanks"
        );
        assert_eq!(html_to_text("a<br>b<br/>c <x"), "a\nb\nc <x");
    }

    fn pool_with(c: Option<EmailConfiguration>) -> UserPool {
        UserPool {
            id: "us-east-1_abc".into(),
            name: "p".into(),
            created_at: Millis(0),
            modified_at: Millis(0),
            settings: std::sync::Arc::new(PoolSettings {
                email_configuration: c,
                ..PoolSettings::default()
            }),
        }
    }

    #[test]
    fn the_sender_is_the_pools_only_with_a_developer_account() {
        assert_eq!(
            EmailEnvelope::of(&pool_with(None)),
            EmailEnvelope::default()
        );
        let default_account = EmailEnvelope::of(&pool_with(Some(EmailConfiguration {
            from: Some("Team <team@example.com>".into()),
            reply_to: Some("help@example.com".into()),
            sending_account: Some("COGNITO_DEFAULT".into()),
            ..Default::default()
        })));
        assert_eq!(default_account.from, None);
        assert_eq!(
            default_account.reply_to.as_deref(),
            Some("help@example.com")
        );
        let arn = "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com";
        let developer = EmailEnvelope::of(&pool_with(Some(EmailConfiguration {
            source_arn: Some(arn.into()),
            sending_account: Some("DEVELOPER".into()),
            ..Default::default()
        })));
        assert_eq!(developer.from.as_deref(), Some("no-reply@example.com"));
        assert_eq!(developer.source_arn.as_deref(), Some(arn));
        let domain = EmailEnvelope::of(&pool_with(Some(EmailConfiguration {
            source_arn: Some("arn:aws:ses:us-east-1:1:identity/example.com".into()),
            sending_account: Some("DEVELOPER".into()),
            from: Some("Example <hi@example.com>".into()),
            ..Default::default()
        })));
        assert_eq!(domain.from.as_deref(), Some("Example <hi@example.com>"));
    }

    #[test]
    fn an_encrypted_code_opens_with_the_key_and_nothing_else() {
        use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
        use base64::Engine;
        let key = [7u8; 32];
        let text = encrypt_code(&key, [1u8; 12], "123456").unwrap();
        assert!(!text.contains("123456"));
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&text)
            .unwrap();
        assert_eq!(raw.len(), 12 + 6 + 16);
        let open = |k: [u8; 32]| {
            let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &k).unwrap());
            let mut body = raw[12..].to_vec();
            let nonce = Nonce::try_assume_unique_for_key(&raw[..12]).unwrap();
            key.open_in_place(nonce, Aad::empty(), &mut body)
                .map(|plain| plain.to_vec())
        };
        assert_eq!(open(key).unwrap(), b"123456");
        assert!(open([8u8; 32]).is_err());
        assert_ne!(text, encrypt_code(&key, [2u8; 12], "123456").unwrap());
    }

    #[test]
    fn channel_and_status_names_round_trip() {
        for c in [
            Channel::Smtp,
            Channel::SmsWebhook,
            Channel::CustomEmailSender,
            Channel::CustomSmsSender,
        ] {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for s in [
            DeliveryStatus::Pending,
            DeliveryStatus::Sent,
            DeliveryStatus::Failed,
        ] {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(Channel::parse("pigeon"), None);
    }
}
