//! HTTP to federated identity providers (the domain's `Upstream` port), with reqwest:
//! short timeouts, bounded answers, no cookies, redirects only for discovery documents'
//! usual hops.

use std::time::Duration;

use async_trait::async_trait;
use keystep_core::ports::{Upstream, UpstreamError};

/// The largest answer read from a provider (discovery documents and JWKS are small).
const MAX_ANSWER: usize = 256 * 1024;

/// The reqwest-backed [`Upstream`].
pub struct HttpUpstream {
    http: reqwest::Client,
}

impl HttpUpstream {
    /// A client with a 10-second timeout and at most 3 redirects.
    pub fn new() -> HttpUpstream {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::limited(3))
            .user_agent(concat!("keystep/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        HttpUpstream { http }
    }
}

impl Default for HttpUpstream {
    fn default() -> Self {
        HttpUpstream::new()
    }
}

async fn json_of(
    url: &str,
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<serde_json::Value, UpstreamError> {
    let response = sent.map_err(|e| UpstreamError(format!("{url}: {}", e.without_url())))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| UpstreamError(format!("{url}: {}", e.without_url())))?;
    if bytes.len() > MAX_ANSWER {
        return Err(UpstreamError(format!("{url}: the answer is too large")));
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| UpstreamError(format!("{url}: HTTP {status}, not JSON")))?;
    if !status.is_success() {
        let error = value.get("error").and_then(|e| e.as_str()).unwrap_or("");
        return Err(UpstreamError(format!("{url}: HTTP {status} {error}")));
    }
    Ok(value)
}

#[async_trait]
impl Upstream for HttpUpstream {
    async fn get_json(
        &self,
        url: &str,
        bearer: Option<&str>,
    ) -> Result<serde_json::Value, UpstreamError> {
        let mut request = self.http.get(url).header("accept", "application/json");
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        json_of(url, request.send().await).await
    }

    async fn post_form(
        &self,
        url: &str,
        form: &[(String, String)],
        basic: Option<(&str, &str)>,
    ) -> Result<serde_json::Value, UpstreamError> {
        let mut request = self
            .http
            .post(url)
            .header("accept", "application/json")
            .form(form);
        if let Some((user, password)) = basic {
            // RFC 6749 §2.3.1: each part form-urlencoded before the Basic encoding.
            let encode =
                |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            request = request.basic_auth(encode(user), Some(encode(password)));
        }
        json_of(url, request.send().await).await
    }
}
