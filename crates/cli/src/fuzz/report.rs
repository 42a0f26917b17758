//! The summary at the end of a run: counts per operation and status, the error names,
//! rate and time, what the checker compared, and every violation.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::lane::LaneReport;
use super::runner::{Outcome, Plan};

/// The summary, printable as text or JSON.
#[derive(Debug, serde::Serialize)]
pub struct Summary {
    /// The generator's seed.
    pub seed: u64,
    /// Workers.
    pub concurrency: u32,
    /// Requests sent.
    pub requests: u64,
    /// Seconds spent sending them.
    pub elapsed_secs: f64,
    /// Requests per second.
    pub requests_per_sec: f64,
    /// Requests by HTTP status class (`2xx`, `4xx`, `5xx`, `none`).
    pub by_class: BTreeMap<String, u64>,
    /// Requests by HTTP status.
    pub by_status: BTreeMap<u16, u64>,
    /// Per operation: HTTP status -> count.
    pub by_operation: BTreeMap<String, BTreeMap<u16, u64>>,
    /// Error answers by `__type`.
    pub by_error_type: BTreeMap<String, u64>,
    /// Requests sent with their valid, unmutated body.
    pub unmutated: u64,
    /// Requests that repeated the one before (replays and bursts).
    pub replayed: u64,
    /// Rejected requests whose stored data was compared one by one.
    pub rejections_checked: u64,
    /// Requests that may change data but were rejected before dispatch, compared with the
    /// next window.
    pub rejections_deferred: u64,
    /// Times the stored data was compared after a window of read-only requests and
    /// requests rejected before dispatch.
    pub reader_windows_checked: u64,
    /// Per server.
    pub servers: Vec<LaneReport>,
    /// Known violations that were counted (`--allow-known`): `op:kind` -> count.
    pub known_violations: BTreeMap<String, u64>,
    /// The first example of each known violation.
    pub known_examples: BTreeMap<String, String>,
    /// Violations that stopped the run.
    pub violations: Vec<String>,
}

impl Summary {
    /// The summary of `outcome`.
    pub fn new(seed: u64, plan: &Plan, outcome: &Outcome) -> Summary {
        let mut by_status: BTreeMap<u16, u64> = BTreeMap::new();
        for statuses in outcome.counts.values() {
            for (s, n) in statuses {
                *by_status.entry(*s).or_default() += n;
            }
        }
        let mut by_class: BTreeMap<String, u64> = BTreeMap::new();
        for (s, n) in &by_status {
            let class = match s {
                0 => "none".to_string(),
                s => format!("{}xx", s / 100),
            };
            *by_class.entry(class).or_default() += n;
        }
        let secs = outcome.elapsed.as_secs_f64();
        Summary {
            seed,
            concurrency: plan.concurrency,
            requests: outcome.sent,
            elapsed_secs: secs,
            requests_per_sec: outcome.sent as f64 / secs.max(f64::MIN_POSITIVE),
            by_class,
            by_status,
            by_operation: outcome.counts.clone(),
            by_error_type: outcome.errors.clone(),
            unmutated: outcome.unmutated,
            replayed: outcome.replayed,
            rejections_checked: outcome.rejections_checked,
            rejections_deferred: outcome.rejections_deferred,
            reader_windows_checked: outcome.reader_windows_checked,
            servers: outcome.lanes.clone(),
            known_violations: outcome
                .known
                .iter()
                .map(|(k, (n, _))| (k.clone(), *n))
                .collect(),
            known_examples: outcome
                .known
                .iter()
                .map(|(k, (_, v))| (k.clone(), v.to_string()))
                .collect(),
            violations: outcome.violations.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// The summary as text.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "keystep fuzz: {} requests in {:.1}s ({:.0} requests/s), seed {}, concurrency {}",
            self.requests, self.elapsed_secs, self.requests_per_sec, self.seed, self.concurrency
        );
        let classes: Vec<String> = self
            .by_class
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        let _ = writeln!(s, "status classes: {}", classes.join(", "));
        let statuses: Vec<String> = self
            .by_status
            .iter()
            .map(|(c, n)| format!("{c}: {n}"))
            .collect();
        let _ = writeln!(s, "statuses: {}", statuses.join(", "));
        let _ = writeln!(
            s,
            "stored data: {} rejected requests compared one by one; {} windows compared after read-only requests and {} requests rejected before dispatch",
            self.rejections_checked, self.reader_windows_checked, self.rejections_deferred
        );
        let _ = writeln!(
            s,
            "requests sent with their valid body: {}; repeats of the request before: {}",
            self.unmutated, self.replayed
        );
        for lane in &self.servers {
            let _ = writeln!(
                s,
                "server {}: {} requests, {} fixture refreshes, {} refresh warnings; {} snapshots of stored data ({:.2} ms each on average, {} things at the end)",
                lane.server,
                lane.requests,
                lane.refreshes,
                lane.refresh_warnings,
                lane.snapshots,
                lane.snapshot_mean_ms,
                lane.snapshot_entries
            );
            for w in &lane.first_warnings {
                let _ = writeln!(s, "  warning: {w}");
            }
        }
        let _ = writeln!(s, "per operation (status: count):");
        let width = self.by_operation.keys().map(String::len).max().unwrap_or(0);
        for (op, statuses) in &self.by_operation {
            let total: u64 = statuses.values().sum();
            let parts: Vec<String> = statuses.iter().map(|(c, n)| format!("{c}: {n}")).collect();
            let _ = writeln!(s, "  {op:<width$} {total:>8}  {}", parts.join(", "));
        }
        let _ = writeln!(s, "error types:");
        let mut errors: Vec<(&String, &u64)> = self.by_error_type.iter().collect();
        errors.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (t, n) in errors {
            let _ = writeln!(s, "  {t:<44} {n:>8}");
        }
        if !self.known_violations.is_empty() {
            let _ = writeln!(s, "known violations (--allow-known):");
            for (k, n) in &self.known_violations {
                let _ = writeln!(s, "  {k}: {n}");
                if let Some(e) = self.known_examples.get(k) {
                    let _ = writeln!(s, "{e}");
                }
            }
        }
        if self.violations.is_empty() {
            let _ = writeln!(s, "violations: none");
        } else {
            let _ = writeln!(s, "violations:");
            for v in &self.violations {
                let _ = writeln!(s, "{v}");
            }
        }
        s
    }
}
