//! End-to-end: sign-in operations through the official `aws-sdk-cognitoidentityprovider`
//! (typed requests, typed responses, modeled error names).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, SoftwareTokenMfaSettingsType,
};
use e2e_common::{attr, attrs, expect_err, secret_hash, unique, Env, PASSWORD};
use keystep_core::ports::Clock;

/// A pool with MFA `mfa` (TOTP offered) and a client allowing the password flows.
async fn pool(env: &Env, mfa: &str, with_secret: bool) -> (String, String, Option<String>) {
    let pool = env
        .idp
        .create_user_pool()
        .pool_name(unique("sdk-signin"))
        .send()
        .await
        .unwrap();
    let pool_id = pool.user_pool().unwrap().id().unwrap().to_string();
    if mfa != "OFF" {
        env.idp
            .set_user_pool_mfa_config()
            .user_pool_id(&pool_id)
            .mfa_configuration(mfa.into())
            .software_token_mfa_configuration(
                cip::types::SoftwareTokenMfaConfigType::builder()
                    .enabled(true)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    let client = env
        .idp
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .generate_secret(with_secret)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    let c = client.user_pool_client().unwrap();
    (
        pool_id,
        c.client_id().unwrap().to_string(),
        c.client_secret().map(str::to_string),
    )
}

async fn confirmed_user(env: &Env, pool_id: &str, name: &str) {
    env.idp
        .admin_create_user()
        .user_pool_id(pool_id)
        .username(name)
        .user_attributes(attr("email", &format!("{name}@example.com")))
        .message_action(cip::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    env.idp
        .admin_set_user_password()
        .user_pool_id(pool_id)
        .username(name)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn admin_flows_new_password_and_error_names() {
    let env = Env::start().await;
    let (pool_id, client_id, _) = pool(&env, "OFF", false).await;
    env.idp
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("newbie")
        .temporary_password("Temp-Pass-123!")
        .message_action(cip::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();

    let start = env
        .idp
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "newbie")
        .auth_parameters("PASSWORD", "Temp-Pass-123!")
        .send()
        .await
        .unwrap();
    assert_eq!(
        start.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let params = start.challenge_parameters().unwrap();
    assert_eq!(params["requiredAttributes"], "[]");
    let done = env
        .idp
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(start.session().unwrap())
        .challenge_responses("USERNAME", "newbie")
        .challenge_responses("NEW_PASSWORD", PASSWORD)
        .challenge_responses("userAttributes.given_name", "New")
        .send()
        .await
        .unwrap();
    let tokens = done.authentication_result().unwrap();
    assert_eq!(tokens.token_type(), Some("Bearer"));
    assert!(tokens.refresh_token().is_some());
    let me = env
        .idp
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("newbie")
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.user_status(),
        Some(&cip::types::UserStatusType::Confirmed)
    );
    assert_eq!(attrs(me.user_attributes())["given_name"], "New");

    // USER_SRP_AUTH is not among the client's flows.
    let f = expect_err(
        env.idp
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", "newbie")
            .auth_parameters("SRP_A", "abcd")
            .send(),
        "InvalidParameterException",
    )
    .await;
    e2e_common::assert_message(&f, "not enabled for this client");
    // The admin flow through the public API.
    expect_err(
        env.idp
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", "newbie")
            .auth_parameters("PASSWORD", PASSWORD)
            .send(),
        "InvalidParameterException",
    )
    .await;
    // LEGACY user existence errors.
    expect_err(
        env.idp
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "nobody")
            .auth_parameters("PASSWORD", PASSWORD)
            .send(),
        "UserNotFoundException",
    )
    .await;
    env.idp
        .admin_disable_user()
        .user_pool_id(&pool_id)
        .username("newbie")
        .send()
        .await
        .unwrap();
    let f = expect_err(
        env.idp
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "newbie")
            .auth_parameters("PASSWORD", PASSWORD)
            .send(),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(f.message, "User is disabled.");
}

#[tokio::test]
async fn totp_after_sign_in_then_as_the_second_factor() {
    let env = Env::start().await;
    let (pool_id, client_id, secret) = pool(&env, "OPTIONAL", true).await;
    let secret = secret.unwrap();
    confirmed_user(&env, &pool_id, "tina").await;
    let sign_in = || {
        env.idp
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "tina")
            .auth_parameters("PASSWORD", PASSWORD)
            .auth_parameters("SECRET_HASH", secret_hash(&secret, "tina", &client_id))
            .send()
    };
    let first = sign_in().await.unwrap();
    let access = first
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_string();

    // Enabling TOTP before a secret is verified is refused.
    expect_err(
        env.idp
            .set_user_mfa_preference()
            .access_token(&access)
            .software_token_mfa_settings(
                SoftwareTokenMfaSettingsType::builder()
                    .enabled(true)
                    .preferred_mfa(true)
                    .build(),
            )
            .send(),
        "InvalidParameterException",
    )
    .await;
    let assoc = env
        .idp
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    let totp_secret =
        keystep_core::totp::base32_decode(assoc.secret_code().unwrap()).expect("base32 secret");
    let now = env.server.clock().now();
    let step = keystep_core::totp::step_at(now);
    let right = keystep_core::totp::code_at_step(&totp_secret, step);
    let wrong = keystep_core::totp::code_at_step(&totp_secret, step + 10);
    expect_err(
        env.idp
            .verify_software_token()
            .access_token(&access)
            .user_code(&wrong)
            .send(),
        "EnableSoftwareTokenMFAException",
    )
    .await;
    let verified = env
        .idp
        .verify_software_token()
        .access_token(&access)
        .user_code(&right)
        .friendly_device_name("phone")
        .send()
        .await
        .unwrap();
    assert_eq!(
        verified.status(),
        Some(&cip::types::VerifySoftwareTokenResponseType::Success)
    );
    env.idp
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let me = env
        .idp
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));

    let second = sign_in().await.unwrap();
    assert_eq!(
        second.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    assert_eq!(
        second.challenge_parameters().unwrap()["FRIENDLY_DEVICE_NAME"],
        "phone"
    );
    // The code that verified the secret was used: it is refused, and the session survives.
    let respond = |code: String| {
        env.idp
            .respond_to_auth_challenge()
            .client_id(&client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(second.session().unwrap())
            .challenge_responses("USERNAME", "tina")
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .challenge_responses("SECRET_HASH", secret_hash(&secret, "tina", &client_id))
            .send()
    };
    expect_err(respond(right.clone()), "CodeMismatchException").await;
    env.server.clock().advance(Duration::from_secs(30));
    let next = keystep_core::totp::code_at_step(&totp_secret, step + 1);
    let done = respond(next).await.unwrap();
    assert!(done.authentication_result().unwrap().id_token().is_some());
}

#[tokio::test]
async fn refresh_revoke_and_admin_global_sign_out() {
    let env = Env::start().await;
    let (pool_id, client_id, secret) = pool(&env, "OFF", true).await;
    let secret = secret.unwrap();
    confirmed_user(&env, &pool_id, "rick").await;
    let signed_in = env
        .idp
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminNoSrpAuth)
        .auth_parameters("USERNAME", "rick")
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("SECRET_HASH", secret_hash(&secret, "rick", &client_id))
        .send()
        .await
        .unwrap();
    let tokens = signed_in.authentication_result().unwrap();
    let refresh = tokens.refresh_token().unwrap().to_string();

    // GetTokensFromRefreshToken proves the client with the raw secret: a wrong one of the
    // model's shape is not authorized, a too short one is not even valid input.
    expect_err(
        env.idp
            .get_tokens_from_refresh_token()
            .client_id(&client_id)
            .refresh_token(&refresh)
            .client_secret("notthesecretnotthesecret0")
            .send(),
        "NotAuthorizedException",
    )
    .await;
    expect_err(
        env.idp
            .get_tokens_from_refresh_token()
            .client_id(&client_id)
            .refresh_token(&refresh)
            .client_secret("short")
            .send(),
        "InvalidParameterException",
    )
    .await;
    let fresh = env
        .idp
        .get_tokens_from_refresh_token()
        .client_id(&client_id)
        .refresh_token(&refresh)
        .client_secret(&secret)
        .send()
        .await
        .unwrap();
    assert!(fresh
        .authentication_result()
        .unwrap()
        .access_token()
        .is_some());
    // RevokeToken refuses an access token.
    expect_err(
        env.idp
            .revoke_token()
            .client_id(&client_id)
            .client_secret(&secret)
            .token(tokens.access_token().unwrap())
            .send(),
        "UnsupportedTokenTypeException",
    )
    .await;

    env.idp
        .admin_user_global_sign_out()
        .user_pool_id(&pool_id)
        .username("rick")
        .send()
        .await
        .unwrap();
    let f = expect_err(
        env.idp
            .get_user()
            .access_token(tokens.access_token().unwrap())
            .send(),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(f.message, "Access Token has been revoked");
    expect_err(
        env.idp
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", &refresh)
            .auth_parameters("SECRET_HASH", secret_hash(&secret, "rick", &client_id))
            .send(),
        "NotAuthorizedException",
    )
    .await;
}
