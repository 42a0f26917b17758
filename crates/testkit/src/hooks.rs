//! Webhooks for tests of custom authentication: the classic secret-code challenge served
//! the way Keystep calls triggers, plus routes that misbehave.
//!
//! * `/define` — DefineAuthChallenge: `PASSWORD_VERIFIER` after `SRP_A`; a failed
//!   password fails; a right answer issues tokens; three wrong answers fail; otherwise
//!   another `CUSTOM_CHALLENGE`.
//! * `/create` — CreateAuthChallenge: public `question` and `round` (the history's
//!   length), private `answer` = [`SECRET_CODE`], metadata `CODE-<round>`.
//! * `/verify` — VerifyAuthChallengeResponse: the answer equals the private one.
//! * `/slow` (7 s, past the trigger timeout), `/garbage` (not JSON), `/refuse` (a Lambda
//!   error body "Sign-in is closed today" with HTTP 400).
//!
//! Every event of the first three is recorded; once told the pool's trigger secret, each
//! call's `X-Keystep-Signature` is checked too.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

/// The answer the secret-code challenge expects.
pub const SECRET_CODE: &str = "4242";

#[derive(Default)]
struct Seen {
    events: Vec<Value>,
    /// Per recorded call: `None` while no secret is known, else whether it was signed
    /// with it.
    signatures: Vec<Option<bool>>,
    secret: Option<String>,
}

type Shared = Arc<Mutex<Seen>>;

/// A running webhook server (stops with the test's runtime).
#[derive(Clone)]
pub struct SecretCodeHooks {
    /// Its base URL; slots point at `<url>/define` and so on.
    pub url: String,
    seen: Shared,
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

fn record(seen: &Shared, headers: &HeaderMap, event: &Value) {
    let mut s = seen.lock().unwrap();
    // The body as sent is the compact JSON of the event; re-serialising the parsed value
    // gives the same bytes.
    let signed = s.secret.as_ref().map(|secret| {
        let body = serde_json::to_vec(event).unwrap();
        let want = keystep_server::webhook::signature(
            secret.as_bytes(),
            &header(headers, "x-keystep-timestamp"),
            &body,
        );
        want == header(headers, "x-keystep-signature")
    });
    s.signatures.push(signed);
    s.events.push(event.clone());
}

async fn define(
    State(seen): State<Shared>,
    headers: HeaderMap,
    Json(mut e): Json<Value>,
) -> Json<Value> {
    record(&seen, &headers, &e);
    let session = e["request"]["session"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let last = session.last().cloned().unwrap_or(Value::Null);
    let wrong = session
        .iter()
        .filter(|r| r["challengeName"] == "CUSTOM_CHALLENGE" && r["challengeResult"] == false)
        .count();
    e["response"] = if last["challengeName"] == "SRP_A" {
        json!({"challengeName": "PASSWORD_VERIFIER", "issueTokens": false, "failAuthentication": false})
    } else if last["challengeName"] == "PASSWORD_VERIFIER" && last["challengeResult"] == false {
        json!({"issueTokens": false, "failAuthentication": true})
    } else if last["challengeName"] == "CUSTOM_CHALLENGE" && last["challengeResult"] == true {
        json!({"issueTokens": true, "failAuthentication": false})
    } else if wrong >= 3 {
        json!({"issueTokens": false, "failAuthentication": true})
    } else {
        json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false})
    };
    Json(e)
}

async fn create(
    State(seen): State<Shared>,
    headers: HeaderMap,
    Json(mut e): Json<Value>,
) -> Json<Value> {
    record(&seen, &headers, &e);
    let round = e["request"]["session"].as_array().map_or(0, Vec::len);
    e["response"] = json!({
        "publicChallengeParameters": {"question": "What is the secret code?", "round": round.to_string()},
        "privateChallengeParameters": {"answer": SECRET_CODE},
        "challengeMetadata": format!("CODE-{round}"),
    });
    Json(e)
}

async fn verify(
    State(seen): State<Shared>,
    headers: HeaderMap,
    Json(mut e): Json<Value>,
) -> Json<Value> {
    record(&seen, &headers, &e);
    let correct =
        e["request"]["challengeAnswer"] == e["request"]["privateChallengeParameters"]["answer"];
    e["response"] = json!({"answerCorrect": correct});
    Json(e)
}

async fn slow(Json(e): Json<Value>) -> Json<Value> {
    tokio::time::sleep(Duration::from_secs(7)).await;
    Json(e)
}

async fn garbage() -> &'static str {
    "this is not JSON"
}

async fn refuse() -> (StatusCode, Json<Value>) {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"errorType": "Error", "errorMessage": "Sign-in is closed today"})),
    )
}

impl SecretCodeHooks {
    /// Starts the server on `127.0.0.1:0`.
    pub async fn start() -> SecretCodeHooks {
        let seen: Shared = Arc::default();
        let app = Router::new()
            .route("/define", post(define))
            .route("/create", post(create))
            .route("/verify", post(verify))
            .route("/slow", post(slow))
            .route("/garbage", post(garbage))
            .route("/refuse", post(refuse))
            .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the webhook server");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        SecretCodeHooks { url, seen }
    }

    /// Checks the signature of every later call with the pool's trigger `secret`.
    pub fn check_signatures_with(&self, secret: &str) {
        self.seen.lock().unwrap().secret = Some(secret.to_string());
    }

    /// Every event the three challenge routes received, oldest first.
    pub fn events(&self) -> Vec<Value> {
        self.seen.lock().unwrap().events.clone()
    }

    /// Per recorded event: `None` if no secret was known, else whether it was signed
    /// with it.
    pub fn signatures(&self) -> Vec<Option<bool>> {
        self.seen.lock().unwrap().signatures.clone()
    }
}
