//! Resource servers (OAuth 2.0): an API identified by a URI-like identifier, and the
//! custom scopes it defines (`<identifier>/<scope>`), which app clients may be granted.

use serde::{Deserialize, Serialize};

use crate::error::AuthError;

/// One custom scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// `ScopeName`.
    pub name: String,
    /// `ScopeDescription`.
    pub description: String,
}

/// A resource server of a pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceServer {
    /// The pool.
    pub pool_id: String,
    /// `Identifier`, unique in the pool (often the API's URL).
    pub identifier: String,
    /// `Name`.
    pub name: String,
    /// `Scopes` (up to 100).
    pub scopes: Vec<Scope>,
}

/// The most scopes one resource server defines.
pub const MAX_SCOPES: usize = 100;

fn invalid(member: &str, rule: &str) -> AuthError {
    AuthError::InvalidParameter(format!(
        "1 validation error detected: Value at '{member}' failed to satisfy constraint: {rule}"
    ))
}

/// Checks the members as Cognito's model constrains them: identifier 1–256 printable
/// characters without `"` or `\`; name 1–256 of `[\w\s+=,.@-]`; at most 100 scopes, each
/// named 1–256 printable characters without `"`, `/` or `\`, described in 1–256
/// characters, each name once.
pub fn check(identifier: &str, name: &str, scopes: &[Scope]) -> Result<(), AuthError> {
    let printable = |c: char| ('\u{21}'..='\u{7e}').contains(&c) && c != '"' && c != '\\';
    let len_ok = |s: &str| (1..=256).contains(&s.chars().count());
    if !len_ok(identifier) || !identifier.chars().all(printable) {
        return Err(invalid(
            "identifier",
            "Member must have length between 1 and 256 and satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+",
        ));
    }
    let name_char = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_+=,.@-".contains(c);
    if !len_ok(name) || !name.chars().all(name_char) {
        return Err(invalid(
            "name",
            "Member must have length between 1 and 256 and satisfy regular expression pattern: [\\w\\s+=,.@-]+",
        ));
    }
    if scopes.len() > MAX_SCOPES {
        return Err(invalid(
            "scopes",
            "Member must have length less than or equal to 100",
        ));
    }
    for (i, scope) in scopes.iter().enumerate() {
        if !len_ok(&scope.name) || !scope.name.chars().all(|c| printable(c) && c != '/') {
            return Err(invalid(
                "scopes.member.scopeName",
                "Member must have length between 1 and 256 and satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+",
            ));
        }
        if !len_ok(&scope.description) {
            return Err(invalid(
                "scopes.member.scopeDescription",
                "Member must have length between 1 and 256",
            ));
        }
        if scopes[..i].iter().any(|s| s.name == scope.name) {
            return Err(AuthError::InvalidParameter(format!(
                "Scope {} is defined more than once.",
                scope.name
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(name: &str) -> Scope {
        Scope {
            name: name.into(),
            description: "d".into(),
        }
    }

    #[test]
    fn members_follow_the_model() {
        assert!(check("https://api.example.com", "Orders API", &[scope("read")]).is_ok());
        assert!(check("", "n", &[]).is_err());
        assert!(check("has space", "n", &[]).is_err());
        assert!(check("id", "bad/name", &[]).is_err());
        assert!(check("id", "n", &[scope("a/b")]).is_err());
        assert!(check("id", "n", &[scope("read"), scope("read")]).is_err());
        let many: Vec<Scope> = (0..101).map(|i| scope(&format!("s{i}"))).collect();
        assert!(check("id", "n", &many).is_err());
    }
}
