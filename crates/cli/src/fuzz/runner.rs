//! Sending the requests and checking each answer, with `--concurrency` workers over one
//! or two servers ("lanes").
//!
//! Each lane has a read-write gate so that the stored-data check stays sound with many
//! requests in flight: a request that may change durable data passes alone, between a
//! snapshot before and one after it; read-only requests pass together, and the next
//! exclusive pass first checks that they changed nothing (see the module doc of `fuzz`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::check::{self, Allowed, Kind, Violation};
use super::gate::{counted_as, exclusive, needs_signature, EDGE_ERRORS};
use super::generate;
use super::lane::{Lane, LaneReport};
use super::server::PanicLog;
use super::wire::{Answer, Shot, Signing};

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
        outcome.lanes.push(lane.report().await);
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
            lane.plant_change().await?;
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
            if (200..300).contains(&a.status)
                && shot.signing != Signing::Valid
                && needs_signature(shot)
            {
                stop |= report(
                    out,
                    Kind::Unauthenticated,
                    format!(
                        "a signed operation answered {} to a request signed {:?}",
                        a.status, shot.signing
                    ),
                    Some(a),
                );
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
