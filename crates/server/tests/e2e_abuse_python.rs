//! End-to-end: the abuse limits attacked with boto3 and raw HTTP from Python —
//! `tests/python/test_abuse_boto3.py` (hourly code budgets, code guessing across
//! re-issued codes, `ChangePassword`, parallel bursts on one session and one user,
//! second-factor lockout across sessions, codes bound to their address, no user
//! existence leaks, nothing minted for a user gone mid-sign-in).
//!
//! The server's clock stands still: a burst at one instant meets exactly the limit, and
//! time passes only when a test moves it through the clock-control endpoint
//! (`KEYSTEP_CLOCK_URL`). The suite computes its time-based values (TOTP, SRP `TIMESTAMP`)
//! from the server's clock. The limits are the defaults the suite asserts (5 code requests,
//! 20 sign-in codes, 15 code answers, 5 `ChangePassword` an hour).
//!
//! The suite runs on SQLite, then again on a fresh PostgreSQL schema when
//! `KEYSTEP_TEST_DATABASE_URL` is set. `KEYSTEP_PYTHON`, `KEYSTEP_PYTEST_ARGS` and
//! `KEYSTEP_PYTEST_K` work as for the other Python suites (see `e2e_signin_python.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::time::Duration;

use keystep_testkit::{TestOptions, TestServer};

const SUITE: &str = "tests/python/test_abuse_boto3.py";

/// Runs the suite against a fresh stopped-clock server started with `options`.
async fn run_suite(options: TestOptions) {
    let server = TestServer::start_with(TestOptions {
        live_clock: false,
        abuse_limits: keystep_core::limits::Limits::default(),
        ..options
    })
    .await;
    let clock_url = server.start_clock_control().await;
    e2e_common::run_pytest(
        &server,
        SUITE,
        &[("KEYSTEP_CLOCK_URL", &clock_url)],
        Duration::from_secs(300),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_abuse_suite_passes() {
    run_suite(TestOptions::default()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: set KEYSTEP_TEST_DATABASE_URL (scripts/test then runs it)"]
async fn boto3_abuse_suite_passes_on_postgres() {
    let Some(schema) = e2e_common::PgSchema::create().await else {
        panic!("KEYSTEP_TEST_DATABASE_URL is not set: this test needs PostgreSQL");
    };
    let options = schema.options.clone();
    // The schema goes whether the suite passed or not.
    let outcome = tokio::spawn(run_suite(options)).await;
    schema.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
