//! User-pool triggers, called as webhooks: the pool's `LambdaConfig` slot holds an
//! `http(s)://` URL, or a Lambda ARN the server configuration maps to one. The webhook
//! receives exactly the event a Lambda function would (protocol notes §7.1) and answers
//! with the event, `response` filled.
//!
//! This module holds what is pure: the slots, resolving a slot to a URL, the event
//! envelope, and mapping failures to Cognito's errors. The call itself goes through the
//! [`TriggerInvoker`] port (HTTP in the server).

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use crate::error::AuthError;
use crate::pool::LambdaConfig;
use crate::user::User;

/// A trigger slot Keystep invokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerSlot {
    /// `PreSignUp`.
    PreSignUp,
    /// `PostConfirmation`.
    PostConfirmation,
    /// `PreAuthentication`.
    PreAuthentication,
    /// `PostAuthentication`.
    PostAuthentication,
    /// `DefineAuthChallenge`.
    DefineAuthChallenge,
    /// `CreateAuthChallenge`.
    CreateAuthChallenge,
    /// `VerifyAuthChallengeResponse`.
    VerifyAuthChallengeResponse,
    /// `PreTokenGeneration`.
    PreTokenGeneration,
    /// `UserMigration`.
    UserMigration,
    /// `CustomMessage`.
    CustomMessage,
    /// `CustomSMSSender`: carries SMS messages instead of the server's SMS sender.
    CustomSmsSender,
    /// `CustomEmailSender`: carries e-mail instead of the server's SMTP relay.
    CustomEmailSender,
}

/// Every slot Keystep invokes.
pub const SLOTS: [TriggerSlot; 12] = [
    TriggerSlot::PreSignUp,
    TriggerSlot::PostConfirmation,
    TriggerSlot::PreAuthentication,
    TriggerSlot::PostAuthentication,
    TriggerSlot::DefineAuthChallenge,
    TriggerSlot::CreateAuthChallenge,
    TriggerSlot::VerifyAuthChallengeResponse,
    TriggerSlot::PreTokenGeneration,
    TriggerSlot::UserMigration,
    TriggerSlot::CustomMessage,
    TriggerSlot::CustomSmsSender,
    TriggerSlot::CustomEmailSender,
];

impl TriggerSlot {
    /// The `LambdaConfig` member name, which is also how Cognito names the trigger in
    /// error messages.
    pub fn name(self) -> &'static str {
        match self {
            TriggerSlot::PreSignUp => "PreSignUp",
            TriggerSlot::PostConfirmation => "PostConfirmation",
            TriggerSlot::PreAuthentication => "PreAuthentication",
            TriggerSlot::PostAuthentication => "PostAuthentication",
            TriggerSlot::DefineAuthChallenge => "DefineAuthChallenge",
            TriggerSlot::CreateAuthChallenge => "CreateAuthChallenge",
            TriggerSlot::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
            TriggerSlot::PreTokenGeneration => "PreTokenGeneration",
            TriggerSlot::UserMigration => "UserMigration",
            TriggerSlot::CustomMessage => "CustomMessage",
            TriggerSlot::CustomSmsSender => "CustomSMSSender",
            TriggerSlot::CustomEmailSender => "CustomEmailSender",
        }
    }
}

/// Where the server's configuration points Lambda ARNs (`[triggers.arn_map]`), and
/// whether webhooks may be called over plain HTTP.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriggerConfig {
    /// Lambda ARN to webhook URL.
    pub arn_map: BTreeMap<String, String>,
    /// `[triggers] allow_http`: plain `http://` webhooks anywhere, not only on a loopback
    /// address (an event carries user attributes and codes; on a network it needs TLS).
    pub allow_http: bool,
}

/// The host of an `http(s)://` URL: between the scheme and the first `/`, `?` or `#`,
/// without user info and port; an IPv6 address without its brackets.
fn url_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = host_port.strip_prefix('[') {
        return v6.split_once(']').map(|(h, _)| h);
    }
    Some(host_port.split(':').next().unwrap_or(host_port))
}

/// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a webhook at `url` may be called: `https://` anywhere; plain `http://` only on
/// a loopback address, unless `allow_http`.
pub fn webhook_url_allowed(url: &str, allow_http: bool) -> bool {
    if url.starts_with("https://") {
        return url_host(url).is_some_and(|h| !h.is_empty());
    }
    url.starts_with("http://")
        && url_host(url).is_some_and(|h| !h.is_empty() && (allow_http || is_loopback_host(h)))
}

/// The refusal of a plain-HTTP webhook that is not on this machine.
pub fn plain_http_refused(what: &str) -> String {
    format!(
        "{what} must use https:// (plain http:// is accepted only for a loopback address, \
         unless the server configuration sets [triggers] allow_http = true)"
    )
}

/// Whether `value` is a webhook URL Keystep calls directly.
fn is_url(value: &str) -> bool {
    value.starts_with("http://") || value.starts_with("https://")
}

impl TriggerConfig {
    /// The URL a slot value stands for: itself, or the mapping of its ARN.
    pub fn resolve(&self, value: &str) -> Option<String> {
        if is_url(value) {
            return Some(value.to_string());
        }
        self.arn_map.get(value).cloned()
    }

    /// Checks a pool's `LambdaConfig` when it is set: every trigger must resolve to a
    /// URL.
    pub fn check(&self, lc: &LambdaConfig) -> Result<(), AuthError> {
        for slot in SLOTS {
            let Some(value) = lc.slots.get(slot.name()) else {
                continue;
            };
            if let Some(url) = self.resolve(value) {
                if !webhook_url_allowed(&url, self.allow_http) {
                    return Err(AuthError::InvalidParameter(plain_http_refused(&format!(
                        "The {} webhook",
                        slot.name()
                    ))));
                }
            }
            if self.resolve(value).is_none() {
                return Err(AuthError::InvalidParameter(format!(
                    "{} is set to {}, which is neither an http(s):// URL nor a Lambda ARN mapped \
                     to one. Map it in the server configuration: [triggers.arn_map] \"{}\" = \
                     \"https://your-webhook/...\" (or KEYSTEP_TRIGGERS_ARN_MAP), or give the URL.",
                    slot.name(),
                    value.chars().take(256).collect::<String>(),
                    value.chars().take(256).collect::<String>(),
                )));
            }
        }
        if let Some(v) = &lc.pre_token_generation_version {
            if !matches!(v.as_str(), "V1_0" | "V2_0") {
                return Err(AuthError::InvalidParameter(format!(
                    "PreTokenGenerationConfig.LambdaVersion {v} is not supported; use V1_0 or V2_0."
                )));
            }
        }
        Ok(())
    }
}

/// Why a webhook call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvokeFailure {
    /// The function ran and refused: a non-2xx status or a Lambda error body
    /// (`errorMessage`). The message is the function's.
    #[error("rejected: {0}")]
    Rejected(String),
    /// The function could not be run or answered nothing usable: timeout, refused
    /// connection, a body that is not a JSON object.
    #[error("failed: {0}")]
    Failed(String),
}

/// Calls webhooks.
#[async_trait]
pub trait TriggerInvoker: Send + Sync + 'static {
    /// POSTs `event` to `url`, signed with `secret`; returns the event the function
    /// answered.
    async fn invoke(
        &self,
        slot: TriggerSlot,
        url: &str,
        secret: &[u8],
        event: &Value,
    ) -> Result<Value, InvokeFailure>;
}

/// An invoker for servers without triggers configured: any call is a failure.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTriggers;

#[async_trait]
impl TriggerInvoker for NoTriggers {
    async fn invoke(
        &self,
        _slot: TriggerSlot,
        url: &str,
        _secret: &[u8],
        _event: &Value,
    ) -> Result<Value, InvokeFailure> {
        Err(InvokeFailure::Failed(format!(
            "this server cannot call webhooks ({url})"
        )))
    }
}

/// The error a failed call answers the API request with (protocol notes §3.1).
pub fn failure_error(slot: TriggerSlot, failure: InvokeFailure) -> AuthError {
    match failure {
        InvokeFailure::Rejected(message) => AuthError::UserLambdaValidation(format!(
            "{} failed with error {}.",
            slot.name(),
            message.trim_end_matches('.')
        )),
        InvokeFailure::Failed(reason) => {
            AuthError::UnexpectedLambda(format!("{} failed: {reason}", slot.name()))
        }
    }
}

/// The error for an answer whose `response` does not have the shape the slot needs.
pub fn invalid_response(slot: TriggerSlot, what: &str) -> AuthError {
    AuthError::InvalidLambdaResponse(format!("Invalid {} response: {what}", slot.name()))
}

/// `request.userAttributes`: every attribute as a string, plus `sub` and
/// `cognito:user_status`.
pub fn user_attributes(user: &User) -> Value {
    let mut m = Map::new();
    m.insert("sub".into(), user.sub.clone().into());
    for (k, v) in &user.attributes {
        m.insert(k.clone(), v.clone().into());
    }
    m.insert(
        "cognito:user_status".into(),
        user.status.as_str().to_string().into(),
    );
    Value::Object(m)
}

/// The fields every event shares (§7.1), around a slot's `request`.
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    /// `region` (the pool's).
    pub region: &'a str,
    /// `userPoolId`.
    pub pool_id: &'a str,
    /// `userName`: the canonical username (or the typed name for an unknown user).
    pub user_name: &'a str,
    /// `callerContext.clientId`, when an app client is involved.
    pub client_id: Option<&'a str>,
    /// `triggerSource`.
    pub trigger_source: &'a str,
    /// `version`: `"1"`, or `"2"` for PreTokenGeneration V2.
    pub version: &'a str,
}

impl Envelope<'_> {
    /// The event with `request` and an empty `response`.
    pub fn event(&self, request: Value) -> Value {
        json!({
            "version": self.version,
            "region": self.region,
            "userPoolId": self.pool_id,
            "userName": self.user_name,
            "callerContext": {
                "awsSdkVersion": "aws-sdk-unknown-unknown",
                "clientId": self.client_id.unwrap_or("CLIENT_ID_NOT_APPLICABLE"),
            },
            "triggerSource": self.trigger_source,
            "request": request,
            "response": {},
        })
    }
}

/// The `response` of an answered event: an object (a missing or `null` one is empty).
pub fn response_of(slot: TriggerSlot, answered: &Value) -> Result<Map<String, Value>, AuthError> {
    match answered.get("response") {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(_) => Err(invalid_response(slot, "response is not an object")),
    }
}

/// A boolean member of a response (absent or `null` is `false`).
pub fn flag(
    slot: TriggerSlot,
    response: &Map<String, Value>,
    name: &str,
) -> Result<bool, AuthError> {
    match response.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(invalid_response(slot, &format!("{name} is not a boolean"))),
    }
}

/// A string-to-string map member of a response (absent or `null` is empty).
pub fn string_map(
    slot: TriggerSlot,
    response: &Map<String, Value>,
    name: &str,
) -> Result<BTreeMap<String, String>, AuthError> {
    match response.get(name) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                Value::Number(n) => Ok((k.clone(), n.to_string())),
                Value::Bool(b) => Ok((k.clone(), b.to_string())),
                _ => Err(invalid_response(
                    slot,
                    &format!("{name}.{k} is not a string"),
                )),
            })
            .collect(),
        Some(_) => Err(invalid_response(slot, &format!("{name} is not an object"))),
    }
}

/// A string member of a response.
pub fn string(
    slot: TriggerSlot,
    response: &Map<String, Value>,
    name: &str,
) -> Result<Option<String>, AuthError> {
    match response.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid_response(slot, &format!("{name} is not a string"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_this_machine_unless_allowed() {
        for (url, strict, relaxed) in [
            ("https://hooks.example.com/x", true, true),
            ("https://[2001:db8::1]:8443/x", true, true),
            ("http://127.0.0.1:8080/x", true, true),
            ("http://127.8.9.10/x", true, true),
            ("http://localhost/x", true, true),
            ("http://LOCALHOST:1/x", true, true),
            ("http://[::1]:9000/hook", true, true),
            ("http://hooks.example.com/x", false, true),
            ("http://10.0.0.1/x", false, true),
            ("http://localhost.evil.example/x", false, true),
            ("http://127.0.0.1@evil.example/x", false, true),
            ("http://evil.example#@127.0.0.1/", false, true),
            ("http://", false, false),
            ("ftp://127.0.0.1/x", false, false),
        ] {
            assert_eq!(webhook_url_allowed(url, false), strict, "{url}");
            assert_eq!(
                webhook_url_allowed(url, true),
                relaxed,
                "{url} (allow_http)"
            );
        }
        let mut lc = LambdaConfig::default();
        lc.slots
            .insert("PreSignUp".into(), "http://hooks.example.com/pre".into());
        let strict = TriggerConfig::default();
        assert!(
            matches!(strict.check(&lc), Err(AuthError::InvalidParameter(m)) if m.contains("https://"))
        );
        let relaxed = TriggerConfig {
            allow_http: true,
            ..Default::default()
        };
        assert!(relaxed.check(&lc).is_ok());
    }

    #[test]
    fn urls_resolve_to_themselves_and_arns_through_the_map() {
        let mut cfg = TriggerConfig::default();
        let arn = "arn:aws:lambda:us-east-1:000000000000:function:define";
        assert_eq!(
            cfg.resolve("https://hook/x").as_deref(),
            Some("https://hook/x")
        );
        assert_eq!(cfg.resolve(arn), None);
        cfg.arn_map
            .insert(arn.into(), "http://127.0.0.1:1/define".into());
        assert_eq!(
            cfg.resolve(arn).as_deref(),
            Some("http://127.0.0.1:1/define")
        );
    }

    #[test]
    fn an_unmapped_arn_is_refused_with_a_message_that_says_how_to_map_it() {
        let cfg = TriggerConfig::default();
        let mut lc = LambdaConfig::default();
        lc.slots.insert(
            "PreSignUp".into(),
            "arn:aws:lambda:us-east-1:1:function:f".into(),
        );
        let err = cfg.check(&lc).expect_err("unmapped");
        assert!(matches!(err, AuthError::InvalidParameter(_)));
        assert!(err.to_string().contains("[triggers.arn_map]"), "{err}");
        lc.slots
            .insert("PreSignUp".into(), "https://hook/pre".into());
        cfg.check(&lc).expect("a URL is fine");
        // Custom senders are webhooks like any other slot: plain HTTP only on loopback.
        lc.slots
            .insert("CustomSMSSender".into(), "http://127.0.0.1:9/sms".into());
        cfg.check(&lc).expect("a loopback sender is fine");
        lc.slots
            .insert("CustomEmailSender".into(), "http://hook/email".into());
        assert!(matches!(
            cfg.check(&lc),
            Err(AuthError::InvalidParameter(_))
        ));
    }

    #[test]
    fn failures_map_to_cognitos_errors() {
        let e = failure_error(
            TriggerSlot::PreSignUp,
            InvokeFailure::Rejected("No thanks.".into()),
        );
        assert_eq!(
            e,
            AuthError::UserLambdaValidation("PreSignUp failed with error No thanks.".into())
        );
        let e = failure_error(
            TriggerSlot::DefineAuthChallenge,
            InvokeFailure::Failed("timed out".into()),
        );
        assert!(matches!(e, AuthError::UnexpectedLambda(_)));
    }

    #[test]
    fn response_members_are_type_checked() {
        let slot = TriggerSlot::DefineAuthChallenge;
        let answered = json!({"response": {"issueTokens": true, "challengeName": 3}});
        let r = response_of(slot, &answered).expect("object");
        assert!(flag(slot, &r, "issueTokens").expect("bool"));
        assert!(!flag(slot, &r, "failAuthentication").expect("absent"));
        assert!(string(slot, &r, "challengeName").is_err());
        assert!(response_of(slot, &json!({"response": []})).is_err());
    }
}
