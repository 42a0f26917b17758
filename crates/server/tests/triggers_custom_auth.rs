//! Custom authentication through webhooks: testkit's Define/Create/Verify server (the
//! classic secret-code challenge), driven over raw HTTP with and without SRP; signed
//! webhook calls; and what trigger failures answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::time::Duration;

use keystep_core::ports::Clock;
use keystep_testkit::hooks::{SecretCodeHooks, SECRET_CODE};
use keystep_testkit::{SrpClient, TestOptions, TestServer};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";

struct Fixture {
    server: TestServer,
    pool_id: String,
    client_id: String,
    hooks: SecretCodeHooks,
}

const DEFINE_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:define";

async fn fixture() -> Fixture {
    let hooks = SecretCodeHooks::start().await;
    let url = &hooks.url;
    let mut arn_map = BTreeMap::new();
    arn_map.insert(DEFINE_ARN.to_string(), format!("{url}/define"));
    let server = TestServer::start_with(TestOptions {
        dev_pool: false,
        trigger_arn_map: arn_map,
        ..Default::default()
    })
    .await;
    let (s, pool) = server
        .json(
            "CreateUserPool",
            &json!({"PoolName": "custom", "LambdaConfig": {
                "DefineAuthChallenge": DEFINE_ARN,
                "CreateAuthChallenge": format!("{url}/create"),
                "VerifyAuthChallengeResponse": format!("{url}/verify"),
            }}),
        )
        .await;
    assert_eq!(s, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    // The secret as an administrator reads it over HTTP.
    let shown: Value = server
        .http()
        .get(format!(
            "{}/admin/trigger-secret?pool_id={pool_id}",
            server.url()
        ))
        .basic_auth(server.access_key_id(), Some(server.secret_access_key()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        shown["TriggerSecret"],
        server.keystep().trigger_secret(&pool_id).as_str()
    );
    hooks.check_signatures_with(shown["TriggerSecret"].as_str().unwrap());
    let client_id = server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "web",
                "ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}))
        .await;
    server
        .confirmed_user(
            &pool_id,
            "cara",
            PASSWORD,
            json!([{"Name": "email", "Value": "cara@example.com"}]),
        )
        .await;
    Fixture {
        server,
        pool_id,
        client_id,
        hooks,
    }
}

impl Fixture {
    async fn initiate(&self, params: Value) -> (u16, Value) {
        self.server
            .json(
                "InitiateAuth",
                &json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": self.client_id,
                    "AuthParameters": params, "ClientMetadata": {"app": "tests"}}),
            )
            .await
    }

    async fn answer(&self, session: &Value, answer: &str) -> (u16, Value) {
        self.server
            .json(
                "RespondToAuthChallenge",
                &json!({"ClientId": self.client_id, "ChallengeName": "CUSTOM_CHALLENGE",
                    "Session": session, "ChallengeResponses": {"USERNAME": "cara", "ANSWER": answer},
                    "ClientMetadata": {"app": "tests"}}),
            )
            .await
    }

    async fn set_slot(&self, slot: &str, path: &str) {
        let (s, pool) = self
            .server
            .json("DescribeUserPool", &json!({"UserPoolId": self.pool_id}))
            .await;
        assert_eq!(s, 200);
        let mut lambda = pool["UserPool"]["LambdaConfig"].clone();
        lambda[slot] = format!("{}{path}", self.hooks.url).into();
        let (s, b) = self
            .server
            .json(
                "UpdateUserPool",
                &json!({"UserPoolId": self.pool_id, "LambdaConfig": lambda}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }
}

#[tokio::test]
async fn secret_code_challenge_without_srp_wrong_then_right() {
    let f = fixture().await;
    let (s, c) = f.initiate(json!({"USERNAME": "cara"})).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(
        c["ChallengeParameters"]["question"],
        "What is the secret code?"
    );
    assert_eq!(c["ChallengeParameters"]["USERNAME"], "cara");
    assert!(
        c["ChallengeParameters"].get("answer").is_none(),
        "private stays private"
    );

    let (s, again) = f.answer(&c["Session"], "1111").await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_ne!(again["Session"], c["Session"]);
    let (s, done) = f.answer(&again["Session"], SECRET_CODE).await;
    assert_eq!(s, 200, "{done}");
    assert!(done["AuthenticationResult"]["IdToken"].is_string());

    assert!(
        f.hooks.signatures().iter().all(|ok| *ok == Some(true)),
        "every call signed"
    );
    let events = f.hooks.events();
    let define_calls: Vec<&Value> = events
        .iter()
        .filter(|e| e["triggerSource"] == "DefineAuthChallenge_Authentication")
        .collect();
    let last = define_calls.last().unwrap();
    assert_eq!(last["userPoolId"], f.pool_id.as_str());
    assert_eq!(last["userName"], "cara");
    assert_eq!(last["callerContext"]["clientId"], f.client_id.as_str());
    assert_eq!(
        last["request"]["userAttributes"]["email"],
        "cara@example.com"
    );
    assert_eq!(last["request"]["clientMetadata"]["app"], "tests");
    assert_eq!(
        last["request"]["session"],
        json!([
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false, "challengeMetadata": "CODE-0"},
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "CODE-1"},
        ])
    );
}

#[tokio::test]
async fn three_wrong_answers_fail_and_a_used_session_is_refused() {
    let f = fixture().await;
    let (_, mut c) = f.initiate(json!({"USERNAME": "cara"})).await;
    for _ in 0..2 {
        let (s, next) = f.answer(&c["Session"], "0000").await;
        assert_eq!(s, 200, "{next}");
        let (s, reused) = f.answer(&c["Session"], SECRET_CODE).await;
        assert_eq!(
            (s, reused["__type"].as_str()),
            (400, Some("NotAuthorizedException"))
        );
        c = next;
    }
    let (s, b) = f.answer(&c["Session"], "0000").await;
    assert_eq!(s, 400);
    assert_eq!(b["__type"], "NotAuthorizedException");
    assert_eq!(b["message"], "Incorrect username or password.");
}

#[tokio::test]
async fn custom_with_srp_verifies_the_password_first() {
    let f = fixture().await;
    let srp = SrpClient::new();
    let (s, pv) = f
        .initiate(json!({"USERNAME": "cara", "CHALLENGE_NAME": "SRP_A", "SRP_A": srp.srp_a()}))
        .await;
    assert_eq!(s, 200, "{pv}");
    assert_eq!(pv["ChallengeName"], "PASSWORD_VERIFIER");
    let now = f.server.clock().now().as_secs();
    let responses = srp.answer(&pv["ChallengeParameters"], &f.pool_id, PASSWORD, now);
    let (s, c) = f
        .server
        .json(
            "RespondToAuthChallenge",
            &json!({"ClientId": f.client_id, "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeResponses": responses}),
        )
        .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["ChallengeName"], "CUSTOM_CHALLENGE");
    let (s, done) = f.answer(&c["Session"], SECRET_CODE).await;
    assert_eq!(s, 200, "{done}");
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    let first_define_session = f
        .hooks
        .events()
        .into_iter()
        .find(|e| e["triggerSource"] == "DefineAuthChallenge_Authentication")
        .unwrap()["request"]["session"]
        .clone();
    assert_eq!(
        first_define_session,
        json!([{"challengeName": "SRP_A", "challengeResult": true}])
    );

    // A wrong password never reaches the custom challenge.
    let srp = SrpClient::new();
    let (_, pv) = f
        .initiate(json!({"USERNAME": "cara", "CHALLENGE_NAME": "SRP_A", "SRP_A": srp.srp_a()}))
        .await;
    let responses = srp.answer(
        &pv["ChallengeParameters"],
        &f.pool_id,
        "Wrong-Horse-9!",
        now,
    );
    let (s, b) = f
        .server
        .json(
            "RespondToAuthChallenge",
            &json!({"ClientId": f.client_id, "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeResponses": responses}),
        )
        .await;
    assert_eq!(
        (s, b["message"].as_str()),
        (400, Some("Incorrect username or password."))
    );
}

#[tokio::test]
async fn trigger_failures_answer_cognitos_errors_and_leave_the_session_usable() {
    let f = fixture().await;
    let (_, c) = f.initiate(json!({"USERNAME": "cara"})).await;

    f.set_slot("VerifyAuthChallengeResponse", "/refuse").await;
    let (s, b) = f.answer(&c["Session"], SECRET_CODE).await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["__type"], "UserLambdaValidationException");
    assert_eq!(
        b["message"],
        "VerifyAuthChallengeResponse failed with error Sign-in is closed today."
    );

    f.set_slot("VerifyAuthChallengeResponse", "/garbage").await;
    let (s, b) = f.answer(&c["Session"], SECRET_CODE).await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("UnexpectedLambdaException")),
        "{b}"
    );

    f.set_slot("VerifyAuthChallengeResponse", "/slow").await;
    let started = std::time::Instant::now();
    let (s, b) = f.answer(&c["Session"], SECRET_CODE).await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("UnexpectedLambdaException")),
        "{b}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(7),
        "the 5-second timeout applies"
    );

    // None of the failures used the session up: with a working trigger it still works.
    f.set_slot("VerifyAuthChallengeResponse", "/verify").await;
    let (s, done) = f.answer(&c["Session"], SECRET_CODE).await;
    assert_eq!(s, 200, "{done}");

    // Every call was counted by outcome: one refusal, two failures (garbage, timeout).
    let stats: Value = f
        .server
        .http()
        .get(format!("{}/admin/trigger-stats", f.server.url()))
        .basic_auth(f.server.access_key_id(), Some(f.server.secret_access_key()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (stats["Rejected"].as_u64(), stats["Failed"].as_u64()),
        (Some(1), Some(2)),
        "{stats}"
    );
    assert!(stats["Ok"].as_u64().unwrap() >= 4, "{stats}");
}

#[tokio::test]
async fn an_unmapped_arn_is_refused_when_the_pool_is_saved() {
    let f = fixture().await;
    let (s, b) = f
        .server
        .json(
            "CreateUserPool",
            &json!({"PoolName": "x", "LambdaConfig": {
                "PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:nowhere"}}),
        )
        .await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("[triggers.arn_map]"),
        "{b}"
    );
    // CUSTOM_AUTH on a pool without the challenge triggers.
    let (s, pool) = f
        .server
        .json("CreateUserPool", &json!({"PoolName": "plain"}))
        .await;
    assert_eq!(s, 200);
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap();
    let (_, client) = f
        .server
        .json(
            "CreateUserPoolClient",
            &json!({"UserPoolId": pool_id, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH"]}),
        )
        .await;
    let (s, b) = f
        .server
        .json(
            "InitiateAuth",
            &json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": client["UserPoolClient"]["ClientId"],
                "AuthParameters": {"USERNAME": "cara"}}),
        )
        .await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("InvalidParameterException")),
        "{b}"
    );
}
