//! End-to-end: the sign-in suites with real third-party Python clients against an
//! in-process server —
//!
//! * `tests/python/test_signin_pycognito.py` (pycognito: SRP, MFA, refresh, its own
//!   RS256 token verification against the server's JWKS);
//! * `tests/python/test_signin_boto3.py` (boto3 raw operations: every flow, challenge and
//!   error name, a hand-written SRP client, sessions, lockout, tokens);
//! * `tests/python/test_user_auth_boto3.py` (boto3: choice-based sign-in and auto sign-in,
//!   their wire shapes and error names, guessing and probing);
//! * `tests/python/test_devices_boto3.py` (boto3: remembered devices, device SRP made here,
//!   the device operations, refresh tokens bound to their device);
//! * `tests/python/test_passkeys_boto3.py` (boto3: passkey settings, creation options and
//!   every modelled WebAuthn error; the ceremony itself runs in Chromium, tests/js).
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

use std::time::Duration;

use keystep_testkit::{TestOptions, TestServer};

/// Runs one pytest file against a fresh live-clock server with clock control.
async fn run_suite(file: &str) {
    let server = TestServer::start_with(TestOptions {
        live_clock: true,
        ..Default::default()
    })
    .await;
    let clock_url = server.start_clock_control().await;
    e2e_common::run_pytest(
        &server,
        file,
        &[("KEYSTEP_CLOCK_URL", &clock_url)],
        Duration::from_secs(900),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pycognito_signin_suite_passes() {
    run_suite("tests/python/test_signin_pycognito.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_signin_suite_passes() {
    run_suite("tests/python/test_signin_boto3.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_user_auth_suite_passes() {
    run_suite("tests/python/test_user_auth_boto3.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_devices_suite_passes() {
    run_suite("tests/python/test_devices_boto3.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_passkeys_suite_passes() {
    run_suite("tests/python/test_passkeys_boto3.py").await;
}
