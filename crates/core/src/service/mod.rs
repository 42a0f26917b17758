//! The application services: one method per Cognito operation, over the ports.

use std::sync::Arc;

use crate::keys::KeyRing;
use crate::ports::{Clock, Messenger, Rng, Store};

/// Settings of the server that the domain needs.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Region new pools are created in.
    pub region: String,
    /// The account id shown in ARNs.
    pub account_id: String,
    /// The base URL tokens are issued under (`<public_url>/<poolId>`).
    pub public_url: String,
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
    /// Message delivery.
    pub messenger: Arc<dyn Messenger>,
    /// Keys.
    pub keys: Arc<KeyRing>,
    /// Server settings.
    pub config: ServiceConfig,
}
