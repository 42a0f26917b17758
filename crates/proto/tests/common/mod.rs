//! Helpers shared by the wire tests.

// Test helpers are not `#[test]` functions, so the workspace's test exemptions do not reach them.
#![allow(clippy::unwrap_used, clippy::panic)]

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Parse `json` into `T`, serialise it again and check the output equals the input exactly:
/// every member survives under its wire name, nothing is added, and no `null` is written.
pub fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> T {
    let input: Value = serde_json::from_str(json).unwrap();
    let parsed: T = serde_json::from_value(input.clone()).unwrap();
    let output = serde_json::to_value(&parsed).unwrap();
    assert_eq!(output, input, "round trip changed the document");
    assert_no_null(&output);
    parsed
}

/// Serialise `value` and check no member is written as `null`.
pub fn to_json<T: Serialize>(value: &T) -> Value {
    let output = serde_json::to_value(value).unwrap();
    assert_no_null(&output);
    output
}

fn assert_no_null(value: &Value) {
    match value {
        Value::Null => panic!("null in serialised output"),
        Value::Array(items) => items.iter().for_each(assert_no_null),
        Value::Object(members) => members.values().for_each(assert_no_null),
        _ => {}
    }
}
