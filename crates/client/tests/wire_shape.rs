//! Exactly what keystep-client puts on the wire, flow by flow: a recording proxy in front of
//! the in-process Keystep server keeps every request, and each is checked against the
//! protocol notes (§2.4 challenge catalogue, §2.5 worked exchanges): the `X-Amz-Target`,
//! the request's JSON members and the `AuthParameters` / `ChallengeResponses` keys. The
//! SRP answer itself is checked on the known-answer vector (§4.8, `srp-test-vectors.json`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use keystep_client::{
    Auth, AuthConfig, AuthFlow, ConfirmSignInOptions, FetchAuthSessionOptions, SignInOptions,
    SignInStep, SignOutOptions,
};
use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";
const VECTORS: &str = include_str!("data/srp-test-vectors.json");

/// One request as the proxy saw it.
#[derive(Debug, Clone)]
struct Seen {
    target: String,
    content_type: String,
    body: Value,
}

impl Seen {
    /// The operation, without the service prefix (which must be there).
    fn op(&self) -> &str {
        self.target
            .strip_prefix("AWSCognitoIdentityProviderService.")
            .unwrap_or_else(|| panic!("bad X-Amz-Target {}", self.target))
    }

    fn members(&self) -> BTreeSet<String> {
        self.body.as_object().unwrap().keys().cloned().collect()
    }

    fn map_keys(&self, member: &str) -> BTreeSet<String> {
        self.body[member]
            .as_object()
            .unwrap_or_else(|| panic!("no {member} in {}", self.body))
            .keys()
            .cloned()
            .collect()
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A proxy that records every request and forwards it unchanged.
async fn recording_proxy(target: String) -> (String, Log) {
    let log: Log = Arc::default();
    let keep = log.clone();
    let http = reqwest::Client::new();
    let app = axum::Router::new().fallback(
        move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let (http, target, keep) = (http.clone(), target.clone(), keep.clone());
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                keep.lock().unwrap().push(Seen {
                    target: header("x-amz-target"),
                    content_type: header("content-type"),
                    body: serde_json::from_slice(&body).unwrap(),
                });
                let resp = http
                    .post(format!("{target}/"))
                    .header("content-type", header("content-type"))
                    .header("x-amz-target", header("x-amz-target"))
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = axum::http::StatusCode::from_u16(resp.status().as_u16()).unwrap();
                (status, resp.text().await.unwrap())
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, log)
}

struct Fixture {
    server: TestServer,
    pool_id: String,
    proxy: String,
    log: Log,
}

impl Fixture {
    async fn new(sms_mfa: bool) -> Fixture {
        let server = TestServer::start_with(TestOptions {
            dev_pool: false,
            live_clock: true,
            ..Default::default()
        })
        .await;
        let (s, pool) = server
            .json(
                "CreateUserPool",
                &json!({"PoolName": "wire", "MfaConfiguration": "OFF"}),
            )
            .await;
        assert_eq!(s, 200, "{pool}");
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
        if sms_mfa {
            let (s, b) = server
                .json(
                    "SetUserPoolMfaConfig",
                    &json!({"UserPoolId": pool_id, "MfaConfiguration": "ON",
                        "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}}}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
        }
        let (proxy, log) = recording_proxy(server.url().to_string()).await;
        Fixture {
            server,
            pool_id,
            proxy,
            log,
        }
    }

    async fn client(&self, secret: bool) -> AuthConfig {
        let (s, client) = self
            .server
            .json(
                "CreateUserPoolClient",
                &json!({"UserPoolId": self.pool_id, "ClientName": "wire", "GenerateSecret": secret,
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
            )
            .await;
        assert_eq!(s, 200, "{client}");
        AuthConfig {
            user_pool_id: self.pool_id.clone(),
            client_id: client["UserPoolClient"]["ClientId"]
                .as_str()
                .unwrap()
                .to_string(),
            client_secret: client["UserPoolClient"]["ClientSecret"]
                .as_str()
                .map(str::to_string),
            endpoint: Some(self.proxy.clone()),
            region: "us-east-1".into(),
        }
    }

    async fn admin(&self, op: &str, body: Value) {
        let (s, b) = self.server.json(op, &body).await;
        assert_eq!(s, 200, "{op}: {b}");
    }

    async fn user(&self, name: &str, attributes: Value) {
        self.server
            .confirmed_user(&self.pool_id, name, PASSWORD, attributes)
            .await;
    }

    /// The requests recorded since the last call.
    fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

fn ops(seen: &[Seen]) -> Vec<&str> {
    seen.iter().map(Seen::op).collect()
}

/// Every request is an awsJson 1.1 POST.
fn all_json_1_1(seen: &[Seen]) {
    for s in seen {
        assert_eq!(s.content_type, "application/x-amz-json-1.1", "{s:?}");
    }
}

#[tokio::test]
async fn srp_sign_in_then_sms_mfa_without_a_secret() {
    let f = Fixture::new(true).await;
    f.user(
        "dora",
        json!([{"Name": "phone_number", "Value": "+15555550123"},
               {"Name": "phone_number_verified", "Value": "true"}]),
    )
    .await;
    let config = f.client(false).await;
    let auth = Auth::new(config.clone());
    let result = auth
        .sign_in("dora", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    assert!(matches!(
        result.next_step,
        SignInStep::ConfirmSignInWithSmsMfaCode { .. }
    ));
    let code = f.server.last_code(&f.pool_id, "dora").await.unwrap();
    auth.confirm_sign_in(&code, ConfirmSignInOptions::default())
        .await
        .unwrap();
    let seen = f.take();
    all_json_1_1(&seen);
    assert_eq!(
        ops(&seen),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge"
        ]
    );

    // §2.5 a: InitiateAuth USER_SRP_AUTH {USERNAME, SRP_A}.
    let init = &seen[0];
    assert_eq!(
        init.members(),
        set(&["AuthFlow", "ClientId", "AuthParameters"])
    );
    assert_eq!(init.body["AuthFlow"], "USER_SRP_AUTH");
    assert_eq!(init.body["ClientId"], config.client_id.as_str());
    assert_eq!(init.map_keys("AuthParameters"), set(&["USERNAME", "SRP_A"]));
    assert_eq!(init.body["AuthParameters"]["USERNAME"], "dora");
    let srp_a = init.body["AuthParameters"]["SRP_A"].as_str().unwrap();
    assert!(srp_a.len() > 700 && srp_a.chars().all(|c| c.is_ascii_hexdigit()));

    // §2.4: PASSWORD_VERIFIER answer, exactly these four keys.
    let verifier = &seen[1];
    assert_eq!(verifier.body["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(
        verifier.map_keys("ChallengeResponses"),
        set(&[
            "USERNAME",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "TIMESTAMP",
            "PASSWORD_CLAIM_SIGNATURE"
        ])
    );
    let members = verifier.members();
    assert!(
        members.is_subset(&set(&[
            "ChallengeName",
            "ClientId",
            "ChallengeResponses",
            "Session"
        ])) && members.contains("ClientId"),
        "{members:?}"
    );
    // `Tue Mar 3 07:05:09 UTC 2026`: weekday, month, unpadded day, time, UTC, year.
    let timestamp = verifier.body["ChallengeResponses"]["TIMESTAMP"]
        .as_str()
        .unwrap();
    let parts: Vec<&str> = timestamp.split(' ').collect();
    assert_eq!(parts.len(), 6, "{timestamp}");
    assert_eq!(parts[4], "UTC", "{timestamp}");
    assert!(!parts[2].starts_with('0'), "{timestamp}");
    assert_eq!(parts[3].len(), 8, "{timestamp}");

    // §2.5 d: SMS_MFA {USERNAME, SMS_MFA_CODE} with the latest Session.
    let sms = &seen[2];
    assert_eq!(sms.body["ChallengeName"], "SMS_MFA");
    assert_eq!(
        sms.members(),
        set(&["ChallengeName", "ClientId", "ChallengeResponses", "Session"])
    );
    assert_eq!(
        sms.map_keys("ChallengeResponses"),
        set(&["USERNAME", "SMS_MFA_CODE"])
    );
    assert_eq!(sms.body["ChallengeResponses"]["USERNAME"], "dora");
    assert_eq!(
        sms.body["ChallengeResponses"]["SMS_MFA_CODE"],
        code.as_str()
    );
}

#[tokio::test]
async fn a_client_secret_adds_secret_hash_everywhere() {
    let f = Fixture::new(false).await;
    f.user("erin", json!([])).await;
    let config = f.client(true).await;
    let auth = Auth::new(config.clone());
    auth.sign_in("erin", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    let seen = f.take();
    assert_eq!(ops(&seen), ["InitiateAuth", "RespondToAuthChallenge"]);
    assert_eq!(
        seen[0].map_keys("AuthParameters"),
        set(&["USERNAME", "SRP_A", "SECRET_HASH"])
    );
    assert_eq!(
        seen[1].map_keys("ChallengeResponses"),
        set(&[
            "USERNAME",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "TIMESTAMP",
            "PASSWORD_CLAIM_SIGNATURE",
            "SECRET_HASH"
        ])
    );

    // Refresh: GetTokensFromRefreshToken {ClientId, RefreshToken, ClientSecret} (§2.5 f).
    auth.fetch_auth_session(FetchAuthSessionOptions {
        force_refresh: true,
    })
    .await
    .unwrap();
    let seen = f.take();
    assert_eq!(ops(&seen), ["GetTokensFromRefreshToken"]);
    assert_eq!(
        seen[0].members(),
        set(&["ClientId", "RefreshToken", "ClientSecret"])
    );

    // Sign-out: RevokeToken {Token, ClientId, ClientSecret}; global: {AccessToken}.
    auth.sign_out(SignOutOptions::default()).await.unwrap();
    let seen = f.take();
    assert_eq!(ops(&seen), ["RevokeToken"]);
    assert_eq!(
        seen[0].members(),
        set(&["Token", "ClientId", "ClientSecret"])
    );
    auth.sign_in("erin", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    f.take();
    auth.sign_out(SignOutOptions { global: true })
        .await
        .unwrap();
    let seen = f.take();
    assert_eq!(ops(&seen), ["GlobalSignOut"]);
    assert_eq!(seen[0].members(), set(&["AccessToken"]));
}

#[tokio::test]
async fn password_new_password_and_custom_flows() {
    let f = Fixture::new(false).await;
    let config = f.client(false).await;
    f.admin(
        "AdminCreateUser",
        json!({"UserPoolId": f.pool_id, "Username": "carl",
            "TemporaryPassword": "Temp-Pass-123!", "MessageAction": "SUPPRESS"}),
    )
    .await;
    let auth = Auth::new(config.clone());
    let result = auth
        .sign_in(
            "carl",
            Some("Temp-Pass-123!"),
            SignInOptions {
                auth_flow: AuthFlow::UserPassword,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        result.next_step,
        SignInStep::ConfirmSignInWithNewPassword { .. }
    ));
    auth.confirm_sign_in("Brand-New-Pass-9!", ConfirmSignInOptions::default())
        .await
        .unwrap();
    let seen = f.take();
    assert_eq!(ops(&seen), ["InitiateAuth", "RespondToAuthChallenge"]);
    // §2.5 b: USER_PASSWORD_AUTH {USERNAME, PASSWORD}.
    assert_eq!(seen[0].body["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_eq!(
        seen[0].map_keys("AuthParameters"),
        set(&["USERNAME", "PASSWORD"])
    );
    // §2.5 h: NEW_PASSWORD_REQUIRED {USERNAME, NEW_PASSWORD} with the Session.
    assert_eq!(seen[1].body["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert!(seen[1].body["Session"].is_string());
    assert_eq!(
        seen[1].map_keys("ChallengeResponses"),
        set(&["USERNAME", "NEW_PASSWORD"])
    );

    // §2.5 c: CUSTOM_AUTH without SRP sends only USERNAME; with SRP, SRP_A and
    // CHALLENGE_NAME=SRP_A. (The pool has no Define trigger, so the server refuses; the
    // request shape is what is checked here.)
    for (flow, keys) in [
        (AuthFlow::CustomWithoutSrp, set(&["USERNAME"])),
        (
            AuthFlow::CustomWithSrp,
            set(&["USERNAME", "SRP_A", "CHALLENGE_NAME"]),
        ),
    ] {
        let _ = auth
            .sign_in(
                "carl",
                Some(PASSWORD),
                SignInOptions {
                    auth_flow: flow,
                    ..Default::default()
                },
            )
            .await;
        let seen = f.take();
        assert_eq!(ops(&seen), ["InitiateAuth"], "{flow:?}");
        assert_eq!(seen[0].body["AuthFlow"], "CUSTOM_AUTH");
        assert_eq!(seen[0].map_keys("AuthParameters"), keys, "{flow:?}");
        if flow == AuthFlow::CustomWithSrp {
            assert_eq!(seen[0].body["AuthParameters"]["CHALLENGE_NAME"], "SRP_A");
        }
    }
}

fn vectors() -> Value {
    serde_json::from_str(VECTORS).unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn verifier_parameters(v: &Value) -> BTreeMap<String, String> {
    [
        ("SALT", v["salt_hex"].as_str().unwrap()),
        ("SRP_B", v["SRP_B_hex"].as_str().unwrap()),
        ("SECRET_BLOCK", v["secret_block_b64"].as_str().unwrap()),
        ("USER_ID_FOR_SRP", v["user_id_for_srp"].as_str().unwrap()),
        ("USERNAME", v["user_id_for_srp"].as_str().unwrap()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `Tue Mar 3 07:05:09 UTC 2026`, the vector's `TIMESTAMP`, in Unix seconds.
const VECTOR_NOW: i64 = 1_772_521_509;

#[test]
fn the_srp_answer_matches_the_known_answer_vector() {
    let v = vectors();
    let config = AuthConfig {
        user_pool_id: v["pool_id"].as_str().unwrap().to_string(),
        client_id: "1example23456789abcdefghij".into(),
        ..Default::default()
    };
    let (srp_a, responses) = keystep_client::password_verifier_responses(
        &config,
        &hex(v["a_hex"].as_str().unwrap()),
        &verifier_parameters(&v),
        v["password"].as_str().unwrap(),
        VECTOR_NOW,
    )
    .unwrap();
    assert_eq!(srp_a, v["SRP_A_hex"].as_str().unwrap());
    let expected: BTreeMap<String, String> = [
        ("USERNAME", v["user_id_for_srp"].as_str().unwrap()),
        (
            "PASSWORD_CLAIM_SECRET_BLOCK",
            v["secret_block_b64"].as_str().unwrap(),
        ),
        ("TIMESTAMP", v["timestamp"].as_str().unwrap()),
        (
            "PASSWORD_CLAIM_SIGNATURE",
            v["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(responses, expected);
}

#[test]
fn the_srp_answer_with_a_secret_adds_the_vector_secret_hash() {
    let v = vectors();
    let sh = &v["secret_hash"];
    assert_eq!(sh["username"], v["user_id_for_srp"]);
    let config = AuthConfig {
        user_pool_id: v["pool_id"].as_str().unwrap().to_string(),
        client_id: sh["client_id"].as_str().unwrap().to_string(),
        client_secret: Some(sh["client_secret"].as_str().unwrap().to_string()),
        ..Default::default()
    };
    let (_, responses) = keystep_client::password_verifier_responses(
        &config,
        &hex(v["a_hex"].as_str().unwrap()),
        &verifier_parameters(&v),
        v["password"].as_str().unwrap(),
        VECTOR_NOW,
    )
    .unwrap();
    assert_eq!(
        responses["SECRET_HASH"],
        sh["SECRET_HASH"].as_str().unwrap()
    );
    assert_eq!(
        responses["PASSWORD_CLAIM_SIGNATURE"],
        v["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap()
    );
    assert_eq!(responses.len(), 5);
}
