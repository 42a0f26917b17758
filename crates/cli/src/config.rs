//! The server configuration: defaults, then a TOML file, then `KEYSTEP_*` environment
//! variables. Unknown keys and unknown `KEYSTEP_*` variables are errors: a typo must not
//! silently fall back to a default.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

mod delivery;
pub use delivery::DeliveryConfig;

/// A secret string; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

impl FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err("expected text or json".into()),
        }
    }
}

/// The resolved configuration of `keystep serve`.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where the SQLite database and the master key file live.
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`.
    pub database_url: Secret,
    /// Region of new pools.
    pub region: String,
    /// Account id in ARNs.
    pub account_id: String,
    /// The URL clients reach the server at (token issuer base).
    pub public_url: String,
    /// The master key (64 hex digits or base64), when given directly.
    pub master_key: Option<Secret>,
    /// The master key file (read, or created on first start).
    pub master_key_file: PathBuf,
    /// Admin access key id, when fixed by configuration.
    pub admin_access_key_id: Option<String>,
    /// Admin secret access key, when fixed by configuration.
    pub admin_secret_access_key: Option<Secret>,
    /// Log filter (`info`, `keystep=debug,info`, ...).
    pub log: String,
    /// Log format.
    pub log_format: LogFormat,
    /// Request body limit in bytes.
    pub max_body_bytes: usize,
    /// API requests running at once; 0: no limit (`keystep_server::admission`).
    pub max_in_flight: usize,
    /// Milliseconds a request waits for a turn before `TooManyRequestsException`.
    pub admission_wait_ms: u64,
    /// Whether to create the development pool on first start.
    pub dev_pool: bool,
    /// Seconds between two housekeeping passes (expired rows deleted); 0 turns it off.
    pub purge_interval_secs: u64,
    /// `[triggers.arn_map]`: Lambda ARNs in pools' `LambdaConfig` to webhook URLs.
    pub trigger_arn_map: BTreeMap<String, String>,
    /// `[triggers] allow_http`: plain-HTTP webhooks beyond the loopback address.
    pub trigger_allow_http: bool,
    /// `[limits]`: the hourly budgets of the abuse limits.
    pub limits: keystep_core::limits::Limits,
    /// `[rate_limit]`: requests per second and burst per source address on the unsigned
    /// operations; `None` when off.
    pub rate_limit: Option<(f64, f64)>,
    /// `[rate_limit] client_ip_header`: where a trusted proxy puts the client's address.
    pub client_ip_header: Option<String>,
    /// SMTP, the SMS webhook, the outbox and retries.
    pub delivery: DeliveryConfig,
    /// `tls_cert` and `tls_key`: PEM files to serve HTTPS with.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// `metrics_listen`: a separate address serving `/metrics` without credentials.
    pub metrics_listen: Option<SocketAddr>,
    /// `shutdown_grace_secs`: how long requests in flight may finish after SIGTERM.
    pub shutdown_grace_secs: u64,
    /// `domain_suffix`: pools' prefix domains are `<prefix>.<domain_suffix>`.
    pub domain_suffix: Option<String>,
}

/// The `[rate_limit]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateLimitLayer {
    per_second: Option<f64>,
    burst: Option<f64>,
    client_ip_header: Option<String>,
}

/// The per-address rate of a server that listens beyond this machine, unless configured:
/// far above what one person's sign-ins need, far below what a script sends.
const DEFAULT_RATE_PER_SECOND: f64 = 20.0;
const DEFAULT_RATE_BURST: f64 = 40.0;

/// The `[limits]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsLayer {
    code_requests_per_hour: Option<u32>,
    sign_in_codes_per_hour: Option<u32>,
    code_attempts_per_hour: Option<u32>,
    change_password_per_hour: Option<u32>,
}

/// The `[triggers]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggersLayer {
    arn_map: Option<BTreeMap<String, String>>,
    allow_http: Option<bool>,
}

/// One layer of settings (the file, or the environment); absent keys keep what the
/// layers below said.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<Secret>,
    region: Option<String>,
    account_id: Option<String>,
    public_url: Option<String>,
    master_key: Option<Secret>,
    master_key_file: Option<PathBuf>,
    admin_access_key_id: Option<String>,
    admin_secret_access_key: Option<Secret>,
    log: Option<String>,
    log_format: Option<LogFormat>,
    max_body_bytes: Option<usize>,
    max_in_flight: Option<usize>,
    admission_wait_ms: Option<u64>,
    dev_pool: Option<bool>,
    purge_interval_secs: Option<u64>,
    triggers: Option<TriggersLayer>,
    limits: Option<LimitsLayer>,
    rate_limit: Option<RateLimitLayer>,
    smtp_url: Option<Secret>,
    smtp_allow_plain: Option<bool>,
    smtp_ca_file: Option<PathBuf>,
    email_from: Option<String>,
    email_source_arn_map: Option<BTreeMap<String, Secret>>,
    sms_webhook_url: Option<String>,
    sms_webhook_secret: Option<Secret>,
    outbox: Option<String>,
    outbox_ttl_secs: Option<u64>,
    delivery: Option<delivery::RetryLayer>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    sqlite_synchronous: Option<String>,
    metrics_listen: Option<SocketAddr>,
    shutdown_grace_secs: Option<u64>,
    domain_suffix: Option<String>,
}

/// What is wrong with the configuration.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The file is not valid TOML or has an unknown key.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A `KEYSTEP_*` variable that is no setting.
    #[error("unknown environment variable {0} (settings are KEYSTEP_LISTEN, KEYSTEP_DATA_DIR, KEYSTEP_DATABASE_URL, ...)")]
    UnknownEnv(String),
    /// A value that does not parse or does not fit.
    #[error("{key}: {message}")]
    Invalid {
        /// The setting.
        key: String,
        /// Why.
        message: String,
    },
}

/// `KEYSTEP_*` variables that are not settings of `serve` but used elsewhere.
const OTHER_VARIABLES: &[&str] = &[
    "KEYSTEP_CONFIG",
    "KEYSTEP_TEST_DATABASE_URL",
    "KEYSTEP_PYTHON",
    "KEYSTEP_NODE",
    // The user commands (`keystep signin`, ...).
    "KEYSTEP_ENDPOINT",
    "KEYSTEP_POOL_ID",
    "KEYSTEP_CLIENT_ID",
    "KEYSTEP_CLIENT_SECRET",
    "KEYSTEP_TOKENS",
];

impl Config {
    /// Reads the optional file and the `KEYSTEP_*` variables of `env`.
    pub fn load(
        file: Option<&Path>,
        env: &BTreeMap<String, String>,
    ) -> Result<Config, ConfigError> {
        let text = match file {
            Some(path) => Some((
                path.display().to_string(),
                std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?,
            )),
            None => None,
        };
        let file = text.as_ref().map(|(p, t)| (p.as_str(), t.as_str()));
        Config::from_layers(file, env)
    }

    /// Defaults, then the file (`(name, text)`), then `env`. Pure.
    pub fn from_layers(
        file: Option<(&str, &str)>,
        env: &BTreeMap<String, String>,
    ) -> Result<Config, ConfigError> {
        let mut file_layer = match file {
            Some((path, text)) => toml::from_str::<Layer>(text).map_err(|e| ConfigError::File {
                path: path.to_string(),
                message: e.message().to_string(),
            })?,
            None => Layer::default(),
        };
        let mut env_layer = env_layer(env)?;
        let allow_http = [&env_layer, &file_layer]
            .iter()
            .find_map(|l| l.triggers.as_ref().and_then(|t| t.allow_http))
            .unwrap_or(false);
        let delivery = delivery::resolve(&mut env_layer, &mut file_layer, allow_http)?;
        // Each setting: environment over file over default.
        macro_rules! pick {
            ($field:ident) => {
                env_layer.$field.or(file_layer.$field)
            };
        }
        let listen = pick!(listen).unwrap_or(SocketAddr::from(([127, 0, 0, 1], 9229)));
        let data_dir = pick!(data_dir).unwrap_or_else(|| PathBuf::from("./keystep-data"));
        let database_url = pick!(database_url).unwrap_or_else(|| {
            Secret(format!(
                "sqlite://{}",
                data_dir.join("keystep.db").display()
            ))
        });
        // `sqlite_synchronous = "full"`: every commit waits for the disk (the store reads
        // it as a parameter of the SQLite URL).
        let database_url = match pick!(sqlite_synchronous).as_deref() {
            None | Some("normal") => database_url,
            Some("full") if database_url.0.starts_with("sqlite:") => {
                let joiner = if database_url.0.contains('?') {
                    '&'
                } else {
                    '?'
                };
                Secret(format!("{}{joiner}synchronous=full", database_url.0))
            }
            Some("full") => {
                return Err(ConfigError::Invalid {
                    key: "sqlite_synchronous".into(),
                    message: "applies to SQLite only (PostgreSQL's durability is its own \
                              synchronous_commit setting)"
                        .into(),
                })
            }
            Some(_) => {
                return Err(ConfigError::Invalid {
                    key: "sqlite_synchronous".into(),
                    message: "expected normal or full".into(),
                })
            }
        };
        let shutdown_grace_secs = pick!(shutdown_grace_secs).unwrap_or(10);
        if shutdown_grace_secs > 3600 {
            return Err(ConfigError::Invalid {
                key: "shutdown_grace_secs".into(),
                message: "must be at most 3600".into(),
            });
        }
        let tls = match (pick!(tls_cert), pick!(tls_key)) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            _ => {
                return Err(ConfigError::Invalid {
                    key: "tls_cert".into(),
                    message: "tls_cert and tls_key go together".into(),
                })
            }
        };
        let public_url = pick!(public_url)
            .unwrap_or_else(|| default_public_url(listen, tls.is_some()))
            .trim_end_matches('/')
            .to_string();
        let master_key_file = pick!(master_key_file).unwrap_or_else(|| data_dir.join("master.key"));
        let admin_access_key_id = pick!(admin_access_key_id);
        let admin_secret_access_key = pick!(admin_secret_access_key);
        if admin_access_key_id.is_some() != admin_secret_access_key.is_some() {
            return Err(ConfigError::Invalid {
                key: "admin_access_key_id".into(),
                message: "admin_access_key_id and admin_secret_access_key go together".into(),
            });
        }
        let max_body_bytes = pick!(max_body_bytes).unwrap_or(1024 * 1024);
        if max_body_bytes < 1024 {
            return Err(ConfigError::Invalid {
                key: "max_body_bytes".into(),
                message: "must be at least 1024".into(),
            });
        }
        let admission_wait_ms = pick!(admission_wait_ms).unwrap_or(50);
        if admission_wait_ms > 60_000 {
            return Err(ConfigError::Invalid {
                key: "admission_wait_ms".into(),
                message: "must be at most 60000".into(),
            });
        }
        let purge_interval_secs = pick!(purge_interval_secs).unwrap_or(60);
        if purge_interval_secs > 7 * 24 * 3600 {
            return Err(ConfigError::Invalid {
                key: "purge_interval_secs".into(),
                message: "must be at most 604800 (a week); 0 turns housekeeping off".into(),
            });
        }
        let (env_triggers, file_triggers) = (
            env_layer.triggers.unwrap_or_default(),
            file_layer.triggers.unwrap_or_default(),
        );
        let trigger_allow_http = env_triggers
            .allow_http
            .or(file_triggers.allow_http)
            .unwrap_or(false);
        let trigger_arn_map = env_triggers
            .arn_map
            .or(file_triggers.arn_map)
            .unwrap_or_default();
        if let Some((arn, _)) = trigger_arn_map
            .iter()
            .find(|(_, url)| !url.starts_with("http://") && !url.starts_with("https://"))
        {
            return Err(ConfigError::Invalid {
                key: "triggers.arn_map".into(),
                message: format!("the URL for {arn} must start with http:// or https://"),
            });
        }
        if let Some((arn, _)) = trigger_arn_map
            .iter()
            .find(|(_, url)| !keystep_core::triggers::webhook_url_allowed(url, trigger_allow_http))
        {
            return Err(ConfigError::Invalid {
                key: "triggers.arn_map".into(),
                message: keystep_core::triggers::plain_http_refused(&format!("the URL for {arn}")),
            });
        }
        let limits = resolve_limits(env_layer.limits, file_layer.limits)?;
        let (rate_limit, client_ip_header) =
            resolve_rate_limit(env_layer.rate_limit, file_layer.rate_limit, listen)?;
        if !public_url.starts_with("http://") && !public_url.starts_with("https://") {
            return Err(ConfigError::Invalid {
                key: "public_url".into(),
                message: "must start with http:// or https://".into(),
            });
        }
        Ok(Config {
            listen,
            database_url,
            region: pick!(region).unwrap_or_else(|| "us-east-1".into()),
            account_id: pick!(account_id).unwrap_or_else(|| "000000000000".into()),
            public_url,
            master_key: pick!(master_key),
            master_key_file,
            admin_access_key_id,
            admin_secret_access_key,
            log: pick!(log).unwrap_or_else(|| "info".into()),
            log_format: pick!(log_format).unwrap_or_default(),
            max_body_bytes,
            max_in_flight: pick!(max_in_flight).unwrap_or(0),
            admission_wait_ms,
            dev_pool: pick!(dev_pool).unwrap_or(true),
            purge_interval_secs,
            trigger_arn_map,
            trigger_allow_http,
            limits,
            rate_limit,
            client_ip_header,
            delivery,
            tls,
            metrics_listen: pick!(metrics_listen),
            shutdown_grace_secs,
            domain_suffix: pick!(domain_suffix)
                .map(|s| s.trim().trim_matches('.').to_ascii_lowercase())
                .filter(|s| !s.is_empty()),
            data_dir,
        })
    }

    /// Whether the database is SQLite (then the data folder must exist).
    pub fn uses_sqlite(&self) -> bool {
        self.database_url.0.starts_with("sqlite:")
    }
}

/// The `[limits]` of the environment over those of the file over the defaults; each
/// budget must allow at least one an hour (a limit of 0 would lock every user out).
fn resolve_limits(
    env: Option<LimitsLayer>,
    file: Option<LimitsLayer>,
) -> Result<keystep_core::limits::Limits, ConfigError> {
    let env = env.unwrap_or_default();
    let file = file.unwrap_or_default();
    let defaults = keystep_core::limits::Limits::default();
    let mut out = defaults;
    for (key, slot, env_value, file_value) in [
        (
            "limits.code_requests_per_hour",
            &mut out.code_requests_per_hour,
            env.code_requests_per_hour,
            file.code_requests_per_hour,
        ),
        (
            "limits.sign_in_codes_per_hour",
            &mut out.sign_in_codes_per_hour,
            env.sign_in_codes_per_hour,
            file.sign_in_codes_per_hour,
        ),
        (
            "limits.code_attempts_per_hour",
            &mut out.code_attempts_per_hour,
            env.code_attempts_per_hour,
            file.code_attempts_per_hour,
        ),
        (
            "limits.change_password_per_hour",
            &mut out.change_password_per_hour,
            env.change_password_per_hour,
            file.change_password_per_hour,
        ),
    ] {
        if let Some(v) = env_value.or(file_value) {
            if !(1..=10_000).contains(&v) {
                return Err(ConfigError::Invalid {
                    key: key.into(),
                    message: "must be between 1 and 10000".into(),
                });
            }
            *slot = v;
        }
    }
    Ok(out)
}

/// `[rate_limit]`, environment over file. By default a server that listens on a loopback
/// address (development) is not rate-limited and any other is; `per_second = 0` turns it
/// off.
#[allow(clippy::type_complexity)]
fn resolve_rate_limit(
    env: Option<RateLimitLayer>,
    file: Option<RateLimitLayer>,
    listen: SocketAddr,
) -> Result<(Option<(f64, f64)>, Option<String>), ConfigError> {
    let env = env.unwrap_or_default();
    let file = file.unwrap_or_default();
    let default_rate = if listen.ip().is_loopback() {
        0.0
    } else {
        DEFAULT_RATE_PER_SECOND
    };
    let per_second = env.per_second.or(file.per_second).unwrap_or(default_rate);
    let burst = env
        .burst
        .or(file.burst)
        .unwrap_or(DEFAULT_RATE_BURST.max(per_second));
    let invalid = |key: &str, message: &str| ConfigError::Invalid {
        key: key.into(),
        message: message.into(),
    };
    if !per_second.is_finite() || per_second < 0.0 {
        return Err(invalid(
            "rate_limit.per_second",
            "must be a number of requests per second, 0 to turn the limit off",
        ));
    }
    if !burst.is_finite() || burst < 1.0 {
        return Err(invalid("rate_limit.burst", "must be at least 1"));
    }
    let header = env.client_ip_header.or(file.client_ip_header);
    if let Some(h) = &header {
        if axum_header_name_ok(h).is_err() {
            return Err(invalid(
                "rate_limit.client_ip_header",
                "is not a header name",
            ));
        }
    }
    Ok((
        (per_second > 0.0).then_some((per_second, burst)),
        header.map(|h| h.to_ascii_lowercase()),
    ))
}

/// Whether `name` is a valid HTTP header name (token characters only).
fn axum_header_name_ok(name: &str) -> Result<(), ()> {
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(())
    }
}

/// A wildcard listen address is no address to give clients: use `localhost` instead.
/// `https://` when serving TLS.
fn default_public_url(listen: SocketAddr, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    if listen.ip().is_unspecified() {
        format!("{scheme}://localhost:{}", listen.port())
    } else {
        format!("{scheme}://{listen}")
    }
}

/// `KEYSTEP_TRIGGERS_ARN_MAP`: `arn=url` pairs separated by commas (ARNs and URLs have
/// no commas; an ARN has no `=`).
fn arn_map(key: &str, value: &str) -> Result<BTreeMap<String, String>, ConfigError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| {
            pair.split_once('=')
                .map(|(arn, url)| (arn.trim().to_string(), url.trim().to_string()))
                .ok_or_else(|| ConfigError::Invalid {
                    key: key.to_string(),
                    message: "expected arn=url pairs separated by commas".into(),
                })
        })
        .collect()
}

fn env_layer(env: &BTreeMap<String, String>) -> Result<Layer, ConfigError> {
    fn parse<T: FromStr>(key: &str, value: &str) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        value
            .trim()
            .parse()
            .map_err(|e: T::Err| ConfigError::Invalid {
                key: key.to_string(),
                message: e.to_string(),
            })
    }
    let mut l = Layer::default();
    for (key, value) in env {
        let Some(name) = key.strip_prefix("KEYSTEP_") else {
            continue;
        };
        let v = value.clone();
        match name {
            "LISTEN" => l.listen = Some(parse(key, &v)?),
            "DATA_DIR" => l.data_dir = Some(PathBuf::from(v)),
            "DATABASE_URL" => l.database_url = Some(Secret(v)),
            "REGION" => l.region = Some(v),
            "ACCOUNT_ID" => l.account_id = Some(v),
            "PUBLIC_URL" => l.public_url = Some(v),
            "MASTER_KEY" => l.master_key = Some(Secret(v)),
            "MASTER_KEY_FILE" => l.master_key_file = Some(PathBuf::from(v)),
            "ADMIN_ACCESS_KEY_ID" => l.admin_access_key_id = Some(v),
            "ADMIN_SECRET_ACCESS_KEY" => l.admin_secret_access_key = Some(Secret(v)),
            "LOG" => l.log = Some(v),
            "LOG_FORMAT" => l.log_format = Some(parse(key, &v)?),
            "MAX_BODY_BYTES" => l.max_body_bytes = Some(parse(key, &v)?),
            "MAX_IN_FLIGHT" => l.max_in_flight = Some(parse(key, &v)?),
            "ADMISSION_WAIT_MS" => l.admission_wait_ms = Some(parse(key, &v)?),
            "DEV_POOL" => l.dev_pool = Some(parse(key, &v)?),
            "TRIGGERS_ARN_MAP" => {
                l.triggers.get_or_insert_with(Default::default).arn_map = Some(arn_map(key, &v)?)
            }
            "TRIGGERS_ALLOW_HTTP" => {
                l.triggers.get_or_insert_with(Default::default).allow_http = Some(parse(key, &v)?)
            }
            "PURGE_INTERVAL_SECS" => l.purge_interval_secs = Some(parse(key, &v)?),
            "RATE_LIMIT_PER_SECOND" => {
                l.rate_limit.get_or_insert_with(Default::default).per_second = Some(parse(key, &v)?)
            }
            "RATE_LIMIT_BURST" => {
                l.rate_limit.get_or_insert_with(Default::default).burst = Some(parse(key, &v)?)
            }
            "RATE_LIMIT_CLIENT_IP_HEADER" => {
                l.rate_limit
                    .get_or_insert_with(Default::default)
                    .client_ip_header = Some(v)
            }
            "LIMITS_CODE_REQUESTS_PER_HOUR" => {
                l.limits
                    .get_or_insert_with(Default::default)
                    .code_requests_per_hour = Some(parse(key, &v)?)
            }
            "LIMITS_SIGN_IN_CODES_PER_HOUR" => {
                l.limits
                    .get_or_insert_with(Default::default)
                    .sign_in_codes_per_hour = Some(parse(key, &v)?)
            }
            "LIMITS_CODE_ATTEMPTS_PER_HOUR" => {
                l.limits
                    .get_or_insert_with(Default::default)
                    .code_attempts_per_hour = Some(parse(key, &v)?)
            }
            "LIMITS_CHANGE_PASSWORD_PER_HOUR" => {
                l.limits
                    .get_or_insert_with(Default::default)
                    .change_password_per_hour = Some(parse(key, &v)?)
            }
            "METRICS_LISTEN" => l.metrics_listen = Some(parse(key, &v)?),
            "SQLITE_SYNCHRONOUS" => l.sqlite_synchronous = Some(v.trim().to_string()),
            "SHUTDOWN_GRACE_SECS" => l.shutdown_grace_secs = Some(parse(key, &v)?),
            "DOMAIN_SUFFIX" => l.domain_suffix = Some(v),
            "TLS_CERT" => l.tls_cert = Some(PathBuf::from(v)),
            "TLS_KEY" => l.tls_key = Some(PathBuf::from(v)),
            "SMTP_URL" => l.smtp_url = Some(Secret(v)),
            "SMTP_ALLOW_PLAIN" => l.smtp_allow_plain = Some(parse(key, &v)?),
            "SMTP_CA_FILE" => l.smtp_ca_file = Some(PathBuf::from(v)),
            "EMAIL_FROM" => l.email_from = Some(v),
            "EMAIL_SOURCE_ARN_MAP" => {
                l.email_source_arn_map = Some(delivery::source_arn_map(key, &v)?)
            }
            "SMS_WEBHOOK_URL" => l.sms_webhook_url = Some(v),
            "SMS_WEBHOOK_SECRET" => l.sms_webhook_secret = Some(Secret(v)),
            "OUTBOX" => {
                delivery::parse_outbox_mode(v.trim()).map_err(|message| ConfigError::Invalid {
                    key: key.clone(),
                    message,
                })?;
                l.outbox = Some(v.trim().to_string())
            }
            "OUTBOX_TTL_SECS" => l.outbox_ttl_secs = Some(parse(key, &v)?),
            "DELIVERY_MAX_ATTEMPTS" => {
                l.delivery.get_or_insert_with(Default::default).max_attempts = Some(parse(key, &v)?)
            }
            "DELIVERY_FIRST_RETRY_SECS" => {
                l.delivery
                    .get_or_insert_with(Default::default)
                    .first_retry_secs = Some(parse(key, &v)?)
            }
            _ if OTHER_VARIABLES.contains(&key.as_str()) => {}
            _ => return Err(ConfigError::UnknownEnv(key.clone())),
        }
    }
    Ok(l)
}

#[cfg(test)]
mod tests;
