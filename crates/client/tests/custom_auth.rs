//! keystep-client custom authentication (`AuthFlow::CustomWithoutSrp` and
//! `AuthFlow::CustomWithSrp`) against the real Keystep server, with the Define / Create /
//! Verify triggers served by testkit's webhook server (the classic secret-code
//! challenge; the pool's `LambdaConfig` slots hold the webhook URLs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use keystep_client::{
    Auth, AuthConfig, AuthError, AuthFlow, ConfirmSignInOptions, FetchAuthSessionOptions,
    SignInOptions, SignInStep,
};
use keystep_testkit::hooks::{SecretCodeHooks, SECRET_CODE};
use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";

struct Fixture {
    server: TestServer,
    config: AuthConfig,
    hooks: SecretCodeHooks,
}

async fn fixture() -> Fixture {
    let hooks = SecretCodeHooks::start().await;
    let url = &hooks.url;
    let server = TestServer::start_with(TestOptions {
        dev_pool: false,
        live_clock: true,
        ..Default::default()
    })
    .await;
    let (s, pool) = server
        .json(
            "CreateUserPool",
            &json!({"PoolName": "custom", "LambdaConfig": {
                "DefineAuthChallenge": format!("{url}/define"),
                "CreateAuthChallenge": format!("{url}/create"),
                "VerifyAuthChallengeResponse": format!("{url}/verify"),
            }}),
        )
        .await;
    assert_eq!(s, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client_id = server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "rust",
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
    let config = AuthConfig {
        user_pool_id: pool_id,
        client_id,
        client_secret: None,
        endpoint: Some(server.url().to_string()),
        region: "us-east-1".into(),
    };
    Fixture {
        server,
        config,
        hooks,
    }
}

fn custom_info(step: &SignInStep) -> BTreeMap<String, String> {
    match step {
        SignInStep::ConfirmSignInWithCustomChallenge { info } => info.clone(),
        other => panic!("expected a custom challenge, got {other:?}"),
    }
}

/// The secret-code exchange from the first custom challenge on: wrong, then right.
async fn wrong_then_right(auth: &Auth, first: SignInStep) {
    let info = custom_info(&first);
    assert_eq!(info["question"], "What is the secret code?");
    assert_eq!(info["USERNAME"], "cara");
    assert!(!info.contains_key("answer"), "private stays private");
    let metadata = ConfirmSignInOptions {
        client_metadata: Some(BTreeMap::from([("app".to_string(), "cli".to_string())])),
        ..Default::default()
    };
    let again = auth
        .confirm_sign_in("1111", metadata.clone())
        .await
        .unwrap();
    assert!(!again.is_signed_in);
    let info_again = custom_info(&again.next_step);
    assert_eq!(info_again["question"], "What is the secret code?");
    assert_ne!(info_again["round"], info["round"], "a new challenge");
    let done = auth.confirm_sign_in(SECRET_CODE, metadata).await.unwrap();
    assert!(done.is_signed_in);
    assert_eq!(done.next_step, SignInStep::Done);
    assert_eq!(auth.get_current_user().await.unwrap().username, "cara");
    // The session is a real one: it refreshes.
    let session = auth
        .fetch_auth_session(FetchAuthSessionOptions {
            force_refresh: true,
        })
        .await
        .unwrap();
    assert!(session.tokens.is_some());
}

fn define_sessions(hooks: &SecretCodeHooks) -> Vec<Value> {
    hooks
        .events()
        .iter()
        .filter(|e| e["triggerSource"] == "DefineAuthChallenge_Authentication")
        .map(|e| e["request"]["session"].clone())
        .collect()
}

#[tokio::test]
async fn custom_without_srp_wrong_then_right() {
    let f = fixture().await;
    let auth = Auth::new(f.config.clone());
    let options = SignInOptions {
        auth_flow: AuthFlow::CustomWithoutSrp,
        ..Default::default()
    };
    // No password is needed for a custom flow without SRP.
    let first = auth.sign_in("cara", None, options).await.unwrap();
    assert!(!first.is_signed_in);
    wrong_then_right(&auth, first.next_step).await;

    let sessions = define_sessions(&f.hooks);
    assert_eq!(sessions.first().unwrap(), &json!([]), "no SRP round");
    assert_eq!(
        sessions.last().unwrap(),
        &json!([
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false, "challengeMetadata": "CODE-0"},
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "CODE-1"},
        ])
    );
    // The confirm_sign_in metadata reached the triggers.
    let events = f.hooks.events();
    let verify = events
        .iter()
        .rfind(|e| e["triggerSource"] == "VerifyAuthChallengeResponse_Authentication")
        .unwrap();
    assert_eq!(verify["request"]["clientMetadata"]["app"], "cli");
}

#[tokio::test]
async fn custom_with_srp_checks_the_password_first() {
    let f = fixture().await;
    let auth = Auth::new(f.config.clone());
    let options = || SignInOptions {
        auth_flow: AuthFlow::CustomWithSrp,
        ..Default::default()
    };
    // A wrong password is refused at PASSWORD_VERIFIER, before any custom challenge.
    let err = auth
        .sign_in("cara", Some("Wrong-Horse-9!"), options())
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::NotAuthorized { .. }), "{err:?}");
    // And a password is required at all.
    let err = auth.sign_in("cara", None, options()).await.unwrap_err();
    assert!(matches!(err, AuthError::InvalidParameter { .. }), "{err:?}");

    let first = auth
        .sign_in("cara", Some(PASSWORD), options())
        .await
        .unwrap();
    assert!(!first.is_signed_in);
    wrong_then_right(&auth, first.next_step).await;

    let last = define_sessions(&f.hooks).pop().unwrap();
    let names: Vec<(&str, bool)> = last
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["challengeName"].as_str().unwrap(),
                r["challengeResult"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("SRP_A", true),
            ("PASSWORD_VERIFIER", true),
            ("CUSTOM_CHALLENGE", false),
            ("CUSTOM_CHALLENGE", true)
        ]
    );
    drop(f.server);
}
