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
