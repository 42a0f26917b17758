//! Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode, and the
//! administrator's AdminConfirmSignUp.

use std::collections::BTreeMap;

use crate::code::CodePurpose;
use crate::error::AuthError;
use crate::limits::Budget;
use crate::message::MessagePurpose;
use crate::pool::UserPool;
use crate::user::UserStatus;

use super::delivery::{sign_up_medium, CodeDelivery};
use super::limits::user_subject;
use super::users::{user_not_found, AttributeWriter};
use super::Keystep;

/// `SignUp`. `Debug` leaves out the password and secret hash.
#[derive(Clone, Default)]
pub struct SignUpInput {
    /// `ClientId`.
    pub client_id: String,
    /// `Username`: the username, or the e-mail/phone in username-attribute pools.
    pub username: String,
    /// `Password` (optional on the wire for passwordless pools, which Keystep does not
    /// support yet, so required here).
    pub password: Option<String>,
    /// `SecretHash`.
    pub secret_hash: Option<String>,
    /// `UserAttributes`.
    pub attributes: Vec<(String, String)>,
    /// `ValidationData` (for the PreSignUp trigger, not invoked yet).
    pub validation_data: Vec<(String, String)>,
    /// `ClientMetadata` (for triggers, not invoked yet).
    pub client_metadata: BTreeMap<String, String>,
}

/// The answer to `SignUp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpOutput {
    /// `UserConfirmed`.
    pub user_confirmed: bool,
    /// `UserSub`.
    pub user_sub: String,
    /// `CodeDeliveryDetails`, when a confirmation code was sent.
    pub delivery: Option<CodeDelivery>,
    /// `Session`, for clients that may sign in with `USER_AUTH`: it signs nobody in by
    /// itself (a new user proves who they are with the confirmation code, whose
    /// `ConfirmSignUp` answers the `Session` that does).
    pub session: Option<String>,
}

/// `ConfirmSignUp`. `Debug` leaves out the code and secret hash.
#[derive(Clone, Default)]
pub struct ConfirmSignUpInput {
    /// `ClientId`.
    pub client_id: String,
    /// `Username` (username, alias or sub).
    pub username: String,
    /// `ConfirmationCode`.
    pub confirmation_code: String,
    /// `SecretHash`.
    pub secret_hash: Option<String>,
    /// `ForceAliasCreation`: take a verified e-mail/phone alias from another user.
    pub force_alias_creation: bool,
    /// `Session` of `SignUp`. Accepted and not needed: the code proves the sign-up, and
    /// refusing a stale `Session` would fail a user who read their mail slowly.
    pub session: Option<String>,
    /// `ClientMetadata` (for triggers, not invoked yet).
    pub client_metadata: BTreeMap<String, String>,
}

/// The user `ConfirmSignUp` confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmSignUpOutput {
    /// The canonical username.
    pub username: String,
    /// The `sub`.
    pub sub: String,
    /// `Session`, for clients that may sign in with `USER_AUTH`: `InitiateAuth USER_AUTH`
    /// with it signs the user in once, within the client's `AuthSessionValidity`.
    pub session: Option<String>,
}

/// `ResendConfirmationCode`.
#[derive(Debug, Clone, Default)]
pub struct ResendConfirmationCodeInput {
    /// `ClientId`.
    pub client_id: String,
    /// `Username` (username, alias or sub).
    pub username: String,
    /// `SecretHash`.
    pub secret_hash: Option<String>,
    /// `ClientMetadata` (for triggers, not invoked yet).
    pub client_metadata: BTreeMap<String, String>,
}

impl std::fmt::Debug for SignUpInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignUpInput")
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .field("attributes", &self.attributes)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ConfirmSignUpInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfirmSignUpInput")
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .field("force_alias_creation", &self.force_alias_creation)
            .finish_non_exhaustive()
    }
}

fn cannot_confirm(status: UserStatus) -> AuthError {
    AuthError::NotAuthorized(format!(
        "User cannot be confirmed. Current status is {}",
        status.as_str()
    ))
}

impl Keystep {
    /// `SignUp`: creates an `UNCONFIRMED` user with a sealed SRP verifier and sends the
    /// confirmation code to the auto-verified attribute, if the pool has one.
    pub async fn sign_up(&self, input: SignUpInput) -> Result<SignUpOutput, AuthError> {
        let (client, pool) = self.load_client(&input.client_id).await?;
        if pool.settings.admin_create_user_only {
            return Err(AuthError::NotAuthorized(
                "SignUp is not permitted for this user pool".into(),
            ));
        }
        self.check_secret_hash(&client, input.secret_hash.as_deref(), &[&input.username])?;
        let Some(password) = input.password.as_deref() else {
            return Err(AuthError::InvalidParameter(
                "Missing required parameter Password".into(),
            ));
        };
        let now = self.clock.now();
        let mut user = self.new_user(
            &pool,
            &input.username,
            &input.attributes,
            AttributeWriter::Client(&client),
            UserStatus::Unconfirmed,
            now,
        )?;
        self.set_password(&pool, &mut user, password, now)?;
        let hook = self
            .pre_sign_up(
                &pool,
                &user,
                "PreSignUp_SignUp",
                Some(&client.client_id),
                &input.validation_data,
                &input.client_metadata,
            )
            .await?;
        for (wanted, attribute) in [
            (hook.auto_verify_email, "email"),
            (hook.auto_verify_phone, "phone_number"),
        ] {
            if wanted && user.attr(attribute).is_some() {
                user.attributes
                    .insert(format!("{attribute}_verified"), "true".into());
            }
        }
        if hook.auto_confirm {
            user.status = UserStatus::Confirmed;
        }
        self.insert_new_user(&pool, &user, "User already exists")
            .await?;
        let delivery = match sign_up_medium(&pool, &user) {
            _ if hook.auto_confirm => None,
            Some(medium) => Some(
                self.send_code(
                    &pool,
                    &user,
                    CodePurpose::SignUp,
                    MessagePurpose::SignUp,
                    medium,
                )
                .await?,
            ),
            None => None,
        };
        let session = self
            .sign_up_session(&client, &user, &input.username, false)
            .await?;
        Ok(SignUpOutput {
            user_confirmed: hook.auto_confirm,
            user_sub: user.sub,
            delivery,
            session,
        })
    }

    /// `ConfirmSignUp`: checks the code, marks the attribute it was sent to verified and
    /// the user `CONFIRMED`. Aliases that become claimed must be free (or moved, with
    /// `ForceAliasCreation`) before the code is used up, so a conflict costs no code.
    pub async fn confirm_sign_up(
        &self,
        input: ConfirmSignUpInput,
    ) -> Result<ConfirmSignUpOutput, AuthError> {
        let (client, pool) = self.load_client(&input.client_id).await?;
        let found = self.find_user(&pool, &input.username).await?;
        self.check_user_secret_hash(
            &client,
            input.secret_hash.as_deref(),
            &input.username,
            found.as_ref(),
        )?;
        if input.confirmation_code.trim().is_empty() || input.confirmation_code.len() > 2048 {
            return Err(AuthError::InvalidParameter(
                "1 validation error detected: Value at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+".into(),
            ));
        }
        let Some(mut user) = found else {
            if client.settings.prevent_user_existence_errors {
                // As for an unconfirmed user, who holds the code sent at sign-up.
                return Err(self
                    .answer_simulated_code(&pool, CodePurpose::SignUp, &input.username, true)
                    .await);
            }
            return Err(user_not_found());
        };
        if user.status != UserStatus::Unconfirmed {
            return Err(cannot_confirm(user.status));
        }
        let matched = self
            .check_code(&pool, &user, CodePurpose::SignUp, &input.confirmation_code)
            .await?;
        if let Some(medium) = sign_up_medium(&pool, &user) {
            user.attributes
                .insert(format!("{}_verified", medium.attribute()), "true".into());
        }
        user.status = UserStatus::Confirmed;
        user.modified_at = self.clock.now();
        self.claim_aliases(&pool, &user, input.force_alias_creation)
            .await?;
        self.consume_matched_code(&pool, matched).await?;
        self.save_user(&pool, &mut user).await?;
        self.post_confirmation(
            &pool,
            &user,
            "PostConfirmation_ConfirmSignUp",
            Some(&client.client_id),
            &input.client_metadata,
        )
        .await?;
        let session = self
            .sign_up_session(&client, &user, &input.username, true)
            .await?;
        Ok(ConfirmSignUpOutput {
            username: user.username,
            sub: user.sub,
            session,
        })
    }

    /// `ResendConfirmationCode`: a new sign-up code (the previous one stops working) for
    /// an `UNCONFIRMED` user.
    pub async fn resend_confirmation_code(
        &self,
        input: ResendConfirmationCodeInput,
    ) -> Result<CodeDelivery, AuthError> {
        let (client, pool) = self.load_client(&input.client_id).await?;
        let found = self.find_user(&pool, &input.username).await?;
        self.check_user_secret_hash(
            &client,
            input.secret_hash.as_deref(),
            &input.username,
            found.as_ref(),
        )?;
        let Some(user) = found else {
            if client.settings.prevent_user_existence_errors {
                return self
                    .send_simulated_code(&pool, CodePurpose::SignUp, &input.username)
                    .await;
            }
            return Err(user_not_found());
        };
        if user.status != UserStatus::Unconfirmed {
            return Err(AuthError::InvalidParameter(
                "User is already confirmed.".into(),
            ));
        }
        let medium = sign_up_medium(&pool, &user).ok_or_else(|| no_confirmation_channel(&pool))?;
        self.take_budget(
            Budget::CodeRequests(CodePurpose::SignUp),
            &user_subject(&pool.id, &user.sub),
        )
        .await?;
        self.send_code(
            &pool,
            &user,
            CodePurpose::SignUp,
            MessagePurpose::ResendCode,
            medium,
        )
        .await
    }

    /// `AdminConfirmSignUp`: confirms an `UNCONFIRMED` user without a code (verifying no
    /// attribute) and voids any outstanding sign-up code.
    pub async fn admin_confirm_sign_up(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let mut user = self.require_user(&pool, username).await?;
        if user.status != UserStatus::Unconfirmed {
            return Err(cannot_confirm(user.status));
        }
        user.status = UserStatus::Confirmed;
        user.modified_at = self.clock.now();
        self.save_user(&pool, &mut user).await?;
        self.discard_code(&pool, &user, CodePurpose::SignUp).await
    }
}

/// Why no confirmation code can be sent to `user`.
pub(crate) fn no_confirmation_channel(pool: &UserPool) -> AuthError {
    if pool.settings.auto_verified.is_empty() {
        AuthError::InvalidParameter("Auto verification not turned on.".into())
    } else {
        AuthError::InvalidParameter(
            "The user has no email or phone_number to send a confirmation code to.".into(),
        )
    }
}
