//! The OAuth endpoints and hosted pages through real HTTP (no redirects followed, cookies
//! carried by hand): authorize → /login → code → token, PKCE, single-use codes, CSRF,
//! userInfo, refresh, revoke, logout and the pages' session.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use keystep_testkit::TestServer;
use serde_json::{json, Value};
use sha2::Digest;

const REDIRECT: &str = "https://app.example.com/callback";
const PASSWORD: &str = "Passw0rd!Long";
const VERIFIER: &str = "a-verifier-that-is-long-enough-for-pkce-0123456789abcdefghijklmnop";

struct Fixture {
    server: TestServer,
    http: reqwest::Client,
    pool_id: String,
    client_id: String,
}

async fn fixture(secret: bool) -> Fixture {
    let server = TestServer::start().await;
    let pool = server
        .ok(
            "CreateUserPool",
            json!({"PoolName": "Hosted Pool", "AutoVerifiedAttributes": ["email"]}),
        )
        .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client = server.ok("CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id, "ClientName": "web", "GenerateSecret": secret,
            "AllowedOAuthFlowsUserPoolClient": true,
            "AllowedOAuthFlows": ["code", "implicit"],
            "AllowedOAuthScopes": ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
            "CallbackURLs": [REDIRECT], "LogoutURLs": ["https://app.example.com/bye"],
            "SupportedIdentityProviders": ["COGNITO"],
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
            "EnableTokenRevocation": true,
        }),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    server
        .ok(
            "AdminCreateUser",
            json!({"UserPoolId": pool_id, "Username": "alice", "MessageAction": "SUPPRESS",
               "UserAttributes": [{"Name": "email", "Value": "alice@example.com"},
                                  {"Name": "email_verified", "Value": "true"}]}),
        )
        .await;
    server.ok("AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "alice", "Password": PASSWORD, "Permanent": true}),
    )
    .await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Fixture {
        server,
        http,
        pool_id,
        client_id,
    }
}

fn challenge() -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(VERIFIER.as_bytes()))
}

impl Fixture {
    fn authorize_url(&self, extra: &str) -> String {
        format!(
            "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&state=st-1&scope=openid+email&nonce=n-1&code_challenge={}&code_challenge_method=S256{extra}",
            self.server.url(),
            self.client_id,
            urlencode(REDIRECT),
            challenge(),
        )
    }

    async fn get(&self, url: &str, cookies: &str) -> reqwest::Response {
        self.http
            .get(url)
            .header("cookie", cookies)
            .send()
            .await
            .unwrap()
    }

    /// authorize → /login page → POST the password: the final response and the cookies.
    async fn sign_in(&self, password: &str, csrf_ok: bool) -> (reqwest::Response, String) {
        let resp = self.get(&self.authorize_url(""), "").await;
        assert_eq!(resp.status(), 302);
        let login = location(&resp);
        assert!(login.starts_with("/login?"), "{login}");
        let page = self.get(&format!("{}{login}", self.server.url()), "").await;
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["x-frame-options"], "DENY");
        assert!(page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        let cookie = set_cookie(&page, "XSRF-TOKEN").expect("CSRF cookie");
        let html = page.text().await.unwrap();
        assert!(
            html.contains("Hosted Pool"),
            "the pool's name is on the page"
        );
        let csrf = hidden(&html, "_csrf");
        let cookies = format!("XSRF-TOKEN={cookie}");
        let form = [
            ("_csrf", if csrf_ok { csrf.as_str() } else { "forged" }),
            ("username", "alice"),
            ("password", password),
            ("signInSubmitButton", "Sign in"),
        ];
        let resp = self
            .http
            .post(format!("{}{login}", self.server.url()))
            .header("cookie", &cookies)
            .form(&form)
            .send()
            .await
            .unwrap();
        (resp, cookies)
    }

    async fn token(&self, form: &[(&str, &str)]) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}/oauth2/token", self.server.url()))
            .form(form)
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap())
    }
}

fn urlencode(s: &str) -> String {
    url_encode(s)
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_string()
}

fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .next()
                .and_then(|p| p.split_once('='))
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} in {html}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn code_with_pkce_tokens_userinfo_refresh_revoke() {
    let fx = fixture(false).await;
    let (resp, _) = fx.sign_in(PASSWORD, true).await;
    assert_eq!(resp.status(), 302);
    let session = set_cookie(&resp, &format!("keystep-session-{}", fx.pool_id));
    assert!(session.is_some(), "the pages' session cookie is set");
    let sc = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        sc.contains("HttpOnly") && sc.contains("SameSite=Lax"),
        "{sc}"
    );
    let to = location(&resp);
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(query_param(&to, "state").as_deref(), Some("st-1"));
    let code = query_param(&to, "code").unwrap();

    // Wrong verifier: refused, and the code is spent.
    let (status, body) = fx
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", &fx.client_id),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            (
                "code_verifier",
                "x-wrong-verifier-that-is-long-enough-to-be-well-formed-0000",
            ),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, body) = fx
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", &fx.client_id),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "spent"
    );

    // A fresh code, redeemed properly (the pages' session signs in without a password).
    let cookie = format!("keystep-session-{}={}", fx.pool_id, session.unwrap());
    let resp = fx.get(&fx.authorize_url(""), &cookie).await;
    assert_eq!(resp.status(), 302);
    let to = location(&resp);
    assert!(to.starts_with(REDIRECT), "single sign-on: {to}");
    let code = query_param(&to, "code").unwrap();
    let redeem = [
        ("grant_type", "authorization_code"),
        ("client_id", fx.client_id.as_str()),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let (status, tokens) = fx.token(&redeem).await;
    assert_eq!(status, 200, "{tokens}");
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["nonce"], "n-1");
    assert_eq!(id["aud"], fx.client_id.as_str());
    assert!(id["at_hash"].is_string());
    let access_token = tokens["access_token"].as_str().unwrap();
    let access = claims(access_token);
    assert_eq!(access["scope"], "openid email");
    assert_eq!(access["version"], 2);
    // Reused: refused.
    let (status, body) = fx.token(&redeem).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // userInfo: the e-mail scope's attributes, as strings.
    let info: Value = fx
        .http
        .get(format!("{}/oauth2/userInfo", fx.server.url()))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["email"], "alice@example.com");
    assert_eq!(info["email_verified"], "true");
    assert_eq!(info["username"], "alice");
    // The token has no self-service scope: GetUser refuses it.
    let resp = fx
        .server
        .call("GetUser", &json!({"AccessToken": access_token}))
        .await;
    assert_eq!(resp.status(), 400);

    // Refresh keeps the scopes; revoke stops the refresh token.
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, refreshed) = fx
        .token(&[
            ("grant_type", "refresh_token"),
            ("client_id", &fx.client_id),
            ("refresh_token", refresh),
        ])
        .await;
    assert_eq!(status, 200, "{refreshed}");
    assert_eq!(
        claims(refreshed["access_token"].as_str().unwrap())["scope"],
        "openid email"
    );
    assert!(refreshed.get("refresh_token").is_none());
    let resp = fx
        .http
        .post(format!("{}/oauth2/revoke", fx.server.url()))
        .form(&[("token", refresh), ("client_id", &fx.client_id)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let (status, body) = fx
        .token(&[
            ("grant_type", "refresh_token"),
            ("client_id", &fx.client_id),
            ("refresh_token", refresh),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // Logout ends the pages' session: authorize asks for the password again.
    let resp = fx
        .get(
            &format!(
                "{}/logout?client_id={}&logout_uri={}",
                fx.server.url(),
                fx.client_id,
                urlencode("https://app.example.com/bye")
            ),
            &cookie,
        )
        .await;
    assert_eq!(resp.status(), 302);
    assert_eq!(location(&resp), "https://app.example.com/bye");
    let resp = fx.get(&fx.authorize_url(""), &cookie).await;
    assert!(location(&resp).starts_with("/login?"));
}

#[tokio::test]
async fn refusals() {
    let fx = fixture(true).await;
    // Unregistered redirect URI: the error page, never the URI.
    let resp = fx
        .get(
            &format!(
                "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}",
                fx.server.url(),
                fx.client_id,
                urlencode("https://evil.example.com/cb")
            ),
            "",
        )
        .await;
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    // Unknown client: the same.
    let resp = fx
        .get(
            &format!(
                "{}/oauth2/authorize?response_type=code&client_id=nosuchclient&redirect_uri={}",
                fx.server.url(),
                urlencode(REDIRECT)
            ),
            "",
        )
        .await;
    assert_eq!(resp.status(), 400);
    // A callback from an identity provider with a forged or missing state: the error page.
    for query in [
        "state=forged&code=x",
        "code=x",
        "state=&error=access_denied",
    ] {
        let resp = fx
            .get(
                &format!("{}/oauth2/idpresponse?{query}", fx.server.url()),
                "",
            )
            .await;
        assert_eq!(resp.status(), 400, "{query}");
        assert!(resp.headers().get("location").is_none());
    }
    // A provider the pool does not have: back to the app with invalid_request.
    let resp = fx
        .get(&fx.authorize_url("&identity_provider=Nobody"), "")
        .await;
    let to = location(&resp);
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(
        query_param(&to, "error").as_deref(),
        Some("invalid_request")
    );
    // plain PKCE: back to the app with invalid_request and the state.
    let resp = fx
        .get(&fx.authorize_url("").replace("S256", "plain"), "")
        .await;
    let to = location(&resp);
    assert_eq!(
        query_param(&to, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(query_param(&to, "state").as_deref(), Some("st-1"));
    // A forged CSRF token: refused with 403, no code.
    let (resp, _) = fx.sign_in(PASSWORD, false).await;
    assert_eq!(resp.status(), 403);
    // A wrong password: the page again, no code.
    let (resp, _) = fx.sign_in("Wrong-Passw0rd!", true).await;
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Incorrect username or password"));
    // The client has a secret: a code redeemed without it is invalid_client.
    let (resp, _) = fx.sign_in(PASSWORD, true).await;
    let code = query_param(&location(&resp), "code").unwrap();
    let (status, body) = fx
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", &fx.client_id),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_client"))
    );
    let (status, body) = fx
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", &fx.client_id),
            ("client_secret", "wrong"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_client"))
    );
}

/// A browser on the pages: its cookies and its CSRF token.
struct Browser {
    cookies: String,
    csrf: String,
}

impl Fixture {
    /// Opens the sign-in page (for the authorization query) and keeps its cookie.
    async fn browser(&self) -> (Browser, String) {
        let resp = self.get(&self.authorize_url(""), "").await;
        let login = location(&resp);
        let page = self.get(&format!("{}{login}", self.server.url()), "").await;
        let cookie = set_cookie(&page, "XSRF-TOKEN").expect("CSRF cookie");
        let html = page.text().await.unwrap();
        let query = login.trim_start_matches("/login?").to_string();
        (
            Browser {
                cookies: format!("XSRF-TOKEN={cookie}"),
                csrf: hidden(&html, "_csrf"),
            },
            query,
        )
    }

    /// Posts a form of the pages with the browser's cookie and CSRF token.
    async fn post_page(
        &self,
        b: &Browser,
        path: &str,
        query: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut fields: Vec<(&str, &str)> = vec![("_csrf", b.csrf.as_str())];
        fields.extend_from_slice(form);
        self.http
            .post(format!("{}{path}?{query}", self.server.url()))
            .header("cookie", &b.cookies)
            .form(&fields)
            .send()
            .await
            .unwrap()
    }

    async fn admin(&self, op: &str, body: Value) -> Value {
        self.server.ok(op, body).await
    }
}

/// The hidden fields a challenge page carries, to answer it.
fn challenge_fields(html: &str) -> (String, String, String) {
    (
        hidden(html, "challenge_name"),
        hidden(html, "session"),
        hidden(html, "username"),
    )
}

#[tokio::test]
async fn sign_up_confirm_then_sign_in_on_the_pages() {
    let fx = fixture(false).await;
    let (b, query) = fx.browser().await;
    let resp = fx
        .post_page(
            &b,
            "/signup",
            &query,
            &[
                ("username", "carol"),
                ("email", "carol@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Confirm your account"), "{html}");
    let code = fx.server.last_code(&fx.pool_id, "carol").await.unwrap();
    // A wrong code first: the form again with Cognito's message.
    let resp = fx
        .post_page(
            &b,
            "/confirmUser",
            &query,
            &[("username", "carol"), ("code", "000000")],
        )
        .await;
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Invalid verification code"));
    let resp = fx
        .post_page(
            &b,
            "/confirmUser",
            &query,
            &[("username", "carol"), ("code", &code)],
        )
        .await;
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Your account is confirmed"));
    let resp = fx
        .post_page(
            &b,
            "/login",
            &query,
            &[("username", "carol"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(resp.status(), 302);
    assert!(query_param(&location(&resp), "code").is_some());
}

#[tokio::test]
async fn forgotten_password_is_reset_on_the_pages() {
    let fx = fixture(false).await;
    let (b, query) = fx.browser().await;
    let resp = fx
        .post_page(&b, "/forgotPassword", &query, &[("username", "alice")])
        .await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("We sent a code to"));
    let code = fx.server.last_code(&fx.pool_id, "alice").await.unwrap();
    let new_password = "N3w-Passw0rd!x";
    let resp = fx
        .post_page(
            &b,
            "/confirmForgotPassword",
            &query,
            &[
                ("username", "alice"),
                ("code", &code),
                ("password", new_password),
            ],
        )
        .await;
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Your password is changed"));
    let old = fx
        .post_page(
            &b,
            "/login",
            &query,
            &[("username", "alice"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status(), 400);
    let resp = fx
        .post_page(
            &b,
            "/login",
            &query,
            &[("username", "alice"), ("password", new_password)],
        )
        .await;
    assert_eq!(resp.status(), 302);
}

#[tokio::test]
async fn a_temporary_password_is_replaced_on_the_pages() {
    let fx = fixture(false).await;
    fx.admin(
        "AdminCreateUser",
        json!({"UserPoolId": fx.pool_id, "Username": "dave", "MessageAction": "SUPPRESS",
               "TemporaryPassword": "Temp-Passw0rd!1"}),
    )
    .await;
    let (b, query) = fx.browser().await;
    let resp = fx
        .post_page(
            &b,
            "/login",
            &query,
            &[("username", "dave"), ("password", "Temp-Passw0rd!1")],
        )
        .await;
    let html = resp.text().await.unwrap();
    assert!(html.contains("Change your password"), "{html}");
    let (name, session, username) = challenge_fields(&html);
    assert_eq!(name, "NEW_PASSWORD_REQUIRED");
    let resp = fx
        .post_page(
            &b,
            "/login/challenge",
            &query,
            &[
                ("challenge_name", &name),
                ("session", &session),
                ("username", &username),
                ("new_password", "Perm-Passw0rd!2"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 302);
    assert!(query_param(&location(&resp), "code").is_some());
}

#[tokio::test]
async fn an_authenticator_is_set_up_from_the_qr_page() {
    let fx = fixture(false).await;
    fx.admin(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": fx.pool_id, "MfaConfiguration": "ON",
               "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    )
    .await;
    let (b, query) = fx.browser().await;
    let resp = fx
        .post_page(
            &b,
            "/login",
            &query,
            &[("username", "alice"), ("password", PASSWORD)],
        )
        .await;
    let html = resp.text().await.unwrap();
    assert!(html.contains("<svg"), "a QR code drawn as SVG: {html}");
    let secret_start = html.find("id=\"secretCode\">").unwrap() + "id=\"secretCode\">".len();
    let secret = &html[secret_start..secret_start + html[secret_start..].find('<').unwrap()];
    let (name, session, username) = challenge_fields(&html);
    assert_eq!(name, "MFA_SETUP");
    let key = keystep_core::totp::base32_decode(secret).unwrap();
    let now = keystep_core::ports::Clock::now(fx.server.clock());
    let code = keystep_core::totp::code_at_step(&key, keystep_core::totp::step_at(now));
    let fields = |code: &str| {
        vec![
            ("challenge_name".to_string(), name.clone()),
            ("session".to_string(), session.clone()),
            ("username".to_string(), username.clone()),
            ("code".to_string(), code.to_string()),
        ]
    };
    // A wrong code: the same secret is shown again, and the right one still works.
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    let mut form = fields(&wrong);
    form.push(("param_SECRET_CODE".to_string(), secret.to_string()));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = fx.post_page(&b, "/login/challenge", &query, &form).await;
    let again = resp.text().await.unwrap();
    assert!(
        again.contains(&format!("id=\"secretCode\">{secret}<")),
        "{again}"
    );
    assert_eq!(
        hidden(&again, "session"),
        session,
        "the same sign-in goes on"
    );
    let form = fields(&code);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = fx.post_page(&b, "/login/challenge", &query, &form).await;
    assert_eq!(
        resp.status(),
        302,
        "{}",
        resp.text().await.unwrap_or_default()
    );
    assert!(query_param(&location(&resp), "code").is_some());
}

#[tokio::test]
async fn a_wrong_sms_code_shows_the_step_again() {
    let fx = fixture(false).await;
    fx.admin(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": fx.pool_id, "Username": "alice", "UserAttributes": [
            {"Name": "phone_number", "Value": "+15555550100"},
            {"Name": "phone_number_verified", "Value": "true"}]}),
    )
    .await;
    fx.admin(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": fx.pool_id, "MfaConfiguration": "ON",
               "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sms"}}}),
    )
    .await;
    let (b, query) = fx.browser().await;
    let resp = fx
        .post_page(
            &b,
            "/login",
            &query,
            &[("username", "alice"), ("password", PASSWORD)],
        )
        .await;
    let html = resp.text().await.unwrap();
    let (name, session, username) = challenge_fields(&html);
    assert_eq!(name, "SMS_MFA");
    // As a browser does: every hidden field goes back.
    let destination = hidden(&html, "param_CODE_DELIVERY_DESTINATION");
    let answer = |code: String| {
        vec![
            ("challenge_name".to_string(), name.clone()),
            ("session".to_string(), session.clone()),
            ("username".to_string(), username.clone()),
            (
                "param_CODE_DELIVERY_DESTINATION".to_string(),
                destination.clone(),
            ),
            ("code".to_string(), code),
        ]
    };
    let code = fx.server.last_code(&fx.pool_id, "alice").await.unwrap();
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    let form = answer(wrong);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = fx.post_page(&b, "/login/challenge", &query, &form).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Invalid code"), "{html}");
    assert!(
        html.contains("0100"),
        "the masked number is shown again: {html}"
    );
    let form = answer(code);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = fx.post_page(&b, "/login/challenge", &query, &form).await;
    assert_eq!(resp.status(), 302);
}

#[tokio::test]
async fn a_pools_domain_serves_only_that_pool() {
    use keystep_testkit::TestOptions;
    let server = TestServer::start_with(TestOptions {
        domain_suffix: Some("auth.keystep.test".into()),
        ..TestOptions::default()
    })
    .await;
    let mut ids = Vec::new();
    for name in ["one", "two"] {
        let pool = server.ok("CreateUserPool", json!({"PoolName": name})).await;
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
        let client = server
            .ok(
                "CreateUserPoolClient",
                json!({"UserPoolId": pool_id, "ClientName": "web",
                   "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
                   "AllowedOAuthScopes": ["openid"], "CallbackURLs": [REDIRECT],
                   "SupportedIdentityProviders": ["COGNITO"]}),
            )
            .await;
        ids.push((
            pool_id,
            client["UserPoolClient"]["ClientId"]
                .as_str()
                .unwrap()
                .to_string(),
        ));
    }
    server
        .ok(
            "CreateUserPoolDomain",
            json!({"UserPoolId": ids[0].0, "Domain": "myapp"}),
        )
        .await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let authorize = |host: &str, client_id: &str| {
        http.get(format!(
            "{}/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri={}",
            server.url(),
            urlencode(REDIRECT)
        ))
        .header("host", host.to_string())
        .send()
    };
    let resp = authorize("myapp.auth.keystep.test", &ids[0].1)
        .await
        .unwrap();
    assert_eq!(resp.status(), 302, "the pool's own domain");
    assert!(location(&resp).starts_with("/login?"));
    let resp = authorize("myapp.auth.keystep.test", &ids[1].1)
        .await
        .unwrap();
    assert_eq!(resp.status(), 400, "another pool's client on this domain");
    let resp = authorize("nobody.auth.keystep.test:443", &ids[0].1)
        .await
        .unwrap();
    assert_eq!(resp.status(), 400, "a prefix no pool has");
    let resp = authorize("127.0.0.1", &ids[1].1).await.unwrap();
    assert_eq!(resp.status(), 302, "the public URL serves every pool");
    // Discovery lists the pool's domain.
    let doc: Value = http
        .get(format!(
            "{}/{}/.well-known/openid-configuration",
            server.url(),
            ids[0].0
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["authorization_endpoint"],
        "https://myapp.auth.keystep.test/oauth2/authorize"
    );
}

#[tokio::test]
async fn malformed_requests_get_4xx_never_5xx() {
    let fx = fixture(true).await;
    let base = fx.server.url().to_string();
    let long = "x".repeat(10_000);
    let queries = [
        String::new(),
        "client_id=a&client_id=b".to_string(),
        format!(
            "client_id={}&response_type=code&redirect_uri=%FF%FE",
            fx.client_id
        ),
        format!(
            "client_id={}&redirect_uri={}&response_type=code&state={long}",
            fx.client_id,
            urlencode(REDIRECT)
        ),
        format!(
            "client_id={}&redirect_uri={}&response_type=code&scope=%00%01",
            fx.client_id,
            urlencode(REDIRECT)
        ),
        format!(
            "client_id={}&redirect_uri={}&response_type=code&prompt=none",
            fx.client_id,
            urlencode(REDIRECT)
        ),
        "state=%%%&code=".to_string(),
    ];
    for path in [
        "/oauth2/authorize",
        "/login",
        "/signup",
        "/forgotPassword",
        "/logout",
        "/error",
        "/oauth2/idpresponse",
        "/oauth2/userInfo",
    ] {
        for q in &queries {
            let resp = fx.get(&format!("{base}{path}?{q}"), "").await;
            assert!(
                resp.status().as_u16() < 500,
                "GET {path}?{q}: {}",
                resp.status()
            );
        }
    }
    let bodies: [&[u8]; 5] = [
        b"",
        b"grant_type=authorization_code&grant_type=refresh_token",
        b"\xff\xfe\x00",
        b"grant_type=authorization_code&code=&redirect_uri=",
        b"grant_type=refresh_token&refresh_token=eyJ.a.b&client_id=x",
    ];
    let (q, _) = {
        let resp = fx.get(&fx.authorize_url(""), "").await;
        (
            location(&resp).trim_start_matches("/login?").to_string(),
            (),
        )
    };
    for path in [
        "/oauth2/token".to_string(),
        "/oauth2/revoke".to_string(),
        format!("/login?{q}"),
        format!("/login/challenge?{q}"),
        format!("/signup?{q}"),
        format!("/confirmUser?{q}"),
        format!("/forgotPassword?{q}"),
        format!("/confirmForgotPassword?{q}"),
    ] {
        for body in bodies {
            for content_type in ["application/x-www-form-urlencoded", "application/json"] {
                let resp = fx
                    .http
                    .post(format!("{base}{path}"))
                    .header("content-type", content_type)
                    .header("authorization", "Basic %%%")
                    .body(body.to_vec())
                    .send()
                    .await
                    .unwrap();
                assert!(
                    resp.status().as_u16() < 500,
                    "POST {path} {body:?}: {}",
                    resp.status()
                );
            }
        }
    }
    // Past the CSRF check: garbage sessions and answers.
    let (b, query) = fx.browser().await;
    for (name, session) in [
        ("SMS_MFA", "garbage"),
        ("MFA_SETUP", "garbage"),
        ("NEW_PASSWORD_REQUIRED", ""),
        ("SELECT_MFA_TYPE", &long[..]),
        ("PASSWORD_VERIFIER", "x"),
        ("", ""),
    ] {
        let resp = fx
            .post_page(
                &b,
                "/login/challenge",
                &query,
                &[
                    ("challenge_name", name),
                    ("session", session),
                    ("username", "alice"),
                    ("code", "1"),
                ],
            )
            .await;
        assert!(resp.status().as_u16() < 500, "{name}: {}", resp.status());
    }
    // An oversized form is refused, not read whole.
    let big = vec![b'a'; 64 * 1024];
    let resp = fx
        .http
        .post(format!("{base}/oauth2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}
