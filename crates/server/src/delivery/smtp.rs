//! E-mail over SMTP with `lettre`: one relay from `smtp_url`, more for pools whose
//! `EmailConfiguration.SourceArn` the configuration maps to a relay of its own.
//!
//! URLs use lettre's syntax: `smtps://user:pass@host:465` (TLS from the first byte),
//! `smtp://user:pass@host:587?tls=required` (STARTTLS, refused without it), plain
//! `smtp://host:25`. Plain SMTP would carry codes and passwords in clear, so it is
//! accepted only to a loopback address unless `smtp_allow_plain` says otherwise; so is
//! `tls=opportunistic`, which a man in the middle can turn into plain.

use std::collections::BTreeMap;
use std::time::Duration;

use keystep_core::parcel::{html_to_text, looks_like_html, CarryFailure, Parcel};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one SMTP conversation may take.
const TIMEOUT: Duration = Duration::from_secs(15);

/// What configures the SMTP sender.
#[derive(Clone, Default)]
pub struct SmtpSettings {
    /// The relay (`smtp_url`).
    pub url: String,
    /// `smtp_allow_plain`: plain SMTP beyond loopback.
    pub allow_plain: bool,
    /// `smtp_ca_file`, read: PEM certificates trusted besides the public roots.
    pub ca_pem: Option<Vec<u8>>,
    /// `email_from`: the sender of every message whose pool does not set its own.
    pub from: String,
    /// `SourceArn` of `DEVELOPER` pools to the relay URL their mail goes through.
    pub source_arn_map: BTreeMap<String, String>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &redact_url(&self.url))
            .field("allow_plain", &self.allow_plain)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// A URL with its password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "<unparsable URL>".into(),
    }
}

/// A relay URL or sender address that cannot work.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct SmtpSetupError(pub String);

/// Sends e-mail.
pub struct SmtpSender {
    default: AsyncSmtpTransport<Tokio1Executor>,
    by_source_arn: BTreeMap<String, AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        // `smtp:` is not a scheme the URL standard knows, so its hosts stay text.
        url::Host::Domain(d) => {
            d.eq_ignore_ascii_case("localhost")
                || d.trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// Builds a transport for `url`, checking the rules of the module docs.
fn transport(
    url: &str,
    allow_plain: bool,
    ca_pem: Option<&[u8]>,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SmtpSetupError> {
    let shown = redact_url(url);
    let bad = |why: String| SmtpSetupError(format!("smtp URL {shown}: {why}"));
    let parsed = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
    let host = parsed
        .host()
        .ok_or_else(|| bad("it names no host".into()))?;
    let host_name = parsed.host_str().unwrap_or_default().to_string();
    let tls_mode = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.to_string());
    let params = || -> Result<TlsParameters, SmtpSetupError> {
        let mut builder = TlsParameters::builder(host_name.clone());
        if let Some(pem) = ca_pem {
            for cert in split_pem_certificates(pem) {
                let cert =
                    Certificate::from_pem(&cert).map_err(|e| bad(format!("smtp_ca_file: {e}")))?;
                builder = builder.add_root_certificate(cert);
            }
        }
        builder.build_rustls().map_err(|e| bad(e.to_string()))
    };
    let (tls, default_port, plain) = match (parsed.scheme(), tls_mode.as_deref()) {
        ("smtps", None) => (Tls::Wrapper(params()?), 465, false),
        ("smtp", Some("required")) => (Tls::Required(params()?), 587, false),
        ("smtp", Some("opportunistic")) => (Tls::Opportunistic(params()?), 587, true),
        ("smtp", None) => (Tls::None, 25, true),
        (scheme, mode) => {
            return Err(bad(format!(
                "unsupported scheme {scheme:?} with tls={mode:?}; use smtps://host:465, \
                 smtp://host:587?tls=required or smtp://host:25"
            )))
        }
    };
    if plain && !allow_plain && !is_loopback(&host) {
        return Err(bad(
            "plain (or opportunistic) SMTP to a host other than this machine would send codes \
             in clear; use smtps:// or ?tls=required, or set smtp_allow_plain = true"
                .into(),
        ));
    }
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host_name.clone())
        .port(parsed.port().unwrap_or(default_port))
        .tls(tls)
        .timeout(Some(TIMEOUT));
    if !parsed.username().is_empty() {
        let decode = |s: &str| {
            percent_encoding_decode(s).ok_or_else(|| bad("credentials are not valid UTF-8".into()))
        };
        builder = builder.credentials(Credentials::new(
            decode(parsed.username())?,
            decode(parsed.password().unwrap_or_default())?,
        ));
    }
    Ok(builder.build())
}

fn percent_encoding_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// The PEM blocks of certificates in `pem`, each on its own.
fn split_pem_certificates(pem: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8_lossy(pem);
    let end = "-----END CERTIFICATE-----";
    text.split_inclusive(end)
        .filter_map(|chunk| {
            let start = chunk.find("-----BEGIN CERTIFICATE-----")?;
            chunk
                .ends_with(end)
                .then(|| chunk.as_bytes()[start..].to_vec())
        })
        .collect()
}

impl SmtpSender {
    /// Checks the settings and prepares the relays (nothing is connected yet).
    pub fn new(settings: &SmtpSettings) -> Result<SmtpSender, SmtpSetupError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| SmtpSetupError(format!("email_from {:?}: {e}", settings.from)))?;
        let ca = settings.ca_pem.as_deref();
        if let Some(pem) = ca {
            if split_pem_certificates(pem).is_empty() {
                return Err(SmtpSetupError(
                    "smtp_ca_file holds no PEM certificate".into(),
                ));
            }
        }
        let default = transport(&settings.url, settings.allow_plain, ca)?;
        let mut by_source_arn = BTreeMap::new();
        for (arn, url) in &settings.source_arn_map {
            by_source_arn.insert(arn.clone(), transport(url, settings.allow_plain, ca)?);
        }
        Ok(SmtpSender {
            default,
            by_source_arn,
            from,
        })
    }

    /// The e-mail for a parcel.
    fn compose(&self, parcel: &Parcel) -> Result<Message, CarryFailure> {
        let m = &parcel.message;
        let envelope = parcel.envelope.clone().unwrap_or_default();
        let permanent = |what: &str, e: String| CarryFailure::Permanent(format!("{what}: {e}"));
        let from = match &envelope.from {
            Some(f) => f
                .parse::<Mailbox>()
                .map_err(|e| permanent("the pool's From address", e.to_string()))?,
            None => self.from.clone(),
        };
        let to: Mailbox = m
            .destination
            .parse()
            .map_err(|e| permanent("the recipient address", format!("{e}")))?;
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(m.subject.clone().unwrap_or_default());
        if let Some(reply_to) = &envelope.reply_to {
            builder = builder.reply_to(
                reply_to
                    .parse()
                    .map_err(|e| permanent("the pool's reply-to address", format!("{e}")))?,
            );
        }
        let built = if looks_like_html(&m.body) {
            builder.multipart(MultiPart::alternative_plain_html(
                html_to_text(&m.body),
                m.body.clone(),
            ))
        } else {
            builder.header(ContentType::TEXT_PLAIN).body(m.body.clone())
        };
        built.map_err(|e| permanent("the message", e.to_string()))
    }

    /// Sends one e-mail: a 5xx reply is permanent, anything else worth a retry.
    pub async fn send(&self, parcel: &Parcel) -> Result<(), CarryFailure> {
        let email = self.compose(parcel)?;
        let relay = parcel
            .envelope
            .as_ref()
            .and_then(|e| e.source_arn.as_ref())
            .and_then(|arn| self.by_source_arn.get(arn))
            .unwrap_or(&self.default);
        match relay.send(email).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(CarryFailure::Permanent(format!(
                "the relay refused the message: {e}"
            ))),
            Err(e) => Err(CarryFailure::Transient(format!("SMTP: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, allow_plain: bool) -> Result<(), SmtpSetupError> {
        transport(url, allow_plain, None).map(|_| ())
    }

    // Building a pooled transport spawns its reaper: it needs a runtime.
    #[tokio::test]
    async fn plain_smtp_is_for_this_machine_only_unless_allowed() {
        assert_eq!(check("smtp://127.0.0.1:2525", false), Ok(()));
        assert!(check("smtp://localhost:2525", false).is_ok());
        assert!(check("smtp://[::1]:2525", false).is_ok());
        let refused = check("smtp://mail.example.com:25", false).unwrap_err();
        assert!(refused.0.contains("smtp_allow_plain"), "{refused}");
        assert!(check("smtp://mail.example.com:587?tls=opportunistic", false).is_err());
        assert!(check("smtp://mail.example.com:25", true).is_ok());
        assert!(check("smtps://u:p@mail.example.com", false).is_ok());
        assert!(check("smtp://u:p@mail.example.com:587?tls=required", false).is_ok());
        assert!(check("http://mail.example.com", false).is_err());
        assert!(check("smtp://mail.example.com?tls=sometimes", true).is_err());
        assert!(check("not a url", true).is_err());
    }

    #[tokio::test]
    async fn passwords_never_show_in_messages() {
        let e = check("smtp://user:hunter2@mail.example.com:25", false).unwrap_err();
        assert!(!e.0.contains("hunter2"), "{e}");
        assert!(e.0.contains("***"), "{e}");
        assert_eq!(redact_url("smtps://a:b%40c@h:465"), "smtps://a:***@h:465");
    }

    #[test]
    fn credentials_are_percent_decoded() {
        assert_eq!(
            percent_encoding_decode("a%40b%2Fc").as_deref(),
            Some("a@b/c")
        );
        assert_eq!(percent_encoding_decode("plain").as_deref(), Some("plain"));
        assert_eq!(percent_encoding_decode("bad%ff"), None);
    }

    #[test]
    fn ca_files_split_into_certificates() {
        let pem = b"junk\n-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n\
                    -----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n";
        let certs = split_pem_certificates(pem);
        assert_eq!(certs.len(), 2);
        assert!(certs[1].starts_with(b"-----BEGIN CERTIFICATE-----\nBBB"));
        assert!(split_pem_certificates(b"nothing here").is_empty());
    }
}
