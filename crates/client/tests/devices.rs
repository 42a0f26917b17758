//! keystep-client's remembered devices against the real Keystep server, in-process: the
//! device a sign-in is handed is confirmed with its own SRP verifier, remembered, proven by
//! device SRP on the next sign-in instead of the SMS code, refreshes with its key, and once
//! forgotten the sign-in asks for the code again. A forgotten key the client still holds is
//! dropped and the sign-in retried, as Amplify does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use keystep_client::{
    Auth, AuthConfig, ConfirmSignInOptions, FetchAuthSessionOptions, SignInOptions, SignInStep,
    SignOutOptions,
};
use keystep_testkit::{TestOptions, TestServer};
use serde_json::json;

const PASSWORD: &str = "Correct-Horse-9!";

async fn setup() -> (TestServer, String, String) {
    let server = TestServer::start_with(TestOptions {
        dev_pool: false,
        live_clock: true,
        ..Default::default()
    })
    .await;
    let (s, pool) = server
        .json(
            "CreateUserPool",
            &json!({"PoolName": "devices",
                "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true,
                    "DeviceOnlyRememberedOnUserPrompt": true}}),
        )
        .await;
    assert_eq!(s, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let (s, b) = server
        .json(
            "SetUserPoolMfaConfig",
            &json!({"UserPoolId": pool_id, "MfaConfiguration": "ON",
                "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, client) = server
        .json(
            "CreateUserPoolClient",
            &json!({"UserPoolId": pool_id, "ClientName": "rust",
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .await;
    assert_eq!(s, 200, "{client}");
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    server
        .confirmed_user(
            &pool_id,
            "nia",
            PASSWORD,
            json!([{"Name": "phone_number", "Value": "+15555550111"},
                {"Name": "phone_number_verified", "Value": "true"}]),
        )
        .await;
    (server, pool_id, client_id)
}

/// Signs in; answers the SMS code when asked. Whether a code was asked.
async fn sign_in(auth: &Auth, server: &TestServer, pool_id: &str) -> bool {
    let r = auth
        .sign_in("nia", Some(PASSWORD), SignInOptions::default())
        .await
        .unwrap();
    match r.next_step {
        SignInStep::Done => false,
        SignInStep::ConfirmSignInWithSmsMfaCode { .. } => {
            let code = server.last_code(pool_id, "nia").await.unwrap();
            let done = auth
                .confirm_sign_in(&code, ConfirmSignInOptions::default())
                .await
                .unwrap();
            assert!(done.is_signed_in);
            true
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_device_skips_mfa_until_forgotten() {
    let (server, pool_id, client_id) = setup().await;
    let auth = Auth::new(AuthConfig {
        user_pool_id: pool_id.clone(),
        client_id,
        client_secret: None,
        endpoint: Some(server.url().to_string()),
        region: "us-east-1".into(),
    });
    assert!(
        sign_in(&auth, &server, &pool_id).await,
        "a new device gets MFA"
    );
    assert!(
        auth.fetch_devices().await.unwrap().is_empty(),
        "not remembered yet"
    );
    auth.remember_device().await.unwrap();
    let devices = auth.fetch_devices().await.unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].name.as_deref(), Some("keystep-client"));

    auth.sign_out(SignOutOptions::default()).await.unwrap();
    assert!(
        !sign_in(&auth, &server, &pool_id).await,
        "device SRP replaced the code"
    );
    let refreshed = auth
        .fetch_auth_session(FetchAuthSessionOptions {
            force_refresh: true,
        })
        .await
        .unwrap();
    assert!(refreshed.tokens.is_some());

    auth.forget_device().await.unwrap();
    auth.sign_out(SignOutOptions::default()).await.unwrap();
    assert!(
        sign_in(&auth, &server, &pool_id).await,
        "forgotten: MFA again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_forgotten_elsewhere_is_dropped_and_the_sign_in_retried() {
    let (server, pool_id, client_id) = setup().await;
    let config = AuthConfig {
        user_pool_id: pool_id.clone(),
        client_id,
        client_secret: None,
        endpoint: Some(server.url().to_string()),
        region: "us-east-1".into(),
    };
    let auth = Auth::new(config);
    sign_in(&auth, &server, &pool_id).await;
    auth.remember_device().await.unwrap();
    let key = auth.fetch_devices().await.unwrap()[0].id.clone();
    // An administrator forgets it; the client still holds the key.
    let (s, b) = server
        .json(
            "AdminForgetDevice",
            &json!({"UserPoolId": pool_id, "Username": "nia", "DeviceKey": key}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    auth.sign_out(SignOutOptions::default()).await.unwrap();
    assert!(
        sign_in(&auth, &server, &pool_id).await,
        "a new device again"
    );
    let devices = server
        .json(
            "AdminListDevices",
            &json!({"UserPoolId": pool_id, "Username": "nia"}),
        )
        .await
        .1;
    let keys: Vec<&str> = devices["Devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["DeviceKey"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 1);
    assert_ne!(keys[0], key, "a new key was issued and confirmed");
}
