//! Calling a pool's triggers from the services: resolve the slot, build the envelope,
//! sign with the pool's trigger secret, map failures to Cognito's errors.

use serde_json::{Map, Value};

use crate::error::AuthError;
use crate::pool::UserPool;
use crate::triggers::{self, Envelope, TriggerSlot};

use super::Keystep;

/// One trigger call: which slot, as what `triggerSource`, about whom.
#[derive(Debug, Clone, Copy)]
pub struct TriggerCall<'a> {
    /// The slot.
    pub slot: TriggerSlot,
    /// `triggerSource`.
    pub source: &'a str,
    /// `userName`.
    pub user_name: &'a str,
    /// `callerContext.clientId`.
    pub client_id: Option<&'a str>,
    /// The event `version` (`"1"`; `"2"` for PreTokenGeneration V2).
    pub version: &'a str,
}

impl Keystep {
    /// The secret a pool's webhook calls are signed with (hex), derived from the master
    /// key so that every node agrees without storing it. Shown to administrators so a
    /// webhook can check `X-Keystep-Signature`.
    pub fn trigger_secret(&self, pool_id: &str) -> String {
        hex::encode(self.keys.code_hash("trigger-secret", pool_id))
    }

    /// Whether the pool has a function in `slot`.
    pub fn has_trigger(&self, pool: &UserPool, slot: TriggerSlot) -> bool {
        pool.settings.lambda.slots.contains_key(slot.name())
    }

    /// The URL of `pool`'s function in `slot`, if it has one.
    pub(crate) fn trigger_url(
        &self,
        pool: &UserPool,
        slot: TriggerSlot,
    ) -> Result<Option<String>, AuthError> {
        let Some(value) = pool.settings.lambda.slots.get(slot.name()) else {
            return Ok(None);
        };
        let Some(url) = self.config.triggers.resolve(value) else {
            // Checked when the pool was saved; the server's mapping changed since.
            return Err(AuthError::UnexpectedLambda(format!(
                "{} is set to a Lambda ARN this server has no URL for.",
                slot.name()
            )));
        };
        if !triggers::webhook_url_allowed(&url, self.config.triggers.allow_http) {
            // Also checked when the pool was saved; the configuration changed since.
            return Err(AuthError::UnexpectedLambda(triggers::plain_http_refused(
                &format!("The {} webhook", slot.name()),
            )));
        }
        Ok(Some(url))
    }

    /// Calls `call.slot` of `pool` with `request`, if the pool has a function there;
    /// returns the answered `response`.
    pub async fn call_trigger(
        &self,
        pool: &UserPool,
        call: TriggerCall<'_>,
        request: Value,
    ) -> Result<Option<Map<String, Value>>, AuthError> {
        let Some(url) = self.trigger_url(pool, call.slot)? else {
            return Ok(None);
        };
        let event = Envelope {
            region: crate::ids::region_of(&pool.id),
            pool_id: &pool.id,
            user_name: call.user_name,
            client_id: call.client_id,
            trigger_source: call.source,
            version: call.version,
        }
        .event(request);
        let secret = self.trigger_secret(&pool.id);
        let answered = self
            .triggers
            .invoke(call.slot, &url, secret.as_bytes(), &event)
            .await
            .map_err(|f| triggers::failure_error(call.slot, f))?;
        triggers::response_of(call.slot, &answered).map(Some)
    }
}
