//! `GET /admin/deliveries?status=failed&pool_id=..&limit=..` (admin credentials): the
//! delivery queue, newest first, without payloads (they hold codes).

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use keystep_core::parcel::DeliveryStatus;
use keystep_core::ports::{DeliveryFilter, DeliveryRow};

use crate::{ApiError, AppState};

/// One queued message as the endpoint shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DeliveryView {
    /// Queue id.
    pub id: i64,
    /// The pool.
    pub pool_id: String,
    /// The recipient's username.
    pub username: String,
    /// `SMS` or `EMAIL`.
    pub medium: String,
    /// Why it is sent.
    pub purpose: String,
    /// The sender (`smtp`, `sms_webhook`, `custom_email_sender`, `custom_sms_sender`).
    pub channel: String,
    /// The masked destination.
    pub destination: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was queued, epoch seconds.
    pub created_at: i64,
    /// When its status last changed, epoch seconds.
    pub updated_at: i64,
}

impl From<DeliveryRow> for DeliveryView {
    fn from(r: DeliveryRow) -> Self {
        DeliveryView {
            id: r.id,
            medium: r.medium.as_str().into(),
            purpose: r.purpose.as_str().into(),
            channel: r.channel.as_str().into(),
            status: r.status.as_str().into(),
            attempts: r.attempts,
            created_at: r.created_at.as_secs(),
            updated_at: r.updated_at.as_secs(),
            pool_id: r.pool_id,
            username: r.username,
            destination: r.destination_masked,
            last_error: r.last_error,
        }
    }
}

#[derive(serde::Deserialize)]
struct Query {
    status: Option<String>,
    pool_id: Option<String>,
    limit: Option<u32>,
}

/// Answers a JSON array, newest first (at most `limit`, default 100, at most 1000).
pub async fn list(State(state): State<AppState>, req: Request) -> Response {
    match inner(&state, req).await {
        Ok(rows) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into()),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn inner(state: &AppState, req: Request) -> Result<Vec<DeliveryView>, ApiError> {
    let (parts, _body) = req.into_parts();
    crate::outbox::authenticate(state, &parts)?;
    let axum::extract::Query(q) = axum::extract::Query::<Query>::try_from_uri(&parts.uri)
        .map_err(|e| ApiError::invalid_parameter(format!("Invalid query string: {e}")))?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(DeliveryStatus::parse(s).ok_or_else(|| {
            ApiError::invalid_parameter("status must be pending, sent or failed")
        })?),
    };
    let filter = DeliveryFilter {
        status,
        pool_id: q.pool_id.filter(|p| !p.is_empty()),
        limit: q.limit.unwrap_or(100).clamp(1, 1000),
    };
    let rows = state.keystep.list_deliveries(&filter).await?;
    Ok(rows.into_iter().map(DeliveryView::from).collect())
}
