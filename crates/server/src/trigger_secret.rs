//! Admin views of the triggers (admin credentials, by HTTP Basic or SigV4):
//! `GET /admin/trigger-secret?pool_id=..`, the secret a pool's webhooks check
//! `X-Keystep-Signature` with (and the key its custom sender triggers decrypt codes
//! with), and `GET /admin/trigger-stats`, the calls so far by outcome.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Deserialize;

use crate::{ApiError, AppState};

#[derive(Deserialize)]
struct Query {
    pool_id: Option<String>,
}

/// Answers `{"PoolId", "TriggerSecret", "Signature", "CustomSenderKey", "CustomSenderCipher"}`.
pub async fn show(State(state): State<AppState>, req: Request) -> Response {
    match inner(&state, req).await {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body.to_string(),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// Answers `{"Ok": n, "Rejected": n, "Failed": n}`: trigger calls since the start.
pub async fn stats(State(state): State<AppState>, req: Request) -> Response {
    let (parts, _body) = req.into_parts();
    if let Err(e) = crate::outbox::authenticate(&state, &parts) {
        return e.into_response();
    }
    let c = &state.webhooks.counters;
    let load = |a: &std::sync::atomic::AtomicU64| a.load(std::sync::atomic::Ordering::Relaxed);
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        serde_json::json!({
            "Ok": load(&c.ok),
            "Rejected": load(&c.rejected),
            "Failed": load(&c.failed),
        })
        .to_string(),
    )
        .into_response()
}

async fn inner(state: &AppState, req: Request) -> Result<serde_json::Value, ApiError> {
    let (parts, _body) = req.into_parts();
    crate::outbox::authenticate(state, &parts)?;
    let axum::extract::Query(q) = axum::extract::Query::<Query>::try_from_uri(&parts.uri)
        .map_err(|e| ApiError::invalid_parameter(format!("Invalid query string: {e}")))?;
    let pool_id = q
        .pool_id
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter("pool_id is required"))?;
    let pool = state.keystep.load_pool(&pool_id).await?;
    Ok(serde_json::json!({
        "PoolId": pool.id,
        "TriggerSecret": state.keystep.trigger_secret(&pool.id),
        "Signature": "X-Keystep-Signature = hex(HMAC-SHA256(key = TriggerSecret, X-Keystep-Timestamp + \".\" + body))",
        "CustomSenderKey": base64::engine::general_purpose::STANDARD
            .encode(state.keystep.custom_sender_key(&pool.id)),
        "CustomSenderCipher": "request.code = base64(nonce[12] + AES-256-GCM ciphertext + tag[16]), key = base64-decoded CustomSenderKey, no associated data",
    }))
}
