//! The servers under attack: Keystep in this process on `127.0.0.1:0`, each on its own
//! database, wired the way `keystep serve` wires it; and the panic hook that counts what
//! would otherwise only kill a connection task.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use keystep_core::keys::KeyRing;
use keystep_core::limits::Limits as AbuseLimits;
use keystep_core::ports::{SystemClock, SystemRng};
use keystep_core::service::ServiceConfig;
use keystep_server::bootstrap::{self, Setup};
use keystep_server::{AdminCredentials, AppState, Limits};

/// The request size limit the servers run with (`keystep serve`'s default).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Which abuse limits a server runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Budgets so large that the fuzzer never uses them up; lockouts still apply.
    Generous,
    /// Keystep's defaults.
    Default,
}

impl Profile {
    /// The name reports use.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Generous => "generous-limits",
            Profile::Default => "default-limits",
        }
    }

    fn limits(self) -> AbuseLimits {
        match self {
            Profile::Generous => AbuseLimits {
                code_requests_per_hour: 1_000_000,
                sign_in_codes_per_hour: 1_000_000,
                code_attempts_per_hour: 1_000_000,
                change_password_per_hour: 1_000_000,
            },
            Profile::Default => AbuseLimits::default(),
        }
    }
}

/// A running in-process server.
pub struct Target {
    /// Its abuse limits.
    pub profile: Profile,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// The server's state: the store and keys the checker reads through.
    pub state: AppState,
    shutdown: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Holds the temporary database folder until the run ends.
    _dir: Option<tempfile::TempDir>,
}

impl Target {
    /// The admin credentials requests are signed with.
    pub fn admin(&self) -> &AdminCredentials {
        &self.state.admin
    }

    /// Stops the server and waits for it.
    pub async fn stop(&self) {
        let tx = self.shutdown.lock().ok().and_then(|mut s| s.take());
        if let Some(tx) = tx {
            let _ = tx.send(());
        }
        let task = self.task.lock().ok().and_then(|mut t| t.take());
        if let Some(task) = task {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
        }
    }
}

/// Starts a server on `database_url`, or on a fresh SQLite file in a temporary folder.
pub async fn start(profile: Profile, database_url: Option<&str>) -> Result<Target, String> {
    let (dir, database_url) = match database_url {
        Some(url) => (None, url.to_string()),
        None => {
            let dir = tempfile::Builder::new()
                .prefix("keystep-fuzz-")
                .tempdir()
                .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
            let url = format!("sqlite://{}", dir.path().join("keystep.db").display());
            (Some(dir), url)
        }
    };
    let store = keystep_store::open(&database_url)
        .await
        .map_err(|e| format!("database {database_url}: {e}"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:0: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("listener address: {e}"))?;
    let url = format!("http://{addr}");
    let master_key = KeyRing::generate_master_key().map_err(|e| format!("master key: {e}"))?;
    let prepared = bootstrap::prepare(Setup {
        store,
        master_key,
        clock: Arc::new(SystemClock),
        service: ServiceConfig {
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            public_url: url.clone(),
            triggers: keystep_core::triggers::TriggerConfig {
                arn_map: Default::default(),
                allow_http: false,
            },
            limits: profile.limits(),
            domain_suffix: None,
        },
        admin: Some(AdminCredentials::generate(&SystemRng)),
        limits: Limits {
            max_body_bytes: MAX_BODY_BYTES,
            ..Limits::default()
        },
        dev_pool: false,
        delivery: keystep_server::bootstrap::DeliverySetup::development(false),
        upstream: None,
    })
    .await
    .map_err(|e| format!("starting the {} server: {e}", profile.name()))?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let state = prepared.state.clone();
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = rx.await;
        };
        if let Err(e) = keystep_server::serve(listener, state, shutdown).await {
            eprintln!("keystep fuzz: the server stopped: {e}");
        }
    });
    Ok(Target {
        profile,
        url,
        state: prepared.state,
        shutdown: Mutex::new(Some(tx)),
        task: Mutex::new(Some(task)),
        _dir: dir,
    })
}

/// Panics seen anywhere in this process since the hook was installed.
#[derive(Debug, Default)]
pub struct PanicLog {
    count: AtomicU64,
    messages: Mutex<Vec<String>>,
}

impl PanicLog {
    /// How many so far.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }

    /// The messages of the panics after the first `skip`.
    pub fn messages_after(&self, skip: u64) -> Vec<String> {
        self.messages
            .lock()
            .map(|m| m.iter().skip(skip as usize).cloned().collect())
            .unwrap_or_default()
    }
}

static PANICS: OnceLock<Arc<PanicLog>> = OnceLock::new();

/// Installs (once) a panic hook that counts and records every panic, then runs the
/// previous hook. The fuzzer's own code does not panic, so any count is the server's.
pub fn install_panic_counter() -> Arc<PanicLog> {
    PANICS
        .get_or_init(|| {
            let log = Arc::new(PanicLog::default());
            let seen = log.clone();
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let thread = std::thread::current()
                    .name()
                    .unwrap_or("unnamed")
                    .to_string();
                if let Ok(mut m) = seen.messages.lock() {
                    m.push(format!("thread {thread}: {info}"));
                }
                seen.count.fetch_add(1, Ordering::SeqCst);
                previous(info);
            }));
            log
        })
        .clone()
}
