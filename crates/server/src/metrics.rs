//! `GET /metrics` in Prometheus' text format (version 0.0.4): requests by operation and
//! outcome with latency histograms, the sign-in funnel, abuse refusals, trigger calls,
//! deliveries, the store, and the process.
//!
//! Label values come from fixed sets (operation names of the catalogue, Cognito error
//! names, flow and challenge names), never from what a client typed, so the number of
//! series stays bounded whatever is sent.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Upper bounds of the request latency buckets, in seconds.
const BOUNDS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BOUNDS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, secs: f64) {
        if let Some(i) = BOUNDS.iter().position(|b| secs <= *b) {
            self.buckets[i] += 1;
        }
        self.count += 1;
        self.sum += secs;
    }
}

/// The counters the server keeps (the rest is read from its parts when scraped).
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    sign_ins_started: Mutex<BTreeMap<String, u64>>,
    challenges: Mutex<BTreeMap<String, u64>>,
    sign_ins_completed: AtomicU64,
    refreshes: AtomicU64,
    refusals: Mutex<BTreeMap<&'static str, u64>>,
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    let mut m = match map.lock() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    *m.entry(key).or_default() += 1;
}

/// Why a request was refused by an abuse limit, if it was.
fn refusal(type_name: &str, message: &str) -> Option<&'static str> {
    match type_name {
        "LimitExceededException" => Some("limit_exceeded"),
        "TooManyFailedAttemptsException" => Some("too_many_failed_attempts"),
        "TooManyRequestsException" => Some("rate_limited"),
        "NotAuthorizedException" if message.contains("attempts exceeded") => Some("locked_out"),
        _ => None,
    }
}

/// The flows a sign-in can start with (anything else is counted as `other`).
const FLOWS: [&str; 6] = [
    "USER_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH",
    "USER_AUTH",
];

impl Metrics {
    /// One answered request of `operation` (`-` when it named none): `outcome` is `ok`
    /// or the error's `__type`.
    pub fn request(&self, operation: &str, outcome: Result<(), (&str, &str)>, took: Duration) {
        let outcome_label = match outcome {
            Ok(()) => "ok".to_string(),
            Err((type_name, message)) => {
                if let Some(reason) = refusal(type_name, message) {
                    bump(&self.refusals, reason);
                }
                type_name.to_string()
            }
        };
        bump(&self.requests, (operation.to_string(), outcome_label));
        let mut latency = match self.latency.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        latency
            .entry(operation.to_string())
            .or_default()
            .observe(took.as_secs_f64());
    }

    /// `InitiateAuth`/`AdminInitiateAuth` answered with `challenge` (or tokens, `None`).
    pub fn sign_in_started(&self, flow: &str, challenge: Option<&str>, tokens: bool) {
        if flow.starts_with("REFRESH_TOKEN") {
            self.refreshes.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let flow = FLOWS
            .iter()
            .find(|f| **f == flow)
            .copied()
            .unwrap_or("other");
        bump(&self.sign_ins_started, flow.to_string());
        self.sign_in_step(challenge, tokens);
    }

    /// A sign-in moved on: to `challenge`, or to tokens.
    pub fn sign_in_step(&self, challenge: Option<&str>, tokens: bool) {
        if let Some(c) = challenge {
            bump(&self.challenges, c.to_string());
        }
        if tokens {
            self.sign_ins_completed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn lock<T: Clone>(m: &Mutex<T>) -> T {
    match m.lock() {
        Ok(v) => v.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// A label value as the text format wants it.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

struct Out(String);

impl Out {
    fn head(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.0, "# HELP {name} {help}");
        let _ = writeln!(self.0, "# TYPE {name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: impl std::fmt::Display) {
        if labels.is_empty() {
            let _ = writeln!(self.0, "{name} {value}");
        } else {
            let l: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
                .collect();
            let _ = writeln!(self.0, "{name}{{{}}} {value}", l.join(","));
        }
    }
}

/// The whole exposition.
pub fn render(state: &AppState) -> String {
    let m = &state.metrics;
    let mut o = Out(String::with_capacity(16 * 1024));

    o.head(
        "keystep_requests_total",
        "counter",
        "API requests by operation and outcome (ok or the error's __type).",
    );
    for ((op, outcome), n) in lock(&m.requests) {
        o.sample(
            "keystep_requests_total",
            &[("operation", &op), ("outcome", &outcome)],
            n,
        );
    }
    o.head(
        "keystep_request_duration_seconds",
        "histogram",
        "API request latency by operation.",
    );
    for (op, h) in lock(&m.latency) {
        let mut cumulative = 0;
        for (bound, n) in BOUNDS.iter().zip(h.buckets) {
            cumulative += n;
            o.sample(
                "keystep_request_duration_seconds_bucket",
                &[("operation", &op), ("le", &bound.to_string())],
                cumulative,
            );
        }
        o.sample(
            "keystep_request_duration_seconds_bucket",
            &[("operation", &op), ("le", "+Inf")],
            h.count,
        );
        o.sample(
            "keystep_request_duration_seconds_sum",
            &[("operation", &op)],
            h.sum,
        );
        o.sample(
            "keystep_request_duration_seconds_count",
            &[("operation", &op)],
            h.count,
        );
    }

    o.head(
        "keystep_sign_ins_started_total",
        "counter",
        "Sign-ins started, by authentication flow.",
    );
    for (flow, n) in lock(&m.sign_ins_started) {
        o.sample("keystep_sign_ins_started_total", &[("flow", &flow)], n);
    }
    o.head(
        "keystep_sign_in_challenges_total",
        "counter",
        "Challenges sign-ins were asked to answer, by challenge name.",
    );
    for (challenge, n) in lock(&m.challenges) {
        o.sample(
            "keystep_sign_in_challenges_total",
            &[("challenge", &challenge)],
            n,
        );
    }
    o.head(
        "keystep_sign_ins_completed_total",
        "counter",
        "Sign-ins that ended with tokens.",
    );
    o.sample(
        "keystep_sign_ins_completed_total",
        &[],
        m.sign_ins_completed.load(Ordering::Relaxed),
    );
    o.head(
        "keystep_token_refreshes_total",
        "counter",
        "Tokens refreshed with a refresh token (InitiateAuth).",
    );
    o.sample(
        "keystep_token_refreshes_total",
        &[],
        m.refreshes.load(Ordering::Relaxed),
    );
    o.head(
        "keystep_abuse_refusals_total",
        "counter",
        "Requests refused by an abuse limit: limit_exceeded, too_many_failed_attempts, rate_limited, locked_out.",
    );
    for (reason, n) in lock(&m.refusals) {
        o.sample("keystep_abuse_refusals_total", &[("reason", reason)], n);
    }

    o.head(
        "keystep_requests_shed_total",
        "counter",
        "API requests refused by admission control (max_in_flight) after waiting for a turn.",
    );
    o.sample(
        "keystep_requests_shed_total",
        &[],
        state.admission.as_ref().map_or(0, |a| a.shed()),
    );

    o.head(
        "keystep_trigger_calls_total",
        "counter",
        "Trigger webhook calls by slot and outcome.",
    );
    for ((slot, outcome), n) in state.webhooks.counts_by_slot() {
        o.sample(
            "keystep_trigger_calls_total",
            &[("slot", slot), ("outcome", outcome)],
            n,
        );
    }

    let d = &state.courier.counters;
    o.head(
        "keystep_deliveries_total",
        "counter",
        "Messages for real senders: queued, sent, retried (failed attempts), failed (given up).",
    );
    for (event, n) in [
        ("queued", &d.queued),
        ("sent", &d.sent),
        ("retried", &d.retried),
        ("failed", &d.failed),
    ] {
        o.sample(
            "keystep_deliveries_total",
            &[("event", event)],
            n.load(Ordering::Relaxed),
        );
    }

    let s = state.keystep.store.stats();
    o.head(
        "keystep_store_connections",
        "gauge",
        "Database connections in the pool, by state.",
    );
    o.sample("keystep_store_connections", &[("state", "idle")], s.idle);
    o.sample(
        "keystep_store_connections",
        &[("state", "busy")],
        s.connections.saturating_sub(s.idle),
    );
    o.head(
        "keystep_store_retries_total",
        "counter",
        "Store operations that lost a race and ran again.",
    );
    o.sample("keystep_store_retries_total", &[], s.retries);
    o.head(
        "keystep_store_errors_total",
        "counter",
        "Store operations the database failed.",
    );
    o.sample("keystep_store_errors_total", &[], s.errors);
    o.head(
        "keystep_store_lane_statements_total",
        "counter",
        "SQLite statements by where they ran: on the request's thread (lane) or through \
         the connection pool after the lane could not take them (fallback).",
    );
    o.sample(
        "keystep_store_lane_statements_total",
        &[("path", "lane")],
        s.lane_statements,
    );
    o.sample(
        "keystep_store_lane_statements_total",
        &[("path", "fallback")],
        s.lane_fallbacks,
    );
    o.head(
        "keystep_store_operation_duration_seconds",
        "histogram",
        "Store operation latency (a statement or a transaction, retries included).",
    );
    for (bound, n) in &s.latency_buckets {
        o.sample(
            "keystep_store_operation_duration_seconds_bucket",
            &[("le", &bound.to_string())],
            n,
        );
    }
    o.sample(
        "keystep_store_operation_duration_seconds_bucket",
        &[("le", "+Inf")],
        s.operations,
    );
    o.sample(
        "keystep_store_operation_duration_seconds_sum",
        &[],
        s.latency_seconds_sum,
    );
    o.sample(
        "keystep_store_operation_duration_seconds_count",
        &[],
        s.operations,
    );

    process(&mut o);
    o.0
}

/// Prometheus' standard process metrics, from `/proc` (Linux; nothing elsewhere).
fn process(o: &mut Out) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return;
    };
    // Fields after the command name (which may hold spaces), which ends with ')'.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name;
    // rss (in pages) is field 24, 22 after the name.
    let ticks = 100.0; // USER_HZ on every Linux Keystep runs on
    let field = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    if let (Some(utime), Some(stime)) = (field(11), field(12)) {
        o.head(
            "process_cpu_seconds_total",
            "counter",
            "Total user and system CPU time spent in seconds.",
        );
        o.sample("process_cpu_seconds_total", &[], (utime + stime) / ticks);
    }
    if let Some(pages) = field(21) {
        o.head(
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory size in bytes.",
        );
        o.sample("process_resident_memory_bytes", &[], pages * 4096.0);
    }
    if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
        o.head(
            "process_open_fds",
            "gauge",
            "Number of open file descriptors.",
        );
        o.sample("process_open_fds", &[], fds.count());
    }
}

/// `GET /metrics` on the API listener: admin credentials (HTTP Basic or SigV4).
pub async fn scrape(State(state): State<AppState>, req: Request) -> Response {
    let (parts, _body) = req.into_parts();
    if let Err(e) = crate::outbox::authenticate(&state, &parts) {
        return e.into_response();
    }
    exposition(&state)
}

/// `GET /metrics` on the separate `metrics_listen` listener: no credentials (that
/// address is for the scraper's network only).
pub async fn scrape_open(State(state): State<AppState>) -> Response {
    exposition(&state)
}

fn exposition(state: &AppState) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        render(state),
    )
        .into_response()
}

/// The router of the separate metrics listener.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(scrape_open))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_recognised_by_type_and_lockout_message() {
        assert_eq!(
            refusal("LimitExceededException", "Attempt limit exceeded"),
            Some("limit_exceeded")
        );
        assert_eq!(
            refusal("NotAuthorizedException", "Password attempts exceeded"),
            Some("locked_out")
        );
        assert_eq!(
            refusal("NotAuthorizedException", "Incorrect username or password."),
            None
        );
        assert_eq!(
            refusal("TooManyRequestsException", ""),
            Some("rate_limited")
        );
    }

    #[test]
    fn flows_outside_the_known_set_are_counted_as_other() {
        let m = Metrics::default();
        m.sign_in_started("USER_SRP_AUTH", Some("PASSWORD_VERIFIER"), false);
        m.sign_in_started("made-up-flow", None, false);
        m.sign_in_started("REFRESH_TOKEN_AUTH", None, true);
        m.sign_in_step(None, true);
        let started = lock(&m.sign_ins_started);
        assert_eq!(started.get("USER_SRP_AUTH"), Some(&1));
        assert_eq!(started.get("other"), Some(&1));
        assert_eq!(started.len(), 2);
        assert_eq!(m.refreshes.load(Ordering::Relaxed), 1);
        assert_eq!(m.sign_ins_completed.load(Ordering::Relaxed), 1);
        assert_eq!(lock(&m.challenges).get("PASSWORD_VERIFIER"), Some(&1));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
