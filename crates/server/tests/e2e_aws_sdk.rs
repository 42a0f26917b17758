//! End-to-end: every foundation operation through HTTP with the official
//! `aws-sdk-cognitoidentityprovider` crate, success and error cases, against an
//! in-process server (`keystep_testkit::TestServer`). One test per area; each starts its
//! own server, so they run in parallel and share nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::collections::BTreeSet;

use aws_sdk_cognitoidentityprovider as cip;
use cip::operation::admin_get_user::AdminGetUserError;
use cip::operation::confirm_sign_up::ConfirmSignUpError;
use cip::operation::create_user_pool::CreateUserPoolError;
use cip::operation::describe_user_pool::DescribeUserPoolError;
use cip::operation::sign_up::SignUpError;
use cip::types::{
    AccountRecoverySettingType, AdminCreateUserConfigType, AliasAttributeType, AttributeDataType,
    DefaultEmailOptionType, DeliveryMediumType, ExplicitAuthFlowsType, LambdaConfigType,
    MessageActionType, MessageTemplateType, NumberAttributeConstraintsType, PasswordPolicyType,
    PreventUserExistenceErrorTypes, RecoveryOptionNameType, RecoveryOptionType,
    SchemaAttributeType, SmsConfigurationType, SmsMfaConfigType, SoftwareTokenMfaConfigType,
    StringAttributeConstraintsType, TimeUnitsType, TokenValidityUnitsType, UserPoolMfaType,
    UserPoolPolicyType, UserPoolType, UserStatusType, UsernameAttributeType,
    UsernameConfigurationType, VerificationMessageTemplateType, VerifiedAttributeType,
};
use e2e_common::{
    assert_message, attr, attrs, expect_err, expect_err_status, failure, is_code, secret_hash,
    unique, Env, MISSING_POOL, PASSWORD,
};

const ROLE: &str = "arn:aws:iam::123456789012:role/keystep-sms";
const PRE: &str = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up";
const POST: &str = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation";

// ---- helpers ---------------------------------------------------------------------------------

fn policy(min: i32, symbols: bool) -> UserPoolPolicyType {
    UserPoolPolicyType::builder()
        .password_policy(
            PasswordPolicyType::builder()
                .minimum_length(min)
                .require_uppercase(true)
                .require_lowercase(true)
                .require_numbers(true)
                .require_symbols(symbols)
                .temporary_password_validity_days(3)
                .build(),
        )
        .build()
}

fn string_attr(name: &str, min: &str, max: &str) -> SchemaAttributeType {
    SchemaAttributeType::builder()
        .name(name)
        .attribute_data_type(AttributeDataType::String)
        .mutable(true)
        .string_attribute_constraints(
            StringAttributeConstraintsType::builder()
                .min_length(min)
                .max_length(max)
                .build(),
        )
        .build()
}

/// A pool with default settings (and `email` auto-verified); returns its id.
async fn email_pool(env: &Env) -> String {
    env.idp
        .create_user_pool()
        .pool_name(unique("pool"))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string()
}

async fn plain_client(env: &Env, pool_id: &str) -> String {
    env.idp
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name(unique("app"))
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_string()
}

/// AdminCreateUser with the invitation suppressed and a verified e-mail.
async fn admin_user(env: &Env, pool_id: &str, username: &str, email: &str) -> cip::types::UserType {
    env.idp
        .admin_create_user()
        .user_pool_id(pool_id)
        .username(username)
        .temporary_password("Temp-Pass-1234")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", email))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap()
        .user()
        .unwrap()
        .clone()
}

async fn status_of(env: &Env, pool_id: &str, username: &str) -> UserStatusType {
    env.idp
        .admin_get_user()
        .user_pool_id(pool_id)
        .username(username)
        .send()
        .await
        .unwrap()
        .user_status()
        .unwrap()
        .clone()
}

async fn all_pool_ids(env: &Env, page_size: i32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..1000 {
        let page = env
            .idp
            .list_user_pools()
            .max_results(page_size)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        assert!(page.user_pools().len() <= page_size as usize);
        ids.extend(
            page.user_pools()
                .iter()
                .map(|p| p.id().unwrap().to_string()),
        );
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return ids;
        }
    }
    panic!("ListUserPools pagination does not end");
}

fn schema_attr<'a>(pool: &'a UserPoolType, name: &str) -> &'a SchemaAttributeType {
    pool.schema_attributes()
        .iter()
        .find(|a| a.name() == Some(name))
        .unwrap_or_else(|| panic!("{name} missing from SchemaAttributes"))
}

// ---- pools -----------------------------------------------------------------------------------

fn assert_full_pool(pool: &UserPoolType, name: &str) {
    let id = pool.id().unwrap();
    assert_eq!(pool.name(), Some(name));
    assert_eq!(id.matches('_').count(), 1, "{id}");
    let (region, suffix) = id.split_once('_').unwrap();
    assert!(!region.is_empty() && suffix.chars().all(|c| c.is_ascii_alphanumeric()));
    let arn = pool.arn().unwrap();
    assert!(arn.starts_with("arn:aws:cognito-idp:"), "{arn}");
    assert!(arn.ends_with(&format!(":userpool/{id}")), "{arn}");
    assert!(pool.creation_date().is_some() && pool.last_modified_date().is_some());
    let pp = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(pp.minimum_length(), Some(10));
    assert!(pp.require_uppercase() && pp.require_lowercase() && pp.require_numbers());
    assert!(!pp.require_symbols());
    assert_eq!(pp.temporary_password_validity_days(), 3);
    assert_eq!(pool.username_attributes(), &[UsernameAttributeType::Email]);
    assert!(!pool.username_configuration().unwrap().case_sensitive());
    assert_eq!(
        pool.auto_verified_attributes(),
        &[VerifiedAttributeType::Email]
    );
    assert_eq!(pool.mfa_configuration(), Some(&UserPoolMfaType::Off));
    let sms = pool.sms_configuration().unwrap();
    assert_eq!(
        (sms.sns_caller_arn(), sms.external_id()),
        (ROLE, Some("ext-1"))
    );
    let lambda = pool.lambda_config().unwrap();
    assert_eq!(
        (lambda.pre_sign_up(), lambda.post_confirmation()),
        (Some(PRE), Some(POST))
    );
    let admin = pool.admin_create_user_config().unwrap();
    assert!(!admin.allow_admin_create_user_only());
    assert_eq!(
        admin.invite_message_template().unwrap().email_subject(),
        Some("Welcome aboard")
    );
    let recovery = pool
        .account_recovery_setting()
        .unwrap()
        .recovery_mechanisms();
    assert_eq!(recovery.len(), 1);
    assert_eq!(recovery[0].priority(), 1);
    assert_eq!(recovery[0].name(), &RecoveryOptionNameType::VerifiedEmail);
    let vmt = pool.verification_message_template().unwrap();
    assert_eq!(
        vmt.default_email_option(),
        Some(&DefaultEmailOptionType::ConfirmWithCode)
    );
    assert_eq!(vmt.email_message(), Some("Your code is {####}"));
    assert_eq!(vmt.email_subject(), Some("Verify your account"));
    let tier = schema_attr(pool, "custom:tier");
    assert_eq!(tier.attribute_data_type(), Some(&AttributeDataType::String));
    assert_eq!(
        tier.string_attribute_constraints().unwrap().max_length(),
        Some("16")
    );
    let level = schema_attr(pool, "custom:level");
    assert_eq!(
        level.attribute_data_type(),
        Some(&AttributeDataType::Number)
    );
    assert_eq!(
        level.number_attribute_constraints().unwrap().max_value(),
        Some("10")
    );
    assert_eq!(schema_attr(pool, "email").required(), Some(true));
    assert_eq!(schema_attr(pool, "sub").mutable(), Some(false));
    schema_attr(pool, "given_name");
    schema_attr(pool, "email_verified");
}

#[tokio::test]
async fn pools_create_describe_list_update_delete() {
    let env = Env::start().await;
    let name = unique("full");
    let created = env
        .idp
        .create_user_pool()
        .pool_name(&name)
        .policies(policy(10, false))
        .username_attributes(UsernameAttributeType::Email)
        .username_configuration(
            UsernameConfigurationType::builder()
                .case_sensitive(false)
                .build()
                .unwrap(),
        )
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .schema(string_attr("tier", "1", "16"))
        .schema(
            SchemaAttributeType::builder()
                .name("level")
                .attribute_data_type(AttributeDataType::Number)
                .mutable(true)
                .number_attribute_constraints(
                    NumberAttributeConstraintsType::builder()
                        .min_value("0")
                        .max_value("10")
                        .build(),
                )
                .build(),
        )
        .schema(
            SchemaAttributeType::builder()
                .name("email")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .required(true)
                .build(),
        )
        .mfa_configuration(UserPoolMfaType::Off)
        .sms_configuration(
            SmsConfigurationType::builder()
                .sns_caller_arn(ROLE)
                .external_id("ext-1")
                .build(),
        )
        .lambda_config(
            LambdaConfigType::builder()
                .pre_sign_up(PRE)
                .post_confirmation(POST)
                .build(),
        )
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(false)
                .invite_message_template(
                    MessageTemplateType::builder()
                        .email_message("Hello {username}, your temporary password is {####}")
                        .email_subject("Welcome aboard")
                        .build(),
                )
                .build(),
        )
        .account_recovery_setting(
            AccountRecoverySettingType::builder()
                .recovery_mechanisms(
                    RecoveryOptionType::builder()
                        .priority(1)
                        .name(RecoveryOptionNameType::VerifiedEmail)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .verification_message_template(
            VerificationMessageTemplateType::builder()
                .default_email_option(DefaultEmailOptionType::ConfirmWithCode)
                .email_message("Your code is {####}")
                .email_subject("Verify your account")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let created = created.user_pool().unwrap();
    assert_full_pool(created, &name);
    let id = created.id().unwrap().to_string();

    let described = env
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let described = described.user_pool().unwrap();
    assert_full_pool(described, &name);
    assert_eq!(described.estimated_number_of_users(), 0);
    assert_eq!(described.creation_date(), created.creation_date());

    // Two more pools, then list them one per page.
    let mut mine = vec![id.clone()];
    for _ in 0..2 {
        let p = env
            .idp
            .create_user_pool()
            .pool_name(unique("extra"))
            .send()
            .await
            .unwrap();
        mine.push(p.user_pool().unwrap().id().unwrap().to_string());
    }
    let listed = all_pool_ids(&env, 1).await;
    let unique_listed: BTreeSet<_> = listed.iter().cloned().collect();
    assert_eq!(unique_listed.len(), listed.len(), "a pool appeared twice");
    for m in &mine {
        assert!(unique_listed.contains(m), "{m} not listed");
    }

    env.idp
        .update_user_pool()
        .user_pool_id(&id)
        .policies(policy(12, true))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let updated = env
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let updated = updated.user_pool().unwrap();
    let pp = updated.policies().unwrap().password_policy().unwrap();
    assert_eq!(pp.minimum_length(), Some(12));
    assert!(pp.require_symbols());
    assert!(updated
        .admin_create_user_config()
        .unwrap()
        .allow_admin_create_user_only());
    assert_eq!(updated.name(), Some(name.as_str()));
    assert_eq!(
        updated.username_attributes(),
        &[UsernameAttributeType::Email]
    );
    schema_attr(updated, "custom:tier");
    assert!(
        updated
            .lambda_config()
            .and_then(|l| l.pre_sign_up())
            .is_none(),
        "UpdateUserPool resets what it omits"
    );
    assert!(updated.last_modified_date().unwrap() >= described.last_modified_date().unwrap());

    env.idp
        .delete_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let err = env
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap_err();
    let service = err.into_service_error();
    assert!(
        matches!(service, DescribeUserPoolError::ResourceNotFoundException(_)),
        "{service:?}"
    );
    assert_eq!(
        cip::error::ProvideErrorMetadata::message(&service),
        Some(format!("User pool {id} does not exist.").as_str())
    );
    expect_err(
        env.idp.delete_user_pool().user_pool_id(&id).send(),
        "ResourceNotFoundException",
    )
    .await;
    assert!(!all_pool_ids(&env, 60).await.contains(&id));
}

#[tokio::test]
async fn pools_errors_leave_nothing_behind() {
    let env = Env::start().await;
    let before = all_pool_ids(&env, 60).await;

    let f = expect_err(
        env.idp
            .describe_user_pool()
            .user_pool_id(MISSING_POOL)
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    assert_message(&f, &format!("User pool {MISSING_POOL} does not exist."));
    expect_err(
        env.idp
            .update_user_pool()
            .user_pool_id(MISSING_POOL)
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .send(),
        "ResourceNotFoundException",
    )
    .await;

    let err = env
        .idp
        .create_user_pool()
        .pool_name(unique("bad"))
        .username_attributes(UsernameAttributeType::Email)
        .alias_attributes(AliasAttributeType::Email)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, CreateUserPoolError::InvalidParameterException(_)),
        "{err:?}"
    );
    // The Rust SDK checks no ranges: 5 reaches the server, which must refuse it.
    let f = expect_err(
        env.idp
            .create_user_pool()
            .pool_name(unique("bad"))
            .policies(policy(5, false))
            .send(),
        "InvalidParameterException",
    )
    .await;
    assert_message(&f, "MinimumLength");
    expect_err(
        env.idp.create_user_pool().pool_name("no / slashes").send(),
        "InvalidParameterException",
    )
    .await;
    expect_err(
        env.idp.list_user_pools().max_results(0).send(),
        "InvalidParameterException",
    )
    .await;
    expect_err(
        env.idp.list_user_pools().max_results(61).send(),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        all_pool_ids(&env, 60).await,
        before,
        "a refused create left a pool"
    );
}

#[tokio::test]
async fn pool_mfa_config() {
    let env = Env::start().await;
    let pid = email_pool(&env).await;
    let got = env
        .idp
        .get_user_pool_mfa_config()
        .user_pool_id(&pid)
        .send()
        .await
        .unwrap();
    assert_eq!(got.mfa_configuration(), Some(&UserPoolMfaType::Off));

    let set = env
        .idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pid)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .sms_mfa_configuration(
            SmsMfaConfigType::builder()
                .sms_authentication_message("Your sign-in code is {####}")
                .sms_configuration(SmsConfigurationType::builder().sns_caller_arn(ROLE).build())
                .build(),
        )
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    assert_eq!(set.mfa_configuration(), Some(&UserPoolMfaType::Optional));
    assert!(set.software_token_mfa_configuration().unwrap().enabled());

    let got = env
        .idp
        .get_user_pool_mfa_config()
        .user_pool_id(&pid)
        .send()
        .await
        .unwrap();
    assert_eq!(got.mfa_configuration(), Some(&UserPoolMfaType::Optional));
    assert!(got.software_token_mfa_configuration().unwrap().enabled());
    assert_eq!(
        got.sms_mfa_configuration()
            .unwrap()
            .sms_authentication_message(),
        Some("Your sign-in code is {####}")
    );
    let pool = env
        .idp
        .describe_user_pool()
        .user_pool_id(&pid)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pool.user_pool().unwrap().mfa_configuration(),
        Some(&UserPoolMfaType::Optional)
    );

    // ON with every factor off is refused and changes nothing.
    let bare = email_pool(&env).await;
    expect_err(
        env.idp
            .set_user_pool_mfa_config()
            .user_pool_id(&bare)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(false).build(),
            )
            .mfa_configuration(UserPoolMfaType::On)
            .send(),
        "InvalidParameterException",
    )
    .await;
    let got = env
        .idp
        .get_user_pool_mfa_config()
        .user_pool_id(&bare)
        .send()
        .await
        .unwrap();
    assert_eq!(got.mfa_configuration(), Some(&UserPoolMfaType::Off));
    expect_err(
        env.idp
            .get_user_pool_mfa_config()
            .user_pool_id(MISSING_POOL)
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .set_user_pool_mfa_config()
            .user_pool_id(MISSING_POOL)
            .mfa_configuration(UserPoolMfaType::Off)
            .send(),
        "ResourceNotFoundException",
    )
    .await;
}

#[tokio::test]
async fn custom_attributes() {
    let env = Env::start().await;
    let pid = email_pool(&env).await;
    env.idp
        .add_custom_attributes()
        .user_pool_id(&pid)
        .custom_attributes(string_attr("plan", "1", "8"))
        .send()
        .await
        .unwrap();
    let pool = env
        .idp
        .describe_user_pool()
        .user_pool_id(&pid)
        .send()
        .await
        .unwrap();
    let plan = schema_attr(pool.user_pool().unwrap(), "custom:plan");
    assert_eq!(
        plan.string_attribute_constraints().unwrap().max_length(),
        Some("8")
    );

    let f = expect_err(
        env.idp
            .add_custom_attributes()
            .user_pool_id(&pid)
            .custom_attributes(string_attr("plan", "0", "4"))
            .send(),
        "InvalidParameterException",
    )
    .await;
    assert_message(&f, "custom:plan");
    expect_err(
        env.idp
            .add_custom_attributes()
            .user_pool_id(MISSING_POOL)
            .custom_attributes(string_attr("x", "0", "4"))
            .send(),
        "ResourceNotFoundException",
    )
    .await;

    env.idp
        .admin_create_user()
        .user_pool_id(&pid)
        .username("olga")
        .message_action(MessageActionType::Suppress)
        .temporary_password("Temp-Pass-1234")
        .user_attributes(attr("custom:plan", "gold"))
        .send()
        .await
        .unwrap();
    let olga = env
        .idp
        .admin_get_user()
        .user_pool_id(&pid)
        .username("olga")
        .send()
        .await
        .unwrap();
    assert_eq!(attrs(olga.user_attributes())["custom:plan"], "gold");
    for (name, value) in [("custom:plan", "platinum-plus"), ("custom:nope", "x")] {
        let f = expect_err(
            env.idp
                .admin_create_user()
                .user_pool_id(&pid)
                .username("olga2")
                .message_action(MessageActionType::Suppress)
                .user_attributes(attr(name, value))
                .send(),
            "InvalidParameterException",
        )
        .await;
        assert_message(&f, name);
    }
    expect_err(
        env.idp
            .admin_get_user()
            .user_pool_id(&pid)
            .username("olga2")
            .send(),
        "UserNotFoundException",
    )
    .await;
}

// ---- app clients -----------------------------------------------------------------------------

#[tokio::test]
async fn app_clients() {
    let env = Env::start().await;
    let pid = env
        .idp
        .create_user_pool()
        .pool_name(unique("clients"))
        .schema(string_attr("tier", "0", "32"))
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let flows = [
        ExplicitAuthFlowsType::AllowUserSrpAuth,
        ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ExplicitAuthFlowsType::AllowUserPasswordAuth,
    ];
    let units = TokenValidityUnitsType::builder()
        .access_token(TimeUnitsType::Hours)
        .id_token(TimeUnitsType::Hours)
        .refresh_token(TimeUnitsType::Days)
        .build();
    let full = env
        .idp
        .create_user_pool_client()
        .user_pool_id(&pid)
        .client_name("full-client")
        .generate_secret(true)
        .set_explicit_auth_flows(Some(flows.to_vec()))
        .access_token_validity(2)
        .id_token_validity(3)
        .refresh_token_validity(10)
        .token_validity_units(units.clone())
        .auth_session_validity(5)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .read_attributes("email")
        .read_attributes("custom:tier")
        .write_attributes("email")
        .enable_token_revocation(true)
        .send()
        .await
        .unwrap();
    let full = full.user_pool_client().unwrap().clone();
    let check = |c: &cip::types::UserPoolClientType, name: &str, access: i32| {
        assert_eq!(c.user_pool_id(), Some(pid.as_str()));
        assert_eq!(c.client_name(), Some(name));
        let id = c.client_id().unwrap();
        assert!(!id.is_empty() && id.len() <= 128);
        assert!(id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '+'));
        let secret = c.client_secret().expect("secret");
        assert!(
            (24..=64).contains(&secret.len()),
            "secret length {}",
            secret.len()
        );
        assert!(secret
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '+'));
        let got: BTreeSet<_> = c.explicit_auth_flows().iter().cloned().collect();
        assert_eq!(got, flows.iter().cloned().collect::<BTreeSet<_>>());
        assert_eq!(c.access_token_validity(), Some(access));
        assert_eq!(c.id_token_validity(), Some(3));
        assert_eq!(c.refresh_token_validity(), 10);
        assert_eq!(c.token_validity_units(), Some(&units));
        assert_eq!(c.auth_session_validity(), Some(5));
        assert_eq!(
            c.prevent_user_existence_errors(),
            Some(&PreventUserExistenceErrorTypes::Enabled)
        );
        let read: BTreeSet<_> = c.read_attributes().iter().map(String::as_str).collect();
        assert_eq!(read, BTreeSet::from(["email", "custom:tier"]));
        assert_eq!(c.write_attributes(), &["email".to_string()]);
        assert_eq!(c.enable_token_revocation(), Some(true));
        assert!(c.creation_date().is_some());
    };
    check(&full, "full-client", 2);
    let cid = full.client_id().unwrap().to_string();
    let described = env
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pid)
        .client_id(&cid)
        .send()
        .await
        .unwrap();
    let described = described.user_pool_client().unwrap();
    check(described, "full-client", 2);
    assert_eq!(described.client_secret(), full.client_secret());

    let plain = plain_client(&env, &pid).await;
    let plain_described = env
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pid)
        .client_id(&plain)
        .send()
        .await
        .unwrap();
    assert!(plain_described
        .user_pool_client()
        .unwrap()
        .client_secret()
        .is_none());

    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = env
            .idp
            .list_user_pool_clients()
            .user_pool_id(&pid)
            .max_results(1)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        assert!(page.user_pool_clients().len() <= 1);
        seen.extend(
            page.user_pool_clients()
                .iter()
                .map(|c| c.client_id().unwrap().to_string()),
        );
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
        assert!(seen.len() < 10, "pagination does not end");
    }
    seen.sort();
    let mut want = vec![cid.clone(), plain.clone()];
    want.sort();
    assert_eq!(seen, want);

    env.idp
        .update_user_pool_client()
        .user_pool_id(&pid)
        .client_id(&cid)
        .client_name("renamed")
        .set_explicit_auth_flows(Some(flows.to_vec()))
        .access_token_validity(1)
        .id_token_validity(3)
        .refresh_token_validity(10)
        .token_validity_units(units.clone())
        .auth_session_validity(5)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .read_attributes("email")
        .read_attributes("custom:tier")
        .write_attributes("email")
        .enable_token_revocation(true)
        .send()
        .await
        .unwrap();
    let after = env
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pid)
        .client_id(&cid)
        .send()
        .await
        .unwrap();
    let after = after.user_pool_client().unwrap();
    check(after, "renamed", 1);
    assert_eq!(
        after.client_secret(),
        full.client_secret(),
        "the secret changed"
    );

    // Refused settings create and change nothing.
    let refused: Vec<(
        &str,
        cip::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder,
    )> = vec![
        (
            "SessionValidity",
            env.idp.create_user_pool_client().auth_session_validity(20),
        ),
        (
            "AccessToken",
            env.idp
                .create_user_pool_client()
                .access_token_validity(2)
                .token_validity_units(
                    TokenValidityUnitsType::builder()
                        .access_token(TimeUnitsType::Days)
                        .build(),
                ),
        ),
        (
            "",
            env.idp
                .create_user_pool_client()
                .explicit_auth_flows(ExplicitAuthFlowsType::AdminNoSrpAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth),
        ),
        (
            "custom:nope",
            env.idp
                .create_user_pool_client()
                .read_attributes("custom:nope"),
        ),
    ];
    for (text, call) in refused {
        let f = expect_err(
            call.user_pool_id(&pid).client_name("refused").send(),
            "InvalidParameterException",
        )
        .await;
        assert_message(&f, text);
    }
    expect_err(
        env.idp
            .update_user_pool_client()
            .user_pool_id(&pid)
            .client_id(&plain)
            .client_name("refused")
            .auth_session_validity(20)
            .send(),
        "InvalidParameterException",
    )
    .await;
    let names: BTreeSet<String> = env
        .idp
        .list_user_pool_clients()
        .user_pool_id(&pid)
        .max_results(60)
        .send()
        .await
        .unwrap()
        .user_pool_clients()
        .iter()
        .map(|c| c.client_name().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains("renamed") && !names.contains("refused"));

    expect_err(
        env.idp
            .describe_user_pool_client()
            .user_pool_id(&pid)
            .client_id("nosuchclient0000000000000")
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .create_user_pool_client()
            .user_pool_id(MISSING_POOL)
            .client_name("x")
            .send(),
        "ResourceNotFoundException",
    )
    .await;

    env.idp
        .delete_user_pool_client()
        .user_pool_id(&pid)
        .client_id(&plain)
        .send()
        .await
        .unwrap();
    expect_err(
        env.idp
            .describe_user_pool_client()
            .user_pool_id(&pid)
            .client_id(&plain)
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .delete_user_pool_client()
            .user_pool_id(&pid)
            .client_id(&plain)
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .sign_up()
            .client_id(&plain)
            .username("ghost")
            .password(PASSWORD)
            .send(),
        "ResourceNotFoundException",
    )
    .await;
}

// ---- groups ----------------------------------------------------------------------------------

#[tokio::test]
async fn groups_and_membership() {
    let env = Env::start().await;
    let pid = email_pool(&env).await;
    let role = "arn:aws:iam::123456789012:role/readers";
    let g = env
        .idp
        .create_group()
        .user_pool_id(&pid)
        .group_name("readers")
        .description("Can read")
        .precedence(5)
        .role_arn(role)
        .send()
        .await
        .unwrap();
    let g = g.group().unwrap();
    assert_eq!(g.group_name(), Some("readers"));
    assert_eq!(g.user_pool_id(), Some(pid.as_str()));
    assert_eq!(
        (g.description(), g.precedence(), g.role_arn()),
        (Some("Can read"), Some(5), Some(role))
    );
    assert!(g.creation_date().is_some());

    expect_err(
        env.idp
            .create_group()
            .user_pool_id(&pid)
            .group_name("readers")
            .send(),
        "GroupExistsException",
    )
    .await;
    expect_err(
        env.idp
            .get_group()
            .user_pool_id(&pid)
            .group_name("nobody")
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    for name in ["writers", "admins"] {
        env.idp
            .create_group()
            .user_pool_id(&pid)
            .group_name(name)
            .send()
            .await
            .unwrap();
    }
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = env
            .idp
            .list_groups()
            .user_pool_id(&pid)
            .limit(2)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        assert!(page.groups().len() <= 2);
        names.extend(
            page.groups()
                .iter()
                .map(|g| g.group_name().unwrap().to_string()),
        );
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
        assert!(names.len() < 10);
    }
    names.sort();
    assert_eq!(names, ["admins", "readers", "writers"]);

    env.idp
        .update_group()
        .user_pool_id(&pid)
        .group_name("readers")
        .description("Reads all")
        .precedence(7)
        .send()
        .await
        .unwrap();
    let got = env
        .idp
        .get_group()
        .user_pool_id(&pid)
        .group_name("readers")
        .send()
        .await
        .unwrap();
    let got = got.group().unwrap();
    assert_eq!(
        (got.description(), got.precedence()),
        (Some("Reads all"), Some(7))
    );
    expect_err(
        env.idp
            .update_group()
            .user_pool_id(&pid)
            .group_name("nobody")
            .description("x")
            .send(),
        "ResourceNotFoundException",
    )
    .await;

    admin_user(&env, &pid, "paula", "paula@example.com").await;
    admin_user(&env, &pid, "quinn", "quinn@example.com").await;
    for (user, group) in [
        ("paula", "readers"),
        ("paula", "readers"),
        ("paula", "writers"),
        ("quinn", "readers"),
    ] {
        env.idp
            .admin_add_user_to_group()
            .user_pool_id(&pid)
            .username(user)
            .group_name(group)
            .send()
            .await
            .unwrap();
    }
    let groups_of = |user: &'static str| {
        let idp = env.idp.clone();
        let pid = pid.clone();
        async move {
            let mut v: Vec<String> = idp
                .admin_list_groups_for_user()
                .user_pool_id(pid)
                .username(user)
                .send()
                .await
                .unwrap()
                .groups()
                .iter()
                .map(|g| g.group_name().unwrap().to_string())
                .collect();
            v.sort();
            v
        }
    };
    let members_of = |group: &'static str| {
        let idp = env.idp.clone();
        let pid = pid.clone();
        async move {
            let mut v: Vec<String> = idp
                .list_users_in_group()
                .user_pool_id(pid)
                .group_name(group)
                .send()
                .await
                .unwrap()
                .users()
                .iter()
                .map(|u| u.username().unwrap().to_string())
                .collect();
            v.sort();
            v
        }
    };
    assert_eq!(groups_of("paula").await, ["readers", "writers"]);
    assert_eq!(members_of("readers").await, ["paula", "quinn"]);

    expect_err(
        env.idp
            .admin_add_user_to_group()
            .user_pool_id(&pid)
            .username("paula")
            .group_name("nobody")
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    let f = expect_err(
        env.idp
            .admin_add_user_to_group()
            .user_pool_id(&pid)
            .username("nobody")
            .group_name("readers")
            .send(),
        "UserNotFoundException",
    )
    .await;
    assert_message(&f, "User does not exist.");
    expect_err(
        env.idp
            .admin_list_groups_for_user()
            .user_pool_id(&pid)
            .username("nobody")
            .send(),
        "UserNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .list_users_in_group()
            .user_pool_id(&pid)
            .group_name("nobody")
            .send(),
        "ResourceNotFoundException",
    )
    .await;

    env.idp
        .admin_remove_user_from_group()
        .user_pool_id(&pid)
        .username("paula")
        .group_name("writers")
        .send()
        .await
        .unwrap();
    assert_eq!(groups_of("paula").await, ["readers"]);
    assert!(members_of("writers").await.is_empty());

    env.idp
        .admin_delete_user()
        .user_pool_id(&pid)
        .username("quinn")
        .send()
        .await
        .unwrap();
    assert_eq!(members_of("readers").await, ["paula"]);

    env.idp
        .delete_group()
        .user_pool_id(&pid)
        .group_name("readers")
        .send()
        .await
        .unwrap();
    expect_err(
        env.idp
            .get_group()
            .user_pool_id(&pid)
            .group_name("readers")
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .delete_group()
            .user_pool_id(&pid)
            .group_name("readers")
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    assert!(groups_of("paula").await.is_empty());
    expect_err(
        env.idp
            .create_group()
            .user_pool_id(MISSING_POOL)
            .group_name("g")
            .send(),
        "ResourceNotFoundException",
    )
    .await;
}

// ---- sign-up ---------------------------------------------------------------------------------

#[tokio::test]
async fn sign_up_confirm_resend_and_admin_confirm() {
    let env = Env::start().await;
    let pid = email_pool(&env).await;
    let cid = plain_client(&env, &pid).await;

    let out = env
        .idp
        .sign_up()
        .client_id(&cid)
        .username("alice")
        .password(PASSWORD)
        .user_attributes(attr("email", "alice@example.com"))
        .send()
        .await
        .unwrap();
    assert!(!out.user_confirmed());
    let sub = out.user_sub().to_string();
    assert_eq!(sub.len(), 36, "{sub}");
    let cdd = out.code_delivery_details().unwrap();
    assert_eq!(cdd.destination(), Some("a***@e***"));
    assert_eq!(cdd.delivery_medium(), Some(&DeliveryMediumType::Email));
    assert_eq!(cdd.attribute_name(), Some("email"));
    assert_eq!(
        status_of(&env, &pid, "alice").await,
        UserStatusType::Unconfirmed
    );

    let entries = env.outbox(&pid, Some("alice")).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0];
    assert_eq!(
        (e.purpose.as_str(), e.medium.as_str()),
        ("sign_up", "EMAIL")
    );
    assert_eq!(e.destination, "alice@example.com");
    let code = e.code.clone().unwrap();
    assert!(is_code(&code));
    assert!(e.body.contains(&code));

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let err = env
        .idp
        .confirm_sign_up()
        .client_id(&cid)
        .username("alice")
        .confirmation_code(wrong)
        .send()
        .await
        .unwrap_err();
    let f = failure(err);
    assert_eq!(f.code, "CodeMismatchException", "{}", f.context);
    assert_eq!(
        f.message,
        "Invalid verification code provided, please try again."
    );
    assert_eq!(
        status_of(&env, &pid, "alice").await,
        UserStatusType::Unconfirmed
    );

    // A resent code replaces the first one.
    let resent = env
        .idp
        .resend_confirmation_code()
        .client_id(&cid)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resent.code_delivery_details().unwrap().destination(),
        Some("a***@e***")
    );
    let second = env.latest_code(&pid, "alice", "resend_code").await;
    if second != code {
        let err = env
            .idp
            .confirm_sign_up()
            .client_id(&cid)
            .username("alice")
            .confirmation_code(&code)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(
            matches!(
                err,
                ConfirmSignUpError::CodeMismatchException(_)
                    | ConfirmSignUpError::ExpiredCodeException(_)
            ),
            "{err:?}"
        );
    }
    env.idp
        .confirm_sign_up()
        .client_id(&cid)
        .username("alice")
        .confirmation_code(&second)
        .send()
        .await
        .unwrap();
    let user = env
        .idp
        .admin_get_user()
        .user_pool_id(&pid)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
    let a = attrs(user.user_attributes());
    assert_eq!(a["email_verified"], "true");
    assert_eq!(a["sub"], sub);

    let f = expect_err(
        env.idp
            .confirm_sign_up()
            .client_id(&cid)
            .username("alice")
            .confirmation_code(&second)
            .send(),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(
        f.message,
        "User cannot be confirmed. Current status is CONFIRMED"
    );
    let err = env
        .idp
        .sign_up()
        .client_id(&cid)
        .username("alice")
        .password(PASSWORD)
        .user_attributes(attr("email", "x@example.com"))
        .send()
        .await
        .unwrap_err();
    let f = failure(err);
    assert_eq!(
        (f.code.as_str(), f.message.as_str()),
        ("UsernameExistsException", "User already exists")
    );

    let f = expect_err(
        env.idp
            .sign_up()
            .client_id(&cid)
            .username("weak")
            .password("short")
            .user_attributes(attr("email", "weak@example.com"))
            .send(),
        "InvalidPasswordException",
    )
    .await;
    assert_message(&f, "Password did not conform with policy");
    let f = expect_err(
        env.idp
            .sign_up()
            .client_id(&cid)
            .username("longname")
            .password(PASSWORD)
            .user_attributes(attr("email", "long@example.com"))
            .user_attributes(attr("given_name", &"x".repeat(2049)))
            .send(),
        "InvalidParameterException",
    )
    .await;
    assert_message(&f, "given_name");
    let f = expect_err(
        env.idp
            .confirm_sign_up()
            .client_id(&cid)
            .username("nobody")
            .confirmation_code("123456")
            .send(),
        "UserNotFoundException",
    )
    .await;
    assert_message(&f, "User does not exist.");
    for name in ["weak", "longname"] {
        let err = env
            .idp
            .admin_get_user()
            .user_pool_id(&pid)
            .username(name)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(
            matches!(err, AdminGetUserError::UserNotFoundException(_)),
            "{err:?}"
        );
    }
    let err = env
        .idp
        .sign_up()
        .client_id("nosuchclient0000000000000")
        .username("bob")
        .password(PASSWORD)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, SignUpError::ResourceNotFoundException(_)),
        "{err:?}"
    );

    // AdminConfirmSignUp.
    env.idp
        .sign_up()
        .client_id(&cid)
        .username("carl")
        .password(PASSWORD)
        .user_attributes(attr("email", "carl@example.com"))
        .send()
        .await
        .unwrap();
    env.idp
        .admin_confirm_sign_up()
        .user_pool_id(&pid)
        .username("carl")
        .send()
        .await
        .unwrap();
    assert_eq!(
        status_of(&env, &pid, "carl").await,
        UserStatusType::Confirmed
    );
    expect_err(
        env.idp
            .admin_confirm_sign_up()
            .user_pool_id(&pid)
            .username("carl")
            .send(),
        "NotAuthorizedException",
    )
    .await;
    expect_err(
        env.idp
            .admin_confirm_sign_up()
            .user_pool_id(&pid)
            .username("nobody")
            .send(),
        "UserNotFoundException",
    )
    .await;
}

#[tokio::test]
async fn sign_up_by_sms_masks_the_phone() {
    let env = Env::start().await;
    let pid = env
        .idp
        .create_user_pool()
        .pool_name(unique("sms"))
        .auto_verified_attributes(VerifiedAttributeType::PhoneNumber)
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let cid = plain_client(&env, &pid).await;
    let out = env
        .idp
        .sign_up()
        .client_id(&cid)
        .username("dora")
        .password(PASSWORD)
        .user_attributes(attr("phone_number", "+15555551234"))
        .send()
        .await
        .unwrap();
    let cdd = out.code_delivery_details().unwrap();
    assert_eq!(cdd.destination(), Some("+*******1234"));
    assert_eq!(cdd.delivery_medium(), Some(&DeliveryMediumType::Sms));
    assert_eq!(cdd.attribute_name(), Some("phone_number"));
    let entries = env.outbox(&pid, Some("dora")).await;
    let last = entries.last().unwrap();
    assert_eq!(
        (last.medium.as_str(), last.destination.as_str()),
        ("SMS", "+15555551234")
    );
    env.idp
        .confirm_sign_up()
        .client_id(&cid)
        .username("dora")
        .confirmation_code(last.code.clone().unwrap())
        .send()
        .await
        .unwrap();
    let user = env
        .idp
        .admin_get_user()
        .user_pool_id(&pid)
        .username("dora")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
    assert_eq!(
        attrs(user.user_attributes())["phone_number_verified"],
        "true"
    );
}

#[tokio::test]
async fn sign_up_with_a_client_secret() {
    let env = Env::start().await;
    let pid = email_pool(&env).await;
    let client = env
        .idp
        .create_user_pool_client()
        .user_pool_id(&pid)
        .client_name("secret-app")
        .generate_secret(true)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    let cid = client.client_id().unwrap().to_string();
    let secret = client.client_secret().unwrap().to_string();
    let sign_up = |hash: Option<String>| {
        env.idp
            .sign_up()
            .client_id(&cid)
            .username("fay")
            .password(PASSWORD)
            .user_attributes(attr("email", "fay@example.com"))
            .set_secret_hash(hash)
            .send()
    };

    let f = expect_err(sign_up(None), "NotAuthorizedException").await;
    assert_message(&f, &cid);
    assert!(f.message.to_lowercase().contains("secret"), "{}", f.message);
    let f = expect_err(
        sign_up(Some(secret_hash(&secret, "someone-else", &cid))),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(
        f.message,
        format!("Unable to verify secret hash for client {cid}")
    );
    expect_err(
        env.idp
            .admin_get_user()
            .user_pool_id(&pid)
            .username("fay")
            .send(),
        "UserNotFoundException",
    )
    .await;

    let out = sign_up(Some(secret_hash(&secret, "fay", &cid)))
        .await
        .unwrap();
    assert!(!out.user_confirmed());
    let code = env.latest_code(&pid, "fay", "sign_up").await;
    let confirm = |hash: Option<String>| {
        env.idp
            .confirm_sign_up()
            .client_id(&cid)
            .username("fay")
            .confirmation_code(&code)
            .set_secret_hash(hash)
            .send()
    };
    expect_err(confirm(None), "NotAuthorizedException").await;
    let f = expect_err(
        confirm(Some(secret_hash(&format!("{secret}x"), "fay", &cid))),
        "NotAuthorizedException",
    )
    .await;
    assert_message(&f, "Unable to verify secret hash");
    assert_eq!(
        status_of(&env, &pid, "fay").await,
        UserStatusType::Unconfirmed
    );
    expect_err(
        env.idp
            .resend_confirmation_code()
            .client_id(&cid)
            .username("fay")
            .send(),
        "NotAuthorizedException",
    )
    .await;
    confirm(Some(secret_hash(&secret, "fay", &cid)))
        .await
        .unwrap();
    assert_eq!(
        status_of(&env, &pid, "fay").await,
        UserStatusType::Confirmed
    );
}

#[tokio::test]
async fn aliases_and_username_attributes() {
    let env = Env::start().await;
    // E-mail as the username: the stored username is the sub.
    let pid = env
        .idp
        .create_user_pool()
        .pool_name(unique("email-user"))
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let cid = plain_client(&env, &pid).await;
    let out = env
        .idp
        .sign_up()
        .client_id(&cid)
        .username("gus@example.com")
        .password(PASSWORD)
        .user_attributes(attr("email", "gus@example.com"))
        .send()
        .await
        .unwrap();
    let sub = out.user_sub().to_string();
    let user = env
        .idp
        .admin_get_user()
        .user_pool_id(&pid)
        .username("gus@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(user.username(), sub);
    let code = env.latest_code(&pid, &sub, "sign_up").await;
    env.idp
        .confirm_sign_up()
        .client_id(&cid)
        .username("gus@example.com")
        .confirmation_code(code)
        .send()
        .await
        .unwrap();
    assert_eq!(status_of(&env, &pid, &sub).await, UserStatusType::Confirmed);
    expect_err(
        env.idp
            .sign_up()
            .client_id(&cid)
            .username("gus@example.com")
            .password(PASSWORD)
            .user_attributes(attr("email", "gus@example.com"))
            .send(),
        "UsernameExistsException",
    )
    .await;
    let f = expect_err(
        env.idp
            .sign_up()
            .client_id(&cid)
            .username("gus")
            .password(PASSWORD)
            .send(),
        "InvalidParameterException",
    )
    .await;
    assert_message(&f, "Username should be an email.");

    // E-mail as an alias.
    let alias_pool = env
        .idp
        .create_user_pool()
        .pool_name(unique("alias"))
        .alias_attributes(AliasAttributeType::Email)
        .alias_attributes(AliasAttributeType::PreferredUsername)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let acid = plain_client(&env, &alias_pool).await;
    env.idp
        .sign_up()
        .client_id(&acid)
        .username("hana")
        .password(PASSWORD)
        .user_attributes(attr("email", "hana@example.com"))
        .send()
        .await
        .unwrap();
    let code = env.latest_code(&alias_pool, "hana", "sign_up").await;
    env.idp
        .confirm_sign_up()
        .client_id(&acid)
        .username("hana")
        .confirmation_code(code)
        .send()
        .await
        .unwrap();
    let by_alias = env
        .idp
        .admin_get_user()
        .user_pool_id(&alias_pool)
        .username("hana@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(by_alias.username(), "hana");
    let f = expect_err(
        env.idp
            .sign_up()
            .client_id(&acid)
            .username("ian@example.com")
            .password(PASSWORD)
            .user_attributes(attr("email", "ian@example.com"))
            .send(),
        "InvalidParameterException",
    )
    .await;
    assert_message(&f, "Username cannot be of email format");

    // Case sensitivity.
    for (sensitive, pool_name) in [(false, "loose"), (true, "strict")] {
        let p = env
            .idp
            .create_user_pool()
            .pool_name(unique(pool_name))
            .username_configuration(
                UsernameConfigurationType::builder()
                    .case_sensitive(sensitive)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap()
            .user_pool()
            .unwrap()
            .id()
            .unwrap()
            .to_string();
        admin_user(&env, &p, "Harry", "harry@example.com").await;
        let other_case = env
            .idp
            .admin_get_user()
            .user_pool_id(&p)
            .username("hARRY")
            .send()
            .await;
        if sensitive {
            let f = failure(other_case.unwrap_err());
            assert_eq!(f.code, "UserNotFoundException", "{}", f.context);
            admin_user(&env, &p, "harry", "harry2@example.com").await;
        } else {
            assert_eq!(other_case.unwrap().username().to_lowercase(), "harry");
            expect_err(
                env.idp
                    .admin_create_user()
                    .user_pool_id(&p)
                    .username("HARRY")
                    .message_action(MessageActionType::Suppress)
                    .send(),
                "UsernameExistsException",
            )
            .await;
        }
    }
}

// ---- admin users -----------------------------------------------------------------------------

#[tokio::test]
async fn admin_create_user_invitations_and_errors() {
    let env = Env::start().await;
    let pid = env
        .idp
        .create_user_pool()
        .pool_name(unique("admin"))
        .policies(policy(12, true))
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .invite_message_template(
                    MessageTemplateType::builder()
                        .email_message("Hello {username}, your temporary password is {####}")
                        .email_subject("Welcome aboard")
                        .sms_message("User {username} password {####}")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();

    // Generated temporary password, delivered by e-mail.
    let out = env
        .idp
        .admin_create_user()
        .user_pool_id(&pid)
        .username("jack")
        .user_attributes(attr("email", "jack@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let user = out.user().unwrap();
    assert_eq!(user.username(), Some("jack"));
    assert_eq!(
        user.user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    assert!(user.enabled());
    let a = attrs(user.attributes());
    assert_eq!(a["email"], "jack@example.com");
    assert!(a.contains_key("sub"));
    let entries = env.outbox(&pid, Some("jack")).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let invite = &entries[0];
    assert_eq!(invite.purpose, "admin_create_user");
    assert_eq!(
        (invite.medium.as_str(), invite.destination.as_str()),
        ("EMAIL", "jack@example.com")
    );
    let temp = invite.code.clone().unwrap();
    assert!(temp.len() >= 12, "{temp}");
    assert!(temp.chars().any(|c| c.is_ascii_lowercase()));
    assert!(temp.chars().any(|c| c.is_ascii_uppercase()));
    assert!(temp.chars().any(|c| c.is_ascii_digit()));
    assert!(temp.chars().any(|c| !c.is_ascii_alphanumeric()));
    assert_eq!(invite.subject.as_deref(), Some("Welcome aboard"));
    assert_eq!(
        invite.body,
        format!("Hello jack, your temporary password is {temp}")
    );

    // RESEND.
    let again = env
        .idp
        .admin_create_user()
        .user_pool_id(&pid)
        .username("jack")
        .message_action(MessageActionType::Resend)
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.user().unwrap().user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    let entries = env.outbox(&pid, Some("jack")).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].purpose, "admin_create_user");

    // SUPPRESS, with a given temporary password.
    env.idp
        .admin_create_user()
        .user_pool_id(&pid)
        .username("kate")
        .temporary_password("Given-Temp-Pass-77")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", "kate@example.com"))
        .send()
        .await
        .unwrap();
    assert!(env.outbox(&pid, Some("kate")).await.is_empty());
    // A given temporary password is what the invitation carries; SMS delivery.
    env.idp
        .admin_create_user()
        .user_pool_id(&pid)
        .username("mia")
        .temporary_password("Given-Temp-Pass-78")
        .user_attributes(attr("phone_number", "+15555550100"))
        .desired_delivery_mediums(DeliveryMediumType::Sms)
        .send()
        .await
        .unwrap();
    let sms = env.outbox(&pid, Some("mia")).await;
    assert_eq!(sms.len(), 1);
    assert_eq!(
        (sms[0].medium.as_str(), sms[0].destination.as_str()),
        ("SMS", "+15555550100")
    );
    assert_eq!(sms[0].code.as_deref(), Some("Given-Temp-Pass-78"));
    assert_eq!(sms[0].body, "User mia password Given-Temp-Pass-78");

    // Errors.
    let f = expect_err(
        env.idp
            .admin_create_user()
            .user_pool_id(&pid)
            .username("jack")
            .message_action(MessageActionType::Suppress)
            .send(),
        "UsernameExistsException",
    )
    .await;
    // Cognito says "User account already exists" here ("User already exists" on SignUp).
    assert_message(&f, "already exists");
    expect_err(
        env.idp
            .admin_create_user()
            .user_pool_id(&pid)
            .username("nobody")
            .message_action(MessageActionType::Resend)
            .send(),
        "UserNotFoundException",
    )
    .await;
    let f = expect_err(
        env.idp
            .admin_create_user()
            .user_pool_id(&pid)
            .username("oscar")
            .temporary_password("short")
            .message_action(MessageActionType::Suppress)
            .send(),
        "InvalidPasswordException",
    )
    .await;
    assert_message(&f, "Password did not conform with policy");
    expect_err(
        env.idp
            .admin_get_user()
            .user_pool_id(&pid)
            .username("oscar")
            .send(),
        "UserNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .admin_create_user()
            .user_pool_id(MISSING_POOL)
            .username("x")
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    env.idp
        .admin_set_user_password()
        .user_pool_id(&pid)
        .username("kate")
        .password("Perm-Pass-12345")
        .permanent(true)
        .send()
        .await
        .unwrap();
    expect_err(
        env.idp
            .admin_create_user()
            .user_pool_id(&pid)
            .username("kate")
            .message_action(MessageActionType::Resend)
            .send(),
        "UnsupportedUserStateException",
    )
    .await;
    assert!(env.outbox(&pid, Some("kate")).await.is_empty());
}

#[tokio::test]
async fn admin_user_management() {
    let env = Env::start().await;
    let pid = env
        .idp
        .create_user_pool()
        .pool_name(unique("manage"))
        .policies(policy(12, true))
        .schema(string_attr("tier", "0", "32"))
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    admin_user(&env, &pid, "rita", "rita@example.com").await;

    // AdminGetUser.
    let user = env
        .idp
        .admin_get_user()
        .user_pool_id(&pid)
        .username("rita")
        .send()
        .await
        .unwrap();
    assert_eq!(user.username(), "rita");
    assert_eq!(
        user.user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    assert!(user.enabled());
    assert!(user.user_create_date().is_some() && user.user_last_modified_date().is_some());
    let f = expect_err(
        env.idp
            .admin_get_user()
            .user_pool_id(&pid)
            .username("nobody")
            .send(),
        "UserNotFoundException",
    )
    .await;
    assert_eq!(f.message, "User does not exist.");
    let f = expect_err(
        env.idp
            .admin_get_user()
            .user_pool_id(MISSING_POOL)
            .username("rita")
            .send(),
        "ResourceNotFoundException",
    )
    .await;
    assert_eq!(
        f.message,
        format!("User pool {MISSING_POOL} does not exist.")
    );

    // AdminSetUserPassword.
    let set_password = |password: &'static str, permanent: bool| {
        env.idp
            .admin_set_user_password()
            .user_pool_id(&pid)
            .username("rita")
            .password(password)
            .permanent(permanent)
            .send()
    };
    set_password("Perm-Pass-12345", true).await.unwrap();
    assert_eq!(
        status_of(&env, &pid, "rita").await,
        UserStatusType::Confirmed
    );
    set_password("Temp-Pass-67890", false).await.unwrap();
    assert_eq!(
        status_of(&env, &pid, "rita").await,
        UserStatusType::ForceChangePassword
    );
    let f = expect_err(set_password("weak", true), "InvalidPasswordException").await;
    assert_message(&f, "Password did not conform with policy");
    assert_eq!(
        status_of(&env, &pid, "rita").await,
        UserStatusType::ForceChangePassword
    );
    expect_err(
        env.idp
            .admin_set_user_password()
            .user_pool_id(&pid)
            .username("nobody")
            .password("Perm-Pass-12345")
            .permanent(true)
            .send(),
        "UserNotFoundException",
    )
    .await;

    // AdminUpdateUserAttributes / AdminDeleteUserAttributes.
    env.idp
        .admin_update_user_attributes()
        .user_pool_id(&pid)
        .username("rita")
        .user_attributes(attr("given_name", "Rita"))
        .user_attributes(attr("custom:tier", "gold"))
        .send()
        .await
        .unwrap();
    let get = || async {
        attrs(
            env.idp
                .admin_get_user()
                .user_pool_id(&pid)
                .username("rita")
                .send()
                .await
                .unwrap()
                .user_attributes(),
        )
    };
    let a = get().await;
    assert_eq!(
        (a["given_name"].as_str(), a["custom:tier"].as_str()),
        ("Rita", "gold")
    );
    env.idp
        .admin_update_user_attributes()
        .user_pool_id(&pid)
        .username("rita")
        .user_attributes(attr("email", "rita@example.org"))
        .send()
        .await
        .unwrap();
    let a = get().await;
    assert_eq!(
        (a["email"].as_str(), a["email_verified"].as_str()),
        ("rita@example.org", "false"),
        "a changed e-mail is unverified"
    );
    let before = get().await;
    for (updates, text) in [
        (vec![attr("given_name", &"x".repeat(2049))], "given_name"),
        (
            vec![
                attr("family_name", "Ok"),
                attr("given_name", &"y".repeat(4000)),
            ],
            "given_name",
        ),
        (vec![attr("custom:nope", "x")], "custom:nope"),
        (
            vec![attr("sub", "00000000-0000-0000-0000-000000000000")],
            "sub",
        ),
    ] {
        let f = expect_err(
            env.idp
                .admin_update_user_attributes()
                .user_pool_id(&pid)
                .username("rita")
                .set_user_attributes(Some(updates))
                .send(),
            "InvalidParameterException",
        )
        .await;
        assert_message(&f, text);
    }
    assert_eq!(get().await, before, "a refused update changed the user");
    env.idp
        .admin_delete_user_attributes()
        .user_pool_id(&pid)
        .username("rita")
        .user_attribute_names("given_name")
        .user_attribute_names("custom:tier")
        .send()
        .await
        .unwrap();
    let a = get().await;
    assert!(!a.contains_key("given_name") && !a.contains_key("custom:tier"));
    assert_eq!(a["email"], "rita@example.org");
    expect_err(
        env.idp
            .admin_delete_user_attributes()
            .user_pool_id(&pid)
            .username("rita")
            .user_attribute_names("custom:nope")
            .send(),
        "InvalidParameterException",
    )
    .await;
    expect_err(
        env.idp
            .admin_update_user_attributes()
            .user_pool_id(&pid)
            .username("nobody")
            .user_attributes(attr("given_name", "N"))
            .send(),
        "UserNotFoundException",
    )
    .await;

    // AdminDisableUser / AdminEnableUser.
    env.idp
        .admin_disable_user()
        .user_pool_id(&pid)
        .username("rita")
        .send()
        .await
        .unwrap();
    let enabled = || async {
        env.idp
            .admin_get_user()
            .user_pool_id(&pid)
            .username("rita")
            .send()
            .await
            .unwrap()
            .enabled()
    };
    assert!(!enabled().await);
    env.idp
        .admin_enable_user()
        .user_pool_id(&pid)
        .username("rita")
        .send()
        .await
        .unwrap();
    assert!(enabled().await);
    expect_err(
        env.idp
            .admin_disable_user()
            .user_pool_id(&pid)
            .username("x")
            .send(),
        "UserNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .admin_enable_user()
            .user_pool_id(&pid)
            .username("x")
            .send(),
        "UserNotFoundException",
    )
    .await;

    // AdminResetUserPassword: RESET_REQUIRED and a code by e-mail.
    admin_user(&env, &pid, "tess", "tess@example.com").await;
    env.idp
        .admin_set_user_password()
        .user_pool_id(&pid)
        .username("tess")
        .password("Perm-Pass-12345")
        .permanent(true)
        .send()
        .await
        .unwrap();
    env.idp
        .admin_reset_user_password()
        .user_pool_id(&pid)
        .username("tess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        status_of(&env, &pid, "tess").await,
        UserStatusType::ResetRequired
    );
    let entries = env.outbox(&pid, Some("tess")).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].purpose, "forgot_password");
    assert_eq!(entries[0].destination, "tess@example.com");
    assert!(is_code(entries[0].code.as_deref().unwrap()));
    expect_err(
        env.idp
            .admin_reset_user_password()
            .user_pool_id(&pid)
            .username("nobody")
            .send(),
        "UserNotFoundException",
    )
    .await;

    // AdminDeleteUser.
    env.idp
        .admin_delete_user()
        .user_pool_id(&pid)
        .username("tess")
        .send()
        .await
        .unwrap();
    expect_err(
        env.idp
            .admin_get_user()
            .user_pool_id(&pid)
            .username("tess")
            .send(),
        "UserNotFoundException",
    )
    .await;
    expect_err(
        env.idp
            .admin_delete_user()
            .user_pool_id(&pid)
            .username("tess")
            .send(),
        "UserNotFoundException",
    )
    .await;
}

// ---- ListUsers -------------------------------------------------------------------------------

#[tokio::test]
async fn list_users_filters_and_pages() {
    let env = Env::start().await;
    let pid = email_pool(&env).await;
    let cid = plain_client(&env, &pid).await;
    let mut subs = std::collections::BTreeMap::new();
    for (username, given) in [
        ("u1", "Alpha"),
        ("u2", "Alfred"),
        ("u3", "Bravo"),
        ("u4", "O\"Neil"),
        ("u5", "Charlie"),
    ] {
        let user = env
            .idp
            .admin_create_user()
            .user_pool_id(&pid)
            .username(username)
            .temporary_password("Temp-Pass-1234")
            .message_action(MessageActionType::Suppress)
            .user_attributes(attr("email", &format!("{username}@example.com")))
            .user_attributes(attr("given_name", given))
            .send()
            .await
            .unwrap();
        subs.insert(
            username,
            attrs(user.user().unwrap().attributes())["sub"].clone(),
        );
    }
    env.idp
        .sign_up()
        .client_id(&cid)
        .username("u6")
        .password(PASSWORD)
        .user_attributes(attr("email", "u6@example.com"))
        .send()
        .await
        .unwrap();
    env.idp
        .admin_disable_user()
        .user_pool_id(&pid)
        .username("u5")
        .send()
        .await
        .unwrap();

    let list = |filter: Option<String>, limit: i32, only: Option<Vec<String>>| {
        let idp = env.idp.clone();
        let pid = pid.clone();
        async move {
            let mut users = Vec::new();
            let mut token: Option<String> = None;
            for _ in 0..100 {
                let page = idp
                    .list_users()
                    .user_pool_id(&pid)
                    .limit(limit)
                    .set_filter(filter.clone())
                    .set_attributes_to_get(only.clone())
                    .set_pagination_token(token.clone())
                    .send()
                    .await
                    .unwrap();
                assert!(page.users().len() <= limit as usize);
                users.extend(page.users().iter().cloned());
                token = page.pagination_token().map(str::to_string);
                if token.is_none() {
                    return users;
                }
            }
            panic!("ListUsers pagination does not end");
        }
    };
    let names = |filter: &str| {
        let l = list(Some(filter.to_string()), 60, None);
        async move {
            let mut v: Vec<String> = l
                .await
                .iter()
                .map(|u| u.username().unwrap().to_string())
                .collect();
            v.sort();
            v
        }
    };
    assert_eq!(names("email = \"u3@example.com\"").await, ["u3"]);
    assert_eq!(names("given_name ^= \"Al\"").await, ["u1", "u2"]);
    assert_eq!(names("username = \"u2\"").await, ["u2"]);
    assert_eq!(names("given_name = \"O\\\"Neil\"").await, ["u4"]);
    assert_eq!(names("cognito:user_status = \"UNCONFIRMED\"").await, ["u6"]);
    assert_eq!(names("status = \"Disabled\"").await, ["u5"]);
    assert_eq!(names(&format!("sub = \"{}\"", subs["u3"])).await, ["u3"]);
    assert!(names("email = \"nobody@example.com\"").await.is_empty());

    let everyone = list(None, 2, None).await;
    let mut usernames: Vec<_> = everyone.iter().map(|u| u.username().unwrap()).collect();
    usernames.sort();
    assert_eq!(usernames, ["u1", "u2", "u3", "u4", "u5", "u6"]);
    let find = |n: &str| everyone.iter().find(|u| u.username() == Some(n)).unwrap();
    assert_eq!(find("u6").user_status(), Some(&UserStatusType::Unconfirmed));
    assert_eq!(
        find("u1").user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    assert!(!find("u5").enabled());
    assert_eq!(attrs(find("u1").attributes())["given_name"], "Alpha");

    let only_email = list(None, 60, Some(vec!["email".to_string()])).await;
    assert_eq!(only_email.len(), 6);
    for u in &only_email {
        let names: Vec<_> = u.attributes().iter().map(|a| a.name()).collect();
        assert_eq!(names, ["email"], "{u:?}");
    }
    let filtered = list(Some("given_name ^= \"Al\"".to_string()), 1, None).await;
    assert_eq!(filtered.len(), 2);

    for bad in [
        "email == \"x\"",
        "email = x",
        "nickname = \"x\"",
        "given_name",
    ] {
        expect_err(
            env.idp.list_users().user_pool_id(&pid).filter(bad).send(),
            "InvalidParameterException",
        )
        .await;
    }
    expect_err(
        env.idp.list_users().user_pool_id(&pid).limit(61).send(),
        "InvalidParameterException",
    )
    .await;
    expect_err(
        env.idp
            .list_users()
            .user_pool_id(&pid)
            .pagination_token("not-a-real-token")
            .send(),
        "InvalidParameterException",
    )
    .await;
    let f = expect_err(
        env.idp.list_users().user_pool_id(MISSING_POOL).send(),
        "ResourceNotFoundException",
    )
    .await;
    assert_eq!(
        f.message,
        format!("User pool {MISSING_POOL} does not exist.")
    );
}

#[tokio::test]
async fn confirmation_code_expires_after_a_day() {
    let env = Env::start().await;
    let pid = email_pool(&env).await;
    let cid = plain_client(&env, &pid).await;
    env.idp
        .sign_up()
        .client_id(&cid)
        .username("late")
        .password(PASSWORD)
        .user_attributes(attr("email", "late@example.com"))
        .send()
        .await
        .unwrap();
    let code = env.latest_code(&pid, "late", "sign_up").await;
    env.server
        .clock()
        .advance(std::time::Duration::from_secs(24 * 3600 + 60));
    let f = expect_err(
        env.idp
            .confirm_sign_up()
            .client_id(&cid)
            .username("late")
            .confirmation_code(&code)
            .send(),
        "ExpiredCodeException",
    )
    .await;
    assert_eq!(
        f.message,
        "Invalid code provided, please request a code again."
    );
    assert_eq!(
        status_of(&env, &pid, "late").await,
        UserStatusType::Unconfirmed
    );
    // A new code works.
    env.idp
        .resend_confirmation_code()
        .client_id(&cid)
        .username("late")
        .send()
        .await
        .unwrap();
    let fresh = env.latest_code(&pid, "late", "resend_code").await;
    env.idp
        .confirm_sign_up()
        .client_id(&cid)
        .username("late")
        .confirmation_code(&fresh)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status_of(&env, &pid, "late").await,
        UserStatusType::Confirmed
    );
}

// ---- authentication and bad input ------------------------------------------------------------

#[tokio::test]
async fn admin_call_with_a_wrong_secret_is_refused() {
    let env = Env::start().await;
    let name = unique("refused");
    let bad = env.client_with(&env.access_key, &format!("{}x", env.secret_key));
    expect_err_status(
        bad.create_user_pool().pool_name(&name).send(),
        "InvalidSignatureException",
        403,
    )
    .await;
    expect_err_status(
        bad.list_user_pools().max_results(10).send(),
        "InvalidSignatureException",
        403,
    )
    .await;
    let stranger = env.client_with("AKIAZZZZZZZZZZZZZZZZ", &env.secret_key);
    expect_err_status(
        stranger.list_user_pools().max_results(10).send(),
        "UnrecognizedClientException",
        403,
    )
    .await;
    let (status, body) = env
        .raw(
            Some("CreateUserPool"),
            format!("{{\"PoolName\":\"{name}\"}}").into_bytes(),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["__type"], "MissingAuthenticationTokenException");

    // Nothing was created; the right credentials still work.
    let pools = env
        .idp
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert!(pools
        .user_pools()
        .iter()
        .all(|p| p.name() != Some(name.as_str())));

    // The outbox wants the admin credentials too.
    assert!(matches!(env.outbox_status(None).await, 401 | 403));
    use base64::Engine;
    let wrong = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}x", env.access_key, env.secret_key));
    assert!(matches!(
        env.outbox_status(Some(&format!("Basic {wrong}"))).await,
        401 | 403
    ));
}

#[tokio::test]
async fn bad_input_gets_a_4xx_and_changes_nothing() {
    let env = Env::start().await;
    let pid = email_pool(&env).await;
    let cid = plain_client(&env, &pid).await;
    env.idp
        .sign_up()
        .client_id(&cid)
        .username("victim")
        .password(PASSWORD)
        .user_attributes(attr("email", "victim@example.com"))
        .send()
        .await
        .unwrap();
    let snapshot = || async {
        let user = env
            .idp
            .admin_get_user()
            .user_pool_id(&pid)
            .username("victim")
            .send()
            .await
            .unwrap();
        let users = env
            .idp
            .list_users()
            .user_pool_id(&pid)
            .send()
            .await
            .unwrap()
            .users()
            .len();
        (
            format!(
                "{:?}{:?}{:?}{:?}",
                user.username(),
                user.user_status(),
                attrs(user.user_attributes()),
                user.user_last_modified_date()
            ),
            users,
            env.outbox(&pid, None).await.len(),
        )
    };
    let before = snapshot().await;
    let good = serde_json::json!({
        "ClientId": cid,
        "Username": "newcomer",
        "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": "newcomer@example.com"}],
    });
    let with = |key: &str, value: serde_json::Value| {
        let mut v = good.clone();
        v[key] = value;
        serde_json::to_vec(&v).unwrap()
    };
    let without = |key: &str| {
        let mut v = good.clone();
        v.as_object_mut().unwrap().remove(key);
        serde_json::to_vec(&v).unwrap()
    };
    let either = ["SerializationException", "InvalidParameterException"];
    let cases: Vec<(&str, &str, Vec<u8>, &[&str])> = vec![
        (
            "malformed JSON",
            "SignUp",
            b"{\"ClientId\": \"abc\", \"Username\":".to_vec(),
            &["SerializationException"],
        ),
        (
            "array body",
            "SignUp",
            b"[1, 2]".to_vec(),
            &["SerializationException"],
        ),
        (
            "missing Username",
            "SignUp",
            without("Username"),
            &["InvalidParameterException"],
        ),
        (
            "Username a number",
            "SignUp",
            with("Username", serde_json::json!(12345)),
            &either,
        ),
        (
            "attributes a string",
            "SignUp",
            with("UserAttributes", serde_json::json!("email=x")),
            &either,
        ),
        (
            "over-long attribute",
            "SignUp",
            with(
                "UserAttributes",
                serde_json::json!([{"Name": "given_name", "Value": "z".repeat(2049)}]),
            ),
            &["InvalidParameterException"],
        ),
        (
            "unknown client",
            "SignUp",
            with("ClientId", serde_json::json!("nosuchclient0000000000000")),
            &["ResourceNotFoundException"],
        ),
        (
            "unknown target",
            "NoSuchOperation",
            serde_json::to_vec(&good).unwrap(),
            &["UnknownOperationException"],
        ),
    ];
    for (label, target, body, types) in cases {
        let (status, answer) = env.raw(Some(target), body).await;
        assert_eq!(status, 400, "{label}: {answer}");
        let ty = answer["__type"].as_str().unwrap_or_default();
        assert!(types.contains(&ty), "{label}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{label}: {answer}");
        assert_eq!(snapshot().await, before, "{label}: the stored data changed");
    }
    let (_, answer) = env.raw(Some("SignUp"), without("Username")).await;
    let message = answer["message"].as_str().unwrap().to_lowercase();
    assert!(
        message.contains("username"),
        "the missing member is not named: {answer}"
    );

    // 6 MiB body.
    let huge = with(
        "UserAttributes",
        serde_json::json!([{"Name": "given_name", "Value": "h".repeat(6 << 20)}]),
    );
    let (status, answer) = env.raw(Some("SignUp"), huge).await;
    assert!(
        (400..500).contains(&status),
        "oversized body: {status} {answer}"
    );
    assert_eq!(snapshot().await, before);

    // Still serving: a good request works.
    let out = env
        .idp
        .sign_up()
        .client_id(&cid)
        .username("newcomer")
        .password(PASSWORD)
        .user_attributes(attr("email", "newcomer@example.com"))
        .send()
        .await
        .unwrap();
    assert!(!out.user_confirmed());
}
