//! A rolling-window budget: at most `limit` events in any hour. The state is the instants
//! of the events still inside the window, so the hour really rolls: the budget comes back
//! one event at a time, an hour after each.

use serde::{Deserialize, Serialize};

use crate::Millis;

/// The window's length.
pub const WINDOW_SECS: i64 = 3600;

/// The events of the last hour, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// When each counted event happened.
    pub events: Vec<Millis>,
}

/// The verdict on one more event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Counted: store this window.
    Admitted(Window),
    /// Over the limit until the given instant.
    Refused {
        /// When the oldest counted event leaves the window.
        until: Millis,
    },
}

impl Window {
    /// Counts one more event at `now` if fewer than `limit` happened in the hour before.
    /// Events "in the future" (a clock that went back) still count.
    pub fn admit(&self, limit: u32, now: Millis) -> Admission {
        let cutoff = now.0.saturating_sub(WINDOW_SECS * 1000);
        let mut live: Vec<Millis> = self
            .events
            .iter()
            .copied()
            .filter(|t| t.0 > cutoff)
            .collect();
        live.sort();
        if live.len() >= limit as usize {
            let oldest = live[live.len() - limit as usize];
            return Admission::Refused {
                until: oldest.plus_secs(WINDOW_SECS),
            };
        }
        live.push(now);
        Admission::Admitted(Window { events: live })
    }

    /// When the window holds nothing that counts any more.
    pub fn forgettable_at(&self) -> Millis {
        self.events
            .iter()
            .copied()
            .max()
            .unwrap_or(Millis(0))
            .plus_secs(WINDOW_SECS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(limit: u32, at: &[i64]) -> Window {
        let mut w = Window::default();
        for &t in at {
            match w.admit(limit, Millis(t)) {
                Admission::Admitted(next) => w = next,
                Admission::Refused { .. } => panic!("refused at {t}"),
            }
        }
        w
    }

    #[test]
    fn admits_up_to_the_limit_then_refuses_until_the_oldest_leaves() {
        let w = fill(3, &[0, 1_000, 2_000]);
        assert_eq!(
            w.admit(3, Millis(3_000)),
            Admission::Refused {
                until: Millis(3_600_000)
            }
        );
        // The hour rolls: one event back after the first one leaves, not all three.
        let Admission::Admitted(w) = w.admit(3, Millis(3_600_000)) else {
            panic!("the oldest event has left the window");
        };
        assert!(matches!(
            w.admit(3, Millis(3_600_001)),
            Admission::Refused {
                until: Millis(3_601_000)
            }
        ));
        assert_eq!(w.events.len(), 3);
    }

    #[test]
    fn never_more_than_the_limit_in_any_hour() {
        // Try an event every 7 minutes for a day: every hour-long span holds at most 4.
        let limit = 4;
        let mut w = Window::default();
        let mut admitted = Vec::new();
        for i in 0..(24 * 60 / 7) {
            let now = Millis(i * 7 * 60_000);
            if let Admission::Admitted(next) = w.admit(limit, now) {
                w = next;
                admitted.push(now.0);
            }
        }
        for &start in &admitted {
            let in_hour = admitted
                .iter()
                .filter(|&&t| t >= start && t < start + 3_600_000)
                .count();
            assert!(
                in_hour <= limit as usize,
                "{in_hour} in the hour from {start}"
            );
        }
        assert!(admitted.len() > 24 * 3, "the budget keeps coming back");
    }

    #[test]
    fn a_clock_that_went_back_does_not_free_the_budget() {
        let w = fill(2, &[10_000, 20_000]);
        assert!(matches!(
            w.admit(2, Millis(5_000)),
            Admission::Refused { .. }
        ));
        assert_eq!(w.forgettable_at(), Millis(20_000 + 3_600_000));
    }
}
