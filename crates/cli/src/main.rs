//! `keystep`: run the server and look into it; sign in to it as a user.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod backup;
mod bench;
mod config;
mod datalock;
mod fuzz;
mod keys;
mod migrate;
mod outbox;
mod seed;
mod serve;
mod user;

/// Keystep: a self-hosted, Amazon Cognito-compatible user-pool server.
#[derive(Debug, Parser)]
#[command(name = "keystep", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (creates keys, admin credentials and a development pool on first start).
    Serve {
        /// TOML configuration file (settings: listen, data_dir, database_url, region, ...).
        #[arg(long, env = "KEYSTEP_CONFIG")]
        config: Option<PathBuf>,
        /// Do not create a development pool on first start.
        #[arg(long)]
        no_dev_pool: bool,
    },
    /// Show the codes and messages Keystep "sent" (the development outbox).
    Outbox(outbox::OutboxArgs),
    /// Bring a database's schema up to date; with --from, copy everything from another
    /// database into it (SQLite to PostgreSQL or back).
    Migrate(migrate::MigrateArgs),
    /// Load-test a Cognito-compatible endpoint (Keystep, Cognito, another emulator).
    Bench(bench::BenchArgs),
    /// Fill an existing pool with many users (bench-user-N, the bench's password), in
    /// process, to measure at scale with `bench --pool-id`.
    SeedUsers(seed::SeedArgs),
    /// Write a consistent copy of the live SQLite database to a new file.
    Backup(backup::BackupArgs),
    /// A pool's token signing keys (`keys rotate --pool-id ...`).
    Keys(keys::KeysArgs),
    /// Attack every operation of an in-process server with random and mutated requests
    /// and check that it never misbehaves (no 5xx, no panic, well-formed errors, stored
    /// data unchanged by rejected requests).
    Fuzz(fuzz::FuzzArgs),
    #[command(flatten)]
    User(user::UserCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("keystep: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let command = match cli.command {
        Command::User(command) => return runtime.block_on(user::run(command)),
        command => command,
    };
    let result = runtime.block_on(async {
        match command {
            Command::Serve {
                config,
                no_dev_pool,
            } => serve::run(config.as_deref(), no_dev_pool).await,
            Command::Outbox(args) => outbox::run(args).await,
            Command::Migrate(args) => migrate::run(args).await,
            Command::Bench(args) => bench::run(args).await,
            Command::SeedUsers(args) => seed::run(args).await,
            Command::Keys(args) => keys::run(args).await,
            Command::Backup(args) => backup::run(args).await,
            Command::Fuzz(args) => fuzz::run(args).await,
            Command::User(_) => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("keystep: {message}");
            ExitCode::FAILURE
        }
    }
}
