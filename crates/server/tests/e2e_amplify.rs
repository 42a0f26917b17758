//! End-to-end: the unmodified `aws-amplify` v6 JavaScript library (pinned in
//! `tests/js/package-lock.json`) signs users up and in against an in-process server. The
//! suite is `tests/js/*.test.mjs`, run with Node's built-in test runner; `node` comes from
//! `KEYSTEP_NODE`, else `PATH`. `scripts/test` installs `tests/js/node_modules` (`npm ci`).
//!
//! The server runs on a *live* clock (it follows the wall clock) because Amplify computes
//! time-based values itself: the SRP `TIMESTAMP`, and the tests compute TOTP codes. The
//! suite moves the clock forward through `KEYSTEP_CLOCK_URL` to expire sessions; the
//! test files run one at a time, in name order, so the file that does so runs last.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use e2e_common::{workspace_root, TestServer};
use keystep_testkit::TestOptions;

/// How long the whole Node run may take (it has a few dozen sign-ins, some of which wait
/// for the next 30-second TOTP step).
const NODE_TIMEOUT: Duration = Duration::from_secs(600);

/// The `node` to run; fails the test (never skips it) when there is none.
fn node() -> PathBuf {
    match std::env::var_os("KEYSTEP_NODE").filter(|p| !p.is_empty()) {
        Some(p) => {
            let p = PathBuf::from(p);
            assert!(
                p.exists(),
                "KEYSTEP_NODE={} does not exist; unset it to use `node` from PATH",
                p.display()
            );
            p
        }
        None => PathBuf::from("node"),
    }
}

/// The test files, sorted by name (the runner runs them in this order); with
/// `KEYSTEP_JS_ONLY=<text>`, only those whose name contains it (for working on one file).
fn test_files(js: &Path) -> Vec<PathBuf> {
    let only = std::env::var("KEYSTEP_JS_ONLY").unwrap_or_default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(js)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", js.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".test.mjs") && n.contains(only.as_str()))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.test.mjs in {}", js.display());
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amplify_js_suite_passes() {
    let root = workspace_root();
    let js = root.join("tests/js");
    let installed = js.join("node_modules/aws-amplify/package.json");
    assert!(
        installed.exists(),
        "{} is missing: the Amplify suite needs its npm packages. Run `scripts/test` \
         (it runs `npm ci` in tests/js), or `npm ci` in tests/js yourself.",
        installed.display()
    );
    let files = test_files(&js);

    let server = TestServer::start_with(TestOptions {
        live_clock: true,
        ..TestOptions::default()
    })
    .await;
    let clock_url = server.start_clock_control().await;

    let mut cmd = tokio::process::Command::new(node());
    cmd.current_dir(&js)
        // One file at a time: the clock is shared, and one file moves it for good.
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        // Amplify leaves a 3-minute auto sign-in timer behind every `signUp` with
        // `autoSignIn`; the tests are done long before it fires.
        .arg("--test-force-exit")
        .args(&files)
        .env("KEYSTEP_URL", server.url())
        .env("KEYSTEP_CLOCK_URL", &clock_url)
        .env("AWS_ACCESS_KEY_ID", server.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", server.secret_access_key())
        .env("AWS_REGION", "us-east-1")
        // Nothing from the developer's own AWS or Node setup may leak in.
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .env_remove("NODE_OPTIONS")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("NO_COLOR", "1")
        // The pinned AWS SDK warns that *later* releases will need Node 22; noise here.
        .env("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    // The server runs on this test's runtime, so wait for node without blocking it.
    let out = tokio::time::timeout(NODE_TIMEOUT, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("the Amplify suite took more than {NODE_TIMEOUT:?}"))
        .unwrap_or_else(|e| {
            panic!("node could not be started ({e}); install Node.js 20+ or set KEYSTEP_NODE")
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "the Amplify JS suite failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}
