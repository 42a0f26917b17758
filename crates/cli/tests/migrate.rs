//! `keystep migrate` as an operator runs it: a database filled by a running server (users
//! with passwords and TOTP, a client secret, a group, a pending sign-up code, a refresh
//! token) is copied with the binary to a fresh SQLite database and, when
//! `KEYSTEP_TEST_DATABASE_URL` is set, to a fresh PostgreSQL schema; a server started on
//! the copy with the same master key signs those users in. A second run copies nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use keystep_core::ports::Clock;
use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};
use sqlx::{Connection, Executor, PgConnection};

const BIN: &str = env!("CARGO_BIN_EXE_keystep");
const PASSWORD: &str = "Correct-Horse-9!";

/// Runs `keystep migrate <args>` with no `KEYSTEP_*` settings but `env`.
fn migrate(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command.arg("migrate").args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("KEYSTEP_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The numbers of a table's line: source, target, copied, already there.
fn counts(out: &str, table: &str) -> [u64; 4] {
    let line = out
        .lines()
        .find(|l| l.split_whitespace().next() == Some(table))
        .unwrap_or_else(|| panic!("no line for {table} in:\n{out}"));
    let numbers: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    numbers.try_into().unwrap()
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not text: {value}"))
        .to_string()
}

/// What the source server was left holding.
struct Source {
    dev_pool_id: String,
    pool_id: String,
    client_id: String,
    secret_client_id: String,
    client_secret: String,
    refresh_token: String,
    jwks: Value,
    signup_code: String,
    totp_secret: Vec<u8>,
}

async fn call(server: &TestServer, op: &str, body: Value) -> Value {
    let (status, answer) = server.json(op, &body).await;
    assert_eq!(status, 200, "{op}: {answer}");
    answer
}

async fn password_auth(server: &TestServer, client_id: &str, name: &str) -> Value {
    call(
        server,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}),
    )
    .await
}

/// Fills the SQLite database `url` through a server on it, then stops the server.
async fn fill(url: &str) -> Source {
    let server = TestServer::start_with(TestOptions {
        database_url: Some(url.to_string()),
        ..TestOptions::default()
    })
    .await;
    let pool = call(
        &server,
        "CreateUserPool",
        json!({"PoolName": "migrated", "AutoVerifiedAttributes": ["email"]}),
    )
    .await;
    let pool_id = text(&pool["UserPool"]["Id"]);
    call(
        &server,
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
            "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    )
    .await;
    let flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
    let client = call(
        &server,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web", "ExplicitAuthFlows": flows}),
    )
    .await;
    let client_id = text(&client["UserPoolClient"]["ClientId"]);
    let backend = call(
        &server,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "backend", "GenerateSecret": true}),
    )
    .await;
    for name in ["alice", "carol"] {
        server
            .confirmed_user(
                &pool_id,
                name,
                PASSWORD,
                json!([{"Name": "email", "Value": format!("{name}@example.com")},
                       {"Name": "email_verified", "Value": "true"}]),
            )
            .await;
    }
    call(
        &server,
        "CreateGroup",
        json!({"UserPoolId": pool_id, "GroupName": "admins", "Precedence": 1}),
    )
    .await;
    call(
        &server,
        "AdminAddUserToGroup",
        json!({"UserPoolId": pool_id, "Username": "alice", "GroupName": "admins"}),
    )
    .await;
    call(
        &server,
        "SignUp",
        json!({"ClientId": client_id, "Username": "bob", "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": "bob@example.com"}]}),
    )
    .await;
    let signup_code = server.last_code(&pool_id, "bob").await.unwrap();
    let alice = password_auth(&server, &client_id, "alice").await;
    let refresh_token = text(&alice["AuthenticationResult"]["RefreshToken"]);
    let jwks: Value = server
        .http()
        .get(format!("{}/{pool_id}/.well-known/jwks.json", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // carol turns on TOTP.
    let carol = password_auth(&server, &client_id, "carol").await;
    let access = text(&carol["AuthenticationResult"]["AccessToken"]);
    let associated = call(
        &server,
        "AssociateSoftwareToken",
        json!({"AccessToken": access}),
    )
    .await;
    let totp_secret = keystep_core::totp::base32_decode(&text(&associated["SecretCode"])).unwrap();
    let step = keystep_core::totp::step_at(server.clock().now());
    call(
        &server,
        "VerifySoftwareToken",
        json!({"AccessToken": access,
            "UserCode": keystep_core::totp::code_at_step(&totp_secret, step)}),
    )
    .await;
    call(
        &server,
        "SetUserMFAPreference",
        json!({"AccessToken": access,
            "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await;

    let source = Source {
        dev_pool_id: server.pool_id().to_string(),
        pool_id,
        client_id,
        secret_client_id: text(&backend["UserPoolClient"]["ClientId"]),
        client_secret: text(&backend["UserPoolClient"]["ClientSecret"]),
        refresh_token,
        jwks,
        signup_code,
        totp_secret,
    };
    server.stop().await;
    source
}

/// Starts a server on the migrated database `url` (same master key) and checks that
/// everything still works there.
async fn assert_works_on(url: &str, source: &Source) {
    let server = TestServer::start_with(TestOptions {
        database_url: Some(url.to_string()),
        ..TestOptions::default()
    })
    .await;
    // The development pool is the one created on the source, not a new one.
    assert_eq!(server.pool_id(), source.dev_pool_id);

    // A password (its sealed SRP verifier) still signs in.
    let alice = password_auth(&server, &source.client_id, "alice").await;
    assert!(
        alice["AuthenticationResult"]["IdToken"].is_string(),
        "{alice}"
    );
    let wrong = server
        .json(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": source.client_id,
                "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Wrong-Horse-9!"}}),
        )
        .await;
    assert_eq!(wrong.0, 400, "{}", wrong.1);

    // The pool's signing keys came along: the same JWKS, so tokens signed on the source
    // still verify against it.
    let jwks: Value = server
        .http()
        .get(format!(
            "{}/{}/.well-known/jwks.json",
            server.url(),
            source.pool_id
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks, source.jwks);
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);

    // The refresh token issued on the source still works.
    let refreshed = call(
        &server,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": source.client_id,
            "AuthParameters": {"REFRESH_TOKEN": source.refresh_token}}),
    )
    .await;
    assert!(refreshed["AuthenticationResult"]["AccessToken"].is_string());

    // The sealed client secret opens to the same value.
    let described = call(
        &server,
        "DescribeUserPoolClient",
        json!({"UserPoolId": source.pool_id, "ClientId": source.secret_client_id}),
    )
    .await;
    assert_eq!(
        text(&described["UserPoolClient"]["ClientSecret"]),
        source.client_secret
    );

    // Groups and memberships.
    let groups = call(
        &server,
        "AdminListGroupsForUser",
        json!({"UserPoolId": source.pool_id, "Username": "alice"}),
    )
    .await;
    assert_eq!(groups["Groups"][0]["GroupName"], "admins");

    // The pending sign-up code (a keyed hash) still confirms bob.
    call(
        &server,
        "ConfirmSignUp",
        json!({"ClientId": source.client_id, "Username": "bob",
            "ConfirmationCode": source.signup_code}),
    )
    .await;

    // carol's sealed TOTP secret still answers the MFA challenge.
    let challenged = password_auth(&server, &source.client_id, "carol").await;
    assert_eq!(
        challenged["ChallengeName"], "SOFTWARE_TOKEN_MFA",
        "{challenged}"
    );
    server.clock().advance(Duration::from_secs(60));
    let step = keystep_core::totp::step_at(server.clock().now());
    let done = call(
        &server,
        "RespondToAuthChallenge",
        json!({"ClientId": source.client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": challenged["Session"],
            "ChallengeResponses": {"USERNAME": "carol",
                "SOFTWARE_TOKEN_MFA_CODE": keystep_core::totp::code_at_step(&source.totp_secret, step)}}),
    )
    .await;
    assert!(
        done["AuthenticationResult"]["IdToken"].is_string(),
        "{done}"
    );
    server.stop().await;
}

/// Copies `from` to `to` with the binary twice, checking the printed counts.
fn copy_twice(from: &str, to: &str) {
    let first = migrate(&["--from", from, "--to", to], &[]);
    let out = stdout(&first);
    assert!(
        first.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // Three users in the test pool; source = target = copied, nothing already there.
    assert_eq!(counts(&out, "users"), [3, 3, 3, 0], "{out}");
    assert_eq!(counts(&out, "pools"), [2, 2, 2, 0], "{out}");
    assert_eq!(counts(&out, "app_clients"), [3, 3, 3, 0], "{out}");
    assert_eq!(counts(&out, "group_members"), [1, 1, 1, 0], "{out}");
    assert_eq!(counts(&out, "codes"), [1, 1, 1, 0], "{out}");
    // The development pool (the test server brings its own admin); the signing keys are
    // the signed-in pool's own.
    assert_eq!(counts(&out, "server_secrets"), [1, 1, 1, 0], "{out}");
    assert_eq!(counts(&out, "pool_keys"), [1, 1, 1, 0], "{out}");
    assert_eq!(counts(&out, "refresh_tokens")[..3], [2, 2, 2], "{out}");
    assert!(out.contains("Copied "), "{out}");

    let second = migrate(&["--from", from, "--to", to], &[]);
    let again = stdout(&second);
    assert!(second.status.success(), "{again}");
    assert_eq!(counts(&again, "users"), [3, 3, 0, 3], "{again}");
    assert!(again.contains("Copied 0 rows"), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_copies_sqlite_to_sqlite_and_users_still_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let from = sqlite_url(&dir.path().join("source.db"));
    let to = sqlite_url(&dir.path().join("copy").join("keystep.db"));
    let source = fill(&from).await;
    copy_twice(&from, &to);
    assert_works_on(&to, &source).await;
}

#[test]
fn migrate_alone_brings_the_serve_database_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let out = migrate(&[], &[("KEYSTEP_DATA_DIR", data_dir.to_str().unwrap())]);
    assert!(out.status.success(), "{:?}", out);
    assert!(stdout(&out).contains("schema is up to date"));
    assert!(data_dir.join("keystep.db").exists());

    let elsewhere = dir.path().join("elsewhere.db");
    let url = sqlite_url(&elsewhere);
    let out = migrate(&[], &[("KEYSTEP_DATABASE_URL", url.as_str())]);
    assert!(out.status.success(), "{:?}", out);
    assert!(elsewhere.exists());
}

#[test]
fn migrate_refuses_a_missing_source_and_a_bad_url() {
    let dir = tempfile::tempdir().unwrap();
    let missing = sqlite_url(&dir.path().join("missing.db"));
    let to = sqlite_url(&dir.path().join("to.db"));
    let out = migrate(&["--from", &missing, "--to", &to], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no SQLite database"), "{err}");
    assert!(!dir.path().join("missing.db").exists());

    let out = migrate(&["--to", "mysql://root:hunter2@localhost/db"], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsupported database URL"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: set KEYSTEP_TEST_DATABASE_URL (scripts/test then runs it)"]
async fn migrate_copies_sqlite_to_postgres_and_users_still_sign_in() {
    let Some(base) = std::env::var("KEYSTEP_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        panic!("KEYSTEP_TEST_DATABASE_URL is not set: this test needs PostgreSQL");
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let schema = format!("keystep_migrate_{}_{nanos}", std::process::id());
    let mut admin = PgConnection::connect(&base).await.unwrap();
    admin
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let to = format!("{base}{sep}options=-csearch_path%3D{schema}");

    let outcome = tokio::spawn(async move {
        let dir = tempfile::tempdir().unwrap();
        let from = sqlite_url(&dir.path().join("source.db"));
        let source = fill(&from).await;
        copy_twice(&from, &to);
        assert_works_on(&to, &source).await;
    })
    .await;
    admin
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .unwrap();
    let _ = admin.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
