//! `keystep keys`: a pool's token signing keys.
//!
//! `keystep keys rotate --pool-id <id>` makes a new generation of the pool's keys the one
//! that signs. The previous generation stays in the pool's JWKS (and keeps verifying
//! access tokens) for a day, until every token it signed has expired. Running servers
//! pick the new keys up within a minute; meanwhile they sign with the previous ones,
//! which stay valid. It opens the database named by the same configuration as `serve`
//! and may run while the servers run.

use std::path::PathBuf;

/// Arguments of `keystep keys`.
#[derive(Debug, clap::Args)]
pub struct KeysArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: KeysCommand,
}

/// `keystep keys` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum KeysCommand {
    /// Make a new generation of a pool's signing keys the one that signs.
    Rotate {
        /// TOML configuration file, as for `serve` (the database and master key to use).
        #[arg(long, env = "KEYSTEP_CONFIG")]
        config: Option<PathBuf>,
        /// The pool.
        #[arg(long)]
        pool_id: String,
    },
}

/// Runs a `keystep keys` command.
pub async fn run(args: KeysArgs) -> Result<(), String> {
    match args.command {
        KeysCommand::Rotate { config, pool_id } => {
            let opened = crate::serve::open(config.as_deref(), true, false).await?;
            let keystep = &opened.prepared.state.keystep;
            let pool = keystep
                .load_pool(&pool_id)
                .await
                .map_err(|e| format!("pool {pool_id}: {e}"))?;
            let generation = keystep
                .rotate_pool_keys(&pool)
                .await
                .map_err(|e| format!("rotating the keys of {pool_id}: {e}"))?;
            let keys = keystep
                .pool_keys(&pool)
                .await
                .map_err(|e| format!("reading the keys of {pool_id}: {e}"))?;
            println!(
                "{pool_id}: generation {generation} signs now (ID key {}, access key {}); \
                 the previous keys stay published for a day",
                keys.signing().id.kid(),
                keys.signing().access.kid()
            );
            Ok(())
        }
    }
}
