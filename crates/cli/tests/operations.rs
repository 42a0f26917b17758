//! Running `keystep serve` as an operator does: readiness, metrics on their own
//! listener, a drained stop on SIGTERM, a backup taken while it runs and restored, and a
//! database that cannot be written named at start.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{banner_value, free_port, read_banner};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9!";

fn keystep(data: &Path) -> Command {
    let mut command = common::keystep();
    command
        .env("KEYSTEP_DATA_DIR", data)
        .env("KEYSTEP_LOG", "warn");
    command
}

struct Server {
    child: Child,
    port: u16,
    client_id: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(mut command: Command) -> Server {
    let port = free_port();
    let mut child = command
        .arg("serve")
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let banner = read_banner(&mut child);
    let client_id = banner_value(&banner, "client id:");
    Server {
        child,
        port,
        client_id,
    }
}

/// One HTTP/1.1 exchange on a fresh connection; returns the status and body.
fn http(port: u16, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, body.to_string())
}

fn get(port: u16, path: &str) -> (u16, String) {
    http(
        port,
        &format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n"),
    )
}

fn sign_up_request(client_id: &str, email: &str) -> String {
    let body = json!({"ClientId": client_id, "Username": email, "Password": PASSWORD,
                      "UserAttributes": [{"Name": "email", "Value": email}]})
    .to_string();
    format!(
        "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.1\r\n\
         x-amz-target: AWSCognitoIdentityProviderService.SignUp\r\nconnection: close\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn sign_up(port: u16, client_id: &str, email: &str) -> (u16, Value) {
    let (status, body) = http(port, &sign_up_request(client_id, email));
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[test]
fn ready_metrics_listener_and_a_drained_stop() {
    let dir = tempfile::tempdir().unwrap();
    let metrics_port = free_port();
    let mut command = keystep(&dir.path().join("data"));
    command.env(
        "KEYSTEP_METRICS_LISTEN",
        format!("127.0.0.1:{metrics_port}"),
    );
    let mut server = serve(command);

    let (status, body) = get(server.port, "/ready");
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ready"}"#));
    assert_eq!(
        get(server.port, "/metrics").0,
        401,
        "credentials on the API address"
    );
    let (status, metrics) = get(metrics_port, "/metrics");
    assert_eq!(status, 200);
    assert!(metrics.contains("keystep_requests_total"), "{metrics}");
    assert!(
        metrics.contains("process_resident_memory_bytes"),
        "{metrics}"
    );

    // A sign-up in flight: headers and half the body sent, then SIGTERM.
    let request = sign_up_request(&server.client_id, "drained@example.com");
    let (head, tail) = request.split_at(request.len() - 20);
    let mut in_flight = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    in_flight.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let term = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        TcpStream::connect(("127.0.0.1", server.port)).is_err(),
        "no new connections after SIGTERM"
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "still running while a request is in flight"
    );
    in_flight.write_all(tail.as_bytes()).unwrap();
    let mut answer = String::new();
    in_flight.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("UserSub"), "{answer}");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "did not exit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status}");
}

#[test]
fn a_backup_taken_while_serving_restores() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = serve(keystep(&data));
    for n in 0..20 {
        let (status, answer) =
            sign_up(server.port, &server.client_id, &format!("b{n}@example.com"));
        assert_eq!(status, 200, "{answer}");
    }
    let backup = dir.path().join("keystep-backup.db");
    let out = keystep(&data)
        .args(["backup", "--to"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("integrity checked"));
    // Not overwritten.
    let again = keystep(&data)
        .args(["backup", "--to"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!again.status.success());
    let (status, _) = sign_up(server.port, &server.client_id, "after@example.com");
    assert_eq!(status, 200);
    let client_id = server.client_id.clone();
    drop(server);

    // Restore: the backup and the master key, in a new data folder.
    let restored = dir.path().join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::copy(&backup, restored.join("keystep.db")).unwrap();
    std::fs::copy(data.join("master.key"), restored.join("master.key")).unwrap();
    let server = serve(keystep(&restored));
    assert_eq!(server.client_id, client_id, "the same development pool");
    for n in [0, 19] {
        let (status, answer) = sign_up(server.port, &client_id, &format!("b{n}@example.com"));
        assert_eq!(status, 400);
        assert_eq!(
            answer["__type"], "UsernameExistsException",
            "b{n} is in the backup"
        );
    }
    let (status, _) = sign_up(server.port, &client_id, "after@example.com");
    assert_eq!(status, 200, "a sign-up after the backup is not in it");
}

#[test]
fn a_database_that_cannot_be_written_is_named_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = keystep(&data).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read_only = format!("sqlite://{}?mode=ro", data.join("keystep.db").display());
    let port = free_port();
    let out = keystep(&data)
        .arg("serve")
        .env("KEYSTEP_DATABASE_URL", &read_only)
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("database"), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("readonly") || stderr.contains("read-only"),
        "{stderr}"
    );
}
