//! User attributes: the standard schema, and the rules for names and values.

use std::collections::BTreeMap;

use crate::error::AuthError;
use crate::pool::{AttributeDataType, SchemaAttribute, UserPool};

/// A user's attributes, name to string value (`sub` excluded: it lives on the user).
pub type Attributes = BTreeMap<String, String>;

/// The longest value Cognito stores for a string attribute.
pub const MAX_ATTRIBUTE_VALUE: usize = 2048;

/// The standard attributes every pool has, as Cognito lists them.
pub fn standard_schema() -> Vec<SchemaAttribute> {
    let s = |name: &str| SchemaAttribute {
        name: name.to_string(),
        data_type: AttributeDataType::String,
        developer_only: false,
        mutable: true,
        required: false,
        min_length: Some(0),
        max_length: Some(2048),
        min_value: None,
        max_value: None,
    };
    let mut v: Vec<SchemaAttribute> = [
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "profile",
        "picture",
        "website",
        "email",
        "gender",
        "birthdate",
        "zoneinfo",
        "locale",
        "phone_number",
        "address",
    ]
    .iter()
    .map(|n| s(n))
    .collect();
    // Cognito lists `birthdate` as exactly ten characters (YYYY-MM-DD).
    if let Some(birthdate) = v.iter_mut().find(|a| a.name == "birthdate") {
        birthdate.min_length = Some(10);
        birthdate.max_length = Some(10);
    }
    let mut sub = s("sub");
    sub.mutable = false;
    sub.required = true;
    sub.min_length = Some(1);
    v.insert(0, sub);
    for flag in ["email_verified", "phone_number_verified"] {
        v.push(SchemaAttribute {
            data_type: AttributeDataType::Boolean,
            min_length: None,
            max_length: None,
            ..s(flag)
        });
    }
    v.push(SchemaAttribute {
        data_type: AttributeDataType::Number,
        min_length: None,
        max_length: None,
        min_value: Some(0),
        max_value: None,
        ..s("updated_at")
    });
    v
}

/// Whether `name` is one of the standard attribute names.
pub fn is_standard(name: &str) -> bool {
    standard_schema().iter().any(|a| a.name == name)
}

/// Checks one attribute against the pool schema: the attribute must exist, be writable
/// (`sub` never is), and its value must fit its type and bounds.
pub fn check_attribute(pool: &UserPool, name: &str, value: &str) -> Result<(), AuthError> {
    if name == "sub" {
        return Err(AuthError::InvalidParameter(
            "Cannot modify the non-mutable attribute sub".into(),
        ));
    }
    let Some(def) = pool.attribute(name) else {
        return Err(AuthError::InvalidParameter(format!(
            "Attributes did not conform to the schema: {name}: Attribute does not exist in the schema."
        )));
    };
    if value.len() > MAX_ATTRIBUTE_VALUE {
        return Err(AuthError::InvalidParameter(format!(
            "Attributes did not conform to the schema: {name}: String must be no longer than {MAX_ATTRIBUTE_VALUE} characters"
        )));
    }
    match def.data_type {
        AttributeDataType::String | AttributeDataType::DateTime => {
            let len = value.chars().count() as u32;
            if let Some(max) = def.max_length {
                if len > max {
                    return Err(AuthError::InvalidParameter(format!(
                        "Attributes did not conform to the schema: {name}: String must be no longer than {max} characters"
                    )));
                }
            }
            if let Some(min) = def.min_length {
                if len < min {
                    return Err(AuthError::InvalidParameter(format!(
                        "Attributes did not conform to the schema: {name}: String must be no shorter than {min} characters"
                    )));
                }
            }
        }
        AttributeDataType::Number => {
            let n: i64 = value.parse().map_err(|_| {
                AuthError::InvalidParameter(format!(
                    "Attributes did not conform to the schema: {name}: Number must be a number"
                ))
            })?;
            if def.min_value.is_some_and(|m| n < m) || def.max_value.is_some_and(|m| n > m) {
                return Err(AuthError::InvalidParameter(format!(
                    "Attributes did not conform to the schema: {name}: Number is out of range"
                )));
            }
        }
        AttributeDataType::Boolean => {
            if value != "true" && value != "false" {
                return Err(AuthError::InvalidParameter(format!(
                    "Attributes did not conform to the schema: {name}: Value must be true or false"
                )));
            }
        }
    }
    if name == "email" && !looks_like_email(value) {
        return Err(AuthError::InvalidParameter(
            "Invalid email address format.".into(),
        ));
    }
    if name == "phone_number" && !looks_like_phone(value) {
        return Err(AuthError::InvalidParameter(
            "Invalid phone number format.".into(),
        ));
    }
    Ok(())
}

/// A loose e-mail shape check: one `@`, text on both sides, no spaces.
pub fn looks_like_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((l, r)) => !l.is_empty() && !r.is_empty() && !r.contains('@') && !v.contains(' '),
        None => false,
    }
}

/// E.164: `+` then 1 to 15 digits... Cognito requires the `+`.
pub fn looks_like_phone(v: &str) -> bool {
    let Some(digits) = v.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

/// The masked destination Cognito shows in `CodeDeliveryDetails`: `a***@e***` for an
/// e-mail, `+*******1234` for a phone number.
pub fn mask_destination(value: &str) -> String {
    if let Some((local, domain)) = value.split_once('@') {
        let l = local.chars().next().map(String::from).unwrap_or_default();
        let d = domain.chars().next().map(String::from).unwrap_or_default();
        return format!("{l}***@{d}***");
    }
    let digits: Vec<char> = value.chars().collect();
    let keep = digits.len().saturating_sub(4);
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep && c.is_ascii_digit() {
                '*'
            } else {
                *c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_cognito() {
        assert_eq!(mask_destination("jane@example.com"), "j***@e***");
        assert_eq!(mask_destination("+15555551234"), "+*******1234");
    }

    #[test]
    fn phone_must_be_e164() {
        assert!(looks_like_phone("+15555551234"));
        assert!(!looks_like_phone("5555551234"));
        assert!(!looks_like_phone("+1555abc"));
    }
}
