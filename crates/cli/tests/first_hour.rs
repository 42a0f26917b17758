//! The first hour of a new user, from a fresh clone: what went wrong for them and must
//! not any more. A busy port names the setting that moves it and leaves nothing on disk;
//! a second server on the same data folder is refused; the banner has what the AWS CLI
//! v1 reads; logs to a pipe carry no colour codes; `keystep outbox` finds the endpoint as
//! the other commands do, and finds messages by the e-mail a user signed up with; a
//! scripted `keystep signup` confirms later with `--confirm`; `whoami` and `signout` talk
//! to the server the tokens came from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{banner_value, free_port, keystep, read_banner};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const PASSWORD: &str = "Correct-Horse-9!";

struct Server {
    child: Child,
    url: String,
    banner: String,
    stderr: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn value(&self, prefix: &str) -> String {
        banner_value(&self.banner, prefix)
    }
}

fn serve(data: &Path) -> Server {
    let port = free_port();
    let mut child = keystep()
        .arg("serve")
        .env("KEYSTEP_DATA_DIR", data)
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEYSTEP_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let banner = read_banner(&mut child);
    let (tx, stderr) = std::sync::mpsc::channel();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        let mut line = String::new();
        while err.read_line(&mut line).unwrap_or(0) > 0 {
            let _ = tx.send(std::mem::take(&mut line));
        }
    });
    Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        banner,
        stderr,
    }
}

fn run(mut command: Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_busy_port_names_the_setting_and_leaves_nothing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let out = keystep()
        .arg("serve")
        .env("KEYSTEP_DATA_DIR", &data)
        .env("KEYSTEP_LISTEN", busy.local_addr().unwrap().to_string())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("KEYSTEP_LISTEN"), "{said}");
    assert!(said.contains("another program"), "{said}");
    assert!(!data.exists(), "nothing created before the port was taken");
}

#[test]
fn the_first_hour() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = serve(&data);
    let region_line = "AWS_DEFAULT_REGION=us-east-1";
    assert!(server.banner.contains(region_line), "{}", server.banner);

    // A second server on the same data folder is refused, and says by whom.
    let port = free_port();
    let second = keystep()
        .arg("serve")
        .env("KEYSTEP_DATA_DIR", &data)
        .env("KEYSTEP_LISTEN", format!("127.0.0.1:{port}"))
        .output()
        .unwrap();
    assert!(!second.status.success());
    let said = text(&second);
    assert!(
        said.contains(&format!("pid {}", server.child.id())),
        "{said}"
    );
    assert!(said.contains("KEYSTEP_DATA_DIR"), "{said}");

    let pool_id = server.value("pool id:");
    let client_id = server.value("client id:");
    let access_key = server.value("AWS_ACCESS_KEY_ID=");
    let secret = server.value("AWS_SECRET_ACCESS_KEY=");
    let endpoint_line = format!("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER={}", server.url);
    assert!(server.banner.contains(&endpoint_line));

    // A scripted sign-up (e-mail is the username here) whose input ends before the code.
    let email = "newcomer@example.com";
    let mut signup = keystep();
    signup
        .args([
            "signup",
            "--endpoint",
            &server.url,
            "--client-id",
            &client_id,
        ])
        .args([
            "--username",
            email,
            "--attribute",
            &format!("email={email}"),
        ]);
    let out = run(signup, &format!("{PASSWORD}\n"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("keystep signup --confirm --username newcomer@example.com"),
        "{}",
        text(&out)
    );

    // `keystep outbox` with only the variables the banner printed, by the e-mail.
    let outbox = keystep()
        .args(["outbox", "--username", email, "--json"])
        .env("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", &server.url)
        .env("AWS_ACCESS_KEY_ID", &access_key)
        .env("AWS_SECRET_ACCESS_KEY", &secret)
        .output()
        .unwrap();
    assert!(outbox.status.success(), "{}", text(&outbox));
    let messages: serde_json::Value = serde_json::from_slice(&outbox.stdout).unwrap();
    let code = messages
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m["purpose"] == "sign_up")
        .and_then(|m| m["code"].as_str())
        .unwrap_or_else(|| panic!("no sign-up code for {email}: {messages}"))
        .to_string();

    let mut confirm = keystep();
    confirm
        .args(["signup", "--confirm", "--endpoint", &server.url])
        .args(["--client-id", &client_id, "--username", email]);
    let out = run(confirm, &format!("{code}\n"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Confirmed"), "{}", text(&out));

    // Sign in with an explicit endpoint; whoami and signout find it in the tokens.
    let tokens = dir.path().join("tokens.json");
    let mut signin = keystep();
    signin
        .args(["signin", "--endpoint", &server.url, "--pool-id", &pool_id])
        .args(["--client-id", &client_id, "--username", email, "--tokens"])
        .arg(&tokens);
    let out = run(signin, &format!("{PASSWORD}\n"));
    assert!(out.status.success(), "{}", text(&out));
    let whoami = keystep()
        .arg("whoami")
        .arg("--tokens")
        .arg(&tokens)
        .output()
        .unwrap();
    assert!(whoami.status.success(), "{}", text(&whoami));
    assert!(text(&whoami).contains("username:"), "{}", text(&whoami));
    let signout = keystep()
        .arg("signout")
        .arg("--tokens")
        .arg(&tokens)
        .output()
        .unwrap();
    assert!(signout.status.success(), "{}", text(&signout));
    assert!(text(&signout).contains("Signed out."), "{}", text(&signout));

    // Logs written to a pipe: plain text.
    let mut logs = String::new();
    while let Ok(line) = server.stderr.recv_timeout(Duration::from_millis(300)) {
        logs.push_str(&line);
    }
    assert!(logs.contains("keystep started"), "{logs}");
    assert!(
        !logs.contains('\u{1b}'),
        "ANSI codes in piped logs: {logs:?}"
    );
}
