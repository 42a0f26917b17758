//! The pages around signing in: sign-up and its confirmation code, the forgotten
//! password and its reset code — each the API operation of the same name, with the
//! `SECRET_HASH` the pages compute — and the TOTP QR code.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keystep_core::service::recovery::{ConfirmForgotPasswordInput, ForgotPasswordInput};
use keystep_core::service::signup::{ConfirmSignUpInput, SignUpInput};
use keystep_core::AuthError;
use maud::Markup;

use super::login::{checked_form, login_page, message};
use super::templates::{self, FormContext};
use super::{html, read_form, Csrf, PageRequest};
use crate::AppState;

/// The authenticator secret as a QR code (SVG) of its `otpauth://` URI.
pub fn totp_qr(issuer: &str, username: &str, secret: &str) -> String {
    let label: String =
        url::form_urlencoded::byte_serialize(format!("{issuer}:{username}").as_bytes()).collect();
    let issuer_q: String = url::form_urlencoded::byte_serialize(issuer.as_bytes()).collect();
    let uri = format!("otpauth://totp/{label}?secret={secret}&issuer={issuer_q}");
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .build(),
        Err(_) => String::new(),
    }
}

/// A page of this module, with the CSRF cookie set when new.
fn page(
    state: &AppState,
    headers: &HeaderMap,
    req: &PageRequest,
    status: StatusCode,
    render: impl FnOnce(&FormContext<'_>) -> Markup,
) -> Response {
    let csrf = Csrf::of(state, headers);
    let token = csrf.token(state);
    let query = req.auth.query();
    let ctx = FormContext {
        pool_name: &req.pool_name,
        branding: &req.branding,
        query: &query,
        csrf: &token,
    };
    let cookies: Vec<String> = csrf.set_cookie(state, headers).into_iter().collect();
    html(status, render(&ctx), &cookies)
}

async fn secret_hash(state: &AppState, req: &PageRequest, username: &str) -> Option<String> {
    state
        .keystep
        .hosted_secret_hash(&req.auth.client_id, username)
        .await
        .ok()
        .flatten()
}

/// `GET /signup`.
pub async fn signup_form(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let req = page_request_or_return!(state, headers, query);
    page(&state, &headers, &req, StatusCode::OK, |ctx| {
        templates::signup(ctx, None)
    })
}

/// `POST /signup`.
pub async fn signup(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req = page_request_or_return!(state, headers, query);
    let form = match checked_form(&state, &headers, &req, read_form(body).await) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let username = field("username");
    let mut attributes = Vec::new();
    if !field("email").is_empty() {
        attributes.push(("email".to_string(), field("email")));
    }
    let result = state
        .keystep
        .sign_up(SignUpInput {
            client_id: req.auth.client_id.clone(),
            username: username.clone(),
            password: Some(field("password")),
            secret_hash: secret_hash(&state, &req, &username).await,
            attributes,
            validation_data: Vec::new(),
            client_metadata: BTreeMap::new(),
        })
        .await;
    match result {
        Ok(out) if out.user_confirmed => login_page(
            &state,
            &headers,
            &req,
            StatusCode::OK,
            None,
            Some("Your account is ready. Sign in."),
        ),
        // Nothing to verify by code (no auto-verified attribute): an administrator confirms.
        Ok(out) if out.delivery.is_none() => login_page(
            &state,
            &headers,
            &req,
            StatusCode::OK,
            None,
            Some("Your account was created. It must be confirmed before you can sign in."),
        ),
        Ok(out) => {
            let to = out.delivery.map(|d| d.destination_masked);
            page(&state, &headers, &req, StatusCode::OK, |ctx| {
                templates::confirm_user(ctx, &username, to.as_deref(), None)
            })
        }
        Err(e) => page(&state, &headers, &req, StatusCode::BAD_REQUEST, |ctx| {
            templates::signup(ctx, Some(&message(&e)))
        }),
    }
}

/// `POST /confirmUser`: the sign-up code.
pub async fn confirm_user(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req = page_request_or_return!(state, headers, query);
    let form = match checked_form(&state, &headers, &req, read_form(body).await) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let username = field("username");
    let result = state
        .keystep
        .confirm_sign_up(ConfirmSignUpInput {
            client_id: req.auth.client_id.clone(),
            username: username.clone(),
            confirmation_code: field("code"),
            secret_hash: secret_hash(&state, &req, &username).await,
            force_alias_creation: false,
            session: None,
            client_metadata: BTreeMap::new(),
        })
        .await;
    match result {
        Ok(_) => login_page(
            &state,
            &headers,
            &req,
            StatusCode::OK,
            None,
            Some("Your account is confirmed. Sign in."),
        ),
        Err(e) => page(&state, &headers, &req, StatusCode::BAD_REQUEST, |ctx| {
            templates::confirm_user(ctx, &username, None, Some(&message(&e)))
        }),
    }
}

/// `GET /forgotPassword`.
pub async fn forgot_form(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let req = page_request_or_return!(state, headers, query);
    page(&state, &headers, &req, StatusCode::OK, |ctx| {
        templates::forgot_password(ctx, None)
    })
}

/// `POST /forgotPassword`: sends the reset code.
pub async fn forgot(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req = page_request_or_return!(state, headers, query);
    let form = match checked_form(&state, &headers, &req, read_form(body).await) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let username = form.get("username").cloned().unwrap_or_default();
    let result = state
        .keystep
        .forgot_password(ForgotPasswordInput {
            client_id: req.auth.client_id.clone(),
            username: username.clone(),
            secret_hash: secret_hash(&state, &req, &username).await,
            client_metadata: BTreeMap::new(),
        })
        .await;
    match result {
        Ok(delivery) => page(&state, &headers, &req, StatusCode::OK, |ctx| {
            templates::confirm_forgot_password(
                ctx,
                &username,
                Some(&delivery.destination_masked),
                None,
            )
        }),
        Err(e) => page(&state, &headers, &req, StatusCode::BAD_REQUEST, |ctx| {
            templates::forgot_password(ctx, Some(&message(&e)))
        }),
    }
}

/// `POST /confirmForgotPassword`: the reset code and the new password.
pub async fn confirm_forgot(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req = page_request_or_return!(state, headers, query);
    let form = match checked_form(&state, &headers, &req, read_form(body).await) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let username = field("username");
    let result = state
        .keystep
        .confirm_forgot_password(ConfirmForgotPasswordInput {
            client_id: req.auth.client_id.clone(),
            username: username.clone(),
            confirmation_code: field("code"),
            password: field("password"),
            secret_hash: secret_hash(&state, &req, &username).await,
            client_metadata: BTreeMap::new(),
        })
        .await;
    match result {
        Ok(()) => login_page(
            &state,
            &headers,
            &req,
            StatusCode::OK,
            None,
            Some("Your password is changed. Sign in."),
        ),
        Err(e @ AuthError::Internal(_)) => {
            tracing::error!(error = %e, "hosted password reset failed");
            page(&state, &headers, &req, StatusCode::BAD_REQUEST, |ctx| {
                templates::confirm_forgot_password(ctx, &username, None, Some(&message(&e)))
            })
        }
        Err(e) => page(&state, &headers, &req, StatusCode::BAD_REQUEST, |ctx| {
            templates::confirm_forgot_password(ctx, &username, None, Some(&message(&e)))
        }),
    }
}
