//! The user-lifecycle triggers: PreSignUp, PostConfirmation, PreAuthentication and
//! PostAuthentication (protocol notes §7.4). Each is called only when the pool has a
//! function in the slot; a failure fails the request before anything is stored (the
//! "post" triggers run after the change, as in Cognito, and their failure is reported
//! but does not undo it).

use std::collections::BTreeMap;

use serde_json::json;

use crate::error::AuthError;
use crate::message::MessagePurpose;
use crate::pool::UserPool;
use crate::triggers::{self, TriggerSlot};
use crate::user::User;

use super::hooks::TriggerCall;
use super::Keystep;

/// What a PreSignUp answer asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PreSignUpAnswer {
    /// `autoConfirmUser`.
    pub auto_confirm: bool,
    /// `autoVerifyEmail`.
    pub auto_verify_email: bool,
    /// `autoVerifyPhone`.
    pub auto_verify_phone: bool,
}

/// The texts a CustomMessage answer gives (each still with `{####}` / `{username}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomMessage {
    /// `smsMessage`.
    pub sms: Option<String>,
    /// `emailMessage`.
    pub email: Option<String>,
    /// `emailSubject`.
    pub email_subject: Option<String>,
}

fn custom_message_source(purpose: MessagePurpose) -> &'static str {
    match purpose {
        MessagePurpose::SignUp => "CustomMessage_SignUp",
        MessagePurpose::ResendCode => "CustomMessage_ResendCode",
        MessagePurpose::ForgotPassword => "CustomMessage_ForgotPassword",
        MessagePurpose::AdminCreateUser => "CustomMessage_AdminCreateUser",
        MessagePurpose::VerifyUserAttribute => "CustomMessage_VerifyUserAttribute",
        MessagePurpose::UpdateUserAttribute => "CustomMessage_UpdateUserAttribute",
        MessagePurpose::Authentication => "CustomMessage_Authentication",
    }
}

fn pairs(list: &[(String, String)]) -> BTreeMap<&str, &str> {
    list.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

impl Keystep {
    /// PreSignUp (`PreSignUp_SignUp` or `PreSignUp_AdminCreateUser`) for a user about to
    /// be created.
    pub(crate) async fn pre_sign_up(
        &self,
        pool: &UserPool,
        user: &User,
        source: &str,
        client_id: Option<&str>,
        validation_data: &[(String, String)],
        client_metadata: &BTreeMap<String, String>,
    ) -> Result<PreSignUpAnswer, AuthError> {
        let slot = TriggerSlot::PreSignUp;
        let call = TriggerCall {
            slot,
            source,
            user_name: &user.username,
            client_id,
            version: "1",
        };
        let request = json!({
            "userAttributes": triggers::user_attributes(user),
            "validationData": pairs(validation_data),
            "clientMetadata": client_metadata,
        });
        let Some(response) = self.call_trigger(pool, call, request).await? else {
            return Ok(PreSignUpAnswer::default());
        };
        Ok(PreSignUpAnswer {
            auto_confirm: triggers::flag(slot, &response, "autoConfirmUser")?,
            auto_verify_email: triggers::flag(slot, &response, "autoVerifyEmail")?,
            auto_verify_phone: triggers::flag(slot, &response, "autoVerifyPhone")?,
        })
    }

    /// CustomMessage: the texts of a message about to carry a code.
    pub(crate) async fn custom_message(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: MessagePurpose,
    ) -> Result<Option<CustomMessage>, AuthError> {
        let slot = TriggerSlot::CustomMessage;
        let call = TriggerCall {
            slot,
            source: custom_message_source(purpose),
            user_name: &user.username,
            client_id: None,
            version: "1",
        };
        let username_parameter = match purpose {
            MessagePurpose::AdminCreateUser => json!("{username}"),
            _ => serde_json::Value::Null,
        };
        let request = json!({
            "userAttributes": triggers::user_attributes(user),
            "codeParameter": "{####}",
            "usernameParameter": username_parameter,
            "clientMetadata": {},
        });
        let Some(response) = self.call_trigger(pool, call, request).await? else {
            return Ok(None);
        };
        Ok(Some(CustomMessage {
            sms: triggers::string(slot, &response, "smsMessage")?,
            email: triggers::string(slot, &response, "emailMessage")?,
            email_subject: triggers::string(slot, &response, "emailSubject")?,
        }))
    }

    /// PostConfirmation (`PostConfirmation_ConfirmSignUp` or
    /// `PostConfirmation_ConfirmForgotPassword`).
    pub(crate) async fn post_confirmation(
        &self,
        pool: &UserPool,
        user: &User,
        source: &str,
        client_id: Option<&str>,
        client_metadata: &BTreeMap<String, String>,
    ) -> Result<(), AuthError> {
        let call = TriggerCall {
            slot: TriggerSlot::PostConfirmation,
            source,
            user_name: &user.username,
            client_id,
            version: "1",
        };
        let request = json!({
            "userAttributes": triggers::user_attributes(user),
            "clientMetadata": client_metadata,
        });
        self.call_trigger(pool, call, request).await.map(|_| ())
    }

    /// PreAuthentication, before the password is checked; `validation_data` is the
    /// sign-in's `ClientMetadata`.
    ///
    /// For a name that is no user (`user_not_found`: the client prevents user existence
    /// errors, and `user` is the stand-in) it is asked too, as Cognito does, with
    /// `userNotFound` and no attributes.
    pub(crate) async fn pre_authentication(
        &self,
        pool: &UserPool,
        user: &User,
        user_not_found: bool,
        client_id: &str,
        validation_data: &BTreeMap<String, String>,
    ) -> Result<(), AuthError> {
        let call = TriggerCall {
            slot: TriggerSlot::PreAuthentication,
            source: "PreAuthentication_Authentication",
            user_name: &user.username,
            client_id: Some(client_id),
            version: "1",
        };
        let attributes = if user_not_found {
            json!({})
        } else {
            triggers::user_attributes(user)
        };
        let request = json!({
            "userAttributes": attributes,
            "validationData": validation_data,
            "userNotFound": user_not_found,
        });
        self.call_trigger(pool, call, request).await.map(|_| ())
    }

    /// PostAuthentication, once every factor passed and before tokens are handed out.
    pub(crate) async fn post_authentication(
        &self,
        pool: &UserPool,
        user: &User,
        client_id: &str,
        client_metadata: &BTreeMap<String, String>,
    ) -> Result<(), AuthError> {
        let call = TriggerCall {
            slot: TriggerSlot::PostAuthentication,
            source: "PostAuthentication_Authentication",
            user_name: &user.username,
            client_id: Some(client_id),
            version: "1",
        };
        let request = json!({
            "userAttributes": triggers::user_attributes(user),
            "newDeviceUsed": false,
            "clientMetadata": client_metadata,
        });
        self.call_trigger(pool, call, request).await.map(|_| ())
    }
}
