//! `keystep signin`, `whoami` and `signout` as a person (or a script) runs them, against
//! the in-process Keystep server: SMS MFA typed into a pseudo-terminal (the password not
//! echoed), NEW_PASSWORD_REQUIRED answered through pipes, `whoami` after the sign-in, and
//! `signout --global` ending the session everywhere.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use keystep_testkit::{TestOptions, TestServer};
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_keystep");
const PASSWORD: &str = "Correct-Horse-9!";

struct Fixture {
    server: TestServer,
    pool_id: String,
    client_id: String,
    dir: tempfile::TempDir,
}

impl Fixture {
    async fn new(sms_mfa: bool) -> Fixture {
        let server = TestServer::start_with(TestOptions {
            live_clock: true,
            ..Default::default()
        })
        .await;
        let (s, pool) = server
            .json(
                "CreateUserPool",
                &json!({"PoolName": "cli", "MfaConfiguration": "OFF"}),
            )
            .await;
        assert_eq!(s, 200, "{pool}");
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
        if sms_mfa {
            let (s, b) = server
                .json(
                    "SetUserPoolMfaConfig",
                    &json!({"UserPoolId": pool_id, "MfaConfiguration": "ON",
                        "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}}}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
        }
        let client_id = server
            .create_client(&json!({"UserPoolId": pool_id, "ClientName": "cli",
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH"]}))
            .await;
        Fixture {
            server,
            pool_id,
            client_id,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    async fn admin(&self, op: &str, body: serde_json::Value) {
        let (s, b) = self.server.json(op, &body).await;
        assert_eq!(s, 200, "{op}: {b}");
    }

    fn tokens(&self) -> PathBuf {
        self.dir.path().join("tokens.json")
    }

    /// `keystep <command> --endpoint ... --pool-id ... --client-id ... --tokens ...`.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .arg("--endpoint")
            .arg(self.server.url())
            .arg("--pool-id")
            .arg(&self.pool_id)
            .arg("--client-id")
            .arg(&self.client_id)
            .arg("--tokens")
            .arg(self.tokens())
            .env_remove("KEYSTEP_ENDPOINT")
            .env_remove("KEYSTEP_POOL_ID")
            .env_remove("KEYSTEP_CLIENT_ID")
            .env_remove("KEYSTEP_CLIENT_SECRET")
            .env_remove("KEYSTEP_TOKENS");
        command
    }

    /// whoami/signout as a later shell runs them: only the endpoint and the token file.
    fn run_bare(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .arg("--endpoint")
            .arg(self.server.url())
            .arg("--tokens")
            .arg(self.tokens())
            .env_remove("KEYSTEP_POOL_ID")
            .env_remove("KEYSTEP_CLIENT_ID")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

/// A running `keystep` whose output is collected by a thread, answered as prompts appear.
struct Session {
    child: Child,
    input: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    /// How much of the output the prompts waited for so far have consumed.
    cursor: usize,
}

impl Session {
    fn start(
        child: Child,
        input: Box<dyn Write + Send>,
        mut output: impl Read + Send + 'static,
    ) -> Session {
        let collected = Arc::new(Mutex::new(Vec::new()));
        let sink = collected.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            // A pseudo-terminal's master reads EIO once the child is gone: stop there.
            while let Ok(n) = output.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session {
            child,
            input,
            output: collected,
            cursor: 0,
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits until `prompt` shows (after what was already consumed).
    fn expect(&mut self, prompt: &str) {
        let started = Instant::now();
        loop {
            let text = self.text();
            if let Some(at) = text.get(self.cursor..).and_then(|rest| rest.find(prompt)) {
                self.cursor += at + prompt.len();
                return;
            }
            if started.elapsed() > Duration::from_secs(60) {
                panic!("no {prompt:?} in the output:\n{text}");
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                let text = self.text();
                if text[self.cursor..].contains(prompt) {
                    continue;
                }
                panic!("keystep exited ({status}) before {prompt:?}:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn answer(&mut self, line: &str) {
        self.input.write_all(line.as_bytes()).unwrap();
        self.input.write_all(b"\n").unwrap();
        self.input.flush().unwrap();
    }

    /// Waits for the exit; returns the code and everything printed.
    fn finish(mut self) -> (i32, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = self.child.kill();
                panic!("keystep did not exit:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // Let the reader drain what is left.
        std::thread::sleep(Duration::from_millis(200));
        (status.code().unwrap_or(-1), self.text())
    }
}

/// Runs `command` with stdin and stdout (and stderr) on a new pseudo-terminal.
fn in_pty(mut command: Command) -> Session {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = {
        use std::os::unix::fs::OpenOptionsExt as _;
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(rustix::fs::OFlags::NOCTTY.bits() as i32)
            .open(Path::new(name.to_str().unwrap()))
            .unwrap()
    };
    let child = command
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave)
        .spawn()
        .unwrap();
    // The parent's copies of the slave are gone with `command`: once the child exits,
    // reading the master ends.
    drop(command);
    let master = File::from(master);
    let reader = master.try_clone().unwrap();
    Session::start(child, Box::new(master), reader)
}

/// Runs `command` with piped stdin and stdout (stderr inherited).
fn in_pipes(mut command: Command) -> Session {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = child.stdin.take().unwrap();
    let output = child.stdout.take().unwrap();
    let mut errors = child.stderr.take().unwrap();
    let session = Session::start(child, Box::new(input), output);
    // stderr joins the same transcript.
    let sink = session.output.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = errors.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    session
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn sms_mfa_sign_in_in_a_pseudo_terminal() {
    let f = Fixture::new(true).await;
    f.server
        .confirmed_user(
            &f.pool_id,
            "dora",
            PASSWORD,
            json!([{"Name": "phone_number", "Value": "+15555550123"},
                   {"Name": "phone_number_verified", "Value": "true"}]),
        )
        .await;

    let mut session = in_pty(f.command(&["signin"]));
    session.expect("Username: ");
    session.answer("dora");
    session.expect("Password: ");
    session.answer(PASSWORD);
    session.expect("Enter the code sent by text message to +");
    session.expect(": ");
    let code = f.server.last_code(&f.pool_id, "dora").await.unwrap();
    // A wrong code first: asked again.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    session.answer(wrong);
    session.expect("Try again.");
    session.expect("Enter the code sent by text message to +");
    session.expect(": ");
    session.answer(&code);
    let (status, transcript) = session.finish();
    assert_eq!(status, 0, "{transcript}");
    assert!(
        transcript.contains("Signed in as dora (sub "),
        "{transcript}"
    );
    // The terminal echoed the username and the code, never the password.
    assert!(transcript.contains("dora\r\n"), "{transcript}");
    assert!(transcript.contains(&code), "{transcript}");
    assert!(
        !transcript.contains(PASSWORD),
        "password echoed:\n{transcript}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(f.tokens()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // whoami from the token file alone (pool and client come from the tokens).
    let who = f.run_bare(&["whoami"]);
    assert!(who.status.success(), "{}", stderr(&who));
    let text = stdout(&who);
    assert!(text.contains("username: dora"), "{text}");
    let sub = text
        .lines()
        .find_map(|l| l.strip_prefix("sub: "))
        .unwrap()
        .to_string();
    assert!(transcript.contains(&format!("(sub {sub})")), "{transcript}");
}

#[tokio::test(flavor = "multi_thread")]
async fn new_password_required_through_pipes_then_whoami_and_global_signout() {
    let f = Fixture::new(false).await;
    f.admin(
        "AdminCreateUser",
        json!({"UserPoolId": f.pool_id, "Username": "carl",
            "TemporaryPassword": "Temp-Pass-123!", "MessageAction": "SUPPRESS"}),
    )
    .await;

    let mut session = in_pipes(f.command(&["signin", "--username", "carl"]));
    session.expect("Password: ");
    session.answer("Temp-Pass-123!");
    session.expect("You must choose a new password.");
    session.expect("New password: ");
    // Too weak for the default policy: refused, asked again.
    session.answer("short");
    session.expect("Try again.");
    session.expect("New password: ");
    session.answer("Brand-New-Pass-9!");
    let (status, transcript) = session.finish();
    assert_eq!(status, 0, "{transcript}");
    assert!(transcript.contains("Signed in as carl"), "{transcript}");

    let who = f.run_bare(&["whoami"]);
    assert!(who.status.success(), "{}", stderr(&who));
    assert!(stdout(&who).contains("username: carl"), "{}", stdout(&who));
    let refreshed = f.run_bare(&["whoami", "--refresh"]);
    assert!(refreshed.status.success(), "{}", stderr(&refreshed));

    // Keep a copy of the tokens to show the server revoked them.
    let copy = f.dir.path().join("copy.json");
    std::fs::copy(f.tokens(), &copy).unwrap();
    let out = f.run_bare(&["signout", "--global"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Signed out everywhere."));
    assert!(!f.tokens().exists(), "the token file is gone");

    let who = f.run_bare(&["whoami"]);
    assert_eq!(who.status.code(), Some(1), "{}", stdout(&who));
    assert!(stderr(&who).contains("Not signed in."), "{}", stderr(&who));
    // The old tokens no longer refresh.
    std::fs::copy(&copy, f.tokens()).unwrap();
    let stale = f.run_bare(&["whoami", "--refresh"]);
    assert_eq!(stale.status.code(), Some(1), "{}", stdout(&stale));
    assert!(
        stderr(&stale).contains("Not signed in"),
        "{}",
        stderr(&stale)
    );

    // The new password works for a plain password sign-in from a script.
    let mut again = in_pipes(f.command(&["signin", "--username", "carl", "--flow", "password"]));
    again.expect("Password: ");
    again.answer("Brand-New-Pass-9!");
    let (status, transcript) = again.finish();
    assert_eq!(status, 0, "{transcript}");
}

#[tokio::test(flavor = "multi_thread")]
async fn new_password_required_in_a_pseudo_terminal_asks_twice_and_hides_both() {
    let f = Fixture::new(false).await;
    f.admin(
        "AdminCreateUser",
        json!({"UserPoolId": f.pool_id, "Username": "nina",
            "TemporaryPassword": "Temp-Pass-123!", "MessageAction": "SUPPRESS"}),
    )
    .await;
    let mut session = in_pty(f.command(&["signin", "--username", "nina"]));
    session.expect("Password: ");
    session.answer("Temp-Pass-123!");
    session.expect("You must choose a new password.");
    session.expect("New password: ");
    session.answer("Brand-New-Pass-9!");
    session.expect("Repeat it: ");
    session.answer("Brand-New-Pass-8!");
    session.expect("The two passwords differ. Try again.");
    session.expect("New password: ");
    session.answer("Brand-New-Pass-9!");
    session.expect("Repeat it: ");
    session.answer("Brand-New-Pass-9!");
    let (status, transcript) = session.finish();
    assert_eq!(status, 0, "{transcript}");
    assert!(transcript.contains("Signed in as nina"), "{transcript}");
    for secret in ["Temp-Pass-123!", "Brand-New-Pass-9!", "Brand-New-Pass-8!"] {
        assert!(
            !transcript.contains(secret),
            "{secret} was echoed:\n{transcript}"
        );
    }
    let (s, user) = f
        .server
        .json(
            "AdminGetUser",
            &json!({"UserPoolId": f.pool_id, "Username": "nina"}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(user["UserStatus"], "CONFIRMED");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_exits_1_and_usage_errors_exit_2() {
    let f = Fixture::new(false).await;
    f.admin(
        "AdminCreateUser",
        json!({"UserPoolId": f.pool_id, "Username": "erin", "MessageAction": "SUPPRESS"}),
    )
    .await;
    f.admin(
        "AdminSetUserPassword",
        json!({"UserPoolId": f.pool_id, "Username": "erin", "Password": PASSWORD, "Permanent": true}),
    )
    .await;
    let mut session = in_pipes(f.command(&["signin", "--username", "erin"]));
    session.expect("Password: ");
    session.answer("Wrong-Horse-9!");
    let (status, transcript) = session.finish();
    assert_eq!(status, 1, "{transcript}");
    assert!(
        transcript.contains("Incorrect username or password."),
        "{transcript}"
    );
    assert!(!f.tokens().exists());

    // No answer at all (end of input) is a usage error.
    let out = f
        .command(&["signin", "--username", "erin"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // So is a missing client id.
    let out = Command::new(BIN)
        .args(["signin", "--username", "erin", "--endpoint", f.server.url()])
        .env_remove("KEYSTEP_CLIENT_ID")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--client-id"), "{}", stderr(&out));
    // whoami with no token file: not signed in.
    let who = f.run_bare(&["whoami"]);
    assert_eq!(who.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn user_auth_offers_the_first_factors_as_numbered_options() {
    let server = TestServer::start_with(TestOptions {
        live_clock: true,
        ..Default::default()
    })
    .await;
    let (s, pool) = server
        .json(
            "CreateUserPool",
            &json!({"PoolName": "cli-choice", "UserPoolTier": "ESSENTIALS",
                "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}}),
        )
        .await;
    assert_eq!(s, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client_id = server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "cli",
            "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}))
        .await;
    server
        .confirmed_user(
            &pool_id,
            "dora",
            PASSWORD,
            json!([{"Name": "email", "Value": "dora@example.com"},
                {"Name": "email_verified", "Value": "true"}]),
        )
        .await;
    let f = Fixture {
        server,
        pool_id,
        client_id,
        dir: tempfile::tempdir().unwrap(),
    };

    // A code by e-mail, picked by its number.
    let mut session = in_pipes(f.command(&["signin", "--username", "dora", "--flow", "user-auth"]));
    session.expect("Choose how to sign in:");
    session.expect("3) a code sent by e-mail");
    session.expect("Sign in with: ");
    session.answer("3");
    session.expect("Enter the code sent by e-mail");
    let code = f.server.last_code(&f.pool_id, "dora").await.unwrap();
    session.answer(&code);
    let (status, transcript) = session.finish();
    assert_eq!(status, 0, "{transcript}");
    assert!(transcript.contains("Signed in as dora"), "{transcript}");

    // The password by SRP, picked by number, typed after the choice.
    let mut session = in_pipes(f.command(&["signin", "--username", "dora", "--flow", "user-auth"]));
    session.expect("Sign in with: ");
    session.answer("1");
    session.expect("Password: ");
    session.answer(PASSWORD);
    let (status, transcript) = session.finish();
    assert_eq!(status, 0, "{transcript}");
    assert!(transcript.contains("Signed in as dora"), "{transcript}");
}
