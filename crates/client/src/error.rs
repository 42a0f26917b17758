//! [`AuthError`]: what every call of this crate can fail with.

/// Why an auth call failed.
///
/// Service errors keep the server's `message`; the ones apps commonly branch on have their
/// own variant, everything else is [`AuthError::Service`] with the exception name (the
/// `__type` of the error body without any `prefix#`).
///
/// ```
/// use keystep_client::AuthError;
/// let err = AuthError::from_service("NotAuthorizedException", "Incorrect username or password.");
/// assert!(matches!(err, AuthError::NotAuthorized { .. }));
/// assert_eq!(err.name(), "NotAuthorizedException");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// `NotAuthorizedException`: wrong password, expired session, revoked token, ...
    #[error("not authorized: {message}")]
    NotAuthorized {
        /// The server's message.
        message: String,
    },
    /// `UserNotFoundException`.
    #[error("user not found: {message}")]
    UserNotFound {
        /// The server's message.
        message: String,
    },
    /// `CodeMismatchException`: a wrong confirmation or MFA code.
    #[error("code mismatch: {message}")]
    CodeMismatch {
        /// The server's message.
        message: String,
    },
    /// `ExpiredCodeException`.
    #[error("expired code: {message}")]
    ExpiredCode {
        /// The server's message.
        message: String,
    },
    /// `InvalidPasswordException`: the password does not satisfy the pool's policy.
    #[error("invalid password: {message}")]
    InvalidPassword {
        /// The server's message.
        message: String,
    },
    /// `LimitExceededException`: too many attempts.
    #[error("limit exceeded: {message}")]
    LimitExceeded {
        /// The server's message.
        message: String,
    },
    /// `UserNotConfirmedException` (sign-in turns it into [`crate::SignInStep::ConfirmSignUp`]).
    #[error("user not confirmed: {message}")]
    UserNotConfirmed {
        /// The server's message.
        message: String,
    },
    /// `PasswordResetRequiredException` (sign-in turns it into [`crate::SignInStep::ResetPassword`]).
    #[error("password reset required: {message}")]
    PasswordResetRequired {
        /// The server's message.
        message: String,
    },
    /// `InvalidParameterException`, or an argument this library refused before sending.
    #[error("invalid parameter: {message}")]
    InvalidParameter {
        /// The server's (or this library's) message.
        message: String,
    },
    /// The call does not fit the current state, e.g. `confirm_sign_in` without a sign-in in
    /// progress.
    #[error("invalid state: {message}")]
    InvalidState {
        /// What was wrong.
        message: String,
    },
    /// No user is signed in (no tokens in the store).
    #[error("no user is signed in")]
    NotSignedIn,
    /// The request did not reach the server or its answer could not be read.
    #[error("network error: {message}")]
    Network {
        /// What failed.
        message: String,
    },
    /// Any other service error, or a response this library cannot use.
    #[error("{name}: {message}")]
    Service {
        /// The exception name, e.g. `UsernameExistsException`.
        name: String,
        /// The server's message.
        message: String,
    },
}

impl AuthError {
    /// The error for a service error body's `__type` (a `prefix#` is stripped) and message.
    pub fn from_service(type_: &str, message: impl Into<String>) -> AuthError {
        let message = message.into();
        let name = type_.rsplit('#').next().unwrap_or(type_);
        // Some services append `:http://...` to the type; only the name matters.
        let name = name.split(':').next().unwrap_or(name);
        match name {
            "NotAuthorizedException" => AuthError::NotAuthorized { message },
            "UserNotFoundException" => AuthError::UserNotFound { message },
            "CodeMismatchException" => AuthError::CodeMismatch { message },
            "ExpiredCodeException" => AuthError::ExpiredCode { message },
            "InvalidPasswordException" => AuthError::InvalidPassword { message },
            "LimitExceededException" => AuthError::LimitExceeded { message },
            "UserNotConfirmedException" => AuthError::UserNotConfirmed { message },
            "PasswordResetRequiredException" => AuthError::PasswordResetRequired { message },
            "InvalidParameterException" => AuthError::InvalidParameter { message },
            _ => AuthError::Service {
                name: name.to_string(),
                message,
            },
        }
    }

    /// The Cognito exception name of this error (`NotAuthorizedException`, ...), or a
    /// client-side name (`InvalidStateException`, `NotSignedInException`,
    /// `NetworkError`) for errors that did not come from the server.
    pub fn name(&self) -> &str {
        match self {
            AuthError::NotAuthorized { .. } => "NotAuthorizedException",
            AuthError::UserNotFound { .. } => "UserNotFoundException",
            AuthError::CodeMismatch { .. } => "CodeMismatchException",
            AuthError::ExpiredCode { .. } => "ExpiredCodeException",
            AuthError::InvalidPassword { .. } => "InvalidPasswordException",
            AuthError::LimitExceeded { .. } => "LimitExceededException",
            AuthError::UserNotConfirmed { .. } => "UserNotConfirmedException",
            AuthError::PasswordResetRequired { .. } => "PasswordResetRequiredException",
            AuthError::InvalidParameter { .. } => "InvalidParameterException",
            AuthError::InvalidState { .. } => "InvalidStateException",
            AuthError::NotSignedIn => "NotSignedInException",
            AuthError::Network { .. } => "NetworkError",
            AuthError::Service { name, .. } => name,
        }
    }

    pub(crate) fn invalid_parameter(message: impl Into<String>) -> AuthError {
        AuthError::InvalidParameter {
            message: message.into(),
        }
    }

    pub(crate) fn invalid_state(message: impl Into<String>) -> AuthError {
        AuthError::InvalidState {
            message: message.into(),
        }
    }

    /// A response this library cannot use (Amplify's `InvalidServiceResponse`... /
    /// `SignInException`).
    pub(crate) fn bad_response(name: &str, message: impl Into<String>) -> AuthError {
        AuthError::Service {
            name: name.to_string(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_stripped_and_names_mapped() {
        let e = AuthError::from_service(
            "com.amazonaws.cognito#CodeMismatchException",
            "Invalid code",
        );
        assert_eq!(
            e,
            AuthError::CodeMismatch {
                message: "Invalid code".into()
            }
        );
        let e = AuthError::from_service("com.amazon.coral.service#UnknownOperationException", "");
        assert_eq!(e.name(), "UnknownOperationException");
        assert!(matches!(e, AuthError::Service { .. }));
    }
}
