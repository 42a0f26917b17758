//! What every request handler can reach.

use std::sync::Arc;

use keystep_core::ports::Rng;
use keystep_core::service::Keystep;

/// The state shared by all requests: cheap to clone (one `Arc`); fields are reached
/// through `Deref` (`state.keystep`, `state.admin`, ...).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The contents of [`AppState`].
pub struct Shared {
    /// The domain services.
    pub keystep: Keystep,
    /// The credentials admin operations are signed with.
    pub admin: AdminCredentials,
    /// Request limits.
    pub limits: Limits,
    /// The per-address buckets, when the unsigned operations are rate-limited.
    pub rate_limiter: Option<crate::rate_limit::RateLimiter>,
    /// The trigger webhooks (the same invoker the domain calls), for their counters.
    pub webhooks: Arc<crate::webhook::WebhookInvoker>,
    /// The real senders, which the delivery task runs with.
    pub courier: Arc<crate::delivery::ServerCourier>,
    /// Request, sign-in and refusal counters for `/metrics`.
    pub metrics: crate::metrics::Metrics,
    /// Wakes this node's user importer when a job is started here.
    pub importer_wake: Arc<tokio::sync::Notify>,
    /// The API's admission control, when `max_in_flight` is set.
    pub admission: Option<crate::admission::Admission>,
}

impl AppState {
    /// Wraps the shared state.
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Limits applied at the edge.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted request body; larger ones get 413.
    pub max_body_bytes: usize,
    /// The per-source-address rate of the unsigned operations; `None`: unlimited.
    pub rate_limit: Option<crate::rate_limit::RateLimit>,
    /// A header a trusted proxy puts the client's address in (its last entry is used,
    /// the one the proxy appended); `None`: the address of the connection.
    pub client_ip_header: Option<String>,
    /// API requests running at once; 0: no limit (see `crate::admission`).
    pub max_in_flight: usize,
    /// How long a request waits for a turn before `TooManyRequestsException`.
    pub admission_wait: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        // Cognito's largest legitimate requests (ImportUsers aside) are a few KiB.
        Limits {
            max_body_bytes: 1024 * 1024,
            rate_limit: None,
            client_ip_header: None,
            max_in_flight: 0,
            admission_wait: std::time::Duration::from_millis(50),
        }
    }
}

/// The access key pair that signs admin operations (and reads the outbox).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AdminCredentials {
    /// `AKIA` + 16 uppercase alphanumerics.
    pub access_key_id: String,
    /// 40 characters. Secret.
    pub secret_access_key: String,
}

impl std::fmt::Debug for AdminCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

impl AdminCredentials {
    /// A fresh random pair, shaped like AWS's.
    pub fn generate(rng: &dyn Rng) -> AdminCredentials {
        use keystep_core::ids::random_string;
        const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        const SECRET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        AdminCredentials {
            access_key_id: format!("AKIA{}", random_string(rng, UPPER, 16)),
            secret_access_key: random_string(rng, SECRET, 40),
        }
    }

    /// The secret for `access_key_id`, if it is ours (the SigV4 credentials lookup).
    pub fn secret_for(&self, access_key_id: &str) -> Option<String> {
        (access_key_id == self.access_key_id).then(|| self.secret_access_key.clone())
    }

    /// Whether an `id:secret` pair (HTTP Basic) matches, compared in constant time.
    pub fn matches(&self, access_key_id: &str, secret: &str) -> bool {
        let id_ok = keystep_core::keys::constant_time_eq(
            access_key_id.as_bytes(),
            self.access_key_id.as_bytes(),
        );
        let secret_ok = keystep_core::keys::constant_time_eq(
            secret.as_bytes(),
            self.secret_access_key.as_bytes(),
        );
        id_ok & secret_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keystep_core::ports::SystemRng;

    #[test]
    fn generated_credentials_look_like_aws_ones() {
        let c = AdminCredentials::generate(&SystemRng);
        assert_eq!(c.access_key_id.len(), 20);
        assert!(c.access_key_id.starts_with("AKIA"));
        assert!(c
            .access_key_id
            .chars()
            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()));
        assert_eq!(c.secret_access_key.len(), 40);
        assert!(!format!("{c:?}").contains(&c.secret_access_key));
        assert!(c.matches(&c.access_key_id, &c.secret_access_key));
        assert!(!c.matches(&c.access_key_id, "wrong"));
        assert_eq!(c.secret_for("AKIAOTHER"), None);
    }
}
