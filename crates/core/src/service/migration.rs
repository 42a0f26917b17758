//! The UserMigration trigger: a user who is not in the pool yet, signing in with a
//! password (`UserMigration_Authentication`) or asking for a reset
//! (`UserMigration_ForgotPassword`), is looked up by the pool's function in the old
//! system and, when it answers with attributes, created here (protocol notes §7.4).

use std::collections::BTreeMap;

use serde_json::json;

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::pool::UserPool;
use crate::triggers::{self, invalid_response, TriggerSlot};
use crate::user::{MfaFactor, User, UserStatus};

use super::hooks::TriggerCall;
use super::users::AttributeWriter;
use super::Keystep;

const SLOT: TriggerSlot = TriggerSlot::UserMigration;

impl Keystep {
    /// Asks the pool's UserMigration function about `typed`; returns the user it created,
    /// or `None` when the pool has no such function. With a `password` (sign-in) the
    /// user gets it and the function's `finalUserStatus` (default `RESET_REQUIRED`);
    /// without (ForgotPassword) the user is `RESET_REQUIRED` with no password.
    pub(crate) async fn migrate_user(
        &self,
        pool: &UserPool,
        client: &AppClient,
        typed: &str,
        password: Option<&str>,
        client_metadata: &BTreeMap<String, String>,
    ) -> Result<Option<User>, AuthError> {
        if !self.has_trigger(pool, SLOT) {
            return Ok(None);
        }
        let (source, mut request) = match password {
            Some(p) => (
                "UserMigration_Authentication",
                json!({ "password": p, "validationData": client_metadata }),
            ),
            None => ("UserMigration_ForgotPassword", json!({})),
        };
        request["clientMetadata"] = json!(client_metadata);
        let call = TriggerCall {
            slot: SLOT,
            source,
            user_name: typed,
            client_id: Some(&client.client_id),
            version: "1",
        };
        let Some(response) = self.call_trigger(pool, call, request).await? else {
            return Ok(None);
        };
        let attributes = triggers::string_map(SLOT, &response, "userAttributes")?;
        if attributes.is_empty() {
            return Err(invalid_response(SLOT, "userAttributes is required"));
        }
        let status = match (
            password,
            triggers::string(SLOT, &response, "finalUserStatus")?.as_deref(),
        ) {
            (Some(_), Some("CONFIRMED")) => UserStatus::Confirmed,
            (_, None | Some("RESET_REQUIRED") | Some("CONFIRMED")) => UserStatus::ResetRequired,
            (_, Some(other)) => {
                return Err(invalid_response(
                    SLOT,
                    &format!("finalUserStatus {other} is not CONFIRMED or RESET_REQUIRED"),
                ))
            }
        };
        let force_alias = triggers::flag(SLOT, &response, "forceAliasCreation")?;
        let enable_sms = triggers::flag(SLOT, &response, "enableSMSMFA")?;
        let pairs: Vec<(String, String)> = attributes
            .into_iter()
            .filter(|(k, _)| k != "username" && k != "sub")
            .collect();
        let now = self.clock.now();
        let mut user = self.new_user(pool, typed, &pairs, AttributeWriter::Admin, status, now)?;
        if let Some(p) = password {
            self.set_password(pool, &mut user, p, now)?;
        }
        if enable_sms && user.attr("phone_number").is_some() {
            user.mfa.enabled.push(MfaFactor::Sms);
        }
        self.claim_aliases(pool, &user, force_alias).await?;
        self.insert_new_user(pool, &user, "User already exists")
            .await?;
        tracing::info!(pool = %pool.id, "user migrated by the UserMigration trigger");
        Ok(Some(user))
    }
}
