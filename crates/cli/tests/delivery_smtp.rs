//! E-mail that arrives, through a real SMTP server: `tests/python/smtp_sink.py` (aiosmtpd
//! on 127.0.0.1, STARTTLS required with a certificate of a throwaway CA, AUTH required),
//! and `keystep serve` started with `KEYSTEP_SMTP_URL`, `KEYSTEP_SMTP_CA_FILE` and
//! `KEYSTEP_EMAIL_FROM`.
//!
//! 1. Unmodified Amplify JS signs up and in with e-mail MFA, reading each code from the
//!    received e-mail (`tests/js/scenarios/email-delivery.mjs`).
//! 2. The relay is stopped; a password-reset message is queued and retried; Keystep is
//!    killed with SIGKILL while it waits and restarted; the relay comes back; the message
//!    arrives and its code resets the password.
//!
//! Python comes from `KEYSTEP_PYTHON` (else `.venv`), Node from `KEYSTEP_NODE` (else
//! `node`); `scripts/test` provides both. Missing ones fail the test, never skip it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{banner_value, free_port, keystep, read_banner};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";
const FROM: &str = "Keystep Tests <no-reply@keystep.test>";
const SMTP_USER: &str = "keystep";
const SMTP_PASSWORD: &str = "sink-password";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("KEYSTEP_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = root().join(".venv/bin/python");
    assert!(
        venv.exists(),
        "no Python with aiosmtpd: run `scripts/test` (it builds .venv) or set KEYSTEP_PYTHON"
    );
    venv
}

fn node() -> PathBuf {
    std::env::var_os("KEYSTEP_NODE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("node"))
}

/// The SMTP sink, stopped (SIGTERM, then waited for) when dropped or stopped.
struct Sink {
    child: Child,
}

impl Sink {
    fn start(port: u16, dir: &Path) -> Sink {
        let mut child = Command::new(python())
            .arg(root().join("tests/python/smtp_sink.py"))
            .args(["--port", &port.to_string()])
            .arg("--out")
            .arg(dir.join("mail"))
            .arg("--certs")
            .arg(dir.join("certs"))
            .args(["--user", SMTP_USER, "--password", SMTP_PASSWORD])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tests/python/smtp_sink.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("READY"), "the SMTP sink said {line:?}");
        Sink { child }
    }

    fn stop(mut self) {
        self.terminate();
    }

    fn terminate(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.terminate();
        }
    }
}

/// `keystep serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
    client_id: String,
    access_key: String,
    secret: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data_dir: &Path, smtp_port: u16, certs: &Path) -> Server {
    let port = free_port();
    let mut child = keystep()
        .arg("serve")
        .env("KEYSTEP_DATA_DIR", data_dir)
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEYSTEP_LOG", "warn")
        .env(
            "KEYSTEP_SMTP_URL",
            format!("smtp://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{smtp_port}?tls=required"),
        )
        .env("KEYSTEP_SMTP_CA_FILE", certs.join("ca.pem"))
        .env("KEYSTEP_EMAIL_FROM", FROM)
        .env("KEYSTEP_DELIVERY_FIRST_RETRY_SECS", "0.2")
        .env("KEYSTEP_DELIVERY_MAX_ATTEMPTS", "100")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let banner = read_banner(&mut child);
    assert!(
        banner.contains("E-mail:      SMTP smtp://keystep:***@127.0.0.1"),
        "the banner names the relay without its password: {banner}"
    );
    assert!(!banner.contains(SMTP_PASSWORD), "{banner}");
    assert!(!banner.contains("they go to the outbox"), "{banner}");
    let value = |prefix: &str| banner_value(&banner, prefix);
    Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        client_id: value("client id:"),
        access_key: value("AWS_ACCESS_KEY_ID="),
        secret: value("AWS_SECRET_ACCESS_KEY="),
    }
}

async fn call(http: &reqwest::Client, server: &Server, op: &str, body: Value) -> (u16, Value) {
    let resp = http
        .post(format!("{}/", server.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn deliveries(http: &reqwest::Client, server: &Server, status: &str) -> Vec<Value> {
    let resp = http
        .get(format!("{}/admin/deliveries?status={status}", server.url))
        .basic_auth(&server.access_key, Some(&server.secret))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// Waits up to 20 s for a message to `to` among the sink's files not in `seen`.
async fn next_mail(dir: &Path, to: &str, seen: &mut Vec<PathBuf>) -> Value {
    let started = Instant::now();
    loop {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("mail"))
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            if f.extension().is_some_and(|e| e == "json") && !seen.contains(&f) {
                let mail: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
                if mail["rcpt_tos"][0] == to {
                    seen.push(f);
                    return mail;
                }
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no e-mail to {to} arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn code_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_arrives_through_a_real_relay_and_survives_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let smtp_port = free_port();
    let sink = Sink::start(smtp_port, dir.path());
    let certs = dir.path().join("certs");
    let server = serve(&data, smtp_port, &certs);

    // 1. Amplify JS, codes from the mailbox.
    let js = root().join("tests/js");
    assert!(
        js.join("node_modules/aws-amplify/package.json").exists(),
        "tests/js/node_modules is missing: run `scripts/test` (it runs `npm ci` there)"
    );
    let out = tokio::process::Command::new(node())
        .current_dir(&js)
        .arg("scenarios/email-delivery.mjs")
        .env("KEYSTEP_URL", &server.url)
        .env("KEYSTEP_MAILDIR", dir.path().join("mail"))
        .env("KEYSTEP_EMAIL_FROM", FROM)
        .env("AWS_ACCESS_KEY_ID", &server.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &server.secret)
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .env_remove("NODE_OPTIONS")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), out)
        .await
        .expect("the Amplify scenario took more than 2 minutes")
        .expect("node could not be started; install Node.js 20+ or set KEYSTEP_NODE");
    assert!(
        out.status.success(),
        "the Amplify e-mail scenario failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // 2. A user of the development pool (e-mail is the username), confirmed by e-mail.
    let http = reqwest::Client::new();
    let email = "reset-me@example.com";
    let mut seen = Vec::new();
    // The Amplify scenario's messages are not this user's.
    let (status, answer) = call(
        &http,
        &server,
        "SignUp",
        json!({"ClientId": server.client_id, "Username": email, "Password": PASSWORD,
               "UserAttributes": [{"Name": "email", "Value": email}]}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let welcome = next_mail(dir.path(), email, &mut seen).await;
    let (status, answer) = call(
        &http,
        &server,
        "ConfirmSignUp",
        json!({"ClientId": server.client_id, "Username": email,
               "ConfirmationCode": code_in(welcome["text"].as_str().unwrap())}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");

    // The relay goes away; the reset code is queued and retried.
    sink.stop();
    let (status, answer) = call(
        &http,
        &server,
        "ForgotPassword",
        json!({"ClientId": server.client_id, "Username": email}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let started = Instant::now();
    loop {
        let pending = deliveries(&http, &server, "pending").await;
        if let Some(d) = pending.first() {
            if d["attempts"].as_u64().unwrap() >= 2 {
                assert_eq!(d["purpose"], "forgot_password");
                assert!(d["last_error"].as_str().unwrap().contains("SMTP"), "{d}");
                assert!(
                    !d.to_string().contains(email),
                    "the listing masks the address: {d}"
                );
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no retry seen: {pending:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Keystep dies while the message waits, and comes back on the same data.
    drop(server);
    let server = serve(&data, smtp_port, &certs);
    let _sink = Sink::start(smtp_port, dir.path());
    let reset = next_mail(dir.path(), email, &mut seen).await;
    assert_eq!(reset["from"], FROM);
    let new_password = "Another-Horse-7!";
    let (status, answer) = call(
        &http,
        &server,
        "ConfirmForgotPassword",
        json!({"ClientId": server.client_id, "Username": email,
               "ConfirmationCode": code_in(reset["text"].as_str().unwrap()),
               "Password": new_password}),
    )
    .await;
    assert_eq!(
        status, 200,
        "the code that survived the crash works: {answer}"
    );
    let (status, answer) = call(
        &http,
        &server,
        "InitiateAuth",
        json!({"ClientId": server.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": email, "PASSWORD": new_password}}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer["AuthenticationResult"]["AccessToken"].is_string());
    let sent = deliveries(&http, &server, "sent").await;
    let reset_record = sent
        .iter()
        .find(|d| d["purpose"] == "forgot_password")
        .expect("the reset message is recorded as sent");
    assert!(reset_record["attempts"].as_u64().unwrap() >= 3);
    assert!(deliveries(&http, &server, "pending").await.is_empty());
}
