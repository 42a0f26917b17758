//! `keystep serve` as a newcomer runs it: first start prints what is needed, the server
//! answers, `keystep outbox` reads the outbox, and a second start reuses the same pool.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_keystep");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `keystep serve` and returns it with its banner (up to the Amplify snippet).
fn serve(data_dir: &std::path::Path, port: u16) -> (Child, String) {
    let mut child = Command::new(BIN)
        .arg("serve")
        .env("KEYSTEP_DATA_DIR", data_dir)
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEYSTEP_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    let started = Instant::now();
    while !banner.contains("Amplify.configure") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no banner: {banner}"
        );
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            panic!("keystep serve exited: {banner}");
        }
        banner.push_str(&line);
    }
    (child, banner)
}

fn value_after<'a>(banner: &'a str, prefix: &str) -> &'a str {
    banner
        .lines()
        .find_map(|l| l.trim().strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no {prefix} in {banner}"))
        .trim()
}

#[test]
fn first_and_second_start() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut child, banner) = serve(dir.path(), port);
    let pool_id = value_after(&banner, "pool id:").to_string();
    let access_key = value_after(&banner, "AWS_ACCESS_KEY_ID=").to_string();
    let secret = value_after(&banner, "AWS_SECRET_ACCESS_KEY=").to_string();
    assert!(pool_id.starts_with("us-east-1_"), "{banner}");
    assert!(banner.contains(&format!("userPoolEndpoint: 'http://127.0.0.1:{port}'")));
    assert!(banner.contains("master.key (just created;"), "{banner}");
    assert!(dir.path().join("master.key").exists());

    let out = Command::new(BIN)
        .args(["outbox", "--url", &format!("http://127.0.0.1:{port}")])
        .env("AWS_ACCESS_KEY_ID", &access_key)
        .env("AWS_SECRET_ACCESS_KEY", &secret)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("The outbox is empty."));

    let out = Command::new(BIN)
        .args(["outbox", "--url", &format!("http://127.0.0.1:{port}")])
        .env("AWS_ACCESS_KEY_ID", &access_key)
        .env("AWS_SECRET_ACCESS_KEY", "wrong")
        .output()
        .unwrap();
    assert!(!out.status.success());

    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, banner) = serve(dir.path(), port);
    assert_eq!(value_after(&banner, "pool id:"), pool_id);
    assert_eq!(value_after(&banner, "AWS_ACCESS_KEY_ID="), access_key);
    assert!(!banner.contains("just created"));
    child.kill().unwrap();
    child.wait().unwrap();
}

fn jwks_kids(port: u16, pool_id: &str) -> Vec<String> {
    let out = Command::new("curl")
        .args([
            "-sf",
            &format!("http://127.0.0.1:{port}/{pool_id}/.well-known/jwks.json"),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "jwks of {pool_id}");
    let jwks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn keys_rotate_makes_a_new_generation_sign_and_keeps_the_old_one_published() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut child, banner) = serve(dir.path(), port);
    let pool_id = value_after(&banner, "pool id:").to_string();
    let before = jwks_kids(port, &pool_id);
    assert_eq!(before.len(), 2);

    // Rotated next to the running server, on the same database.
    let out = Command::new(BIN)
        .args(["keys", "rotate", "--pool-id", &pool_id])
        .env("KEYSTEP_DATA_DIR", dir.path())
        .env("KEYSTEP_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("generation 2 signs now"), "{stdout}");
    let out = Command::new(BIN)
        .args(["keys", "rotate", "--pool-id", "us-east-1_NoSuchPool"])
        .env("KEYSTEP_DATA_DIR", dir.path())
        .env("KEYSTEP_LOG", "warn")
        .output()
        .unwrap();
    assert!(!out.status.success());
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, _) = serve(dir.path(), port);
    let after = jwks_kids(port, &pool_id);
    assert_eq!(after.len(), 4, "{after:?}");
    assert_eq!(
        &after[2..],
        &before[..],
        "the previous pair follows the new one"
    );
    assert!(!before.contains(&after[0]) && !before.contains(&after[1]));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn configuration_errors_stop_the_start() {
    let out = Command::new(BIN)
        .arg("serve")
        .env("KEYSTEP_LISTNE", "127.0.0.1:1")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("KEYSTEP_LISTNE"));
}
