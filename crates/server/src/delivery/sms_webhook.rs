//! SMS through a provider webhook: each message is POSTed as JSON, signed like the
//! trigger calls (`X-Keystep-Timestamp`, `X-Keystep-Signature` = hex HMAC-SHA256 over
//! `<timestamp>.<body>`, keyed with `sms_webhook_secret`), and a 2xx answer means the
//! provider accepted it.
//!
//! ```json
//! {"version": "1", "deliveryId": 42, "destination": "+15555550100",
//!  "message": "Your verification code is 123456. ", "purpose": "sign_up",
//!  "userPoolId": "us-east-1_abc", "userName": "alice"}
//! ```
//!
//! `deliveryId` is the same on every retry: a receiver that must not send twice keys on it.

use std::time::Duration;

use keystep_core::parcel::{CarryFailure, Parcel};
use serde_json::json;

/// How long the provider may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Sends SMS through the webhook.
pub struct SmsWebhook {
    url: String,
    secret: Vec<u8>,
    http: reqwest::Client,
}

impl std::fmt::Debug for SmsWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsWebhook")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl SmsWebhook {
    /// A sender for `url`, signing with `secret`.
    pub fn new(url: String, secret: Vec<u8>) -> SmsWebhook {
        let http = crate::webhook::client(TIMEOUT);
        SmsWebhook { url, secret, http }
    }

    /// POSTs one message. 4xx answers (but 408 and 429) are permanent refusals;
    /// anything else that is not 2xx is tried again.
    pub async fn send(&self, id: i64, parcel: &Parcel) -> Result<(), CarryFailure> {
        let m = &parcel.message;
        let body = json!({
            "version": "1",
            "deliveryId": id,
            "destination": m.destination,
            "message": m.body,
            "purpose": m.purpose.as_str(),
            "userPoolId": m.pool_id,
            "userName": m.username,
        })
        .to_string();
        let answer =
            crate::webhook::signed_post(&self.http, &self.url, &self.secret, body.into_bytes())
                .send()
                .await
                .map_err(|e| {
                    CarryFailure::Transient(if e.is_timeout() {
                        "the SMS webhook timed out".into()
                    } else {
                        "the SMS webhook could not be reached".into()
                    })
                })?;
        let status = answer.status();
        if status.is_success() {
            return Ok(());
        }
        let what = format!("the SMS webhook answered HTTP {}", status.as_u16());
        if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
            Err(CarryFailure::Permanent(what))
        } else {
            Err(CarryFailure::Transient(what))
        }
    }
}
