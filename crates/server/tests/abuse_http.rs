//! The abuse limits under parallel bursts of raw HTTP requests: many tasks, each with its
//! own request, held at a barrier and released together against one session, one user or
//! one code. Whatever the interleaving, no more is judged than the limit allows, every
//! answer is one of Cognito's errors (never a 5xx or a leaked `ConcurrentModification`),
//! and the counts at the limit are exact.
//!
//! The server's clock stands still, so the whole burst happens at one instant and the
//! limits are met exactly; time passes only when a test moves the clock. Every scenario
//! runs on SQLite, then on PostgreSQL when `KEYSTEP_TEST_DATABASE_URL` is set (a fresh
//! schema each time, dropped afterwards).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";
const WRONG_PASSWORD: &str = "Wrong-Horse-9!";
const NEW_PASSWORD: &str = "Battery-Staple-7?";
const PHONE: &str = "+15555551234";

const INCORRECT: &str = "Incorrect username or password.";
const LOCKED: &str = "Password attempts exceeded";
const SESSION_EXPIRED: &str = "Invalid session for the user, session is expired.";
const LIMIT: &str = "Attempt limit exceeded, please try after some time.";

/// Runs `scenario` on a fresh stopped-clock server on SQLite, then on a fresh PostgreSQL
/// schema when `KEYSTEP_TEST_DATABASE_URL` is set. A failure names the backend.
async fn on_each_backend<F, Fut>(scenario: F)
where
    F: Fn(TestServer) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let server = TestServer::start_with(TestOptions {
        dev_pool: false,
        ..TestOptions::default()
    })
    .await;
    if let Err(e) = tokio::spawn(scenario(server)).await {
        eprintln!("failed on SQLite");
        std::panic::resume_unwind(e.into_panic());
    }

    let Some(schema) = e2e_common::PgSchema::create().await else {
        eprintln!("KEYSTEP_TEST_DATABASE_URL is not set: the PostgreSQL run is skipped");
        return;
    };
    let server = TestServer::start_with(TestOptions {
        dev_pool: false,
        ..schema.options.clone()
    })
    .await;
    let outcome = tokio::spawn(scenario(server)).await;
    schema.drop().await;
    if let Err(e) = outcome {
        eprintln!("failed on PostgreSQL");
        std::panic::resume_unwind(e.into_panic());
    }
}

/// One answer: HTTP status, `__type` (`"ok"` for 200), message, body.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    name: String,
    message: String,
    body: Value,
}

/// Sends every body as an unsigned `target` request at once: one task each, held at a
/// barrier until all are ready. Returns the answers in the order of `bodies`.
async fn burst(server: &TestServer, target: &str, bodies: Vec<Value>) -> Vec<Answer> {
    let barrier = Arc::new(tokio::sync::Barrier::new(bodies.len()));
    let url = format!("{}/", server.url());
    let header = format!("AWSCognitoIdentityProviderService.{target}");
    let mut tasks = Vec::new();
    for body in bodies {
        let (barrier, url, header) = (barrier.clone(), url.clone(), header.clone());
        // A client each: every request gets its own connection.
        let http = reqwest::Client::new();
        tasks.push(tokio::spawn(async move {
            let request = http
                .post(url)
                .header("content-type", "application/x-amz-json-1.1")
                .header("x-amz-target", header)
                .body(body.to_string());
            barrier.wait().await;
            let resp = request.send().await.expect("an answer");
            let status = resp.status().as_u16();
            let text = resp.text().await.expect("a body");
            let body: Value = serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("not JSON (HTTP {status}): {text}"));
            let (name, message) = if status == 200 {
                ("ok".to_string(), String::new())
            } else {
                (
                    body["__type"].as_str().unwrap_or_default().to_string(),
                    body["message"].as_str().unwrap_or_default().to_string(),
                )
            };
            Answer {
                status,
                name,
                message,
                body,
            }
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("a request task"));
    }
    for a in &answers {
        assert!(a.status < 500, "a server error in a burst: {a:?}");
        assert_ne!(a.name, "ConcurrentModificationException", "{a:?}");
    }
    answers
}

/// `(name, message)` → how many answers had it.
fn tally(answers: &[Answer]) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for a in answers {
        *out.entry((a.name.clone(), a.message.clone())).or_default() += 1;
    }
    out
}

fn key(name: &str, message: &str) -> (String, String) {
    (name.to_string(), message.to_string())
}

/// Six digits that are not `right`, different for each `i`.
fn wrong_code(right: &str, i: usize) -> String {
    (0..)
        .map(|k| format!("{:06}", (100_003 + (i + k) * 7_919) % 1_000_000))
        .find(|c| c != right)
        .unwrap()
}

/// A pool (SMS MFA optional, e-mail auto-verified) and a client allowing the password
/// flows; returns `(pool id, client id)`.
async fn pool(server: &TestServer) -> (String, String) {
    let (s, pool) = server
        .json(
            "CreateUserPool",
            &json!({"PoolName": "abuse", "AutoVerifiedAttributes": ["email"]}),
        )
        .await;
    assert_eq!(s, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let (s, b) = server
        .json(
            "SetUserPoolMfaConfig",
            &json!({"UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
                "SmsMfaConfiguration": {"SmsConfiguration":
                    {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let client_id = server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "web",
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH"]}))
        .await;
    (pool_id, client_id)
}

fn password_body(client_id: &str, username: &str, password: &str) -> Value {
    json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": username, "PASSWORD": password}})
}

fn sms_body(client_id: &str, session: &str, code: &str) -> Value {
    json!({"ClientId": client_id, "ChallengeName": "SMS_MFA", "Session": session,
        "ChallengeResponses": {"USERNAME": "sam", "SMS_MFA_CODE": code}})
}

/// `InitiateAuth` with the right password: `(status, body)`.
async fn sign_in(server: &TestServer, client_id: &str, username: &str) -> (u16, Value) {
    server
        .json(
            "InitiateAuth",
            &password_body(client_id, username, PASSWORD),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_sms_codes_on_one_session() {
    on_each_backend(|server| async move {
        let (pool_id, client_id) = pool(&server).await;
        server
            .confirmed_user(
                &pool_id,
                "sam",
                PASSWORD,
                json!([{"Name": "phone_number", "Value": PHONE},
                    {"Name": "phone_number_verified", "Value": "true"}]),
            )
            .await;
        let (s, b) = server
            .json(
                "AdminSetUserMFAPreference",
                &json!({"UserPoolId": pool_id, "Username": "sam",
                    "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, challenge) = sign_in(&server, &client_id, "sam").await;
        assert_eq!(s, 200, "{challenge}");
        assert_eq!(challenge["ChallengeName"], "SMS_MFA");
        let session = challenge["Session"].as_str().unwrap().to_string();
        let code = server
            .last_code(&pool_id, "sam")
            .await
            .expect("an SMS code");

        let bodies = (0..40)
            .map(|i| sms_body(&client_id, &session, &wrong_code(&code, i)))
            .collect();
        let answers = burst(&server, "RespondToAuthChallenge", bodies).await;
        let counts = tally(&answers);
        let mismatch = key(
            "CodeMismatchException",
            "Invalid code or auth state for the user.",
        );
        let expired = key("NotAuthorizedException", SESSION_EXPIRED);
        let judged_wrong = counts.get(&mismatch).copied().unwrap_or(0);
        assert!((1..=4).contains(&judged_wrong), "{counts:?}");
        assert_eq!(
            counts.get(&expired),
            Some(&(40 - judged_wrong)),
            "{counts:?}"
        );

        // The session is over: the right code gets nothing.
        let (s, b) = server
            .json(
                "RespondToAuthChallenge",
                &sms_body(&client_id, &session, &code),
            )
            .await;
        assert_eq!(
            (s, b["message"].as_str()),
            (400, Some(SESSION_EXPIRED)),
            "{b}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_passwords_on_one_user() {
    on_each_backend(|server| async move {
        let (pool_id, client_id) = pool(&server).await;
        server
            .confirmed_user(&pool_id, "brute", PASSWORD, json!([]))
            .await;
        let bodies = (0..24)
            .map(|_| password_body(&client_id, "brute", WRONG_PASSWORD))
            .collect();
        let answers = burst(&server, "InitiateAuth", bodies).await;
        let counts = tally(&answers);
        let want = BTreeMap::from([
            (key("NotAuthorizedException", INCORRECT), 5),
            (key("NotAuthorizedException", LOCKED), 19),
        ]);
        assert_eq!(counts, want);

        let (s, b) = sign_in(&server, &client_id, "brute").await;
        assert_eq!((s, b["message"].as_str()), (400, Some(LOCKED)), "{b}");
        server.clock().advance(Duration::from_secs(1));
        let (s, b) = sign_in(&server, &client_id, "brute").await;
        assert_eq!(s, 200, "{b}");
        assert!(b["AuthenticationResult"]["AccessToken"].is_string(), "{b}");
    })
    .await;
}

/// A confirmed user with a verified e-mail.
async fn email_user(server: &TestServer, pool_id: &str, name: &str) {
    server
        .confirmed_user(
            pool_id,
            name,
            PASSWORD,
            json!([{"Name": "email", "Value": format!("{name}@example.com")},
                {"Name": "email_verified", "Value": "true"}]),
        )
        .await;
}

async fn forgot_password_messages(server: &TestServer, pool_id: &str, name: &str) -> usize {
    server
        .outbox(pool_id, name)
        .await
        .iter()
        .filter(|e| e.message.purpose.as_str() == "forgot_password")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forgot_password_burst() {
    on_each_backend(|server| async move {
        let (pool_id, client_id) = pool(&server).await;
        email_user(&server, &pool_id, "fran").await;
        let body = json!({"ClientId": client_id, "Username": "fran"});
        let answers = burst(&server, "ForgotPassword", vec![body.clone(); 30]).await;
        let counts = tally(&answers);
        assert_eq!(counts.get(&key("ok", "")), Some(&5), "{counts:?}");
        assert_eq!(
            counts.get(&key("LimitExceededException", LIMIT)),
            Some(&25),
            "{counts:?}"
        );
        for a in answers.iter().filter(|a| a.status == 200) {
            assert_eq!(a.body["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
        }
        assert_eq!(forgot_password_messages(&server, &pool_id, "fran").await, 5);

        // The hour rolls: all five uses were at one instant, so all five come back at once.
        server.clock().advance(Duration::from_secs(3599));
        let (s, b) = server.json("ForgotPassword", &body).await;
        assert_eq!(
            (s, b["__type"].as_str()),
            (400, Some("LimitExceededException"))
        );
        server.clock().advance(Duration::from_secs(1));
        let answers = burst(&server, "ForgotPassword", vec![body; 12]).await;
        assert_eq!(
            answers.iter().filter(|a| a.status == 200).count(),
            5,
            "{answers:?}"
        );
        assert_eq!(
            forgot_password_messages(&server, &pool_id, "fran").await,
            10
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn confirm_forgot_password_burst_of_wrong_codes() {
    on_each_backend(|server| async move {
        let (pool_id, client_id) = pool(&server).await;
        email_user(&server, &pool_id, "cody").await;
        let (s, b) = server
            .json(
                "ForgotPassword",
                &json!({"ClientId": client_id, "Username": "cody"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let code = server.last_code(&pool_id, "cody").await.expect("a code");
        let confirm = |code: &str| {
            json!({"ClientId": client_id, "Username": "cody", "ConfirmationCode": code,
                "Password": NEW_PASSWORD})
        };

        // Twenty wrong answers at once: fifteen fit in the hour's budget, of which at most
        // five are judged on the code (four mismatches, then the code is used up).
        let bodies = (0..20).map(|i| confirm(&wrong_code(&code, i))).collect();
        let answers = burst(&server, "ConfirmForgotPassword", bodies).await;
        let counts = tally(&answers);
        let mismatch = key(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        );
        let too_many = key(
            "TooManyFailedAttemptsException",
            "Too many failed attempts. Please request a new code.",
        );
        let expired = key(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        );
        let limit = key("LimitExceededException", LIMIT);
        let judged_wrong = counts.get(&mismatch).copied().unwrap_or(0);
        assert!((1..=4).contains(&judged_wrong), "{counts:?}");
        assert!(
            counts.get(&too_many).copied().unwrap_or(0) >= 1,
            "{counts:?}"
        );
        assert_eq!(counts.get(&limit), Some(&5), "{counts:?}");
        assert!(
            counts
                .keys()
                .all(|k| [&mismatch, &too_many, &expired, &limit].contains(&k)),
            "{counts:?}"
        );

        // The code is gone (and the budget too): the right code does not set the password.
        let (s, b) = server.json("ConfirmForgotPassword", &confirm(&code)).await;
        assert_eq!(s, 400, "{b}");
        let (s, b) = sign_in(&server, &client_id, "cody").await;
        assert_eq!(s, 200, "the password changed: {b}");

        // An hour later: a new code, and the right answer works.
        server.clock().advance(Duration::from_secs(3600));
        let (s, b) = server
            .json(
                "ForgotPassword",
                &json!({"ClientId": client_id, "Username": "cody"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let code = server.last_code(&pool_id, "cody").await.expect("a code");
        let (s, b) = server.json("ConfirmForgotPassword", &confirm(&code)).await;
        assert_eq!(s, 200, "{b}");
        let (s, b) = server
            .json(
                "InitiateAuth",
                &password_body(&client_id, "cody", NEW_PASSWORD),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn confirm_forgot_password_burst_under_the_budget() {
    // Ten wrong answers and the right one together, within the hour's budget: the right one
    // sets the password only if it was judged among the code's five attempts; otherwise it
    // fails as an answer that came too late, and nothing changes.
    on_each_backend(|server| async move {
        let (pool_id, client_id) = pool(&server).await;
        email_user(&server, &pool_id, "rita").await;
        let (s, b) = server
            .json(
                "ForgotPassword",
                &json!({"ClientId": client_id, "Username": "rita"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let code = server.last_code(&pool_id, "rita").await.expect("a code");
        let confirm = |code: &str| {
            json!({"ClientId": client_id, "Username": "rita", "ConfirmationCode": code,
                "Password": NEW_PASSWORD})
        };
        let mut bodies: Vec<Value> = (0..10).map(|i| confirm(&wrong_code(&code, i))).collect();
        bodies.insert(4, confirm(&code));
        let mut answers = burst(&server, "ConfirmForgotPassword", bodies).await;
        let right = answers.remove(4);
        let wrong = tally(&answers);
        assert!(
            answers.iter().all(|a| a.status == 400),
            "a wrong code was accepted: {answers:?}"
        );
        let judged_wrong = wrong
            .get(&key(
                "CodeMismatchException",
                "Invalid verification code provided, please try again.",
            ))
            .copied()
            .unwrap_or(0);
        assert!(judged_wrong <= 4, "{wrong:?}");
        let new_password_works = server
            .json(
                "InitiateAuth",
                &password_body(&client_id, "rita", NEW_PASSWORD),
            )
            .await
            .0
            == 200;
        if right.status == 200 {
            assert!(new_password_works);
        } else {
            // Too late for the code (its attempts used up, or the code destroyed before
            // this answer could use it): the errors of any late answer, never a mismatch.
            assert!(
                [
                    "TooManyFailedAttemptsException",
                    "ExpiredCodeException",
                    "LimitExceededException"
                ]
                .contains(&right.name.as_str()),
                "the right code lost with {right:?}; the wrong ones got {wrong:?}"
            );
            assert!(!new_password_works);
        }
    })
    .await;
}
