//! The user lifecycle over a real SQLite store: sign-up, confirmation, codes, admin
//! management, passwords and ListUsers.
//!
//! These live here rather than beside the code because `keystep-store` depends on
//! `keystep-core`: only an integration test sees one `Store` trait on both sides.

// Helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use keystep_core::app_client::{AppClient, ClientSettings};
use keystep_core::code::CodePurpose;
use keystep_core::message::{Medium, MessagePurpose, OutgoingMessage};
use keystep_core::pool::{AliasKind, PoolSettings, SignInIdentifiers, UserPool};
use keystep_core::ports::{Clock, DeliveryError, Messenger, SystemRng};

use common::TestClock;
use keystep_core::service::admin_users::{
    AdminCreateUserInput, AdminSetUserPasswordInput, AdminUpdateUserAttributesInput,
    ListUsersInput, MessageAction,
};
use keystep_core::service::signup::{ConfirmSignUpInput, ResendConfirmationCodeInput, SignUpInput};
use keystep_core::service::Keystep;
use keystep_core::user::UserStatus;
use keystep_core::AuthError;

const PASSWORD: &str = "Correct-Horse-9!";

/// Records every message instead of sending it.
#[derive(Default)]
struct Recorder(Mutex<Vec<OutgoingMessage>>);

#[async_trait]
impl Messenger for Recorder {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        self.0.lock().unwrap().push(message.clone());
        Ok(())
    }
}

impl Recorder {
    fn last(&self) -> OutgoingMessage {
        self.0
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a message was sent")
    }
    fn last_code(&self) -> String {
        self.last().code.expect("the message carries a code")
    }
    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

struct Harness {
    ks: Keystep,
    clock: Arc<TestClock>,
    sent: Arc<Recorder>,
    pool: UserPool,
    client: AppClient,
    _dir: tempfile::TempDir,
}

async fn harness(settings: PoolSettings, client_settings: ClientSettings) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let store = keystep_store::open(&url).await.unwrap();
    let clock = Arc::new(TestClock::new());
    let sent = Arc::new(Recorder::default());
    let ks = common::keystep(store, clock.clone(), sent.clone());
    let now = clock.now();
    let pool = UserPool {
        id: keystep_core::ids::new_pool_id(&SystemRng, "us-east-1"),
        name: "test".into(),
        created_at: now,
        modified_at: now,
        settings: settings.into(),
    };
    ks.store.insert_pool(&pool).await.unwrap();
    let client = AppClient {
        pool_id: pool.id.clone(),
        client_id: keystep_core::ids::new_client_id(&SystemRng),
        name: "app".into(),
        secret: None,
        created_at: now,
        modified_at: now,
        settings: client_settings.into(),
        secret_rotation: Default::default(),
    };
    ks.store.insert_client(&client).await.unwrap();
    Harness {
        ks,
        clock,
        sent,
        pool,
        client,
        _dir: dir,
    }
}

fn email_pool() -> PoolSettings {
    PoolSettings {
        auto_verified: vec![AliasKind::Email],
        ..Default::default()
    }
}

fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

impl Harness {
    async fn sign_up(&self, username: &str, email: &str) -> Result<String, AuthError> {
        let out = self
            .ks
            .sign_up(SignUpInput {
                client_id: self.client.client_id.clone(),
                username: username.into(),
                password: Some(PASSWORD.into()),
                attributes: attrs(&[("email", email)]),
                ..Default::default()
            })
            .await?;
        assert!(!out.user_confirmed);
        Ok(out.user_sub)
    }

    async fn confirm(&self, username: &str, code: &str) -> Result<(), AuthError> {
        self.confirm_forcing(username, code, false).await
    }

    async fn confirm_forcing(
        &self,
        username: &str,
        code: &str,
        force: bool,
    ) -> Result<(), AuthError> {
        self.ks
            .confirm_sign_up(ConfirmSignUpInput {
                client_id: self.client.client_id.clone(),
                username: username.into(),
                confirmation_code: code.into(),
                force_alias_creation: force,
                ..Default::default()
            })
            .await
            .map(|_| ())
    }

    async fn user(&self, name: &str) -> keystep_core::user::User {
        self.ks.require_user(&self.pool, name).await.unwrap()
    }
}

fn wrong(code: &str) -> String {
    if code == "000000" {
        "111111".into()
    } else {
        "000000".into()
    }
}

#[tokio::test]
async fn sign_up_then_confirm_with_the_code_sent() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    let out =
        h.ks.sign_up(SignUpInput {
            client_id: h.client.client_id.clone(),
            username: "jane".into(),
            password: Some(PASSWORD.into()),
            attributes: attrs(&[("email", "jane@example.com")]),
            ..Default::default()
        })
        .await
        .unwrap();
    let delivery = out.delivery.expect("a code went out");
    assert_eq!(delivery.medium, Medium::Email);
    assert_eq!(delivery.destination_masked, "j***@e***");
    assert_eq!(delivery.attribute_name, "email");
    let msg = h.sent.last();
    assert_eq!(msg.destination, "jane@example.com");
    assert_eq!(msg.purpose, MessagePurpose::SignUp);
    let code = msg.code.clone().unwrap();
    assert_eq!(msg.body, format!("Your verification code is {code}. "));

    let user = h.user("jane").await;
    assert_eq!(user.status, UserStatus::Unconfirmed);
    assert_eq!(user.sub, out.user_sub);

    // Wrong code first: a mismatch, and the right one still works afterwards.
    assert!(matches!(
        h.confirm("jane", &wrong(&code)).await,
        Err(AuthError::CodeMismatch(_))
    ));
    h.confirm("JANE", &code).await.unwrap();
    let user = h.user("jane").await;
    assert_eq!(user.status, UserStatus::Confirmed);
    assert!(user.is_verified("email"));

    assert_eq!(
        h.confirm("jane", &code).await,
        Err(AuthError::NotAuthorized(
            "User cannot be confirmed. Current status is CONFIRMED".into()
        ))
    );
}

#[tokio::test]
async fn expired_codes_and_exhausted_codes_stop_working() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    h.sign_up("jane", "jane@example.com").await.unwrap();
    let code = h.sent.last_code();
    h.clock.advance_secs(24 * 3600 + 1);
    assert!(matches!(
        h.confirm("jane", &code).await,
        Err(AuthError::ExpiredCode(_))
    ));

    h.sign_up("bob", "bob@example.com").await.unwrap();
    let code = h.sent.last_code();
    for _ in 0..4 {
        assert!(matches!(
            h.confirm("bob", &wrong(&code)).await,
            Err(AuthError::CodeMismatch(_))
        ));
    }
    assert!(matches!(
        h.confirm("bob", &wrong(&code)).await,
        Err(AuthError::TooManyFailedAttempts(_))
    ));
    assert!(matches!(
        h.confirm("bob", &code).await,
        Err(AuthError::ExpiredCode(_))
    ));
}

#[tokio::test]
async fn a_code_works_once() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    h.sign_up("jane", "jane@example.com").await.unwrap();
    let user = h.user("jane").await;
    h.ks.send_code(
        &h.pool,
        &user,
        CodePurpose::VerifyEmail,
        MessagePurpose::VerifyUserAttribute,
        Medium::Email,
    )
    .await
    .unwrap();
    let code = h.sent.last_code();
    h.ks.verify_code(&h.pool, &user, CodePurpose::VerifyEmail, &code)
        .await
        .unwrap();
    assert!(matches!(
        h.ks.verify_code(&h.pool, &user, CodePurpose::VerifyEmail, &code)
            .await,
        Err(AuthError::ExpiredCode(_))
    ));
}

#[tokio::test]
async fn resend_replaces_the_code() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    h.sign_up("jane", "jane@example.com").await.unwrap();
    let old = h.sent.last_code();
    let delivery =
        h.ks.resend_confirmation_code(ResendConfirmationCodeInput {
            client_id: h.client.client_id.clone(),
            username: "jane".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(delivery.medium, Medium::Email);
    assert_eq!(h.sent.last().purpose, MessagePurpose::ResendCode);
    let new = h.sent.last_code();
    if new != old {
        assert!(matches!(
            h.confirm("jane", &old).await,
            Err(AuthError::CodeMismatch(_))
        ));
    }
    h.confirm("jane", &new).await.unwrap();

    assert_eq!(
        h.ks.resend_confirmation_code(ResendConfirmationCodeInput {
            client_id: h.client.client_id.clone(),
            username: "jane".into(),
            ..Default::default()
        })
        .await,
        Err(AuthError::InvalidParameter(
            "User is already confirmed.".into()
        ))
    );
}

#[tokio::test]
async fn duplicate_usernames_are_refused_case_insensitively() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    h.sign_up("jane", "jane@example.com").await.unwrap();
    assert_eq!(
        h.sign_up("Jane", "other@example.com").await,
        Err(AuthError::UsernameExists("User already exists".into()))
    );
}

#[tokio::test]
async fn sign_up_validates_before_writing() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    let bad_password =
        h.ks.sign_up(SignUpInput {
            client_id: h.client.client_id.clone(),
            username: "jane".into(),
            password: Some("short".into()),
            ..Default::default()
        })
        .await;
    assert!(matches!(bad_password, Err(AuthError::InvalidPassword(_))));
    let bad_attr = h.sign_up("jane", "not-an-email").await;
    assert!(matches!(bad_attr, Err(AuthError::InvalidParameter(_))));
    assert!(h.ks.find_user(&h.pool, "jane").await.unwrap().is_none());
    assert_eq!(h.sent.count(), 0);

    let unknown_client =
        h.ks.sign_up(SignUpInput {
            client_id: "nope".into(),
            username: "jane".into(),
            password: Some(PASSWORD.into()),
            ..Default::default()
        })
        .await;
    assert!(matches!(
        unknown_client,
        Err(AuthError::ResourceNotFound(_))
    ));
}

#[tokio::test]
async fn admin_only_pools_refuse_sign_up() {
    let h = harness(
        PoolSettings {
            admin_create_user_only: true,
            ..email_pool()
        },
        ClientSettings::default(),
    )
    .await;
    assert_eq!(
        h.sign_up("jane", "jane@example.com").await,
        Err(AuthError::NotAuthorized(
            "SignUp is not permitted for this user pool".into()
        ))
    );
}

#[tokio::test]
async fn verified_alias_conflicts_and_force_alias_creation() {
    let h = harness(
        PoolSettings {
            identifiers: SignInIdentifiers {
                alias_attributes: vec![AliasKind::Email],
                ..Default::default()
            },
            ..email_pool()
        },
        ClientSettings::default(),
    )
    .await;
    assert!(matches!(
        h.sign_up("jane@example.com", "jane@example.com").await,
        Err(AuthError::InvalidParameter(_))
    ));
    h.sign_up("jane", "shared@example.com").await.unwrap();
    h.confirm("jane", &h.sent.last_code()).await.unwrap();
    // The verified e-mail now signs Jane in.
    assert_eq!(h.user("shared@example.com").await.username, "jane");

    // A second user may sign up with it, but not confirm it without forcing.
    h.sign_up("bob", "shared@example.com").await.unwrap();
    let code = h.sent.last_code();
    assert_eq!(
        h.confirm("bob", &code).await,
        Err(AuthError::AliasExists(
            "An account with the email already exists.".into()
        ))
    );
    // The conflict did not use the code up.
    h.confirm_forcing("bob", &code, true).await.unwrap();
    assert_eq!(h.user("shared@example.com").await.username, "bob");
    let jane = h.user("jane").await;
    assert!(!jane.is_verified("email"));
}

#[tokio::test]
async fn email_as_username_pools() {
    let h = harness(
        PoolSettings {
            identifiers: SignInIdentifiers {
                username_attributes: vec![AliasKind::Email],
                ..Default::default()
            },
            ..email_pool()
        },
        ClientSettings::default(),
    )
    .await;
    let out =
        h.ks.sign_up(SignUpInput {
            client_id: h.client.client_id.clone(),
            username: "Jane@Example.com".into(),
            password: Some(PASSWORD.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(out.delivery.is_some());
    let user = h.user("jane@example.com").await;
    assert_eq!(user.username, out.user_sub);
    assert_eq!(user.attr("email"), Some("Jane@Example.com"));
    assert!(h.ks.check_password(&h.pool, &user, PASSWORD));

    let dup =
        h.ks.sign_up(SignUpInput {
            client_id: h.client.client_id.clone(),
            username: "jane@example.com".into(),
            password: Some(PASSWORD.into()),
            ..Default::default()
        })
        .await;
    assert_eq!(
        dup,
        Err(AuthError::UsernameExists(
            "An account with the given email already exists.".into()
        ))
    );
    let not_email =
        h.ks.sign_up(SignUpInput {
            client_id: h.client.client_id.clone(),
            username: "jane".into(),
            password: Some(PASSWORD.into()),
            ..Default::default()
        })
        .await;
    assert!(matches!(not_email, Err(AuthError::InvalidParameter(_))));

    // Confirm by the e-mail typed differently, and by the sub.
    h.confirm("JANE@example.com", &h.sent.last_code())
        .await
        .unwrap();
    assert_eq!(h.user(&out.user_sub).await.status, UserStatus::Confirmed);
}

#[tokio::test]
async fn passwords_are_sealed_verifiers() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    h.sign_up("jane", "jane@example.com").await.unwrap();
    let user = h.user("jane").await;
    assert!(h.ks.check_password(&h.pool, &user, PASSWORD));
    assert!(!h.ks.check_password(&h.pool, &user, "Correct-Horse-9?"));

    let sealed = user.password.clone().unwrap();
    assert!(!sealed
        .0
        .windows(PASSWORD.len())
        .any(|w| w == PASSWORD.as_bytes()));
    let opened = h.ks.open_verifier(&h.pool, &user).unwrap();
    assert_eq!(opened.salt.len(), 16);
    assert!(!opened
        .verifier
        .windows(PASSWORD.len())
        .any(|w| w == PASSWORD.as_bytes()));
    assert!(!format!("{user:?}").contains(PASSWORD));
    let input = SignUpInput {
        username: "jane".into(),
        password: Some(PASSWORD.into()),
        ..Default::default()
    };
    assert!(!format!("{input:?}").contains(PASSWORD));
    let input = AdminSetUserPasswordInput {
        password: PASSWORD.into(),
        ..Default::default()
    };
    assert!(!format!("{input:?}").contains(PASSWORD));

    // The sealed value is bound to its user: copied to another, it does not open.
    let mut other = user.clone();
    other.sub = "00000000-0000-4000-8000-000000000000".into();
    assert!(h.ks.open_verifier(&h.pool, &other).is_err());
    assert!(!h.ks.check_password(&h.pool, &other, PASSWORD));
}

#[tokio::test]
async fn prevent_user_existence_errors() {
    let legacy = harness(email_pool(), ClientSettings::default()).await;
    assert_eq!(
        legacy.confirm("ghost", "123456").await,
        Err(AuthError::UserNotFound("User does not exist.".into()))
    );

    let h = harness(
        email_pool(),
        ClientSettings {
            prevent_user_existence_errors: true,
            ..Default::default()
        },
    )
    .await;
    assert!(matches!(
        h.confirm("ghost", "123456").await,
        Err(AuthError::CodeMismatch(_))
    ));
    let resend = || {
        h.ks.resend_confirmation_code(ResendConfirmationCodeInput {
            client_id: h.client.client_id.clone(),
            username: "ghost".into(),
            ..Default::default()
        })
    };
    let first = resend().await.unwrap();
    assert_eq!(first, resend().await.unwrap());
    assert_eq!(first.medium, Medium::Email);
    assert_eq!(h.sent.count(), 0);
}

#[tokio::test]
async fn admin_create_user_with_a_generated_temporary_password() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    let out =
        h.ks.admin_create_user(AdminCreateUserInput {
            pool_id: h.pool.id.clone(),
            username: "jane".into(),
            attributes: attrs(&[("email", "jane@example.com"), ("email_verified", "true")]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(out.user.status, UserStatus::ForceChangePassword);
    assert_eq!(out.user.attributes[0].0, "sub");
    // No phone number: the default SMS falls back to e-mail.
    assert_eq!(out.deliveries.len(), 1);
    assert_eq!(out.deliveries[0].medium, Medium::Email);
    let msg = h.sent.last();
    assert_eq!(msg.purpose, MessagePurpose::AdminCreateUser);
    let temporary = msg.code.clone().unwrap();
    assert_eq!(
        msg.body,
        format!("Your username is jane and temporary password is {temporary}. ")
    );
    assert!(h.pool.settings.password_policy.check(&temporary).is_ok());
    let user = h.user("jane").await;
    assert!(h.ks.check_password(&h.pool, &user, &temporary));

    let again =
        h.ks.admin_create_user(AdminCreateUserInput {
            pool_id: h.pool.id.clone(),
            username: "jane".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(
        again,
        Err(AuthError::UsernameExists(
            "User account already exists".into()
        ))
    );

    // RESEND: a new temporary password replaces the old one.
    h.ks.admin_create_user(AdminCreateUserInput {
        pool_id: h.pool.id.clone(),
        username: "jane".into(),
        message_action: Some(MessageAction::Resend),
        ..Default::default()
    })
    .await
    .unwrap();
    let second = h.sent.last_code();
    let user = h.user("jane").await;
    assert!(h.ks.check_password(&h.pool, &user, &second));
    if second != temporary {
        assert!(!h.ks.check_password(&h.pool, &user, &temporary));
    }

    // SUPPRESS sends nothing; a policy-breaking temporary password is refused.
    let before = h.sent.count();
    h.ks.admin_create_user(AdminCreateUserInput {
        pool_id: h.pool.id.clone(),
        username: "quiet".into(),
        temporary_password: Some(PASSWORD.into()),
        message_action: Some(MessageAction::Suppress),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(h.sent.count(), before);
    let weak =
        h.ks.admin_create_user(AdminCreateUserInput {
            pool_id: h.pool.id.clone(),
            username: "weak".into(),
            temporary_password: Some("weak".into()),
            ..Default::default()
        })
        .await;
    assert!(matches!(weak, Err(AuthError::InvalidPassword(_))));

    // RESEND only applies to users still waiting for their first sign-in.
    h.ks.admin_set_user_password(AdminSetUserPasswordInput {
        pool_id: h.pool.id.clone(),
        username: "jane".into(),
        password: PASSWORD.into(),
        permanent: true,
    })
    .await
    .unwrap();
    let resend =
        h.ks.admin_create_user(AdminCreateUserInput {
            pool_id: h.pool.id.clone(),
            username: "jane".into(),
            message_action: Some(MessageAction::Resend),
            ..Default::default()
        })
        .await;
    assert!(matches!(resend, Err(AuthError::UnsupportedUserState(_))));
}

#[tokio::test]
async fn admin_reset_requires_a_reset_and_sends_a_code() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    h.sign_up("jane", "jane@example.com").await.unwrap();
    assert!(matches!(
        h.ks.admin_reset_user_password(&h.pool.id, "jane").await,
        Err(AuthError::NotAuthorized(_))
    ));
    h.confirm("jane", &h.sent.last_code()).await.unwrap();

    let delivery =
        h.ks.admin_reset_user_password(&h.pool.id, "jane")
            .await
            .unwrap();
    assert_eq!(delivery.map(|d| d.medium), Some(Medium::Email));
    let user = h.user("jane").await;
    assert_eq!(user.status, UserStatus::ResetRequired);
    let msg = h.sent.last();
    assert_eq!(msg.purpose, MessagePurpose::ForgotPassword);
    let code = msg.code.unwrap();
    assert_eq!(msg.body, format!("Your password reset code is {code}. "));
    h.ks.verify_code(&h.pool, &user, CodePurpose::ForgotPassword, &code)
        .await
        .unwrap();

    // Nothing verified: still reset, no code.
    h.ks.admin_create_user(AdminCreateUserInput {
        pool_id: h.pool.id.clone(),
        username: "bob".into(),
        message_action: Some(MessageAction::Suppress),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(
        h.ks.admin_reset_user_password(&h.pool.id, "bob").await,
        Ok(None)
    );
    assert_eq!(h.user("bob").await.status, UserStatus::ResetRequired);
}

#[tokio::test]
async fn admin_management() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    h.sign_up("jane", "jane@example.com").await.unwrap();
    h.ks.admin_confirm_sign_up(&h.pool.id, "jane")
        .await
        .unwrap();
    let view = h.ks.admin_get_user(&h.pool.id, "jane").await.unwrap();
    assert_eq!(view.status, UserStatus::Confirmed);
    assert!(matches!(
        h.ks.admin_confirm_sign_up(&h.pool.id, "jane").await,
        Err(AuthError::NotAuthorized(_))
    ));

    // Changing the e-mail unverifies it and sends a code (the pool auto-verifies e-mail).
    let deliveries =
        h.ks.admin_update_user_attributes(AdminUpdateUserAttributesInput {
            pool_id: h.pool.id.clone(),
            username: "jane".into(),
            attributes: attrs(&[("email", "new@example.com"), ("name", "Jane")]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(h.sent.last().purpose, MessagePurpose::UpdateUserAttribute);
    let user = h.user("jane").await;
    assert_eq!(user.attr("email"), Some("new@example.com"));
    assert!(!user.is_verified("email"));
    // ... unless the same call verifies it.
    h.ks.admin_update_user_attributes(AdminUpdateUserAttributesInput {
        pool_id: h.pool.id.clone(),
        username: "jane".into(),
        attributes: attrs(&[("email", "newer@example.com"), ("email_verified", "true")]),
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(h.user("jane").await.is_verified("email"));

    h.ks.admin_delete_user_attributes(&h.pool.id, "jane", &["name".to_string()])
        .await
        .unwrap();
    assert_eq!(h.user("jane").await.attr("name"), None);
    assert!(matches!(
        h.ks.admin_delete_user_attributes(&h.pool.id, "jane", &["sub".to_string()])
            .await,
        Err(AuthError::InvalidParameter(_))
    ));

    h.ks.admin_disable_user(&h.pool.id, "jane").await.unwrap();
    let user = h.user("jane").await;
    assert!(!user.enabled);
    assert_eq!(user.tokens_valid_after, Some(h.clock.now()));
    h.ks.admin_enable_user(&h.pool.id, "jane").await.unwrap();
    assert!(h.user("jane").await.enabled);

    h.ks.admin_set_user_password(AdminSetUserPasswordInput {
        pool_id: h.pool.id.clone(),
        username: "jane".into(),
        password: "Another-Pass-1!".into(),
        permanent: false,
    })
    .await
    .unwrap();
    let user = h.user("jane").await;
    assert_eq!(user.status, UserStatus::ForceChangePassword);
    assert!(h.ks.check_password(&h.pool, &user, "Another-Pass-1!"));
    assert!(matches!(
        h.ks.admin_set_user_password(AdminSetUserPasswordInput {
            pool_id: h.pool.id.clone(),
            username: "jane".into(),
            password: "weak".into(),
            permanent: true,
        })
        .await,
        Err(AuthError::InvalidPassword(_))
    ));

    h.ks.admin_delete_user(&h.pool.id, "jane").await.unwrap();
    assert_eq!(
        h.ks.admin_get_user(&h.pool.id, "jane").await,
        Err(AuthError::UserNotFound("User does not exist.".into()))
    );
    assert!(matches!(
        h.ks.admin_get_user("us-east-1_Nope12345", "jane").await,
        Err(AuthError::ResourceNotFound(_))
    ));
    assert!(matches!(
        h.ks.admin_get_user("garbage", "jane").await,
        Err(AuthError::InvalidParameter(_))
    ));
}

#[tokio::test]
async fn list_users_filters_and_pages() {
    let h = harness(email_pool(), ClientSettings::default()).await;
    for name in ["amy", "anna", "bob", "carl", "dora"] {
        h.sign_up(name, &format!("{name}@example.com"))
            .await
            .unwrap();
    }
    h.ks.admin_disable_user(&h.pool.id, "bob").await.unwrap();

    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page =
            h.ks.list_users(ListUsersInput {
                pool_id: h.pool.id.clone(),
                limit: Some(2),
                pagination_token: token.take(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(page.users.len() <= 2);
        seen.extend(page.users.into_iter().map(|u| u.username));
        match page.pagination_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(seen, ["amy", "anna", "bob", "carl", "dora"]);

    let list = |filter: &str| {
        h.ks.list_users(ListUsersInput {
            pool_id: h.pool.id.clone(),
            filter: Some(filter.into()),
            attributes_to_get: Some(vec!["email".into()]),
            ..Default::default()
        })
    };
    let names = |out: keystep_core::service::admin_users::ListUsersOutput| {
        out.users
            .into_iter()
            .map(|u| u.username)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(list("email ^= \"a\"").await.unwrap()),
        ["amy", "anna"]
    );
    assert_eq!(names(list("username = \"carl\"").await.unwrap()), ["carl"]);
    assert_eq!(names(list("status = \"Disabled\"").await.unwrap()), ["bob"]);
    let only_email = list("username=\"dora\"").await.unwrap();
    assert_eq!(
        only_email.users[0].attributes,
        vec![("email".to_string(), "dora@example.com".to_string())]
    );
    assert!(matches!(
        list("locale = \"en\"").await,
        Err(AuthError::InvalidParameter(_))
    ));

    for garbage in ["garbage!", "AAAA", ""] {
        let r =
            h.ks.list_users(ListUsersInput {
                pool_id: h.pool.id.clone(),
                pagination_token: Some(garbage.into()),
                ..Default::default()
            })
            .await;
        assert!(
            matches!(r, Err(AuthError::InvalidParameter(_))),
            "{garbage}"
        );
    }
    let r =
        h.ks.list_users(ListUsersInput {
            pool_id: h.pool.id.clone(),
            limit: Some(61),
            ..Default::default()
        })
        .await;
    assert!(matches!(r, Err(AuthError::InvalidParameter(_))));
}
