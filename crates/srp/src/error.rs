//! The one error type of this crate.

/// Why an SRP computation or a wire value was refused.
///
/// The variants carry no detail on purpose: callers turn all of them into a generic
/// Cognito error, and echoing which check failed would only help an attacker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SrpError {
    /// A value that should be hexadecimal (SRP_A, SRP_B, SALT) is empty or has other characters.
    #[error("malformed hexadecimal value")]
    BadHex,
    /// A value is zero modulo N (A, B, the verifier) or zero outright (u, a secret exponent):
    /// accepting it would make the shared secret predictable.
    #[error("SRP value is zero")]
    ZeroValue,
    /// The TIMESTAMP string does not follow `EEE MMM d HH:mm:ss UTC yyyy` or names no real instant.
    #[error("malformed TIMESTAMP")]
    BadTimestamp,
}
