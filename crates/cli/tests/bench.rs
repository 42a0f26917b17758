//! `keystep bench` as a short smoke of every workload against an in-process server:
//! a few operations each at concurrency 2, `--json`, no errors. No timing assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use keystep_testkit::{TestOptions, TestServer};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_keystep");
const COUNT: u64 = 6;

async fn bench(workload: &str) -> Value {
    let server = TestServer::start_with(TestOptions {
        live_clock: true,
        dev_pool: false,
        ..Default::default()
    })
    .await;
    let output = tokio::process::Command::new(BIN)
        .args(["bench", "--endpoint", server.url(), "--workload", workload])
        .args(["--count", &COUNT.to_string(), "--concurrency", "2"])
        .args(["--users", "3", "--json"])
        .env("AWS_ACCESS_KEY_ID", server.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", server.secret_access_key())
        .env_remove("AWS_REGION")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "keystep bench --workload {workload} failed:\n{stderr}\n{stdout}"
    );
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{stderr}"));
    assert_eq!(report["workload"], workload, "{report}");
    assert_eq!(report["errors"], 0, "{report}\n{stderr}");
    assert_eq!(report["operations"], COUNT, "{report}\n{stderr}");
    assert_eq!(report["concurrency"], 2);
    assert!(
        report["latency_ms"]["max"].as_f64().unwrap() > 0.0,
        "{report}"
    );
    assert!(
        report["throughput_per_sec"].as_f64().unwrap() > 0.0,
        "{report}"
    );

    // The bench cleaned up after itself: its pool is gone.
    let (status, pools) = server
        .json("ListUserPools", &serde_json::json!({"MaxResults": 60}))
        .await;
    assert_eq!(status, 200, "{pools}");
    assert_eq!(pools["UserPools"].as_array().unwrap().len(), 0, "{pools}");
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signup() {
    let report = bench("signup").await;
    assert_eq!(report["users"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create() {
    let report = bench("create").await;
    assert_eq!(report["users"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password() {
    let report = bench("password").await;
    assert_eq!(report["users"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn srp() {
    bench("srp").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn srp_mfa() {
    bench("srp-mfa").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh() {
    bench("refresh").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn getuser() {
    bench("getuser").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_pid_reports_the_server_cpu_and_memory() {
    // The in-process server is this test process.
    let server = TestServer::start_with(TestOptions {
        live_clock: true,
        dev_pool: false,
        ..Default::default()
    })
    .await;
    let output = tokio::process::Command::new(BIN)
        .args([
            "bench",
            "--endpoint",
            server.url(),
            "--workload",
            "password",
        ])
        .args([
            "--count",
            "4",
            "--concurrency",
            "2",
            "--users",
            "2",
            "--json",
        ])
        .args(["--server-pid", &std::process::id().to_string()])
        .args(["--access-key-id", server.access_key_id()])
        .args(["--secret-access-key", server.secret_access_key()])
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let s = &report["server"];
    assert_eq!(s["pid"], std::process::id(), "{report}");
    assert!(s["cpu_ms_per_op"].as_f64().unwrap() >= 0.0, "{report}");
    assert!(s["peak_rss_kib"].as_u64().unwrap() > 0, "{report}");
}

#[test]
fn without_admin_credentials_it_says_what_is_needed() {
    let output = std::process::Command::new(BIN)
        .args(["bench", "--endpoint", "http://127.0.0.1:9", "--count", "1"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("AWS_ACCESS_KEY_ID"), "{stderr}");
}

/// `keystep seed-users` fills an existing pool in process, and `bench --pool-id` signs in
/// users spread over it without creating, or deleting, anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_pool_is_benched_in_place() {
    let server = TestServer::start_with(TestOptions {
        live_clock: true,
        dev_pool: false,
        ..Default::default()
    })
    .await;
    let (status, pool) = server
        .json("CreateUserPool", &serde_json::json!({"PoolName": "seeded"}))
        .await;
    assert_eq!(status, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client_id = server
        .create_client(
            &serde_json::json!({"UserPoolId": pool_id, "ClientName": "seeded",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .await;
    let database_url = format!("sqlite://{}", server.db_path().display());
    let master_key = hex::encode(keystep_testkit::TEST_MASTER_KEY);
    let seed = |start: &str| {
        std::process::Command::new(BIN)
            .args(["seed-users", "--pool-id", &pool_id])
            .args(["--count", "6", "--start", start, "--tasks", "2"])
            .env("KEYSTEP_DATABASE_URL", &database_url)
            .env("KEYSTEP_MASTER_KEY", &master_key)
            .env("KEYSTEP_ADMIN_ACCESS_KEY_ID", server.access_key_id())
            .env(
                "KEYSTEP_ADMIN_SECRET_ACCESS_KEY",
                server.secret_access_key(),
            )
            .output()
            .unwrap()
    };
    let first = seed("0");
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("created 6 users, skipped 0"), "{stdout}");
    // Resumable: a second run over an overlapping range creates only the new ones.
    let again = seed("3");
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("created 3 users, skipped 3"), "{stdout}");
    let (status, user) = server
        .json(
            "AdminGetUser",
            &serde_json::json!({"UserPoolId": pool_id, "Username": "bench-user-8"}),
        )
        .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["UserStatus"], "CONFIRMED", "{user}");

    for (workload, extra) in [
        ("password", vec![]),
        ("refresh", vec!["--refresh-flow", "initiate-auth"]),
    ] {
        let output = tokio::process::Command::new(BIN)
            .args(["bench", "--endpoint", server.url(), "--workload", workload])
            .args(["--pool-id", &pool_id, "--client-id", &client_id])
            .args(["--existing-users", "9", "--users", "3"])
            .args([
                "--count",
                &COUNT.to_string(),
                "--concurrency",
                "2",
                "--json",
            ])
            .args(extra)
            .env("AWS_ACCESS_KEY_ID", server.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", server.secret_access_key())
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{workload}: {stderr}\n{stdout}");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(report["errors"], 0, "{report}\n{stderr}");
        assert_eq!(report["operations"], COUNT, "{report}");
    }
    // Nothing was deleted: the pool and its nine users are still there.
    let (status, listed) = server
        .json(
            "ListUsers",
            &serde_json::json!({"UserPoolId": pool_id, "Limit": 60}),
        )
        .await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["Users"].as_array().unwrap().len(), 9, "{listed}");
}

/// `--crypto-floor` needs no server: it times the primitives here and adds them up per
/// workload.
#[test]
fn crypto_floor_adds_up_the_primitives() {
    let output = std::process::Command::new(BIN)
        .args(["bench", "--crypto-floor", "--json"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let floor: Value = serde_json::from_str(&stdout).unwrap();
    let us = |name: &str| floor[name].as_f64().unwrap();
    for name in [
        "rs256_sign_us",
        "rs256_verify_us",
        "srp_server_step_us",
        "password_verifier_us",
    ] {
        assert!(us(name) > 0.0, "{name}: {floor}");
    }
    let workload = |name: &str| {
        floor["workloads_ms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w[0] == name)
            .unwrap_or_else(|| panic!("no {name} in {floor}"))[1]
            .as_f64()
            .unwrap()
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
    assert!(close(
        workload("password"),
        (us("password_verifier_us") + 2.0 * us("rs256_sign_us")) / 1000.0
    ));
    assert!(close(
        workload("srp"),
        (us("srp_server_step_us") + 2.0 * us("rs256_sign_us")) / 1000.0
    ));
    assert!(close(workload("getuser"), us("rs256_verify_us") / 1000.0));
}

/// `--existence-timing` signs in real users with a wrong password and made-up names
/// through both flows (every answer NotAuthorized, or it fails), and reports both sides.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existence_timing_compares_both_sides_of_every_step() {
    let server = TestServer::start_with(TestOptions {
        live_clock: true,
        dev_pool: false,
        ..Default::default()
    })
    .await;
    let output = tokio::process::Command::new(BIN)
        .args(["bench", "--endpoint", server.url(), "--existence-timing"])
        .args(["--users", "4", "--json"])
        .env("AWS_ACCESS_KEY_ID", server.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", server.secret_access_key())
        .env_remove("AWS_REGION")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}\n{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["pairs"], 4);
    for step in ["password", "srp_challenge", "srp_verifier"] {
        for side in ["real", "unknown"] {
            assert!(
                report[step][side]["p50"].as_f64().unwrap() > 0.0,
                "{step} {side}: {report}"
            );
        }
        assert!(report[step]["median_difference_percent"].is_number());
    }
    let (_, pools) = server
        .json("ListUserPools", &serde_json::json!({"MaxResults": 60}))
        .await;
    assert_eq!(pools["UserPools"].as_array().unwrap().len(), 0, "{pools}");
}
