//! The parts of a row that are not plain columns: nested domain structs as JSON text,
//! enums as their stable names. Shared by both backends.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use keystep_core::code::CodePurpose;
use keystep_core::keys::Sealed;
use keystep_core::message::{Medium, MessagePurpose};
use keystep_core::pool::AliasKind;
use keystep_core::user::{MfaSettings, User, UserStatus};
use keystep_core::Millis;

use crate::error::{corrupt, Fail};

/// Serialises a nested struct for a TEXT column.
pub(crate) fn to_json<T: Serialize>(value: &T, what: &str) -> Result<String, Fail> {
    serde_json::to_string(value).map_err(|e| corrupt(what, e))
}

/// Reads a nested struct back from a TEXT column.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, Fail> {
    serde_json::from_str(text).map_err(|e| corrupt(what, e))
}

/// The secret-bearing part of a user, kept in the `users.secrets` column. Everything in
/// it that is secret is already sealed by the domain. (Rows written before schema 2 also
/// hold a `lockout`: lockouts are abuse counters now, and the old field is ignored.)
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub(crate) struct UserSecrets {
    pub password: Option<Sealed>,
    pub password_set_at: Option<Millis>,
    pub mfa: MfaSettings,
    pub tokens_valid_after: Option<Millis>,
    /// Older rows have none.
    #[serde(default)]
    pub pending_attributes: std::collections::BTreeMap<String, String>,
    /// Older rows have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub password_history: Vec<Sealed>,
}

impl UserSecrets {
    /// The secrets of `user`.
    pub fn of(user: &User) -> UserSecrets {
        UserSecrets {
            password: user.password.clone(),
            password_set_at: user.password_set_at,
            mfa: user.mfa.clone(),
            tokens_valid_after: user.tokens_valid_after,
            pending_attributes: user.pending_attributes.clone(),
            password_history: user.password_history.clone(),
        }
    }
}

/// The stored name of an alias kind: the attribute it comes from.
pub(crate) fn alias_kind_name(kind: AliasKind) -> &'static str {
    kind.attribute()
}

/// The `Conflict` name for a taken alias: `alias:email`, `alias:phone_number`...
pub(crate) fn alias_conflict(kind: AliasKind) -> String {
    format!("alias:{}", kind.attribute())
}

/// Parses a stored user status.
pub(crate) fn user_status(s: &str) -> Result<UserStatus, Fail> {
    UserStatus::parse(s).ok_or_else(|| corrupt("user status", s))
}

/// Parses a stored code purpose.
pub(crate) fn code_purpose(s: &str) -> Result<CodePurpose, Fail> {
    CodePurpose::parse(s).ok_or_else(|| corrupt("code purpose", s))
}

/// Parses a stored medium (`SMS` / `EMAIL`).
pub(crate) fn medium(s: &str) -> Result<Medium, Fail> {
    match s {
        "SMS" => Ok(Medium::Sms),
        "EMAIL" => Ok(Medium::Email),
        _ => Err(corrupt("message medium", s)),
    }
}

/// Parses a stored message purpose.
pub(crate) fn message_purpose(s: &str) -> Result<MessagePurpose, Fail> {
    use MessagePurpose::*;
    [
        SignUp,
        ResendCode,
        ForgotPassword,
        AdminCreateUser,
        VerifyUserAttribute,
        UpdateUserAttribute,
        Authentication,
    ]
    .into_iter()
    .find(|p| p.as_str() == s)
    .ok_or_else(|| corrupt("message purpose", s))
}

/// A stored non-negative counter as `u32`.
pub(crate) fn count(n: i64, what: &str) -> Result<u32, Fail> {
    u32::try_from(n).map_err(|_| corrupt(what, n))
}

/// A page size as SQL wants it: at least one, and one more than asked for, so we know
/// whether more remain.
pub(crate) fn probe_limit(limit: u32) -> i64 {
    i64::from(limit.max(1)) + 1
}

/// Cuts `items` (fetched with [`probe_limit`]) to `limit` and names the key to continue
/// after when more remain.
pub(crate) fn page<T>(
    mut items: Vec<T>,
    limit: u32,
    key: impl Fn(&T) -> String,
) -> keystep_core::ports::Page<T> {
    let limit = limit.max(1) as usize;
    let more = items.len() > limit;
    items.truncate(limit);
    let next = if more { items.last().map(key) } else { None };
    keystep_core::ports::Page { items, next }
}

/// The page key of a list kept newest first: `<created_at ms>:<id>`, total over rows made
/// in the same millisecond.
pub(crate) fn newest_first_key(created_at: i64, id: &str) -> String {
    format!("{created_at}:{id}")
}

/// Where a newest-first list continues after [`newest_first_key`]'s `after`: the rows
/// strictly before it in `(created_at, id)` descending order. Without a key, from the
/// start (the caller binds `after.is_none()` to let every row through).
pub(crate) fn newest_first_cursor(after: Option<&str>) -> (i64, String) {
    match after.and_then(|k| k.split_once(':')) {
        Some((t, id)) => (t.parse::<i64>().unwrap_or(i64::MAX), id.to_string()),
        None => (i64::MAX, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_purposes_round_trip() {
        for p in [
            MessagePurpose::SignUp,
            MessagePurpose::Authentication,
            MessagePurpose::VerifyUserAttribute,
        ] {
            assert_eq!(message_purpose(p.as_str()).ok(), Some(p));
        }
        assert!(message_purpose("nope").is_err());
    }

    #[test]
    fn pages_name_the_last_key_only_when_more_remain() {
        let p = page(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(p.next.as_deref(), Some("2"));
        let p = page(vec![1, 2], 2, |n| n.to_string());
        assert_eq!(p.next, None);
    }
}
