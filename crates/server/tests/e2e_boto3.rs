//! End-to-end: the boto3 suites (`tests/python/test_foundation_boto3.py`,
//! `test_oauth_setup_boto3.py`, `test_identity_providers_boto3.py`) against an in-process server. The Python interpreter comes from `KEYSTEP_PYTHON`, else the
//! workspace's `.venv` (which `scripts/test` creates from `tests/python/requirements.lock`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::time::Duration;

use e2e_common::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_suite_passes() {
    let server = TestServer::start_with(keystep_testkit::TestOptions {
        trigger_arn_map: e2e_common::example_arn_map(),
        ..Default::default()
    })
    .await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_foundation_boto3.py",
        &[],
        Duration::from_secs(600),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_oauth_setup_suite_passes() {
    let server = TestServer::start_with(keystep_testkit::TestOptions::default()).await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_oauth_setup_boto3.py",
        &[],
        Duration::from_secs(300),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_validation_suite_passes() {
    let server = TestServer::start_with(keystep_testkit::TestOptions::default()).await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_validation_boto3.py",
        &[],
        Duration::from_secs(300),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_user_settings_suite_passes() {
    let server = TestServer::start_with(keystep_testkit::TestOptions::default()).await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_user_settings_boto3.py",
        &[],
        Duration::from_secs(300),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_client_secrets_suite_passes() {
    let server = TestServer::start_with(keystep_testkit::TestOptions::default()).await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_client_secrets_boto3.py",
        &[],
        Duration::from_secs(300),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_tags_suite_passes() {
    let server = TestServer::start_with(keystep_testkit::TestOptions::default()).await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_tags_boto3.py",
        &[],
        Duration::from_secs(300),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_identity_providers_suite_passes() {
    let server = TestServer::start_with(keystep_testkit::TestOptions::default()).await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_identity_providers_boto3.py",
        &[],
        Duration::from_secs(300),
    )
    .await;
}

/// Runs `suite` on a server whose clock is stopped: the suite moves it through
/// `KEYSTEP_CLOCK_URL` (to expire URLs, sessions, refresh tokens, jobs).
async fn stopped_clock_suite(options: keystep_testkit::TestOptions, suite: &str) {
    let server = TestServer::start_with(keystep_testkit::TestOptions {
        live_clock: false,
        ..options
    })
    .await;
    let clock_url = server.start_clock_control().await;
    e2e_common::run_pytest(
        &server,
        suite,
        &[("KEYSTEP_CLOCK_URL", &clock_url)],
        Duration::from_secs(300),
    )
    .await;
}

/// The user import suite (also run on PostgreSQL).
async fn user_import_suite(options: keystep_testkit::TestOptions) {
    stopped_clock_suite(options, "tests/python/test_user_import_boto3.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_user_import_suite_passes() {
    user_import_suite(keystep_testkit::TestOptions::default()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: set KEYSTEP_TEST_DATABASE_URL (scripts/test then runs it)"]
async fn boto3_user_import_suite_passes_on_postgres() {
    let Some(schema) = e2e_common::PgSchema::create().await else {
        panic!("KEYSTEP_TEST_DATABASE_URL is not set: this test needs PostgreSQL");
    };
    let options = schema.options.clone();
    // The schema goes whether the suite passed or not.
    let outcome = tokio::spawn(user_import_suite(options)).await;
    schema.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_ui_customization_suite_passes() {
    let server = TestServer::start_with(keystep_testkit::TestOptions::default()).await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_ui_customization_boto3.py",
        &[],
        Duration::from_secs(300),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_auth_events_suite_passes() {
    stopped_clock_suite(
        keystep_testkit::TestOptions::default(),
        "tests/python/test_auth_events_boto3.py",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_refresh_rotation_suite_passes() {
    stopped_clock_suite(
        keystep_testkit::TestOptions::default(),
        "tests/python/test_refresh_rotation_boto3.py",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_user_sessions_suite_passes() {
    stopped_clock_suite(
        keystep_testkit::TestOptions::default(),
        "tests/python/test_user_sessions_boto3.py",
    )
    .await;
}
