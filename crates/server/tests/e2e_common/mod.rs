//! Helpers shared by the end-to-end tests: a started [`TestServer`] with an official
//! `aws-sdk-cognitoidentityprovider` client pointed at it, the outbox over HTTP, raw
//! requests, and error assertions.
//!
//! Each test binary uses a different subset, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_cognitoidentityprovider as cip;
use base64::Engine;
use cip::config::retry::RetryConfig;
use cip::config::{BehaviorVersion, Credentials, Region};
use cip::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use cip::types::AttributeType;
use hmac::Mac;
pub use keystep_testkit::TestServer;

/// A strong password that satisfies Cognito's default policy.
pub const PASSWORD: &str = "Correct-Horse-9!";

/// A pool id that no server has.
pub const MISSING_POOL: &str = "us-east-1_NoSuchPoo";

/// A started server and an SDK client with its admin credentials.
pub struct Env {
    /// The in-process server (kept alive for the test).
    pub server: TestServer,
    /// Base URL, `http://127.0.0.1:<port>`.
    pub url: String,
    /// Admin access key id.
    pub access_key: String,
    /// Admin secret access key.
    pub secret_key: String,
    /// The official SDK client, signed with the admin credentials.
    pub idp: cip::Client,
    http: reqwest::Client,
}

impl Env {
    /// Starts a fresh server (temp SQLite database) and builds the clients.
    pub async fn start() -> Env {
        let server = TestServer::start_with(keystep_testkit::TestOptions {
            trigger_arn_map: example_arn_map(),
            ..Default::default()
        })
        .await;
        Env::with_server(server)
    }

    /// Builds the clients for an already started server.
    pub fn with_server(server: TestServer) -> Env {
        let url = server.url().trim_end_matches('/').to_string();
        let access_key = server.access_key_id().to_string();
        let secret_key = server.secret_access_key().to_string();
        let idp = sdk_client(&url, &access_key, &secret_key);
        Env {
            server,
            url,
            access_key,
            secret_key,
            idp,
            http: reqwest::Client::new(),
        }
    }

    /// An SDK client for this server with other credentials.
    pub fn client_with(&self, access_key: &str, secret_key: &str) -> cip::Client {
        sdk_client(&self.url, access_key, secret_key)
    }

    /// The outbox entries of a pool (and user), oldest first, read over HTTP.
    pub async fn outbox(&self, pool_id: &str, username: Option<&str>) -> Vec<Outbox> {
        let mut query = vec![("pool_id", pool_id)];
        if let Some(u) = username {
            query.push(("username", u));
        }
        let resp = self
            .http
            .get(format!("{}/admin/outbox", self.url))
            .query(&query)
            .basic_auth(&self.access_key, Some(&self.secret_key))
            .send()
            .await
            .expect("GET /admin/outbox");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("outbox body");
        assert_eq!(status, 200, "GET /admin/outbox: {text}");
        let entries: Vec<Outbox> = serde_json::from_str(&text).expect("outbox JSON");
        for e in &entries {
            assert_eq!(e.pool_id, pool_id);
            if let Some(u) = username {
                assert_eq!(e.username, u);
            }
        }
        entries
    }

    /// The 6-digit code of the newest outbox entry for `username` with `purpose`.
    pub async fn latest_code(&self, pool_id: &str, username: &str, purpose: &str) -> String {
        let entries = self.outbox(pool_id, Some(username)).await;
        let entry = entries
            .iter()
            .rev()
            .find(|e| e.purpose == purpose)
            .unwrap_or_else(|| panic!("no {purpose} message for {username}: {entries:?}"));
        let code = entry.code.clone().expect("the message carries a code");
        assert!(is_code(&code), "{code:?} is not 6 digits");
        code
    }

    /// The HTTP status of an outbox read with this `Authorization` header (or none).
    pub async fn outbox_status(&self, authorization: Option<&str>) -> u16 {
        let mut req = self.http.get(format!("{}/admin/outbox", self.url));
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        req.send()
            .await
            .expect("GET /admin/outbox")
            .status()
            .as_u16()
    }

    /// `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<target>` (none when
    /// `target` is `None`) and the raw `body`, unsigned. Returns the status and the body
    /// parsed as JSON (`Value::String` when it is not JSON).
    pub async fn raw(&self, target: Option<&str>, body: Vec<u8>) -> (u16, serde_json::Value) {
        let mut req = self
            .http
            .post(format!("{}/", self.url))
            .header("Content-Type", "application/x-amz-json-1.1")
            .body(body);
        if let Some(t) = target {
            req = req.header(
                "X-Amz-Target",
                format!("AWSCognitoIdentityProviderService.{t}"),
            );
        }
        let resp = match req.send().await {
            Ok(r) => r,
            // No answer at all (the connection closed): status 0, the error as text.
            Err(e) => return (0, serde_json::Value::String(format!("{e:?}"))),
        };
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.expect("raw response body");
        let value = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned())
        });
        (status, value)
    }
}

/// The official SDK client for `url` with static credentials and no retries.
pub fn sdk_client(url: &str, access_key: &str, secret_key: &str) -> cip::Client {
    let config = cip::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new(access_key, secret_key, None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .build();
    cip::Client::from_conf(config)
}

/// One outbox entry as `GET /admin/outbox` returns it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Outbox {
    pub id: i64,
    pub pool_id: String,
    pub username: String,
    pub medium: String,
    pub destination: String,
    pub purpose: String,
    pub code: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// What a failed call answered.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The error code (`__type`).
    pub code: String,
    /// The message.
    pub message: String,
    /// The HTTP status (0 if no response arrived).
    pub status: u16,
    /// The whole error, for assertion messages.
    pub context: String,
}

/// Splits an SDK error into code, message and status.
pub fn failure<E>(err: SdkError<E>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let status = err.raw_response().map_or(0, |r| r.status().as_u16());
    let context = format!("{}", DisplayErrorContext(&err));
    // The code and message of the modeled (or unmodeled) service error; empty when no
    // error response arrived at all (the context says why).
    Failure {
        code: err.code().unwrap_or_default().to_string(),
        message: err.message().unwrap_or_default().to_string(),
        status,
        context,
    }
}

/// Awaits `call`, asserts it failed with `code` over HTTP 400, and returns the failure.
pub async fn expect_err<T, E>(
    call: impl Future<Output = Result<T, SdkError<E>>>,
    code: &str,
) -> Failure
where
    T: Debug,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    expect_err_status(call, code, 400).await
}

/// Like [`expect_err`] with another HTTP status.
pub async fn expect_err_status<T, E>(
    call: impl Future<Output = Result<T, SdkError<E>>>,
    code: &str,
    status: u16,
) -> Failure
where
    T: Debug,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match call.await {
        Ok(v) => panic!("expected {code}, but the call succeeded: {v:?}"),
        Err(e) => {
            let f = failure(e);
            assert_eq!(f.code, code, "wrong error: {}", f.context);
            assert_eq!(f.status, status, "{code} came with HTTP {}", f.status);
            f
        }
    }
}

/// Asserts that `f.message` contains `text`.
pub fn assert_message(f: &Failure, text: &str) {
    assert!(
        f.message.contains(text),
        "{} message {:?} lacks {text:?}",
        f.code,
        f.message
    );
}

/// The example Lambda ARNs the pool-configuration tests store, mapped (as a server's
/// `[triggers.arn_map]` would) to a URL nothing listens on: those pools never run a
/// trigger.
pub fn example_arn_map() -> BTreeMap<String, String> {
    [
        "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up",
        "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation",
    ]
    .into_iter()
    .map(|arn| (arn.to_string(), "http://127.0.0.1:9/unused".to_string()))
    .collect()
}

/// A name no other test uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{prefix}-{n}-{nanos:x}")
}

/// An `AttributeType`.
pub fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("attribute")
}

/// `[{Name, Value}]` as a map.
pub fn attrs(list: &[AttributeType]) -> BTreeMap<String, String> {
    list.iter()
        .map(|a| {
            (
                a.name().to_string(),
                a.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `SECRET_HASH` = base64(HMAC-SHA256(client secret, username + client id)).
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(client_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `s` is a 6-digit code.
pub fn is_code(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The workspace root (where `tests/python`, `tests/js` and `.venv` live).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// The interpreter to run the Python suites with: `KEYSTEP_PYTHON`, else the workspace's
/// `.venv`; fails the test (never skips it) when neither is there.
pub fn python(root: &std::path::Path) -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("KEYSTEP_PYTHON").filter(|p| !p.is_empty()) {
        let p = std::path::PathBuf::from(p);
        assert!(
            p.exists(),
            "KEYSTEP_PYTHON={} does not exist; run `scripts/test`, which builds .venv",
            p.display()
        );
        return p;
    }
    let venv = root.join(".venv/bin/python");
    assert!(
        venv.exists(),
        "no Python for the end-to-end suites: neither KEYSTEP_PYTHON nor {} exists. \
         Run `scripts/test` (it creates .venv from tests/python/requirements.lock), \
         or set KEYSTEP_PYTHON to an interpreter with those packages.",
        venv.display()
    );
    venv
}

/// Runs one pytest `file` of `tests/python` against `server` and fails the test with its
/// output unless it passes within `timeout`. The suite reads the server's URL, the admin
/// credentials and the development pool from the environment, plus `extra_env`; nothing
/// from the developer's own AWS setup leaks in (pycognito would take its JWKS from
/// `COGNITO_JWKS` instead of the server). `KEYSTEP_PYTEST_ARGS` (split on whitespace) and
/// `KEYSTEP_PYTEST_K` (one `-k` expression) pass through to pytest.
pub async fn run_pytest(
    server: &TestServer,
    file: &str,
    extra_env: &[(&str, &str)],
    timeout: std::time::Duration,
) {
    let root = workspace_root();
    let python = python(&root);
    let mut args: Vec<String> = [
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-rfEs",
        file,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Ok(extra) = std::env::var("KEYSTEP_PYTEST_ARGS") {
        args.extend(extra.split_whitespace().map(str::to_string));
    }
    if let Ok(k) = std::env::var("KEYSTEP_PYTEST_K") {
        args.extend(["-k".to_string(), k]);
    }
    let mut cmd = tokio::process::Command::new(&python);
    cmd.current_dir(&root)
        .args(&args)
        .env("KEYSTEP_URL", server.url())
        .env("AWS_ACCESS_KEY_ID", server.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", server.secret_access_key())
        .env("AWS_REGION", "us-east-1")
        .env("KEYSTEP_DEV_POOL_ID", server.pool_id())
        .env("KEYSTEP_DEV_CLIENT_ID", server.client_id())
        .envs(extra_env.iter().copied())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .env_remove("COGNITO_JWKS")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    // The server runs on this test's runtime, so wait for pytest without blocking it.
    let out = tokio::time::timeout(timeout, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("{file} took more than {timeout:?}"))
        .expect("pytest could not be started");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "{file} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

/// A fresh schema on the PostgreSQL server that `KEYSTEP_TEST_DATABASE_URL` names, for one
/// test's server: nothing of another test (or an earlier run) is in it, and
/// [`PgSchema::drop`] removes it.
pub struct PgSchema {
    admin: sqlx::PgConnection,
    name: String,
    /// Options for a server on this schema (`TestOptions::postgres_from_env` pointed at it).
    pub options: keystep_testkit::TestOptions,
}

impl PgSchema {
    /// `None` when `KEYSTEP_TEST_DATABASE_URL` is not set.
    pub async fn create() -> Option<PgSchema> {
        use sqlx::{Connection, Executor};
        let options = keystep_testkit::TestOptions::postgres_from_env()?;
        let base = options.database_url.clone()?;
        let name = format!("keystep_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .expect("connect to PostgreSQL");
        admin
            .execute(format!("CREATE SCHEMA {name}").as_str())
            .await
            .expect("create a test schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        Some(PgSchema {
            admin,
            options: keystep_testkit::TestOptions {
                database_url: Some(format!("{base}{sep}options=-csearch_path%3D{name}")),
                ..options
            },
            name,
        })
    }

    /// Drops the schema and everything in it. A server of the test may still be writing
    /// its last batch of auth events there; PostgreSQL then reports a deadlock between
    /// that insert and the drop, and the drop is tried again.
    pub async fn drop(mut self) {
        use sqlx::{Connection, Executor};
        let sql = format!("DROP SCHEMA {} CASCADE", self.name);
        let mut attempt = 1;
        loop {
            match self.admin.execute(sql.as_str()).await {
                Ok(_) => break,
                Err(e)
                    if attempt < 5
                        && e.as_database_error()
                            .and_then(|d| d.code())
                            .is_some_and(|c| c == "40P01") =>
                {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("drop the test schema: {e}"),
            }
        }
        let _ = self.admin.close().await;
    }
}
