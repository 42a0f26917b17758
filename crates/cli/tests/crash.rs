//! A crash loses nothing that was acknowledged: `keystep serve` is killed with SIGKILL
//! under a sign-up load, again and again on the same data folder; after every restart
//! every sign-up that was answered 200 before a crash is there.
//!
//! 20 rounds by default (`KEYSTEP_CRASH_ROUNDS` changes it). Each round starts the
//! server, signs users up from eight connections at once, kills the process at a moment
//! that differs from round to round, and restarts it to count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_keystep");
const PASSWORD: &str = "Correct-Horse-9!";

/// What a server's banner said: where it is, its development client, the admin keys.
#[derive(Clone)]
struct Endpoint {
    url: String,
    client_id: String,
    pool_id: String,
    access_key: String,
    secret: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `keystep serve` on `data_dir`; returns the process and its endpoint.
fn start(data_dir: &std::path::Path) -> (Child, Endpoint) {
    let port = free_port();
    let mut command = Command::new(BIN);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("KEYSTEP_") {
            command.env_remove(key);
        }
    }
    let mut child = command
        .arg("serve")
        .env("KEYSTEP_DATA_DIR", data_dir)
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEYSTEP_LOG", "warn")
        // Generous budgets: this test is about durability, not abuse limits.
        .env("KEYSTEP_LIMITS_CODE_REQUESTS_PER_HOUR", "10000")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    let started = Instant::now();
    while !banner.contains("Amplify.configure") {
        assert!(started.elapsed() < Duration::from_secs(60), "{banner}");
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "exited: {banner}");
        banner.push_str(&line);
    }
    // The outbox keeps printing; drain it so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    let value = |prefix: &str| {
        banner
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in {banner}"))
            .trim()
            .to_string()
    };
    let endpoint = Endpoint {
        url: format!("http://127.0.0.1:{port}"),
        client_id: value("client id:"),
        pool_id: value("pool id:"),
        access_key: value("AWS_ACCESS_KEY_ID="),
        secret: value("AWS_SECRET_ACCESS_KEY="),
    };
    (child, endpoint)
}

async fn sign_up(http: &reqwest::Client, server: &Endpoint, email: &str) -> bool {
    let sent = http
        .post(format!("{}/", server.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AWSCognitoIdentityProviderService.SignUp")
        .body(
            json!({"ClientId": server.client_id, "Username": email, "Password": PASSWORD,
                "UserAttributes": [{"Name": "email", "Value": email}]})
            .to_string(),
        )
        .send()
        .await;
    // Only a complete 200 answer is an acknowledgement.
    match sent {
        Ok(resp) if resp.status() == 200 => resp.bytes().await.is_ok(),
        _ => false,
    }
}

/// Every e-mail of the pool's users (ListUsers, signed, every page).
async fn stored_emails(http: &reqwest::Client, server: &Endpoint) -> BTreeSet<String> {
    let mut emails = BTreeSet::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"UserPoolId": server.pool_id, "Limit": 60});
        if let Some(t) = &token {
            body["PaginationToken"] = t.clone().into();
        }
        let body = body.to_string();
        let host = server.url.trim_start_matches("http://");
        let headers = [
            ("content-type", "application/x-amz-json-1.1"),
            ("host", host),
            (
                "x-amz-target",
                "AWSCognitoIdentityProviderService.ListUsers",
            ),
        ];
        let signed = keystep_testkit::sign(
            "POST",
            "/",
            "",
            &headers,
            body.as_bytes(),
            &server.access_key,
            &server.secret,
        );
        let mut req = http.post(format!("{}/", server.url)).body(body);
        for (name, value) in headers {
            req = req.header(name, value);
        }
        let resp = req
            .header("x-amz-date", signed.x_amz_date)
            .header("authorization", signed.authorization)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let page: Value = resp.json().await.unwrap();
        for user in page["Users"].as_array().unwrap() {
            for attr in user["Attributes"].as_array().unwrap() {
                if attr["Name"] == "email" {
                    emails.insert(attr["Value"].as_str().unwrap().to_string());
                }
            }
        }
        match page["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => return emails,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_sign_ups_survive_sigkill() {
    let rounds: usize = std::env::var("KEYSTEP_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let http = reqwest::Client::new();
    let acknowledged = Arc::new(Mutex::new(BTreeSet::<String>::new()));
    for round in 0..rounds {
        let (mut child, endpoint) = start(dir.path());
        let snapshot = acknowledged.lock().unwrap().clone();
        // Nothing acknowledged before any earlier crash is missing.
        let stored = stored_emails(&http, &endpoint).await;
        let lost: Vec<&String> = snapshot.difference(&stored).collect();
        assert!(lost.is_empty(), "round {round}: lost {lost:?}");

        let target = Arc::new(endpoint);
        let mut load = Vec::new();
        for worker in 0..8 {
            let (http, target, acknowledged) = (http.clone(), target.clone(), acknowledged.clone());
            load.push(tokio::spawn(async move {
                for n in 0.. {
                    let email = format!("r{round}w{worker}n{n}@crash.example.com");
                    if !sign_up(&http, &target, &email).await {
                        return;
                    }
                    acknowledged.lock().unwrap().insert(email);
                }
            }));
        }
        // Kill at a moment that moves from round to round.
        let after = Duration::from_millis(150 + (round as u64 * 97) % 600);
        tokio::time::sleep(after).await;
        // SIGKILL: no shutdown, no flush.
        child.kill().unwrap();
        child.wait().unwrap();
        for task in load {
            task.await.unwrap();
        }
    }
    let (mut last, endpoint) = start(dir.path());
    let stored = stored_emails(&http, &endpoint).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    let lost: Vec<&String> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "lost after the last crash: {lost:?}");
    assert!(
        acknowledged.len() >= rounds,
        "the load barely ran: {} sign-ups in {rounds} rounds",
        acknowledged.len()
    );
    eprintln!(
        "crash: {rounds} SIGKILLs under sign-up load, {} acknowledged sign-ups, {} stored, none lost",
        acknowledged.len(),
        stored.len()
    );
    last.kill().unwrap();
    last.wait().unwrap();
}
