//! Test support for Keystep: the real server, in-process on `127.0.0.1:0`, with a temporary
//! SQLite database (or the PostgreSQL database you name), a controllable clock, generated
//! admin credentials, the outbox, and a development pool with an app client.
//!
//! ```no_run
//! # async fn demo() {
//! let server = keystep_testkit::TestServer::start().await;
//! let resp = server
//!     .call_signed("DescribeUserPool", &serde_json::json!({"UserPoolId": server.pool_id()}))
//!     .await;
//! assert_eq!(resp.status(), 200);
//! server.clock().advance(std::time::Duration::from_secs(3600));
//! # }
//! ```

// A test helper fails loudly: a server that cannot start is a broken test, not a
// condition for the test to handle.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

pub mod hooks;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use keystep_core::message::{OutboxEntry, OutboxFilter};
use keystep_core::ports::{Clock, SystemClock};
use keystep_core::service::{Keystep, ServiceConfig};
use keystep_core::Millis;
use keystep_server::bootstrap::{self, DevPool, Setup};
use keystep_server::{sigv4, AdminCredentials, AppState, Limits};

/// The master key of every test server. Never use it outside tests.
pub const TEST_MASTER_KEY: [u8; 32] = *b"keystep-testkit-master-key-0000!";

/// A clock that moves only when told to — or, when *live*, follows the wall clock plus
/// whatever it was told to add. Starts at the real time, so tokens look realistic to
/// third-party verifiers; third-party clients that compute time-based values themselves
/// (TOTP codes, SRP `TIMESTAMP`s) need the live kind.
#[derive(Debug)]
pub struct ManualClock {
    /// Stopped: the time. Live: the offset from the wall clock.
    value: AtomicI64,
    live: bool,
}

impl ManualClock {
    /// A clock stopped at `start`.
    pub fn new(start: Millis) -> ManualClock {
        ManualClock {
            value: AtomicI64::new(start.0),
            live: false,
        }
    }

    /// A clock stopped at the current wall-clock time.
    pub fn starting_now() -> ManualClock {
        ManualClock::new(SystemClock.now())
    }

    /// A clock that runs with the wall clock; `advance` and `set` shift it.
    pub fn live() -> ManualClock {
        ManualClock {
            value: AtomicI64::new(0),
            live: true,
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.value
            .fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }

    /// Sets the clock.
    pub fn set(&self, to: Millis) {
        let value = if self.live {
            to.0 - SystemClock.now().0
        } else {
            to.0
        };
        self.value.store(value, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        let value = self.value.load(Ordering::SeqCst);
        if self.live {
            Millis(SystemClock.now().0 + value)
        } else {
            Millis(value)
        }
    }
}

/// How to start a [`TestServer`].
#[derive(Debug, Clone)]
pub struct TestOptions {
    /// The database; `None` is a fresh SQLite file in a temporary folder.
    pub database_url: Option<String>,
    /// Whether to create the development pool and client (default yes).
    pub dev_pool: bool,
    /// The request body limit.
    pub max_body_bytes: usize,
    /// The region new pools get.
    pub region: String,
    /// A live clock (follows the wall clock) instead of a stopped one.
    pub live_clock: bool,
    /// `[triggers.arn_map]`: Lambda ARNs the server maps to webhook URLs.
    pub trigger_arn_map: std::collections::BTreeMap<String, String>,
    /// `[limits]`: the hourly budgets of the abuse limits.
    pub abuse_limits: keystep_core::limits::Limits,
    /// The per-address rate of the unsigned operations (none by default, as for a
    /// server on loopback).
    pub rate_limit: Option<keystep_server::rate_limit::RateLimit>,
    /// The header a trusted proxy puts the client's address in.
    pub client_ip_header: Option<String>,
    /// Senders and outbox (default: the outbox only, not printed).
    pub delivery: keystep_server::bootstrap::DeliverySetup,
    /// Pools' prefix domains are `<prefix>.<domain_suffix>` (default: none).
    pub domain_suffix: Option<String>,
    /// API requests at once (0, the default: no admission control) and how long one
    /// waits for a turn.
    pub max_in_flight: usize,
    /// See `max_in_flight`.
    pub admission_wait: std::time::Duration,
    /// How identity providers are reached (default: HTTPS).
    pub upstream: Option<UpstreamOverride>,
}

/// An [`keystep_core::ports::Upstream`] that stands in for identity providers a test
/// cannot reach.
#[derive(Clone)]
pub struct UpstreamOverride(pub Arc<dyn keystep_core::ports::Upstream>);

impl std::fmt::Debug for UpstreamOverride {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpstreamOverride")
    }
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions {
            database_url: None,
            dev_pool: true,
            max_body_bytes: Limits::default().max_body_bytes,
            max_in_flight: 0,
            admission_wait: Limits::default().admission_wait,
            region: "us-east-1".into(),
            live_clock: false,
            trigger_arn_map: Default::default(),
            abuse_limits: Default::default(),
            rate_limit: None,
            client_ip_header: None,
            delivery: keystep_server::bootstrap::DeliverySetup::development(false),
            domain_suffix: None,
            upstream: None,
        }
    }
}

impl TestOptions {
    /// Options for the PostgreSQL database named by `KEYSTEP_TEST_DATABASE_URL`, if set
    /// (as CI sets it).
    pub fn postgres_from_env() -> Option<TestOptions> {
        let url = std::env::var("KEYSTEP_TEST_DATABASE_URL").ok()?;
        Some(TestOptions {
            database_url: Some(url),
            ..TestOptions::default()
        })
    }
}

/// The Keystep server running in this process. Stops when dropped.
pub struct TestServer {
    url: String,
    state: AppState,
    clock: Arc<ManualClock>,
    dev_pool: Option<DevPool>,
    http: reqwest::Client,
    shutdown: Option<tokio::sync::watch::Sender<()>>,
    db_path: std::path::PathBuf,
    // Dropped last: the database lives in it.
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server with the default options.
    pub async fn start() -> TestServer {
        TestServer::start_with(TestOptions::default()).await
    }

    /// Starts a server with `options`.
    pub async fn start_with(options: TestOptions) -> TestServer {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db_path = dir.path().join("keystep.db");
        let database_url = options
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", db_path.display()));
        let store = keystep_store::open(&database_url)
            .await
            .expect("open the test database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let clock = Arc::new(if options.live_clock {
            ManualClock::live()
        } else {
            ManualClock::starting_now()
        });
        // A fixed key: a shared database (PostgreSQL in CI) keeps the sealed secrets of
        // earlier runs, and they must still open.
        let master_key = TEST_MASTER_KEY;
        let admin = AdminCredentials::generate(&keystep_core::ports::SystemRng);
        let prepared = bootstrap::prepare(Setup {
            store,
            master_key,
            clock: clock.clone(),
            service: ServiceConfig {
                region: options.region.clone(),
                account_id: "000000000000".into(),
                public_url: url.clone(),
                triggers: keystep_core::triggers::TriggerConfig {
                    arn_map: options.trigger_arn_map.clone(),
                    allow_http: false,
                },
                limits: options.abuse_limits,
                domain_suffix: options.domain_suffix.clone(),
            },
            admin: Some(admin),
            limits: Limits {
                max_body_bytes: options.max_body_bytes,
                rate_limit: options.rate_limit,
                client_ip_header: options.client_ip_header.clone(),
                max_in_flight: options.max_in_flight,
                admission_wait: options.admission_wait,
            },
            dev_pool: options.dev_pool,
            delivery: options.delivery.clone(),
            upstream: options.upstream.as_ref().map(|u| u.0.clone()),
        })
        .await
        .expect("bootstrap the test server");
        let (tx, rx) = tokio::sync::watch::channel(());
        let state = prepared.state.clone();
        let mut dispatcher_stop = rx.clone();
        tokio::spawn(keystep_server::delivery::run_dispatcher(
            state.keystep.clone(),
            state.courier.clone(),
            async move {
                let _ = dispatcher_stop.changed().await;
            },
        ));
        let mut importer_stop = rx.clone();
        tokio::spawn(keystep_server::user_import::run_importer(
            state.keystep.clone(),
            state.importer_wake.clone(),
            async move {
                let _ = importer_stop.changed().await;
            },
        ));
        let mut rx = rx;
        tokio::spawn(async move {
            let shutdown = async move {
                let _ = rx.changed().await;
            };
            if let Err(e) = keystep_server::serve(listener, state, shutdown).await {
                eprintln!("test server stopped: {e}");
            }
        });
        TestServer {
            url,
            state: prepared.state,
            clock,
            dev_pool: prepared.dev_pool,
            http: reqwest::Client::new(),
            shutdown: Some(tx),
            db_path,
            _dir: dir,
        }
    }

    /// The base URL, e.g. `http://127.0.0.1:40123` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The admin credentials admin operations are signed with.
    pub fn admin(&self) -> &AdminCredentials {
        &self.state.admin
    }

    /// The admin access key id.
    pub fn access_key_id(&self) -> &str {
        &self.state.admin.access_key_id
    }

    /// The admin secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.state.admin.secret_access_key
    }

    /// The SQLite database file (meaningless when started on another database).
    pub fn db_path(&self) -> &std::path::Path {
        &self.db_path
    }

    /// The domain services the server runs on (same store, clock and keys).
    pub fn keystep(&self) -> &Keystep {
        &self.state.keystep
    }

    /// The server state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The server's clock.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// The development pool and client, when started with one.
    pub fn dev_pool(&self) -> Option<&DevPool> {
        self.dev_pool.as_ref()
    }

    /// The development pool's id (panics without a development pool).
    pub fn pool_id(&self) -> &str {
        &self
            .dev_pool
            .as_ref()
            .expect("started without a dev pool")
            .pool_id
    }

    /// The development app client's id (panics without a development pool).
    pub fn client_id(&self) -> &str {
        &self
            .dev_pool
            .as_ref()
            .expect("started without a dev pool")
            .client_id
    }

    /// The messages sent to `username` of `pool_id`, oldest first.
    pub async fn outbox(&self, pool_id: &str, username: &str) -> Vec<OutboxEntry> {
        self.state
            .keystep
            .store
            .list_outbox(&OutboxFilter {
                pool_id: Some(pool_id.to_string()),
                username: Some(username.to_string()),
                limit: None,
            })
            .await
            .expect("read the outbox")
    }

    /// The code of the newest message to `username` that carries one.
    pub async fn last_code(&self, pool_id: &str, username: &str) -> Option<String> {
        self.outbox(pool_id, username)
            .await
            .into_iter()
            .rev()
            .find_map(|e| e.message.code)
    }

    /// Starts a small HTTP endpoint (in this test process, not in the server) through
    /// which an out-of-process test client moves the server's clock:
    /// `POST <url>/advance?seconds=N` answers the new time in milliseconds. Returns its
    /// base URL. It stops when the test's runtime does.
    pub async fn start_clock_control(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the clock control endpoint");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let clock = self.clock.clone();
        let app = axum::Router::new().route(
            "/advance",
            axum::routing::post(
                move |axum::extract::Query(q): axum::extract::Query<
                    std::collections::HashMap<String, String>,
                >| {
                    let clock = clock.clone();
                    async move {
                        let Some(seconds) = q.get("seconds").and_then(|s| s.parse::<u64>().ok())
                        else {
                            return (axum::http::StatusCode::BAD_REQUEST, "seconds=N".to_string());
                        };
                        clock.advance(Duration::from_secs(seconds));
                        (axum::http::StatusCode::OK, clock.now().0.to_string())
                    }
                },
            ),
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        url
    }

    /// A plain HTTP client.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Calls operation `op` unsigned (as Amplify does).
    pub async fn call(&self, op: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(format!("{}/", self.url))
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{op}"),
            )
            .body(body.to_string())
            .send()
            .await
            .expect("send the request")
    }

    /// Calls operation `op` signed with the admin credentials (as the SDKs do).
    pub async fn call_signed(&self, op: &str, body: &serde_json::Value) -> reqwest::Response {
        let admin = self.admin().clone();
        self.call_signed_as(op, body, &admin.access_key_id, &admin.secret_access_key)
            .await
    }

    /// Calls operation `op` signed with the given credentials.
    pub async fn call_signed_as(
        &self,
        op: &str,
        body: &serde_json::Value,
        access_key_id: &str,
        secret_access_key: &str,
    ) -> reqwest::Response {
        let body = body.to_string();
        let target = format!("AWSCognitoIdentityProviderService.{op}");
        let host = self.url.trim_start_matches("http://").to_string();
        let headers = [
            ("content-type", "application/x-amz-json-1.1"),
            ("host", host.as_str()),
            ("x-amz-target", target.as_str()),
        ];
        let signed = sign(
            "POST",
            "/",
            "",
            &headers,
            body.as_bytes(),
            access_key_id,
            secret_access_key,
        );
        let mut req = self.http.post(format!("{}/", self.url)).body(body.clone());
        for (name, value) in headers {
            req = req.header(name, value);
        }
        req.header("x-amz-date", signed.x_amz_date)
            .header("authorization", signed.authorization)
            .send()
            .await
            .expect("send the request")
    }

    /// Calls `op` (signed when it is not one of the unsigned operations) and returns
    /// the status and the JSON body.
    pub async fn json(&self, op: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let resp = if keystep_server::ops::is_unsigned(op) {
            self.call(op, body).await
        } else {
            self.call_signed(op, body).await
        };
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("read the response");
        let value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("response is not JSON: {text}"));
        (status, value)
    }

    /// Calls `op` as [`TestServer::json`] does; fails the test unless it answers 200, and
    /// returns the body.
    pub async fn ok(&self, op: &str, body: serde_json::Value) -> serde_json::Value {
        let (status, answer) = self.json(op, &body).await;
        assert_eq!(status, 200, "{op}: {answer}");
        answer
    }

    /// `CreateUserPoolClient` with `body`; fails the test unless it answers 200, and
    /// returns the new client's id.
    pub async fn create_client(&self, body: &serde_json::Value) -> String {
        let (status, answer) = self.json("CreateUserPoolClient", body).await;
        assert_eq!(status, 200, "{answer}");
        answer["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap_or_else(|| panic!("no ClientId in {answer}"))
            .to_string()
    }

    /// Creates `username` in `pool_id` as an administrator would, with `attributes` (a
    /// JSON `[{Name, Value}]` list) and the permanent `password` (so `CONFIRMED`), sending
    /// no invitation; fails the test on any error.
    pub async fn confirmed_user(
        &self,
        pool_id: &str,
        username: &str,
        password: &str,
        attributes: serde_json::Value,
    ) {
        for (op, body) in [
            (
                "AdminCreateUser",
                serde_json::json!({"UserPoolId": pool_id, "Username": username,
                    "UserAttributes": attributes, "MessageAction": "SUPPRESS"}),
            ),
            (
                "AdminSetUserPassword",
                serde_json::json!({"UserPoolId": pool_id, "Username": username,
                    "Password": password, "Permanent": true}),
            ),
        ] {
            let (status, answer) = self.json(op, &body).await;
            assert_eq!(status, 200, "{op}: {answer}");
        }
    }

    /// Stops the server and waits a moment for it to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        tokio::task::yield_now().await;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Signs a request for `cognito-idp` in `us-east-1` at the current wall-clock time.
/// `headers` must include `host` exactly as it will be sent.
pub fn sign(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    access_key_id: &str,
    secret_access_key: &str,
) -> sigv4::SignatureHeaders {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let req = sigv4::Request {
        method,
        path,
        query,
        headers,
        body,
    };
    sigv4::sign(&req, now, access_key_id, secret_access_key, "us-east-1")
}

/// The client side of Cognito's SRP, for tests that sign in by hand: `SRP_A` for
/// `InitiateAuth`, then the `PASSWORD_VERIFIER` answer.
pub struct SrpClient {
    a: Vec<u8>,
    a_pub: Vec<u8>,
}

impl Default for SrpClient {
    fn default() -> Self {
        SrpClient::new()
    }
}

impl SrpClient {
    /// A client with a random secret `a`.
    pub fn new() -> SrpClient {
        let mut a = vec![0u8; 32];
        keystep_core::ports::Rng::fill(&keystep_core::ports::SystemRng, &mut a);
        let a_pub = keystep_srp::client_public(&a).expect("A");
        SrpClient { a, a_pub }
    }

    /// `SRP_A`, hex.
    pub fn srp_a(&self) -> String {
        keystep_srp::to_hex(&self.a_pub)
    }

    /// The `ChallengeResponses` answering a `PASSWORD_VERIFIER` challenge's `parameters`
    /// for `password` in `pool_id`, at `now_secs` (the server's time).
    pub fn answer(
        &self,
        parameters: &serde_json::Value,
        pool_id: &str,
        password: &str,
        now_secs: i64,
    ) -> serde_json::Value {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let text = |k: &str| parameters[k].as_str().expect(k).to_string();
        let user_id = text("USER_ID_FOR_SRP");
        let salt = keystep_srp::from_hex(&text("SALT")).expect("SALT");
        let b_pub = keystep_srp::from_hex(&text("SRP_B")).expect("SRP_B");
        let block = text("SECRET_BLOCK");
        let pool_name = keystep_srp::pool_name_from_pool_id(pool_id).expect("a pool id");
        let key = keystep_srp::client_session_key(
            &self.a,
            &self.a_pub,
            &b_pub,
            &salt,
            pool_name,
            &user_id,
            password,
        )
        .expect("session key");
        let timestamp = keystep_srp::format_timestamp(now_secs);
        let signature = keystep_srp::claim_signature(
            &key,
            pool_name,
            &user_id,
            &b64.decode(&block).expect("SECRET_BLOCK"),
            &timestamp,
        );
        serde_json::json!({
            "USERNAME": user_id,
            "PASSWORD_CLAIM_SECRET_BLOCK": block,
            "TIMESTAMP": timestamp,
            "PASSWORD_CLAIM_SIGNATURE": b64.encode(signature),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(Millis(1_000));
        assert_eq!(clock.now(), Millis(1_000));
        clock.advance(Duration::from_secs(90));
        assert_eq!(clock.now(), Millis(91_000));
        clock.set(Millis(5));
        assert_eq!(clock.now(), Millis(5));
    }

    #[test]
    fn live_clock_runs_with_the_wall_clock_and_shifts() {
        let clock = ManualClock::live();
        let wall = SystemClock.now().0;
        assert!((clock.now().0 - wall).abs() < 5_000);
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now().0 - SystemClock.now().0 > 3_590_000);
        clock.set(Millis(wall - 60_000));
        assert!(SystemClock.now().0 - clock.now().0 >= 59_000);
    }
}
