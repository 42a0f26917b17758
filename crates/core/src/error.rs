//! Errors of the domain and of its store port.
//!
//! `AuthError` variants are named after Cognito's exceptions without the `Exception`
//! suffix; the server maps each one, once, to its wire `__type` and HTTP status. The
//! message is what the client sees, so it never carries a secret or an internal cause.

/// Failures of the [`crate::ports::Store`] port.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken; the payload names what collided (`username`,
    /// `alias:email`, `group`, `pool`, `client`...).
    #[error("conflict on {0}")]
    Conflict(String),
    /// A compare-and-swap lost: the row changed (or vanished) since it was read.
    #[error("stale version")]
    Stale,
    /// The row to change does not exist.
    #[error("not found")]
    NotFound,
    /// The database failed; the text is for logs only.
    #[error("store backend: {0}")]
    Backend(String),
}

/// A domain failure, named after the Cognito exception it becomes on the wire.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    /// `InvalidParameterException`.
    #[error("{0}")]
    InvalidParameter(String),
    /// `ResourceNotFoundException`.
    #[error("{0}")]
    ResourceNotFound(String),
    /// `NotAuthorizedException`.
    #[error("{0}")]
    NotAuthorized(String),
    /// `UserNotFoundException`.
    #[error("{0}")]
    UserNotFound(String),
    /// `UsernameExistsException`.
    #[error("{0}")]
    UsernameExists(String),
    /// `AliasExistsException`.
    #[error("{0}")]
    AliasExists(String),
    /// `GroupExistsException`.
    #[error("{0}")]
    GroupExists(String),
    /// `InvalidPasswordException`.
    #[error("{0}")]
    InvalidPassword(String),
    /// `CodeMismatchException`.
    #[error("{0}")]
    CodeMismatch(String),
    /// `ExpiredCodeException`.
    #[error("{0}")]
    ExpiredCode(String),
    /// `LimitExceededException`.
    #[error("{0}")]
    LimitExceeded(String),
    /// `TooManyFailedAttemptsException`.
    #[error("{0}")]
    TooManyFailedAttempts(String),
    /// `UserNotConfirmedException`.
    #[error("{0}")]
    UserNotConfirmed(String),
    /// `PasswordResetRequiredException`.
    #[error("{0}")]
    PasswordResetRequired(String),
    /// `UnsupportedUserStateException`.
    #[error("{0}")]
    UnsupportedUserState(String),
    /// `InvalidUserPoolConfigurationException`.
    #[error("{0}")]
    InvalidUserPoolConfiguration(String),
    /// `CodeDeliveryFailureException`.
    #[error("{0}")]
    CodeDeliveryFailure(String),
    /// `ConcurrentModificationException`: a compare-and-swap kept losing.
    #[error("{0}")]
    ConcurrentModification(String),
    /// `EnableSoftwareTokenMFAException`: a wrong code while enabling TOTP.
    #[error("{0}")]
    EnableSoftwareTokenMfa(String),
    /// `SoftwareTokenMFANotFoundException`: TOTP asked for but not set up.
    #[error("{0}")]
    SoftwareTokenMfaNotFound(String),
    /// `UnsupportedTokenTypeException`: RevokeToken given something other than a
    /// refresh token.
    #[error("{0}")]
    UnsupportedTokenType(String),
    /// `UnauthorizedException`: a token presented by a client it was not issued to.
    #[error("{0}")]
    Unauthorized(String),
    /// `UserLambdaValidationException`: a trigger refused the request.
    #[error("{0}")]
    UserLambdaValidation(String),
    /// `UnexpectedLambdaException`: a trigger could not be run or answered nothing usable.
    #[error("{0}")]
    UnexpectedLambda(String),
    /// `InvalidLambdaResponseException`: a trigger's answer has the wrong shape.
    #[error("{0}")]
    InvalidLambdaResponse(String),
    /// `InvalidOAuthFlowException`: an app client's OAuth flows do not fit together.
    #[error("{0}")]
    InvalidOAuthFlow(String),
    /// `ScopeDoesNotExistException`: an app client names a scope no resource server has.
    #[error("{0}")]
    ScopeDoesNotExist(String),
    /// `DuplicateProviderException`: an identity provider's name or one of its
    /// identifiers is taken in the pool.
    #[error("{0}")]
    DuplicateProvider(String),
    /// `DeviceKeyExistsException`: the device was confirmed already.
    #[error("{0}")]
    DeviceKeyExists(String),
    /// One of the passkey errors (`WebAuthn*Exception`).
    #[error("{1}")]
    WebAuthn(WebAuthnProblem, String),
    /// `FeatureUnavailableInTierException`: the pool's feature plan lacks the feature.
    #[error("{0}")]
    FeatureUnavailableInTier(String),
    /// `UnsupportedOperationException`: a Cognito feature Keystep does not implement yet.
    #[error("{0}")]
    UnsupportedOperation(String),
    /// `PasswordHistoryPolicyViolationException`: the password is one of the last
    /// `PasswordHistorySize` ones.
    #[error("{0}")]
    PasswordHistoryPolicyViolation(String),
    /// `OperationNotEnabledException`: the pool's configuration does not enable the
    /// operation (user sessions without session tracking).
    #[error("{0}")]
    OperationNotEnabled(String),
    /// `RefreshTokenReuseException`: a refresh token that rotation replaced was used after
    /// its grace period.
    #[error("{0}")]
    RefreshTokenReuse(String),
    /// `PreconditionNotMetException`: the resource is not in the state the operation
    /// needs (a user import job started twice, or before its file was uploaded).
    #[error("{0}")]
    PreconditionNotMet(String),
    /// `InternalErrorException` (HTTP 500). The message is generic; the cause is logged.
    #[error("{0}")]
    Internal(String),
}

/// Which passkey error (each its own `__type`, protocol notes §13.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebAuthnProblem {
    /// `WebAuthnNotEnabledException`: the pool does not allow passkeys.
    NotEnabled,
    /// `WebAuthnConfigurationMissingException`: no relying-party id.
    ConfigurationMissing,
    /// `WebAuthnChallengeNotFoundException`: no registration was started, or it expired
    /// or was used.
    ChallengeNotFound,
    /// `WebAuthnRelyingPartyMismatchException`.
    RelyingPartyMismatch,
    /// `WebAuthnOriginNotAllowedException`.
    OriginNotAllowed,
    /// `WebAuthnClientMismatchException`: completed with another app client's token.
    ClientMismatch,
    /// `WebAuthnCredentialNotSupportedException`.
    CredentialNotSupported,
}

impl WebAuthnProblem {
    /// The wire `__type`.
    pub fn exception_name(self) -> &'static str {
        match self {
            WebAuthnProblem::NotEnabled => "WebAuthnNotEnabledException",
            WebAuthnProblem::ConfigurationMissing => "WebAuthnConfigurationMissingException",
            WebAuthnProblem::ChallengeNotFound => "WebAuthnChallengeNotFoundException",
            WebAuthnProblem::RelyingPartyMismatch => "WebAuthnRelyingPartyMismatchException",
            WebAuthnProblem::OriginNotAllowed => "WebAuthnOriginNotAllowedException",
            WebAuthnProblem::ClientMismatch => "WebAuthnClientMismatchException",
            WebAuthnProblem::CredentialNotSupported => "WebAuthnCredentialNotSupportedException",
        }
    }
}

impl AuthError {
    /// The generic internal error; the cause goes to the log, never to the client.
    pub fn internal(cause: impl std::fmt::Display) -> AuthError {
        tracing::error!(%cause, "internal error");
        AuthError::Internal("Internal server error.".to_string())
    }
}

impl From<StoreError> for AuthError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Stale => AuthError::ConcurrentModification(
                "The resource was modified concurrently; retry the request.".into(),
            ),
            other => AuthError::internal(other),
        }
    }
}
