//! `keystep serve`: configuration, first start, the banner, and serving until a signal.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use keystep_core::ports::SystemClock;
use keystep_core::service::ServiceConfig;
use keystep_server::bootstrap::{self, DevPool, Setup};
use keystep_server::housekeeping;
use keystep_server::{AdminCredentials, Limits};

use crate::config::{Config, LogFormat};

/// Where the master key came from, for the banner.
enum KeySource {
    Configured,
    File { created: bool },
}

/// A configured, wired domain: what `serve` serves and `seed-users` writes through.
pub struct Opened {
    pub config: Config,
    pub prepared: bootstrap::Prepared,
    key_source: KeySource,
    /// Whether the admin credentials came from the configuration (for the banner).
    admin_from_config: bool,
}

/// Loads the configuration, opens the database and runs the first-start steps, exactly as
/// `serve` does before it listens. `logging` sets up the log output and the outbox echo.
pub async fn open(
    config_path: Option<&Path>,
    no_dev_pool: bool,
    logging: bool,
) -> Result<Opened, String> {
    let config = load_config(config_path, no_dev_pool)?;
    if logging {
        init_logging(&config)?;
    }
    open_with(config, logging).await
}

/// The configuration (file and `KEYSTEP_*` variables); reads, writes nothing.
pub fn load_config(config_path: Option<&Path>, no_dev_pool: bool) -> Result<Config, String> {
    // Non-UTF-8 variables cannot be settings; `vars_os` keeps them from aborting us.
    let env: BTreeMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let mut config = Config::load(config_path, &env).map_err(|e| e.to_string())?;
    if no_dev_pool {
        config.dev_pool = false;
    }
    Ok(config)
}

/// [`open`] with a loaded configuration; `print_outbox` echoes the outbox to stdout.
pub async fn open_with(config: Config, print_outbox: bool) -> Result<Opened, String> {
    let logging = print_outbox;
    if config.uses_sqlite() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            format!(
                "cannot create the data folder {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    let (master_key, key_source) = match &config.master_key {
        Some(text) => (
            bootstrap::parse_master_key(&text.0).map_err(|e| e.to_string())?,
            KeySource::Configured,
        ),
        None => {
            let (key, created) = bootstrap::load_or_create_master_key(&config.master_key_file)
                .map_err(|e| e.to_string())?;
            (key, KeySource::File { created })
        }
    };
    let store = keystep_store::open(&config.database_url.0)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let configured_admin = match (&config.admin_access_key_id, &config.admin_secret_access_key) {
        (Some(id), Some(secret)) => Some(AdminCredentials {
            access_key_id: id.clone(),
            secret_access_key: secret.0.clone(),
        }),
        _ => None,
    };
    let admin_from_config = configured_admin.is_some();
    let prepared = bootstrap::prepare(Setup {
        store,
        master_key,
        clock: Arc::new(SystemClock),
        service: ServiceConfig {
            region: config.region.clone(),
            account_id: config.account_id.clone(),
            public_url: config.public_url.clone(),
            triggers: keystep_core::triggers::TriggerConfig {
                arn_map: config.trigger_arn_map.clone(),
                allow_http: config.trigger_allow_http,
            },
            limits: config.limits,
            domain_suffix: config.domain_suffix.clone(),
        },
        admin: configured_admin,
        limits: Limits {
            max_body_bytes: config.max_body_bytes,
            rate_limit: config.rate_limit.map(|(per_second, burst)| {
                keystep_server::rate_limit::RateLimit { per_second, burst }
            }),
            client_ip_header: config.client_ip_header.clone(),
            max_in_flight: config.max_in_flight,
            admission_wait: std::time::Duration::from_millis(config.admission_wait_ms),
        },
        dev_pool: config.dev_pool,
        delivery: config.delivery.setup(logging)?,
        upstream: None,
    })
    .await
    .map_err(|e| e.to_string())?;

    Ok(Opened {
        config,
        prepared,
        key_source,
        admin_from_config,
    })
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(config_path: Option<&Path>, no_dev_pool: bool) -> Result<(), String> {
    let config = load_config(config_path, no_dev_pool)?;
    init_logging(&config)?;
    // The certificate is read before the port is taken: a wrong path fails at once.
    let certificate = match &config.tls {
        Some((cert, key)) => Some(
            keystep_server::tls::Certificate::load(cert, key)
                .map_err(|e| format!("TLS certificate: {e}"))?,
        ),
        None => None,
    };
    // The port before anything on disk: a busy port leaves no data folder behind.
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| listen_error(config.listen, &e))?;
    let _lock = if config.uses_sqlite() {
        Some(crate::datalock::DataLock::take(&config.data_dir)?)
    } else {
        None
    };
    let Opened {
        config,
        prepared,
        key_source,
        admin_from_config,
    } = open_with(config, true).await?;
    // A store that cannot be written (read-only files, a read-only replica) is named now,
    // not discovered by the first sign-up.
    prepared
        .state
        .keystep
        .store
        .check_ready(keystep_core::ports::Clock::now(&SystemClock))
        .await
        .map_err(|e| format!("the database is not usable: {e}"))?;
    print_banner(
        &config,
        &prepared.state.admin,
        admin_from_config,
        prepared.dev_pool.as_ref(),
        &key_source,
    );
    tracing::info!(listen = %config.listen, public_url = %config.public_url, "keystep started");

    // One signal stops both the server and housekeeping; so does the server returning
    // for any other reason.
    let (stop, stopped) = tokio::sync::watch::channel(());
    let stop = Arc::new(stop);
    let housekeeping = (config.purge_interval_secs > 0).then(|| {
        let mut stopped = stopped.clone();
        tokio::spawn(housekeeping::run(
            prepared.state.keystep.clone(),
            Duration::from_secs(config.purge_interval_secs),
            async move {
                let _ = stopped.changed().await;
            },
        ))
    });
    let dispatcher = {
        let mut stopped = stopped.clone();
        tokio::spawn(keystep_server::delivery::run_dispatcher(
            prepared.state.keystep.clone(),
            prepared.state.courier.clone(),
            async move {
                let _ = stopped.changed().await;
            },
        ))
    };
    let importer = {
        let mut stopped = stopped.clone();
        tokio::spawn(keystep_server::user_import::run_importer(
            prepared.state.keystep.clone(),
            prepared.state.importer_wake.clone(),
            async move {
                let _ = stopped.changed().await;
            },
        ))
    };
    let metrics_server = match config.metrics_listen {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen on {addr} (metrics_listen): {e}"))?;
            let mut stopped = stopped.clone();
            let state = prepared.state.clone();
            Some(tokio::spawn(async move {
                let stop = async move {
                    let _ = stopped.changed().await;
                };
                if let Err(e) = keystep_server::serve_metrics(listener, state, stop).await {
                    tracing::warn!(error = %e, "the metrics listener stopped");
                }
            }))
        }
        None => None,
    };
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let server_shutdown = {
        let stop = stop.clone();
        async move {
            shutdown_signal().await;
            let _ = stop.send(());
            let _ = signalled.send(());
        }
    };
    let grace = Duration::from_secs(config.shutdown_grace_secs);
    // After the signal, requests in flight get `grace` to finish; then we leave anyway.
    let deadline = async move {
        if on_signal.await.is_err() {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(grace).await;
    };
    let (plain, tls, reloader) = match certificate {
        Some(certificate) => {
            let reloader = tokio::spawn(reload_on_sighup(certificate.clone()));
            let tls =
                keystep_server::tls::server_config(certificate).map_err(|e| format!("TLS: {e}"))?;
            let listener = keystep_server::tls::TlsListener::new(listener, tls)
                .map_err(|e| format!("TLS listener: {e}"))?;
            (None, Some(listener), Some(reloader))
        }
        None => (Some(listener), None, None),
    };
    let state = prepared.state;
    let auth_events = state.keystep.auth_events.clone();
    let serving = async move {
        match (plain, tls) {
            (Some(listener), _) => keystep_server::serve(listener, state, server_shutdown).await,
            (None, Some(listener)) => {
                keystep_server::serve_tls(listener, state, server_shutdown).await
            }
            (None, None) => Ok(()),
        }
    };
    let served = tokio::select! {
        served = serving => served,
        () = deadline => {
            tracing::warn!(grace_secs = grace.as_secs(), "requests still in flight after the grace period; stopping anyway");
            Ok(())
        }
    };
    if let Some(task) = metrics_server {
        task.abort();
    }
    if let Some(task) = reloader {
        task.abort();
    }
    let _ = stop.send(());
    if let Err(e) = dispatcher.await {
        tracing::warn!(error = %e, "delivery task ended abnormally");
    }
    if let Err(e) = importer.await {
        tracing::warn!(error = %e, "user import task ended abnormally");
    }
    if let Some(task) = housekeeping {
        if let Err(e) = task.await {
            tracing::warn!(error = %e, "housekeeping task ended abnormally");
        }
    }
    // The sign-ins' last auth events, still waiting for their batch.
    auth_events.flush().await;
    served.map_err(|e| format!("server: {e}"))?;
    tracing::info!("keystep stopped");
    Ok(())
}

/// Why the port could not be taken, and which setting moves it.
fn listen_error(addr: std::net::SocketAddr, e: &std::io::Error) -> String {
    let why = if e.kind() == std::io::ErrorKind::AddrInUse {
        "another program (perhaps another keystep serve) is using it"
    } else {
        "the address is not available to this process"
    };
    let mut other = addr;
    other.set_port(addr.port().wrapping_add(1).max(1));
    format!(
        "cannot listen on {addr}: {e} ({why}). Choose another address with `listen` in the \
         configuration file or KEYSTEP_LISTEN, e.g. KEYSTEP_LISTEN={other}"
    )
}

/// Re-reads the certificate and key on every `SIGHUP`; a failed read keeps the old pair.
async fn reload_on_sighup(certificate: Arc<keystep_server::tls::Certificate>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; the TLS certificate will not be reloaded");
            return;
        };
        while hangups.recv().await.is_some() {
            match certificate.reload() {
                Ok(()) => tracing::info!("TLS certificate reloaded"),
                Err(e) => {
                    tracing::error!(error = %e, "TLS certificate not reloaded; keeping the old one")
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = certificate;
}

fn init_logging(config: &Config) -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .map_err(|e| format!("log filter {:?}: {e}", config.log))?;
    // Logs go to standard error: standard output carries the banner and the outbox.
    // Colour only on a terminal: a file or a pipe gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let result = match config.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    result.map_err(|e| format!("logging: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down; finishing requests in flight");
}

/// `postgres://user:password@host/db` -> `postgres://user:***@host/db`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

fn print_banner(
    config: &Config,
    admin: &AdminCredentials,
    admin_from_config: bool,
    dev: Option<&DevPool>,
    key_source: &KeySource,
) {
    let url = &config.public_url;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(String::new());
    line(format!(
        "Keystep is listening on {} (public URL {url})",
        config.listen
    ));
    line(String::new());
    match dev {
        Some(d) => {
            line("Development user pool (e-mail is the username):".into());
            line(format!("  pool id:    {}", d.pool_id));
            line(format!("  client id:  {}", d.client_id));
        }
        None => line("No development pool (create pools with the AWS CLI or SDKs).".into()),
    }
    line(String::new());
    line("Admin credentials (SigV4, for the AWS CLI, SDKs and boto3):".into());
    line(format!("  AWS_ACCESS_KEY_ID={}", admin.access_key_id));
    if admin_from_config {
        line("  AWS_SECRET_ACCESS_KEY=<as configured>".into());
    } else {
        line(format!(
            "  AWS_SECRET_ACCESS_KEY={}",
            admin.secret_access_key
        ));
    }
    line(format!("  AWS_REGION={}", config.region));
    // The AWS CLI v1 and older SDKs read only this one.
    line(format!("  AWS_DEFAULT_REGION={}", config.region));
    line(format!(
        "  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER={url}"
    ));
    line(String::new());
    line(format!(
        "Data:        {}",
        redact_url(&config.database_url.0)
    ));
    match key_source {
        KeySource::Configured => line("Master key:  from configuration".into()),
        KeySource::File { created } => line(format!(
            "Master key:  {} ({}it opens every secret in the database and is not stored there: back it up)",
            config.master_key_file.display(),
            if *created { "just created; " } else { "" }
        )),
    }
    line(String::new());
    let d = &config.delivery;
    if let (Some(smtp), Some(from)) = (&d.smtp_url, &d.email_from) {
        line(format!(
            "E-mail:      SMTP {} as {from}",
            keystep_server::delivery::smtp::redact_url(&smtp.0)
        ));
    }
    if let Some(sms) = &d.sms_webhook_url {
        line(format!("SMS:         webhook {sms}"));
    }
    if d.has_sender() {
        line(format!(
            "Failed deliveries: GET {url}/admin/deliveries?status=failed (admin credentials)."
        ));
    }
    let outbox_on = match d.outbox {
        bootstrap::OutboxMode::On => true,
        bootstrap::OutboxMode::Off => false,
        bootstrap::OutboxMode::Auto => !d.has_sender(),
    };
    if outbox_on && !d.has_sender() {
        line(
            "Codes and temporary passwords are not sent: they go to the outbox, printed here"
                .into(),
        );
        line(format!(
            "as they happen and readable with `keystep outbox` or GET {url}/admin/outbox"
        ));
        line("(HTTP Basic with the admin access key id and secret).".into());
    } else if outbox_on {
        line(format!(
            "The outbox also records every message (outbox = \"on\"): GET {url}/admin/outbox."
        ));
    }
    line(String::new());
    line("Load-test it from another terminal (`cargo run --release --` instead of `keystep` in a checkout):".into());
    line(format!(
        "  AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} keystep bench --endpoint {url} --workload srp --server-pid {}",
        admin.access_key_id,
        if admin_from_config { "<as configured>" } else { admin.secret_access_key.as_str() },
        std::process::id()
    ));
    if let Some(d) = dev {
        line(String::new());
        line("Amplify JS:".into());
        line(format!(
            "  Amplify.configure({{ Auth: {{ Cognito: {{ userPoolId: '{}', userPoolClientId: '{}', userPoolEndpoint: '{url}' }} }} }})",
            d.pool_id, d.client_id
        ));
    }
    // A closed stdout (a supervisor that stopped reading, `| head`) must not stop the
    // server: `println!` would panic on the broken pipe.
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{out}");
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn database_passwords_are_not_shown() {
        assert_eq!(
            redact_url("postgres://keystep:hunter2@db:5432/keystep"),
            "postgres://keystep:***@db:5432/keystep"
        );
        assert_eq!(
            redact_url("sqlite://./keystep-data/keystep.db"),
            "sqlite://./keystep-data/keystep.db"
        );
    }
}
