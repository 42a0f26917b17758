//! `ApiError`: the one place that knows wire error names (`__type`) and HTTP statuses.
//!
//! Every failure leaves the server as `{"__type": name, "message": text}` with the same
//! name in `x-amzn-ErrorType` (Amplify reads the header, botocore reads the body).
//! Internal causes are logged where they happen and never sent.

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use keystep_core::AuthError;

use crate::sigv4::SigV4Error;

/// The content type of every API response, errors included.
pub const AMZ_JSON: &str = "application/x-amz-json-1.1";

/// The header that repeats `__type` (Amplify JS reads it first).
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// An error response: HTTP status, `__type` and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    type_name: Cow<'static, str>,
    message: String,
}

impl ApiError {
    /// Any error. Prefer the named constructors.
    pub fn new(
        status: StatusCode,
        type_name: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            type_name: type_name.into(),
            message: message.into(),
        }
    }

    /// HTTP 400 with the given `__type`: how Cognito answers every modelled client error.
    pub fn bad_request(
        type_name: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, type_name, message)
    }

    /// 400 `InvalidParameterException`.
    pub fn invalid_parameter(message: impl Into<String>) -> ApiError {
        ApiError::bad_request("InvalidParameterException", message)
    }

    /// 400 `SerializationException`: the body is not the JSON the operation takes.
    pub fn serialization(message: impl Into<String>) -> ApiError {
        ApiError::bad_request("SerializationException", message)
    }

    /// 400 `UnknownOperationException`: not a Cognito user-pool operation.
    pub fn unknown_operation(target: &str) -> ApiError {
        // The header is the client's: echo no more of it than a real name needs.
        let shown: String = target.chars().take(128).collect();
        let more = if shown.len() < target.len() {
            "..."
        } else {
            ""
        };
        ApiError::bad_request(
            "UnknownOperationException",
            format!("Unknown operation: '{shown}{more}'."),
        )
    }

    /// 400 `UnsupportedOperationException`: a Cognito operation Keystep does not offer.
    pub fn unsupported_operation(op: &str) -> ApiError {
        let why = crate::catalog::refusal_reason(op).unwrap_or("It is not built yet.");
        ApiError::bad_request(
            "UnsupportedOperationException",
            format!("Keystep does not support {op}: {why}"),
        )
    }

    /// 404 `ResourceNotFoundException` for the well-known documents and unknown paths.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "ResourceNotFoundException", message)
    }

    /// 413 `RequestEntityTooLargeException`.
    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLargeException",
            format!("Request body exceeds the limit of {limit} bytes."),
        )
    }

    /// 400 `TooManyRequestsException`: the client's address is over its request rate.
    pub fn too_many_requests() -> ApiError {
        ApiError::bad_request("TooManyRequestsException", "Rate exceeded")
    }

    /// 500 `InternalErrorException`. The cause is logged here and never sent.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalErrorException",
            "Internal server error.",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `__type`.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The message the client sees.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Maps a request-body decoding failure (with the path of the member at fault).
    pub fn from_json(err: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
        use serde_json::error::Category;
        let inner = err.inner();
        let text = inner.to_string();
        // serde_json appends " at line L column C"; the position is noise for data errors.
        let bare = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m);
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                ApiError::serialization(format!("Request body is not valid JSON: {text}"))
            }
            Category::Data => {
                let path = member_path(&err.path().to_string());
                if let Some(field) = between(bare, "missing field `", "`") {
                    let at = join_path(&path, &lower_camel(field));
                    ApiError::invalid_parameter(format!(
                        "1 validation error detected: Value null at '{at}' failed to satisfy constraint: Member must not be null"
                    ))
                } else if let Some(value) = between(bare, "unknown variant `", "`") {
                    let allowed = bare.split_once("expected ").map_or("", |(_, e)| e);
                    ApiError::invalid_parameter(format!(
                        "1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                        allowed
                            .replace("one of ", "")
                            .replace(" or ", ", ")
                            .replace('`', "")
                    ))
                } else if path.is_empty() {
                    ApiError::serialization(format!("Invalid request body: {bare}"))
                } else {
                    ApiError::serialization(format!("Invalid value at '{path}': {bare}"))
                }
            }
        }
    }
}

/// `UserAttributes[0].Name` -> `userAttributes.0.name`, as Cognito names members in
/// validation messages; the root (`.`) is empty.
fn member_path(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    path.replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|s| !s.is_empty())
        .map(lower_camel)
        .collect::<Vec<_>>()
        .join(".")
}

fn join_path(parent: &str, member: &str) -> String {
    if parent.is_empty() {
        member.to_string()
    } else {
        format!("{parent}.{member}")
    }
}

fn lower_camel(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let (name, message) = match e {
            AuthError::InvalidParameter(m) => ("InvalidParameterException", m),
            AuthError::ResourceNotFound(m) => ("ResourceNotFoundException", m),
            AuthError::NotAuthorized(m) => ("NotAuthorizedException", m),
            AuthError::UserNotFound(m) => ("UserNotFoundException", m),
            AuthError::UsernameExists(m) => ("UsernameExistsException", m),
            AuthError::AliasExists(m) => ("AliasExistsException", m),
            AuthError::GroupExists(m) => ("GroupExistsException", m),
            AuthError::InvalidPassword(m) => ("InvalidPasswordException", m),
            AuthError::CodeMismatch(m) => ("CodeMismatchException", m),
            AuthError::ExpiredCode(m) => ("ExpiredCodeException", m),
            AuthError::LimitExceeded(m) => ("LimitExceededException", m),
            AuthError::TooManyFailedAttempts(m) => ("TooManyFailedAttemptsException", m),
            AuthError::UserNotConfirmed(m) => ("UserNotConfirmedException", m),
            AuthError::PasswordResetRequired(m) => ("PasswordResetRequiredException", m),
            AuthError::PasswordHistoryPolicyViolation(m) => {
                ("PasswordHistoryPolicyViolationException", m)
            }
            AuthError::UnsupportedUserState(m) => ("UnsupportedUserStateException", m),
            AuthError::InvalidUserPoolConfiguration(m) => {
                ("InvalidUserPoolConfigurationException", m)
            }
            AuthError::CodeDeliveryFailure(m) => ("CodeDeliveryFailureException", m),
            AuthError::ConcurrentModification(m) => ("ConcurrentModificationException", m),
            AuthError::UnsupportedOperation(m) => ("UnsupportedOperationException", m),
            AuthError::FeatureUnavailableInTier(m) => ("FeatureUnavailableInTierException", m),
            AuthError::DeviceKeyExists(m) => ("DeviceKeyExistsException", m),
            AuthError::DuplicateProvider(m) => ("DuplicateProviderException", m),
            AuthError::PreconditionNotMet(m) => ("PreconditionNotMetException", m),
            AuthError::RefreshTokenReuse(m) => ("RefreshTokenReuseException", m),
            AuthError::OperationNotEnabled(m) => ("OperationNotEnabledException", m),
            AuthError::InvalidOAuthFlow(m) => ("InvalidOAuthFlowException", m),
            AuthError::ScopeDoesNotExist(m) => ("ScopeDoesNotExistException", m),
            AuthError::WebAuthn(problem, m) => (problem.exception_name(), m),
            AuthError::EnableSoftwareTokenMfa(m) => ("EnableSoftwareTokenMFAException", m),
            AuthError::SoftwareTokenMfaNotFound(m) => ("SoftwareTokenMFANotFoundException", m),
            AuthError::UnsupportedTokenType(m) => ("UnsupportedTokenTypeException", m),
            AuthError::Unauthorized(m) => ("UnauthorizedException", m),
            AuthError::UserLambdaValidation(m) => ("UserLambdaValidationException", m),
            AuthError::UnexpectedLambda(m) => ("UnexpectedLambdaException", m),
            AuthError::InvalidLambdaResponse(m) => ("InvalidLambdaResponseException", m),
            // The cause was logged by `AuthError::internal`; the message is generic.
            AuthError::Internal(m) => {
                return ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalErrorException",
                    m,
                )
            }
        };
        ApiError::bad_request(name, message)
    }
}

impl From<SigV4Error> for ApiError {
    fn from(e: SigV4Error) -> Self {
        let name = match &e {
            SigV4Error::Missing => "MissingAuthenticationTokenException",
            // AWS answers an incomplete signature with 400, the rest with 403.
            SigV4Error::Malformed(m) => {
                return ApiError::bad_request("IncompleteSignatureException", m.clone())
            }
            SigV4Error::UnknownKey => "UnrecognizedClientException",
            SigV4Error::Invalid(_) | SigV4Error::Mismatch => "InvalidSignatureException",
        };
        ApiError::new(StatusCode::FORBIDDEN, name, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = keystep_proto::ErrorBody::new(self.type_name.as_ref(), self.message.as_str());
        let body = serde_json::to_string(&body).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(AMZ_JSON));
        if let Ok(v) = HeaderValue::from_str(&self.type_name) {
            headers.insert(ERROR_TYPE_HEADER, v);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    struct Req {
        user_pool_id: String,
        limit: Option<u32>,
        flow: Option<Flow>,
        user_attributes: Option<Vec<Attr>>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    struct Attr {
        name: String,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    enum Flow {
        #[serde(rename = "USER_SRP_AUTH")]
        Srp,
        #[serde(rename = "USER_PASSWORD_AUTH")]
        Password,
    }

    fn decode(body: &str) -> ApiError {
        let de = &mut serde_json::Deserializer::from_str(body);
        let err = serde_path_to_error::deserialize::<_, Req>(de).unwrap_err();
        ApiError::from_json(&err)
    }

    #[test]
    fn syntax_errors_are_serialization_exceptions() {
        for body in ["{", "not json", r#"{"UserPoolId": }"#] {
            let e = decode(body);
            assert_eq!(e.type_name(), "SerializationException", "{body}");
            assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        }
    }

    #[test]
    fn missing_members_name_the_member() {
        let e = decode("{}");
        assert_eq!(e.type_name(), "InvalidParameterException");
        assert_eq!(
            e.message(),
            "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
        );
        let e = decode(r#"{"UserPoolId":"p","UserAttributes":[{}]}"#);
        assert!(
            e.message().contains("'userAttributes.0.name'"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn wrong_types_and_enum_values() {
        let e = decode(r#"{"UserPoolId": 5}"#);
        assert_eq!(e.type_name(), "SerializationException");
        assert!(e.message().contains("'userPoolId'"), "{}", e.message());
        let e = decode(r#"{"UserPoolId":"p","Flow":"NOPE"}"#);
        assert_eq!(e.type_name(), "InvalidParameterException");
        assert!(
            e.message().contains("Value 'NOPE' at 'flow'")
                && e.message().contains("[USER_SRP_AUTH, USER_PASSWORD_AUTH]"),
            "{}",
            e.message()
        );
        assert_eq!(decode("[]").type_name(), "SerializationException");
    }

    #[test]
    fn auth_errors_map_to_exception_names() {
        let e = ApiError::from(AuthError::NotAuthorized(
            "Incorrect username or password.".into(),
        ));
        assert_eq!(
            (e.status(), e.type_name(), e.message()),
            (
                StatusCode::BAD_REQUEST,
                "NotAuthorizedException",
                "Incorrect username or password."
            )
        );
        let e = ApiError::from(AuthError::UnsupportedOperation("x".into()));
        assert_eq!(e.type_name(), "UnsupportedOperationException");
        let e = ApiError::from(AuthError::Internal("Internal server error.".into()));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.type_name(), "InternalErrorException");
    }

    #[test]
    fn sigv4_errors_are_403() {
        let e = ApiError::from(SigV4Error::Missing);
        assert_eq!(e.status(), StatusCode::FORBIDDEN);
        assert_eq!(e.type_name(), "MissingAuthenticationTokenException");
        assert_eq!(e.message(), "Missing Authentication Token");
        assert_eq!(
            ApiError::from(SigV4Error::UnknownKey).type_name(),
            "UnrecognizedClientException"
        );
        assert_eq!(
            ApiError::from(SigV4Error::Mismatch).type_name(),
            "InvalidSignatureException"
        );
    }
}
