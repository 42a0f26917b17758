//! `GET /oauth2/authorize` and the error page it sends browsers to.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use keystep_core::oauth::authorize::Refusal;
use keystep_core::oauth::OAuthError;

use super::pages::{self, authorize_params, cookie, error_page, parameters, redirect, refusal};
use crate::AppState;

/// The authorization endpoint: a browser already signed in on the pages goes straight
/// back to the app; any other goes to `/login`.
pub async fn handle(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(query) = parameters(query.unwrap_or_default().as_bytes()) else {
        return error_page("A parameter is repeated.");
    };
    let (auth, _, _) = match state
        .keystep
        .check_authorization(&authorize_params(&query))
        .await
    {
        Ok(checked) => checked,
        Err(r) => return refusal(r),
    };
    if let Some(provider) = &auth.identity_provider {
        return refusal(Refusal::Redirect {
            redirect_uri: auth.redirect_uri.clone(),
            fragment: auth.response_type == keystep_core::oauth::authorize::ResponseType::Token,
            error: OAuthError::InvalidRequest(format!(
                "Sign-in through the identity provider {provider} is not supported by this server yet."
            )),
            state: auth.state.clone(),
        });
    }
    let session = cookie(&headers, &pages::session_cookie_name(&auth.pool_id));
    match state.keystep.authorize_with_session(&auth, session).await {
        Ok(Some(to)) => redirect(&to, &[]),
        Ok(None) => redirect(&format!("/login?{}", auth.query()), &[]),
        Err(r) => refusal(r),
    }
}

/// `GET /error`: what a refused authorization shows (also reachable directly).
pub async fn error(RawQuery(query): RawQuery) -> Response {
    let query = parameters(query.unwrap_or_default().as_bytes()).unwrap_or_default();
    let described = match query.get("error").map(String::as_str) {
        Some("redirect_mismatch") => {
            "The redirect URI is not one of the app client's callback URLs."
        }
        _ => "The request could not be completed.",
    };
    error_page(described)
}
