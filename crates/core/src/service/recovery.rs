//! Account recovery: ForgotPassword and ConfirmForgotPassword.
//!
//! The code goes to the first verified channel of the pool's AccountRecoverySetting and
//! lives one hour. Confirming sets the new password (policy checked first, so a weak
//! password does not burn the code) and leaves the user CONFIRMED.

use std::collections::BTreeMap;

use crate::code::CodePurpose;
use crate::error::AuthError;
use crate::limits::{Budget, Lock};
use crate::message::MessagePurpose;
use crate::user::UserStatus;

use super::delivery::{recovery_medium, CodeDelivery};
use super::limits::user_subject;
use super::users::user_not_found;
use super::Keystep;

/// `ForgotPassword` input.
#[derive(Clone, Default)]
pub struct ForgotPasswordInput {
    /// `ClientId`.
    pub client_id: String,
    /// `Username` (username, alias or sub).
    pub username: String,
    /// `SecretHash`.
    pub secret_hash: Option<String>,
    /// `ClientMetadata` (for triggers, later).
    pub client_metadata: BTreeMap<String, String>,
}

/// `ConfirmForgotPassword` input.
#[derive(Clone, Default)]
pub struct ConfirmForgotPasswordInput {
    /// `ClientId`.
    pub client_id: String,
    /// `Username`.
    pub username: String,
    /// `ConfirmationCode`.
    pub confirmation_code: String,
    /// `Password`: the new password.
    pub password: String,
    /// `SecretHash`.
    pub secret_hash: Option<String>,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
}

impl std::fmt::Debug for ConfirmForgotPasswordInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfirmForgotPasswordInput")
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ForgotPasswordInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForgotPasswordInput")
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl Keystep {
    /// `ForgotPassword`: sends a reset code by the pool's recovery rules.
    pub async fn forgot_password(
        &self,
        input: ForgotPasswordInput,
    ) -> Result<CodeDelivery, AuthError> {
        let (client, pool) = self.load_client(&input.client_id).await?;
        let found = self.find_user(&pool, &input.username).await?;
        self.check_user_secret_hash(
            &client,
            input.secret_hash.as_deref(),
            &input.username,
            found.as_ref(),
        )?;
        let found = match found {
            Some(user) => Some(user),
            None => {
                self.migrate_user(
                    &pool,
                    &client,
                    &input.username,
                    None,
                    &input.client_metadata,
                )
                .await?
            }
        };
        let Some(user) = found else {
            if client.settings.prevent_user_existence_errors {
                return self
                    .send_simulated_code(&pool, CodePurpose::ForgotPassword, &input.username)
                    .await;
            }
            return Err(user_not_found());
        };
        if !user.enabled {
            return Err(AuthError::NotAuthorized("User is disabled.".into()));
        }
        let medium = recovery_medium(&pool, &user)?;
        self.take_budget(
            Budget::CodeRequests(CodePurpose::ForgotPassword),
            &user_subject(&pool.id, &user.sub),
        )
        .await?;
        self.send_code(
            &pool,
            &user,
            CodePurpose::ForgotPassword,
            MessagePurpose::ForgotPassword,
            medium,
        )
        .await
    }

    /// `ConfirmForgotPassword`: checks the code and sets the new password.
    pub async fn confirm_forgot_password(
        &self,
        input: ConfirmForgotPasswordInput,
    ) -> Result<(), AuthError> {
        let (client, pool) = self.load_client(&input.client_id).await?;
        let found = self.find_user(&pool, &input.username).await?;
        self.check_user_secret_hash(
            &client,
            input.secret_hash.as_deref(),
            &input.username,
            found.as_ref(),
        )?;
        // Policy first: a rejected password must not consume the code (nor tell an
        // unknown name from a user).
        let Some(mut user) = found else {
            if client.settings.prevent_user_existence_errors {
                pool.settings.password_policy.check(&input.password)?;
                return Err(self
                    .answer_simulated_code(
                        &pool,
                        CodePurpose::ForgotPassword,
                        &input.username,
                        false,
                    )
                    .await);
            }
            return Err(user_not_found());
        };
        if !user.enabled {
            return Err(AuthError::NotAuthorized("User is disabled.".into()));
        }
        pool.settings.password_policy.check(&input.password)?;
        let matched = self
            .check_code(
                &pool,
                &user,
                CodePurpose::ForgotPassword,
                &input.confirmation_code,
            )
            .await?;
        let now = self.clock.now();
        self.set_password(&pool, &mut user, &input.password, now)?;
        if matches!(
            user.status,
            UserStatus::ResetRequired | UserStatus::ForceChangePassword
        ) {
            user.status = UserStatus::Confirmed;
        }
        user.modified_at = now;
        self.consume_matched_code(&pool, matched).await?;
        self.save_user(&pool, &mut user).await?;
        self.clear_lock(Lock::Password, &user_subject(&pool.id, &user.sub))
            .await?;
        self.post_confirmation(
            &pool,
            &user,
            "PostConfirmation_ConfirmForgotPassword",
            Some(&client.client_id),
            &input.client_metadata,
        )
        .await
    }
}
