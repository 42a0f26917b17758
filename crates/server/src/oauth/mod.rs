//! The OAuth 2.0 user pool endpoints. Only `/oauth2/token`'s `client_credentials` grant is
//! built so far; the authorization endpoint, the hosted pages and the other grants come
//! next (issue 15).

pub mod token;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use keystep_core::oauth::OAuthError;

/// A JSON answer that no cache keeps (RFC 6749 §5.1).
pub fn json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// An OAuth error: 400 with `error` and `error_description` (Cognito answers 400 for
/// every token error, `invalid_client` included).
pub fn error(e: &OAuthError) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        serde_json::json!({"error": e.name(), "error_description": e.to_string()}),
    )
}
