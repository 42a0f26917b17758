//! Latencies, error counts and the report (text for people, JSON for machines).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

/// What the measured phase gave.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The workload's name.
    pub workload: String,
    /// Where it ran.
    pub endpoint: String,
    /// Tasks in flight at once.
    pub concurrency: u32,
    /// Users in the population (0 for `signup`).
    pub users: u32,
    /// Seconds the setup phase took.
    pub setup_secs: f64,
    /// Seconds the measured phase took.
    pub elapsed_secs: f64,
    /// Operations that succeeded.
    pub operations: u64,
    /// Operations that failed.
    pub errors: u64,
    /// Failed operations by error name.
    pub error_counts: BTreeMap<String, u64>,
    /// Successful operations per second.
    pub throughput_per_sec: f64,
    /// Latency of successful operations (each operation is all its HTTP calls).
    pub latency_ms: Latency,
    /// CPU time of the bench itself (the load generator competes for the same cores
    /// when it runs on the server's machine).
    pub client_cpu_ms_per_op: Option<f64>,
    /// The server process, with `--server-pid`.
    pub server: Option<ServerUsage>,
    /// With `--vs-floor`: the server's CPU against the crypto floor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vs_floor: Option<super::vs_floor::VsFloor>,
}

/// Latency percentiles in milliseconds (nearest rank).
#[derive(Debug, Default, Serialize)]
pub struct Latency {
    /// Fastest.
    pub min: f64,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Slowest.
    pub max: f64,
}

impl Latency {
    /// From latencies in microseconds (sorted here).
    pub fn from_micros(mut samples: Vec<u64>) -> Latency {
        if samples.is_empty() {
            return Latency::default();
        }
        samples.sort_unstable();
        let ms = |us: u64| us as f64 / 1000.0;
        let rank = |p: f64| {
            let n = samples.len();
            let i = ((p / 100.0) * n as f64).ceil() as usize;
            ms(samples[i.clamp(1, n) - 1])
        };
        let sum: u128 = samples.iter().map(|&s| u128::from(s)).sum();
        Latency {
            min: ms(samples[0]),
            mean: sum as f64 / samples.len() as f64 / 1000.0,
            p50: rank(50.0),
            p95: rank(95.0),
            p99: rank(99.0),
            max: ms(samples[samples.len() - 1]),
        }
    }
}

/// The server's CPU and memory over the measured phase.
#[derive(Debug, Serialize)]
pub struct ServerUsage {
    /// Its process id.
    pub pid: u32,
    /// User + system CPU time spent during the measured phase, milliseconds.
    pub cpu_ms: f64,
    /// That per successful operation.
    pub cpu_ms_per_op: f64,
    /// That as a share of one core (1.0 = one core busy all the time).
    pub cores_busy: f64,
    /// Peak resident memory since the process started (`VmHWM`), KiB.
    pub peak_rss_kib: u64,
    /// Resident memory at the end (`VmRSS`), KiB.
    pub rss_kib: u64,
}

/// Per-operation cost: `total / operations`, 0 without operations.
pub fn per_op(total: f64, operations: u64) -> f64 {
    if operations == 0 {
        0.0
    } else {
        total / operations as f64
    }
}

/// Operations per second.
pub fn throughput(operations: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        operations as f64 / secs
    } else {
        0.0
    }
}

impl Report {
    /// The report for people.
    pub fn render(&self) -> String {
        let l = &self.latency_ms;
        let mut out = format!(
            "workload     {} on {} (concurrency {}, {} users, setup {:.1}s)\n\
             operations   {} ok, {} failed in {:.2}s\n\
             throughput   {:.1} ops/s\n\
             latency ms   p50 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2}  (min {:.2}, mean {:.2})\n",
            self.workload,
            self.endpoint,
            self.concurrency,
            self.users,
            self.setup_secs,
            self.operations,
            self.errors,
            self.elapsed_secs,
            self.throughput_per_sec,
            l.p50,
            l.p95,
            l.p99,
            l.max,
            l.min,
            l.mean,
        );
        for (name, count) in &self.error_counts {
            out.push_str(&format!("error        {name}: {count}\n"));
        }
        if let Some(s) = &self.server {
            out.push_str(&format!(
                "server       pid {}: {:.3} ms CPU per op ({:.0} ms total, {:.2} cores busy), \
                 peak RSS {:.1} MiB, RSS now {:.1} MiB\n",
                s.pid,
                s.cpu_ms_per_op,
                s.cpu_ms,
                s.cores_busy,
                s.peak_rss_kib as f64 / 1024.0,
                s.rss_kib as f64 / 1024.0,
            ));
        }
        if let Some(c) = self.client_cpu_ms_per_op {
            out.push_str(&format!("bench client {c:.3} ms CPU per op\n"));
        }
        if let Some(v) = &self.vs_floor {
            out.push_str(&v.render());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let l = Latency::from_micros((1..=100).rev().map(|ms| ms * 1000).collect());
        assert_eq!(
            (l.min, l.p50, l.p95, l.p99, l.max),
            (1.0, 50.0, 95.0, 99.0, 100.0)
        );
        assert!((l.mean - 50.5).abs() < 1e-9);
        let one = Latency::from_micros(vec![2500]);
        assert_eq!((one.p50, one.p99, one.max), (2.5, 2.5, 2.5));
        assert_eq!(Latency::from_micros(vec![]).max, 0.0);
    }

    #[test]
    fn rates() {
        assert_eq!(per_op(10.0, 4), 2.5);
        assert_eq!(per_op(10.0, 0), 0.0);
        assert_eq!(throughput(50, Duration::from_secs(2)), 25.0);
    }
}
