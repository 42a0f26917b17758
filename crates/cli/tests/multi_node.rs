//! Two real `keystep serve` processes on one PostgreSQL database behave as one server:
//! they agree on the keys and credentials created at first start, and every sign-in
//! guarantee (a Session works once, a revoked refresh token stays revoked, failed
//! passwords are counted) holds whichever node a request reaches.
//!
//! Needs `KEYSTEP_TEST_DATABASE_URL` (a PostgreSQL server; CI sets it): each run creates
//! its own database there and drops it at the end. Without it the test is reported as ignored
//! (scripts/test runs it when the variable is set).
//!
//! `sign_in_throughput_one_node_vs_two` (ignored) measures USER_PASSWORD_AUTH sign-ins on
//! one node and split across two:
//! `cargo test -p keystep --test multi_node -- --ignored --nocapture`
//! (`MULTI_NODE_BENCH_BIN=target/release/keystep` runs a release binary instead;
//! `MULTI_NODE_BENCH_SIGNINS` and `MULTI_NODE_BENCH_CONCURRENCY` size the run).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use keystep_core::ports::Rng;
use serde_json::{json, Value};
use sqlx::Connection;

const BIN: &str = env!("CARGO_BIN_EXE_keystep");
const PASSWORD: &str = "Correct-Horse-9!";
const WRONG: &str = "Wrong-Horse-9!";
/// The address the nodes' tokens name as issuer: the load balancer's, the same for all.
const PUBLIC_URL: &str = "http://keystep.lb.test:9229";

// ---------------------------------------------------------------- the database

/// A database created for this run on the test server, dropped (connections and all)
/// when this goes out of scope, even when the test fails.
struct TempDatabase {
    server_url: String,
    name: String,
    url: String,
}

impl TempDatabase {
    async fn create(server_url: &str) -> TempDatabase {
        let name = format!("keystep_mn_{}", hex_string(8));
        let mut conn = sqlx::PgConnection::connect(server_url)
            .await
            .expect("connect to KEYSTEP_TEST_DATABASE_URL");
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create the test database");
        conn.close().await.unwrap();
        TempDatabase {
            server_url: server_url.to_string(),
            url: with_database(server_url, &name),
            name,
        }
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        let (server_url, name) = (self.server_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime: a fresh one on its own thread does the work.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&server_url).await?;
                sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await?;
                conn.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("multi_node: could not drop the test database {}", self.name);
        }
    }
}

/// `postgres://u@h:5432/test?x=y` with the database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a database URL");
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let authority = rest.split_once('/').map_or(rest, |(a, _)| a);
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    keystep_core::ports::SystemRng.fill(&mut bytes);
    bytes
}

fn hex_string(len: usize) -> String {
    random_bytes::<32>()[..len]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn test_database_url() -> Option<String> {
    let url = std::env::var("KEYSTEP_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        panic!(
            "multi_node needs KEYSTEP_TEST_DATABASE_URL=postgres://... (CI sets it) to run \
             two keystep nodes on one PostgreSQL database"
        );
    }
    url
}

// ---------------------------------------------------------------- the nodes

/// A `keystep serve` process; killed when dropped.
struct Node {
    child: Child,
    url: String,
    banner: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    fn value(&self, prefix: &str) -> String {
        self.banner
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in {}", self.banner))
            .trim()
            .to_string()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `keystep serve` on `database_url` with `master_key`; the banner arrives on
/// the returned channel. Standard output keeps being read afterwards (the outbox is
/// printed there), so the node never blocks on a full pipe.
fn spawn_node(
    bin: &str,
    database_url: &str,
    master_key: &str,
    data_dir: &std::path::Path,
) -> (Child, String, mpsc::Receiver<String>) {
    let port = free_port();
    let mut command = Command::new(bin);
    command.arg("serve");
    // Settings a developer may have exported must not leak into the nodes.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("KEYSTEP_") {
            command.env_remove(key);
        }
    }
    let mut child = command
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEYSTEP_DATABASE_URL", database_url)
        .env("KEYSTEP_MASTER_KEY", master_key)
        .env("KEYSTEP_PUBLIC_URL", PUBLIC_URL)
        .env("KEYSTEP_DATA_DIR", data_dir)
        .env("KEYSTEP_DEV_POOL", "true")
        .env("KEYSTEP_PURGE_INTERVAL_SECS", "1")
        .env("KEYSTEP_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut banner = String::new();
        let mut sent = false;
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            if !sent {
                banner.push_str(&line);
                if banner.contains("Amplify.configure") {
                    let _ = tx.send(std::mem::take(&mut banner));
                    sent = true;
                }
            }
        }
        if !sent {
            let _ = tx.send(format!("EXITED before its banner:\n{banner}"));
        }
    });
    (child, format!("http://127.0.0.1:{port}"), rx)
}

/// Starts two nodes at the same moment on the empty database and waits for both.
fn start_two(bin: &str, database_url: &str, dir: &std::path::Path) -> (Node, Node) {
    let master_key = hex_string(32);
    let a = spawn_node(bin, database_url, &master_key, &dir.join("a"));
    let b = spawn_node(bin, database_url, &master_key, &dir.join("b"));
    let wait = |(child, url, rx): (Child, String, mpsc::Receiver<String>)| {
        let banner = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("no banner from {url} in 120 s"));
        let node = Node { child, url, banner };
        assert!(
            !node.banner.starts_with("EXITED"),
            "{}: {}",
            node.url,
            node.banner
        );
        node
    };
    (wait(a), wait(b))
}

// ---------------------------------------------------------------- HTTP

#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    access_key_id: String,
    secret: String,
}

impl Api {
    /// An unsigned operation (as Amplify sends them).
    async fn call(&self, node: &str, op: &str, body: &Value) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{node}/"))
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{op}"),
            )
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        read(resp).await
    }

    /// An admin operation, signed with SigV4.
    async fn admin(&self, node: &str, op: &str, body: &Value) -> (u16, Value) {
        let body = body.to_string();
        let target = format!("AWSCognitoIdentityProviderService.{op}");
        let host = node.trim_start_matches("http://");
        let headers = [
            ("content-type", "application/x-amz-json-1.1"),
            ("host", host),
            ("x-amz-target", target.as_str()),
        ];
        let signed = keystep_testkit::sign(
            "POST",
            "/",
            "",
            &headers,
            body.as_bytes(),
            &self.access_key_id,
            &self.secret,
        );
        let mut req = self.http.post(format!("{node}/")).body(body.clone());
        for (name, value) in headers {
            req = req.header(name, value);
        }
        let resp = req
            .header("x-amz-date", signed.x_amz_date)
            .header("authorization", signed.authorization)
            .send()
            .await
            .unwrap();
        read(resp).await
    }

    async fn admin_ok(&self, node: &str, op: &str, body: &Value) -> Value {
        let (s, b) = self.admin(node, op, body).await;
        assert_eq!(s, 200, "{op} on {node}: {b}");
        b
    }

    async fn get(&self, url: &str) -> Value {
        let resp = self.http.get(url).send().await.unwrap();
        let (s, b) = read(resp).await;
        assert_eq!(s, 200, "GET {url}: {b}");
        b
    }

    /// The newest code sent to `username`, read from `node`'s outbox (HTTP Basic).
    async fn last_code(&self, node: &str, pool_id: &str, username: &str) -> String {
        let resp = self
            .http
            .get(format!("{node}/admin/outbox"))
            .query(&[("pool_id", pool_id), ("username", username)])
            .basic_auth(&self.access_key_id, Some(&self.secret))
            .send()
            .await
            .unwrap();
        let (s, messages) = read(resp).await;
        assert_eq!(s, 200, "{messages}");
        messages
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find_map(|m| m["code"].as_str())
            .unwrap_or_else(|| panic!("no code for {username} in {messages}"))
            .to_string()
    }

    async fn password_auth(
        &self,
        node: &str,
        client_id: &str,
        user: &str,
        password: &str,
    ) -> (u16, Value) {
        self.call(
            node,
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                "AuthParameters": {"USERNAME": user, "PASSWORD": password}}),
        )
        .await
    }
}

async fn read(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

fn error(body: &Value) -> (&str, &str) {
    (
        body["__type"].as_str().unwrap_or(""),
        body["message"].as_str().unwrap_or(""),
    )
}

/// A pool (created through `a`) with an app client (created through `b`) allowing
/// password, SRP and refresh sign-in. `mfa` ON makes SMS the second factor.
async fn pool(api: &Api, a: &str, b: &str, name: &str, mfa: bool) -> (String, String) {
    let pool = api
        .admin_ok(
            a,
            "CreateUserPool",
            &json!({"PoolName": name, "MfaConfiguration": "OFF"}),
        )
        .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    if mfa {
        api.admin_ok(
            b,
            "SetUserPoolMfaConfig",
            &json!({"UserPoolId": pool_id, "MfaConfiguration": "ON",
                "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}}}),
        )
        .await;
    }
    let client = api
        .admin_ok(
            b,
            "CreateUserPoolClient",
            &json!({"UserPoolId": pool_id, "ClientName": "web",
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .await;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    (pool_id, client_id)
}

/// A confirmed user with `PASSWORD` (and a verified phone when `phone` is given).
async fn user(api: &Api, node: &str, pool_id: &str, name: &str, phone: Option<&str>) {
    let attributes = match phone {
        Some(p) => json!([{"Name": "phone_number", "Value": p},
                          {"Name": "phone_number_verified", "Value": "true"}]),
        None => json!([]),
    };
    api.admin_ok(
        node,
        "AdminCreateUser",
        &json!({"UserPoolId": pool_id, "Username": name, "UserAttributes": attributes,
            "MessageAction": "SUPPRESS"}),
    )
    .await;
    api.admin_ok(
        node,
        "AdminSetUserPassword",
        &json!({"UserPoolId": pool_id, "Username": name, "Password": PASSWORD,
            "Permanent": true}),
    )
    .await;
}

// ---------------------------------------------------------------- the proof

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: set KEYSTEP_TEST_DATABASE_URL (scripts/test then runs it)"]
async fn two_nodes_on_one_postgresql_database_act_as_one() {
    let Some(server_url) = test_database_url() else {
        return;
    };
    let db = TempDatabase::create(&server_url).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = start_two(BIN, &db.url, dir.path());
    let (a_url, b_url) = (a.url.as_str(), b.url.as_str());

    // ---- first start, twice at once: one set of everything
    for prefix in [
        "pool id:",
        "client id:",
        "AWS_ACCESS_KEY_ID=",
        "AWS_SECRET_ACCESS_KEY=",
    ] {
        assert_eq!(a.value(prefix), b.value(prefix), "{prefix}");
    }
    let api = Api {
        http: reqwest::Client::new(),
        access_key_id: a.value("AWS_ACCESS_KEY_ID="),
        secret: a.value("AWS_SECRET_ACCESS_KEY="),
    };
    let dev_pool = a.value("pool id:");
    let pools = api
        .admin_ok(b_url, "ListUserPools", &json!({"MaxResults": 60}))
        .await;
    let dev_pools = pools["UserPools"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["Name"] == "keystep-dev")
        .count();
    assert_eq!(
        dev_pools, 1,
        "the losing node removes its own dev pool: {pools}"
    );
    let jwks_a = api
        .get(&format!("{a_url}/{dev_pool}/.well-known/jwks.json"))
        .await;
    let jwks_b = api
        .get(&format!("{b_url}/{dev_pool}/.well-known/jwks.json"))
        .await;
    assert!(!jwks_a["keys"].as_array().unwrap().is_empty(), "{jwks_a}");
    assert_eq!(jwks_a, jwks_b, "both nodes sign with the same keys");

    let (mfa_pool, mfa_client) = pool(&api, a_url, b_url, "mfa", true).await;
    let (plain_pool, plain_client) = pool(&api, b_url, a_url, "plain", false).await;

    // ---- a sign-in begun on A is finished on B, and its Session is then spent on both
    user(&api, a_url, &mfa_pool, "carol", Some("+15555550123")).await;
    let (s, challenge) = api
        .password_auth(a_url, &mfa_client, "carol", PASSWORD)
        .await;
    assert_eq!(s, 200, "{challenge}");
    assert_eq!(challenge["ChallengeName"], "SMS_MFA", "{challenge}");
    let code = api.last_code(b_url, &mfa_pool, "carol").await;
    let answer = json!({"ClientId": mfa_client, "ChallengeName": "SMS_MFA",
        "Session": challenge["Session"],
        "ChallengeResponses": {"USERNAME": "carol", "SMS_MFA_CODE": code}});
    let (s, done) = api.call(b_url, "RespondToAuthChallenge", &answer).await;
    assert_eq!(s, 200, "{done}");
    let tokens = &done["AuthenticationResult"];
    for node in [a_url, b_url] {
        let (s, again) = api.call(node, "RespondToAuthChallenge", &answer).await;
        assert_eq!(
            (s, error(&again).0),
            (400, "NotAuthorizedException"),
            "{again}"
        );
        // A token minted by B is honoured by A (same keys, same issuer).
        let (s, me) = api
            .call(
                node,
                "GetUser",
                &json!({"AccessToken": tokens["AccessToken"]}),
            )
            .await;
        assert_eq!((s, me["Username"].as_str()), (200, Some("carol")), "{me}");
    }

    // ---- SRP begun on A, the password verifier answered on B (no Session: the
    //      SECRET_BLOCK sealed by A opens on B, and works once across both)
    user(&api, a_url, &plain_pool, "grace", None).await;
    let (verifier, s, answer) = srp_split(&api, a_url, b_url, &plain_pool, &plain_client).await;
    assert_eq!(s, 200, "{answer}");
    assert!(answer["AuthenticationResult"]["IdToken"].is_string());
    for node in [a_url, b_url] {
        let (s, replay) = api.call(node, "RespondToAuthChallenge", &verifier).await;
        assert_eq!(
            (s, error(&replay)),
            (
                400,
                (
                    "NotAuthorizedException",
                    "Invalid session for the user, session is expired."
                )
            )
        );
    }

    // ---- a refresh token revoked on A is refused on B
    user(&api, a_url, &plain_pool, "erin", None).await;
    let (s, signed_in) = api
        .password_auth(a_url, &plain_client, "erin", PASSWORD)
        .await;
    assert_eq!(s, 200, "{signed_in}");
    let refresh = signed_in["AuthenticationResult"]["RefreshToken"].clone();
    let refresh_body = json!({"ClientId": plain_client, "RefreshToken": refresh});
    let (s, refreshed) = api
        .call(b_url, "GetTokensFromRefreshToken", &refresh_body)
        .await;
    assert_eq!(s, 200, "works on B before the revocation: {refreshed}");
    let (s, r) = api
        .call(
            a_url,
            "RevokeToken",
            &json!({"ClientId": plain_client, "Token": refresh}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    for node in [b_url, a_url] {
        let (s, r) = api
            .call(node, "GetTokensFromRefreshToken", &refresh_body)
            .await;
        assert_eq!((s, error(&r).0), (400, "NotAuthorizedException"), "{r}");
        let (s, r) = api
            .call(
                node,
                "GetUser",
                &json!({"AccessToken": refreshed["AuthenticationResult"]["AccessToken"]}),
            )
            .await;
        assert_eq!(
            (s, error(&r)),
            (
                400,
                ("NotAuthorizedException", "Access Token has been revoked")
            )
        );
    }

    // ---- failed passwords are counted across both nodes
    lockout_across_nodes(&api, a_url, b_url, &plain_pool, &plain_client).await;

    // ---- one Session answered twenty times at once, ten on each node: one success
    user(&api, b_url, &mfa_pool, "dave", Some("+15555550124")).await;
    let (s, challenge) = api
        .password_auth(a_url, &mfa_client, "dave", PASSWORD)
        .await;
    assert_eq!(s, 200, "{challenge}");
    let code = api.last_code(a_url, &mfa_pool, "dave").await;
    let answer = json!({"ClientId": mfa_client, "ChallengeName": "SMS_MFA",
        "Session": challenge["Session"],
        "ChallengeResponses": {"USERNAME": "dave", "SMS_MFA_CODE": code}});
    let racers: Vec<_> = (0..20)
        .map(|i| {
            let (api, answer) = (api.clone(), answer.clone());
            let node = if i % 2 == 0 {
                a.url.clone()
            } else {
                b.url.clone()
            };
            tokio::spawn(async move { api.call(&node, "RespondToAuthChallenge", &answer).await })
        })
        .collect();
    let mut winners = 0;
    for racer in racers {
        let (s, body) = racer.await.unwrap();
        match s {
            200 => {
                assert!(body["AuthenticationResult"]["AccessToken"].is_string());
                winners += 1;
            }
            _ => assert_eq!(
                (s, error(&body).0),
                (400, "NotAuthorizedException"),
                "{body}"
            ),
        }
    }
    assert_eq!(winners, 1, "exactly one of the concurrent answers wins");

    drop((a, b));
    drop(db);
}

/// USER_SRP_AUTH on `first`, PASSWORD_VERIFIER (without Session) on `second`. Returns the
/// verifier request, and the status and body of its answer.
async fn srp_split(
    api: &Api,
    first: &str,
    second: &str,
    pool_id: &str,
    client_id: &str,
) -> (Value, u16, Value) {
    let srp = keystep_testkit::SrpClient::new();
    let (s, challenge) = api
        .call(
            first,
            "InitiateAuth",
            &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                "AuthParameters": {"USERNAME": "grace", "SRP_A": srp.srp_a()}}),
        )
        .await;
    assert_eq!(s, 200, "{challenge}");
    assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let responses = srp.answer(&challenge["ChallengeParameters"], pool_id, PASSWORD, now);
    let body = json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": responses});
    let (s, answer) = api.call(second, "RespondToAuthChallenge", &body).await;
    (body, s, answer)
}

/// Five wrong passwords alternating A, B, A, B, A lock the user on both nodes.
///
/// The first lock lasts one second, and only a request inside it can observe it. If the
/// right password is accepted, that is a failure unless a full second had passed since
/// the fifth wrong password was sent (a very slow machine): then the check runs again
/// with a fresh user.
async fn lockout_across_nodes(api: &Api, a: &str, b: &str, pool_id: &str, client_id: &str) {
    const LOCK: Duration = Duration::from_secs(1);
    for round in 0..3 {
        let name = format!("frank{round}");
        user(api, a, pool_id, &name, None).await;
        let mut fifth_sent = Instant::now();
        for i in 0..5 {
            let node = if i % 2 == 0 { a } else { b };
            fifth_sent = Instant::now();
            let (s, r) = api.password_auth(node, client_id, &name, WRONG).await;
            assert_eq!(
                (s, error(&r)),
                (
                    400,
                    ("NotAuthorizedException", "Incorrect username or password.")
                ),
                "wrong password #{} on {node}",
                i + 1
            );
        }
        let mut inconclusive = false;
        for node in [b, a] {
            let (s, r) = api.password_auth(node, client_id, &name, PASSWORD).await;
            if s == 200 {
                assert!(
                    fifth_sent.elapsed() > LOCK,
                    "the right password was accepted on {node} right after five failures \
                     spread over two nodes: failures are not counted across nodes"
                );
                inconclusive = true;
                break;
            }
            assert_eq!(
                (s, error(&r)),
                (
                    400,
                    ("NotAuthorizedException", "Password attempts exceeded")
                ),
                "on {node}"
            );
        }
        if !inconclusive {
            return;
        }
        eprintln!("multi_node: lockout round {round} was slower than the 1 s lock; again");
    }
    panic!("three lockout rounds in a row were slower than the 1 s lock: machine too slow");
}

// ---------------------------------------------------------------- throughput

/// Not a test of behaviour: prints how fast USER_PASSWORD_AUTH sign-ins go on one node
/// and split across two (both on this machine, sharing its cores with PostgreSQL and
/// the client).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run with --ignored --nocapture"]
async fn sign_in_throughput_one_node_vs_two() {
    let Some(server_url) = test_database_url() else {
        return;
    };
    let setting = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let signins = setting("MULTI_NODE_BENCH_SIGNINS", 400);
    let concurrency = setting("MULTI_NODE_BENCH_CONCURRENCY", 16).max(1);
    let bin = std::env::var("MULTI_NODE_BENCH_BIN").unwrap_or_else(|_| BIN.to_string());
    let db = TempDatabase::create(&server_url).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = start_two(&bin, &db.url, dir.path());
    let api = Api {
        http: reqwest::Client::new(),
        access_key_id: a.value("AWS_ACCESS_KEY_ID="),
        secret: a.value("AWS_SECRET_ACCESS_KEY="),
    };
    let (pool_id, client_id) = pool(&api, &a.url, &b.url, "bench", false).await;
    let users: Vec<String> = (0..32).map(|i| format!("bench{i}")).collect();
    for name in &users {
        user(&api, &a.url, &pool_id, name, None).await;
    }

    let one = [a.url.clone()];
    let two = [a.url.clone(), b.url.clone()];
    run_signins(&api, &one, &client_id, &users, 2 * concurrency, concurrency).await; // warm-up
    eprintln!(
        "binary {bin}; {signins} USER_PASSWORD_AUTH sign-ins, {concurrency} at a time, \
         {} CPUs",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for round in 1..=2 {
        for (label, nodes) in [("one node ", &one[..]), ("two nodes", &two[..])] {
            let (elapsed, mut latencies) =
                run_signins(&api, nodes, &client_id, &users, signins, concurrency).await;
            latencies.sort();
            let pct = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
            eprintln!(
                "round {round} {label}: {:>7.1} sign-ins/s  (total {:>6.2} s, p50 {:>4} ms, p95 {:>4} ms)",
                signins as f64 / elapsed.as_secs_f64(),
                elapsed.as_secs_f64(),
                pct(50).as_millis(),
                pct(95).as_millis(),
            );
        }
    }
    drop((a, b));
    drop(db);
}

/// `count` sign-ins, `concurrency` at a time, spread round-robin over `nodes` and
/// `users`. Every one must succeed. Returns the wall time and each sign-in's latency.
async fn run_signins(
    api: &Api,
    nodes: &[String],
    client_id: &str,
    users: &[String],
    count: usize,
    concurrency: usize,
) -> (Duration, Vec<Duration>) {
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (api, next) = (api.clone(), next.clone());
            let (nodes, users) = (nodes.to_vec(), users.to_vec());
            let client_id = client_id.to_string();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if i >= count {
                        return latencies;
                    }
                    let node = &nodes[i % nodes.len()];
                    let user = &users[i % users.len()];
                    let t = Instant::now();
                    let (s, r) = api.password_auth(node, &client_id, user, PASSWORD).await;
                    assert_eq!(s, 200, "{r}");
                    latencies.push(t.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(count);
    for w in workers {
        latencies.extend(w.await.unwrap());
    }
    (started.elapsed(), latencies)
}
