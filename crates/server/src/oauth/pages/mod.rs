//! The hosted sign-in pages: what every page shares — cookies, the CSRF check, the
//! security headers, reading forms — and one module per group of pages.
//!
//! The authorization request travels from page to page in the query string and is
//! checked again on every request, so no page keeps state of its own; the sign-in in
//! progress is the engine's `Session`, carried in a hidden field as the API hands it to
//! clients.

/// The checked [`PageRequest`] of a page handler's query, or the handler returns the
/// refusal (the error page, or back to the app).
macro_rules! page_request_or_return {
    ($state:expr, $headers:expr, $query:expr) => {
        match super::page_request(&$state, &$headers, $query.as_deref()).await {
            Ok(r) => r,
            Err(response) => return response,
        }
    };
}

pub mod account;
pub mod login;
pub mod templates;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use keystep_core::oauth::authorize::{Authorization, AuthorizeParams, Refusal};
use maud::Markup;

use crate::AppState;

/// The CSRF cookie (double submit: the form's `_csrf` is a keyed hash of it).
pub const CSRF_COOKIE: &str = "XSRF-TOKEN";

/// The largest form read.
const MAX_FORM: usize = 16 * 1024;

/// The pages' session cookie of a pool (one per pool: pools may share a host).
pub fn session_cookie_name(pool_id: &str) -> String {
    format!("keystep-session-{pool_id}")
}

/// A cookie of the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether cookies must be `Secure`: the public URL is HTTPS, or a TLS-terminating
/// proxy says the browser spoke HTTPS.
fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.keystep.config.public_url.starts_with("https://")
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax` (the app's top-level redirect to
/// `/oauth2/authorize` must carry the session), `Secure` over HTTPS.
pub fn set_cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
) -> String {
    let secure = if secure(state, headers) {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// The browser's CSRF cookie, or a new one to set.
pub struct Csrf {
    /// The cookie value.
    cookie: String,
    /// Whether the response must set it.
    fresh: bool,
}

impl Csrf {
    /// The request's CSRF cookie, or a new random one.
    pub fn of(state: &AppState, headers: &HeaderMap) -> Csrf {
        match cookie(headers, CSRF_COOKIE).filter(|c| (20..=128).contains(&c.len())) {
            Some(c) => Csrf {
                cookie: c.to_string(),
                fresh: false,
            },
            None => Csrf {
                cookie: keystep_core::ids::new_opaque_token(&*state.keystep.rng, 24),
                fresh: true,
            },
        }
    }

    /// The form field for this browser: a keyed hash of the cookie, so a value planted
    /// in the cookie by another site is no use without the server's key.
    pub fn token(&self, state: &AppState) -> String {
        URL_SAFE_NO_PAD.encode(state.keystep.keys.code_hash("csrf", &self.cookie))
    }

    /// Whether a posted `_csrf` matches this browser's cookie.
    pub fn accepts(&self, state: &AppState, form: &BTreeMap<String, String>) -> bool {
        !self.fresh
            && form.get("_csrf").is_some_and(|sent| {
                keystep_core::keys::constant_time_eq(sent.as_bytes(), self.token(state).as_bytes())
            })
    }

    /// The `Set-Cookie` the response needs, if any.
    pub fn set_cookie(&self, state: &AppState, headers: &HeaderMap) -> Option<String> {
        self.fresh
            .then(|| set_cookie(state, headers, CSRF_COOKIE, &self.cookie, 3600))
    }
}

/// Headers every page carries: no framing, no caching, no script, no referrer.
fn harden(response: &mut Response) {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    harden(&mut response);
    response
}

/// An HTML page.
pub fn html(status: StatusCode, markup: Markup, cookies: &[String]) -> Response {
    let response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response();
    with_cookies(response, cookies)
}

/// A `302` to `location`.
pub fn redirect(location: &str, cookies: &[String]) -> Response {
    let response = match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::FOUND, [(header::LOCATION, v)]).into_response(),
        Err(_) => return error_page("The redirect could not be built."),
    };
    with_cookies(response, cookies)
}

/// The error page: `400`, nothing sent back to the app.
pub fn error_page(description: &str) -> Response {
    html(StatusCode::BAD_REQUEST, templates::error(description), &[])
}

/// A refused authorization: the error page, or back to the app with the error.
pub fn refusal(refusal: Refusal) -> Response {
    match refusal {
        Refusal::ErrorPage { error, description } => {
            tracing::info!(target: "keystep::oauth", error, "authorization refused");
            error_page(&description)
        }
        Refusal::Redirect {
            redirect_uri,
            fragment,
            error,
            state,
        } => {
            let description = error.to_string();
            let mut params = vec![("error", error.name()), ("error_description", &description)];
            if let Some(state) = &state {
                params.push(("state", state));
            }
            let location =
                keystep_core::oauth::authorize::redirect_with(&redirect_uri, fragment, &params);
            redirect(&location, &[])
        }
    }
}

/// Parses a query or form body into single-valued parameters (`None` when one repeats).
pub fn parameters(encoded: &[u8]) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (k, v) in url::form_urlencoded::parse(encoded) {
        if out.insert(k.into_owned(), v.into_owned()).is_some() {
            return None;
        }
    }
    Some(out)
}

/// Reads an `application/x-www-form-urlencoded` body.
pub async fn read_form(body: Body) -> Option<BTreeMap<String, String>> {
    let bytes = axum::body::to_bytes(body, MAX_FORM).await.ok()?;
    parameters(&bytes)
}

/// The authorization parameters of a query.
pub fn authorize_params(query: &BTreeMap<String, String>) -> AuthorizeParams {
    let get = |k: &str| query.get(k).cloned();
    AuthorizeParams {
        response_type: get("response_type"),
        client_id: get("client_id"),
        redirect_uri: get("redirect_uri"),
        state: get("state"),
        scope: get("scope"),
        nonce: get("nonce"),
        code_challenge: get("code_challenge"),
        code_challenge_method: get("code_challenge_method"),
        identity_provider: get("identity_provider"),
        idp_identifier: get("idp_identifier"),
        prompt: get("prompt"),
    }
}

/// Whether the request's `Host` may serve `pool_id`: any pool under the public URL, only
/// its own on a pool's domain (custom, or prefix under the configured suffix).
pub async fn host_serves(state: &AppState, headers: &HeaderMap, pool_id: &str) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return true;
    };
    match state.keystep.pools_of_host(host).await {
        Ok(pools) => pools.allows(pool_id),
        Err(e) => {
            tracing::error!(error = %e, "domain lookup failed");
            false
        }
    }
}

/// The error page for a pool's domain asked about another pool's app client.
pub fn wrong_domain() -> Response {
    error_page("This domain does not serve the app client's user pool.")
}

/// A page's request: its authorization, checked, and the pool's name.
pub struct PageRequest {
    /// The authorization the pages carry.
    pub auth: Authorization,
    /// The pool's name, for the pages.
    pub pool_name: String,
    /// The pool's federated providers the client supports (a button each).
    pub providers: Vec<String>,
    /// Whether the client signs in with the pool's own users.
    pub cognito: bool,
    /// The customization the pages link.
    pub branding: templates::Branding,
}

/// Checks the authorization in a page's query.
pub async fn page_request(
    state: &AppState,
    headers: &HeaderMap,
    raw_query: Option<&str>,
) -> Result<PageRequest, Response> {
    let query = parameters(raw_query.unwrap_or_default().as_bytes())
        .ok_or_else(|| error_page("A parameter is repeated."))?;
    let (auth, pool, client) = state
        .keystep
        .check_authorization(&authorize_params(&query))
        .await
        .map_err(refusal)?;
    if !host_serves(state, headers, &auth.pool_id).await {
        return Err(wrong_domain());
    }
    let providers = client
        .settings
        .oauth
        .supported_identity_providers
        .iter()
        .filter(|p| p.as_str() != "COGNITO")
        .cloned()
        .collect();
    let branding = branding(state, &pool.id, &client.client_id).await;
    Ok(PageRequest {
        cognito: Authorization::allows_cognito(&client),
        auth,
        pool_name: pool.name,
        providers,
        branding,
    })
}

/// The customization of the client's pages; a failure to read it costs the pages their
/// branding, not the sign-in.
async fn branding(state: &AppState, pool_id: &str, client_id: &str) -> templates::Branding {
    use keystep_core::service::ui_customization::{asset_path, Asset};
    match state.keystep.hosted_branding(pool_id, client_id).await {
        Ok(Some(c)) => templates::Branding {
            css: c.css.as_ref().map(|_| asset_path(&c, Asset::Css)),
            logo: c.image.as_ref().map(|_| asset_path(&c, Asset::Logo)),
        },
        Ok(None) => templates::Branding::default(),
        Err(e) => {
            tracing::warn!(error = %e, "reading the hosted UI customization failed");
            templates::Branding::default()
        }
    }
}
