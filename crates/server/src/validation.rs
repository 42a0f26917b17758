//! Cognito's input validation, from the pinned service model (`spec/model/cognito-idp.json`):
//! before an operation runs, each top-level member is checked against the model's
//! constraints — present when required, string and list lengths, number ranges, enum
//! values — and every violation is reported the way AWS services word them:
//!
//! ```text
//! 2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint:
//! Member must not be null; Value '61' at 'maxResults' failed to satisfy constraint:
//! Member must have value less than or equal to 60
//! ```
//!
//! A sensitive member's value is never repeated (`Value at 'password' …`), as in Cognito,
//! so no secret reaches a message or a log. Patterns are left to the operations: the model
//! does not say whether they must match whole values, and the operations that care check
//! their own (usernames, pool ids).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

/// The pinned model, compiled into the binary.
const MODEL: &str = include_str!("../../../spec/model/cognito-idp.json");

/// One input member's constraints.
#[derive(Debug, Clone)]
struct Member {
    /// As errors name it: the first letter lowercased.
    wire: String,
    kind: String,
    required: bool,
    min: Option<f64>,
    max: Option<f64>,
    values: Option<Vec<String>>,
    sensitive: bool,
}

type Model = HashMap<String, Vec<(String, Member)>>;

fn model() -> &'static Model {
    static PARSED: OnceLock<Model> = OnceLock::new();
    PARSED.get_or_init(|| {
        let Ok(root) = serde_json::from_str::<Value>(MODEL) else {
            return HashMap::new();
        };
        let mut out = HashMap::new();
        let Some(ops) = root.get("operations").and_then(Value::as_object) else {
            return out;
        };
        for (op, facts) in ops {
            let Some(input) = facts.get("input").and_then(Value::as_object) else {
                continue;
            };
            let mut members: Vec<(String, Member)> = input
                .iter()
                .map(|(name, m)| {
                    let mut wire = name.clone();
                    if let Some(first) = wire.get(..1) {
                        wire.replace_range(..1, &first.to_ascii_lowercase());
                    }
                    let member = Member {
                        wire,
                        kind: m["type"].as_str().unwrap_or_default().to_string(),
                        required: m["required"].as_bool().unwrap_or(false),
                        min: m.get("min").and_then(Value::as_f64),
                        max: m.get("max").and_then(Value::as_f64),
                        values: m.get("enum").and_then(Value::as_array).map(|v| {
                            v.iter()
                                .filter_map(|s| s.as_str().map(str::to_string))
                                .collect()
                        }),
                        sensitive: m.get("sensitive").and_then(Value::as_bool).unwrap_or(false),
                    };
                    (name.clone(), member)
                })
                .collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            out.insert(op.clone(), members);
        }
        out
    })
}

/// How a value is quoted in a message: `Value 'x'`, or `Value` alone for a sensitive
/// member or a structure.
fn shown(member: &Member, value: &Value) -> String {
    if member.sensitive {
        return "Value".into();
    }
    match value {
        Value::String(s) => format!("Value '{}'", s.chars().take(256).collect::<String>()),
        Value::Number(n) => format!("Value '{n}'"),
        Value::Bool(b) => format!("Value '{b}'"),
        _ => "Value".into(),
    }
}

/// The violations of one member, as message parts.
fn violations(member: &Member, value: Option<&Value>, out: &mut Vec<String>) {
    let value = match value {
        None | Some(Value::Null) => {
            if member.required {
                out.push(format!(
                    "Value null at '{}' failed to satisfy constraint: Member must not be null",
                    member.wire
                ));
            }
            return;
        }
        Some(v) => v,
    };
    let fail = |constraint: String| {
        format!(
            "{} at '{}' failed to satisfy constraint: {constraint}",
            shown(member, value),
            member.wire
        )
    };
    let length = match (member.kind.as_str(), value) {
        ("string", Value::String(s)) => Some(s.chars().count() as f64),
        ("list", Value::Array(a)) => Some(a.len() as f64),
        ("map", Value::Object(o)) => Some(o.len() as f64),
        _ => None,
    };
    if let Some(len) = length {
        if let Some(max) = member.max.filter(|max| len > *max) {
            out.push(fail(format!(
                "Member must have length less than or equal to {max}"
            )));
        }
        if let Some(min) = member.min.filter(|min| len < *min) {
            out.push(fail(format!(
                "Member must have length greater than or equal to {min}"
            )));
        }
    }
    if let ("integer", Some(n)) = (member.kind.as_str(), value.as_f64()) {
        if let Some(max) = member.max.filter(|max| n > *max) {
            out.push(fail(format!(
                "Member must have value less than or equal to {max}"
            )));
        }
        if let Some(min) = member.min.filter(|min| n < *min) {
            out.push(fail(format!(
                "Member must have value greater than or equal to {min}"
            )));
        }
    }
    if let (Some(values), Value::String(s)) = (&member.values, value) {
        if !values.iter().any(|v| v == s) {
            out.push(fail(format!(
                "Member must satisfy enum value set: [{}]",
                values.join(", ")
            )));
        }
    }
}

/// Checks a request of `op` against the model; the message of the refusal when it breaks
/// a constraint. A body that is not a JSON object is left to the decoder.
pub fn check(op: &str, body: &Value) -> Result<(), String> {
    let Some(members) = model().get(op) else {
        return Ok(());
    };
    let Some(object) = body.as_object() else {
        return Ok(());
    };
    let mut found = Vec::new();
    for (name, member) in members {
        violations(member, object.get(name), &mut found);
    }
    match found.len() {
        0 => Ok(()),
        1 => Err(format!("1 validation error detected: {}", found[0])),
        n => Err(format!(
            "{n} validation errors detected: {}",
            found.join("; ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_operation_of_the_model_is_known() {
        assert_eq!(model().len(), 153);
    }

    #[test]
    fn missing_required_members_and_bounds_are_reported_as_aws_words_them() {
        let e = check("ListUserImportJobs", &json!({"MaxResults": 61})).unwrap_err();
        assert_eq!(
            e,
            "2 validation errors detected: Value '61' at 'maxResults' failed to satisfy \
             constraint: Member must have value less than or equal to 60; Value null at \
             'userPoolId' failed to satisfy constraint: Member must not be null"
        );
        let e = check("ListUsers", &json!({"UserPoolId": "", "Limit": 61})).unwrap_err();
        assert!(e.starts_with("2 validation errors detected: "), "{e}");
        assert!(e.contains("Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{e}");
        assert!(check("ListUsers", &json!({"UserPoolId": "us-east-1_abc"})).is_ok());
    }

    #[test]
    fn enums_and_sensitive_members() {
        let e = check(
            "SetUserPoolSessionConfiguration",
            &json!({"UserPoolId": "us-east-1_a", "UserSessionTracking": "MAYBE", "TokenSession": {}}),
        )
        .unwrap_err();
        assert!(
            e.ends_with("Member must satisfy enum value set: [ENABLED, DISABLED]"),
            "{e}"
        );
        let long = "x".repeat(300);
        let e = check(
            "SignUp",
            &json!({"ClientId": "c", "Username": "u", "Password": long}),
        )
        .unwrap_err();
        assert!(e.contains("Value at 'password'"), "{e}");
        assert!(
            !e.contains("xxx"),
            "a sensitive value is never repeated: {e}"
        );
    }

    #[test]
    fn other_bodies_are_left_to_the_decoder() {
        assert!(check("ListUsers", &json!([1, 2])).is_ok());
        assert!(check("NoSuchOperation", &json!({})).is_ok());
    }
}
