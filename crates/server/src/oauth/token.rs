//! `POST /oauth2/token`: parse the form and the client's credentials, hand the grant to
//! the domain, render the token or the OAuth error.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use keystep_core::oauth::OAuthError;
use keystep_core::service::oauth::TokenRequest;

use crate::AppState;

/// The largest token request read.
const MAX_BODY: usize = 16 * 1024;

/// The token endpoint.
pub async fn handle(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let request = match parse(&headers, body).await {
        Ok(r) => r,
        Err(e) => return super::error(&e),
    };
    match state.keystep.oauth_token(request).await {
        Ok(token) => {
            let mut body = serde_json::json!({
                "access_token": token.access_token,
                "expires_in": token.expires_in,
                "token_type": "Bearer",
            });
            if let Some(id) = token.id_token {
                body["id_token"] = id.into();
            }
            if let Some(refresh) = token.refresh_token {
                body["refresh_token"] = refresh.into();
            }
            super::json(StatusCode::OK, body)
        }
        Err(e) => super::error(&e),
    }
}

fn invalid(message: &str) -> OAuthError {
    OAuthError::InvalidRequest(message.into())
}

/// The form (each parameter at most once, RFC 6749 §3.2) and the client's credentials
/// from HTTP Basic (`client_secret_basic`, its parts form-urlencoded) or the form
/// (`client_secret_post`), not both.
pub(super) async fn client_credentials(
    headers: &HeaderMap,
    body: Body,
) -> Result<(BTreeMap<String, String>, String, Option<String>), OAuthError> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !form_type {
        return Err(invalid(
            "Content-Type must be application/x-www-form-urlencoded.",
        ));
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| invalid("The request body is too large or could not be read."))?;
    let mut form = BTreeMap::new();
    for (key, value) in url::form_urlencoded::parse(&bytes) {
        if form.insert(key.into_owned(), value.into_owned()).is_some() {
            return Err(invalid("A parameter is repeated."));
        }
    }
    let basic = match headers.get(header::AUTHORIZATION) {
        None => None,
        Some(value) => Some(basic_credentials(value.to_str().unwrap_or_default())?),
    };
    let (client_id, client_secret) = match basic {
        Some((id, secret)) => {
            if form.contains_key("client_secret") {
                return Err(invalid("Send the client secret one way, not two."));
            }
            if form.get("client_id").is_some_and(|f| *f != id) {
                return Err(invalid(
                    "client_id does not match the Authorization header.",
                ));
            }
            (id, Some(secret))
        }
        None => (
            form.get("client_id").cloned().unwrap_or_default(),
            form.get("client_secret").cloned(),
        ),
    };
    if client_id.is_empty() {
        return Err(OAuthError::InvalidClient);
    }
    Ok((form, client_id, client_secret))
}

async fn parse(headers: &HeaderMap, body: Body) -> Result<TokenRequest, OAuthError> {
    let (form, client_id, client_secret) = client_credentials(headers, body).await?;
    let get = |k: &str| form.get(k).cloned();
    Ok(TokenRequest {
        grant_type: get("grant_type").unwrap_or_default(),
        client_id,
        client_secret,
        scope: get("scope"),
        code: get("code"),
        redirect_uri: get("redirect_uri"),
        code_verifier: get("code_verifier"),
        refresh_token: get("refresh_token"),
        device_key: get("device_key"),
    })
}

fn basic_credentials(value: &str) -> Result<(String, String), OAuthError> {
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
        .ok_or(OAuthError::InvalidClient)?;
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(OAuthError::InvalidClient)?;
    let (id, secret) = decoded.split_once(':').ok_or(OAuthError::InvalidClient)?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok((unescape(id), unescape(secret)))
}
