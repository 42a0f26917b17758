//! The other trigger slots, each proved by its effect: PreSignUp (refusal leaves no
//! user; auto-confirm and auto-verify), PostConfirmation, PreAuthentication,
//! PostAuthentication, PreTokenGeneration V1 and V2 (claims in the tokens),
//! CustomMessage (the text of the code message) and UserMigration (a migrated user
//! signs in, then signs in again with SRP).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use keystep_core::ports::Clock;
use keystep_testkit::{SrpClient, TestOptions, TestServer};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";
const LEGACY_PASSWORD: &str = "Legacy-Pass-1!";

type Seen = Arc<Mutex<Vec<Value>>>;
type Answer = (StatusCode, Json<Value>);

fn record(seen: &Seen, e: &Value) {
    seen.lock().unwrap().push(e.clone());
}

fn ok(mut e: Value, response: Value) -> Answer {
    e["response"] = response;
    (StatusCode::OK, Json(e))
}

fn refuse(message: &str) -> Answer {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"errorType": "Error", "errorMessage": message})),
    )
}

async fn pre_sign_up(State(seen): State<Seen>, Json(e): Json<Value>) -> Answer {
    record(&seen, &e);
    let email = e["request"]["userAttributes"]["email"]
        .as_str()
        .unwrap_or("");
    if email.ends_with("@blocked.example") {
        return refuse("Sign-ups from this domain are closed");
    }
    let trusted = email.ends_with("@trusted.example");
    ok(
        e,
        json!({"autoConfirmUser": trusted, "autoVerifyEmail": trusted, "autoVerifyPhone": false}),
    )
}

async fn post_confirmation(State(seen): State<Seen>, Json(e): Json<Value>) -> Answer {
    record(&seen, &e);
    ok(e, json!({}))
}

async fn pre_authentication(State(seen): State<Seen>, Json(e): Json<Value>) -> Answer {
    record(&seen, &e);
    if e["request"]["validationData"]["deny"] == "yes" {
        return refuse("Not today");
    }
    ok(e, json!({}))
}

async fn post_authentication(State(seen): State<Seen>, Json(e): Json<Value>) -> Answer {
    record(&seen, &e);
    ok(e, json!({}))
}

async fn pre_token_v1(State(seen): State<Seen>, Json(e): Json<Value>) -> Answer {
    record(&seen, &e);
    ok(
        e,
        json!({"claimsOverrideDetails": {
            "claimsToAddOrOverride": {"tier": "gold", "sub": "forged"},
            "claimsToSuppress": ["email"],
            "groupOverrideDetails": {"groupsToOverride": ["vip"]},
        }}),
    )
}

async fn pre_token_v2(State(seen): State<Seen>, Json(e): Json<Value>) -> Answer {
    record(&seen, &e);
    ok(
        e,
        json!({"claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {"claimsToAddOrOverride": {"tier": "gold"}},
            "accessTokenGeneration": {
                "claimsToAddOrOverride": {"plan": {"level": 3}},
                "scopesToAdd": ["orders/read"],
            },
        }}),
    )
}

async fn custom_message(State(seen): State<Seen>, Json(e): Json<Value>) -> Answer {
    record(&seen, &e);
    ok(
        e,
        json!({"smsMessage": "Keystep test SMS {####}",
               "emailMessage": "Keystep test code: {####}",
               "emailSubject": "Your Keystep code"}),
    )
}

async fn migrate(State(seen): State<Seen>, Json(e): Json<Value>) -> Answer {
    record(&seen, &e);
    let known = e["userName"] == "legacy";
    let password_ok = e["request"]["password"] == LEGACY_PASSWORD;
    if e["triggerSource"] == "UserMigration_Authentication" && !(known && password_ok) {
        return refuse("Bad password");
    }
    if !known {
        return refuse("No such user in the old system");
    }
    ok(
        e,
        json!({"userAttributes": {"email": "legacy@example.com", "email_verified": "true"},
               "finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}),
    )
}

struct Fixture {
    server: TestServer,
    hooks: String,
    seen: Seen,
}

async fn fixture() -> Fixture {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/pre-sign-up", post(pre_sign_up))
        .route("/post-confirmation", post(post_confirmation))
        .route("/pre-authentication", post(pre_authentication))
        .route("/post-authentication", post(post_authentication))
        .route("/pre-token-v1", post(pre_token_v1))
        .route("/pre-token-v2", post(pre_token_v2))
        .route("/custom-message", post(custom_message))
        .route("/migrate", post(migrate))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hooks = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let server = TestServer::start_with(TestOptions {
        dev_pool: false,
        ..Default::default()
    })
    .await;
    Fixture {
        server,
        hooks,
        seen,
    }
}

impl Fixture {
    /// A pool with `lambda` (paths on the hook server) and a client allowing password
    /// flows; returns (pool id, client id).
    async fn pool(&self, lambda: Value) -> (String, String) {
        let mut config = serde_json::Map::new();
        for (slot, path) in lambda.as_object().unwrap() {
            let value = match path {
                Value::String(p) => json!(format!("{}{p}", self.hooks)),
                Value::Object(o) => {
                    let mut o = o.clone();
                    o["LambdaArn"] = json!(format!(
                        "{}{}",
                        self.hooks,
                        o["LambdaArn"].as_str().unwrap()
                    ));
                    Value::Object(o)
                }
                other => other.clone(),
            };
            config.insert(slot.clone(), value);
        }
        let (s, pool) = self
            .server
            .json(
                "CreateUserPool",
                &json!({"PoolName": "hooks", "AutoVerifiedAttributes": ["email"],
                    "LambdaConfig": config}),
            )
            .await;
        assert_eq!(s, 200, "{pool}");
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
        let client_id = self
            .server
            .create_client(
                &json!({"UserPoolId": pool_id, "ClientName": "web", "ExplicitAuthFlows":
                ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
            )
            .await;
        (pool_id, client_id)
    }

    async fn sign_up(&self, client_id: &str, username: &str, email: &str) -> (u16, Value) {
        self.server
            .json(
                "SignUp",
                &json!({"ClientId": client_id, "Username": username, "Password": PASSWORD,
                    "UserAttributes": [{"Name": "email", "Value": email}]}),
            )
            .await
    }

    async fn password_auth(
        &self,
        client_id: &str,
        user: &str,
        password: &str,
        meta: Value,
    ) -> (u16, Value) {
        self.server
            .json(
                "InitiateAuth",
                &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                    "AuthParameters": {"USERNAME": user, "PASSWORD": password},
                    "ClientMetadata": meta}),
            )
            .await
    }

    fn events(&self, source: &str) -> Vec<Value> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e["triggerSource"] == source)
            .cloned()
            .collect()
    }
}

fn claims(jwt: &Value) -> Value {
    let payload = jwt.as_str().unwrap().split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn pre_sign_up_refuses_or_auto_confirms_and_post_confirmation_follows() {
    let f = fixture().await;
    let (pool_id, client_id) = f
        .pool(json!({"PreSignUp": "/pre-sign-up", "PostConfirmation": "/post-confirmation"}))
        .await;

    let (s, b) = f.sign_up(&client_id, "mallory", "m@blocked.example").await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["__type"], "UserLambdaValidationException");
    assert_eq!(
        b["message"],
        "PreSignUp failed with error Sign-ups from this domain are closed."
    );
    let (s, b) = f
        .server
        .json(
            "AdminGetUser",
            &json!({"UserPoolId": pool_id, "Username": "mallory"}),
        )
        .await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("UserNotFoundException")),
        "no user left"
    );

    let (s, b) = f.sign_up(&client_id, "tess", "tess@trusted.example").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["UserConfirmed"], true);
    assert!(b.get("CodeDeliveryDetails").is_none(), "{b}");
    let (_, user) = f
        .server
        .json(
            "AdminGetUser",
            &json!({"UserPoolId": pool_id, "Username": "tess"}),
        )
        .await;
    assert_eq!(user["UserStatus"], "CONFIRMED");
    assert!(user["UserAttributes"]
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "email_verified", "Value": "true"})));
    let pre = f.events("PreSignUp_SignUp");
    assert_eq!(
        pre.last().unwrap()["callerContext"]["clientId"],
        client_id.as_str()
    );

    let (s, b) = f.sign_up(&client_id, "olga", "olga@example.com").await;
    assert_eq!((s, b["UserConfirmed"].as_bool()), (200, Some(false)));
    let code = f.server.last_code(&pool_id, "olga").await.unwrap();
    let (s, b) = f
        .server
        .json(
            "ConfirmSignUp",
            &json!({"ClientId": client_id, "Username": "olga", "ConfirmationCode": code,
                "ClientMetadata": {"source": "test"}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let post = f.events("PostConfirmation_ConfirmSignUp");
    assert_eq!(post.len(), 1);
    assert_eq!(post[0]["userName"], "olga");
    assert_eq!(
        post[0]["request"]["userAttributes"]["cognito:user_status"],
        "CONFIRMED"
    );
    assert_eq!(post[0]["request"]["clientMetadata"]["source"], "test");

    // A refused AdminCreateUser creates nobody either.
    let (s, b) = f
        .server
        .json(
            "AdminCreateUser",
            &json!({"UserPoolId": pool_id, "Username": "eve", "MessageAction": "SUPPRESS",
                "UserAttributes": [{"Name": "email", "Value": "eve@blocked.example"}]}),
        )
        .await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("UserLambdaValidationException"))
    );
    assert_eq!(f.events("PreSignUp_AdminCreateUser").len(), 1);
}

#[tokio::test]
async fn pre_and_post_authentication_and_pre_token_generation_v1() {
    let f = fixture().await;
    let (pool_id, client_id) = f
        .pool(json!({"PreAuthentication": "/pre-authentication",
            "PostAuthentication": "/post-authentication",
            "PreTokenGeneration": "/pre-token-v1"}))
        .await;
    for (op, body) in [
        (
            "AdminCreateUser",
            json!({"UserPoolId": pool_id, "Username": "pat", "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": "email", "Value": "pat@example.com"}]}),
        ),
        (
            "AdminSetUserPassword",
            json!({"UserPoolId": pool_id, "Username": "pat", "Password": PASSWORD, "Permanent": true}),
        ),
        (
            "CreateGroup",
            json!({"UserPoolId": pool_id, "GroupName": "staff"}),
        ),
        (
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool_id, "Username": "pat", "GroupName": "staff"}),
        ),
    ] {
        let (s, b) = f.server.json(op, &body).await;
        assert_eq!(s, 200, "{op}: {b}");
    }
    let (s, b) = f
        .password_auth(&client_id, "pat", PASSWORD, json!({"deny": "yes"}))
        .await;
    assert_eq!(
        (s, b["message"].as_str()),
        (400, Some("PreAuthentication failed with error Not today."))
    );
    assert!(f.events("PostAuthentication_Authentication").is_empty());

    let (s, b) = f
        .password_auth(&client_id, "pat", PASSWORD, json!({"app": "web"}))
        .await;
    assert_eq!(s, 200, "{b}");
    let id = claims(&b["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["tier"], "gold");
    assert!(id.get("email").is_none(), "suppressed");
    assert_ne!(id["sub"], "forged", "reserved claims stay");
    assert_eq!(id["cognito:groups"], json!(["vip"]));
    let access = claims(&b["AuthenticationResult"]["AccessToken"]);
    assert!(access.get("tier").is_none(), "V1 changes the ID token only");
    assert_eq!(access["cognito:groups"], json!(["vip"]));

    let pre_auth = f.events("PreAuthentication_Authentication");
    assert_eq!(
        pre_auth.last().unwrap()["request"]["validationData"]["app"],
        "web"
    );
    assert_eq!(f.events("PostAuthentication_Authentication").len(), 1);
    let ptg = f.events("TokenGeneration_Authentication");
    assert_eq!(
        ptg[0]["request"]["groupConfiguration"]["groupsToOverride"],
        json!(["staff"])
    );
    assert_eq!(ptg[0]["version"], "1");
    assert_eq!(ptg[0]["request"]["clientMetadata"]["app"], "web");

    let (s, r) = f
        .server
        .json(
            "GetTokensFromRefreshToken",
            &json!({"ClientId": client_id, "RefreshToken": b["AuthenticationResult"]["RefreshToken"]}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        claims(&r["AuthenticationResult"]["IdToken"])["tier"],
        "gold"
    );
    assert_eq!(f.events("TokenGeneration_RefreshTokens").len(), 1);
}

#[tokio::test]
async fn pre_token_generation_v2_changes_the_access_token_too() {
    let f = fixture().await;
    let (pool_id, client_id) = f
        .pool(json!({"PreTokenGenerationConfig": {"LambdaArn": "/pre-token-v2", "LambdaVersion": "V2_0"}}))
        .await;
    for (op, body) in [
        (
            "AdminCreateUser",
            json!({"UserPoolId": pool_id, "Username": "vic", "MessageAction": "SUPPRESS"}),
        ),
        (
            "AdminSetUserPassword",
            json!({"UserPoolId": pool_id, "Username": "vic", "Password": PASSWORD, "Permanent": true}),
        ),
    ] {
        let (s, b) = f.server.json(op, &body).await;
        assert_eq!(s, 200, "{op}: {b}");
    }
    let (s, b) = f
        .password_auth(&client_id, "vic", PASSWORD, json!({}))
        .await;
    assert_eq!(s, 200, "{b}");
    let access = claims(&b["AuthenticationResult"]["AccessToken"]);
    assert_eq!(access["plan"], json!({"level": 3}));
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin orders/read");
    assert_eq!(
        claims(&b["AuthenticationResult"]["IdToken"])["tier"],
        "gold"
    );
    let ev = f.events("TokenGeneration_Authentication");
    assert_eq!(ev[0]["version"], "2");
    assert_eq!(
        ev[0]["request"]["scopes"],
        json!(["aws.cognito.signin.user.admin"])
    );
    // The access token still works on Keystep's own operations.
    let (s, me) = f
        .server
        .json(
            "GetUser",
            &json!({"AccessToken": b["AuthenticationResult"]["AccessToken"]}),
        )
        .await;
    assert_eq!(s, 200, "{me}");
}

#[tokio::test]
async fn custom_message_writes_the_code_message() {
    let f = fixture().await;
    let (pool_id, client_id) = f.pool(json!({"CustomMessage": "/custom-message"})).await;
    let (s, b) = f.sign_up(&client_id, "cm", "cm@example.com").await;
    assert_eq!(s, 200, "{b}");
    let outbox = f.server.outbox(&pool_id, "cm").await;
    let message = &outbox.last().unwrap().message;
    let code = message.code.clone().unwrap();
    assert_eq!(message.body, format!("Keystep test code: {code}"));
    assert_eq!(message.subject.as_deref(), Some("Your Keystep code"));
    let ev = f.events("CustomMessage_SignUp");
    assert_eq!(ev[0]["request"]["codeParameter"], "{####}");
}

#[tokio::test]
async fn user_migration_creates_the_user_who_then_signs_in_with_srp() {
    let f = fixture().await;
    let (pool_id, client_id) = f.pool(json!({"UserMigration": "/migrate"})).await;

    let (s, b) = f
        .password_auth(&client_id, "legacy", "Wrong-Pass-1!", json!({}))
        .await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("UserLambdaValidationException")),
        "{b}"
    );
    let (s, _) = f
        .server
        .json(
            "AdminGetUser",
            &json!({"UserPoolId": pool_id, "Username": "legacy"}),
        )
        .await;
    assert_eq!(s, 400, "a refused migration creates nobody");

    let (s, b) = f
        .password_auth(&client_id, "legacy", LEGACY_PASSWORD, json!({}))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        claims(&b["AuthenticationResult"]["IdToken"])["email"],
        "legacy@example.com"
    );
    assert_eq!(f.events("UserMigration_Authentication").len(), 2);

    // Migrated once: SRP works with the same password, and the trigger is not asked again.
    let srp = SrpClient::new();
    let (s, pv) = f
        .server
        .json(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                "AuthParameters": {"USERNAME": "legacy", "SRP_A": srp.srp_a()}}),
        )
        .await;
    assert_eq!(s, 200, "{pv}");
    let now = f.server.clock().now().as_secs();
    let responses = srp.answer(&pv["ChallengeParameters"], &pool_id, LEGACY_PASSWORD, now);
    let (s, done) = f
        .server
        .json(
            "RespondToAuthChallenge",
            &json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeResponses": responses}),
        )
        .await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(f.events("UserMigration_Authentication").len(), 2);

    // ForgotPassword for an unknown user asks the trigger too.
    let (s, b) = f
        .server
        .json(
            "ForgotPassword",
            &json!({"ClientId": client_id, "Username": "nobody"}),
        )
        .await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("UserLambdaValidationException")),
        "{b}"
    );
    assert_eq!(f.events("UserMigration_ForgotPassword").len(), 1);
}
