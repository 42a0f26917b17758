//! Sending the requests and checking each answer, with `--concurrency` workers over one
//! or two servers ("lanes").
//!
//! Each lane has a read-write gate so that the stored-data check stays sound with many
//! requests in flight: a request that may change durable data passes alone, between a
//! snapshot before and one after it; read-only requests pass together, and the next
//! exclusive pass first checks that they changed nothing (see the module doc of `fuzz`).

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::check::{self, Allowed, Kind, Violation};
use super::digest::{self, Snapshot};
use super::fixture::{self, Fixture};
use super::generate;
use super::server::{PanicLog, Profile, Target};
use super::templates::MODELLED;
use super::wire::{Answer, Shot, Signing, Wire, TARGET_PREFIX};

/// Operations that never change durable data, even when they succeed.
const READ_ONLY: &[&str] = &[
    "AdminGetUser",
    "AdminListGroupsForUser",
    "DescribeUserPool",
    "DescribeUserPoolClient",
    "GetGroup",
    "GetUser",
    "GetUserPoolMfaConfig",
    "ListGroups",
    "ListUserPoolClients",
    "ListUserPools",
    "ListUsers",
    "ListUsersInGroup",
];

/// Read-only requests remembered for the report of a change none of them may make.
const READERS_KEPT: usize = 24;

/// The errors the server gives before an operation's handler runs (bad signature, body
/// that is not the operation's JSON, unknown or unoffered operation, too large). An
/// exclusive request answered with one of them is checked with the next window instead
/// of on its own, which saves a snapshot and still catches any change it made.
const EDGE_ERRORS: &[&str] = &[
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "MissingAuthenticationTokenException",
    "RequestEntityTooLargeException",
    "SerializationException",
    "UnknownOperationException",
    "UnrecognizedClientException",
    "UnsupportedOperationException",
];

/// How often a request is sent again (a valid one more often: that is what reaches the
/// single-use and attempt rules), and at most how many times in all.
const REPLAY_VALID_CHANCE: f64 = 0.2;
const REPLAY_CHANCE: f64 = 0.01;
const REPLAY_MAX: u32 = 10;

/// The request number at which `--self-test` plants its change.
const SELF_TEST_AT: u64 = 40;

/// How the run goes.
#[derive(Debug)]
pub struct Plan {
    /// The generator's seed.
    pub seed: u64,
    /// Requests to send.
    pub requests: u64,
    /// When to stop anyway.
    pub deadline: Option<Instant>,
    /// Workers.
    pub concurrency: u32,
    /// Refresh a lane's fixture every this many of its requests.
    pub refresh_every: u64,
    /// Known violations that do not stop the run.
    pub allowed: Allowed,
    /// Plant a change of stored data and expect it reported.
    pub self_test: bool,
    /// Print one line per request on standard error.
    pub trace: bool,
}

/// The fixture of a lane and what the generator derives from it once.
struct Current {
    fixture: Fixture,
    swaps: Vec<(String, Vec<String>)>,
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
    wire: Wire,
    share: u32,
    current: Mutex<Arc<Current>>,
    gate: tokio::sync::RwLock<Snapshot>,
    readers: Mutex<Readers>,
    sent: AtomicU64,
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

    /// Stops the server.
    pub async fn shutdown(&self) {
        self.target.stop().await;
    }

    fn current(&self) -> Option<Arc<Current>> {
        self.current.lock().ok().map(|c| c.clone())
    }

    async fn snapshot(&self) -> Result<Snapshot, String> {
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
    async fn check_readers(
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
    fn defer_check(&self, n: u64, shot: &Shot, sent: &Result<Answer, String>) {
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
    async fn refresh(&self, request: u64) -> Result<Option<Violation>, String> {
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

/// What the run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Requests sent.
    pub sent: u64,
    /// Time spent sending them.
    pub elapsed: Duration,
    /// Per operation, per HTTP status (0: no answer).
    pub counts: BTreeMap<String, BTreeMap<u16, u64>>,
    /// Per error `__type`.
    pub errors: BTreeMap<String, u64>,
    /// Requests whose body was sent as the valid template.
    pub unmutated: u64,
    /// Requests that were a replay of the one before.
    pub replayed: u64,
    /// Rejected exclusive requests whose stored data was compared one by one.
    pub rejections_checked: u64,
    /// Exclusive requests rejected before dispatch, checked with the next window.
    pub rejections_deferred: u64,
    /// Windows of read-only requests whose stored data was compared.
    pub reader_windows_checked: u64,
    /// Violations that stop the run.
    pub violations: Vec<Violation>,
    /// Known violations, by the `--allow-known` value that covers them and the HTTP
    /// status: count and the first.
    pub known: BTreeMap<String, (u64, Violation)>,
    /// Per lane.
    pub lanes: Vec<LaneReport>,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        self.sent += other.sent;
        for (op, statuses) in other.counts {
            let mine = self.counts.entry(op).or_default();
            for (s, n) in statuses {
                *mine.entry(s).or_default() += n;
            }
        }
        for (t, n) in other.errors {
            *self.errors.entry(t).or_default() += n;
        }
        self.unmutated += other.unmutated;
        self.replayed += other.replayed;
        self.rejections_checked += other.rejections_checked;
        self.rejections_deferred += other.rejections_deferred;
        self.reader_windows_checked += other.reader_windows_checked;
        self.violations.extend(other.violations);
        for (k, (n, v)) in other.known {
            let e = self.known.entry(k).or_insert((0, v));
            e.0 += n;
        }
    }

    /// Records a violation: a known one is counted, any other stops the run.
    fn found(&mut self, plan: &Plan, v: Violation, stop: &AtomicBool) -> bool {
        if let Some(pattern) = plan.allowed.covering(&v.op, v.kind) {
            let status = v
                .status
                .map_or_else(|| "no answer".into(), |s| format!("HTTP {s}"));
            let key = format!("{pattern} ({status})");
            self.known.entry(key).or_insert((0, v)).0 += 1;
            return false;
        }
        eprintln!(
            "keystep fuzz: VIOLATION (seed {}, request {})\n{v}",
            plan.seed, v.request
        );
        self.violations.push(v);
        stop.store(true, Ordering::SeqCst);
        true
    }
}

/// The operation the server reads from `shot`'s target: the text after the last dot of
/// the value (HTTP drops the whitespace around it), if it carries the service's prefix
/// and is a header value the server can read as text.
pub fn server_op(shot: &Shot) -> Option<&str> {
    let target = shot.target.as_deref()?;
    let text = std::str::from_utf8(target)
        .ok()
        .filter(|t| t.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)))?;
    let rest = text.trim_matches([' ', '\t']).strip_prefix(TARGET_PREFIX)?;
    Some(rest.rsplit('.').next().unwrap_or(rest))
}

/// Whether the server may act on `shot` as an operation that changes durable data.
fn exclusive(shot: &Shot) -> bool {
    server_op(shot).is_some_and(|op| MODELLED.contains(&op) && !READ_ONLY.contains(&op))
}

/// What the counts are kept by: the operation the server was asked for (which is not
/// the one the body was made for when the target was changed), or `(no operation)`.
fn counted_as(shot: &Shot) -> String {
    match server_op(shot) {
        Some(op) if keystep_server::catalog::is_known(op) => op.to_string(),
        _ => "(no operation)".to_string(),
    }
}

struct Shared {
    plan: Arc<Plan>,
    lanes: Vec<Arc<Lane>>,
    panics: Arc<PanicLog>,
    next: AtomicU64,
    stop: AtomicBool,
    done: AtomicBool,
    fatal: Mutex<Option<String>>,
    started: Instant,
}

/// Sends the plan's requests and checks every answer.
pub async fn run(
    plan: Arc<Plan>,
    lanes: Vec<Arc<Lane>>,
    panics: Arc<PanicLog>,
) -> Result<Outcome, String> {
    let shared = Arc::new(Shared {
        plan: plan.clone(),
        lanes: lanes.clone(),
        panics,
        next: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        done: AtomicBool::new(false),
        fatal: Mutex::new(None),
        started: Instant::now(),
    });
    let ticker = tokio::spawn(progress(shared.clone()));
    let mut workers = tokio::task::JoinSet::new();
    for id in 0..plan.concurrency {
        workers.spawn(worker(id, shared.clone()));
    }
    let mut outcome = Outcome::default();
    while let Some(joined) = workers.join_next().await {
        match joined {
            Ok(r) => outcome.merge(r),
            Err(e) => fail(&shared, format!("a fuzz worker failed: {e}")),
        }
    }
    outcome.elapsed = shared.started.elapsed();
    shared.done.store(true, Ordering::SeqCst);
    let _ = ticker.await;
    if let Some(e) = shared.fatal.lock().ok().and_then(|mut f| f.take()) {
        return Err(e);
    }
    for lane in &lanes {
        let snapshot_entries = lane.gate.read().await.len();
        let (count, first) = lane
            .warnings
            .lock()
            .map(|w| (w.0, w.1.clone()))
            .unwrap_or_default();
        outcome.lanes.push(LaneReport {
            server: lane.name(),
            requests: lane.sent.load(Ordering::Relaxed),
            refreshes: lane.refreshes.load(Ordering::Relaxed),
            refresh_warnings: count,
            first_warnings: first,
            snapshot_entries,
            snapshots: lane.snapshots.load(Ordering::Relaxed),
            snapshot_mean_ms: lane.snapshot_micros.load(Ordering::Relaxed) as f64
                / 1000.0
                / lane.snapshots.load(Ordering::Relaxed).max(1) as f64,
        });
    }
    Ok(outcome)
}

/// A progress line on standard error every ten seconds.
async fn progress(shared: Arc<Shared>) {
    let mut last = Instant::now();
    while !shared.done.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if last.elapsed() >= Duration::from_secs(10) {
            last = Instant::now();
            let sent = shared
                .next
                .load(Ordering::Relaxed)
                .min(shared.plan.requests);
            let secs = shared.started.elapsed().as_secs_f64();
            eprintln!(
                "keystep fuzz: {sent} requests in {secs:.0}s ({:.0}/s), {} panics",
                sent as f64 / secs.max(0.001),
                shared.panics.count()
            );
        }
    }
}

fn fail(shared: &Shared, e: String) {
    if let Ok(mut f) = shared.fatal.lock() {
        f.get_or_insert(e);
    }
    shared.stop.store(true, Ordering::SeqCst);
}

async fn worker(id: u32, shared: Arc<Shared>) -> Outcome {
    let plan = shared.plan.clone();
    let mut out = Outcome::default();
    let seed = plan.seed ^ u64::from(id).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut rng = StdRng::seed_from_u64(seed);
    let total_share: u32 = shared.lanes.iter().map(|l| l.share).sum();
    while !shared.stop.load(Ordering::SeqCst) {
        if plan.deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let n = shared.next.fetch_add(1, Ordering::SeqCst);
        if n >= plan.requests {
            break;
        }
        let mut pick = rng.gen_range(0..total_share.max(1));
        let lane = shared
            .lanes
            .iter()
            .find(|l| {
                let hit = pick < l.share;
                pick = pick.saturating_sub(l.share);
                hit
            })
            .unwrap_or(&shared.lanes[0]);
        let count = lane.sent.fetch_add(1, Ordering::Relaxed) + 1;
        if count % plan.refresh_every == 0 {
            match lane.refresh(n).await {
                Ok(Some(v)) => {
                    if out.found(&plan, v, &shared.stop) {
                        break;
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    fail(&shared, format!("refreshing the fixture: {e}"));
                    break;
                }
            }
        }
        let Some(current) = lane.current() else {
            fail(&shared, "fixture lock poisoned".into());
            break;
        };
        let self_test = plan.self_test && n == SELF_TEST_AT;
        let shot = if self_test {
            Shot::plain("FuzzSelfTest", b"{}".to_vec(), Signing::Valid)
        } else {
            generate::shot(&mut rng, &current.fixture, &current.swaps)
        };
        if shot.mutation == "none" {
            out.unmutated += 1;
        }
        match one(&shared, lane, &shot, n, self_test, &mut out).await {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => {
                fail(&shared, e);
                break;
            }
        }
        // Now and then the same request again, several times: replays of sessions,
        // codes and tokens, and bursts of wrong guesses that run into the abuse limits.
        let chance = if shot.mutation == "none" {
            REPLAY_VALID_CHANCE
        } else {
            REPLAY_CHANCE
        };
        if !self_test && rng.gen_bool(chance) {
            let times = rng.gen_range(2..=REPLAY_MAX);
            for time in 2..=times {
                let n = shared.next.fetch_add(1, Ordering::SeqCst);
                if n >= plan.requests || shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                lane.sent.fetch_add(1, Ordering::Relaxed);
                let mut again = shot.clone();
                again.mutation = format!("{}; sent again ({time} of {times})", shot.mutation);
                out.replayed += 1;
                match one(&shared, lane, &again, n, false, &mut out).await {
                    Ok(false) => {}
                    Ok(true) => return out,
                    Err(e) => {
                        fail(&shared, e);
                        return out;
                    }
                }
            }
        }
    }
    out
}

/// Sends one request through the lane's gate and checks it; `Ok(true)` stops the worker.
async fn one(
    shared: &Shared,
    lane: &Lane,
    shot: &Shot,
    n: u64,
    self_test: bool,
    out: &mut Outcome,
) -> Result<bool, String> {
    let mut stop = false;
    let report = |out: &mut Outcome, kind: Kind, detail: String, answer: Option<&Answer>| {
        let mut v = Violation::new(kind, detail, n, lane.name(), shot, answer);
        v.op = counted_as(shot);
        out.found(&shared.plan, v, &shared.stop)
    };
    let panics_before = shared.panics.count();
    let sent;
    if exclusive(shot) || self_test {
        let mut remembered = lane.gate.write().await;
        match lane.check_readers(&mut remembered, n).await? {
            Some(Err(v)) => {
                out.reader_windows_checked += 1;
                stop |= out.found(&shared.plan, v, &shared.stop);
            }
            Some(Ok(())) => out.reader_windows_checked += 1,
            None => {}
        }
        if self_test {
            plant_change(lane).await?;
        }
        sent = lane.wire.send(shot).await;
        let before_dispatch = matches!(&sent, Ok(a) if a.status >= 400
            && check::error_type(a).is_some_and(|t| EDGE_ERRORS.contains(&t.as_str())));
        if before_dispatch && !self_test {
            lane.defer_check(n, shot, &sent);
            out.rejections_deferred += 1;
        } else {
            let after = lane.snapshot().await?;
            if let Ok(a) = &sent {
                if a.status >= 400 {
                    out.rejections_checked += 1;
                    if after != *remembered {
                        let diff = after.diff(&remembered, 12).join("\n            ");
                        stop |= report(
                            out,
                            Kind::DataChanged,
                            format!(
                                "stored data changed on a rejected request (digest {} -> {}):\n            {diff}",
                                remembered.digest(),
                                after.digest()
                            ),
                            Some(a),
                        );
                    }
                }
            }
            *remembered = after;
        }
    } else {
        let _shared_pass = lane.gate.read().await;
        sent = lane.wire.send(shot).await;
        lane.defer_check(n, shot, &sent);
    }
    let status = sent.as_ref().map_or(0, |a| a.status);
    if shared.plan.trace {
        let name = sent
            .as_ref()
            .ok()
            .and_then(check::error_type)
            .unwrap_or_default();
        eprintln!(
            "#{n} {} {} -> {status} {name} [{}] {}",
            lane.name(),
            shot.op,
            shot.mutation.chars().take(200).collect::<String>(),
            sent.as_ref()
                .map(|a| check::clip(&a.body, 200))
                .unwrap_or_else(|e| e.clone())
        );
    }
    *out.counts
        .entry(shot.op.clone())
        .or_default()
        .entry(status)
        .or_default() += 1;
    out.sent += 1;
    match &sent {
        Ok(a) => {
            if let Some(t) = check::error_type(a) {
                *out.errors.entry(t).or_default() += 1;
            }
            if let Err((kind, detail)) = check::judge(a) {
                stop |= report(out, kind, detail, Some(a));
            }
        }
        Err(e) => stop |= report(out, Kind::Connection, format!("no answer: {e}"), None),
    }
    let panics_after = shared.panics.count();
    if panics_after > panics_before {
        let messages = shared
            .panics
            .messages_after(panics_before)
            .join("\n            ");
        stop |= report(
            out,
            Kind::Panic,
            format!(
                "{} panic(s) while this request was in flight:\n            {messages}",
                panics_after - panics_before
            ),
            sent.as_ref().ok(),
        );
    }
    Ok(stop)
}

/// `--self-test`: rewrites a user of the first fixture pool as it is (the store bumps its
/// version) behind the server's back, just before a request that is always rejected.
async fn plant_change(lane: &Lane) -> Result<(), String> {
    let current = lane.current().ok_or("fixture lock poisoned")?;
    let pool = current.fixture.pools.first().ok_or("no fixture pool")?;
    let store = &*lane.target.state.keystep.store;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shot(target: Option<&[u8]>) -> Shot {
        Shot {
            op: "X".into(),
            target: target.map(<[u8]>::to_vec),
            content_type: None,
            body: Vec::new(),
            signing: Signing::Unsigned,
            mutation: "none".into(),
        }
    }

    #[test]
    fn the_gate_is_exclusive_for_whatever_the_server_may_run_as_a_write() {
        let t = |s: &str| shot(Some(s.as_bytes()));
        assert!(exclusive(&t(
            "AWSCognitoIdentityProviderService.AdminDeleteUser"
        )));
        assert!(exclusive(&t(
            "AWSCognitoIdentityProviderService.Foo.SignUp"
        )));
        assert!(exclusive(&t(" AWSCognitoIdentityProviderService.SignUp\t")));
        assert!(!exclusive(&t(
            "AWSCognitoIdentityProviderService.ListUsers"
        )));
        assert!(!exclusive(&t(
            "AWSCognitoIdentityProviderService.CreateTerms"
        )));
        assert!(!exclusive(&t("AWSCognitoIdentityProviderService.signup")));
        assert!(!exclusive(&t("DynamoDB_20120810.SignUp")));
        assert!(!exclusive(&shot(None)));
        assert!(!exclusive(&shot(Some(
            b"AWSCognitoIdentityProviderService.SignUp\xff"
        ))));
        for op in READ_ONLY {
            assert!(MODELLED.contains(op), "{op}");
        }
    }
}
