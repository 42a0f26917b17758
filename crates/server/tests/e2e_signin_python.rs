//! End-to-end: the sign-in suites with real third-party Python clients against an
//! in-process server —
//!
//! * `tests/python/test_signin_pycognito.py` (pycognito: SRP, MFA, refresh, its own
//!   RS256 token verification against the server's JWKS);
//! * `tests/python/test_signin_boto3.py` (boto3 raw operations: every flow, challenge and
//!   error name, a hand-written SRP client, sessions, lockout, tokens).
//!
//! Each suite gets its own server with a *live* clock: the clients compute TOTP codes and
//! SRP `TIMESTAMP`s from real time. Tests that need time to pass (session expiry, lockout
//! reset, token expiry) move the server's clock forward through the clock-control
//! endpoint, passed as `KEYSTEP_CLOCK_URL`; the suite runs those tests last and computes
//! its time-based values from the server's clock, so the offset never leaks into others.
//!
//! The Python interpreter comes from `KEYSTEP_PYTHON`, else the workspace's `.venv` (which
//! `scripts/test` creates from `tests/python/requirements.lock`). Extra pytest arguments can
//! be given in `KEYSTEP_PYTEST_ARGS` (split on whitespace, e.g. `-x -s`) and a test selection
//! in `KEYSTEP_PYTEST_K` (one `-k` expression, e.g. `lockout or refresh`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::process::Stdio;

use e2e_common::{python, workspace_root};

use keystep_testkit::{TestOptions, TestServer};

/// Runs one pytest file against a fresh live-clock server and fails with its output.
async fn run_suite(file: &str) {
    let root = workspace_root();
    let python = python(&root);
    let server = TestServer::start_with(TestOptions {
        live_clock: true,
        ..Default::default()
    })
    .await;
    let clock_url = server.start_clock_control().await;

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
        .env("KEYSTEP_CLOCK_URL", &clock_url)
        .env("AWS_ACCESS_KEY_ID", server.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", server.secret_access_key())
        .env("AWS_REGION", "us-east-1")
        .env("KEYSTEP_DEV_POOL_ID", server.pool_id())
        .env("KEYSTEP_DEV_CLIENT_ID", server.client_id())
        // Nothing from the developer's own AWS setup may leak in; pycognito would take
        // its JWKS from COGNITO_JWKS instead of the server.
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .env_remove("COGNITO_JWKS")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    // The server runs on this test's runtime, so wait for pytest without blocking it.
    let out = tokio::time::timeout(std::time::Duration::from_secs(900), cmd.output())
        .await
        .expect("pytest took more than 15 minutes")
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pycognito_signin_suite_passes() {
    run_suite("tests/python/test_signin_pycognito.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_signin_suite_passes() {
    run_suite("tests/python/test_signin_boto3.py").await;
}
