//! `keystep seed-users`: fill an existing pool with many users, in process, for measuring
//! at scale (`keystep bench --pool-id ... --existing-users N`).
//!
//! Over HTTP the setup of a million users takes most of an hour; in process it skips the
//! HTTP and SigV4 work but goes through the same domain operations (AdminCreateUser, then
//! a permanent AdminSetUserPassword), so the rows, aliases and sealed verifiers are exactly
//! what the API would have written. Run it with the server stopped (or on another node's
//! database): it opens the database named by the same configuration as `serve`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use keystep_core::error::AuthError;
use keystep_core::service::admin_users::{
    AdminCreateUserInput, AdminSetUserPasswordInput, MessageAction,
};
use keystep_core::service::Keystep;

use crate::bench::{bench_username, BENCH_PASSWORD};

/// Arguments of `keystep seed-users`.
#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// TOML configuration file, as for `serve` (the database and master key to use).
    #[arg(long, env = "KEYSTEP_CONFIG")]
    pub config: Option<PathBuf>,
    /// The pool to fill (it must exist).
    #[arg(long)]
    pub pool_id: String,
    /// How many users to create: `bench-user-<start>` .. `bench-user-<start+count-1>`,
    /// with the bench's password, confirmed.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,
    /// The number of the first user.
    #[arg(long, default_value_t = 0)]
    pub start: u32,
    /// Users created at once (default: the number of cores).
    #[arg(long)]
    pub tasks: Option<u32>,
}

/// Creates the users; those that already exist are skipped, so a run can be resumed.
pub async fn run(args: SeedArgs) -> Result<(), String> {
    let opened = crate::serve::open(args.config.as_deref(), true, false).await?;
    let keystep = opened.prepared.state.keystep.clone();
    keystep
        .load_pool(&args.pool_id)
        .await
        .map_err(|e| format!("pool {}: {e}", args.pool_id))?;
    let tasks = args
        .tasks
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get() as u32));
    let end = u64::from(args.start) + u64::from(args.count);
    let next = Arc::new(AtomicU64::new(u64::from(args.start)));
    let created = Arc::new(AtomicU64::new(0));
    let skipped = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    eprintln!(
        "keystep seed-users: bench-user-{}..bench-user-{} into {} with {tasks} tasks",
        args.start,
        end - 1,
        args.pool_id
    );
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks.max(1) {
        let (keystep, next, created, skipped) = (
            keystep.clone(),
            next.clone(),
            created.clone(),
            skipped.clone(),
        );
        let pool_id = args.pool_id.clone();
        set.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= end {
                    return Ok::<(), String>(());
                }
                let i = u32::try_from(i).map_err(|_| "user number overflow".to_string())?;
                if seed_one(&keystep, &pool_id, i).await? {
                    let n = created.fetch_add(1, Ordering::Relaxed) + 1;
                    if n % 10_000 == 0 {
                        let secs = started.elapsed().as_secs_f64();
                        eprintln!(
                            "  {n} created ({:.0}/s, {secs:.0}s)",
                            n as f64 / secs.max(0.001)
                        );
                    }
                } else {
                    skipped.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    while let Some(joined) = set.join_next().await {
        joined.map_err(|e| format!("a seeding task failed: {e}"))??;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "created {} users, skipped {} that existed, in {secs:.1}s",
        created.load(Ordering::Relaxed),
        skipped.load(Ordering::Relaxed)
    );
    Ok(())
}

/// Creates `bench-user-<i>` with the bench's password; `false` if it already existed.
async fn seed_one(keystep: &Keystep, pool_id: &str, i: u32) -> Result<bool, String> {
    let username = bench_username(i);
    let made = keystep
        .admin_create_user(AdminCreateUserInput {
            pool_id: pool_id.to_string(),
            username: username.clone(),
            attributes: Vec::new(),
            validation_data: Vec::new(),
            temporary_password: Some(BENCH_PASSWORD.to_string()),
            message_action: Some(MessageAction::Suppress),
            desired_delivery_mediums: Vec::new(),
            force_alias_creation: false,
            client_metadata: Default::default(),
        })
        .await;
    match made {
        Ok(_) => {}
        Err(AuthError::UsernameExists(_)) => return Ok(false),
        Err(e) => return Err(format!("AdminCreateUser {username}: {e}")),
    }
    keystep
        .admin_set_user_password(AdminSetUserPasswordInput {
            pool_id: pool_id.to_string(),
            username: username.clone(),
            password: BENCH_PASSWORD.to_string(),
            permanent: true,
        })
        .await
        .map_err(|e| format!("AdminSetUserPassword {username}: {e}"))?;
    Ok(true)
}
