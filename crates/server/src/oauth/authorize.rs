//! `GET /oauth2/authorize` and the error page it sends browsers to.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use keystep_core::service::oauth::{HostedStep, HOSTED_SESSION_SECS};

use super::pages::{
    self, authorize_params, cookie, error_page, parameters, redirect, refusal, set_cookie,
};
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
    let (auth, pool, client) = match state
        .keystep
        .check_authorization(&authorize_params(&query))
        .await
    {
        Ok(checked) => checked,
        Err(r) => return refusal(r),
    };
    if !pages::host_serves(&state, &headers, &auth.pool_id).await {
        return pages::wrong_domain();
    }
    let provider = auth.identity_provider.clone().or_else(|| {
        query
            .get("idp_identifier")
            .filter(|i| !i.is_empty())
            .cloned()
    });
    if let Some(provider) = provider {
        return match state.keystep.begin_federation(&auth, &provider).await {
            Ok(to) => redirect(&to, &[]),
            Err(r) => refusal(r),
        };
    }
    let session = cookie(&headers, &pages::session_cookie_name(&auth.pool_id));
    match state
        .keystep
        .authorize_with_session(&auth, &pool, &client, session)
        .await
    {
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

/// `GET /oauth2/idpresponse`: a federated provider sends the browser back here; it goes
/// on to the app with a code and the pages' session, as after a sign-in on the pages.
pub async fn idp_response(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(query) = parameters(query.unwrap_or_default().as_bytes()) else {
        return error_page("A parameter is repeated.");
    };
    match state.keystep.finish_federation(&query).await {
        Ok(HostedStep::Done {
            redirect: to,
            session,
            pool_id,
        }) => {
            let name = pages::session_cookie_name(&pool_id);
            let cookie = set_cookie(&state, &headers, &name, &session, HOSTED_SESSION_SECS);
            redirect(&to, &[cookie])
        }
        Ok(_) => error_page("The sign-in could not be completed."),
        Err(r) => refusal(r),
    }
}
