//! `keystep bench`: a load generator for any Cognito-compatible endpoint.
//!
//! A setup phase makes a fresh user pool and app client (admin calls, SigV4-signed) and a
//! population of users; then `--concurrency` tasks repeat one workload's operation for
//! `--duration` or `--count` operations, timing each; the report gives throughput, latency
//! percentiles, errors by name and, with `--server-pid`, the server's CPU time per
//! operation and peak memory. The pool is deleted at the end unless `--keep-pool`.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod api;
mod args;
mod existence;
mod floor;
mod procfs;
mod stats;
mod vs_floor;
mod workloads;

pub use args::BenchArgs;
pub use workloads::{username as bench_username, PASSWORD as BENCH_PASSWORD};

use api::Api;
use args::{Stop, Workload};
use stats::{Latency, Report, ServerUsage};
use workloads::{BenchUser, Fixture, Worker};

/// What one task measured.
#[derive(Default)]
struct TaskResult {
    latencies_us: Vec<u64>,
    errors: BTreeMap<String, u64>,
    first_error: Option<String>,
}

/// Counters the progress line reads while the tasks run.
#[derive(Default)]
struct Progress {
    ok: AtomicU64,
    failed: AtomicU64,
    /// Operations claimed so far (count mode).
    claimed: AtomicU64,
    done: AtomicBool,
}

/// Runs the bench and prints the report.
pub async fn run(args: BenchArgs) -> Result<(), String> {
    if args.crypto_floor {
        let floor = tokio::task::spawn_blocking(floor::measure)
            .await
            .map_err(|e| format!("crypto floor: {e}"))??;
        let text = if args.json {
            serde_json::to_string_pretty(&floor).map_err(|e| format!("JSON: {e}"))?
        } else {
            floor.render()
        };
        println!("{}", text.trim_end());
        return Ok(());
    }
    let (Some(id), Some(secret)) = (args.access_key_id.clone(), args.secret_access_key.clone())
    else {
        return Err(
            "admin credentials needed for the setup phase: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (printed by `keystep serve`) or pass --access-key-id/--secret-access-key"
                .into(),
        );
    };
    if args.existence_timing {
        let api = Arc::new(Api::new(
            &args.endpoint,
            &args.region,
            Some((id, secret)),
            1,
        )?);
        let fixture = existence::fixture(&api, args.users).await?;
        let report = existence::measure(&api, &fixture, args.users).await;
        if !args.keep_pool {
            workloads::delete_pool(&api, &fixture.pool_id).await;
        }
        let report = report?;
        let text = if args.json {
            serde_json::to_string_pretty(&report).map_err(|e| format!("JSON: {e}"))?
        } else {
            report.render()
        };
        println!("{}", text.trim_end());
        return Ok(());
    }
    // The floor first, while the server is idle: the two measurements must not compete.
    let floor = if args.vs_floor {
        eprintln!("keystep bench: measuring the crypto floor first (about 6 s)");
        Some(
            tokio::task::spawn_blocking(floor::measure)
                .await
                .map_err(|e| format!("crypto floor: {e}"))??,
        )
    } else {
        None
    };
    let server_pid = args.server_pid.map(|p| p.to_string());
    if let Some(pid) = &server_pid {
        procfs::cpu_ms(pid).map_err(|e| format!("--server-pid: {e}"))?;
    }
    let workload = args.workload;
    let concurrency = args.concurrency;
    let api = Arc::new(Api::new(
        &args.endpoint,
        &args.region,
        Some((id, secret)),
        concurrency as usize,
    )?);
    // Each task signs in only its own users, so there must be one per task at least.
    let users = if workloads::needs_users(workload) {
        args.users.max(concurrency)
    } else {
        0
    };

    let setup_started = Instant::now();
    let existing = match (&args.pool_id, &args.client_id) {
        (Some(pool_id), Some(client_id)) => Some(Fixture::new(pool_id, client_id)?),
        _ => None,
    };
    // The bench makes (and may delete) its own pool and users only without --pool-id.
    let create = existing.is_none();
    let delete_after = create && !args.keep_pool;
    let (mut fixture, numbers) = match existing {
        Some(fixture) => {
            let existing_users = args.existing_users.unwrap_or(users);
            if users > existing_users {
                return Err(format!(
                    "--users {users} is more than the pool's --existing-users {existing_users}"
                ));
            }
            eprintln!(
                "keystep bench: {} on {}: pool {}, {users} of its {existing_users} users",
                workload.name(),
                args.endpoint,
                fixture.pool_id
            );
            (fixture, workloads::spread(users, existing_users))
        }
        None => {
            eprintln!(
                "keystep bench: setting up {} on {}: a fresh pool and client{}",
                workload.name(),
                args.endpoint,
                if users > 0 {
                    format!(", {users} users")
                } else {
                    String::new()
                }
            );
            let fixture = workloads::create_fixture(&api, workload).await?;
            (fixture, (0..users).collect())
        }
    };
    fixture.refresh_flow = args.refresh_flow;
    let population = match workloads::prepare_users(
        &api,
        &fixture,
        workload,
        numbers,
        concurrency,
        create,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => {
            if delete_after {
                workloads::delete_pool(&api, &fixture.pool_id).await;
            }
            return Err(format!("setup: {e}"));
        }
    };
    let setup_secs = setup_started.elapsed().as_secs_f64();

    let result = measure(&api, &fixture, &args, server_pid.as_deref(), population).await;
    if delete_after {
        workloads::delete_pool(&api, &fixture.pool_id).await;
    } else if create {
        eprintln!(
            "keystep bench: kept the pool {} (client {})",
            fixture.pool_id, fixture.client_id
        );
    }
    let (mut report, first_error) = result?;
    report.setup_secs = setup_secs;
    if let (Some(floor), Some(server)) = (&floor, &report.server) {
        report.vs_floor = vs_floor::compare(workload, floor, server);
        if report.vs_floor.is_none() {
            eprintln!(
                "keystep bench: the floor has no figure for {}; no comparison",
                workload.name()
            );
        }
    }
    report.users = users;

    if let Some(e) = first_error {
        eprintln!("keystep bench: first error: {e}");
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let text = if args.json {
        serde_json::to_string_pretty(&report).map_err(|e| format!("JSON: {e}"))?
    } else {
        report.render()
    };
    let _ = writeln!(stdout, "{}", text.trim_end());
    Ok(())
}

/// The measured phase.
async fn measure(
    api: &Arc<Api>,
    fixture: &Fixture,
    args: &BenchArgs,
    server_pid: Option<&str>,
    population: Vec<BenchUser>,
) -> Result<(Report, Option<String>), String> {
    let workload = args.workload;
    let concurrency = args.concurrency;
    let stop = args.stop();
    let mut shares: Vec<Vec<BenchUser>> = (0..concurrency).map(|_| Vec::new()).collect();
    for (i, user) in population.into_iter().enumerate() {
        shares[i % concurrency as usize].push(user);
    }
    let mut workers = Vec::with_capacity(concurrency as usize);
    for (id, users) in shares.into_iter().enumerate() {
        workers.push(Worker::new(id as u32, users)?);
    }

    api.measuring();
    let progress = Arc::new(Progress::default());
    let server_cpu_before = server_pid.map(procfs::cpu_ms).transpose()?;
    let client_cpu_before = procfs::cpu_ms("self").ok();
    let started = Instant::now();
    let deadline = match stop {
        Stop::After(d) => Some(started + d),
        Stop::Count(_) => None,
    };
    let ticker = spawn_progress(progress.clone(), workload, stop, started);
    let mut tasks = tokio::task::JoinSet::new();
    for mut worker in workers {
        let api = api.clone();
        let fixture = fixture.clone();
        let progress = progress.clone();
        tasks.spawn(async move {
            let mut out = TaskResult::default();
            loop {
                let more = match stop {
                    Stop::Count(n) => progress.claimed.fetch_add(1, Ordering::Relaxed) < n,
                    Stop::After(_) => deadline.is_none_or(|d| Instant::now() < d),
                };
                if !more {
                    break;
                }
                let t = Instant::now();
                let r = workloads::run_once(&api, &fixture, workload, &mut worker).await;
                let us = u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX);
                match r {
                    Ok(()) => {
                        out.latencies_us.push(us);
                        progress.ok.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        *out.errors.entry(e.name.clone()).or_default() += 1;
                        progress.failed.fetch_add(1, Ordering::Relaxed);
                        out.first_error.get_or_insert_with(|| e.to_string());
                    }
                }
            }
            out
        });
    }
    let mut latencies = Vec::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        let r = joined.map_err(|e| format!("a bench task failed: {e}"))?;
        latencies.extend(r.latencies_us);
        for (name, n) in r.errors {
            *errors.entry(name).or_default() += n;
        }
        if first_error.is_none() {
            first_error = r.first_error;
        }
    }
    let elapsed = started.elapsed();
    progress.done.store(true, Ordering::Relaxed);
    let _ = ticker.await;

    let operations = latencies.len() as u64;
    let failed: u64 = errors.values().sum();
    let server = match (server_pid, server_cpu_before, args.server_pid) {
        (Some(pid), Some(before), Some(pid_number)) => {
            let cpu = procfs::cpu_ms(pid)? - before;
            let (peak, now) = procfs::memory_kib(pid)?;
            Some(ServerUsage {
                pid: pid_number,
                cpu_ms: cpu,
                cpu_ms_per_op: stats::per_op(cpu, operations),
                cores_busy: cpu / 1000.0 / elapsed.as_secs_f64().max(f64::MIN_POSITIVE),
                peak_rss_kib: peak,
                rss_kib: now,
            })
        }
        _ => None,
    };
    let client_cpu_ms_per_op = client_cpu_before
        .and_then(|before| Some(procfs::cpu_ms("self").ok()? - before))
        .map(|cpu| stats::per_op(cpu, operations));
    let report = Report {
        workload: workload.name().to_string(),
        endpoint: args.endpoint.clone(),
        concurrency,
        users: 0,
        setup_secs: 0.0,
        elapsed_secs: elapsed.as_secs_f64(),
        operations,
        errors: failed,
        error_counts: errors,
        throughput_per_sec: stats::throughput(operations, elapsed),
        latency_ms: Latency::from_micros(latencies),
        client_cpu_ms_per_op,
        server,
        vs_floor: None,
    };
    Ok((report, first_error))
}

/// A `\r` progress line on standard error, twice a second, when it is a terminal.
fn spawn_progress(
    progress: Arc<Progress>,
    workload: Workload,
    stop: Stop,
    started: Instant,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if !std::io::stderr().is_terminal() {
            return;
        }
        let target = match stop {
            Stop::After(d) => format!("{:.0}s", d.as_secs_f64()),
            Stop::Count(n) => format!("{n} ops"),
        };
        let mut shown = false;
        while !progress.done.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let ok = progress.ok.load(Ordering::Relaxed);
            let failed = progress.failed.load(Ordering::Relaxed);
            let secs = started.elapsed().as_secs_f64();
            eprint!(
                "\r{}: {ok} ok, {failed} failed, {:.1} ops/s, {secs:.1}s of {target}   ",
                workload.name(),
                ok as f64 / secs.max(0.001)
            );
            shown = true;
        }
        if shown {
            eprintln!();
        }
    })
}
