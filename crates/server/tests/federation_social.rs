//! Federation through Facebook and Login with Amazon, which return no ID token: Keystep
//! sends the browser to their published endpoints, trades the code with the client
//! secret in the form and reads the profile with the access token (Facebook's call
//! carrying `appsecret_proof`). Those hosts cannot be reached from a test, so a stand-in
//! plays them over real HTTP on loopback: the browser's requests and Keystep's own (an
//! `Upstream` that rewrites `https://<host>/` to the stand-in) go to it, and it checks
//! what the real providers check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;
use keystep_core::ports::{Upstream, UpstreamError};
use keystep_server::upstream::HttpUpstream;
use keystep_testkit::{TestOptions, TestServer, UpstreamOverride};
use reqwest::Url;
use serde_json::{json, Value};

const REDIRECT: &str = "https://app.example.com/callback";
const FB_APP: &str = "fb-app-1234";
const FB_SECRET: &str = "fb-secret-0123456789";
const AMZ_CLIENT: &str = "amzn1.application-oa2-client.abc";
const AMZ_SECRET: &str = "amz-secret-0123456789";
/// The hosts the stand-in plays.
const HOSTS: [&str; 4] = [
    "www.facebook.com",
    "graph.facebook.com",
    "www.amazon.com",
    "api.amazon.com",
];

/// What the stand-in provider remembers: codes it issued and access tokens it granted.
#[derive(Default)]
struct Provider {
    codes: Mutex<HashMap<String, (String, String)>>,
    tokens: Mutex<HashMap<String, String>>,
    profile_calls: Mutex<Vec<String>>,
}

fn fresh(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    format!("{prefix}-{}", N.fetch_add(1, Ordering::Relaxed))
}

fn refuse(why: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": why}))).into_response()
}

/// The consent screen: the user agrees at once, and the browser goes back with a code.
async fn authorize(
    State(p): State<Arc<Provider>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let client = q.get("client_id").cloned().unwrap_or_default();
    if q.get("response_type").map(String::as_str) != Some("code")
        || ![FB_APP, AMZ_CLIENT].contains(&client.as_str())
    {
        return refuse("invalid_request");
    }
    let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
    let code = fresh("code");
    p.codes
        .lock()
        .unwrap()
        .insert(code.clone(), (client, redirect.clone()));
    let mut back = Url::parse(&redirect).unwrap();
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", q.get("state").map(String::as_str).unwrap_or(""));
    Redirect::to(back.as_str()).into_response()
}

/// Both token endpoints: the code once, for the client it was issued to, with its secret
/// and the same redirect_uri.
async fn token(State(p): State<Arc<Provider>>, Form(f): Form<HashMap<String, String>>) -> Response {
    let field = |k: &str| f.get(k).cloned().unwrap_or_default();
    let Some((client, redirect)) = p.codes.lock().unwrap().remove(&field("code")) else {
        return refuse("invalid_grant");
    };
    let secret = if client == FB_APP {
        FB_SECRET
    } else {
        AMZ_SECRET
    };
    if field("client_id") != client
        || field("client_secret") != secret
        || field("redirect_uri") != redirect
    {
        return refuse("invalid_client");
    }
    let access = fresh("access");
    p.tokens
        .lock()
        .unwrap()
        .insert(access.clone(), client.clone());
    Json(json!({"access_token": access, "token_type": "bearer", "expires_in": 3600}))
        .into_response()
}

fn bearer(headers: &HeaderMap) -> String {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_string()
}

/// Graph API `/me`: only the fields asked for, and only with the app secret's proof.
async fn facebook_me(
    State(p): State<Arc<Provider>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let token = bearer(&headers);
    if p.tokens.lock().unwrap().get(&token).map(String::as_str) != Some(FB_APP) {
        return refuse("OAuthException");
    }
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(FB_SECRET.as_bytes()).unwrap();
    mac.update(token.as_bytes());
    let proof = hex::encode(mac.finalize().into_bytes());
    if q.get("appsecret_proof") != Some(&proof) {
        return refuse("appsecret_proof");
    }
    let fields = q.get("fields").cloned().unwrap_or_default();
    p.profile_calls.lock().unwrap().push(fields.clone());
    let all = json!({"id": "10158001", "email": "fay@example.com", "name": "Fay Book",
                     "birthday": "01/02/1990"});
    let picked: serde_json::Map<String, Value> = fields
        .split(',')
        .filter_map(|f| all.get(f).map(|v| (f.to_string(), v.clone())))
        .collect();
    Json(Value::Object(picked)).into_response()
}

async fn amazon_profile(State(p): State<Arc<Provider>>, headers: HeaderMap) -> Response {
    if p.tokens
        .lock()
        .unwrap()
        .get(&bearer(&headers))
        .map(String::as_str)
        != Some(AMZ_CLIENT)
    {
        return refuse("invalid_token");
    }
    Json(
        json!({"user_id": "amzn1.account.AEXAMPLE", "email": "ama@example.com",
                "name": "Ama Zon", "postal_code": "98101"}),
    )
    .into_response()
}

/// Starts the stand-in; its base URL.
async fn start_provider(p: Arc<Provider>) -> String {
    let app = Router::new()
        .route("/www.facebook.com/v17.0/dialog/oauth", get(authorize))
        .route("/graph.facebook.com/v17.0/oauth/access_token", post(token))
        .route("/graph.facebook.com/v17.0/me", get(facebook_me))
        .route("/www.amazon.com/ap/oa", get(authorize))
        .route("/api.amazon.com/auth/o2/token", post(token))
        .route("/api.amazon.com/user/profile", get(amazon_profile))
        .with_state(p);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// `https://<played host>/…` → the stand-in; anything else is unreachable.
fn rewrite(base: &str, url: &str) -> Result<String, UpstreamError> {
    let rest = url
        .strip_prefix("https://")
        .filter(|r| HOSTS.iter().any(|h| r.starts_with(&format!("{h}/"))))
        .ok_or_else(|| UpstreamError(format!("not a played host: {url}")))?;
    Ok(format!("{base}/{rest}"))
}

struct Rewriting {
    base: String,
    http: HttpUpstream,
}

#[async_trait::async_trait]
impl Upstream for Rewriting {
    async fn get_json(&self, url: &str, bearer: Option<&str>) -> Result<Value, UpstreamError> {
        self.http.get_json(&rewrite(&self.base, url)?, bearer).await
    }
    async fn post_form(
        &self,
        url: &str,
        form: &[(String, String)],
        basic: Option<(&str, &str)>,
    ) -> Result<Value, UpstreamError> {
        self.http
            .post_form(&rewrite(&self.base, url)?, form, basic)
            .await
    }
}

struct Fixture {
    server: TestServer,
    provider: Arc<Provider>,
    base: String,
    http: reqwest::Client,
    pool_id: String,
    client_id: String,
}

async fn fixture(fb_secret: &str) -> Fixture {
    let provider = Arc::new(Provider::default());
    let base = start_provider(provider.clone()).await;
    let server = TestServer::start_with(TestOptions {
        upstream: Some(UpstreamOverride(Arc::new(Rewriting {
            base: base.clone(),
            http: HttpUpstream::new(),
        }))),
        ..TestOptions::default()
    })
    .await;
    let pool = server
        .ok("CreateUserPool", json!({"PoolName": "Social"}))
        .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    server
        .ok(
            "CreateIdentityProvider",
            json!({"UserPoolId": pool_id, "ProviderName": "Facebook", "ProviderType": "Facebook",
               "ProviderDetails": {"client_id": FB_APP, "client_secret": fb_secret,
                                   "authorize_scopes": "public_profile,email"},
               "AttributeMapping": {"email": "email", "name": "name"}}),
        )
        .await;
    server
        .ok(
            "CreateIdentityProvider",
            json!({"UserPoolId": pool_id, "ProviderName": "LoginWithAmazon",
               "ProviderType": "LoginWithAmazon",
               "ProviderDetails": {"client_id": AMZ_CLIENT, "client_secret": AMZ_SECRET,
                                   "authorize_scopes": "profile"},
               "AttributeMapping": {"email": "email", "name": "name", "address": "postal_code"}}),
        )
        .await;
    let client = server
        .ok(
            "CreateUserPoolClient",
            json!({"UserPoolId": pool_id, "ClientName": "web",
               "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
               "AllowedOAuthScopes": ["openid", "email", "profile"],
               "CallbackURLs": [REDIRECT],
               "SupportedIdentityProviders": ["Facebook", "LoginWithAmazon"]}),
        )
        .await;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    Fixture {
        server,
        provider,
        base,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        pool_id,
        client_id,
    }
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_string()
}

fn param(url: &str, name: &str) -> Option<String> {
    Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

impl Fixture {
    /// The app sends the browser to Keystep naming the provider; Keystep sends it to the
    /// provider. That redirect.
    async fn to_provider(&self, provider: &str) -> String {
        let url = format!(
            "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={REDIRECT}&state=app-state&scope=openid+email+profile&identity_provider={provider}",
            self.server.url(),
            self.client_id,
        );
        let resp = self.http.get(url).send().await.unwrap();
        assert_eq!(resp.status(), 302);
        location(&resp)
    }

    /// The browser at the provider, which sends it back to `/oauth2/idpresponse`: that URL.
    async fn at_provider(&self, url: &str) -> String {
        let resp = self
            .http
            .get(rewrite(&self.base, url).unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
        location(&resp)
    }

    /// The browser back at Keystep: where Keystep sends it.
    async fn back_at_keystep(&self, url: &str) -> reqwest::Response {
        self.http.get(url).send().await.unwrap()
    }

    async fn tokens(&self, code: &str) -> Value {
        let resp = self
            .http
            .post(format!("{}/oauth2/token", self.server.url()))
            .form(&[
                ("grant_type", "authorization_code"),
                ("client_id", &self.client_id),
                ("code", code),
                ("redirect_uri", REDIRECT),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    async fn sign_in(&self, provider: &str) -> Value {
        let at = self.to_provider(provider).await;
        let callback = self.at_provider(&at).await;
        let resp = self.back_at_keystep(&callback).await;
        assert_eq!(resp.status(), 302);
        let to = location(&resp);
        assert!(to.starts_with(REDIRECT), "{to}");
        assert_eq!(param(&to, "state").as_deref(), Some("app-state"));
        self.tokens(&param(&to, "code").expect("a code")).await
    }
}

#[tokio::test]
async fn facebook_signs_in_through_graph_api_with_the_app_secret_proof() {
    let fx = fixture(FB_SECRET).await;
    let at = fx.to_provider("Facebook").await;
    assert!(
        at.starts_with("https://www.facebook.com/v17.0/dialog/oauth?"),
        "{at}"
    );
    assert_eq!(param(&at, "client_id").as_deref(), Some(FB_APP));
    assert_eq!(param(&at, "scope").as_deref(), Some("public_profile,email"));
    assert_eq!(
        param(&at, "redirect_uri"),
        Some(format!("{}/oauth2/idpresponse", fx.server.url()))
    );
    // Facebook's flow is OAuth 2.0, not OpenID Connect: no nonce is sent.
    assert_eq!(param(&at, "nonce"), None);

    let tokens = fx.sign_in("Facebook").await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["cognito:username"], "Facebook_10158001");
    assert_eq!(id["email"], "fay@example.com");
    assert_eq!(id["name"], "Fay Book");
    let identities: Value = match &id["identities"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    };
    assert_eq!(identities[0]["providerType"], "Facebook");
    assert_eq!(identities[0]["userId"], "10158001");
    // Only the fields the mapping needs were asked for, with the id first.
    assert_eq!(
        fx.provider.profile_calls.lock().unwrap().as_slice(),
        ["id,email,name"]
    );
    let user = fx
        .server
        .ok(
            "AdminGetUser",
            json!({"UserPoolId": fx.pool_id, "Username": "Facebook_10158001"}),
        )
        .await;
    assert_eq!(user["UserStatus"], "EXTERNAL_PROVIDER");
    // A second sign-in is the same user.
    let again = fx.sign_in("Facebook").await;
    assert_eq!(
        claims(again["id_token"].as_str().unwrap())["sub"],
        id["sub"]
    );
    let users = fx
        .server
        .ok("ListUsers", json!({"UserPoolId": fx.pool_id}))
        .await;
    assert_eq!(users["Users"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn login_with_amazon_signs_in_through_its_profile() {
    let fx = fixture(FB_SECRET).await;
    let at = fx.to_provider("LoginWithAmazon").await;
    assert!(at.starts_with("https://www.amazon.com/ap/oa?"), "{at}");
    assert_eq!(param(&at, "scope").as_deref(), Some("profile"));
    let tokens = fx.sign_in("LoginWithAmazon").await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(
        id["cognito:username"],
        "LoginWithAmazon_amzn1.account.AEXAMPLE"
    );
    assert_eq!(id["email"], "ama@example.com");
    let user = fx
        .server
        .ok(
            "AdminGetUser",
            json!({"UserPoolId": fx.pool_id, "Username": "LoginWithAmazon_amzn1.account.AEXAMPLE"}),
        )
        .await;
    let attrs: HashMap<String, String> = user["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["Name"].as_str().unwrap().to_string(),
                a["Value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(attrs["address"], "98101");
    assert_eq!(attrs["name"], "Ama Zon");
}

#[tokio::test]
async fn refusals_reach_the_app_and_callbacks_work_once() {
    // Keystep holds a wrong Facebook app secret: the provider refuses the code, and the
    // app is told with invalid_request; no user is made.
    let fx = fixture("not-the-app-secret").await;
    let at = fx.to_provider("Facebook").await;
    let callback = fx.at_provider(&at).await;
    let resp = fx.back_at_keystep(&callback).await;
    assert_eq!(resp.status(), 302);
    let to = location(&resp);
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(param(&to, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(&to, "state").as_deref(), Some("app-state"));
    let users = fx
        .server
        .ok("ListUsers", json!({"UserPoolId": fx.pool_id}))
        .await;
    assert!(users["Users"].as_array().unwrap().is_empty());

    // A callback replayed after it worked is refused, with no code for the app.
    let at = fx.to_provider("LoginWithAmazon").await;
    let callback = fx.at_provider(&at).await;
    let first = fx.back_at_keystep(&callback).await;
    assert!(location(&first).contains("code="));
    let replay = fx.back_at_keystep(&callback).await;
    assert_eq!(replay.status(), 400);
    assert!(replay.headers().get("location").is_none());

    // A callback whose code the provider never issued: the app gets invalid_request.
    let at = fx.to_provider("LoginWithAmazon").await;
    let callback = fx.at_provider(&at).await;
    let mut forged = Url::parse(&callback).unwrap();
    let state = param(&callback, "state").unwrap();
    forged
        .query_pairs_mut()
        .clear()
        .append_pair("code", "code-never-issued")
        .append_pair("state", &state);
    let resp = fx.back_at_keystep(forged.as_str()).await;
    assert_eq!(
        param(&location(&resp), "error").as_deref(),
        Some("invalid_request")
    );
}
