//! How the store is doing, for metrics: every store operation (one statement or one
//! transaction, retries included) is timed into a histogram; lost races and failures are
//! counted. One meter per process: a server has one store.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use keystep_core::ports::StoreStats;

/// Upper bounds of the latency buckets, in seconds.
const BOUNDS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

pub(crate) struct Meter {
    buckets: [AtomicU64; BOUNDS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
    retries: AtomicU64,
    errors: AtomicU64,
    lane: AtomicU64,
    lane_fallbacks: AtomicU64,
}

pub(crate) static METER: Meter = Meter {
    buckets: [const { AtomicU64::new(0) }; BOUNDS.len()],
    count: AtomicU64::new(0),
    sum_micros: AtomicU64::new(0),
    retries: AtomicU64::new(0),
    errors: AtomicU64::new(0),
    lane: AtomicU64::new(0),
    lane_fallbacks: AtomicU64::new(0),
};

impl Meter {
    /// One operation took `elapsed`, and failed or not.
    pub(crate) fn record(&self, elapsed: Duration, failed: bool) {
        let secs = elapsed.as_secs_f64();
        if let Some(i) = BOUNDS.iter().position(|b| secs <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
        if failed {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A run lost a race and will be tried again.
    pub(crate) fn retried(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// A statement ran on the fast lane.
    pub(crate) fn on_lane(&self) {
        self.lane.fetch_add(1, Ordering::Relaxed);
    }

    /// A statement meant for the fast lane went through the pool.
    pub(crate) fn lane_fallback(&self) {
        self.lane_fallbacks.fetch_add(1, Ordering::Relaxed);
    }

    /// The totals, with the pool's `connections` and `idle`.
    pub(crate) fn stats(&self, connections: u32, idle: u32) -> StoreStats {
        let mut cumulative = 0;
        let latency_buckets = BOUNDS
            .iter()
            .zip(&self.buckets)
            .map(|(bound, n)| {
                cumulative += n.load(Ordering::Relaxed);
                (*bound, cumulative)
            })
            .collect();
        StoreStats {
            connections,
            idle,
            operations: self.count.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
            lane_statements: self.lane.load(Ordering::Relaxed),
            lane_fallbacks: self.lane_fallbacks.load(Ordering::Relaxed),
            latency_seconds_sum: self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6,
            latency_buckets,
        }
    }
}
