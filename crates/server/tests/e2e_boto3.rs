//! End-to-end: the boto3 suite (`tests/python/test_foundation_boto3.py`) against an
//! in-process server. The Python interpreter comes from `KEYSTEP_PYTHON`, else the
//! workspace's `.venv` (which `scripts/test` creates from `tests/python/requirements.lock`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::process::Stdio;

use e2e_common::{python, workspace_root};

use e2e_common::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_suite_passes() {
    let root = workspace_root();
    let python = python(&root);
    let server = TestServer::start_with(keystep_testkit::TestOptions {
        trigger_arn_map: e2e_common::example_arn_map(),
        ..Default::default()
    })
    .await;

    let mut cmd = tokio::process::Command::new(&python);
    cmd.current_dir(&root)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rfEs",
            "tests/python/test_foundation_boto3.py",
        ])
        .env("KEYSTEP_URL", server.url())
        .env("AWS_ACCESS_KEY_ID", server.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", server.secret_access_key())
        .env("AWS_REGION", "us-east-1")
        .env("KEYSTEP_DEV_POOL_ID", server.pool_id())
        .env("KEYSTEP_DEV_CLIENT_ID", server.client_id())
        // Nothing from the developer's own AWS setup may leak in.
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    // The server runs on this test's runtime, so wait for pytest without blocking it.
    let out = tokio::time::timeout(std::time::Duration::from_secs(600), cmd.output())
        .await
        .expect("pytest took more than 10 minutes")
        .expect("pytest could not be started");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "the boto3 suite failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}
