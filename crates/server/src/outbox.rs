//! The development outbox: codes and temporary passwords are recorded in the store and
//! echoed to standard output instead of being sent, and read back with
//! `GET /admin/outbox` (admin credentials, by HTTP Basic or SigV4).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use keystep_core::message::{OutboxEntry, OutboxFilter, OutgoingMessage};
use keystep_core::ports::{DeliveryError, Messenger, Store};
use keystep_core::Millis;

use crate::error::ApiError;
use crate::AppState;

/// A [`Messenger`] that records every message in the store's outbox (for `ttl`) and,
/// when asked to, prints it.
pub struct OutboxMessenger {
    store: Arc<dyn Store>,
    print: bool,
    ttl: Duration,
}

/// How long an outbox row is kept unless configured: long enough to finish a sign-up
/// the next morning, short enough that codes do not pile up.
pub const DEFAULT_OUTBOX_TTL: Duration = Duration::from_secs(24 * 3600);

impl OutboxMessenger {
    /// Records and prints each message to standard output.
    pub fn new(store: Arc<dyn Store>) -> OutboxMessenger {
        OutboxMessenger {
            store,
            print: true,
            ttl: DEFAULT_OUTBOX_TTL,
        }
    }

    /// Records without printing (tests read the outbox instead; servers with a real
    /// sender never print codes).
    pub fn quiet(store: Arc<dyn Store>) -> OutboxMessenger {
        OutboxMessenger {
            store,
            print: false,
            ttl: DEFAULT_OUTBOX_TTL,
        }
    }

    /// Keeps each row for `ttl` (then housekeeping deletes it).
    pub fn keeping_for(mut self, ttl: Duration) -> OutboxMessenger {
        self.ttl = ttl;
        self
    }
}

#[async_trait]
impl Messenger for OutboxMessenger {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        let ttl_ms = i64::try_from(self.ttl.as_millis()).unwrap_or(i64::MAX);
        let expires_at = Millis(message.created_at.0.saturating_add(ttl_ms));
        self.store
            .insert_outbox(message, expires_at)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "outbox write failed");
                DeliveryError("the outbox could not record the message".into())
            })?;
        if self.print {
            // Standard output on purpose: this *is* the delivery channel in development.
            // Write errors (nobody reading any more) must not fail the request or panic.
            use std::io::Write;
            let _ = writeln!(std::io::stdout().lock(), "{}", render(message));
        }
        Ok(())
    }
}

/// The block printed for a message, e.g.
/// `[outbox] SMS to +15555550100 (pool us-east-1_abc, user alice, sign_up): Your code is 123456`.
pub fn render(m: &OutgoingMessage) -> String {
    let subject = m
        .subject
        .as_deref()
        .map(|s| format!(" \"{s}\""))
        .unwrap_or_default();
    let body = m.body.trim().replace('\n', "\n    ");
    format!(
        "[outbox] {} to {} (pool {}, user {}, {}){subject}: {body}",
        m.medium.as_str(),
        m.destination,
        m.pool_id,
        m.username,
        m.purpose.as_str()
    )
}

/// One outbox message as `GET /admin/outbox` returns it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OutboxMessage {
    /// Sequence number.
    pub id: i64,
    /// The pool.
    pub pool_id: String,
    /// The recipient's username.
    pub username: String,
    /// `SMS` or `EMAIL`.
    pub medium: String,
    /// Phone number or e-mail address.
    pub destination: String,
    /// Why it was sent (`sign_up`, `forgot_password`, ...).
    pub purpose: String,
    /// The code or temporary password it carries.
    pub code: Option<String>,
    /// E-mail subject.
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// When it was sent, epoch seconds.
    pub created_at: i64,
}

impl From<OutboxEntry> for OutboxMessage {
    fn from(e: OutboxEntry) -> Self {
        let m = e.message;
        OutboxMessage {
            id: e.id,
            medium: m.medium.as_str().to_string(),
            purpose: m.purpose.as_str().to_string(),
            created_at: m.created_at.as_secs(),
            pool_id: m.pool_id,
            username: m.username,
            destination: m.destination,
            code: m.code,
            subject: m.subject,
            body: m.body,
        }
    }
}

#[derive(serde::Deserialize)]
struct OutboxQuery {
    pool_id: Option<String>,
    username: Option<String>,
    limit: Option<u32>,
}

/// `GET /admin/outbox?pool_id=..&username=..&limit=..`: a JSON array, oldest first.
pub async fn list(State(state): State<AppState>, req: Request) -> Response {
    match list_inner(&state, req).await {
        Ok(messages) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            serde_json::to_string(&messages).unwrap_or_else(|_| "[]".into()),
        )
            .into_response(),
        Err(e) if e.status() == StatusCode::UNAUTHORIZED => {
            let mut r = e.into_response();
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"keystep\""),
            );
            r
        }
        Err(e) => e.into_response(),
    }
}

async fn list_inner(state: &AppState, req: Request) -> Result<Vec<OutboxMessage>, ApiError> {
    let (parts, _body) = req.into_parts();
    authenticate(state, &parts)?;
    let axum::extract::Query(query) = axum::extract::Query::<OutboxQuery>::try_from_uri(&parts.uri)
        .map_err(|e| ApiError::invalid_parameter(format!("Invalid query string: {e}")))?;
    let filter = OutboxFilter {
        pool_id: query.pool_id.filter(|s| !s.is_empty()),
        username: query.username.filter(|s| !s.is_empty()),
        limit: query.limit,
    };
    let entries = state
        .keystep
        .store
        .list_outbox(&filter)
        .await
        .map_err(ApiError::internal)?;
    Ok(entries.into_iter().map(OutboxMessage::from).collect())
}

/// Admin credentials by HTTP Basic (`access key id : secret`) or by SigV4.
pub(crate) fn authenticate(
    state: &AppState,
    parts: &axum::http::request::Parts,
) -> Result<(), ApiError> {
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match authorization {
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        )),
        Some(v) if v.starts_with(crate::sigv4::ALGORITHM) => {
            crate::edge::verify_sigv4(state, parts, b"").map(|_| ())
        }
        Some(v) => {
            let decoded = v
                .strip_prefix("Basic ")
                .and_then(|b| {
                    base64::engine::general_purpose::STANDARD
                        .decode(b.trim())
                        .ok()
                })
                .and_then(|b| String::from_utf8(b).ok());
            let ok = decoded
                .as_deref()
                .and_then(|d| d.split_once(':'))
                .is_some_and(|(id, secret)| state.admin.matches(id, secret));
            if ok {
                Ok(())
            } else {
                Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "UnrecognizedClientException",
                    "The security token included in the request is invalid.",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keystep_core::message::{Medium, MessagePurpose};

    #[test]
    fn render_is_one_readable_block() {
        let mut m = OutgoingMessage {
            pool_id: "us-east-1_abc".into(),
            username: "alice".into(),
            medium: Medium::Sms,
            destination: "+15555550100".into(),
            purpose: MessagePurpose::SignUp,
            code: Some("123456".into()),
            subject: None,
            body: "Your verification code is 123456".into(),
            created_at: Millis(1_700_000_000_000),
        };
        assert_eq!(
            render(&m),
            "[outbox] SMS to +15555550100 (pool us-east-1_abc, user alice, sign_up): Your verification code is 123456"
        );
        m.medium = Medium::Email;
        m.subject = Some("Your code".into());
        m.body = "Hello\nCode: 1".into();
        assert!(render(&m).ends_with("sign_up) \"Your code\": Hello\n    Code: 1"));
        let e = OutboxMessage::from(OutboxEntry { id: 3, message: m });
        assert_eq!(
            (e.id, e.created_at, e.medium.as_str()),
            (3, 1_700_000_000, "EMAIL")
        );
    }
}
