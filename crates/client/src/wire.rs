//! The awsJson 1.1 transport: one unsigned `POST /` per operation, errors from the
//! `{"__type","message"}` body.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AuthError;

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// Sends public (unsigned) operations to one endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Wire {
    http: reqwest::Client,
    url: String,
}

impl Wire {
    pub(crate) fn new(endpoint: &str) -> Wire {
        Wire {
            http: reqwest::Client::new(),
            url: format!("{}/", endpoint.trim_end_matches('/')),
        }
    }

    /// Calls `op` with `request` and decodes the answer.
    pub(crate) async fn call<Req, Resp>(&self, op: &str, request: &Req) -> Result<Resp, AuthError>
    where
        Req: Serialize,
        Resp: DeserializeOwned,
    {
        let body = serde_json::to_vec(request).map_err(|e| AuthError::InvalidParameter {
            message: format!("cannot encode the {op} request: {e}"),
        })?;
        let response = self
            .http
            .post(&self.url)
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", format!("{TARGET_PREFIX}{op}"))
            .body(body)
            .send()
            .await
            .map_err(network)?;
        let status = response.status();
        let header_type = response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = response.bytes().await.map_err(network)?;
        if status.is_success() {
            // An empty body is an empty object (`{}`) for operations that return nothing.
            let bytes: &[u8] = if bytes.is_empty() { b"{}" } else { &bytes };
            return serde_json::from_slice(bytes).map_err(|e| AuthError::Service {
                name: "InvalidServiceResponse".into(),
                message: format!("cannot read the {op} response: {e}"),
            });
        }
        Err(error_from_body(
            status.as_u16(),
            header_type.as_deref(),
            &bytes,
        ))
    }
}

fn network(e: reqwest::Error) -> AuthError {
    AuthError::Network {
        message: e.to_string(),
    }
}

/// The error of a non-2xx answer: `__type` from the body, else the `x-amzn-ErrorType`
/// header, else the HTTP status.
pub(crate) fn error_from_body(status: u16, header_type: Option<&str>, body: &[u8]) -> AuthError {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |names: &[&str]| -> Option<String> {
        let value = parsed.as_ref()?;
        names
            .iter()
            .find_map(|n| value.get(*n).and_then(|v| v.as_str()).map(str::to_string))
    };
    let message = field(&["message", "Message"]).unwrap_or_default();
    match field(&["__type", "code"]).or_else(|| header_type.map(str::to_string)) {
        Some(type_) => AuthError::from_service(&type_, message),
        None => AuthError::Service {
            name: format!("HttpStatus{status}"),
            message: String::from_utf8_lossy(body).chars().take(200).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_from_the_body_then_the_header() {
        let e = error_from_body(
            400,
            None,
            br#"{"__type":"aws.cognito#UserNotFoundException","message":"User does not exist."}"#,
        );
        assert_eq!(
            e,
            AuthError::UserNotFound {
                message: "User does not exist.".into()
            }
        );
        let e = error_from_body(400, Some("LimitExceededException:http://x"), b"");
        assert!(matches!(e, AuthError::LimitExceeded { .. }));
        let e = error_from_body(502, None, b"bad gateway");
        assert_eq!(e.name(), "HttpStatus502");
    }
}
