//! Keeping the abuse counters of [`crate::limits`] in the store.
//!
//! A counter changes only by compare-and-swap on its row: read it, decide with the pure
//! rule, write it back if nobody wrote it meanwhile, else read again. So every request of
//! a burst is counted exactly once, and the ones past a limit are refused (before they
//! are judged, or for a password before they are answered). Refusing needs no write; only admitted events contend, so a burst costs a
//! few rounds, not one per request.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{AuthError, StoreError};
use crate::limits::{
    budget_key, limit_exceeded, lock_key, lockout, Admission, Budget, Lock, Lockout, Subject,
    Window,
};
use crate::pool::UserPool;
use crate::ports::CounterRow;
use crate::Millis;

use super::Keystep;

/// Compare-and-swap rounds before a counter update gives up (and refuses: a counter that
/// cannot be written must not let the attempt through).
const MAX_ROUNDS: usize = 64;

/// What a counter rule decided.
enum Step<S, T> {
    /// Store `state` (forgettable at `expires_at`), then answer.
    Write {
        state: S,
        expires_at: Millis,
        answer: T,
    },
    /// Answer without changing anything.
    Answer(T),
}

impl Keystep {
    /// Applies `decide` to the counter `key` until its write sticks; returns its answer.
    /// `refusal` answers when contention never lets a write through. With `insert_first`,
    /// a missing row's insert is tried before anything is read.
    async fn update_counter<S, T>(
        &self,
        key: &str,
        insert_first: bool,
        refusal: impl Fn() -> T,
        decide: impl Fn(S) -> Step<S, T>,
    ) -> Result<T, AuthError>
    where
        S: Serialize + DeserializeOwned + Default,
    {
        // Most counters do not exist yet (nobody failed lately): try the insert a missing
        // row would get first, and read only when there is a row after all. One round trip
        // instead of two in the common case; a lost insert is just a lost race.
        let first = insert_first.then(|| decide(S::default()));
        if let Some(Step::Write {
            state,
            expires_at,
            answer,
        }) = first
        {
            let text = serde_json::to_string(&state).map_err(AuthError::internal)?;
            match self.store.put_counter(key, &text, expires_at, None).await {
                Ok(()) => return Ok(answer),
                Err(StoreError::Stale) => {}
                Err(e) => return Err(e.into()),
            }
        }
        for _ in 0..MAX_ROUNDS {
            let row = self.store.get_counter(key).await?;
            let (state, version) = match &row {
                Some(row) => (counter_state(row), Some(row.version)),
                None => (S::default(), None),
            };
            match decide(state) {
                Step::Answer(answer) => return Ok(answer),
                Step::Write {
                    state,
                    expires_at,
                    answer,
                } => {
                    let text = serde_json::to_string(&state).map_err(AuthError::internal)?;
                    match self
                        .store
                        .put_counter(key, &text, expires_at, version)
                        .await
                    {
                        Ok(()) => return Ok(answer),
                        Err(StoreError::Stale) => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        tracing::warn!("abuse counter kept losing its compare-and-swap; refusing");
        Ok(refusal())
    }

    /// Counts one use of `budget` by `subject`, or refuses with `LimitExceeded` when the
    /// rolling hour's budget is used up.
    pub async fn take_budget(
        &self,
        budget: Budget,
        subject: &Subject<'_>,
    ) -> Result<(), AuthError> {
        let limit = budget.per_hour(&self.config.limits);
        let now = self.clock.now();
        self.update_counter(
            &budget_key(budget, subject),
            true,
            || Err(limit_exceeded()),
            |window: Window| match window.admit(limit, now) {
                Admission::Admitted(window) => Step::Write {
                    expires_at: window.forgettable_at(),
                    state: window,
                    answer: Ok(()),
                },
                Admission::Refused { .. } => Step::Answer(Err(limit_exceeded())),
            },
        )
        .await?
    }

    /// Reserves one attempt under `lock`: counts it as a failure now, or refuses with
    /// "Password attempts exceeded" during a lockout. A right answer then calls
    /// [`Keystep::clear_lock`]. (Second factors use this; passwords are judged first and
    /// settled after, see [`Keystep::settle_attempt`].)
    pub async fn reserve_attempt(
        &self,
        lock: Lock,
        subject: &Subject<'_>,
    ) -> Result<(), AuthError> {
        let now = self.clock.now();
        self.update_counter(
            &lock_key(lock, subject),
            true,
            || Err(lockout::attempts_exceeded()),
            |state: Lockout| count_failure(&state, now),
        )
        .await?
    }

    /// Refuses with "Password attempts exceeded" during a lockout, before anything is
    /// judged. Only a read: what the attempt turns out to be is settled after, by
    /// [`Keystep::settle_attempt`].
    pub async fn refuse_if_locked(
        &self,
        lock: Lock,
        subject: &Subject<'_>,
    ) -> Result<(), AuthError> {
        let Some(row) = self.store.get_counter(&lock_key(lock, subject)).await? else {
            return Ok(());
        };
        if lockout::is_locked(&counter_state(&row), self.clock.now()) {
            return Err(lockout::attempts_exceeded());
        }
        Ok(())
    }

    /// Settles an attempt judged under `lock` after [`Keystep::refuse_if_locked`] let it
    /// in. A wrong one is counted as a failure; a right one forgets the failures counted.
    /// Both by compare-and-swap, and both are refused with "Password attempts exceeded"
    /// when a lockout began while the attempt was being judged: so of a burst of parallel
    /// guesses, only those settled before the lock are answered for what they are, as
    /// many as a reservation made before judging would let through. The attempt's
    /// answer must wait for this.
    ///
    /// Why judge first: a right password with nothing to forget (the common sign-in)
    /// then costs a read, where reserving and clearing cost two writes. A right and a
    /// wrong attempt refused here take the same path (a read, no write), so how long the
    /// refusal took does not tell them apart.
    pub async fn settle_attempt(
        &self,
        lock: Lock,
        subject: &Subject<'_>,
        right: bool,
    ) -> Result<(), AuthError> {
        let now = self.clock.now();
        self.update_counter(
            &lock_key(lock, subject),
            false,
            || Err(lockout::attempts_exceeded()),
            |state: Lockout| {
                if !right {
                    count_failure(&state, now)
                } else if lockout::is_locked(&state, now) {
                    Step::Answer(Err(lockout::attempts_exceeded()))
                } else if state == Lockout::default() {
                    Step::Answer(Ok(()))
                } else {
                    // Forgotten by swapping in a fresh count that the sweeper may delete
                    // at once: a plain delete could erase a failure counted meanwhile.
                    Step::Write {
                        state: Lockout::default(),
                        expires_at: now,
                        answer: Ok(()),
                    }
                }
            },
        )
        .await?
    }

    /// Forgets the failures counted under `lock` (a completed sign-in, a password reset).
    pub async fn clear_lock(&self, lock: Lock, subject: &Subject<'_>) -> Result<(), AuthError> {
        self.clear_locks(&[lock], subject).await
    }

    /// Forgets the failures counted under each of `locks` (an administrator's new
    /// password): read first, and one delete only if any has a count. Nobody has failed
    /// lately in the common case, and a read costs a fraction of a write; a failure
    /// counted between the read and a delete that does not happen came after the
    /// clearing and stays, as it should.
    pub async fn clear_locks(
        &self,
        locks: &[Lock],
        subject: &Subject<'_>,
    ) -> Result<(), AuthError> {
        let keys: Vec<String> = locks.iter().map(|l| lock_key(*l, subject)).collect();
        for key in &keys {
            if self.store.get_counter(key).await?.is_some() {
                return Ok(self.store.delete_counters(&keys).await?);
            }
        }
        Ok(())
    }

    /// The digest that stands for a name that is no user of `pool` in its counters: keyed,
    /// so the database does not list the names an attacker tried, and normalised as
    /// usernames are, so `Alice` and `alice` share limits where the pool says they are one.
    pub fn unknown_name_digest(&self, pool: &UserPool, typed: &str) -> String {
        let seed = format!("{}\u{0}{}", pool.id, pool.username_key(typed));
        hex::encode(&self.keys.code_hash("unknown-user-counter", &seed)[..16])
    }
}

/// A stored counter's state; an unreadable one starts over (and is logged).
fn counter_state<S: DeserializeOwned + Default>(row: &CounterRow) -> S {
    serde_json::from_str(&row.state).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "unreadable abuse counter; starting it over");
        S::default()
    })
}

/// One more failure under a lockout at `now`, or the refusal during one.
fn count_failure(state: &Lockout, now: Millis) -> Step<Lockout, Result<(), AuthError>> {
    match lockout::reserve(state, now) {
        Some(next) => Step::Write {
            expires_at: lockout::forgettable_at(&next),
            state: next,
            answer: Ok(()),
        },
        None => Step::Answer(Err(lockout::attempts_exceeded())),
    }
}

/// The counter subject of a user.
pub fn user_subject<'a>(pool_id: &'a str, sub: &'a str) -> Subject<'a> {
    Subject::User { pool_id, sub }
}
