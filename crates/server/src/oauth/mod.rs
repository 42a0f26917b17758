//! The OAuth 2.0 / OpenID Connect user pool endpoints and the hosted sign-in pages, each
//! a thin layer over `keystep_core::service::oauth`.

pub mod authorize;
pub mod branding;
pub mod logout;
pub mod pages;
pub mod token;
pub mod userinfo;

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

/// The routes, on whatever host the request came to (the client id decides the pool).
pub fn routes(
    router: axum::Router<crate::AppState>,
    state: &crate::AppState,
) -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    let endpoints = axum::Router::new()
        .route("/oauth2/authorize", get(authorize::handle))
        .route("/oauth2/idpresponse", get(authorize::idp_response))
        .route("/oauth2/token", post(token::handle))
        .route(
            "/oauth2/userInfo",
            get(userinfo::user_info).post(userinfo::user_info),
        )
        .route("/oauth2/revoke", post(userinfo::revoke))
        .route("/oauth2/pages.css", get(stylesheet))
        .route(
            "/ui/{pool_id}/{client_id}/{version}/custom.css",
            get(branding::css),
        )
        .route(
            "/ui/{pool_id}/{client_id}/{version}/assets/images/image.jpg",
            get(branding::logo),
        )
        .route("/error", get(authorize::error))
        .route("/logout", get(logout::handle))
        .route("/login", get(pages::login::show).post(pages::login::submit))
        .route("/login/challenge", post(pages::login::answer))
        .route(
            "/signup",
            get(pages::account::signup_form).post(pages::account::signup),
        )
        .route("/confirmUser", post(pages::account::confirm_user))
        .route(
            "/forgotPassword",
            get(pages::account::forgot_form).post(pages::account::forgot),
        )
        .route(
            "/confirmForgotPassword",
            post(pages::account::confirm_forgot),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limited,
        ));
    router.merge(endpoints)
}

/// The endpoints anyone may call take from the same per-address budget as the unsigned
/// API operations (when a limit is configured): a form post, token request, authorization
/// or userInfo over budget is 429 before its body is read. Page views and the stylesheet
/// are not counted.
async fn rate_limited(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let counted = req.method() == axum::http::Method::POST
        || req.uri().path() == "/oauth2/authorize"
        || req.uri().path() == "/oauth2/userInfo";
    let (mut parts, body) = req.into_parts();
    let ip = crate::edge::client_ip(&state, &parts);
    if let Some(ip) = ip {
        parts.extensions.insert(ClientIp(ip));
    }
    if let Some(limiter) = state.rate_limiter.as_ref().filter(|_| counted) {
        let admitted = ip.is_none_or(|ip| limiter.admit(ip, std::time::Instant::now()));
        if !admitted {
            return json(
                StatusCode::TOO_MANY_REQUESTS,
                serde_json::json!({
                    "error": "slow_down",
                    "error_description": "Too many requests from this address.",
                }),
            );
        }
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// The address a request to the endpoints came from (as the rate limiter sees it), for
/// the pages' auth events.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        pages::templates::STYLESHEET,
    )
        .into_response()
}

/// An OAuth error: 400 with `error` and `error_description` (Cognito answers 400 for
/// every token error, `invalid_client` included).
pub fn error(e: &OAuthError) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        serde_json::json!({"error": e.name(), "error_description": e.to_string()}),
    )
}
