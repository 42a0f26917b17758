//! Sign-in through HTTP with raw JSON: SRP done by hand (with keystep-srp's client role),
//! sessions that work once, MFA codes from the outbox, the server's clock moved to
//! expire things, tokens refreshed, revoked and signed out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use keystep_testkit::TestServer;
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";

struct Fixture {
    server: TestServer,
    pool_id: String,
    client_id: String,
}

impl Fixture {
    /// A pool (MFA as given) and a client allowing every password flow.
    async fn new(mfa: &str) -> Fixture {
        Fixture::with_limits(mfa, Default::default()).await
    }

    /// [`Fixture::new`] on a server with the given hourly budgets.
    async fn with_limits(mfa: &str, abuse_limits: keystep_core::limits::Limits) -> Fixture {
        let server = TestServer::start_with(keystep_testkit::TestOptions {
            dev_pool: false,
            abuse_limits,
            ..Default::default()
        })
        .await;
        let (s, pool) = server
            .json(
                "CreateUserPool",
                &json!({"PoolName": "signin", "MfaConfiguration": "OFF"}),
            )
            .await;
        assert_eq!(s, 200, "{pool}");
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
        if mfa != "OFF" {
            let (s, b) = server
                .json(
                    "SetUserPoolMfaConfig",
                    &json!({"UserPoolId": pool_id, "MfaConfiguration": mfa,
                        "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}},
                        "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
        }
        let client_id = server
            .create_client(&json!({"UserPoolId": pool_id, "ClientName": "web",
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}))
            .await;
        Fixture {
            server,
            pool_id,
            client_id,
        }
    }

    async fn user(&self, name: &str, attributes: Value) {
        self.server
            .confirmed_user(&self.pool_id, name, PASSWORD, attributes)
            .await;
    }

    async fn password_auth(&self, name: &str, password: &str) -> (u16, Value) {
        self.server
            .json(
                "InitiateAuth",
                &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.client_id,
                    "AuthParameters": {"USERNAME": name, "PASSWORD": password}}),
            )
            .await
    }

    async fn respond(&self, name: &str, session: &Value, responses: Value) -> (u16, Value) {
        self.server
            .json(
                "RespondToAuthChallenge",
                &json!({"ClientId": self.client_id, "ChallengeName": name,
                    "Session": session, "ChallengeResponses": responses}),
            )
            .await
    }

    /// InitiateAuth USER_SRP_AUTH, then the PASSWORD_VERIFIER answer for `password`
    /// (without a Session, as pycognito sends it). Returns the answer's request body too,
    /// so a test can replay it.
    async fn srp(&self, name: &str, password: &str) -> (u16, Value, Value) {
        let srp = keystep_testkit::SrpClient::new();
        let (s, challenge) = self
            .server
            .json(
                "InitiateAuth",
                &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": self.client_id,
                    "AuthParameters": {"USERNAME": name, "SRP_A": srp.srp_a()}}),
            )
            .await;
        assert_eq!(s, 200, "{challenge}");
        assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
        let now = self.server.clock().now_secs();
        let responses = srp.answer(
            &challenge["ChallengeParameters"],
            &self.pool_id,
            password,
            now,
        );
        let body = json!({"ClientId": self.client_id, "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": responses});
        let (s, answer) = self.server.json("RespondToAuthChallenge", &body).await;
        (s, answer, body)
    }

    async fn sms_code(&self, username: &str) -> String {
        self.server
            .last_code(&self.pool_id, username)
            .await
            .expect("a code in the outbox")
    }
}

fn claims(jwt: &Value) -> Value {
    let payload = jwt.as_str().unwrap().split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn error(body: &Value) -> (&str, &str) {
    (
        body["__type"].as_str().unwrap_or(""),
        body["message"].as_str().unwrap_or(""),
    )
}

trait NowSecs {
    fn now_secs(&self) -> i64;
}

impl NowSecs for keystep_testkit::ManualClock {
    fn now_secs(&self) -> i64 {
        use keystep_core::ports::Clock;
        self.now().as_secs()
    }
}

#[tokio::test]
async fn srp_signs_in_without_a_session_and_a_secret_block_works_once() {
    let f = Fixture::new("OFF").await;
    f.user(
        "alice",
        json!([{"Name": "email", "Value": "alice@example.com"}]),
    )
    .await;
    let (s, answer, replay) = f.srp("alice", PASSWORD).await;
    assert_eq!(s, 200, "{answer}");
    let result = &answer["AuthenticationResult"];
    assert_eq!(result["TokenType"], "Bearer");
    assert!(result["RefreshToken"].as_str().unwrap().len() >= 60);
    let id = claims(&result["IdToken"]);
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["aud"], f.client_id.as_str());
    assert_eq!(id["email"], "alice@example.com");
    let access = claims(&result["AccessToken"]);
    assert_eq!(access["token_use"], "access");
    assert!(access.get("aud").is_none());
    assert_eq!(access["iss"], format!("{}/{}", f.server.url(), f.pool_id));

    let (s, again) = f.server.json("RespondToAuthChallenge", &replay).await;
    assert_eq!(s, 400);
    assert_eq!(
        error(&again),
        (
            "NotAuthorizedException",
            "Invalid session for the user, session is expired."
        )
    );

    let (s, wrong, _) = f.srp("alice", "Wrong-Horse-9!").await;
    assert_eq!(s, 400);
    assert_eq!(
        error(&wrong),
        ("NotAuthorizedException", "Incorrect username or password.")
    );

    let (s, me) = f
        .server
        .json("GetUser", &json!({"AccessToken": result["AccessToken"]}))
        .await;
    assert_eq!(s, 200, "{me}");
    assert_eq!(me["Username"], "alice");
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_user_out_until_time_passes() {
    let f = Fixture::new("OFF").await;
    f.user("bob", json!([])).await;
    for _ in 0..5 {
        let (s, b) = f.password_auth("bob", "Nope-nope-9!").await;
        assert_eq!((s, error(&b).1), (400, "Incorrect username or password."));
    }
    let (s, b) = f.password_auth("bob", PASSWORD).await;
    assert_eq!(
        (s, error(&b)),
        (
            400,
            ("NotAuthorizedException", "Password attempts exceeded")
        )
    );
    f.server.clock().advance(Duration::from_secs(2));
    let (s, b) = f.password_auth("bob", PASSWORD).await;
    assert_eq!(s, 200, "{b}");
    assert!(b["AuthenticationResult"]["AccessToken"].is_string());
}

#[tokio::test]
async fn sms_mfa_code_retries_on_the_same_session_and_the_session_works_once() {
    let f = Fixture::new("ON").await;
    f.user(
        "carol",
        json!([{"Name": "phone_number", "Value": "+15555550123"},
               {"Name": "phone_number_verified", "Value": "true"}]),
    )
    .await;
    let (s, challenge) = f.password_auth("carol", PASSWORD).await;
    assert_eq!(s, 200, "{challenge}");
    assert_eq!(challenge["ChallengeName"], "SMS_MFA");
    let p = &challenge["ChallengeParameters"];
    assert_eq!(p["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS");
    let masked = p["CODE_DELIVERY_DESTINATION"].as_str().unwrap();
    assert!(
        masked.ends_with("0123") && !masked.contains("555555"),
        "{masked}"
    );
    let session = challenge["Session"].clone();
    let code = f.sms_code("carol").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let (s, b) = f
        .respond(
            "SMS_MFA",
            &session,
            json!({"USERNAME": "carol", "SMS_MFA_CODE": wrong}),
        )
        .await;
    assert_eq!(
        (s, error(&b)),
        (
            400,
            (
                "CodeMismatchException",
                "Invalid code or auth state for the user."
            )
        )
    );
    let (s, b) = f
        .respond(
            "SMS_MFA",
            &session,
            json!({"USERNAME": "carol", "SMS_MFA_CODE": code}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert!(b["AuthenticationResult"]["IdToken"].is_string());
    let (s, b) = f
        .respond(
            "SMS_MFA",
            &session,
            json!({"USERNAME": "carol", "SMS_MFA_CODE": code}),
        )
        .await;
    assert_eq!((s, error(&b).0), (400, "NotAuthorizedException"));
}

#[tokio::test]
async fn a_session_expires_after_the_clients_auth_session_validity() {
    let f = Fixture::new("ON").await;
    f.user(
        "dave",
        json!([{"Name": "phone_number", "Value": "+15555550124"},
               {"Name": "phone_number_verified", "Value": "true"}]),
    )
    .await;
    let (_, challenge) = f.password_auth("dave", PASSWORD).await;
    let code = f.sms_code("dave").await;
    f.server.clock().advance(Duration::from_secs(3 * 60 + 1));
    let (s, b) = f
        .respond(
            "SMS_MFA",
            &challenge["Session"],
            json!({"USERNAME": "dave", "SMS_MFA_CODE": code}),
        )
        .await;
    assert_eq!(
        (s, error(&b)),
        (
            400,
            (
                "NotAuthorizedException",
                "Invalid session for the user, session is expired."
            )
        )
    );
}

#[tokio::test]
async fn refresh_revoke_and_global_sign_out() {
    let f = Fixture::new("OFF").await;
    f.user("erin", json!([])).await;
    let (_, b) = f.password_auth("erin", PASSWORD).await;
    let first = b["AuthenticationResult"].clone();
    let refresh = first["RefreshToken"].clone();

    let (s, r) = f
        .server
        .json(
            "GetTokensFromRefreshToken",
            &json!({"ClientId": f.client_id, "RefreshToken": refresh}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let refreshed = &r["AuthenticationResult"];
    assert!(refreshed.get("RefreshToken").is_none());
    assert_eq!(
        claims(&refreshed["AccessToken"])["origin_jti"],
        claims(&first["AccessToken"])["origin_jti"]
    );

    let (s, r) = f
        .server
        .json(
            "RevokeToken",
            &json!({"ClientId": f.client_id, "Token": refresh}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = f
        .server
        .json(
            "InitiateAuth",
            &json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": f.client_id,
                "AuthParameters": {"REFRESH_TOKEN": refresh}}),
        )
        .await;
    assert_eq!((s, error(&r).0), (400, "NotAuthorizedException"));
    let (s, r) = f
        .server
        .json("GetUser", &json!({"AccessToken": refreshed["AccessToken"]}))
        .await;
    assert_eq!(
        (s, error(&r)),
        (
            400,
            ("NotAuthorizedException", "Access Token has been revoked")
        )
    );

    let (_, b) = f.password_auth("erin", PASSWORD).await;
    let second = b["AuthenticationResult"].clone();
    let (s, r) = f
        .server
        .json(
            "GlobalSignOut",
            &json!({"AccessToken": second["AccessToken"]}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = f
        .server
        .json("GetUser", &json!({"AccessToken": second["AccessToken"]}))
        .await;
    assert_eq!((s, error(&r).0), (400, "NotAuthorizedException"));
    let (s, r) = f
        .server
        .json(
            "GetTokensFromRefreshToken",
            &json!({"ClientId": f.client_id, "RefreshToken": second["RefreshToken"]}),
        )
        .await;
    assert_eq!((s, error(&r).0), (400, "NotAuthorizedException"));
}

#[tokio::test]
async fn sign_in_codes_have_an_hourly_budget_and_a_right_password_is_never_counted() {
    let f = Fixture::with_limits(
        "ON",
        keystep_core::limits::Limits {
            sign_in_codes_per_hour: 3,
            ..Default::default()
        },
    )
    .await;
    f.user(
        "sam",
        json!([{"Name": "phone_number", "Value": "+15555550100"},
               {"Name": "phone_number_verified", "Value": "true"}]),
    )
    .await;
    for _ in 0..3 {
        let (s, b) = f.password_auth("sam", PASSWORD).await;
        assert_eq!(
            (s, b["ChallengeName"].as_str()),
            (200, Some("SMS_MFA")),
            "{b}"
        );
    }
    // Past the budget no SMS goes out — and a right password is not counted as a
    // failure, so it never turns into a lockout however often it is tried.
    for _ in 0..7 {
        let (s, b) = f.password_auth("sam", PASSWORD).await;
        assert_eq!(s, 400, "{b}");
        assert_eq!(
            error(&b),
            (
                "LimitExceededException",
                "Attempt limit exceeded, please try after some time."
            )
        );
    }
    assert_eq!(f.server.outbox(&f.pool_id, "sam").await.len(), 3);
    // The hour rolls: an hour after the first code, one more may go.
    f.server.clock().advance(Duration::from_secs(3601));
    let (s, b) = f.password_auth("sam", PASSWORD).await;
    assert_eq!(
        (s, b["ChallengeName"].as_str()),
        (200, Some("SMS_MFA")),
        "{b}"
    );
}
