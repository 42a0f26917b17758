//! The hosted pages' HTML (maud: checked when compiled, every value escaped). No script;
//! one stylesheet from `/oauth2/pages.css`, so a strict Content-Security-Policy holds.
//! Field names follow Cognito's classic hosted UI (`username`, `password`, `_csrf`, ...).

use maud::{html, Markup, PreEscaped, DOCTYPE};

/// A customization's assets, as paths on this origin (`SetUICustomization`).
#[derive(Debug, Clone, Default)]
pub struct Branding {
    /// The style sheet, linked after Keystep's own.
    pub css: Option<String>,
    /// The logo, shown in the banner.
    pub logo: Option<String>,
}

/// What every form carries: where it posts and its CSRF token.
pub struct FormContext<'a> {
    /// The pool's name, shown on every page.
    pub pool_name: &'a str,
    /// The pool's or the client's customization.
    pub branding: &'a Branding,
    /// The authorization query the pages carry from step to step.
    pub query: &'a str,
    /// The CSRF token for this browser.
    pub csrf: &'a str,
}

fn page(ctx: &FormContext<'_>, title: &str, error: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (ctx.pool_name) }
                link rel="stylesheet" href="/oauth2/pages.css";
                @if let Some(css) = &ctx.branding.css {
                    link rel="stylesheet" href=(css);
                }
            }
            body class="background-customizable" {
                main class="card" {
                    div class="banner-customizable" {
                        @if let Some(logo) = &ctx.branding.logo {
                            img class="logo-customizable" src=(logo) alt=(ctx.pool_name);
                        }
                        p class="pool" { (ctx.pool_name) }
                    }
                    h1 class="textDescription-customizable" { (title) }
                    @if let Some(error) = error {
                        p class="error errorMessage-customizable" role="alert" id="errorMessage" { (error) }
                    }
                    (body)
                }
            }
        }
    }
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn csrf(ctx: &FormContext<'_>) -> Markup {
    html! { input type="hidden" name="_csrf" value=(ctx.csrf); }
}

fn field(label: &str, name: &str, kind: &str, autocomplete: &str, value: &str) -> Markup {
    html! {
        label class="label-customizable" for=(name) { (label) }
        input class="inputField-customizable" id=(name) name=(name) type=(kind) autocomplete=(autocomplete) value=(value) required;
    }
}

/// The sign-in page: username and password, links to sign-up and forgotten password,
/// and a button per federated identity provider.
pub fn login(
    ctx: &FormContext<'_>,
    error: Option<&str>,
    notice: Option<&str>,
    cognito: bool,
    providers: &[String],
) -> Markup {
    let body = html! {
        @if let Some(notice) = notice { p class="notice" role="status" { (notice) } }
        @for provider in providers {
            a class="provider idpButton-customizable" href={ "/oauth2/authorize?" (ctx.query) "&identity_provider=" (encode(provider)) } {
                "Continue with " (provider)
            }
        }
        @if cognito {
            form name="cognitoSignInForm" method="post" action={ "/login?" (ctx.query) } {
                (csrf(ctx))
                input type="hidden" name="cognitoAsfData" value="";
                (field("Username", "username", "text", "username", ""))
                (field("Password", "password", "password", "current-password", ""))
                button class="submitButton-customizable" type="submit" name="signInSubmitButton" value="Sign in" { "Sign in" }
            }
            p { a href={ "/forgotPassword?" (ctx.query) } { "Forgot your password?" } }
            p { "Need an account? " a href={ "/signup?" (ctx.query) } { "Sign up" } }
        }
    };
    page(ctx, "Sign in", error, body)
}

/// Hidden fields every challenge form repeats.
pub struct ChallengeForm<'a> {
    /// `ChallengeName`.
    pub name: &'a str,
    /// The sign-in `Session`.
    pub session: &'a str,
    /// The name signed in with.
    pub username: &'a str,
    /// Challenge parameters carried along (`param_<NAME>`), so that the step can be shown
    /// again after a wrong answer.
    pub carried: &'a [(String, String)],
}

fn challenge_form(ctx: &FormContext<'_>, c: &ChallengeForm<'_>, inner: Markup) -> Markup {
    html! {
        form name="challengeForm" method="post" action={ "/login/challenge?" (ctx.query) } {
            (csrf(ctx))
            input type="hidden" name="challenge_name" value=(c.name);
            input type="hidden" name="session" value=(c.session);
            input type="hidden" name="username" value=(c.username);
            @for (name, value) in c.carried {
                input type="hidden" name={ "param_" (name) } value=(value);
            }
            (inner)
        }
    }
}

/// A one-time code (SMS, e-mail, authenticator app).
pub fn code(
    ctx: &FormContext<'_>,
    c: &ChallengeForm<'_>,
    prompt: &str,
    error: Option<&str>,
) -> Markup {
    let inner = html! {
        p { (prompt) }
        label class="label-customizable" for="code" { "Code" }
        input class="inputField-customizable" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required;
        button class="submitButton-customizable" type="submit" name="signInSubmitButton" { "Sign in" }
    };
    page(ctx, "Enter your code", error, challenge_form(ctx, c, inner))
}

/// Choose the second factor.
pub fn select_mfa(
    ctx: &FormContext<'_>,
    c: &ChallengeForm<'_>,
    options: &[(&str, &str)],
    error: Option<&str>,
) -> Markup {
    let inner = html! {
        @for (value, label) in options {
            button class="submitButton-customizable" type="submit" name="answer" value=(value) { (label) }
        }
    };
    page(
        ctx,
        "Choose how to verify",
        error,
        challenge_form(ctx, c, inner),
    )
}

/// Set up an authenticator app: the QR code (SVG, drawn here), the secret in text.
pub fn totp_setup(
    ctx: &FormContext<'_>,
    c: &ChallengeForm<'_>,
    qr_svg: &str,
    secret: &str,
    error: Option<&str>,
) -> Markup {
    let inner = html! {
        p { "Scan this code with your authenticator app, then enter the code it shows." }
        figure class="qr" role="img" aria-label="QR code of the authenticator secret" {
            (PreEscaped(qr_svg))
        }
        p { "Or enter this key: " code id="secretCode" { (secret) } }
        label class="label-customizable" for="code" { "Code" }
        input class="inputField-customizable" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required;
        button class="submitButton-customizable" type="submit" { "Verify" }
    };
    page(
        ctx,
        "Set up your authenticator app",
        error,
        challenge_form(ctx, c, inner),
    )
}

/// A new password, with the attributes the pool requires and the user lacks.
pub fn new_password(
    ctx: &FormContext<'_>,
    c: &ChallengeForm<'_>,
    required: &[String],
    error: Option<&str>,
) -> Markup {
    let inner = html! {
        (field("New password", "new_password", "password", "new-password", ""))
        @for attribute in required {
            (field(attribute, &format!("requiredAttributes[{attribute}]"), "text", "on", ""))
        }
        button class="submitButton-customizable" type="submit" { "Change password" }
    };
    page(
        ctx,
        "Change your password",
        error,
        challenge_form(ctx, c, inner),
    )
}

/// A custom challenge's answer.
pub fn custom(ctx: &FormContext<'_>, c: &ChallengeForm<'_>, error: Option<&str>) -> Markup {
    let inner = html! {
        (field("Answer", "answer", "text", "off", ""))
        button class="submitButton-customizable" type="submit" { "Continue" }
    };
    page(
        ctx,
        "Answer the challenge",
        error,
        challenge_form(ctx, c, inner),
    )
}

/// Ask for a reset code.
pub fn forgot_password(ctx: &FormContext<'_>, error: Option<&str>) -> Markup {
    let body = html! {
        form method="post" action={ "/forgotPassword?" (ctx.query) } {
            (csrf(ctx))
            (field("Username", "username", "text", "username", ""))
            button class="submitButton-customizable" type="submit" { "Reset my password" }
        }
    };
    page(ctx, "Forgot your password?", error, body)
}

/// The reset code and the new password.
pub fn confirm_forgot_password(
    ctx: &FormContext<'_>,
    username: &str,
    destination: Option<&str>,
    error: Option<&str>,
) -> Markup {
    let body = html! {
        @if let Some(to) = destination { p { "We sent a code to " (to) "." } }
        form method="post" action={ "/confirmForgotPassword?" (ctx.query) } {
            (csrf(ctx))
            input type="hidden" name="username" value=(username);
            (field("Code", "code", "text", "one-time-code", ""))
            (field("New password", "password", "password", "new-password", ""))
            button class="submitButton-customizable" type="submit" { "Change password" }
        }
    };
    page(ctx, "Reset your password", error, body)
}

/// Sign up.
pub fn signup(ctx: &FormContext<'_>, error: Option<&str>) -> Markup {
    let body = html! {
        form method="post" action={ "/signup?" (ctx.query) } {
            (csrf(ctx))
            (field("Username", "username", "text", "username", ""))
            (field("Email", "email", "email", "email", ""))
            (field("Password", "password", "password", "new-password", ""))
            button class="submitButton-customizable" type="submit" { "Sign up" }
        }
        p { "Have an account? " a href={ "/login?" (ctx.query) } { "Sign in" } }
    };
    page(ctx, "Sign up", error, body)
}

/// The sign-up confirmation code.
pub fn confirm_user(
    ctx: &FormContext<'_>,
    username: &str,
    destination: Option<&str>,
    error: Option<&str>,
) -> Markup {
    let body = html! {
        @if let Some(to) = destination { p { "We sent a code to " (to) "." } }
        form method="post" action={ "/confirmUser?" (ctx.query) } {
            (csrf(ctx))
            input type="hidden" name="username" value=(username);
            (field("Code", "code", "text", "one-time-code", ""))
            button class="submitButton-customizable" type="submit" { "Confirm account" }
        }
    };
    page(ctx, "Confirm your account", error, body)
}

/// The error page (nothing may be sent back to the app).
pub fn error(description: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Error" }
                link rel="stylesheet" href="/oauth2/pages.css";
            }
            body {
                main class="card" {
                    h1 { "An error was encountered with the requested page." }
                    p class="error" role="alert" { (description) }
                }
            }
        }
    }
}

/// The stylesheet: readable on a phone, no external fonts.
pub const STYLESHEET: &str = "\
*{box-sizing:border-box}\
body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f5f7;color:#1d2330}\
.card{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}\
.pool{margin:0;color:#5a6270;font-size:.9rem}\
.logo-customizable{display:block;max-width:100%;max-height:8rem;margin:0 auto .5rem}\
h1{font-size:1.4rem;margin:.25rem 0 1rem}\
label{display:block;margin:.75rem 0 .25rem;font-weight:600}\
input{width:100%;padding:.6rem;font-size:1rem;border:1px solid #8a93a3;border-radius:.3rem}\
input:focus,button:focus{outline:3px solid #2f6fde;outline-offset:1px}\
button{display:block;width:100%;margin-top:1rem;padding:.7rem;font-size:1rem;border:0;border-radius:.3rem;background:#1f5fcc;color:#fff;cursor:pointer}\
a.provider{display:block;margin:.5rem 0;padding:.7rem;text-align:center;text-decoration:none;border:1px solid #8a93a3;border-radius:.3rem;color:#1d2330}\
.error{padding:.6rem;background:#fdecea;color:#8a1c12;border-radius:.3rem}\
.notice{padding:.6rem;background:#e7f4ea;color:#1b5e20;border-radius:.3rem}\
.qr svg{width:12rem;height:12rem;display:block;margin:0 auto}\
a{color:#1f5fcc}";
