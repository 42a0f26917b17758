//! `keystep fuzz` as a CI smoke: a fixed seed, a few thousand requests against its own
//! in-process servers, no violation. And proof that the checker bites: `--self-test`
//! changes stored data behind the server's back before a rejected request, and the run
//! must report exactly that.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_keystep");

async fn fuzz(args: &[&str]) -> (bool, String, String) {
    let output = tokio::process::Command::new(BIN)
        .arg("fuzz")
        .args(args)
        .output()
        .await
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_seed_finds_nothing() {
    // `--seconds` only guards against a slow machine; the count is what is meant.
    let (ok, stdout, stderr) = fuzz(&[
        "--seed",
        "20240607",
        "--requests",
        "3000",
        "--seconds",
        "50",
        "--concurrency",
        "4",
        "--json",
    ])
    .await;
    assert!(ok, "keystep fuzz failed:\n{stderr}\n{stdout}");
    let summary: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{stderr}"));
    assert_eq!(summary["seed"], 20240607_u64);
    let requests = summary["requests"].as_u64().unwrap();
    assert!(requests >= 1000, "only {requests} requests:\n{stderr}");
    assert_eq!(
        summary["violations"].as_array().unwrap().len(),
        0,
        "{stdout}"
    );
    assert!(summary["by_class"].get("5xx").is_none(), "{stdout}");
    assert!(summary["by_class"].get("none").is_none(), "{stdout}");
    // The requests reached the handlers and both servers, and the data was compared.
    assert!(
        summary["by_class"]["2xx"].as_u64().unwrap() > 50,
        "{stdout}"
    );
    assert!(
        summary["rejections_checked"].as_u64().unwrap() > 100,
        "{stdout}"
    );
    assert!(
        summary["reader_windows_checked"].as_u64().unwrap() > 100,
        "{stdout}"
    );
    let servers = summary["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 2, "{stdout}");
    assert!(servers.iter().all(|s| s["requests"].as_u64().unwrap() > 0));
    // Implemented and unimplemented operations alike.
    let ops = summary["by_operation"].as_object().unwrap();
    for op in ["InitiateAuth", "AdminCreateUser", "CreateTerms", "SignUp"] {
        assert!(ops.contains_key(op), "{op} never sent:\n{stdout}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_of_stored_data_on_a_rejected_request_is_reported() {
    let (ok, stdout, stderr) = fuzz(&["--seed", "7", "--requests", "200", "--self-test"]).await;
    assert!(ok, "self-test failed:\n{stderr}\n{stdout}");
    assert!(
        stderr.contains("stored data changed on a rejected request"),
        "{stderr}"
    );
    assert!(stderr.contains("FuzzSelfTest"), "{stderr}");
    assert!(stderr.contains("version: "), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_options_are_refused() {
    let (ok, _, stderr) = fuzz(&["--allow-known", "ListUsers:nonsense"]).await;
    assert!(!ok);
    assert!(stderr.contains("unknown kind"), "{stderr}");
}
