//! Which requests pass a lane's gate alone: those the server may run as an operation that
//! changes durable data, read from the target the way the server reads it. And which
//! answers show that the server refused a request before any handler ran.

use super::templates::MODELLED;
use super::wire::{Shot, TARGET_PREFIX};

/// Operations that never change durable data, even when they succeed.
pub const READ_ONLY: &[&str] = &[
    "AdminGetUser",
    "AdminListGroupsForUser",
    "DescribeUserPool",
    "DescribeUserPoolClient",
    "GetGroup",
    "GetUser",
    "GetUserPoolMfaConfig",
    "ListGroups",
    "ListTagsForResource",
    "ListUserPoolClientSecrets",
    "ListUserPoolClients",
    "ListUserPools",
    "ListUsers",
    "ListUsersInGroup",
];

/// The errors the server gives before an operation's handler runs (bad signature, body
/// that is not the operation's JSON, unknown or unoffered operation, too large). An
/// exclusive request answered with one of them is checked with the next window instead
/// of on its own, which saves a snapshot and still catches any change it made.
pub const EDGE_ERRORS: &[&str] = &[
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "MissingAuthenticationTokenException",
    "RequestEntityTooLargeException",
    "SerializationException",
    "UnknownOperationException",
    "UnrecognizedClientException",
    "UnsupportedOperationException",
];

/// The operation the server reads from `shot`'s target: the text after the last dot of
/// the value (HTTP drops the whitespace around it), if it carries the service's prefix
/// and is a header value the server can read as text.
pub fn server_op(shot: &Shot) -> Option<&str> {
    let target = shot.target.as_deref()?;
    let text = std::str::from_utf8(target)
        .ok()
        .filter(|t| t.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)))?;
    let rest = text.trim_matches([' ', '\t']).strip_prefix(TARGET_PREFIX)?;
    Some(rest.rsplit('.').next().unwrap_or(rest))
}

/// Whether the server must see a valid signature before it answers `shot` with success:
/// its target names an operation that is not one of the unsigned ones.
pub fn needs_signature(shot: &Shot) -> bool {
    server_op(shot).is_some_and(|op| {
        keystep_server::catalog::is_known(op) && !keystep_server::catalog::is_unsigned(op)
    })
}

/// Whether the server may act on `shot` as an operation that changes durable data: one
/// it offers (modelled here or not: the catalogue says which it refuses) that is not
/// read-only.
pub fn exclusive(shot: &Shot) -> bool {
    server_op(shot).is_some_and(|op| {
        let offered = MODELLED.contains(&op)
            || (keystep_server::catalog::is_known(op)
                && keystep_server::catalog::refusal_reason(op).is_none());
        offered && !READ_ONLY.contains(&op)
    })
}

/// What the counts are kept by: the operation the server was asked for (which is not
/// the one the body was made for when the target was changed), or `(no operation)`.
pub fn counted_as(shot: &Shot) -> String {
    match server_op(shot) {
        Some(op) if keystep_server::catalog::is_known(op) => op.to_string(),
        _ => "(no operation)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::wire::Signing;

    fn shot(target: Option<&[u8]>) -> Shot {
        Shot {
            op: "X".into(),
            target: target.map(<[u8]>::to_vec),
            content_type: None,
            body: Vec::new(),
            signing: Signing::Unsigned,
            mutation: "none".into(),
        }
    }

    #[test]
    fn the_gate_is_exclusive_for_whatever_the_server_may_run_as_a_write() {
        let t = |s: &str| shot(Some(s.as_bytes()));
        assert!(exclusive(&t(
            "AWSCognitoIdentityProviderService.AdminDeleteUser"
        )));
        assert!(exclusive(&t(
            "AWSCognitoIdentityProviderService.Foo.SignUp"
        )));
        assert!(exclusive(&t(" AWSCognitoIdentityProviderService.SignUp\t")));
        assert!(!exclusive(&t(
            "AWSCognitoIdentityProviderService.ListUsers"
        )));
        assert!(!exclusive(&t(
            "AWSCognitoIdentityProviderService.CreateTerms"
        )));
        assert!(!exclusive(&t("AWSCognitoIdentityProviderService.signup")));
        assert!(!exclusive(&t("DynamoDB_20120810.SignUp")));
        assert!(!exclusive(&shot(None)));
        assert!(!exclusive(&shot(Some(
            b"AWSCognitoIdentityProviderService.SignUp\xff"
        ))));
        assert!(needs_signature(&t(
            "AWSCognitoIdentityProviderService.ListUsers"
        )));
        assert!(needs_signature(&t(
            "AWSCognitoIdentityProviderService.X.CreateTerms"
        )));
        assert!(!needs_signature(&t(
            "AWSCognitoIdentityProviderService.SignUp"
        )));
        assert!(!needs_signature(&t(
            "AWSCognitoIdentityProviderService.Frobnicate"
        )));
        for op in READ_ONLY {
            assert!(
                keystep_server::catalog::is_known(op)
                    && keystep_server::catalog::refusal_reason(op).is_none(),
                "{op}"
            );
        }
    }
}
