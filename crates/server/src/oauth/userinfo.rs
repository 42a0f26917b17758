//! `GET|POST /oauth2/userInfo` and `POST /oauth2/revoke`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use keystep_core::service::oauth::UserInfoError;

use super::token::client_credentials;
use crate::AppState;

/// The userInfo endpoint: `Authorization: Bearer <access token>`.
pub async fn user_info(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match state.keystep.user_info(token).await {
        Ok(claims) => {
            let mut response = super::json(StatusCode::OK, claims);
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            );
            response
        }
        Err(e) => {
            let (status, name) = match e {
                UserInfoError::InvalidRequest => (StatusCode::BAD_REQUEST, "invalid_request"),
                UserInfoError::InvalidToken => (StatusCode::UNAUTHORIZED, "invalid_token"),
                UserInfoError::Server => (StatusCode::INTERNAL_SERVER_ERROR, "server_error"),
            };
            let challenge = format!("Bearer error=\"{name}\", error_description=\"{e}\"");
            let mut response = super::json(
                status,
                serde_json::json!({"error": name, "error_description": e.to_string()}),
            );
            if let Ok(v) = HeaderValue::from_str(&challenge) {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
            response
        }
    }
}

/// The revocation endpoint: `token` (a refresh token), the client by HTTP Basic or form.
pub async fn revoke(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let (form, client_id, secret) = match client_credentials(&headers, body).await {
        Ok(parsed) => parsed,
        Err(e) => return super::error(&e),
    };
    let token = form.get("token").map(String::as_str).unwrap_or_default();
    match state
        .keystep
        .oauth_revoke(&client_id, secret.as_deref(), token)
        .await
    {
        Ok(()) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")]).into_response(),
        Err(e) => super::error(&e),
    }
}
