//! First start: everything the server needs that may not exist yet is created once and
//! then reused — the master key (a file, never the database), the admin credentials
//! (sealed in the store), and a development pool with an app client. Token signing keys
//! belong to each pool and are made on first use (`keystep_core::service::pool_keys`).
//!
//! Store writes go through `put_secret_if_absent`, so nodes starting together on one
//! database agree on a single value: whoever loses the race adopts the winner's.

use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use keystep_core::app_client::{ClientSettings, ExplicitAuthFlow};
use keystep_core::keys::{KeyRing, MASTER_KEY_LEN};
use keystep_core::pool::{
    AliasKind, PoolSettings, RecoveryChannel, RecoveryMechanism, SignInIdentifiers,
};
use keystep_core::ports::{Clock, Courier, Messenger, Rng, Store, SystemRng};
use keystep_core::service::dispatch::Delivery;
use keystep_core::service::pool_keys::LegacyKeys;
use keystep_core::service::{Keystep, ServiceConfig};
use keystep_core::signing::SigningKeys;
use keystep_core::{AuthError, StoreError};

use crate::delivery::{ServerCourier, SmsWebhook, SmtpSender};
use crate::state::{AdminCredentials, AppState, Limits, Shared};
use crate::OutboxMessenger;

/// What can stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// The master key is missing, malformed or unreadable.
    #[error("master key: {0}")]
    MasterKey(String),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A stored secret did not open or parse (usually: a different master key).
    #[error("{0}")]
    Secret(String),
    /// A sender is misconfigured.
    #[error("delivery: {0}")]
    Delivery(String),
    /// The development pool could not be created.
    #[error("development pool: {0}")]
    DevPool(#[from] AuthError),
}

/// Where servers before per-pool keys kept the one pair they signed every pool's tokens
/// with.
const LEGACY_SIGNING_KEYS: &str = "signing_keys";
/// When this database's servers stopped signing with that pair.
const LEGACY_RETIRED_AT: &str = "signing_keys_retired_at";
const ADMIN_CREDENTIALS: &str = "admin_credentials";
const DEV_POOL: &str = "dev_pool";

/// Reads a master key given as 64 hex digits or as base64 of 32 bytes.
pub fn parse_master_key(text: &str) -> Result<[u8; MASTER_KEY_LEN], BootstrapError> {
    let text = text.trim();
    let bytes = if text.len() == 2 * MASTER_KEY_LEN {
        hex::decode(text).ok()
    } else {
        base64::engine::general_purpose::STANDARD.decode(text).ok()
    };
    bytes
        .and_then(|b| <[u8; MASTER_KEY_LEN]>::try_from(b.as_slice()).ok())
        .ok_or_else(|| {
            BootstrapError::MasterKey("expected 32 bytes as 64 hex digits or base64".into())
        })
}

/// Reads the master key file, or creates it (mode 0600, hex) with a fresh key.
/// Returns the key and whether it was just created.
pub fn load_or_create_master_key(
    path: &Path,
) -> Result<([u8; MASTER_KEY_LEN], bool), BootstrapError> {
    let err = |what: &str, e: std::io::Error| {
        BootstrapError::MasterKey(format!("{what} {}: {e}", path.display()))
    };
    match std::fs::read_to_string(path) {
        Ok(text) => return Ok((parse_master_key(&text)?, false)),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(err("cannot read", e)),
        Err(_) => {}
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| err("cannot create the folder of", e))?;
    }
    let key =
        KeyRing::generate_master_key().map_err(|e| BootstrapError::MasterKey(e.to_string()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            use std::io::Write;
            writeln!(file, "{}", hex::encode(key)).map_err(|e| err("cannot write", e))?;
            file.sync_all().map_err(|e| err("cannot write", e))?;
            Ok((key, true))
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(|e| err("cannot read", e))?;
            Ok((parse_master_key(&text)?, false))
        }
        Err(e) => Err(err("cannot create", e)),
    }
}

/// Loads a sealed secret, or seals and stores `make()` if none exists yet.
async fn sealed_secret(
    store: &dyn Store,
    ring: &KeyRing,
    name: &str,
    make: impl FnOnce() -> Result<Vec<u8>, BootstrapError>,
) -> Result<Vec<u8>, BootstrapError> {
    let context = format!("secret:{name}");
    let stored = match store.get_secret(name).await? {
        Some(v) => v,
        None => {
            let sealed = ring.seal(&context, &make()?);
            store.put_secret_if_absent(name, &sealed.0).await?
        }
    };
    ring.open(&context, &keystep_core::keys::Sealed(stored))
        .map_err(|_| {
            BootstrapError::Secret(format!(
                "the stored {name} do not open with this master key (was the master key replaced?)"
            ))
        })
}

/// The pair all pools' tokens were signed with before each pool had keys of its own, if
/// this database has one, and when this server stopped signing with it (recorded the
/// first time a server with per-pool keys starts on it; nodes agree on one instant).
pub async fn legacy_keys(
    store: &dyn Store,
    ring: &KeyRing,
    now: keystep_core::Millis,
) -> Result<Option<LegacyKeys>, BootstrapError> {
    let Some(sealed) = store.get_secret(LEGACY_SIGNING_KEYS).await? else {
        return Ok(None);
    };
    let context = format!("secret:{LEGACY_SIGNING_KEYS}");
    let bytes = ring
        .open(&context, &keystep_core::keys::Sealed(sealed))
        .map_err(|_| {
            BootstrapError::Secret(format!(
                "the stored {LEGACY_SIGNING_KEYS} do not open with this master key (was the master key replaced?)"
            ))
        })?;
    let keys =
        SigningKeys::from_bytes(&bytes).map_err(|e| BootstrapError::Secret(e.to_string()))?;
    let stored = store
        .put_secret_if_absent(LEGACY_RETIRED_AT, &now.0.to_be_bytes())
        .await?;
    let retired_at = <[u8; 8]>::try_from(stored.as_slice())
        .map(|b| keystep_core::Millis(i64::from_be_bytes(b)))
        .map_err(|_| BootstrapError::Secret(format!("stored {LEGACY_RETIRED_AT} is malformed")))?;
    Ok(Some(LegacyKeys { keys, retired_at }))
}

/// The admin credentials: loaded from the store, or generated on first start.
pub async fn admin_credentials(
    store: &dyn Store,
    ring: &KeyRing,
    rng: &dyn Rng,
) -> Result<AdminCredentials, BootstrapError> {
    let bytes = sealed_secret(store, ring, ADMIN_CREDENTIALS, || {
        serde_json::to_vec(&AdminCredentials::generate(rng))
            .map_err(|e| BootstrapError::Secret(e.to_string()))
    })
    .await?;
    serde_json::from_slice(&bytes).map_err(|e| BootstrapError::Secret(e.to_string()))
}

/// The development pool and its app client.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DevPool {
    /// The pool id.
    pub pool_id: String,
    /// The app client id (no secret).
    pub client_id: String,
}

/// Returns the development pool, creating it (through the domain services) on first
/// start. `None` when it was created once and deleted since: it is not brought back.
pub async fn dev_pool(keystep: &Keystep) -> Result<Option<DevPool>, BootstrapError> {
    let store = &*keystep.store;
    let remembered = match store.get_secret(DEV_POOL).await? {
        Some(bytes) => bytes,
        None => {
            let created = create_dev_pool(keystep).await?;
            let bytes =
                serde_json::to_vec(&created).map_err(|e| BootstrapError::Secret(e.to_string()))?;
            let stored = store.put_secret_if_absent(DEV_POOL, &bytes).await?;
            if stored != bytes {
                // Another node won the race; ours is an orphan.
                keystep.delete_user_pool(&created.pool_id).await?;
            }
            stored
        }
    };
    let dev: DevPool = serde_json::from_slice(&remembered)
        .map_err(|e| BootstrapError::Secret(format!("stored dev_pool: {e}")))?;
    Ok(store.get_pool(&dev.pool_id).await?.map(|_| dev))
}

async fn create_dev_pool(keystep: &Keystep) -> Result<DevPool, BootstrapError> {
    // Amplify's default: e-mail is the username, verified by a code at sign-up, and it
    // is how a forgotten password is recovered.
    let defaults = PoolSettings::default();
    let settings = PoolSettings {
        identifiers: SignInIdentifiers {
            username_attributes: vec![AliasKind::Email],
            ..defaults.identifiers.clone()
        },
        auto_verified: vec![AliasKind::Email],
        recovery: vec![RecoveryMechanism {
            channel: RecoveryChannel::VerifiedEmail,
            priority: 1,
        }],
        // `create_user_pool` takes only the *extra* schema attributes.
        schema: Vec::new(),
        ..defaults
    };
    let pool = keystep.create_user_pool("keystep-dev", settings).await?;
    let client_settings = ClientSettings {
        explicit_auth_flows: vec![
            ExplicitAuthFlow::AllowUserSrpAuth,
            ExplicitAuthFlow::AllowUserPasswordAuth,
            ExplicitAuthFlow::AllowAdminUserPasswordAuth,
            ExplicitAuthFlow::AllowCustomAuth,
            ExplicitAuthFlow::AllowRefreshTokenAuth,
        ],
        prevent_user_existence_errors: true,
        ..ClientSettings::default()
    };
    let client = keystep
        .create_user_pool_client(&pool.id, "keystep-dev-web", false, client_settings)
        .await?;
    Ok(DevPool {
        pool_id: pool.id,
        client_id: client.client.client_id,
    })
}

/// Everything [`prepare`] needs.
pub struct Setup {
    /// The opened store.
    pub store: Arc<dyn Store>,
    /// The master key.
    pub master_key: [u8; MASTER_KEY_LEN],
    /// The domain clock.
    pub clock: Arc<dyn Clock>,
    /// Region, account id and public URL.
    pub service: ServiceConfig,
    /// Admin credentials from configuration; `None` loads or generates them.
    pub admin: Option<AdminCredentials>,
    /// Edge limits.
    pub limits: Limits,
    /// Whether to create (or reuse) the development pool.
    pub dev_pool: bool,
    /// Where messages go.
    pub delivery: DeliverySetup,
    /// How identity providers are reached; `None` is HTTPS with reqwest. Tests put a
    /// stand-in for providers they cannot reach (Facebook, Login with Amazon) here.
    pub upstream: Option<Arc<dyn keystep_core::ports::Upstream>>,
}

/// Whether the development outbox records messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutboxMode {
    /// Only when no real sender is configured.
    #[default]
    Auto,
    /// Always (with a real sender too: for staging, where both are wanted).
    On,
    /// Never.
    Off,
}

/// The senders and the outbox.
#[derive(Debug, Clone)]
pub struct DeliverySetup {
    /// Whether the outbox records messages.
    pub outbox: OutboxMode,
    /// Whether the outbox also prints each message to standard output; never done when a
    /// real sender is configured.
    pub print_outbox: bool,
    /// How long outbox rows are kept.
    pub outbox_ttl: std::time::Duration,
    /// E-mail over SMTP.
    pub smtp: Option<crate::delivery::SmtpSettings>,
    /// SMS through a webhook: its URL and signing secret.
    pub sms_webhook: Option<(String, Vec<u8>)>,
    /// How failed sends are retried.
    pub retry: keystep_core::parcel::RetryPolicy,
}

impl Default for DeliverySetup {
    fn default() -> Self {
        DeliverySetup {
            outbox: OutboxMode::Auto,
            print_outbox: false,
            outbox_ttl: crate::outbox::DEFAULT_OUTBOX_TTL,
            smtp: None,
            sms_webhook: None,
            retry: Default::default(),
        }
    }
}

impl DeliverySetup {
    /// The development setup: outbox only, printed or not.
    pub fn development(print_outbox: bool) -> DeliverySetup {
        DeliverySetup {
            print_outbox,
            ..DeliverySetup::default()
        }
    }

    /// The senders as the domain's delivery settings, and the courier the dispatcher
    /// task runs with.
    pub fn build(
        &self,
        store: &Arc<dyn Store>,
    ) -> Result<(Delivery, Arc<ServerCourier>), BootstrapError> {
        let smtp = self
            .smtp
            .as_ref()
            .map(SmtpSender::new)
            .transpose()
            .map_err(|e| BootstrapError::Delivery(e.to_string()))?;
        let sms = self
            .sms_webhook
            .as_ref()
            .map(|(url, secret)| SmsWebhook::new(url.clone(), secret.clone()));
        let courier = Arc::new(ServerCourier::new(smtp, sms));
        let real = courier.has_senders();
        let outbox_on = match self.outbox {
            OutboxMode::On => true,
            OutboxMode::Off => false,
            OutboxMode::Auto => !real,
        };
        let outbox: Option<Arc<dyn Messenger>> = outbox_on.then(|| {
            let m = if self.print_outbox && !real {
                OutboxMessenger::new(store.clone())
            } else {
                OutboxMessenger::quiet(store.clone())
            };
            Arc::new(m.keeping_for(self.outbox_ttl)) as Arc<dyn Messenger>
        });
        let delivery = Delivery {
            outbox,
            courier: Some(courier.clone() as Arc<dyn Courier>),
            retry: self.retry,
        };
        Ok((delivery, courier))
    }
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("service", &self.service)
            .field("admin", &self.admin)
            .field("dev_pool", &self.dev_pool)
            .finish_non_exhaustive()
    }
}

/// The server state, ready to serve, and the development pool if there is one.
pub struct Prepared {
    /// The state to pass to [`crate::serve`].
    pub state: AppState,
    /// The development pool.
    pub dev_pool: Option<DevPool>,
}

/// Wires the domain to its ports and runs the first-start steps.
pub async fn prepare(setup: Setup) -> Result<Prepared, BootstrapError> {
    let ring =
        KeyRing::new(&setup.master_key).map_err(|e| BootstrapError::MasterKey(e.to_string()))?;
    let store = setup.store;
    let legacy = legacy_keys(&*store, &ring, setup.clock.now()).await?;
    let rng: Arc<dyn Rng> = Arc::new(SystemRng);
    let admin = match setup.admin {
        Some(a) => a,
        None => admin_credentials(&*store, &ring, &*rng).await?,
    };
    let (delivery, courier) = setup.delivery.build(&store)?;
    let webhooks = Arc::new(crate::webhook::WebhookInvoker::new());
    let keystep = Keystep {
        auth_events: Arc::new(crate::event_writer::BatchedAuthEvents::start(store.clone())),
        store,
        clock: setup.clock,
        rng,
        delivery,
        keys: Arc::new(ring),
        legacy_keys: legacy.map(Arc::new),
        pool_key_cache: Default::default(),
        triggers: webhooks.clone(),
        upstream: setup
            .upstream
            .unwrap_or_else(|| Arc::new(crate::upstream::HttpUpstream::new())),
        config: setup.service,
    };
    let dev_pool = if setup.dev_pool {
        dev_pool(&keystep).await?
    } else {
        None
    };
    let state = AppState::new(Shared {
        keystep,
        admin,
        webhooks,
        courier,
        metrics: Default::default(),
        importer_wake: Default::default(),
        admission: (setup.limits.max_in_flight > 0).then(|| {
            crate::admission::Admission::new(
                setup.limits.max_in_flight,
                setup.limits.admission_wait,
            )
        }),
        rate_limiter: setup
            .limits
            .rate_limit
            .map(crate::rate_limit::RateLimiter::new),
        limits: setup.limits,
    });
    Ok(Prepared { state, dev_pool })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_keys_parse_from_hex_or_base64() {
        let key = [0xabu8; 32];
        assert_eq!(parse_master_key(&hex::encode(key)).unwrap(), key);
        let b64 = base64::engine::general_purpose::STANDARD.encode(key);
        assert_eq!(parse_master_key(&format!("{b64}\n")).unwrap(), key);
        assert!(parse_master_key("abcd").is_err());
        assert!(parse_master_key(&hex::encode([1u8; 31])).is_err());
    }

    #[test]
    fn master_key_file_is_created_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/master.key");
        let (k1, created) = load_or_create_master_key(&path).unwrap();
        assert!(created);
        let (k2, created) = load_or_create_master_key(&path).unwrap();
        assert!(!created);
        assert_eq!(k1, k2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "garbage").unwrap();
        assert!(load_or_create_master_key(&path).is_err());
    }
}
