//! Instants as milliseconds since the Unix epoch: the one time type of the domain.

use serde::{Deserialize, Serialize};

/// Milliseconds since 1970-01-01T00:00:00Z. Cognito's wire shows seconds with fractions;
/// the store keeps integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Millis(pub i64);

impl Millis {
    /// Whole seconds since the epoch (rounded down), as JWT claims want them.
    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Seconds with a fraction, as the awsJson1_1 wire wants timestamps.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// This instant moved forward by `secs` seconds.
    pub fn plus_secs(self, secs: i64) -> Millis {
        Millis(self.0.saturating_add(secs.saturating_mul(1000)))
    }

    /// This instant moved forward by `ms` milliseconds.
    pub fn plus_millis(self, ms: i64) -> Millis {
        Millis(self.0.saturating_add(ms))
    }
}
