//! A server under attack: its wire, its fixture (renewed by refreshes) and its gate, a
//! read-write lock around the snapshot of the stored data it remembers, with the requests
//! that passed the gate together since the last comparison.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::check::{self, Kind, Violation};
use super::digest::{self, Snapshot};
use super::fixture::{self, Fixture};
use super::generate;
use super::server::{Profile, Target};
use super::wire::{Answer, Shot, Wire};

/// Requests of a window remembered for the report of a change none of them may make.
const READERS_KEPT: usize = 24;

/// The fixture of a lane and what the generator derives from it once.
pub struct Current {
    /// The fixture.
    pub fixture: Fixture,
    /// Its ids by kind, for the foreign-id mutation (`generate::swaps`).
    pub swaps: Vec<(String, Vec<String>)>,
}

/// Requests since the last check that were not checked one by one: read-only ones, and
/// exclusive ones rejected before dispatch.
#[derive(Default)]
struct Readers {
    count: u64,
    recent: VecDeque<String>,
}

/// One server under attack, with its fixture and its gate.
pub struct Lane {
    target: Target,
    /// Sends its requests.
    pub wire: Wire,
    /// Its part of the requests.
    pub share: u32,
    current: Mutex<Arc<Current>>,
    /// The gate, around the snapshot of the stored data as it must be now.
    pub gate: tokio::sync::RwLock<Snapshot>,
    readers: Mutex<Readers>,
    /// Requests sent to it.
    pub sent: AtomicU64,
    refreshes: AtomicU64,
    warnings: Mutex<(u64, Vec<String>)>,
    snapshots: AtomicU64,
    snapshot_micros: AtomicU64,
}

impl Lane {
    /// A lane on `target` getting `share` parts of the requests, with its fixture built.
    pub async fn new(target: Target, share: u32, prefix: &str) -> Result<Lane, String> {
        let admin = target.admin().clone();
        let wire = Wire::new(&target.url, &admin.access_key_id, &admin.secret_access_key)?;
        let fixture = fixture::build(&target, &wire, prefix).await.map_err(|e| {
            format!(
                "building the fixture on the {} server: {e}",
                target.profile.name()
            )
        })?;
        let snapshot = digest::take(
            &target.state.keystep.store,
            &target.state.keystep.keys,
            &fixture.tokens(),
        )
        .await?;
        Ok(Lane {
            target,
            wire,
            share,
            current: Mutex::new(Arc::new(Current {
                swaps: generate::swaps(&fixture),
                fixture,
            })),
            gate: tokio::sync::RwLock::new(snapshot),
            readers: Mutex::new(Readers::default()),
            sent: AtomicU64::new(0),
            refreshes: AtomicU64::new(0),
            warnings: Mutex::new((0, Vec::new())),
            snapshots: AtomicU64::new(0),
            snapshot_micros: AtomicU64::new(0),
        })
    }

    /// The server's profile name.
    pub fn name(&self) -> &'static str {
        self.target.profile.name()
    }

    /// Deletes the pools made during the run, for a database that outlives it.
    pub async fn remove_pools(&self) -> Result<(), String> {
        let current = self.current().ok_or("fixture lock poisoned")?;
        fixture::remove(&self.target, &self.wire, &current.fixture).await
    }

    /// `--self-test`: rewrites a user of the first fixture pool as it is (the store bumps its
    /// version) behind the server's back, just before a request that is always rejected.
    pub async fn plant_change(&self) -> Result<(), String> {
        let current = self.current().ok_or("fixture lock poisoned")?;
        let pool = current.fixture.pools.first().ok_or("no fixture pool")?;
        let store = &*self.target.state.keystep.store;
        let e = |e: keystep_core::StoreError| format!("self-test: {e}");
        let stored_pool = store
            .get_pool(&pool.id)
            .await
            .map_err(e)?
            .ok_or("self-test: no pool")?;
        let users = store.list_users(&pool.id, None, None, 1).await.map_err(e)?;
        let user = users.items.first().ok_or("self-test: no user")?;
        store
            .update_user(user, &user.alias_claims(&stored_pool))
            .await
            .map_err(e)?;
        eprintln!(
            "keystep fuzz: self-test: rewrote {} behind the server's back",
            user.username
        );
        Ok(())
    }

    /// What the lane did.
    pub async fn report(&self) -> LaneReport {
        let snapshot_entries = self.gate.read().await.len();
        let (count, first) = self
            .warnings
            .lock()
            .map(|w| (w.0, w.1.clone()))
            .unwrap_or_default();
        let snapshots = self.snapshots.load(Ordering::Relaxed);
        LaneReport {
            server: self.name(),
            requests: self.sent.load(Ordering::Relaxed),
            refreshes: self.refreshes.load(Ordering::Relaxed),
            refresh_warnings: count,
            first_warnings: first,
            snapshot_entries,
            snapshots,
            snapshot_mean_ms: self.snapshot_micros.load(Ordering::Relaxed) as f64
                / 1000.0
                / snapshots.max(1) as f64,
        }
    }

    /// Stops the server.
    pub async fn shutdown(&self) {
        self.target.stop().await;
    }

    pub fn current(&self) -> Option<Arc<Current>> {
        self.current.lock().ok().map(|c| c.clone())
    }

    pub async fn snapshot(&self) -> Result<Snapshot, String> {
        let tokens = self
            .current()
            .map(|c| c.fixture.tokens())
            .unwrap_or_default();
        let k = &self.target.state.keystep;
        let started = Instant::now();
        let taken = digest::take(&k.store, &k.keys, &tokens).await;
        self.snapshots.fetch_add(1, Ordering::Relaxed);
        self.snapshot_micros.fetch_add(
            u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        taken
    }

    /// With the gate held exclusively: whether the read-only requests since the last check
    /// left the data alone (`None` when there were none), re-basing the snapshot.
    pub async fn check_readers(
        &self,
        remembered: &mut Snapshot,
        request: u64,
    ) -> Result<Option<Result<(), Violation>>, String> {
        let (count, recent) = match self.readers.lock() {
            Ok(mut r) => {
                let taken = std::mem::take(&mut *r);
                (taken.count, taken.recent)
            }
            Err(_) => return Err("reader log poisoned".into()),
        };
        if count == 0 {
            return Ok(None);
        }
        let now = self.snapshot().await?;
        if now == *remembered {
            return Ok(Some(Ok(())));
        }
        let diff = now.diff(remembered, 12).join("\n            ");
        *remembered = now;
        Ok(Some(Err(Violation {
            kind: Kind::DataChanged,
            op: "(read-only operations)".into(),
            request,
            server: self.name(),
            detail: format!(
                "stored data changed while only read-only requests and requests rejected before dispatch ran ({count} of them):\n            {diff}"
            ),
            shot: format!(
                "the last {} of those requests:\n    {}",
                recent.len(),
                Vec::from(recent).join("\n    ")
            ),
            answer: "(several)".into(),
            status: None,
        })))
    }

    /// Notes a request that is checked with the next window.
    pub fn defer_check(&self, n: u64, shot: &Shot, sent: &Result<Answer, String>) {
        if let Ok(mut r) = self.readers.lock() {
            r.count += 1;
            if r.recent.len() >= READERS_KEPT {
                r.recent.pop_front();
            }
            r.recent.push_back(format!(
                "#{n} {} -> {}",
                check::describe_shot(shot)
                    .chars()
                    .take(400)
                    .collect::<String>(),
                sent.as_ref().map_or(0, |a| a.status)
            ));
        }
    }

    /// Repairs the fixture and renews its tokens and sessions, alone at the gate.
    pub async fn refresh(&self, request: u64) -> Result<Option<Violation>, String> {
        let mut remembered = self.gate.write().await;
        let found = self
            .check_readers(&mut remembered, request)
            .await?
            .and_then(Result::err);
        let Some(current) = self.current() else {
            return Err("fixture lock poisoned".into());
        };
        // On the server with default limits the counters are cleared only every few
        // refreshes, so that the limits are reached between clearings.
        let done = self.refreshes.load(Ordering::Relaxed);
        let clear = self.target.profile == Profile::Generous || done % 8 == 7;
        let (fixture, warnings) =
            fixture::refresh(&self.target, &self.wire, &current.fixture, clear).await;
        if let Ok(mut c) = self.current.lock() {
            *c = Arc::new(Current {
                swaps: generate::swaps(&fixture),
                fixture,
            });
        }
        if let Ok(mut w) = self.warnings.lock() {
            w.0 += warnings.len() as u64;
            for warning in warnings {
                if w.1.len() < 10 {
                    w.1.push(warning);
                }
            }
        }
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        *remembered = self.snapshot().await?;
        Ok(found)
    }
}

/// What a lane did, for the summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LaneReport {
    /// The server's profile.
    pub server: &'static str,
    /// Requests sent to it.
    pub requests: u64,
    /// Fixture refreshes.
    pub refreshes: u64,
    /// Problems while refreshing (they do not stop the run).
    pub refresh_warnings: u64,
    /// The first few of them.
    pub first_warnings: Vec<String>,
    /// Things in the stored-data snapshot at the end.
    pub snapshot_entries: usize,
    /// Snapshots taken.
    pub snapshots: u64,
    /// Their mean duration, milliseconds.
    pub snapshot_mean_ms: f64,
}
