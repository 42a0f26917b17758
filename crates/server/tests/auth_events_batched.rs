//! Auth events go through the batching writer: sign-ins racing each other all land, each
//! as its own event, and a read straight after them sees every one (reads flush).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use keystep_testkit::TestServer;
use serde_json::{json, Value};

const PASSWORD: &str = "Passw0rd!Long";

async fn fixture() -> (Arc<TestServer>, String, String) {
    let server = TestServer::start().await;
    let (s, pool) = server
        .json(
            "CreateUserPool",
            &json!({"PoolName": "events", "UserPoolTier": "PLUS"}),
        )
        .await;
    assert_eq!(s, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client_id = server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "web",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}))
        .await;
    for name in ["ann", "ben"] {
        server
            .confirmed_user(&pool_id, name, PASSWORD, json!([]))
            .await;
    }
    (Arc::new(server), pool_id, client_id)
}

async fn events(server: &TestServer, pool_id: &str, name: &str) -> Vec<Value> {
    let (s, page) = server
        .json(
            "AdminListUserAuthEvents",
            &json!({"UserPoolId": pool_id, "Username": name, "MaxResults": 60}),
        )
        .await;
    assert_eq!(s, 200, "{page}");
    page["AuthEvents"].as_array().unwrap().clone()
}

#[tokio::test]
async fn racing_sign_ins_each_leave_their_event_and_reads_see_them_at_once() {
    let (server, pool_id, client_id) = fixture().await;
    let mut racers = Vec::new();
    // Ann signs in 12 times at once; Ben gets his password wrong 3 times.
    for (name, password, n) in [("ann", PASSWORD, 12), ("ben", "wrong-Passw0rd!", 3)] {
        for _ in 0..n {
            let server = server.clone();
            let client_id = client_id.clone();
            racers.push(tokio::spawn(async move {
                server
                    .json(
                        "InitiateAuth",
                        &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                            "AuthParameters": {"USERNAME": name, "PASSWORD": password}}),
                    )
                    .await
                    .0
            }));
        }
    }
    let mut statuses = Vec::new();
    for r in racers {
        statuses.push(r.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 12);

    let ann = events(&server, &pool_id, "ann").await;
    assert_eq!(ann.len(), 12, "{ann:?}");
    for e in &ann {
        assert_eq!(e["EventResponse"], "Pass", "{e}");
        assert_eq!(
            e["ChallengeResponses"],
            json!([{"ChallengeName": "Password", "ChallengeResponse": "Success"}]),
            "{e}"
        );
    }
    let ben = events(&server, &pool_id, "ben").await;
    assert_eq!(ben.len(), 3, "{ben:?}");
    assert!(ben.iter().all(|e| e["EventResponse"] == "Fail"));

    // One more sign-in, a second later, read at once: the read flushes it.
    server.clock().advance(std::time::Duration::from_secs(1));
    let (s, _) = server
        .json(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                "AuthParameters": {"USERNAME": "ben", "PASSWORD": PASSWORD}}),
        )
        .await;
    assert_eq!(s, 200);
    let ben = events(&server, &pool_id, "ben").await;
    assert_eq!(ben.len(), 4);
    assert_eq!(ben[0]["EventResponse"], "Pass");
}

#[tokio::test]
async fn a_user_deleted_just_after_signing_in_does_not_cost_others_their_events() {
    let (server, pool_id, client_id) = fixture().await;
    for name in ["ann", "ben"] {
        let (s, _) = server
            .json(
                "InitiateAuth",
                &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                    "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}),
            )
            .await;
        assert_eq!(s, 200);
    }
    // Deleted at once: if Ann's event is still waiting for its batch (the writer lingers
    // 10 ms), the batch with Ben's fails on her and is recorded event by event.
    let (s, b) = server
        .json(
            "AdminDeleteUser",
            &json!({"UserPoolId": pool_id, "Username": "ann"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(events(&server, &pool_id, "ben").await.len(), 1);
}
