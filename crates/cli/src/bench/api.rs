//! The bench's HTTP side: Cognito JSON calls (admin ones SigV4-signed with
//! `keystep_server::sigv4`) and the development outbox.

use std::time::Duration;

use keystep_server::outbox::OutboxMessage;
use keystep_server::sigv4;
use serde_json::Value;

const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Why a call failed, named the way the error report counts it: the Cognito error name
/// (`NotAuthorizedException`, ...) or one of the bench's own (`Transport`, `Timeout`,
/// `UnexpectedResponse`, ...).
#[derive(Debug, Clone)]
pub struct CallError {
    /// The name errors are counted by.
    pub name: String,
    /// What happened, for the setup phase's messages.
    pub detail: String,
}

impl CallError {
    /// An error of the bench's own.
    pub fn new(name: &str, detail: impl Into<String>) -> CallError {
        CallError {
            name: name.to_string(),
            detail: detail.into(),
        }
    }

    fn transport(e: &reqwest::Error) -> CallError {
        let name = if e.is_timeout() {
            "Timeout"
        } else if e.is_connect() {
            "ConnectError"
        } else {
            "Transport"
        };
        CallError::new(name, e.to_string())
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.detail)
    }
}

/// One shared HTTP client and where and as whom to call.
pub struct Api {
    http: reqwest::Client,
    /// `scheme://host[:port]/path` as given, without a trailing slash.
    base: String,
    /// The URL of `POST /`-style calls.
    api_url: String,
    /// The path signed (the endpoint's, `/` when empty).
    path: String,
    /// The `Host` header exactly as sent.
    host: String,
    region: String,
    credentials: Option<(String, String)>,
    /// Whether calls retry `TooManyRequestsException` (the setup phase, against a
    /// server with admission control; never the measured phase, whose refusals count).
    retry_throttled: std::sync::atomic::AtomicBool,
}

impl Api {
    /// A client for `endpoint`.
    pub fn new(
        endpoint: &str,
        region: &str,
        credentials: Option<(String, String)>,
        concurrency: usize,
    ) -> Result<Api, String> {
        let url = reqwest::Url::parse(endpoint)
            .map_err(|e| format!("--endpoint {endpoint:?} is not a URL: {e}"))?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            (None, _) => return Err(format!("--endpoint {endpoint:?} has no host")),
        };
        let path = match url.path() {
            "" => "/".to_string(),
            p => p.to_string(),
        };
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency.max(1) * 2)
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        let base = endpoint.trim_end_matches('/').to_string();
        Ok(Api {
            http,
            api_url: url.to_string(),
            base,
            path,
            host,
            region: region.to_string(),
            credentials,
            retry_throttled: std::sync::atomic::AtomicBool::new(true),
        })
    }

    /// An unsigned call (`SignUp`, `InitiateAuth`, `GetUser`, ...).
    pub async fn call(&self, op: &str, body: &Value) -> Result<Value, CallError> {
        self.send_retrying(op, body, false).await
    }

    /// A call signed with the admin credentials (`AdminCreateUser`, `CreateUserPool`, ...).
    pub async fn admin(&self, op: &str, body: &Value) -> Result<Value, CallError> {
        self.send_retrying(op, body, true).await
    }

    /// Until [`Api::measuring`], a throttled call is tried again after a pause.
    async fn send_retrying(
        &self,
        op: &str,
        body: &Value,
        signed: bool,
    ) -> Result<Value, CallError> {
        let mut attempt = 0u64;
        loop {
            match self.send(op, body, signed).await {
                Err(e)
                    if e.name == "TooManyRequestsException"
                        && attempt < 50
                        && self
                            .retry_throttled
                            .load(std::sync::atomic::Ordering::Relaxed) =>
                {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(5 * attempt.min(20))).await;
                }
                other => return other,
            }
        }
    }

    /// From now on nothing is retried: the measured phase counts every refusal.
    pub fn measuring(&self) {
        self.retry_throttled
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }

    async fn send(&self, op: &str, body: &Value, signed: bool) -> Result<Value, CallError> {
        let body = body.to_string();
        let target = format!("AWSCognitoIdentityProviderService.{op}");
        let mut req = self
            .http
            .post(&self.api_url)
            .header("content-type", CONTENT_TYPE)
            .header("x-amz-target", &target);
        if signed {
            let Some((id, secret)) = &self.credentials else {
                return Err(CallError::new(
                    "NoCredentials",
                    format!("{op} needs admin credentials"),
                ));
            };
            let headers = [
                ("content-type", CONTENT_TYPE),
                ("host", self.host.as_str()),
                ("x-amz-target", target.as_str()),
            ];
            let signed = sigv4::sign(
                &sigv4::Request {
                    method: "POST",
                    path: &self.path,
                    query: "",
                    headers: &headers,
                    body: body.as_bytes(),
                },
                now_secs(),
                id,
                secret,
                &self.region,
            );
            req = req
                .header("host", &self.host)
                .header("x-amz-date", signed.x_amz_date)
                .header("authorization", signed.authorization);
        }
        let resp = req
            .body(body)
            .send()
            .await
            .map_err(|e| CallError::transport(&e))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| CallError::transport(&e))?;
        let value: Value = if text.is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_str(&text).map_err(|_| {
                CallError::new(
                    "UnexpectedResponse",
                    format!("{op} answered {status} with non-JSON: {}", clip(&text)),
                )
            })?
        };
        if status.is_success() {
            return Ok(value);
        }
        Err(CallError::new(
            &error_name(&value, status),
            format!(
                "{op} answered {status}: {}",
                value["message"]
                    .as_str()
                    .or(value["Message"].as_str())
                    .unwrap_or("")
            ),
        ))
    }

    /// The code of the newest outbox message to `username` of `pool_id`
    /// (`GET /admin/outbox`, HTTP Basic with the admin credentials).
    pub async fn last_code(&self, pool_id: &str, username: &str) -> Result<String, CallError> {
        let Some((id, secret)) = &self.credentials else {
            return Err(CallError::new(
                "NoCredentials",
                "the outbox needs admin credentials",
            ));
        };
        let resp = self
            .http
            .get(format!("{}/admin/outbox", self.base))
            .query(&[("pool_id", pool_id), ("username", username), ("limit", "1")])
            .basic_auth(id, Some(secret))
            .send()
            .await
            .map_err(|e| CallError::transport(&e))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(CallError::new(
                "OutboxError",
                format!("GET /admin/outbox answered {status}"),
            ));
        }
        let messages: Vec<OutboxMessage> = resp.json().await.map_err(|e| {
            CallError::new("OutboxError", format!("GET /admin/outbox answered: {e}"))
        })?;
        messages
            .into_iter()
            .rev()
            .find_map(|m| m.code)
            .ok_or_else(|| CallError::new("NoCodeInOutbox", format!("no code for {username}")))
    }
}

/// The error name of an awsJson error body: `__type` without any namespace prefix
/// (`com.amazonaws...#NotAuthorizedException` -> `NotAuthorizedException`).
fn error_name(body: &Value, status: reqwest::StatusCode) -> String {
    match body["__type"].as_str() {
        Some(t) if !t.is_empty() => t.rsplit('#').next().unwrap_or(t).to_string(),
        _ => format!("Http{}", status.as_u16()),
    }
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

/// The wall clock in seconds since the epoch.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_names_drop_the_namespace() {
        let s = reqwest::StatusCode::BAD_REQUEST;
        assert_eq!(
            error_name(&json!({"__type": "NotAuthorizedException"}), s),
            "NotAuthorizedException"
        );
        assert_eq!(
            error_name(
                &json!({"__type": "com.amazonaws.cognito#TooManyRequestsException"}),
                s
            ),
            "TooManyRequestsException"
        );
        assert_eq!(error_name(&json!({}), s), "Http400");
    }

    #[test]
    fn the_signed_host_has_the_port_when_not_the_default() {
        let api = Api::new("http://127.0.0.1:9229", "us-east-1", None, 1).unwrap();
        assert_eq!(
            (api.host.as_str(), api.path.as_str()),
            ("127.0.0.1:9229", "/")
        );
        let api = Api::new(
            "https://cognito-idp.eu-west-1.amazonaws.com/",
            "eu-west-1",
            None,
            1,
        )
        .unwrap();
        assert_eq!(api.host, "cognito-idp.eu-west-1.amazonaws.com");
    }
}
