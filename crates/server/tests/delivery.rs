//! Delivery through HTTP: SMS through the provider webhook (signed, carrying the code),
//! custom sender triggers (the code encrypted with the pool's key), failures that are
//! listed for administrators, and a medium without any sender refused up front.
//!
//! The receivers are real HTTP servers on 127.0.0.1 started by the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use base64::Engine;
use keystep_server::bootstrap::{DeliverySetup, OutboxMode};
use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};

const SMS_SECRET: &str = "sms-webhook-secret-0123456789";
const PASSWORD: &str = "Correct-Horse-9!";

/// What a receiver saw: each call's headers and JSON body.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(HeaderMap, Value)>>>);

impl Received {
    fn all(&self) -> Vec<(HeaderMap, Value)> {
        self.0.lock().unwrap().clone()
    }

    /// Waits up to 10 s for at least `n` calls.
    async fn wait_for(&self, n: usize) -> Vec<(HeaderMap, Value)> {
        let started = Instant::now();
        loop {
            let all = self.all();
            if all.len() >= n {
                return all;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{} calls after 10 s, expected {n}",
                all.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// A receiver answering `status` to every POST; returns its URL and what it saw.
async fn receiver(status: StatusCode) -> (String, Received) {
    let received = Received::default();
    async fn take(
        State((seen, status)): State<(Received, StatusCode)>,
        headers: HeaderMap,
        body: String,
    ) -> (StatusCode, String) {
        let value: Value = serde_json::from_str(&body).unwrap();
        seen.0.lock().unwrap().push((headers, value));
        (status, "{}".into())
    }
    let app = Router::new()
        .route("/", post(take))
        .with_state((received.clone(), status));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

fn with_sms_webhook(url: &str) -> TestOptions {
    TestOptions {
        delivery: DeliverySetup {
            sms_webhook: Some((url.to_string(), SMS_SECRET.as_bytes().to_vec())),
            retry: keystep_core::parcel::RetryPolicy {
                max_attempts: 2,
                first_retry_ms: 50,
                max_delay_ms: 50,
            },
            ..DeliverySetup::default()
        },
        // Retries fall due by the server's clock: it must run.
        live_clock: true,
        ..TestOptions::default()
    }
}

/// A pool whose sign-up code goes to `attribute` (`phone_number` or `email`), and a
/// client; `extra` is merged into CreateUserPool.
async fn pool(server: &TestServer, attribute: &str, extra: Value) -> (String, String) {
    let mut body = json!({"PoolName": "delivery", "AutoVerifiedAttributes": [attribute]});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, answer) = server.json("CreateUserPool", &body).await;
    assert_eq!(status, 200, "{answer}");
    let pool_id = answer["UserPool"]["Id"].as_str().unwrap().to_string();
    let client_id = server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "c"}))
        .await;
    (pool_id, client_id)
}

async fn sign_up(server: &TestServer, client_id: &str, name: &str, attrs: Value) -> (u16, Value) {
    server
        .json(
            "SignUp",
            &json!({"ClientId": client_id, "Username": name, "Password": PASSWORD,
                    "UserAttributes": attrs}),
        )
        .await
}

async fn deliveries(server: &TestServer, query: &str) -> reqwest::Response {
    server
        .http()
        .get(format!("{}/admin/deliveries?{query}", server.url()))
        .basic_auth(server.access_key_id(), Some(server.secret_access_key()))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sms_goes_to_the_webhook_signed_and_the_outbox_keeps_nothing() {
    let (url, received) = receiver(StatusCode::OK).await;
    let server = TestServer::start_with(with_sms_webhook(&url)).await;
    let (pool_id, client_id) = pool(&server, "phone_number", json!({})).await;
    let phone = "+15555550123";
    let (status, answer) = sign_up(
        &server,
        &client_id,
        "alice",
        json!([{"Name": "phone_number", "Value": phone}]),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["CodeDeliveryDetails"]["DeliveryMedium"], "SMS");

    let calls = received.wait_for(1).await;
    let (headers, body) = &calls[0];
    assert_eq!(body["destination"], phone);
    assert_eq!(body["purpose"], "sign_up");
    assert_eq!(body["userPoolId"], pool_id.as_str());
    assert_eq!(body["userName"], "alice");
    assert!(body["deliveryId"].as_i64().unwrap() > 0);
    let timestamp = headers["x-keystep-timestamp"].to_str().unwrap();
    let want = keystep_server::webhook::signature(
        SMS_SECRET.as_bytes(),
        timestamp,
        body.to_string().as_bytes(),
    );
    assert_eq!(headers["x-keystep-signature"].to_str().unwrap(), want);

    // The code in the text message confirms the account.
    let text = body["message"].as_str().unwrap();
    let code: String = text.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(code.len(), 6, "{text}");
    let (status, answer) = server
        .json(
            "ConfirmSignUp",
            &json!({"ClientId": client_id, "Username": "alice", "ConfirmationCode": code}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");

    assert!(
        server.outbox(&pool_id, "alice").await.is_empty(),
        "with a real sender the outbox (auto) records nothing"
    );
    let sent: Vec<Value> = deliveries(&server, "status=sent")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["channel"], "sms_webhook");
    assert_ne!(sent[0]["destination"], phone, "the listing masks it");
}

#[tokio::test]
async fn a_medium_without_a_sender_is_refused_before_anything_is_queued() {
    let (url, received) = receiver(StatusCode::OK).await;
    let server = TestServer::start_with(with_sms_webhook(&url)).await;
    // E-mail: no SMTP relay and the outbox is off because a real sender exists.
    let (_pool_id, client_id) = pool(&server, "email", json!({})).await;
    let (status, answer) = sign_up(
        &server,
        &client_id,
        "bob",
        json!([{"Name": "email", "Value": "bob@example.com"}]),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["__type"], "CodeDeliveryFailureException");
    assert!(answer["message"].as_str().unwrap().contains("EMAIL"));
    let all: Vec<Value> = deliveries(&server, "").await.json().await.unwrap();
    assert!(all.is_empty(), "{all:?}");
    assert!(received.all().is_empty());
}

#[tokio::test]
async fn refused_messages_are_listed_as_failed_for_administrators_only() {
    let (url, received) = receiver(StatusCode::BAD_REQUEST).await;
    let server = TestServer::start_with(with_sms_webhook(&url)).await;
    let (_pool_id, client_id) = pool(&server, "phone_number", json!({})).await;
    let (status, _) = sign_up(
        &server,
        &client_id,
        "carol",
        json!([{"Name": "phone_number", "Value": "+15555550199"}]),
    )
    .await;
    assert_eq!(
        status, 200,
        "the request succeeds once the message is queued"
    );
    received.wait_for(1).await;
    let started = Instant::now();
    let failed = loop {
        let failed: Vec<Value> = deliveries(&server, "status=failed")
            .await
            .json()
            .await
            .unwrap();
        if !failed.is_empty() {
            break failed;
        }
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["attempts"], 1, "a 4xx answer is not retried");
    assert!(failed[0]["last_error"]
        .as_str()
        .unwrap()
        .contains("HTTP 400"));
    assert!(!failed[0].to_string().contains("+15555550199"));

    let anonymous = server
        .http()
        .get(format!("{}/admin/deliveries", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(deliveries(&server, "status=lost").await.status(), 400);
}

#[tokio::test]
async fn an_unreachable_webhook_is_retried_then_given_up() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let server = TestServer::start_with(with_sms_webhook(&url)).await;
    let (_pool_id, client_id) = pool(&server, "phone_number", json!({})).await;
    let (status, _) = sign_up(
        &server,
        &client_id,
        "dave",
        json!([{"Name": "phone_number", "Value": "+15555550111"}]),
    )
    .await;
    assert_eq!(status, 200);
    let started = Instant::now();
    loop {
        let failed: Vec<Value> = deliveries(&server, "status=failed")
            .await
            .json()
            .await
            .unwrap();
        if let Some(f) = failed.first() {
            assert_eq!(f["attempts"], 2, "both attempts of the policy were made");
            assert!(f["last_error"]
                .as_str()
                .unwrap()
                .contains("could not be reached"));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never given up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_custom_email_sender_gets_the_code_encrypted_with_the_pools_key() {
    let (url, received) = receiver(StatusCode::OK).await;
    // The development setup: no real sender, the outbox on.
    let server = TestServer::start_with(TestOptions {
        delivery: DeliverySetup {
            outbox: OutboxMode::Auto,
            ..DeliverySetup::default()
        },
        ..TestOptions::default()
    })
    .await;
    let (pool_id, client_id) = pool(
        &server,
        "email",
        json!({"LambdaConfig": {
            "CustomEmailSender": {"LambdaArn": url, "LambdaVersion": "V1_0"},
            "KMSKeyID": "arn:aws:kms:us-east-1:000000000000:key/test"}}),
    )
    .await;
    let (status, answer) = sign_up(
        &server,
        &client_id,
        "erin",
        json!([{"Name": "email", "Value": "erin@example.com"}]),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let calls = received.wait_for(1).await;
    let (_, event) = &calls[0];
    assert_eq!(event["triggerSource"], "CustomEmailSender_SignUp");
    assert_eq!(event["request"]["type"], "customEmailSenderRequestV1");
    assert_eq!(
        event["request"]["userAttributes"]["email"],
        "erin@example.com"
    );
    let encrypted = event["request"]["code"].as_str().unwrap();

    // The administrator's key opens it; the digits are nowhere in clear.
    let resp = server
        .http()
        .get(format!(
            "{}/admin/trigger-secret?pool_id={pool_id}",
            server.url()
        ))
        .basic_auth(server.access_key_id(), Some(server.secret_access_key()))
        .send()
        .await
        .unwrap();
    let keys: Value = resp.json().await.unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = b64
        .decode(keys["CustomSenderKey"].as_str().unwrap())
        .unwrap();
    let raw = b64.decode(encrypted).unwrap();
    use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
    let cipher = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &key).unwrap());
    let mut body = raw[12..].to_vec();
    let code = cipher
        .open_in_place(
            Nonce::try_assume_unique_for_key(&raw[..12]).unwrap(),
            Aad::empty(),
            &mut body,
        )
        .unwrap()
        .to_vec();
    let code = String::from_utf8(code).unwrap();
    assert_eq!(code.len(), 6);
    assert!(!event.to_string().contains(&code));

    let (status, answer) = server
        .json(
            "ConfirmSignUp",
            &json!({"ClientId": client_id, "Username": "erin", "ConfirmationCode": code}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
}
