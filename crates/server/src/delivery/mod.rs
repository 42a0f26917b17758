//! Real message delivery: the senders the server is configured with (SMTP, an SMS
//! webhook), the task that sends what the domain queued, and the administrators' view
//! of the queue (`GET /admin/deliveries`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use keystep_core::message::Medium;
use keystep_core::parcel::{CarryFailure, Channel, Parcel};
use keystep_core::ports::Courier;
use keystep_core::service::Keystep;
use tokio::sync::Notify;

pub mod admin;
pub mod sms_webhook;
pub mod smtp;

pub use sms_webhook::SmsWebhook;
pub use smtp::{SmtpSender, SmtpSettings, SmtpSetupError};

/// How many queued messages one pass claims.
const BATCH: u32 = 32;

/// How often the queue is looked at without being woken: retries fall due, and other
/// nodes queue messages this node is not told about.
const POLL: Duration = Duration::from_secs(1);

/// Counts of delivery outcomes since the start, for metrics.
#[derive(Debug, Default)]
pub struct DeliveryCounters {
    /// Messages queued.
    pub queued: AtomicU64,
    /// Messages accepted by their sender.
    pub sent: AtomicU64,
    /// Failed attempts that will be retried.
    pub retried: AtomicU64,
    /// Messages given up on.
    pub failed: AtomicU64,
}

/// The server's senders, as the domain's [`Courier`].
#[derive(Default)]
pub struct ServerCourier {
    smtp: Option<SmtpSender>,
    sms: Option<SmsWebhook>,
    wake: Notify,
    /// Outcome counters.
    pub counters: DeliveryCounters,
}

impl std::fmt::Debug for ServerCourier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerCourier")
            .field("smtp", &self.smtp)
            .field("sms", &self.sms)
            .finish_non_exhaustive()
    }
}

impl ServerCourier {
    /// A courier with the given senders (either may be absent).
    pub fn new(smtp: Option<SmtpSender>, sms: Option<SmsWebhook>) -> ServerCourier {
        ServerCourier {
            smtp,
            sms,
            ..ServerCourier::default()
        }
    }

    /// Whether any real sender is configured.
    pub fn has_senders(&self) -> bool {
        self.smtp.is_some() || self.sms.is_some()
    }
}

#[async_trait]
impl Courier for ServerCourier {
    fn carries(&self, medium: Medium) -> bool {
        match medium {
            Medium::Email => self.smtp.is_some(),
            Medium::Sms => self.sms.is_some(),
        }
    }

    async fn carry(&self, id: i64, parcel: &Parcel) -> Result<(), CarryFailure> {
        match (parcel.channel, &self.smtp, &self.sms) {
            (Channel::Smtp, Some(smtp), _) => smtp.send(parcel).await,
            (Channel::SmsWebhook, _, Some(sms)) => sms.send(id, parcel).await,
            (channel, _, _) => Err(CarryFailure::Transient(format!(
                "no sender for {} is configured",
                channel.as_str()
            ))),
        }
    }

    fn wake(&self) {
        self.counters.queued.fetch_add(1, Ordering::Relaxed);
        self.wake.notify_one();
    }
}

/// Sends queued messages until `shutdown` resolves: at once when woken, else every
/// second. A pass that fails (the store is down) is logged and tried again.
pub async fn run_dispatcher(
    keystep: Keystep,
    courier: Arc<ServerCourier>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        loop {
            match keystep.dispatch_due(BATCH).await {
                Ok(report) => {
                    let c = &courier.counters;
                    c.sent.fetch_add(u64::from(report.sent), Ordering::Relaxed);
                    c.retried
                        .fetch_add(u64::from(report.retried), Ordering::Relaxed);
                    c.failed
                        .fetch_add(u64::from(report.failed), Ordering::Relaxed);
                    if report.total() < BATCH {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "delivery queue pass failed");
                    break;
                }
            }
        }
        tokio::select! {
            _ = &mut shutdown => return,
            _ = courier.wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}
