//! keystep-client's choice-based sign-in (`AuthFlow::UserAuth`) and auto sign-in against the
//! real Keystep server, in-process: first-factor selection, a password typed after picking
//! it (plain and SRP), one-time codes as the first factor, and `auto_sign_in` after
//! `confirm_sign_up` on a choice-based client and on a classic SRP client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use keystep_client::{
    Auth, AuthConfig, AuthFlow, ConfirmSignInOptions, FirstFactor, SignInOptions, SignInStep,
    SignUpOptions, SignUpStep,
};
use keystep_testkit::{TestOptions, TestServer};
use serde_json::json;

const PASSWORD: &str = "Correct-Horse-9!";

struct Fixture {
    server: TestServer,
    pool_id: String,
    client_id: String,
}

impl Fixture {
    async fn new(flows: serde_json::Value) -> Fixture {
        let server = TestServer::start_with(TestOptions {
            dev_pool: false,
            live_clock: true,
            ..Default::default()
        })
        .await;
        let (s, pool) = server
            .json(
                "CreateUserPool",
                &json!({"PoolName": "choice", "AutoVerifiedAttributes": ["email"],
                    "UserPoolTier": "ESSENTIALS",
                    "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}}),
            )
            .await;
        assert_eq!(s, 200, "{pool}");
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
        let (s, client) = server
            .json(
                "CreateUserPoolClient",
                &json!({"UserPoolId": pool_id, "ClientName": "rust", "ExplicitAuthFlows": flows}),
            )
            .await;
        assert_eq!(s, 200, "{client}");
        let client_id = client["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_string();
        Fixture {
            server,
            pool_id,
            client_id,
        }
    }

    async fn choice() -> Fixture {
        Fixture::new(json!(["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])).await
    }

    fn auth(&self) -> Auth {
        Auth::new(AuthConfig {
            user_pool_id: self.pool_id.clone(),
            client_id: self.client_id.clone(),
            client_secret: None,
            endpoint: Some(self.server.url().to_string()),
            region: "us-east-1".into(),
        })
    }

    async fn member(&self, name: &str) {
        self.server
            .confirmed_user(
                &self.pool_id,
                name,
                PASSWORD,
                json!([{"Name": "email", "Value": format!("{name}@example.com")},
                    {"Name": "email_verified", "Value": "true"}]),
            )
            .await;
    }

    async fn code(&self, user: &str) -> String {
        self.server
            .last_code(&self.pool_id, user)
            .await
            .expect("a code")
    }
}

fn user_auth(preferred: Option<FirstFactor>) -> SignInOptions {
    SignInOptions {
        auth_flow: AuthFlow::UserAuth { preferred },
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn selection_then_an_email_code() {
    let f = Fixture::choice().await;
    f.member("ana").await;
    let auth = f.auth();
    let start = auth.sign_in("ana", None, user_auth(None)).await.unwrap();
    let SignInStep::ContinueSignInWithFirstFactorSelection { available } = &start.next_step else {
        panic!("{start:?}")
    };
    assert_eq!(
        available,
        &[
            FirstFactor::PasswordSrp,
            FirstFactor::Password,
            FirstFactor::EmailOtp
        ]
    );
    let sent = auth
        .confirm_sign_in("EMAIL_OTP", ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert!(
        matches!(
            sent.next_step,
            SignInStep::ConfirmSignInWithEmailCode { .. }
        ),
        "{sent:?}"
    );
    let done = auth
        .confirm_sign_in(&f.code("ana").await, ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert!(done.is_signed_in);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picked_password_is_asked_for_then_checked() {
    let f = Fixture::choice().await;
    f.member("ben").await;
    for pick in ["PASSWORD", "PASSWORD_SRP"] {
        let auth = f.auth();
        auth.sign_in("ben", None, user_auth(None)).await.unwrap();
        let asked = auth
            .confirm_sign_in(pick, ConfirmSignInOptions::default())
            .await
            .unwrap();
        assert_eq!(
            asked.next_step,
            SignInStep::ConfirmSignInWithPassword,
            "{pick}"
        );
        let done = auth
            .confirm_sign_in(PASSWORD, ConfirmSignInOptions::default())
            .await
            .unwrap();
        assert!(done.is_signed_in, "{pick}");
    }
    let auth = f.auth();
    auth.sign_in("ben", None, user_auth(None)).await.unwrap();
    auth.confirm_sign_in("PASSWORD", ConfirmSignInOptions::default())
        .await
        .unwrap();
    let wrong = auth
        .confirm_sign_in("Wrong-Horse-9!", ConfirmSignInOptions::default())
        .await;
    assert!(wrong.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preferred_factors_start_at_once() {
    let f = Fixture::choice().await;
    f.member("cai").await;
    let auth = f.auth();
    let r = auth
        .sign_in(
            "cai",
            Some(PASSWORD),
            user_auth(Some(FirstFactor::PasswordSrp)),
        )
        .await
        .unwrap();
    assert!(r.is_signed_in);
    let auth = f.auth();
    let r = auth
        .sign_in("cai", None, user_auth(Some(FirstFactor::EmailOtp)))
        .await
        .unwrap();
    assert!(matches!(
        r.next_step,
        SignInStep::ConfirmSignInWithEmailCode { .. }
    ));
    let done = auth
        .confirm_sign_in(&f.code("cai").await, ConfirmSignInOptions::default())
        .await
        .unwrap();
    assert!(done.is_signed_in);
    // A password factor without a password is refused locally, as Amplify does.
    assert!(auth
        .sign_in("cai", None, user_auth(Some(FirstFactor::Password)))
        .await
        .is_err());
}

async fn sign_up_then_auto_sign_in(f: &Fixture, name: &str) {
    let auth = f.auth();
    let mut options = SignUpOptions {
        auto_sign_in: true,
        ..Default::default()
    };
    options
        .user_attributes
        .insert("email".into(), format!("{name}@example.com"));
    let up = auth.sign_up(name, PASSWORD, options).await.unwrap();
    assert!(matches!(up.next_step, SignUpStep::ConfirmSignUp { .. }));
    let confirmed = auth
        .confirm_sign_up(name, &f.code(name).await)
        .await
        .unwrap();
    assert_eq!(confirmed.next_step, SignUpStep::CompleteAutoSignIn);
    let signed = auth.auto_sign_in().await.unwrap();
    assert!(signed.is_signed_in);
    // Once only.
    assert!(auth.auto_sign_in().await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_sign_in_on_a_choice_based_client_and_a_classic_one() {
    sign_up_then_auto_sign_in(&Fixture::choice().await, "dee").await;
    let classic = Fixture::new(json!(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])).await;
    sign_up_then_auto_sign_in(&classic, "eli").await;
}
