//! End-to-end: secrets stay secret.
//!
//! Drives sign-up (a distinctive password), AdminCreateUser (distinctive temporary
//! passwords, one suppressed, one given and sent, one generated and sent),
//! AdminSetUserPassword, confirmation codes and an admin reset code through the official
//! SDK, then reads the raw SQLite database file (and its WAL) and every log line the
//! server emitted, and asserts:
//!
//! * a password the server never sends (sign-up, suppressed temporary, admin-set), and an
//!   identity provider's client secret (which only Describe gives back), appears nowhere:
//!   not in the database bytes, not in the logs, neither plain nor hex nor base64;
//! * a code or temporary password the server sends appears only in the outbox's own
//!   records: never in another table (code store, user rows, ...), never in the logs.
//!
//! Logs are captured in-process: this test binary installs a global `tracing` subscriber
//! at TRACE level (every target, `log` records included) before the server starts. The
//! outbox's own display on standard output is the documented developer channel and is not
//! a log; the test server keeps it quiet anyway.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider::types::{
    DeliveryMediumType, IdentityProviderTypeType, MessageActionType, VerifiedAttributeType,
};
use base64::Engine;
use e2e_common::{attr, is_code, unique, Env, TestServer};
use sqlx::{Connection, Row};

// Distinctive, policy-compliant, and free of characters JSON or URLs would escape.
const SIGN_UP_PASSWORD: &str = "Qz7-SignUpSecret-Kx41aPw";
const SUPPRESSED_TEMP: &str = "Wv3-SuppressedTemp-Jm82bPw";
const SENT_TEMP: &str = "Hy5-SentTempSecret-Ld93cPw";
const ADMIN_SET: &str = "Nb6-AdminSetSecret-Rt04dPw";
const IDP_CLIENT_SECRET: &str = "Gc8-IdpClientSecret-Vb15ePw";

/// Every formatted log line, shared with the subscriber's writer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Targets of the *client* side running in this same process (the SDK and reqwest log
/// requests, bodies included, at TRACE): not the server's logs, so not captured.
const CLIENT_TARGETS: &[&str] = &[
    "aws_config",
    "aws_credential_types",
    "aws_runtime",
    "aws_sdk_cognitoidentityprovider",
    "aws_sigv4",
    "aws_smithy_async",
    "aws_smithy_http",
    "aws_smithy_http_client",
    "aws_smithy_json",
    "aws_smithy_observability",
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_smithy_types",
    "aws_types",
    "reqwest",
    "hyper_util::client",
];

fn capture_logs() -> Captured {
    let captured = Captured::default();
    let writer = captured.clone();
    let mut filter = tracing_subscriber::EnvFilter::new("trace");
    for target in CLIENT_TARGETS {
        filter = filter.add_directive(format!("{target}=off").parse().unwrap());
    }
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        // No timestamps: their 6-digit microseconds could match a code by chance.
        .without_time()
        .with_writer(move || writer.clone())
        .init();
    captured
}

/// The ways a secret could be written down: plain, hex, and the part of its base64
/// (standard and URL-safe) that does not depend on where it starts in a larger buffer.
fn encodings(secret: &str) -> Vec<Vec<u8>> {
    let bytes = secret.as_bytes();
    let mut forms = vec![
        bytes.to_vec(),
        hex::encode(bytes).into_bytes(),
        hex::encode_upper(bytes).into_bytes(),
    ];
    for engine in [
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ] {
        for shift in 0..3 {
            let mut buf = vec![0u8; shift];
            buf.extend_from_slice(bytes);
            let enc = engine.encode(&buf);
            let start = if shift == 0 { 0 } else { 4 };
            let end = 4 * ((shift + bytes.len()) / 3);
            forms.push(enc.as_bytes()[start..end].to_vec());
        }
    }
    forms
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return Vec::new();
    }
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// Occurrences of a numeric code that are not part of a longer run of digits.
fn find_code(haystack: &[u8], code: &str) -> Vec<usize> {
    find_all(haystack, code.as_bytes())
        .into_iter()
        .filter(|&i| {
            let before = i.checked_sub(1).map(|j| haystack[j]);
            let after = haystack.get(i + code.len()).copied();
            !before.is_some_and(|b| b.is_ascii_digit())
                && !after.is_some_and(|b| b.is_ascii_digit())
        })
        .collect()
}

fn find_secret(haystack: &[u8], secret: &str) -> Option<String> {
    encodings(secret).into_iter().find_map(|form| {
        find_all(haystack, &form)
            .first()
            .map(|i| format!("{:?} at byte {i}", String::from_utf8_lossy(&form)))
    })
}

/// The database file and its companions (`-wal`, `-journal`), as raw bytes.
fn database_bytes(db: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = db.parent().expect("database directory");
    let stem = db.file_name().unwrap().to_string_lossy().into_owned();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(&stem) && !name.ends_with("-shm") {
            files.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    assert!(
        files.iter().any(|(p, _)| p == db),
        "the database file {} is missing",
        db.display()
    );
    files
}

/// Every cell of every table, as bytes, read through SQLite itself (read-only).
async fn table_cells(db: &Path) -> Vec<(String, Vec<u8>)> {
    let url = format!("sqlite://{}?mode=ro", db.display());
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("open the db read-only");
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    let mut cells = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info(\"{table}\")"))
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect();
        let select = columns
            .iter()
            .map(|c| format!("hex(CAST(\"{c}\" AS BLOB))"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!("SELECT {select} FROM \"{table}\""))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for row in rows {
            for (i, column) in columns.iter().enumerate() {
                let h: Option<String> = row.get(i);
                let bytes = hex::decode(h.unwrap_or_default()).unwrap();
                cells.push((format!("{table}.{column}"), bytes));
            }
        }
    }
    cells
}

/// What the server sent: the secret it carries and the message text around it.
struct Sent {
    what: &'static str,
    secret: String,
    body: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_and_codes_never_leak() {
    let logs = capture_logs();
    let server = TestServer::start().await;
    let db = server.db_path().to_path_buf();
    let env = Env::with_server(server);
    let idp = &env.idp;

    let pid = idp
        .create_user_pool()
        .pool_name(unique("secrets"))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let cid = idp
        .create_user_pool_client()
        .user_pool_id(&pid)
        .client_name("secrets-app")
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_string();
    let mut sent: Vec<Sent> = Vec::new();
    let mut take = |entry: &e2e_common::Outbox, what: &'static str| {
        let secret = entry.code.clone().expect("the message carries a secret");
        sent.push(Sent {
            what,
            secret: secret.clone(),
            body: entry.body.clone(),
        });
        secret
    };

    // Sign-up with a password, a confirmation code, a resent code.
    idp.sign_up()
        .client_id(&cid)
        .username("sam")
        .password(SIGN_UP_PASSWORD)
        .user_attributes(attr("email", "sam@example.com"))
        .send()
        .await
        .unwrap();
    let first = env.outbox(&pid, Some("sam")).await;
    let first_code = take(first.last().unwrap(), "sign-up code");
    idp.resend_confirmation_code()
        .client_id(&cid)
        .username("sam")
        .send()
        .await
        .unwrap();
    let resent = env.outbox(&pid, Some("sam")).await;
    let code = take(resent.last().unwrap(), "resent code");
    assert!(is_code(&first_code) && is_code(&code));
    idp.confirm_sign_up()
        .client_id(&cid)
        .username("sam")
        .confirmation_code(&code)
        .send()
        .await
        .unwrap();

    // A suppressed temporary password, then an admin-set permanent one.
    idp.admin_create_user()
        .user_pool_id(&pid)
        .username("tina")
        .temporary_password(SUPPRESSED_TEMP)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", "tina@example.com"))
        .send()
        .await
        .unwrap();
    idp.admin_set_user_password()
        .user_pool_id(&pid)
        .username("tina")
        .password(ADMIN_SET)
        .permanent(true)
        .send()
        .await
        .unwrap();

    // A given temporary password, sent; a generated one, sent.
    idp.admin_create_user()
        .user_pool_id(&pid)
        .username("uma")
        .temporary_password(SENT_TEMP)
        .user_attributes(attr("email", "uma@example.com"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let uma = env.outbox(&pid, Some("uma")).await;
    assert_eq!(take(&uma[0], "given temporary password"), SENT_TEMP);
    idp.admin_create_user()
        .user_pool_id(&pid)
        .username("vic")
        .user_attributes(attr("email", "vic@example.com"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let vic = env.outbox(&pid, Some("vic")).await;
    let generated = take(&vic[0], "generated temporary password");
    assert!(generated.len() >= 8);

    // An admin reset sends a password-reset code.
    idp.admin_update_user_attributes()
        .user_pool_id(&pid)
        .username("tina")
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    idp.admin_reset_user_password()
        .user_pool_id(&pid)
        .username("tina")
        .send()
        .await
        .unwrap();
    let tina = env.outbox(&pid, Some("tina")).await;
    assert_eq!(tina.len(), 1, "only the reset code went to tina");
    let reset = take(&tina[0], "reset code");
    assert!(is_code(&reset));

    // An identity provider's client secret is stored sealed and logged nowhere, though
    // Describe gives it back (as Cognito does).
    idp.create_identity_provider()
        .user_pool_id(&pid)
        .provider_name("Corp")
        .provider_type(IdentityProviderTypeType::Oidc)
        .provider_details("client_id", "corp-client")
        .provider_details("client_secret", IDP_CLIENT_SECRET)
        .provider_details("authorize_scopes", "openid email")
        .provider_details("oidc_issuer", "https://idp.corp.example.com")
        .provider_details("attributes_request_method", "GET")
        .send()
        .await
        .unwrap();
    let described = idp
        .describe_identity_provider()
        .user_pool_id(&pid)
        .provider_name("Corp")
        .send()
        .await
        .unwrap();
    let details = described
        .identity_provider()
        .and_then(|p| p.provider_details())
        .unwrap();
    assert_eq!(
        details.get("client_secret").map(String::as_str),
        Some(IDP_CLIENT_SECRET)
    );

    let never_sent = [
        SIGN_UP_PASSWORD,
        SUPPRESSED_TEMP,
        ADMIN_SET,
        IDP_CLIENT_SECRET,
    ];

    // ---- the database, through SQLite ----
    let cells = table_cells(&db).await;
    let outbox_tables: std::collections::BTreeSet<_> = cells
        .iter()
        .filter_map(|(c, _)| c.split_once('.').map(|(t, _)| t))
        .filter(|t| t.contains("outbox"))
        .collect();
    assert_eq!(
        outbox_tables.len(),
        1,
        "one outbox table: {outbox_tables:?}"
    );
    let outbox_table = format!("{}.", outbox_tables.iter().next().unwrap());
    for s in &sent {
        // Positive control: the outbox does hold what was sent.
        assert!(
            cells.iter().any(|(c, v)| c.starts_with(&outbox_table)
                && !find_all(v, s.secret.as_bytes()).is_empty()),
            "the outbox table does not hold the {} (is the search broken?)",
            s.what
        );
        for (column, value) in cells.iter().filter(|(c, _)| !c.starts_with(&outbox_table)) {
            let hits = if is_code(&s.secret) {
                find_code(value, &s.secret)
            } else {
                find_all(value, s.secret.as_bytes())
            };
            assert!(hits.is_empty(), "the {} is stored in {column}", s.what);
            if !is_code(&s.secret) {
                assert_eq!(
                    find_secret(value, &s.secret),
                    None,
                    "{column} holds the {}",
                    s.what
                );
            }
        }
    }
    for secret in never_sent {
        for (column, value) in &cells {
            assert_eq!(
                find_secret(value, secret),
                None,
                "{column} holds a password"
            );
        }
    }

    // ---- the database, as raw file bytes ----
    let files = database_bytes(&db);
    // Positive control: the raw bytes do hold the outbox's copy of a sent secret.
    assert!(
        files
            .iter()
            .any(|(_, bytes)| !find_all(bytes, SENT_TEMP.as_bytes()).is_empty()),
        "the database files do not hold the outbox record (wrong file? search broken?)"
    );
    for (path, bytes) in &files {
        for secret in never_sent {
            assert_eq!(
                find_secret(bytes, secret),
                None,
                "{} contains a password",
                path.display()
            );
        }
        // A sent secret may appear only inside an outbox record: next to the text of the
        // message that carried it (the outbox row stores the code beside its body).
        for s in &sent {
            let hits = if is_code(&s.secret) {
                find_code(bytes, &s.secret)
            } else {
                find_all(bytes, s.secret.as_bytes())
            };
            for i in hits {
                let lo = i.saturating_sub(1024);
                let hi = (i + 1024).min(bytes.len());
                assert!(
                    !find_all(&bytes[lo..hi], s.body.as_bytes()).is_empty(),
                    "{} holds the {} at byte {i} outside an outbox record",
                    path.display(),
                    s.what
                );
            }
            if !is_code(&s.secret) {
                for form in encodings(&s.secret).iter().skip(1) {
                    assert!(
                        find_all(bytes, form).is_empty(),
                        "{} holds an encoded {}",
                        path.display(),
                        s.what
                    );
                }
            }
        }
    }

    // ---- the logs ----
    let captured = logs.0.lock().unwrap().clone();
    if let Some(path) = std::env::var_os("KEYSTEP_TEST_LOG_DUMP") {
        // For a human to read what was captured.
        std::fs::write(path, &captured).unwrap();
    }
    let text = String::from_utf8_lossy(&captured);
    assert!(
        text.contains(&pid),
        "the capture holds no log line about the pool: is logging captured at all?"
    );
    for secret in never_sent {
        assert_eq!(
            find_secret(&captured, secret),
            None,
            "a password was logged"
        );
    }
    assert_eq!(
        find_secret(&captured, &env.secret_key),
        None,
        "the admin secret access key was logged"
    );
    for s in &sent {
        let hits = if is_code(&s.secret) {
            find_code(&captured, &s.secret)
        } else {
            find_all(&captured, s.secret.as_bytes())
        };
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(&s.secret))
            .take(3)
            .collect();
        assert!(hits.is_empty(), "the {} was logged: {lines:?}", s.what);
        if !is_code(&s.secret) {
            assert_eq!(
                find_secret(&captured, &s.secret),
                None,
                "the {} was logged",
                s.what
            );
        }
    }
}
