//! HTTPS: `keystep serve` with `KEYSTEP_TLS_CERT` / `KEYSTEP_TLS_KEY` from a test CA
//! (`tests/python/make_certs.py`, trustme). boto3 (`verify=` the CA) and unmodified
//! Amplify JS (`NODE_EXTRA_CA_CERTS`) sign in over it; then the certificate files are
//! swapped for ones of another CA and `SIGHUP` is sent: the next connection sees the new
//! certificate, and a connection opened before keeps working.
//!
//! Python comes from `KEYSTEP_PYTHON` (else `.venv`), Node from `KEYSTEP_NODE` (else
//! `node`); `scripts/test` provides both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{banner_value, free_port, keystep, read_banner};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("KEYSTEP_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = root().join(".venv/bin/python");
    assert!(
        venv.exists(),
        "no Python with trustme and boto3: run `scripts/test` or set KEYSTEP_PYTHON"
    );
    venv
}

fn node() -> PathBuf {
    std::env::var_os("KEYSTEP_NODE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("node"))
}

struct Server {
    child: Child,
    url: String,
    pool_id: String,
    client_id: String,
    access_key: String,
    secret: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &Path, cert: &Path, key: &Path) -> Server {
    let port = free_port();
    let mut child = keystep()
        .arg("serve")
        .env("KEYSTEP_DATA_DIR", data)
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEYSTEP_LOG", "warn")
        .env("KEYSTEP_TLS_CERT", cert)
        .env("KEYSTEP_TLS_KEY", key)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let banner = read_banner(&mut child);
    let url = format!("https://127.0.0.1:{port}");
    assert!(
        banner.contains(&format!("public URL {url}")),
        "the public URL defaults to https:// with TLS: {banner}"
    );
    let value = |prefix: &str| banner_value(&banner, prefix);
    Server {
        child,
        url,
        pool_id: value("pool id:"),
        client_id: value("client id:"),
        access_key: value("AWS_ACCESS_KEY_ID="),
        secret: value("AWS_SECRET_ACCESS_KEY="),
    }
}

/// A client that trusts only the CA in `ca_file`.
fn client_trusting(ca_file: &Path) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(&std::fs::read(ca_file).unwrap()).unwrap(),
        )
        .pool_idle_timeout(Duration::from_secs(600))
        .build()
        .unwrap()
}

async fn health(client: &reqwest::Client, url: &str) -> Result<u16, reqwest::Error> {
    client
        .get(format!("{url}/health"))
        .send()
        .await
        .map(|r| r.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_and_amplify_over_https_and_the_certificate_reloads_on_sighup() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let made = Command::new(python())
        .arg(root().join("tests/python/make_certs.py"))
        .arg(&certs)
        .status()
        .expect("run tests/python/make_certs.py");
    assert!(made.success());
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::copy(certs.join("a-cert.pem"), &cert).unwrap();
    std::fs::copy(certs.join("a-key.pem"), &key).unwrap();
    let server = serve(&dir.path().join("data"), &cert, &key);

    // boto3, trusting the test CA.
    let username = "tls-user@example.com";
    let password = "Correct-Horse-9!";
    let out = Command::new(python())
        .arg(root().join("tests/python/https_check.py"))
        .args([
            &server.url,
            certs.join("a-ca.pem").to_str().unwrap(),
            &server.pool_id,
            &server.client_id,
            username,
            password,
        ])
        .env("AWS_ACCESS_KEY_ID", &server.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &server.secret)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto3 over HTTPS failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // Amplify JS, trusting the test CA as a device trusts a real one.
    let js = root().join("tests/js");
    assert!(
        js.join("node_modules/aws-amplify/package.json").exists(),
        "tests/js/node_modules is missing: run `scripts/test`"
    );
    let node_run = tokio::process::Command::new(node())
        .current_dir(&js)
        .arg("scenarios/https-sign-in.mjs")
        .env("NODE_EXTRA_CA_CERTS", certs.join("a-ca.pem"))
        .env("KEYSTEP_URL", &server.url)
        .env("KEYSTEP_POOL_ID", &server.pool_id)
        .env("KEYSTEP_CLIENT_ID", &server.client_id)
        .env("KEYSTEP_USERNAME", username)
        .env("KEYSTEP_PASSWORD", password)
        .env_remove("NODE_OPTIONS")
        .env("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), node_run)
        .await
        .expect("Amplify over HTTPS took more than 2 minutes")
        .expect("node could not be started; install Node.js 20+ or set KEYSTEP_NODE");
    assert!(
        out.status.success(),
        "Amplify over HTTPS failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // A connection opened before the swap.
    let old = client_trusting(&certs.join("a-ca.pem"));
    assert_eq!(health(&old, &server.url).await.unwrap(), 200);
    assert!(
        health(&client_trusting(&certs.join("b-ca.pem")), &server.url)
            .await
            .is_err(),
        "CA b does not vouch for the first certificate"
    );

    // Swap the files, then SIGHUP.
    std::fs::copy(certs.join("b-cert.pem"), &cert).unwrap();
    std::fs::copy(certs.join("b-key.pem"), &key).unwrap();
    let hup = Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let started = Instant::now();
    loop {
        // A fresh client is a fresh connection.
        if health(&client_trusting(&certs.join("b-ca.pem")), &server.url)
            .await
            .is_ok()
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the new certificate was not served after SIGHUP"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        health(&client_trusting(&certs.join("a-ca.pem")), &server.url)
            .await
            .is_err(),
        "new connections no longer get the old certificate"
    );
    assert_eq!(
        health(&old, &server.url).await.unwrap(),
        200,
        "the connection opened before the reload still works"
    );

    // A broken file on the next SIGHUP keeps the certificate in use.
    std::fs::write(&cert, "garbage").unwrap();
    Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        health(&client_trusting(&certs.join("b-ca.pem")), &server.url)
            .await
            .unwrap(),
        200
    );
}

#[test]
fn a_missing_certificate_is_named_before_anything_listens() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let out = keystep()
        .arg("serve")
        .env("KEYSTEP_DATA_DIR", dir.path().join("data"))
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEYSTEP_TLS_CERT", dir.path().join("nope-cert.pem"))
        .env("KEYSTEP_TLS_KEY", dir.path().join("nope-key.pem"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nope-cert.pem"), "{stderr}");
    // The port was never taken.
    std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
}
