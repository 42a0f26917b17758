//! `keystep fuzz`: attacks every Cognito operation with random and mutated requests and
//! checks that the server never misbehaves.
//!
//! Keystep is started in process (one server with generous abuse limits and, for a share
//! of the requests, one with the default limits, each on its own fresh SQLite database)
//! and is spoken to over real HTTP on `127.0.0.1`. Through the API each server gets a
//! fixture (`fixture.rs`): a plain username pool and an e-mail-as-username pool with MFA,
//! app clients with and without a secret, users in several states, a group, and real
//! tokens and challenge `Session`s from signing in (`signin.rs`). Requests are then drawn
//! at random (`generate.rs`): any operation of the catalogue, a valid body for it
//! (`templates.rs`, built from the `keystep-proto` shapes and the fixture) or that body
//! mutated (`mutate.rs`), with the headers and SigV4 signature right or wrong (`wire.rs`);
//! now and then a request is sent again a few times (replays, and bursts of wrong guesses
//! that run into the abuse limits).
//!
//! After every request (`check.rs`): no 5xx, an error is a JSON object with `__type` and
//! `message`, the connection did not fail (and, for large bodies, sent over a socket of
//! the fuzzer's own, was not closed after the answer without `Connection: close`), no
//! panic happened in the process (a panic hook counts them), a signed operation did not
//! succeed without a valid signature, and stored data did not change if the request was
//! rejected.
//!
//! # The stored-data check
//!
//! `digest.rs` reads the durable data through the `Store` port: every pool, app client,
//! user (attributes, status, MFA settings, version, ...), which user holds each e-mail and
//! phone alias, every group with its members, and the rows of the refresh tokens the
//! fixture holds. After a 2xx the snapshot is remembered; after a 4xx it must equal the
//! remembered one. Attempt bookkeeping is left out on purpose, because a rejected request
//! may legitimately change it: abuse counters and lockouts, the attempts and versions of
//! sign-in sessions, one-time codes and their attempt counts, single-use records (SRP
//! secret blocks, TOTP steps), the outbox, and the pools' signing keys (made on first use).
//!
//! With concurrency above one, a change cannot be pinned on a request that overlapped
//! another, so each server has a read-write gate (`runner.rs`). Operations that may change
//! durable data when they succeed (and any request whose `X-Amz-Target` the server could
//! read as one of them: it takes the text after the last dot) pass the gate alone, with a
//! snapshot before and after, so each of them that is rejected is checked on its own.
//! Read-only operations (`Get*`, `List*`, `Describe*`, and the operations Keystep does not
//! offer) pass together: they may not change durable data whatever they answer, and the
//! next exclusive pass first compares the data with the snapshot from before them, so a
//! change by one of them is still caught, reported with the list of requests in that
//! window. An exclusive request the server rejects before dispatch (bad or missing
//! signature, a body that is not the operation's JSON, an unknown or unoffered operation,
//! too large) joins that window too instead of costing a snapshot of its own. The fixture
//! is refreshed alone at the gate, and the snapshot is taken again afterwards.
//!
//! Every `--refresh-every` requests to a server its fixture is repaired. Before that the
//! fixture users' abuse counters are cleared through the `Store` port, on the server with
//! generous limits every time and on the one with default limits every eighth time: the
//! fuzzer's own wrong passwords and codes must not lock the fixture out for the rest of
//! the run, and the default limits must still be reached in between.

use std::sync::Arc;
use std::time::{Duration, Instant};

mod accounts;
mod check;
mod digest;
mod fixture;
mod flows;
mod gate;
mod generate;
mod lane;
mod mutate;
mod picks;
mod report;
mod runner;
mod server;
mod signin;
mod templates;
mod wire;

use check::Allowed;

/// Arguments of `keystep fuzz`.
#[derive(Debug, clap::Args)]
pub struct FuzzArgs {
    /// Requests to send (the run stops at this count or at --seconds, whichever comes first).
    #[arg(long, default_value_t = 10_000)]
    pub requests: u64,
    /// Stop after this many seconds.
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Seed of the request generator (printed; random when not given). Each worker draws
    /// from its own stream derived from it, so with --concurrency 1 the same seed sends the
    /// same requests (up to the ids, tokens and codes the server makes up); with more
    /// workers their interleaving varies.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub concurrency: u32,
    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Database of the main server (default: a fresh SQLite file in a temporary folder).
    /// It must not be used by anything else during the run; the pools the run makes are
    /// deleted at the end, and those that were there before are never deleted (but
    /// requests may change them).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Percentage of the requests sent to a second server that keeps Keystep's default
    /// abuse limits (its own temporary SQLite database); the rest go to a server with
    /// generous limits.
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub default_limits_share: u8,
    /// Repair the fixture and renew its tokens and sessions every N requests per server.
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u64).range(20..))]
    pub refresh_every: u64,
    /// A known violation that is counted instead of stopping the run: `OPERATION` or
    /// `OPERATION:KIND` (KIND: 5xx, shape, connection, silent-close, panic, data,
    /// unauthenticated; `*` for any operation, `(no operation)` for targets that name
    /// none). Repeatable.
    #[arg(long = "allow-known", value_name = "OP[:KIND]")]
    pub allow_known: Vec<String>,
    /// Proves the checker: changes stored data behind the server's back before a rejected
    /// request and expects the run to report it.
    #[arg(long, hide = true)]
    pub self_test: bool,
    /// Prints one line per request (operation, status, error, mutation) on standard error.
    #[arg(long)]
    pub trace: bool,
}

/// Runs the fuzzer; `Err` when it found a violation or could not run.
pub async fn run(args: FuzzArgs) -> Result<(), String> {
    let allowed = Allowed::parse(&args.allow_known)?;
    let seed = args.seed.unwrap_or_else(rand::random);
    eprintln!(
        "keystep fuzz: seed {seed} (reproduce the request stream with --seed {seed} --concurrency {})",
        args.concurrency
    );
    let panics = server::install_panic_counter();

    let mut lanes = Vec::new();
    let generous_share = 100 - u32::from(args.default_limits_share);
    if generous_share > 0 {
        let target = server::start(server::Profile::Generous, args.database_url.as_deref()).await?;
        lanes.push((target, generous_share));
    }
    if args.default_limits_share > 0 {
        let database_url = if generous_share == 0 {
            args.database_url.as_deref()
        } else {
            None
        };
        let target = server::start(server::Profile::Default, database_url).await?;
        lanes.push((target, u32::from(args.default_limits_share)));
    }

    let setup_started = Instant::now();
    let mut built = Vec::new();
    for (i, (target, share)) in lanes.into_iter().enumerate() {
        built.push(Arc::new(
            lane::Lane::new(target, share, &format!("fz{i}")).await?,
        ));
    }
    eprintln!(
        "keystep fuzz: fixtures ready in {:.1}s; sending {} requests{}",
        setup_started.elapsed().as_secs_f64(),
        args.requests,
        args.seconds
            .map(|s| format!(" or for {s}s"))
            .unwrap_or_default()
    );

    let plan = Arc::new(runner::Plan {
        seed,
        requests: args.requests,
        deadline: args
            .seconds
            .map(|s| Instant::now() + Duration::from_secs_f64(s.max(0.0))),
        concurrency: args.concurrency,
        refresh_every: args.refresh_every,
        allowed,
        self_test: args.self_test,
        trace: args.trace,
    });
    let outcome = runner::run(plan.clone(), built.clone(), panics).await;
    for lane in &built {
        // A temporary database goes with its folder; a named one is left as it was found
        // (but for what the run itself changed in pools that were there before).
        if args.database_url.is_some() {
            if let Err(e) = lane.remove_pools().await {
                eprintln!("keystep fuzz: could not remove the run's pools: {e}");
            }
        }
        lane.shutdown().await;
    }
    let outcome = outcome?;

    let summary = report::Summary::new(seed, &plan, &outcome);
    if args.json {
        let text = serde_json::to_string_pretty(&summary).map_err(|e| format!("JSON: {e}"))?;
        println!("{text}");
    } else {
        println!("{}", summary.render().trim_end());
    }
    if args.self_test {
        return match outcome.violations.first() {
            Some(v) if v.kind == check::Kind::DataChanged => {
                eprintln!("keystep fuzz: self-test passed: the planted change was reported:\n{v}");
                Ok(())
            }
            Some(v) => Err(format!(
                "self-test: expected a stored-data violation, got:\n{v}"
            )),
            None => Err("self-test: the planted change of stored data was not reported".into()),
        };
    }
    match outcome.violations.first() {
        Some(v) => Err(format!(
            "violation found (seed {seed}, request {}):\n{v}",
            v.request
        )),
        None => Ok(()),
    }
}
