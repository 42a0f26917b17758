//! What a PreTokenGeneration trigger may change in the tokens: claims added, overridden
//! or suppressed (ID token in V1; ID and access token in V2), the groups, and the
//! access token's scopes. Claims that carry the token's identity and validity cannot be
//! changed.

use serde_json::{Map, Value};

/// Claims a trigger can never add, override or suppress.
pub const RESERVED_CLAIMS: [&str; 18] = [
    "acr",
    "amr",
    "aud",
    "at_hash",
    "auth_time",
    "azp",
    "client_id",
    "cognito:username",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "sub",
    "token_use",
];

/// Changes to one token's claims.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimChanges {
    /// `claimsToAddOrOverride`.
    pub add_or_override: Map<String, Value>,
    /// `claimsToSuppress`.
    pub suppress: Vec<String>,
}

/// Everything a PreTokenGeneration answer changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenCustomization {
    /// ID token claims.
    pub id: ClaimChanges,
    /// Access token claims (V2 only).
    pub access: ClaimChanges,
    /// `groupOverrideDetails.groupsToOverride`: replaces `cognito:groups` in both tokens.
    pub groups: Option<Vec<String>>,
    /// `scopesToAdd` (V2).
    pub scopes_to_add: Vec<String>,
    /// `scopesToSuppress` (V2).
    pub scopes_to_suppress: Vec<String>,
}

fn reserved(name: &str) -> bool {
    RESERVED_CLAIMS.contains(&name)
}

/// Applies `changes` (and the group override) to a token's claims.
pub fn apply(claims: &mut Map<String, Value>, changes: &ClaimChanges, groups: Option<&[String]>) {
    if let Some(groups) = groups {
        if groups.is_empty() {
            claims.remove("cognito:groups");
        } else {
            claims.insert("cognito:groups".into(), groups.to_vec().into());
        }
    }
    for name in &changes.suppress {
        if !reserved(name) {
            claims.remove(name);
        }
    }
    for (name, value) in &changes.add_or_override {
        if !reserved(name) {
            claims.insert(name.clone(), value.clone());
        }
    }
}

/// The access token's `scope` after the scope changes.
pub fn scopes(base: &str, c: &TokenCustomization) -> String {
    let mut list: Vec<String> = base
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    for s in &c.scopes_to_add {
        if !list.contains(s) {
            list.push(s.clone());
        }
    }
    list.retain(|s| !c.scopes_to_suppress.contains(s));
    list.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reserved_claims_stay_and_others_change() {
        let mut claims = json!({"sub": "s", "email": "a@b.co", "name": "A"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let changes = ClaimChanges {
            add_or_override: json!({"sub": "evil", "tier": "gold", "name": "B"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            suppress: vec!["email".into(), "sub".into()],
        };
        apply(&mut claims, &changes, Some(&["admins".to_string()]));
        assert_eq!(claims["sub"], "s");
        assert_eq!(claims["tier"], "gold");
        assert_eq!(claims["name"], "B");
        assert!(!claims.contains_key("email"));
        assert_eq!(claims["cognito:groups"], json!(["admins"]));
    }

    #[test]
    fn scopes_are_added_and_suppressed() {
        let c = TokenCustomization {
            scopes_to_add: vec!["orders/read".into()],
            scopes_to_suppress: vec!["aws.cognito.signin.user.admin".into()],
            ..Default::default()
        };
        assert_eq!(scopes("aws.cognito.signin.user.admin", &c), "orders/read");
    }
}
