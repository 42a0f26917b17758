//! Triggers as webhooks: the event is POSTed as JSON to the slot's URL with a 5-second
//! timeout, signed so the receiver can refuse forgeries:
//!
//! * `X-Keystep-Timestamp`: Unix seconds;
//! * `X-Keystep-Signature`: hex HMAC-SHA256, keyed with the pool's trigger secret, over
//!   `<timestamp>.<body>`.
//!
//! A 2xx answer must be the event with `response` filled. A Lambda-style error body
//! (`{"errorMessage": ...}`) or a non-2xx status is the function refusing; a timeout, a
//! refused connection or a body that is not a JSON object is a failure to run it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use aws_lc_rs::hmac;
use keystep_core::triggers::{InvokeFailure, TriggerInvoker, TriggerSlot};
use serde_json::Value;

/// How long a trigger may take.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The largest answer read from a webhook.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// Counts of trigger calls by outcome.
#[derive(Debug, Default)]
pub struct TriggerCounters {
    /// Calls answered with an event.
    pub ok: AtomicU64,
    /// Calls the function refused.
    pub rejected: AtomicU64,
    /// Calls that could not be completed.
    pub failed: AtomicU64,
}

/// The HTTP trigger invoker.
#[derive(Debug)]
pub struct WebhookInvoker {
    http: reqwest::Client,
    /// Outcome counters (logged per call, readable for metrics).
    pub counters: TriggerCounters,
    by_slot: std::sync::Mutex<std::collections::BTreeMap<(&'static str, &'static str), u64>>,
}

impl WebhookInvoker {
    /// An invoker with the standard timeout.
    pub fn new() -> WebhookInvoker {
        let http = client(TIMEOUT);
        WebhookInvoker {
            http,
            counters: TriggerCounters::default(),
            by_slot: Default::default(),
        }
    }
}

impl WebhookInvoker {
    /// Calls so far by slot and outcome (`ok`, `rejected`, `failed`).
    pub fn counts_by_slot(&self) -> Vec<((&'static str, &'static str), u64)> {
        let m = match self.by_slot.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        m.iter().map(|(k, v)| (*k, *v)).collect()
    }
}

impl Default for WebhookInvoker {
    fn default() -> Self {
        WebhookInvoker::new()
    }
}

/// An HTTP client for webhooks: `timeout` per call, redirects not followed (a webhook
/// that redirects would send the signed body somewhere nobody configured).
pub fn client(timeout: std::time::Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// A POST of the JSON `body` to `url`, stamped with the current time and signed with
/// `secret` (`X-Keystep-Timestamp`, `X-Keystep-Signature`), as every webhook call is.
pub fn signed_post(
    http: &reqwest::Client,
    url: &str,
    secret: &[u8],
    body: Vec<u8>,
) -> reqwest::RequestBuilder {
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        .to_string();
    let signed = signature(secret, &timestamp, &body);
    http.post(url)
        .header("content-type", "application/json")
        .header("x-keystep-timestamp", timestamp)
        .header("x-keystep-signature", signed)
        .body(body)
}

/// The signature of `body` sent at `timestamp`.
pub fn signature(secret: &[u8], timestamp: &str, body: &[u8]) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(timestamp.as_bytes());
    ctx.update(b".");
    ctx.update(body);
    hex::encode(ctx.sign().as_ref())
}

/// The function's message in a Lambda-style error body, if it is one.
fn error_message(body: &Value) -> Option<String> {
    let m = body.get("errorMessage").or_else(|| body.get("message"))?;
    Some(match m {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

impl WebhookInvoker {
    async fn call(&self, url: &str, secret: &[u8], event: &Value) -> Result<Value, InvokeFailure> {
        let body = serde_json::to_vec(event)
            .map_err(|e| InvokeFailure::Failed(format!("event not serialisable: {e}")))?;
        let response = signed_post(&self.http, url, secret, body)
            .send()
            .await
            .map_err(|e| {
                InvokeFailure::Failed(if e.is_timeout() {
                    "the function timed out".into()
                } else {
                    "the function could not be reached".into()
                })
            })?;
        let status = response.status();
        let bytes = read_capped(response, MAX_ANSWER_BYTES).await?;
        let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
        if !status.is_success() {
            let message = parsed
                .as_ref()
                .and_then(error_message)
                .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
            return Err(InvokeFailure::Rejected(message));
        }
        match parsed {
            Some(v @ Value::Object(_)) => {
                match error_message(&v).filter(|_| v.get("response").is_none()) {
                    Some(message) => Err(InvokeFailure::Rejected(message)),
                    None => Ok(v),
                }
            }
            _ => Err(InvokeFailure::Failed(
                "the answer is not a JSON object".into(),
            )),
        }
    }
}

/// Reads an answer's body, stopping as soon as it passes `cap` bytes: a webhook that
/// streams without end (or announces a huge length) costs at most `cap` of memory.
async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, InvokeFailure> {
    let too_large = || InvokeFailure::Failed("the answer is too large".into());
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| InvokeFailure::Failed("the answer could not be read".into()))?
    {
        if body.len() + chunk.len() > cap {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[async_trait]
impl TriggerInvoker for WebhookInvoker {
    async fn invoke(
        &self,
        slot: TriggerSlot,
        url: &str,
        secret: &[u8],
        event: &Value,
    ) -> Result<Value, InvokeFailure> {
        let started = Instant::now();
        let result = self.call(url, secret, event).await;
        let ms = started.elapsed().as_millis() as u64;
        let pool = event
            .get("userPoolId")
            .and_then(Value::as_str)
            .unwrap_or("");
        let (counter, outcome) = match &result {
            Ok(_) => (&self.counters.ok, "ok"),
            Err(InvokeFailure::Rejected(_)) => (&self.counters.rejected, "rejected"),
            Err(InvokeFailure::Failed(_)) => (&self.counters.failed, "failed"),
        };
        counter.fetch_add(1, Ordering::Relaxed);
        {
            let mut m = match self.by_slot.lock() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            *m.entry((slot.name(), outcome)).or_default() += 1;
        }
        tracing::info!(pool, slot = slot.name(), ms, outcome, "trigger called");
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_covers_timestamp_and_body() {
        let a = signature(b"secret", "1700000000", b"{}");
        assert_eq!(a.len(), 64);
        assert_ne!(a, signature(b"secret", "1700000001", b"{}"));
        assert_ne!(a, signature(b"secret", "1700000000", b"{ }"));
        assert_ne!(a, signature(b"other", "1700000000", b"{}"));
    }
}
