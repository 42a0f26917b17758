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

    /// UTC as `yyyyMMddHHmmss` (Cognito's `CSSVersion`).
    pub fn utc_compact(self) -> String {
        let secs = self.as_secs();
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!(
            "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Millis;

    #[test]
    fn compact_utc_dates() {
        assert_eq!(Millis(0).utc_compact(), "19700101000000");
        // 2025-01-15T19:19:28Z, the CSSVersion of Cognito's documented example.
        assert_eq!(Millis(1_736_968_768_000).utc_compact(), "20250115191928");
        assert_eq!(Millis(951_782_400_000).utc_compact(), "20000229000000");
    }
}
