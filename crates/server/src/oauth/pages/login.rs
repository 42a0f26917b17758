//! `/login` and its next steps: the password form, then whatever the sign-in engine asks
//! (codes, MFA choice, authenticator setup with a QR code, a new password, a custom
//! challenge), until the browser goes back to the app with a code.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keystep_core::service::oauth::{HostedStep, HOSTED_SESSION_SECS};
use keystep_core::signin::{Challenge, ChallengeName};
use keystep_core::AuthError;

use super::templates::{self, ChallengeForm, FormContext};
use super::{html, read_form, redirect, set_cookie, Csrf, PageRequest};
use crate::AppState;

/// The challenge parameters a page carries in hidden fields, to show the step again after
/// a wrong answer (`SECRET_CODE`: the authenticator secret being set up, shown to this
/// person already; a tampered one only changes what they see, the engine checks codes
/// against its own).
const CARRIED: [&str; 4] = [
    "CODE_DELIVERY_DESTINATION",
    "MFAS_CAN_CHOOSE",
    "requiredAttributes",
    "SECRET_CODE",
];

/// What a failed step tells the person (Cognito's messages are written for people; an
/// internal error is not shown).
pub fn message(e: &AuthError) -> String {
    match e {
        AuthError::Internal(_) => "Something went wrong. Please try again.".into(),
        other => other.to_string(),
    }
}

/// `GET /login`.
pub async fn show(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let req = page_request_or_return!(state, headers, query);
    login_page(&state, &headers, &req, StatusCode::OK, None, None)
}

/// The sign-in page, with an error or a notice.
pub fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    req: &PageRequest,
    status: StatusCode,
    error: Option<&str>,
    notice: Option<&str>,
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
    let markup = templates::login(&ctx, error, notice, req.cognito, &req.providers);
    let cookies: Vec<String> = csrf.set_cookie(state, headers).into_iter().collect();
    html(status, markup, &cookies)
}

/// Checks the CSRF token of a posted form; the sign-in page again when it is missing or
/// wrong (`403`).
pub fn checked_form(
    state: &AppState,
    headers: &HeaderMap,
    req: &PageRequest,
    form: Option<BTreeMap<String, String>>,
) -> Result<BTreeMap<String, String>, Box<Response>> {
    let Some(form) = form else {
        return Err(Box::new(login_page(
            state,
            headers,
            req,
            StatusCode::BAD_REQUEST,
            Some("The form could not be read."),
            None,
        )));
    };
    if !Csrf::of(state, headers).accepts(state, &form) {
        return Err(Box::new(login_page(
            state,
            headers,
            req,
            StatusCode::FORBIDDEN,
            Some("Your session on this page expired. Please try again."),
            None,
        )));
    }
    Ok(form)
}

/// `POST /login`: the username and password.
pub async fn submit(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    client_ip: Option<axum::Extension<crate::oauth::ClientIp>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let source_ip = client_ip.map(|ip| ip.0 .0.to_string());
    let req = page_request_or_return!(state, headers, query);
    let form = match checked_form(&state, &headers, &req, read_form(body).await) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    if !req.cognito {
        return login_page(
            &state,
            &headers,
            &req,
            StatusCode::BAD_REQUEST,
            Some("Sign in with one of the providers."),
            None,
        );
    }
    let username = form.get("username").map(String::as_str).unwrap_or_default();
    let password = form.get("password").map(String::as_str).unwrap_or_default();
    if username.is_empty() || password.is_empty() {
        return login_page(
            &state,
            &headers,
            &req,
            StatusCode::BAD_REQUEST,
            Some("Enter your username and password."),
            None,
        );
    }
    let step = state
        .keystep
        .hosted_sign_in(&req.auth, username, password, source_ip)
        .await;
    after_step(&state, &headers, &req, username, step).await
}

/// `POST /login/challenge`: an answer to the step shown.
pub async fn answer(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    client_ip: Option<axum::Extension<crate::oauth::ClientIp>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let source_ip = client_ip.map(|ip| ip.0 .0.to_string());
    let req = page_request_or_return!(state, headers, query);
    let form = match checked_form(&state, &headers, &req, read_form(body).await) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let (name, session, username) = (field("challenge_name"), field("session"), field("username"));
    let keystep = &state.keystep;
    let step = match name {
        "MFA_SETUP" => {
            keystep
                .hosted_totp_verify(&req.auth, session, username, field("code"))
                .await
        }
        _ => {
            let mut responses = BTreeMap::new();
            match name {
                "SMS_MFA" => responses.insert("SMS_MFA_CODE".into(), field("code").into()),
                "SOFTWARE_TOKEN_MFA" => {
                    responses.insert("SOFTWARE_TOKEN_MFA_CODE".into(), field("code").into())
                }
                "EMAIL_OTP" => responses.insert("EMAIL_OTP_CODE".into(), field("code").into()),
                "SELECT_MFA_TYPE" | "CUSTOM_CHALLENGE" => {
                    responses.insert("ANSWER".into(), field("answer").into())
                }
                "NEW_PASSWORD_REQUIRED" => {
                    for (k, v) in &form {
                        let attribute = k
                            .strip_prefix("requiredAttributes[")
                            .and_then(|a| a.strip_suffix(']'));
                        if let Some(attribute) = attribute {
                            responses.insert(format!("userAttributes.{attribute}"), v.clone());
                        }
                    }
                    responses.insert("NEW_PASSWORD".into(), field("new_password").into())
                }
                _ => {
                    return super::login::login_page(
                        &state,
                        &headers,
                        &req,
                        StatusCode::BAD_REQUEST,
                        Some("That step is not known here. Please sign in again."),
                        None,
                    )
                }
            };
            keystep
                .hosted_answer(&req.auth, name, session, username, responses, source_ip)
                .await
        }
    };
    match step {
        // A wrong code leaves the step open: show it again with the error.
        Err(
            e @ (AuthError::CodeMismatch(_)
            | AuthError::InvalidPassword(_)
            | AuthError::InvalidParameter(_)),
        ) if !session.is_empty() => {
            let parameters = form
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("param_")?.to_string(), v.clone())))
                .filter(|(k, _)| CARRIED.contains(&k.as_str()))
                .collect();
            let challenge = Challenge {
                name: ChallengeName::parse(name).unwrap_or(ChallengeName::SmsMfa),
                parameters,
                available: Vec::new(),
            };
            render_challenge(
                &state,
                &headers,
                &req,
                &challenge,
                session,
                username,
                Some(&message(&e)),
            )
            .await
        }
        other => after_step(&state, &headers, &req, username, other).await,
    }
}

/// Renders where a step led: back to the app, the next challenge, or the sign-in page
/// with the error.
async fn after_step(
    state: &AppState,
    headers: &HeaderMap,
    req: &PageRequest,
    username: &str,
    step: Result<HostedStep, AuthError>,
) -> Response {
    match step {
        Ok(HostedStep::Done {
            redirect: to,
            session,
            ..
        }) => {
            let name = super::session_cookie_name(&req.auth.pool_id);
            let cookie = set_cookie(state, headers, &name, &session, HOSTED_SESSION_SECS);
            redirect(&to, &[cookie])
        }
        Ok(HostedStep::Challenge { challenge, session }) => {
            render_challenge(state, headers, req, &challenge, &session, username, None).await
        }
        Ok(HostedStep::TotpSecret { .. }) => login_page(
            state,
            headers,
            req,
            StatusCode::BAD_REQUEST,
            Some("Please sign in again."),
            None,
        ),
        Err(e) => {
            if matches!(e, AuthError::Internal(_)) {
                tracing::error!(error = %e, "hosted sign-in failed");
            }
            login_page(
                state,
                headers,
                req,
                StatusCode::BAD_REQUEST,
                Some(&message(&e)),
                None,
            )
        }
    }
}

/// The page for a challenge. `MFA_SETUP` first asks the engine for the secret to show.
async fn render_challenge(
    state: &AppState,
    headers: &HeaderMap,
    req: &PageRequest,
    challenge: &Challenge,
    session: &str,
    username: &str,
    error: Option<&str>,
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
    let mut carried: Vec<(String, String)> = challenge
        .parameters
        .iter()
        .filter(|(k, _)| CARRIED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if challenge.name == ChallengeName::MfaSetup {
        let known = challenge.parameters.get("SECRET_CODE").cloned();
        let (secret, session) = match known {
            // A wrong code: the same secret, the same session.
            Some(secret) => (secret, session.to_string()),
            None => match state.keystep.hosted_totp_secret(session).await {
                Ok(HostedStep::TotpSecret {
                    secret_code,
                    session,
                }) => (secret_code, session),
                Ok(_) => {
                    return login_page(
                        state,
                        headers,
                        req,
                        StatusCode::BAD_REQUEST,
                        Some("Please sign in again."),
                        None,
                    )
                }
                Err(e) => {
                    return login_page(
                        state,
                        headers,
                        req,
                        StatusCode::BAD_REQUEST,
                        Some(&message(&e)),
                        None,
                    )
                }
            },
        };
        carried.retain(|(k, _)| k != "SECRET_CODE");
        carried.push(("SECRET_CODE".into(), secret.clone()));
        let svg = super::account::totp_qr(&req.pool_name, username, &secret);
        let form = ChallengeForm {
            name: challenge.name.as_str(),
            session: &session,
            username,
            carried: &carried,
        };
        return html(
            StatusCode::OK,
            templates::totp_setup(&ctx, &form, &svg, &secret, error),
            &csrf
                .set_cookie(state, headers)
                .into_iter()
                .collect::<Vec<_>>(),
        );
    }
    let form = |session| ChallengeForm {
        name: challenge.name.as_str(),
        session,
        username,
        carried: &carried,
    };
    let markup = match challenge.name {
        ChallengeName::SmsMfa => {
            let to = challenge
                .parameters
                .get("CODE_DELIVERY_DESTINATION")
                .map(String::as_str)
                .unwrap_or("your phone");
            templates::code(
                &ctx,
                &form(session),
                &format!("We sent a code by text message to {to}."),
                error,
            )
        }
        ChallengeName::EmailOtp => {
            let to = challenge
                .parameters
                .get("CODE_DELIVERY_DESTINATION")
                .map(String::as_str)
                .unwrap_or("your e-mail address");
            templates::code(
                &ctx,
                &form(session),
                &format!("We sent a code by e-mail to {to}."),
                error,
            )
        }
        ChallengeName::SoftwareTokenMfa => templates::code(
            &ctx,
            &form(session),
            "Enter the code from your authenticator app.",
            error,
        ),
        ChallengeName::SelectMfaType => {
            let offered = challenge
                .parameters
                .get("MFAS_CAN_CHOOSE")
                .map(String::as_str)
                .unwrap_or("[]");
            let mut options = Vec::new();
            for (value, label) in [
                ("SMS_MFA", "Text message"),
                ("EMAIL_OTP", "E-mail"),
                ("SOFTWARE_TOKEN_MFA", "Authenticator app"),
            ] {
                if offered.contains(value) {
                    options.push((value, label));
                }
            }
            templates::select_mfa(&ctx, &form(session), &options, error)
        }
        ChallengeName::NewPasswordRequired => {
            let required: Vec<String> = challenge
                .parameters
                .get("requiredAttributes")
                .and_then(|r| serde_json::from_str::<Vec<String>>(r).ok())
                .unwrap_or_default()
                .into_iter()
                .map(|a| a.trim_start_matches("userAttributes.").to_string())
                .collect();
            templates::new_password(&ctx, &form(session), &required, error)
        }
        ChallengeName::CustomChallenge => templates::custom(&ctx, &form(session), error),
        _ => {
            return login_page(
                state,
                headers,
                req,
                StatusCode::BAD_REQUEST,
                Some("This sign-in step is not available on these pages."),
                None,
            )
        }
    };
    let cookies: Vec<String> = csrf.set_cookie(state, headers).into_iter().collect();
    html(StatusCode::OK, markup, &cookies)
}
