//! keystep-client against the real Keystep server, in-process (keystep-testkit): every
//! sign-in step the server can produce, sign-up, password reset, refresh, sign-out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keystep_client::{
    Auth, AuthConfig, AuthError, AuthFlow, ConfirmSignInOptions, FetchAuthSessionOptions,
    SignInOptions, SignInStep, SignOutOptions, SignUpOptions, SignUpStep,
};
use keystep_core::ports::Clock;
use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";

#[derive(Clone, Copy, PartialEq)]
enum Mfa {
    Off,
    /// MFA required, SMS only.
    SmsOn,
    /// MFA required, TOTP only.
    TotpOn,
}

struct Fixture {
    server: TestServer,
    pool_id: String,
    client_id: String,
    client_secret: Option<String>,
}

impl Fixture {
    /// A server (live clock unless `stopped`), a pool with `mfa`, and a client allowing
    /// SRP, password and refresh flows (with a secret if asked).
    async fn new(mfa: Mfa, stopped: bool, secret: bool) -> Fixture {
        let server = TestServer::start_with(TestOptions {
            dev_pool: false,
            live_clock: !stopped,
            ..Default::default()
        })
        .await;
        let (s, pool) = server
            .json(
                "CreateUserPool",
                &json!({"PoolName": "client", "MfaConfiguration": "OFF",
                    "AutoVerifiedAttributes": ["email"]}),
            )
            .await;
        assert_eq!(s, 200, "{pool}");
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
        let mfa_config = match mfa {
            Mfa::Off => None,
            Mfa::SmsOn => Some(json!({"UserPoolId": pool_id, "MfaConfiguration": "ON",
                "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}}})),
            Mfa::TotpOn => Some(json!({"UserPoolId": pool_id, "MfaConfiguration": "ON",
                "SoftwareTokenMfaConfiguration": {"Enabled": true}})),
        };
        if let Some(body) = mfa_config {
            let (s, b) = server.json("SetUserPoolMfaConfig", &body).await;
            assert_eq!(s, 200, "{b}");
        }
        let (s, client) = server
            .json(
                "CreateUserPoolClient",
                &json!({"UserPoolId": pool_id, "ClientName": "rust", "GenerateSecret": secret,
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH"]}),
            )
            .await;
        assert_eq!(s, 200, "{client}");
        let client_id = client["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_string();
        let client_secret = client["UserPoolClient"]["ClientSecret"]
            .as_str()
            .map(str::to_string);
        assert_eq!(client_secret.is_some(), secret);
        Fixture {
            server,
            pool_id,
            client_id,
            client_secret,
        }
    }

    fn config(&self) -> AuthConfig {
        AuthConfig {
            user_pool_id: self.pool_id.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            endpoint: Some(self.server.url().to_string()),
            region: "us-east-1".into(),
        }
    }

    fn auth(&self) -> Auth {
        Auth::new(self.config())
    }

    /// A confirmed user with `PASSWORD`.
    async fn user(&self, name: &str, attributes: Value) {
        self.server
            .confirmed_user(&self.pool_id, name, PASSWORD, attributes)
            .await;
    }

    async fn code(&self, user: &str) -> String {
        self.server
            .last_code(&self.pool_id, user)
            .await
            .expect("a code in the outbox")
    }

    async fn get_user(&self, access_token: &str) -> (u16, Value) {
        self.server
            .json("GetUser", &json!({"AccessToken": access_token}))
            .await
    }
}

fn password_flow() -> SignInOptions {
    SignInOptions {
        auth_flow: AuthFlow::UserPassword,
        ..Default::default()
    }
}

async fn access_token(auth: &Auth) -> String {
    auth.fetch_auth_session(FetchAuthSessionOptions::default())
        .await
        .unwrap()
        .tokens
        .expect("signed in")
        .access_token
}

#[tokio::test]
async fn srp_sign_in_is_done_and_a_wrong_password_is_not_authorized() {
    let f = Fixture::new(Mfa::Off, false, false).await;
    f.user(
        "alice",
        json!([{"Name": "email", "Value": "alice@example.com"}]),
    )
    .await;
    let auth = f.auth();

    let wrong = auth
        .sign_in("alice", Some("Wrong-Horse-9!"), SignInOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, AuthError::NotAuthorized { .. }),
        "{wrong:?}"
    );

    let result = auth
        .sign_in("alice", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    assert!(result.is_signed_in);
    assert_eq!(result.next_step, SignInStep::Done);

    let user = auth.get_current_user().await.unwrap();
    assert_eq!(user.username, "alice");
    let (s, me) = f.get_user(&access_token(&auth).await).await;
    assert_eq!(s, 200, "{me}");
    assert_eq!(me["Username"], "alice");
    let sub = me["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "sub")
        .unwrap()["Value"]
        .clone();
    assert_eq!(user.user_id, sub.as_str().unwrap());

    let missing = auth
        .sign_in("nobody", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            missing,
            AuthError::UserNotFound { .. } | AuthError::NotAuthorized { .. }
        ),
        "{missing:?}"
    );
}

#[tokio::test]
async fn user_password_auth_and_update_password() {
    let f = Fixture::new(Mfa::Off, true, false).await;
    f.user("bob", json!([])).await;
    let auth = f.auth();
    let wrong = auth
        .sign_in("bob", Some("Nope-nope-9!"), password_flow())
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, AuthError::NotAuthorized { .. }),
        "{wrong:?}"
    );
    let result = auth
        .sign_in("bob", Some(PASSWORD), password_flow())
        .await
        .unwrap();
    assert_eq!(result.next_step, SignInStep::Done);

    auth.update_password(PASSWORD, "N3w-Passw0rd!!")
        .await
        .unwrap();
    let old = f
        .auth()
        .sign_in("bob", Some(PASSWORD), password_flow())
        .await
        .unwrap_err();
    assert!(matches!(old, AuthError::NotAuthorized { .. }), "{old:?}");
    let new = f
        .auth()
        .sign_in("bob", Some("N3w-Passw0rd!!"), password_flow())
        .await
        .unwrap();
    assert!(new.is_signed_in);
}

#[tokio::test]
async fn new_password_required_then_done() {
    let f = Fixture::new(Mfa::Off, false, false).await;
    let (s, b) = f
        .server
        .json(
            "AdminCreateUser",
            &json!({"UserPoolId": f.pool_id, "Username": "carl",
                "TemporaryPassword": "Temp-Pass-123!", "MessageAction": "SUPPRESS"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let auth = f.auth();
    let result = auth
        .sign_in("carl", Some("Temp-Pass-123!"), SignInOptions::default())
        .await
        .unwrap();
    assert!(!result.is_signed_in);
    assert_eq!(
        result.next_step,
        SignInStep::ConfirmSignInWithNewPassword {
            missing_attributes: vec![]
        }
    );
    let done = auth
        .confirm_sign_in("Brand-New-Pass-9!", ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert_eq!(done.next_step, SignInStep::Done);
    assert!(done.is_signed_in);
    // The sign-in is over: nothing left to confirm.
    let again = auth
        .confirm_sign_in("x", ConfirmSignInOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(again, AuthError::InvalidState { .. }), "{again:?}");
    let fresh = f
        .auth()
        .sign_in("carl", Some("Brand-New-Pass-9!"), SignInOptions::default())
        .await
        .unwrap();
    assert!(fresh.is_signed_in);
}

#[tokio::test]
async fn sms_mfa_wrong_code_then_right_code() {
    let f = Fixture::new(Mfa::SmsOn, false, false).await;
    f.user(
        "dora",
        json!([{"Name": "phone_number", "Value": "+15555550123"},
               {"Name": "phone_number_verified", "Value": "true"}]),
    )
    .await;
    let auth = f.auth();
    let result = auth
        .sign_in("dora", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    let SignInStep::ConfirmSignInWithSmsMfaCode {
        delivery: Some(delivery),
    } = &result.next_step
    else {
        panic!("{result:?}");
    };
    assert_eq!(delivery.delivery_medium.as_deref(), Some("SMS"));
    assert!(delivery.destination.as_deref().unwrap().ends_with("0123"));
    assert!(!result.is_signed_in);

    let code = f.code("dora").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let err = auth
        .confirm_sign_in(wrong, ConfirmSignInOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::CodeMismatch { .. }), "{err:?}");
    let done = auth
        .confirm_sign_in(&code, ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert_eq!(done.next_step, SignInStep::Done);
    assert_eq!(auth.get_current_user().await.unwrap().username, "dora");
}

fn totp_now(server: &TestServer, secret: &str) -> String {
    let key = keystep_core::totp::base32_decode(secret).expect("base32 secret");
    let step = keystep_core::totp::step_at(server.clock().now());
    keystep_core::totp::code_at_step(&key, step)
}

#[tokio::test]
async fn totp_is_set_up_during_sign_in() {
    let f = Fixture::new(Mfa::TotpOn, false, false).await;
    f.user("erin", json!([])).await;
    let auth = f.auth();
    let result = auth
        .sign_in("erin", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    let SignInStep::ContinueSignInWithTotpSetup {
        shared_secret,
        setup_uri,
    } = &result.next_step
    else {
        panic!("{result:?}");
    };
    assert!(setup_uri.starts_with("otpauth://totp/AWSCognito:erin?secret="));
    assert!(setup_uri.contains(shared_secret.as_str()));
    // Not a code, not a method, not an address.
    let bad = auth
        .confirm_sign_in("SMS", ConfirmSignInOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(bad, AuthError::InvalidParameter { .. }), "{bad:?}");
    let done = auth
        .confirm_sign_in(
            &totp_now(&f.server, shared_secret),
            ConfirmSignInOptions {
                friendly_device_name: Some("test phone".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(done.next_step, SignInStep::Done);

    // Next time the enrolled authenticator is asked for.
    let again = f.auth();
    let result = again
        .sign_in("erin", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    assert_eq!(result.next_step, SignInStep::ConfirmSignInWithTotpCode);
    // The code of the next step: the one just used for enrolment may not be replayed.
    let key = keystep_core::totp::base32_decode(shared_secret).unwrap();
    let step = keystep_core::totp::step_at(f.server.clock().now()) + 1;
    let next_code = keystep_core::totp::code_at_step(&key, step);
    let done = again
        .confirm_sign_in(&next_code, ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert!(done.is_signed_in);
}

#[tokio::test]
async fn an_unconfirmed_user_gets_confirm_sign_up() {
    let f = Fixture::new(Mfa::Off, false, false).await;
    let auth = f.auth();
    let mut options = SignUpOptions::default();
    options
        .user_attributes
        .insert("email".into(), "fay@example.com".into());
    let signed_up = auth.sign_up("fay", PASSWORD, options).await.unwrap();
    assert!(!signed_up.is_sign_up_complete);
    assert!(signed_up.user_id.is_some());
    let SignUpStep::ConfirmSignUp {
        delivery: Some(delivery),
    } = &signed_up.next_step
    else {
        panic!("{signed_up:?}");
    };
    assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));

    let result = auth
        .sign_in("fay", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    assert_eq!(result.next_step, SignInStep::ConfirmSignUp);
    assert!(!result.is_signed_in);

    auth.resend_sign_up_code("fay").await.unwrap();
    let wrong = auth.confirm_sign_up("fay", "000000x").await.unwrap_err();
    assert!(
        matches!(
            wrong,
            AuthError::CodeMismatch { .. } | AuthError::InvalidParameter { .. }
        ),
        "{wrong:?}"
    );
    let confirmed = auth
        .confirm_sign_up("fay", &f.code("fay").await)
        .await
        .unwrap();
    assert!(confirmed.is_sign_up_complete);
    let result = auth
        .sign_in("fay", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    assert_eq!(result.next_step, SignInStep::Done);
}

#[tokio::test]
async fn an_admin_reset_gives_reset_password_then_the_code_flow_works() {
    let f = Fixture::new(Mfa::Off, false, false).await;
    f.user(
        "gus",
        json!([{"Name": "email", "Value": "gus@example.com"},
               {"Name": "email_verified", "Value": "true"}]),
    )
    .await;
    let (s, b) = f
        .server
        .json(
            "AdminResetUserPassword",
            &json!({"UserPoolId": f.pool_id, "Username": "gus"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let auth = f.auth();
    for options in [SignInOptions::default(), password_flow()] {
        let result = auth.sign_in("gus", Some(PASSWORD), options).await.unwrap();
        assert_eq!(result.next_step, SignInStep::ResetPassword);
        assert!(!result.is_signed_in);
    }

    let reset = auth.reset_password("gus").await.unwrap();
    assert!(!reset.is_password_reset);
    let code = f.code("gus").await;
    let err = auth
        .confirm_reset_password("gus", "short", &code)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::InvalidPassword { .. }), "{err:?}");
    auth.confirm_reset_password("gus", "Reset-Horse-9!", &code)
        .await
        .unwrap();
    let result = auth
        .sign_in("gus", Some("Reset-Horse-9!"), SignInOptions::default())
        .await
        .unwrap();
    assert_eq!(result.next_step, SignInStep::Done);
}

/// A client clock that the test moves together with the (stopped) server clock.
fn shared_clock(server: &TestServer) -> Arc<AtomicI64> {
    Arc::new(AtomicI64::new(server.clock().now().as_secs()))
}

#[tokio::test]
async fn fetch_auth_session_refreshes_near_expiry() {
    let f = Fixture::new(Mfa::Off, true, false).await;
    f.user("hal", json!([])).await;
    let now = shared_clock(&f.server);
    let clock = now.clone();
    let auth = f.auth().with_clock(move || clock.load(Ordering::SeqCst));
    auth.sign_in("hal", Some(PASSWORD), password_flow())
        .await
        .unwrap();
    let first = access_token(&auth).await;
    assert_eq!(
        access_token(&auth).await,
        first,
        "fresh tokens are not refreshed"
    );

    // 57 minutes later the hour-long access token has 3 minutes left: refresh.
    let later = Duration::from_secs(57 * 60);
    f.server.clock().advance(later);
    now.fetch_add(later.as_secs() as i64, Ordering::SeqCst);
    let session = auth
        .fetch_auth_session(FetchAuthSessionOptions::default())
        .await
        .unwrap();
    let tokens = session.tokens.unwrap();
    assert_ne!(tokens.access_token, first);
    assert!(tokens.refresh_token.is_some(), "the refresh token is kept");
    assert!(session.user_sub.is_some());
    let (s, me) = f.get_user(&tokens.access_token).await;
    assert_eq!(s, 200, "{me}");

    // Past the old token's expiry the server refuses it, the refreshed one still works.
    f.server.clock().advance(Duration::from_secs(5 * 60));
    let (s, _) = f.get_user(&first).await;
    assert_eq!(s, 400);
    let (s, me) = f.get_user(&tokens.access_token).await;
    assert_eq!(s, 200, "{me}");
}

#[tokio::test]
async fn sign_out_global_revokes_the_access_token() {
    let f = Fixture::new(Mfa::Off, false, false).await;
    f.user("ivy", json!([])).await;
    let auth = f.auth();
    auth.sign_in("ivy", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    let access = access_token(&auth).await;
    assert_eq!(f.get_user(&access).await.0, 200);
    auth.sign_out(SignOutOptions { global: true })
        .await
        .unwrap();
    let (s, b) = f.get_user(&access).await;
    assert_eq!(s, 400);
    assert_eq!(b["__type"], "NotAuthorizedException");
    let session = auth
        .fetch_auth_session(FetchAuthSessionOptions::default())
        .await
        .unwrap();
    assert_eq!(session.tokens, None);
    assert_eq!(
        auth.get_current_user().await.unwrap_err(),
        AuthError::NotSignedIn
    );
    // Signing out again is harmless.
    auth.sign_out(SignOutOptions::default()).await.unwrap();
}

#[tokio::test]
async fn sign_out_locally_revokes_the_refresh_token() {
    let f = Fixture::new(Mfa::Off, false, false).await;
    f.user("jon", json!([])).await;
    let auth = f.auth();
    auth.sign_in("jon", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    let tokens = auth
        .fetch_auth_session(FetchAuthSessionOptions::default())
        .await
        .unwrap()
        .tokens
        .unwrap();
    auth.sign_out(SignOutOptions::default()).await.unwrap();
    let (s, b) = f
        .server
        .json(
            "GetTokensFromRefreshToken",
            &json!({"ClientId": f.client_id, "RefreshToken": tokens.refresh_token}),
        )
        .await;
    assert_eq!(
        (s, b["__type"].as_str()),
        (400, Some("NotAuthorizedException"))
    );
    assert_eq!(
        auth.fetch_auth_session(Default::default())
            .await
            .unwrap()
            .tokens,
        None
    );
}

#[tokio::test]
async fn confirm_sign_in_without_a_sign_in_is_invalid_state() {
    let f = Fixture::new(Mfa::Off, false, false).await;
    let err = f
        .auth()
        .confirm_sign_in("123456", ConfirmSignInOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::InvalidState { .. }), "{err:?}");
}

#[tokio::test]
async fn a_client_with_a_secret_signs_up_signs_in_refreshes_and_signs_out() {
    let f = Fixture::new(Mfa::Off, false, true).await;
    let auth = f.auth();
    let mut options = SignUpOptions::default();
    options
        .user_attributes
        .insert("email".into(), "kim@example.com".into());
    auth.sign_up("kim", PASSWORD, options).await.unwrap();
    auth.confirm_sign_up("kim", &f.code("kim").await)
        .await
        .unwrap();
    for options in [SignInOptions::default(), password_flow()] {
        let result = auth.sign_in("kim", Some(PASSWORD), options).await.unwrap();
        assert_eq!(result.next_step, SignInStep::Done);
    }
    let first = access_token(&auth).await;
    let refreshed = auth
        .fetch_auth_session(FetchAuthSessionOptions {
            force_refresh: true,
        })
        .await
        .unwrap()
        .tokens
        .unwrap();
    assert_ne!(refreshed.access_token, first);
    auth.sign_out(SignOutOptions::default()).await.unwrap();

    // Without the secret the server refuses.
    let mut config = f.config();
    config.client_secret = None;
    let err = Auth::new(config)
        .sign_in("kim", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::NotAuthorized { .. }), "{err:?}");
}

/// A proxy in front of the server that does not know `GetTokensFromRefreshToken` (like
/// older Cognito emulators) and records the operations it sees.
async fn proxy_without_get_tokens(target: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let http = reqwest::Client::new();
    let app = axum::Router::new().fallback(
        move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let (http, target, log) = (http.clone(), target.clone(), log.clone());
            async move {
                let op = headers
                    .get("x-amz-target")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                log.lock().unwrap().push(op.clone());
                if op.ends_with(".GetTokensFromRefreshToken") {
                    return (
                        axum::http::StatusCode::BAD_REQUEST,
                        r#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#
                            .to_string(),
                    );
                }
                let resp = http
                    .post(format!("{target}/"))
                    .header("content-type", "application/x-amz-json-1.1")
                    .header("x-amz-target", op)
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
    (url, seen)
}

#[tokio::test]
async fn refresh_falls_back_to_refresh_token_auth() {
    let f = Fixture::new(Mfa::Off, false, true).await;
    f.user("lou", json!([])).await;
    let (proxy, seen) = proxy_without_get_tokens(f.server.url().to_string()).await;
    let mut config = f.config();
    config.endpoint = Some(proxy);
    let auth = Auth::new(config);
    auth.sign_in("lou", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    let first = access_token(&auth).await;
    let refreshed = auth
        .fetch_auth_session(FetchAuthSessionOptions {
            force_refresh: true,
        })
        .await
        .unwrap()
        .tokens
        .unwrap();
    assert_ne!(refreshed.access_token, first);
    let seen = seen.lock().unwrap().clone();
    let ops: Vec<&str> = seen
        .iter()
        .map(|t| t.trim_start_matches("AWSCognitoIdentityProviderService."))
        .collect();
    assert_eq!(
        ops,
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "GetTokensFromRefreshToken",
            "InitiateAuth"
        ]
    );
}

#[tokio::test]
async fn tokens_survive_in_a_file_store() {
    let f = Fixture::new(Mfa::Off, false, false).await;
    f.user("max", json!([])).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let auth = Auth::with_token_store(f.config(), keystep_client::FileTokenStore::new(&path));
    auth.sign_in("max", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    let later = Auth::with_token_store(f.config(), keystep_client::FileTokenStore::new(&path));
    assert_eq!(later.get_current_user().await.unwrap().username, "max");
    later.sign_out(SignOutOptions::default()).await.unwrap();
    assert!(!path.exists());
}

#[tokio::test]
async fn mfa_selection_picks_sms_or_totp() {
    let f = Fixture::new(Mfa::SmsOn, false, false).await;
    let (s, b) = f
        .server
        .json(
            "SetUserPoolMfaConfig",
            &json!({"UserPoolId": f.pool_id, "MfaConfiguration": "ON",
                "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}},
                "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    f.user(
        "nia",
        json!([{"Name": "phone_number", "Value": "+15555550177"},
               {"Name": "phone_number_verified", "Value": "true"}]),
    )
    .await;
    // First sign-in: the verified phone counts as set up.
    let auth = f.auth();
    let result = auth
        .sign_in("nia", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    assert!(matches!(
        result.next_step,
        SignInStep::ConfirmSignInWithSmsMfaCode { .. }
    ));
    auth.confirm_sign_in(&f.code("nia").await, ConfirmSignInOptions::default())
        .await
        .unwrap();
    // Enrol TOTP with the access token and enable both factors without a preference.
    let access = access_token(&auth).await;
    let (s, assoc) = f
        .server
        .json("AssociateSoftwareToken", &json!({"AccessToken": access}))
        .await;
    assert_eq!(s, 200, "{assoc}");
    let secret = assoc["SecretCode"].as_str().unwrap().to_string();
    let (s, b) = f
        .server
        .json(
            "VerifySoftwareToken",
            &json!({"AccessToken": access, "UserCode": totp_now(&f.server, &secret)}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = f
        .server
        .json(
            "AdminSetUserMFAPreference",
            &json!({"UserPoolId": f.pool_id, "Username": "nia",
                "SMSMfaSettings": {"Enabled": true, "PreferredMfa": false},
                "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": false}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");

    let result = auth
        .sign_in("nia", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    let SignInStep::ContinueSignInWithMfaSelection { allowed } = &result.next_step else {
        panic!("{result:?}");
    };
    assert_eq!(
        allowed,
        &[keystep_client::MfaType::Sms, keystep_client::MfaType::Totp]
    );
    let bad = auth
        .confirm_sign_in("sms", ConfirmSignInOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(bad, AuthError::InvalidParameter { .. }), "{bad:?}");
    let next = auth
        .confirm_sign_in("SMS", ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert!(
        matches!(
            next.next_step,
            SignInStep::ConfirmSignInWithSmsMfaCode { .. }
        ),
        "{next:?}"
    );
    let done = auth
        .confirm_sign_in(&f.code("nia").await, ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert!(done.is_signed_in);

    let result = auth
        .sign_in("nia", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    assert!(matches!(
        result.next_step,
        SignInStep::ContinueSignInWithMfaSelection { .. }
    ));
    let next = auth
        .confirm_sign_in("TOTP", ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert_eq!(next.next_step, SignInStep::ConfirmSignInWithTotpCode);
    let key = keystep_core::totp::base32_decode(&secret).unwrap();
    let step = keystep_core::totp::step_at(f.server.clock().now()) + 1;
    let done = auth
        .confirm_sign_in(
            &keystep_core::totp::code_at_step(&key, step),
            ConfirmSignInOptions::default(),
        )
        .await
        .unwrap();
    assert!(done.is_signed_in);
}

#[tokio::test]
async fn email_mfa_is_set_up_during_sign_in() {
    let f = Fixture::new(Mfa::TotpOn, false, false).await;
    let (s, b) = f
        .server
        .json(
            "SetUserPoolMfaConfig",
            &json!({"UserPoolId": f.pool_id, "MfaConfiguration": "ON",
                "SoftwareTokenMfaConfiguration": {"Enabled": true},
                "EmailMfaConfiguration": {"Message": "Your code is {####}", "Subject": "Code"}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    f.user("oli", json!([])).await;
    let auth = f.auth();
    let result = auth
        .sign_in("oli", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    assert_eq!(
        result.next_step,
        SignInStep::ContinueSignInWithMfaSetupSelection {
            allowed: vec![
                keystep_client::MfaType::Totp,
                keystep_client::MfaType::Email
            ]
        }
    );
    let next = auth
        .confirm_sign_in("EMAIL", ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert_eq!(next.next_step, SignInStep::ContinueSignInWithEmailMfaSetup);
    let next = auth
        .confirm_sign_in("oli@example.com", ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert!(
        matches!(
            next.next_step,
            SignInStep::ConfirmSignInWithEmailCode { .. }
        ),
        "{next:?}"
    );
    let done = auth
        .confirm_sign_in(&f.code("oli").await, ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert!(done.is_signed_in);
}
