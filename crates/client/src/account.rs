//! Sign-up and password reset: `sign_up`, `confirm_sign_up`, `resend_sign_up_code`,
//! `reset_password`, `confirm_reset_password`.

use std::collections::BTreeMap;

use keystep_proto::{
    Attribute, ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse, ConfirmSignUpRequest,
    ConfirmSignUpResponse, ForgotPasswordRequest, ForgotPasswordResponse,
    ResendConfirmationCodeRequest, ResendConfirmationCodeResponse, SignUpRequest, SignUpResponse,
};

use crate::auth::{Auth, AutoSignIn};
use crate::error::AuthError;
use crate::steps::CodeDelivery;

/// Options of [`Auth::sign_up`].
#[derive(Debug, Clone, Default)]
pub struct SignUpOptions {
    /// Attributes of the new user (`email`, `phone_number`, `custom:...`).
    pub user_attributes: BTreeMap<String, String>,
    /// `ValidationData` for the pre sign-up trigger.
    pub validation_data: BTreeMap<String, String>,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: Option<BTreeMap<String, String>>,
    /// Sign the user in right after the sign-up is confirmed ([`Auth::auto_sign_in`]), as
    /// Amplify's `autoSignIn` option does.
    pub auto_sign_in: bool,
}

/// What a sign-up needs next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignUpStep {
    /// `CONFIRM_SIGN_UP`: call [`Auth::confirm_sign_up`] with the code.
    ConfirmSignUp {
        /// Where the code went.
        delivery: Option<CodeDelivery>,
    },
    /// `COMPLETE_AUTO_SIGN_IN`: call [`Auth::auto_sign_in`].
    CompleteAutoSignIn,
    /// `DONE`: the user can sign in.
    Done,
}

/// The outcome of `sign_up` and `confirm_sign_up`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpResult {
    /// Whether the account is confirmed.
    pub is_sign_up_complete: bool,
    /// What to do next.
    pub next_step: SignUpStep,
    /// The new user's `sub` (from `sign_up` only).
    pub user_id: Option<String>,
}

/// What a password reset needs next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResetPasswordStep {
    /// `CONFIRM_RESET_PASSWORD_WITH_CODE`: call [`Auth::confirm_reset_password`].
    ConfirmResetPasswordWithCode {
        /// Where the code went.
        delivery: Option<CodeDelivery>,
    },
    /// `DONE`.
    Done,
}

/// The outcome of `reset_password`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetPasswordResult {
    /// Always `false` after `reset_password`: the code still has to be confirmed.
    pub is_password_reset: bool,
    /// What to do next.
    pub next_step: ResetPasswordStep,
}

fn attributes(map: &BTreeMap<String, String>) -> Option<Vec<Attribute>> {
    if map.is_empty() {
        return None;
    }
    Some(
        map.iter()
            .map(|(name, value)| Attribute {
                name: name.clone(),
                value: Some(value.clone()),
            })
            .collect(),
    )
}

impl Auth {
    /// Registers a user (`SignUp`), like Amplify's `signUp`.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// use keystep_client::{SignUpOptions, SignUpStep};
    /// let mut options = SignUpOptions::default();
    /// options.user_attributes.insert("email".into(), "alice@example.com".into());
    /// let result = auth.sign_up("alice", "Correct-Horse-9!", options).await?;
    /// if let SignUpStep::ConfirmSignUp { delivery } = result.next_step {
    ///     println!("code sent to {:?}", delivery.and_then(|d| d.destination));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        options: SignUpOptions,
    ) -> Result<SignUpResult, AuthError> {
        let request = SignUpRequest {
            client_id: self.config.client_id.clone(),
            secret_hash: self.config.secret_hash(username).map(Into::into),
            username: username.to_string(),
            password: Some(password.into()),
            user_attributes: attributes(&options.user_attributes),
            validation_data: attributes(&options.validation_data),
            client_metadata: options.client_metadata,
            ..Default::default()
        };
        let response: SignUpResponse = self.wire.call("SignUp", &request).await?;
        self.set_auto_sign_in(options.auto_sign_in.then(|| AutoSignIn {
            username: username.to_string(),
            password: password.to_string(),
            session: response.session.clone(),
            confirmed_by_code: false,
        }));
        let next_step = if response.user_confirmed {
            if options.auto_sign_in {
                SignUpStep::CompleteAutoSignIn
            } else {
                SignUpStep::Done
            }
        } else {
            SignUpStep::ConfirmSignUp {
                delivery: response.code_delivery_details.map(Into::into),
            }
        };
        Ok(SignUpResult {
            is_sign_up_complete: response.user_confirmed,
            next_step,
            user_id: Some(response.user_sub).filter(|s| !s.is_empty()),
        })
    }

    /// Confirms a sign-up with the code sent to the user (`ConfirmSignUp`).
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// let result = auth.confirm_sign_up("alice", "123456").await?;
    /// assert!(result.is_sign_up_complete);
    /// # Ok(()) }
    /// ```
    pub async fn confirm_sign_up(
        &self,
        username: &str,
        code: &str,
    ) -> Result<SignUpResult, AuthError> {
        let request = ConfirmSignUpRequest {
            client_id: self.config.client_id.clone(),
            secret_hash: self.config.secret_hash(username).map(Into::into),
            username: username.to_string(),
            confirmation_code: code.into(),
            ..Default::default()
        };
        let response: ConfirmSignUpResponse = self.wire.call("ConfirmSignUp", &request).await?;
        let mut next_step = SignUpStep::Done;
        if let Some(mut auto) = self.auto_sign_in_state().filter(|a| a.username == username) {
            auto.session = response.session;
            auto.confirmed_by_code = true;
            self.set_auto_sign_in(Some(auto));
            next_step = SignUpStep::CompleteAutoSignIn;
        }
        Ok(SignUpResult {
            is_sign_up_complete: true,
            next_step,
            user_id: None,
        })
    }

    /// Sends the sign-up code again (`ResendConfirmationCode`).
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// let delivery = auth.resend_sign_up_code("alice").await?;
    /// println!("{:?}", delivery.destination);
    /// # Ok(()) }
    /// ```
    pub async fn resend_sign_up_code(&self, username: &str) -> Result<CodeDelivery, AuthError> {
        let request = ResendConfirmationCodeRequest {
            client_id: self.config.client_id.clone(),
            secret_hash: self.config.secret_hash(username).map(Into::into),
            username: username.to_string(),
            ..Default::default()
        };
        let response: ResendConfirmationCodeResponse =
            self.wire.call("ResendConfirmationCode", &request).await?;
        Ok(response
            .code_delivery_details
            .map(Into::into)
            .unwrap_or_default())
    }

    /// Starts a password reset (`ForgotPassword`): a code is sent to the user.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// auth.reset_password("alice").await?;
    /// auth.confirm_reset_password("alice", "N3w-Passw0rd!", "123456").await?;
    /// # Ok(()) }
    /// ```
    pub async fn reset_password(&self, username: &str) -> Result<ResetPasswordResult, AuthError> {
        let request = ForgotPasswordRequest {
            client_id: self.config.client_id.clone(),
            secret_hash: self.config.secret_hash(username).map(Into::into),
            username: username.to_string(),
            ..Default::default()
        };
        let response: ForgotPasswordResponse = self.wire.call("ForgotPassword", &request).await?;
        Ok(ResetPasswordResult {
            is_password_reset: false,
            next_step: ResetPasswordStep::ConfirmResetPasswordWithCode {
                delivery: response.code_delivery_details.map(Into::into),
            },
        })
    }

    /// Finishes a password reset with the code and the new password
    /// (`ConfirmForgotPassword`).
    pub async fn confirm_reset_password(
        &self,
        username: &str,
        new_password: &str,
        code: &str,
    ) -> Result<(), AuthError> {
        let request = ConfirmForgotPasswordRequest {
            client_id: self.config.client_id.clone(),
            secret_hash: self.config.secret_hash(username).map(Into::into),
            username: username.to_string(),
            confirmation_code: code.into(),
            password: new_password.into(),
            ..Default::default()
        };
        let _: ConfirmForgotPasswordResponse =
            self.wire.call("ConfirmForgotPassword", &request).await?;
        Ok(())
    }
}
