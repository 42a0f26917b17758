//! One request on the wire: the body and headers exactly as generated, SigV4-signed
//! correctly, badly or not at all, sent over a real connection; and the plain, well-formed
//! calls the fixture is built with.

use std::time::Duration;

use keystep_server::sigv4;

/// Bodies larger than this go over a plain socket whose keep-alive is checked after the
/// answer: a server may stop reading a large body early, and must then say it closes.
const RAW_ABOVE: usize = 16 * 1024;
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
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
    /// The server closed the connection after answering without saying so (no
    /// `Connection: close`): a client that sends its next request on it fails.
    pub closed_silently: bool,
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
        if shot.body.len() > RAW_ABOVE {
            return self.send_raw(&headers, &shot.body).await;
        }
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
            closed_silently: false,
        })
    }

    /// Sends a large body over a plain keep-alive socket, then checks that the connection
    /// still serves a request unless the answer said `Connection: close`. A server that
    /// answers before reading a body (too large, or not an operation) may close the
    /// connection, but must say so: keep-alive clients send their next request on it.
    /// An HTTP client that fails writing the rest of a body the server stopped reading
    /// would never see the answer; here the write may fail and the answer is read anyway.
    async fn send_raw(
        &self,
        headers: &[(HeaderName, HeaderValue)],
        body: &[u8],
    ) -> Result<Answer, String> {
        use tokio::io::AsyncWriteExt;
        let mut head = format!(
            "POST / HTTP/1.1\r\nhost: {}\r\ncontent-length: {}\r\n",
            self.host,
            body.len()
        )
        .into_bytes();
        for (name, value) in headers {
            head.extend_from_slice(name.as_str().as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value.as_bytes());
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(b"\r\n");
        let exchange = async {
            let mut socket = tokio::net::TcpStream::connect(&self.host)
                .await
                .map_err(|e| format!("connect: {e}"))?;
            socket
                .write_all(&head)
                .await
                .map_err(|e| format!("writing the head: {e}"))?;
            // The server may close before the body is through.
            let _ = socket.write_all(body).await;
            let mut buffer = Vec::new();
            let (mut answer, close) = read_response(&mut socket, &mut buffer).await?;
            if !close {
                let probe = format!("GET /health HTTP/1.1\r\nhost: {}\r\n\r\n", self.host);
                let served = match socket.write_all(probe.as_bytes()).await {
                    Ok(()) => read_response(&mut socket, &mut buffer).await.is_ok(),
                    Err(_) => false,
                };
                answer.closed_silently = !served;
            }
            Ok(answer)
        };
        tokio::time::timeout(Duration::from_secs(60), exchange)
            .await
            .map_err(|_| "no answer within 60 seconds".to_string())?
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

/// Reads one HTTP/1.1 response (with a `Content-Length`) from `socket`, `buffer` holding
/// what was read beyond the previous one. Returns it and whether it said
/// `Connection: close`.
async fn read_response(
    socket: &mut tokio::net::TcpStream,
    buffer: &mut Vec<u8>,
) -> Result<(Answer, bool), String> {
    use tokio::io::AsyncReadExt;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if let Some((answer, close, used)) = parse_response(buffer)? {
            buffer.drain(..used);
            return Ok((answer, close));
        }
        let n = socket
            .read(&mut chunk)
            .await
            .map_err(|e| format!("reading the answer: {e}"))?;
        if n == 0 {
            return Err(format!(
                "connection closed before a whole answer ({} bytes read)",
                buffer.len()
            ));
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

/// A complete response at the start of `bytes`: the answer, whether it said
/// `Connection: close`, and how many bytes it took. `None` while incomplete.
fn parse_response(bytes: &[u8]) -> Result<Option<(Answer, bool, usize)>, String> {
    let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = String::from_utf8_lossy(&bytes[..end]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let header = |wanted: &str| {
        head.lines().skip(1).find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case(wanted)
                .then(|| value.trim().to_string())
        })
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no Content-Length in {head:?}"))?;
    let close = header("connection")
        .is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
    let start = end + 4;
    if bytes.len() < start + length {
        return Ok(None);
    }
    let answer = Answer {
        status,
        body: bytes[start..start + length].to_vec(),
        closed_silently: false,
    };
    Ok(Some((answer, close, start + length)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_answers_are_parsed() {
        let text = b"HTTP/1.1 413 Payload Too Large\r\ncontent-type: x\r\nContent-Length: 4\r\n\r\n{}  extra";
        let (a, close, used) = parse_response(text).unwrap().unwrap();
        assert_eq!(
            (a.status, a.body.as_slice(), close),
            (413, b"{}  ".as_slice(), false)
        );
        assert_eq!(&text[used..], b"extra");
        let closing =
            b"HTTP/1.1 400 Bad\r\nConnection: keep-alive, close\r\ncontent-length: 0\r\n\r\n";
        assert!(parse_response(closing).unwrap().unwrap().1);
        assert!(
            parse_response(b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n{}")
                .unwrap()
                .is_none()
        );
        assert!(parse_response(b"").unwrap().is_none());
        assert!(parse_response(b"garbage\r\n\r\n").is_err());
    }
}
