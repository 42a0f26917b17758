//! Per-source-address rate limits on the unsigned operations: a burst, then
//! `TooManyRequestsException`; signed administrator calls are not limited; behind a
//! trusted proxy each client address has its own bucket.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use keystep_server::rate_limit::RateLimit;
use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};

async fn start(client_ip_header: Option<&str>) -> TestServer {
    TestServer::start_with(TestOptions {
        // Slow enough that no token comes back while a test runs.
        rate_limit: Some(RateLimit {
            per_second: 0.01,
            burst: 5.0,
        }),
        client_ip_header: client_ip_header.map(str::to_string),
        ..Default::default()
    })
    .await
}

/// A password sign-in as `username` (unknown to the pool) from `forwarded_for` (when
/// given); the error `__type` or `"ok"`.
async fn sign_in_as(server: &TestServer, username: &str, forwarded_for: Option<&str>) -> String {
    let mut req = server
        .http()
        .post(server.url())
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.InitiateAuth",
        )
        .body(
            json!({"ClientId": server.client_id(), "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": username, "PASSWORD": "x"}})
            .to_string(),
        );
    if let Some(addr) = forwarded_for {
        req = req.header("x-forwarded-for", format!("203.0.113.250, {addr}"));
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap();
    assert!(status < 500, "{status} {body}");
    body["__type"].as_str().unwrap_or("ok").to_string()
}

/// An unsigned call (a sign-in as `nobody`) from `forwarded_for` (when given).
async fn unsigned_call(server: &TestServer, forwarded_for: Option<&str>) -> String {
    sign_in_as(server, "nobody", forwarded_for).await
}

#[tokio::test]
async fn an_address_gets_its_burst_then_too_many_requests() {
    let server = start(None).await;
    let mut answers = Vec::new();
    for _ in 0..12 {
        answers.push(unsigned_call(&server, None).await);
    }
    let refused = answers
        .iter()
        .filter(|a| *a == "TooManyRequestsException")
        .count();
    assert_eq!(refused, 7, "{answers:?}");
    assert!(answers
        .iter()
        .filter(|a| *a != "TooManyRequestsException")
        .all(|a| a == "NotAuthorizedException"));
    // Signed administrator operations are not limited.
    for _ in 0..10 {
        let (status, body) = server
            .json("ListUserPools", &json!({"MaxResults": 1}))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = server.json("GetUser", &json!({"AccessToken": "x"})).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("TooManyRequestsException")),
        "unsigned, from the same address"
    );
}

#[tokio::test]
async fn behind_a_proxy_each_client_address_has_its_bucket() {
    let server = start(Some("X-Forwarded-For")).await;
    for _ in 0..5 {
        assert_eq!(
            unsigned_call(&server, Some("198.51.100.1")).await,
            "NotAuthorizedException"
        );
    }
    assert_eq!(
        unsigned_call(&server, Some("198.51.100.1")).await,
        "TooManyRequestsException"
    );
    // The proxy's own entry (the last) decides; what the client put before it does not.
    assert_eq!(
        unsigned_call(&server, Some("198.51.100.2")).await,
        "NotAuthorizedException"
    );
}

#[tokio::test]
async fn the_token_endpoint_and_sign_in_form_share_the_address_budget() {
    let server = start(None).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let url = if i % 2 == 0 {
            format!("{}/oauth2/token", server.url())
        } else {
            format!("{}/login", server.url())
        };
        let resp = server
            .http()
            .post(url)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "nobody"),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(resp.status().as_u16());
    }
    assert!(statuses[..5].iter().all(|s| *s != 429), "{statuses:?}");
    assert_eq!(&statuses[5..], &[429, 429, 429], "{statuses:?}");
    // Viewing the stylesheet is not counted.
    let css = server
        .http()
        .get(format!("{}/oauth2/pages.css", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admission_control_refuses_fast_what_it_cannot_run_soon() {
    let server = std::sync::Arc::new(
        TestServer::start_with(TestOptions {
            max_in_flight: 1,
            admission_wait: std::time::Duration::from_millis(20),
            ..Default::default()
        })
        .await,
    );
    // Each of these sign-ins computes a stand-in password check: a few milliseconds of
    // work per request, one at a time. Each names a different unknown user, so no
    // lockout turns the later ones into cheap refusals: the burst is 48 full checks,
    // far more than fit in 20 ms on any machine.
    let mut calls = Vec::new();
    for i in 0..48 {
        let server = std::sync::Arc::clone(&server);
        calls.push(tokio::spawn(async move {
            sign_in_as(&server, &format!("nobody-{i}"), None).await
        }));
    }
    let mut answers = Vec::new();
    for c in calls {
        answers.push(c.await.unwrap());
    }
    let refused = answers
        .iter()
        .filter(|a| *a == "TooManyRequestsException")
        .count();
    let ran = answers
        .iter()
        .filter(|a| *a == "NotAuthorizedException")
        .count();
    assert_eq!(refused + ran, answers.len(), "{answers:?}");
    assert!(ran >= 1, "the first request always runs: {answers:?}");
    assert!(
        refused >= 1,
        "48 requests cannot all get the one turn within 20 ms"
    );
    let shed = server
        .state()
        .admission
        .as_ref()
        .map(keystep_server::admission::Admission::shed);
    assert_eq!(shed, Some(refused as u64));
    // With the burst gone, requests run again.
    assert_eq!(unsigned_call(&server, None).await, "NotAuthorizedException");
}
