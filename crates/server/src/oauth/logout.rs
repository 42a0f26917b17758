//! `GET /logout`: ends the pages' session, then leaves to the app's sign-out URL or
//! returns to the sign-in page.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use keystep_core::service::oauth::{LogoutRequest, LogoutTarget};

use super::pages::{
    self, authorize_params, cookie, error_page, parameters, redirect, refusal, set_cookie,
};
use crate::AppState;

/// The logout endpoint.
pub async fn handle(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(query) = parameters(query.unwrap_or_default().as_bytes()) else {
        return error_page("A parameter is repeated.");
    };
    let request = LogoutRequest {
        client_id: query.get("client_id").cloned(),
        logout_uri: query.get("logout_uri").cloned(),
        authorize: authorize_params(&query),
    };
    if request.logout_uri.is_none() && request.authorize.redirect_uri.is_none() {
        return error_page("logout_uri or redirect_uri is required.");
    }
    // The session cookie is per pool; the client names the pool.
    let pool_id = match state
        .keystep
        .load_client(request.client_id.as_deref().unwrap_or_default())
        .await
    {
        Ok((client, _)) => client.pool_id,
        Err(_) => return error_page("The app client does not exist."),
    };
    let name = pages::session_cookie_name(&pool_id);
    let target = match state
        .keystep
        .logout(&request, cookie(&headers, &name))
        .await
    {
        Ok(t) => t,
        Err(r) => return refusal(r),
    };
    let cleared = set_cookie(&state, &headers, &name, "", 0);
    match target {
        LogoutTarget::Leave(uri) => redirect(&uri, &[cleared]),
        LogoutTarget::SignInAgain(auth) => {
            redirect(&format!("/login?{}", auth.query()), &[cleared])
        }
    }
}
