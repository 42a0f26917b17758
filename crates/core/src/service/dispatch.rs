//! Where a rendered message goes, and sending what was queued.
//!
//! A message goes to the pool's custom sender trigger if it has one for the medium, else
//! to the server's real sender for the medium (SMTP, the SMS webhook) if one is
//! configured; either way it is *queued*: sealed into the store, in the same transaction
//! as the code it carries, and sent after commit by [`Keystep::dispatch_due`], with
//! retries. The development outbox, when on, records the message on the spot as well.
//! With neither, the request fails with `CodeDeliveryFailureException` before anything
//! is stored.

use std::sync::Arc;

use serde_json::json;

use crate::attributes::mask_destination;
use crate::code::StoredCode;
use crate::error::AuthError;
use crate::message::{Medium, OutgoingMessage};
use crate::parcel::{
    custom_sender_channel, custom_sender_source, CarryFailure, Channel, EmailEnvelope, Parcel,
    RetryPolicy, CLAIM_LEASE_MS, DELIVERY_RECORD_TTL_MS,
};
use crate::pool::UserPool;
use crate::ports::{Courier, DeliveryOutcome, DeliveryRow, Messenger, NewDelivery};
use crate::triggers::{Envelope, InvokeFailure, TriggerSlot};
use crate::user::User;
use crate::Millis;

use super::Keystep;

/// Where messages go.
#[derive(Clone)]
pub struct Delivery {
    /// The development outbox: records each message on the spot (and may print it).
    pub outbox: Option<Arc<dyn Messenger>>,
    /// The server's real senders, fed from the delivery queue.
    pub courier: Option<Arc<dyn Courier>>,
    /// How failed attempts are retried.
    pub retry: RetryPolicy,
}

impl Delivery {
    /// Only the development outbox (tests, and servers without real senders).
    pub fn outbox_only(outbox: Arc<dyn Messenger>) -> Delivery {
        Delivery {
            outbox: Some(outbox),
            courier: None,
            retry: RetryPolicy::default(),
        }
    }
}

/// What one dispatch pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    /// Messages accepted by their sender.
    pub sent: u32,
    /// Messages that failed and will be tried again.
    pub retried: u32,
    /// Messages given up on.
    pub failed: u32,
}

impl DispatchReport {
    /// Messages handled in all.
    pub fn total(&self) -> u32 {
        self.sent + self.retried + self.failed
    }
}

/// The context a parcel is sealed under: bound to its pool and recipient.
fn parcel_context(pool_id: &str, username: &str) -> String {
    format!("parcel:{pool_id}:{username}")
}

impl Keystep {
    /// The sender that carries `medium` for `pool`, if any: the pool's custom sender
    /// trigger first, as in Cognito, then the server's own.
    pub fn route(&self, pool: &UserPool, medium: Medium) -> Option<Channel> {
        let custom = custom_sender_channel(medium);
        let slot = custom_slot(custom);
        if self.has_trigger(pool, slot) {
            return Some(custom);
        }
        let courier = self.delivery.courier.as_ref()?;
        courier.carries(medium).then_some(match medium {
            Medium::Email => Channel::Smtp,
            Medium::Sms => Channel::SmsWebhook,
        })
    }

    /// Sends `message` to `user` the way the pool and the server are set up, storing
    /// `code` (the code it carries) in the same transaction as the queued message.
    pub(crate) async fn post(
        &self,
        pool: &UserPool,
        user: &User,
        message: OutgoingMessage,
        code: Option<&StoredCode>,
    ) -> Result<(), AuthError> {
        let channel = self.route(pool, message.medium);
        if channel.is_none() && self.delivery.outbox.is_none() {
            tracing::warn!(pool = %pool.id, medium = message.medium.as_str(), "no sender configured");
            return Err(AuthError::CodeDeliveryFailure(format!(
                "No sender is configured for {} messages on this server.",
                message.medium.as_str()
            )));
        }
        let queued = channel.map(|c| self.pack(pool, user, &message, c));
        match code {
            Some(code) => self.store.put_code(code, queued.as_ref()).await?,
            None => {
                if let Some(d) = &queued {
                    self.store.enqueue_delivery(d).await?;
                }
            }
        }
        if let Some(outbox) = &self.delivery.outbox {
            if let Err(e) = outbox.send(&message).await {
                tracing::warn!(pool = %pool.id, medium = message.medium.as_str(), error = %e, "outbox write failed");
                return Err(AuthError::CodeDeliveryFailure(
                    "Unable to deliver the message.".into(),
                ));
            }
        }
        if let (Some(channel), Some(courier)) = (channel, &self.delivery.courier) {
            tracing::debug!(pool = %pool.id, channel = channel.as_str(), "message queued");
            courier.wake();
        }
        Ok(())
    }

    fn pack(
        &self,
        pool: &UserPool,
        user: &User,
        message: &OutgoingMessage,
        channel: Channel,
    ) -> NewDelivery {
        let parcel = Parcel {
            message: message.clone(),
            channel,
            envelope: (message.medium == Medium::Email).then(|| EmailEnvelope::of(pool)),
            user_attributes: user.attributes.clone(),
            client_id: None,
        };
        // Serialising plain structs of strings cannot fail; an empty payload would fail
        // loudly at send time rather than here.
        let bytes = serde_json::to_vec(&parcel).unwrap_or_default();
        let sealed = self
            .keys
            .seal(&parcel_context(&pool.id, &message.username), &bytes);
        NewDelivery {
            pool_id: pool.id.clone(),
            username: message.username.clone(),
            medium: message.medium,
            purpose: message.purpose,
            channel,
            destination_masked: mask_destination(&message.destination),
            payload: sealed.0,
            created_at: message.created_at,
        }
    }

    /// Sends up to `limit` queued messages that are due, one after the other, and
    /// records each outcome. Several nodes may run this at once: each message is claimed
    /// by one of them.
    pub async fn dispatch_due(&self, limit: u32) -> Result<DispatchReport, AuthError> {
        let now = self.clock.now();
        let claimed = self
            .store
            .claim_deliveries(now, Millis(now.0 + CLAIM_LEASE_MS), limit)
            .await?;
        let mut report = DispatchReport::default();
        for row in claimed {
            let result = self.carry(&row).await;
            let done = self.clock.now();
            let outcome = match result {
                Ok(()) => {
                    report.sent += 1;
                    tracing::info!(id = row.id, pool = %row.pool_id, channel = row.channel.as_str(), purpose = row.purpose.as_str(), attempt = row.attempts, "message sent");
                    DeliveryOutcome::Sent
                }
                Err(failure) => {
                    let retry_at = match &failure {
                        CarryFailure::Transient(_) => {
                            self.delivery.retry.next_attempt(row.attempts, done)
                        }
                        CarryFailure::Permanent(_) => None,
                    };
                    let error = failure.to_string();
                    match retry_at {
                        Some(at) => {
                            report.retried += 1;
                            tracing::warn!(id = row.id, pool = %row.pool_id, channel = row.channel.as_str(), attempt = row.attempts, error = %error, "message not sent; will retry");
                            DeliveryOutcome::Retry { at, error }
                        }
                        None => {
                            report.failed += 1;
                            tracing::error!(id = row.id, pool = %row.pool_id, channel = row.channel.as_str(), attempt = row.attempts, error = %error, "message not sent; giving up");
                            DeliveryOutcome::Failed { error }
                        }
                    }
                }
            };
            self.store
                .finish_delivery(
                    row.id,
                    row.attempts,
                    &outcome,
                    done,
                    Millis(done.0 + DELIVERY_RECORD_TTL_MS),
                )
                .await?;
        }
        Ok(report)
    }

    async fn carry(&self, row: &DeliveryRow) -> Result<(), CarryFailure> {
        let permanent = |what: &str| CarryFailure::Permanent(what.to_string());
        let sealed = row
            .payload
            .as_ref()
            .ok_or_else(|| permanent("the message was erased"))?;
        let bytes = self
            .keys
            .open(
                &parcel_context(&row.pool_id, &row.username),
                &crate::keys::Sealed(sealed.clone()),
            )
            .map_err(|_| permanent("the message does not open with this master key"))?;
        let parcel: Parcel = serde_json::from_slice(&bytes)
            .map_err(|_| permanent("the stored message is malformed"))?;
        match parcel.channel {
            Channel::Smtp | Channel::SmsWebhook => match &self.delivery.courier {
                Some(courier) if courier.carries(parcel.message.medium) => {
                    courier.carry(row.id, &parcel).await
                }
                // Configuration changed since it was queued; keep it until a sender is back.
                _ => Err(CarryFailure::Transient(format!(
                    "no {} sender is configured",
                    parcel.message.medium.as_str()
                ))),
            },
            Channel::CustomEmailSender | Channel::CustomSmsSender => {
                self.call_custom_sender(&parcel).await
            }
        }
    }

    /// The key a pool's custom sender triggers decrypt `request.code` with (AES-256-GCM),
    /// derived from the master key so that every node agrees without storing it.
    pub fn custom_sender_key(&self, pool_id: &str) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(&self.keys.code_hash("custom-sender-key", pool_id)[..32]);
        key
    }

    async fn call_custom_sender(&self, parcel: &Parcel) -> Result<(), CarryFailure> {
        let message = &parcel.message;
        let pool = self
            .store
            .get_pool(&message.pool_id)
            .await
            .map_err(|e| CarryFailure::Transient(e.to_string()))?
            .ok_or_else(|| CarryFailure::Permanent("the pool no longer exists".into()))?;
        let slot = custom_slot(parcel.channel);
        let url = self
            .trigger_url(&pool, slot)
            .map_err(|e| CarryFailure::Transient(e.to_string()))?
            .ok_or_else(|| {
                CarryFailure::Transient(format!("the pool has no {} trigger now", slot.name()))
            })?;
        let mut nonce = [0u8; 12];
        self.rng.fill(&mut nonce);
        let code = message.code.as_deref().unwrap_or_default();
        let encrypted = crate::parcel::encrypt_code(&self.custom_sender_key(&pool.id), nonce, code)
            .ok_or_else(|| CarryFailure::Permanent("the code could not be encrypted".into()))?;
        let mut attributes = serde_json::Map::new();
        for (k, v) in &parcel.user_attributes {
            attributes.insert(k.clone(), v.clone().into());
        }
        let source = custom_sender_source(parcel.channel, message);
        let request_type = match parcel.channel {
            Channel::CustomSmsSender => "customSMSSenderRequestV1",
            _ => "customEmailSenderRequestV1",
        };
        let event = Envelope {
            region: crate::ids::region_of(&pool.id),
            pool_id: &pool.id,
            user_name: &message.username,
            client_id: parcel.client_id.as_deref(),
            trigger_source: &source,
            version: "1",
        }
        .event(json!({
            "type": request_type,
            "code": encrypted,
            "clientMetadata": {},
            "userAttributes": attributes,
        }));
        let secret = self.trigger_secret(&pool.id);
        match self
            .triggers
            .invoke(slot, &url, secret.as_bytes(), &event)
            .await
        {
            Ok(_) => Ok(()),
            Err(InvokeFailure::Rejected(m)) => Err(CarryFailure::Transient(format!(
                "{} refused: {m}",
                slot.name()
            ))),
            Err(InvokeFailure::Failed(m)) => {
                Err(CarryFailure::Transient(format!("{}: {m}", slot.name())))
            }
        }
    }

    /// The queue, newest first, for administrators.
    pub async fn list_deliveries(
        &self,
        filter: &crate::ports::DeliveryFilter,
    ) -> Result<Vec<DeliveryRow>, AuthError> {
        Ok(self.store.list_deliveries(filter).await?)
    }
}

fn custom_slot(channel: Channel) -> TriggerSlot {
    match channel {
        Channel::CustomSmsSender => TriggerSlot::CustomSmsSender,
        _ => TriggerSlot::CustomEmailSender,
    }
}
