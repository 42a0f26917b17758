//! A pool's domains (protocol notes §15.1): the host its hosted pages and OAuth endpoints
//! will be served on — a prefix under Cognito's `auth.<region>` suffix, or a custom domain
//! with a certificate. A pool has at most one of each; a prefix is unique across pools.

use crate::error::AuthError;
use crate::Millis;

/// One domain of a pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolDomain {
    /// `Domain`: the prefix, or the custom domain's FQDN.
    pub domain: String,
    /// The pool.
    pub pool_id: String,
    /// `CustomDomainConfig.CertificateArn`; `None` for a prefix domain.
    pub certificate_arn: Option<String>,
    /// `ManagedLoginVersion` (1 classic hosted UI, 2 managed login).
    pub managed_login_version: i64,
    /// When it was created.
    pub created_at: Millis,
}

impl PoolDomain {
    /// Whether this is a custom domain.
    pub fn is_custom(&self) -> bool {
        self.certificate_arn.is_some()
    }
}

fn invalid(message: &str) -> AuthError {
    AuthError::InvalidParameter(message.into())
}

/// Checks a prefix: 1–63 of `[a-z0-9-]`, not starting or ending with `-`, without the
/// reserved words Cognito refuses.
pub fn check_prefix(prefix: &str) -> Result<(), AuthError> {
    let ok = (1..=63).contains(&prefix.len())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !prefix.starts_with('-')
        && !prefix.ends_with('-');
    if !ok {
        return Err(invalid(
            "1 validation error detected: Value at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$",
        ));
    }
    if ["aws", "amazon", "cognito"]
        .iter()
        .any(|w| prefix.contains(w))
    {
        return Err(invalid(
            "Domain cannot contain reserved word: aws, amazon or cognito.",
        ));
    }
    Ok(())
}

/// Checks a custom domain: a host name of dot-separated labels (no scheme, no port).
pub fn check_custom(domain: &str) -> Result<(), AuthError> {
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let labels: Vec<&str> = domain.split('.').collect();
    if domain.len() > 253 || labels.len() < 2 || !labels.iter().all(|l| label_ok(l)) {
        return Err(invalid(
            "The custom domain must be a fully qualified domain name, such as auth.example.com.",
        ));
    }
    Ok(())
}

/// Checks a certificate ARN as far as its shape goes (`arn:aws:acm:...:certificate/...`).
pub fn check_certificate(arn: &str) -> Result<(), AuthError> {
    let ok = arn.starts_with("arn:") && arn.contains(":acm:") && arn.contains(":certificate/");
    if !ok || arn.len() > 2048 {
        return Err(invalid(
            "CustomDomainConfig.CertificateArn must be an ACM certificate ARN.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_custom_domains() {
        assert!(check_prefix("my-app").is_ok());
        assert!(check_prefix("-x").is_err());
        assert!(check_prefix("My").is_err());
        assert!(check_prefix("my.app").is_err());
        assert!(check_prefix("my-aws-app").is_err());
        assert!(check_prefix(&"a".repeat(64)).is_err());
        assert!(check_custom("auth.example.com").is_ok());
        assert!(check_custom("localhost").is_err());
        assert!(check_custom("https://auth.example.com").is_err());
        assert!(check_custom("auth.example.com:443").is_err());
        assert!(check_certificate("arn:aws:acm:us-east-1:123456789012:certificate/abc").is_ok());
        assert!(check_certificate("cert").is_err());
    }
}
