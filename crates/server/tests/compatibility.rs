//! `docs/compatibility.md`, generated and checked: every operation of the pinned service
//! model (`spec/model/cognito-idp.json`, written by `scripts/model-facts.py` from the
//! botocore of the Python lock) with its status, found through HTTP against a running
//! server — built (answers something other than `UnsupportedOperationException`), or
//! refused with the reason the catalogue gives — and the test files that call it.
//!
//! Fails when an operation is neither built nor refused with a reason, when a built
//! operation has no test that names it, or when the document is stale. Regenerate with
//! `KEYSTEP_BLESS=1 cargo test -p keystep-server --test compatibility`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use keystep_server::catalog;
use keystep_testkit::TestServer;
use serde_json::{json, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// botocore's method name for an operation (`GetCSVHeader` → `get_csv_header`).
fn snake(op: &str) -> String {
    let chars: Vec<char> = op.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Every test source: Rust integration tests, the Python and the JavaScript suites.
fn test_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![repo().join("tests/python"), repo().join("tests/js")];
    for krate in std::fs::read_dir(repo().join("crates")).unwrap() {
        dirs.push(krate.unwrap().path().join("tests"));
    }
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name != "node_modules" && name != "__pycache__" {
                    dirs.push(path);
                }
            } else if [".rs", ".py", ".mjs"].iter().any(|e| name.ends_with(e))
                && name != "compatibility.rs"
            {
                let rel = path
                    .strip_prefix(repo())
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace("crates/../", "");
                files.push((rel, std::fs::read_to_string(&path).unwrap_or_default()));
            }
        }
    }
    files.sort();
    files
}

/// Whether `text` has `word` not run into a longer identifier on either side.
fn has_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// The test files that call `op`: by its name (Rust, `callCognito`), its AWS SDK for
/// JavaScript command, or its botocore / AWS SDK for Rust method.
fn tests_naming(op: &str, sources: &[(String, String)]) -> Vec<String> {
    let snake = snake(op);
    let command = format!("{op}Command");
    sources
        .iter()
        .filter(|(_, text)| {
            has_word(text, op)
                && (text.contains(&format!("\"{op}\"")) || text.contains(&format!("'{op}'")))
                || has_word(text, &command)
                || has_word(text, &snake)
        })
        .map(|(path, _)| path.clone())
        .collect()
}

#[tokio::test]
async fn every_operation_is_built_and_tested_or_refused_with_a_reason() {
    let facts: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("spec/model/cognito-idp.json")).unwrap(),
    )
    .unwrap();
    let model: &serde_json::Map<String, Value> = facts["operations"].as_object().unwrap();
    let ops: Vec<&str> = model.keys().map(String::as_str).collect();
    assert_eq!(
        ops,
        catalog::KNOWN_OPERATIONS,
        "the catalogue follows the pinned model"
    );
    let unsigned: Vec<&str> = model
        .iter()
        .filter(|(_, o)| o["signed"] == false)
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(unsigned, catalog::UNSIGNED_OPERATIONS);

    let server = TestServer::start().await;
    let sources = test_sources();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut counts = BTreeMap::new();
    for op in &ops {
        let signed = model[*op]["signed"] == true;
        let resp = if signed {
            server.call_signed(op, &json!({})).await
        } else {
            server.call(op, &json!({})).await
        };
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        let refused = body["__type"] == "UnsupportedOperationException"
            && body["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(&format!("Keystep does not support {op}")));
        let reason = catalog::refusal_reason(op);
        let tested = tests_naming(op, &sources);
        let status = match (refused, reason) {
            (true, Some(why)) => format!("refused: {why}"),
            (false, None) => {
                if tested.is_empty() {
                    problems.push(format!("{op} is built but no test names it"));
                }
                "built".to_string()
            }
            (true, None) => {
                problems.push(format!(
                    "{op} is refused without a reason in catalog::REFUSED"
                ));
                "refused".to_string()
            }
            (false, Some(_)) => {
                problems.push(format!("{op} is built but catalog::REFUSED lists it"));
                "built".to_string()
            }
        };
        *counts
            .entry(if refused { "refused" } else { "built" })
            .or_insert(0) += 1;
        let shown: Vec<String> = tested.iter().take(4).map(|t| format!("`{t}`")).collect();
        let more = tested.len().saturating_sub(4);
        let tests = match (shown.is_empty(), more) {
            (true, _) => "—".to_string(),
            (false, 0) => shown.join(", "),
            (false, n) => format!("{} and {n} more", shown.join(", ")),
        };
        rows.push(format!(
            "| `{op}` | {} | {status} | {tests} |",
            if signed { "SigV4" } else { "unsigned" }
        ));
    }
    let doc = format!(
        "# Compatibility with the Cognito user-pool API\n\n\
         Generated by `crates/server/tests/compatibility.rs` from the pinned service model \
         `spec/model/cognito-idp.json` ({source}, written by `scripts/model-facts.py`); do not \
         edit by hand — regenerate with `KEYSTEP_BLESS=1 cargo test -p keystep-server --test \
         compatibility`. CI fails when an operation is neither built (and named by a test) nor \
         refused with a reason, or when this file is stale.\n\n\
         Status is found through HTTP: an operation is *built* when a request to it answers \
         anything but `UnsupportedOperationException`; a *refused* one answers \
         `UnsupportedOperationException` with the reason below. \"Tests\" are the test files \
         that call it by name (Rust, boto3, the AWS SDK for JavaScript); operations run through \
         Amplify, pycognito or the Rust client are exercised more widely than listed.\n\n\
         {} operations: {} built, {} refused.\n\n\
         | Operation | Auth | Status | Tests |\n|---|---|---|---|\n{}\n",
        ops.len(),
        counts.get("built").copied().unwrap_or(0),
        counts.get("refused").copied().unwrap_or(0),
        rows.join("\n"),
        source = facts["source"].as_str().unwrap_or("?"),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let path = repo().join("docs/compatibility.md");
    if std::env::var_os("KEYSTEP_BLESS").is_some() {
        std::fs::write(&path, &doc).unwrap();
    } else {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == doc,
            "docs/compatibility.md is stale: run KEYSTEP_BLESS=1 cargo test -p keystep-server --test compatibility"
        );
    }
}

#[test]
fn botocore_method_names() {
    assert_eq!(snake("AdminCreateUser"), "admin_create_user");
    assert_eq!(snake("GetCSVHeader"), "get_csv_header");
    assert_eq!(snake("SetUserMFAPreference"), "set_user_mfa_preference");
    assert_eq!(
        snake("UpdateClientMetadataURLState"),
        "update_client_metadata_url_state"
    );
    assert_eq!(snake("ListCIMDPolicies"), "list_cimd_policies");
}
