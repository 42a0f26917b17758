//! Housekeeping: a pass deletes exactly what has expired, in batches, and the background
//! task runs passes until it is told to stop.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use keystep_server::housekeeping;
use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};
use sqlx::Connection;

const PASSWORD: &str = "Correct-Horse-9!";

/// A pool (MFA as given) with a client allowing password sign-in and refresh, and a user.
async fn pool_with_user(server: &TestServer, mfa: &str, user: &str, attributes: Value) -> String {
    let (s, pool) = server
        .json(
            "CreateUserPool",
            &json!({"PoolName": format!("hk-{mfa}"), "MfaConfiguration": "OFF"}),
        )
        .await;
    assert_eq!(s, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    if mfa != "OFF" {
        let (s, b) = server
            .json(
                "SetUserPoolMfaConfig",
                &json!({"UserPoolId": pool_id, "MfaConfiguration": mfa,
                    "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}}}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }
    let client_id = server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "web",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}))
        .await;
    server
        .confirmed_user(&pool_id, user, PASSWORD, attributes)
        .await;
    client_id
}

async fn sign_in(server: &TestServer, client_id: &str, user: &str) -> Value {
    let (s, b) = server
        .json(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                "AuthParameters": {"USERNAME": user, "PASSWORD": PASSWORD}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b
}

async fn count(server: &TestServer, table: &str) -> i64 {
    let url = format!("sqlite://{}", server.db_path().display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    n
}

async fn start() -> TestServer {
    TestServer::start_with(TestOptions {
        dev_pool: false,
        ..TestOptions::default()
    })
    .await
}

#[tokio::test]
async fn a_pass_deletes_only_expired_rows_batch_after_batch() {
    let server = start().await;
    let mfa_client = pool_with_user(
        &server,
        "ON",
        "carol",
        json!([{"Name": "phone_number", "Value": "+15555550123"},
               {"Name": "phone_number_verified", "Value": "true"}]),
    )
    .await;
    let plain_client = pool_with_user(&server, "OFF", "erin", json!([])).await;

    // Seven sign-ins waiting for their SMS code, one finished sign-in with a refresh token.
    let mut sessions = Vec::new();
    for _ in 0..7 {
        let b = sign_in(&server, &mfa_client, "carol").await;
        assert_eq!(b["ChallengeName"], "SMS_MFA", "{b}");
        sessions.push(b["Session"].clone());
    }
    let tokens = sign_in(&server, &plain_client, "erin").await;
    assert!(tokens["AuthenticationResult"]["RefreshToken"].is_string());
    assert_eq!(count(&server, "auth_sessions").await, 7);
    assert_eq!(count(&server, "refresh_tokens").await, 1);

    // Nothing has expired yet: nothing goes.
    let removed = housekeeping::purge_once(server.keystep(), 2).await.unwrap();
    assert_eq!(removed, 0);
    assert_eq!(count(&server, "auth_sessions").await, 7);

    // Sessions live 3 minutes; the refresh token 30 days. Batches of 2 rows per table
    // still clear all seven sessions in one pass.
    server.clock().advance(Duration::from_secs(4 * 60));
    let removed = housekeeping::purge_once(server.keystep(), 2).await.unwrap();
    assert!(removed >= 7, "{removed}");
    assert_eq!(count(&server, "auth_sessions").await, 0);
    assert_eq!(count(&server, "refresh_tokens").await, 1);
    // The purged Session answers as an expired one does.
    let (s, b) = server
        .json(
            "RespondToAuthChallenge",
            &json!({"ClientId": mfa_client, "ChallengeName": "SMS_MFA", "Session": sessions[0],
                "ChallengeResponses": {"USERNAME": "carol", "SMS_MFA_CODE": "123456"}}),
        )
        .await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("NotAuthorizedException"))
    );

    server.clock().advance(Duration::from_secs(31 * 24 * 3600));
    let removed = housekeeping::purge_once(server.keystep(), 2).await.unwrap();
    assert!(removed >= 1, "{removed}");
    assert_eq!(count(&server, "refresh_tokens").await, 0);
    assert_eq!(
        housekeeping::purge_once(server.keystep(), 2).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn the_background_task_purges_until_shut_down() {
    let server = start().await;
    let client = pool_with_user(
        &server,
        "ON",
        "dave",
        json!([{"Name": "phone_number", "Value": "+15555550124"},
               {"Name": "phone_number_verified", "Value": "true"}]),
    )
    .await;
    sign_in(&server, &client, "dave").await;
    assert_eq!(count(&server, "auth_sessions").await, 1);
    server.clock().advance(Duration::from_secs(4 * 60));

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(housekeeping::run(
        server.keystep().clone(),
        Duration::from_millis(50),
        async {
            let _ = stopped.await;
        },
    ));
    let started = Instant::now();
    while count(&server, "auth_sessions").await > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "housekeeping never purged the expired session"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!task.is_finished());
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(30), task)
        .await
        .expect("housekeeping stops when told")
        .expect("housekeeping does not panic");
}
