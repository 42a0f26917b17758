//! One request on the wire: the body and headers exactly as generated, SigV4-signed
//! correctly, badly or not at all, sent over a real connection; and the plain, well-formed
//! calls the fixture is built with.

use std::time::Duration;

use keystep_server::sigv4;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;

/// The content type of the awsJson 1.1 protocol.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// What every `X-Amz-Target` starts with.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// How a request is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Signing {
    /// No `Authorization` header.
    Unsigned,
    /// Signed over exactly what is sent.
    Valid,
    /// Signed, then one character of the signature changed.
    BadSignature,
    /// Signed with credentials the server does not know.
    UnknownKey,
    /// Signed an hour ago.
    StaleDate,
    /// Signed over a different body.
    OtherBody,
    /// An `Authorization` header that is no signature at all.
    Garbage,
}

/// A request as the generator made it.
#[derive(Debug, Clone)]
pub struct Shot {
    /// The operation the request was made for (what the counts are kept by).
    pub op: String,
    /// The `X-Amz-Target` header; `None` leaves it out.
    pub target: Option<Vec<u8>>,
    /// The `Content-Type` header; `None` leaves it out.
    pub content_type: Option<Vec<u8>>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// How it is signed.
    pub signing: Signing,
    /// What was done to the valid request, for reports.
    pub mutation: String,
}

impl Shot {
    /// A well-formed request for `op` with `body`, signed as `signing` says.
    pub fn plain(op: &str, body: Vec<u8>, signing: Signing) -> Shot {
        Shot {
            op: op.to_string(),
            target: Some(format!("{TARGET_PREFIX}{op}").into_bytes()),
            content_type: Some(CONTENT_TYPE.as_bytes().to_vec()),
            body,
            signing,
            mutation: "none".into(),
        }
    }
}

/// What came back.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// A failed well-formed call of the fixture builder.
#[derive(Debug, Clone)]
pub struct CallError {
    /// The operation.
    pub op: String,
    /// The HTTP status (0: no answer).
    pub status: u16,
    /// The `__type`, or what went wrong.
    pub name: String,
    /// The message.
    pub message: String,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} answered {} {}: {}",
            self.op, self.status, self.name, self.message
        )
    }
}

/// Sends requests to one server.
pub struct Wire {
    http: reqwest::Client,
    url: String,
    host: String,
    access_key_id: String,
    secret_access_key: String,
}

impl Wire {
    /// A sender for the server at `url` (`http://host:port`) with its admin credentials.
    pub fn new(url: &str, access_key_id: &str, secret_access_key: &str) -> Result<Wire, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(64)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Wire {
            http,
            url: format!("{url}/"),
            host: url.trim_start_matches("http://").to_string(),
            access_key_id: access_key_id.to_string(),
            secret_access_key: secret_access_key.to_string(),
        })
    }

    /// Sends `shot`; `Err` is a transport failure (no HTTP answer).
    pub async fn send(&self, shot: &Shot) -> Result<Answer, String> {
        let mut headers: Vec<(HeaderName, HeaderValue)> = Vec::new();
        let mut signed: Vec<(&str, String)> = vec![("host", self.host.clone())];
        if let Some(ct) = &shot.content_type {
            let v = header_value(ct);
            signed.push(("content-type", lossy(&v)));
            headers.push((reqwest::header::CONTENT_TYPE, v));
        }
        if let Some(t) = &shot.target {
            let v = header_value(t);
            signed.push(("x-amz-target", lossy(&v)));
            headers.push((HeaderName::from_static("x-amz-target"), v));
        }
        headers.extend(self.signature(shot, &signed));
        let mut req = self
            .http
            .post(&self.url)
            .header(reqwest::header::HOST, &self.host);
        for (name, value) in headers {
            req = req.header(name, value);
        }
        let resp = req
            .body(shot.body.clone())
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(|e| describe(&e))?;
        Ok(Answer {
            status,
            body: body.to_vec(),
        })
    }

    /// The `Authorization` and `X-Amz-Date` headers `shot.signing` asks for.
    fn signature(&self, shot: &Shot, signed: &[(&str, String)]) -> Vec<(HeaderName, HeaderValue)> {
        let now = now_secs();
        let (when, key_id, secret, body): (i64, &str, &str, Vec<u8>) = match shot.signing {
            Signing::Unsigned => return Vec::new(),
            Signing::Garbage => {
                return vec![(
                    reqwest::header::AUTHORIZATION,
                    HeaderValue::from_static("AWS4-HMAC-SHA256 Credential=/, Signature=zz"),
                )]
            }
            Signing::Valid | Signing::BadSignature => (
                now,
                &self.access_key_id,
                &self.secret_access_key,
                shot.body.clone(),
            ),
            Signing::UnknownKey => (
                now,
                "AKIAFUZZFUZZFUZZFUZZ",
                "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz",
                shot.body.clone(),
            ),
            Signing::StaleDate => (
                now - 3600,
                &self.access_key_id,
                &self.secret_access_key,
                shot.body.clone(),
            ),
            Signing::OtherBody => {
                let mut other = shot.body.clone();
                other.push(b' ');
                (now, &self.access_key_id, &self.secret_access_key, other)
            }
        };
        let pairs: Vec<(&str, &str)> = signed.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let sig = sigv4::sign(
            &sigv4::Request {
                method: "POST",
                path: "/",
                query: "",
                headers: &pairs,
                body: &body,
            },
            when,
            key_id,
            secret,
            "us-east-1",
        );
        let mut authorization = sig.authorization;
        if shot.signing == Signing::BadSignature {
            // Flip the last hex digit of the signature.
            if let Some(last) = authorization.pop() {
                authorization.push(if last == '0' { '1' } else { '0' });
            }
        }
        let mut out = Vec::new();
        if let Ok(v) = HeaderValue::from_str(&sig.x_amz_date) {
            out.push((HeaderName::from_static("x-amz-date"), v));
        }
        if let Ok(v) = HeaderValue::from_str(&authorization) {
            out.push((reqwest::header::AUTHORIZATION, v));
        }
        out
    }

    /// A well-formed call (signed unless `op` is one of the unsigned operations); the
    /// answer's JSON on 2xx.
    pub async fn call(&self, op: &str, body: &Value) -> Result<Value, CallError> {
        let signing = if keystep_server::catalog::is_unsigned(op) {
            Signing::Unsigned
        } else {
            Signing::Valid
        };
        let shot = Shot::plain(op, body.to_string().into_bytes(), signing);
        let fail = |status: u16, name: &str, message: String| CallError {
            op: op.to_string(),
            status,
            name: name.to_string(),
            message,
        };
        let answer = self
            .send(&shot)
            .await
            .map_err(|e| fail(0, "Transport", e))?;
        let value: Value = serde_json::from_slice(&answer.body).map_err(|_| {
            fail(
                answer.status,
                "NotJson",
                String::from_utf8_lossy(&answer.body)
                    .chars()
                    .take(300)
                    .collect(),
            )
        })?;
        if (200..300).contains(&answer.status) {
            return Ok(value);
        }
        Err(fail(
            answer.status,
            value["__type"].as_str().unwrap_or("?"),
            value["message"].as_str().unwrap_or("").to_string(),
        ))
    }
}

/// A header value from arbitrary bytes: bytes a header cannot carry (controls other than
/// tab) become `?`, so that the request can still be sent.
fn header_value(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes).unwrap_or_else(|_| {
        let cleaned: Vec<u8> = bytes
            .iter()
            .map(|&b| {
                if (b < 0x20 && b != b'\t') || b == 0x7f {
                    b'?'
                } else {
                    b
                }
            })
            .collect();
        HeaderValue::from_bytes(&cleaned).unwrap_or_else(|_| HeaderValue::from_static("?"))
    })
}

/// The header as the server's signature check reads it (non-UTF-8 values do not verify
/// anyway).
fn lossy(v: &HeaderValue) -> String {
    String::from_utf8_lossy(v.as_bytes()).into_owned()
}

fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The wall clock in seconds since the epoch.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
