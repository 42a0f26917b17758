//! The application services: one method per Cognito operation, over the ports.

use std::sync::Arc;

use crate::keys::KeyRing;
use crate::ports::{Clock, Rng, Store};

/// Settings of the server that the domain needs.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Region new pools are created in.
    pub region: String,
    /// The account id shown in ARNs.
    pub account_id: String,
    /// The base URL tokens are issued under (`<public_url>/<poolId>`).
    pub public_url: String,
    /// Where trigger ARNs point.
    pub triggers: crate::triggers::TriggerConfig,
    /// The hourly budgets of the abuse limits.
    pub limits: crate::limits::Limits,
    /// Pools' prefix domains are `<prefix>.<domain_suffix>` (the hosted pages and OAuth
    /// endpoints answer there, and under `public_url` for every pool).
    pub domain_suffix: Option<String>,
}

/// The domain services, wired to their ports.
#[derive(Clone)]
pub struct Keystep {
    /// Persistence.
    pub store: Arc<dyn Store>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// Randomness for ids and codes.
    pub rng: Arc<dyn Rng>,
    /// Where messages go: the development outbox and/or the delivery queue.
    pub delivery: dispatch::Delivery,
    /// Keys.
    pub keys: Arc<KeyRing>,
    /// The pair every pool's tokens were signed with before pools had keys of their own,
    /// on servers that had one.
    pub legacy_keys: Option<Arc<pool_keys::LegacyKeys>>,
    /// This node's copies of the pools' signing keys.
    pub pool_key_cache: Arc<pool_keys::PoolKeyCache>,
    /// Calls the pools' triggers.
    pub triggers: Arc<dyn crate::triggers::TriggerInvoker>,
    /// Reaches federated identity providers.
    pub upstream: Arc<dyn crate::ports::Upstream>,
    /// Where sign-in steps' auth events are recorded.
    pub auth_events: Arc<dyn crate::ports::AuthEventSink>,
    /// Server settings.
    pub config: ServiceConfig,
}

mod context;
pub use context::*;

pub mod account;
pub mod admin_users;
pub mod auth;
pub mod auth_events;
pub mod client_secrets;
pub mod clients;
pub mod delivery;
pub mod devices;
pub mod dispatch;
pub mod domains;
pub mod groups;
pub mod hooks;
pub mod identity_providers;
pub mod lifecycle_hooks;
pub mod limits;
pub mod mfa;
pub mod migration;
pub mod oauth;
mod page_keys;
pub mod passkeys;
pub mod passwords;
pub mod pool_keys;
pub mod pools;
pub mod recovery;
pub mod resource_servers;
pub mod risk;
pub mod signup;
pub mod tags;
pub mod token_ops;
pub mod ui_customization;
pub mod unknown_users;
pub mod user_import;
pub mod user_sessions;
pub mod users;

/// Encodes a store pagination key as the opaque token clients echo back.
pub fn encode_page_token(key: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// Decodes a pagination token; garbage is an `InvalidParameter`, never a panic.
pub fn decode_page_token(token: &str) -> Result<String, crate::AuthError> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| crate::AuthError::InvalidParameter("Invalid pagination token.".into()))
}
