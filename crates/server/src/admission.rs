//! Admission control for the API (`POST /`): at most `max_in_flight` requests run at once;
//! one that finds them all busy waits at most `max_wait` for a turn and is otherwise
//! refused at once with `TooManyRequestsException`, its body unread. Under overload the
//! requests that are admitted keep their latency (they queue for at most `max_wait`
//! behind at most `max_in_flight` others) and the rest fail fast, instead of every
//! request queuing without limit inside the runtime.
//!
//! Off unless configured (`max_in_flight`): a request waiting on a trigger webhook holds
//! its turn, so a limit sized for the CPU would starve pools with slow triggers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The API's admission: turns and how long to wait for one.
#[derive(Debug)]
pub struct Admission {
    turns: Arc<Semaphore>,
    max_wait: Duration,
    shed: AtomicU64,
}

impl Admission {
    /// `max_in_flight` turns (at least one); a request waits at most `max_wait` for one.
    pub fn new(max_in_flight: usize, max_wait: Duration) -> Admission {
        Admission {
            turns: Arc::new(Semaphore::new(max_in_flight.max(1))),
            max_wait,
            shed: AtomicU64::new(0),
        }
    }

    /// A turn, held until it is dropped; `None` when none came free in time.
    pub async fn admit(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(turn) = self.turns.clone().try_acquire_owned() {
            return Some(turn);
        }
        match tokio::time::timeout(self.max_wait, self.turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => Some(turn),
            _ => {
                self.shed.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Requests refused so far.
    pub fn shed(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn turns_are_bounded_and_waiting_is_too() {
        let a = Admission::new(2, Duration::from_millis(30));
        let first = a.admit().await;
        let second = a.admit().await;
        assert!(first.is_some() && second.is_some());
        let started = std::time::Instant::now();
        assert!(a.admit().await.is_none(), "a third waits, then is refused");
        assert!(started.elapsed() >= Duration::from_millis(30));
        assert_eq!(a.shed(), 1);
        drop(first);
        assert!(a.admit().await.is_some(), "a freed turn is taken at once");
    }

    #[tokio::test]
    async fn a_turn_freed_while_waiting_is_handed_over() {
        let a = Arc::new(Admission::new(1, Duration::from_millis(500)));
        let held = a.admit().await;
        let waiter = {
            let a = a.clone();
            tokio::spawn(async move { a.admit().await.is_some() })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(held);
        assert!(waiter.await.unwrap_or(false));
        assert_eq!(a.shed(), 0);
    }
}
