//! `POST /` (the Cognito JSON protocol), and the envelope around every response:
//! request id, CORS and the access log.

use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;

use crate::error::{ApiError, AMZ_JSON};
use crate::ops::{self, Caller};
use crate::{sigv4, AppState};

use keystep_proto::names::TARGET_PREFIX;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");

/// The request id of the request being served (set by [`envelope`]).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The operation a response answered, for the access log.
#[derive(Debug, Clone)]
struct OpName(String);

/// The Cognito API: `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`.
pub async fn api(
    State(state): State<AppState>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    req: Request,
) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // The operation is the text after the last `.` (as the SDKs and moto do it).
    let op = match target.strip_prefix(TARGET_PREFIX) {
        Some(rest) => rest.rsplit('.').next().unwrap_or(rest).to_string(),
        None => String::new(),
    };
    let (result, body_read) = if ops::is_known(&op) {
        call(&state, &parts, body, &op, request_id).await
    } else {
        (Err(ApiError::unknown_operation(target)), false)
    };
    let label = if ops::is_known(&op) { op.as_str() } else { "-" };
    state.metrics.request(
        label,
        match &result {
            Ok(_) => Ok(()),
            Err(e) => Err((e.type_name(), e.message())),
        },
        started.elapsed(),
    );
    let mut response = match result {
        Ok(bytes) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON))],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    };
    if !body_read {
        // The body was refused unread; the connection cannot carry another request after
        // it, so say so instead of closing it under the client's feet.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
        .extensions_mut()
        .insert(OpName(if op.is_empty() { "-".into() } else { op }));
    response
}

/// Runs `op`; says too whether the request body was read whole (it is not when the
/// request is refused before, or for its size).
async fn call(
    state: &AppState,
    parts: &Parts,
    body: Body,
    op: &str,
    request_id: String,
) -> (Result<Vec<u8>, ApiError>, bool) {
    match read_and_call(state, parts, body, op, request_id).await {
        Ok(answer) => (answer, true),
        Err(unread) => (Err(unread), false),
    }
}

/// [`call`]: the outer `Err` is a refusal with the body unread.
async fn read_and_call(
    state: &AppState,
    parts: &Parts,
    body: Body,
    op: &str,
    request_id: String,
) -> Result<Result<Vec<u8>, ApiError>, ApiError> {
    // The unsigned operations are what anyone may call, so they are what a source
    // address is rate-limited on — before its body is even read.
    let unsigned = ops::is_unsigned(op);
    if unsigned {
        if let Some(limiter) = &state.rate_limiter {
            let admitted = client_ip(state, parts)
                .is_none_or(|ip| limiter.admit(ip, std::time::Instant::now()));
            if !admitted {
                return Err(ApiError::too_many_requests());
            }
        }
    }
    // Held until the answer is made: the turn bounds what runs at once.
    let _turn = match &state.admission {
        Some(admission) => match admission.admit().await {
            Some(turn) => Some(turn),
            None => return Err(ApiError::too_many_requests()),
        },
        None => None,
    };
    let body = read_body(&parts.headers, body, state.limits.max_body_bytes).await?;
    Ok(async {
        let mut caller = Caller {
            request_id,
            source_ip: client_ip(state, parts).map(|ip| ip.to_string()),
            ..Caller::default()
        };
        // Unsigned operations ignore any Authorization header (protocol §1.4).
        if !unsigned {
            let verified = verify_sigv4(state, parts, &body)?;
            caller.access_key_id = Some(verified.access_key_id);
            caller.region = Some(verified.region);
        }
        check_json_syntax(&body)?;
        ops::dispatch(state, op, &body, &caller).await
    }
    .await)
}

/// The client's address: the last entry of the configured proxy header, else the
/// connection's peer.
pub(crate) fn client_ip(state: &AppState, parts: &Parts) -> Option<std::net::IpAddr> {
    if let Some(name) = &state.limits.client_ip_header {
        let from_proxy = parts
            .headers
            .get_all(name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|v| v.trim().parse().ok());
        if from_proxy.is_some() {
            return from_proxy;
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
}

/// Malformed JSON is a `SerializationException` whatever the operation, even one
/// Keystep does not offer; the operation's own decoding reports missing members.
fn check_json_syntax(body: &[u8]) -> Result<(), ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(body)
        .map(|_| ())
        .map_err(|e| ApiError::serialization(format!("Request body is not valid JSON: {e}")))
}

/// Reads the body, refusing more than `limit` bytes without buffering them.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::too_large(limit));
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
        if too_large {
            ApiError::too_large(limit)
        } else {
            // The client went away or sent a broken chunked body.
            ApiError::serialization("Could not read the request body.")
        }
    })
}

/// Verifies the request's SigV4 signature against the admin credentials.
pub(crate) fn verify_sigv4(
    state: &AppState,
    parts: &Parts,
    body: &[u8],
) -> Result<sigv4::Verified, ApiError> {
    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str(), v)))
        .collect();
    let req = sigv4::Request {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers: &headers,
        body,
    };
    // Signatures are checked against the wall clock (the clients' clocks are wall
    // clocks), never against the domain clock that tests move.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    sigv4::verify(&req, now, |ak| state.admin.secret_for(ak)).map_err(|e| {
        tracing::info!(reason = %e, "request signature refused");
        ApiError::from(e)
    })
}

/// `GET /health`.
pub async fn health() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"status":"ok"}"#,
    )
        .into_response()
}

/// `GET /ready`: 200 when the store answers a read and a write and has every migration
/// of this build, else 503 with the reason (for a load balancer or an orchestrator: stop
/// sending requests here). Unauthenticated, like `/health`; the reason names no secret.
pub async fn ready(State(state): State<AppState>) -> Response {
    let now = state.keystep.clock.now();
    let check = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        state.keystep.store.check_ready(now),
    )
    .await;
    let (status, body) = match check {
        Ok(Ok(())) => (StatusCode::OK, serde_json::json!({"status": "ready"})),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({"status": "unavailable", "reason": e.to_string()}),
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!({"status": "unavailable", "reason": "the store did not answer within 5 s"}),
        ),
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Any other path.
pub async fn not_found() -> Response {
    ApiError::not_found("No such resource.").into_response()
}

/// A known path with the wrong method.
pub async fn method_not_allowed() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowedException",
        "Method not allowed.",
    )
    .into_response()
}

const ALLOW_HEADERS: &str = "content-type, x-amz-target, x-amz-user-agent, cache-control, \
    amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token, \
    x-amz-content-sha256";
const EXPOSE_HEADERS: &str = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date";

/// Wraps every request: answers CORS preflights, assigns the request id, adds the CORS
/// and request-id headers, and writes one access-log line (never bodies or secrets).
pub async fn envelope(mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    // A version-4 UUID from the thread's random generator (seeded from the OS): a
    // request id needs to be unique, not secret, and `Uuid::new_v4` asks the kernel for
    // its 16 bytes at every request.
    let request_id = uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .to_string();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut response = if method == Method::OPTIONS {
        preflight()
    } else {
        req.extensions_mut().insert(RequestId(request_id.clone()));
        next.run(req).await
    };
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert(REQUEST_ID, v);
    }
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
    let op = response
        .extensions()
        .get::<OpName>()
        .map_or("-", |o| o.0.as_str());
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    // The path of `POST /` is always `/`; other paths carry only ids, never secrets.
    tracing::info!(
        target: "keystep::access",
        %request_id, %method, %path, op, status, latency_ms,
        "request"
    );
    response
}

fn preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("POST, GET, OPTIONS"),
            ),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(ALLOW_HEADERS),
            ),
            (
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("7200"),
            ),
        ],
    )
        .into_response()
}
