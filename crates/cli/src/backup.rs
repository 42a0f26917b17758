//! `keystep backup --to FILE`: a consistent copy of a live SQLite database, taken while
//! the servers run (SQLite's `VACUUM INTO`), checked before the command says it is done.
//! PostgreSQL has its own tools (`pg_dump`); see docs/operations.md.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Config;

/// Arguments of `keystep backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// TOML configuration file, as for `serve` (the database to copy).
    #[arg(long, env = "KEYSTEP_CONFIG")]
    pub config: Option<PathBuf>,
    /// The file to write (must not exist).
    #[arg(long)]
    pub to: PathBuf,
}

/// Runs `keystep backup`.
pub async fn run(args: BackupArgs) -> Result<(), String> {
    let env: BTreeMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let config = Config::load(args.config.as_deref(), &env).map_err(|e| e.to_string())?;
    if !config.uses_sqlite() {
        return Err(
            "keystep backup copies SQLite databases; for PostgreSQL use pg_dump \
             (docs/operations.md shows how)"
                .into(),
        );
    }
    let store = keystep_store::SqliteStore::connect(&config.database_url.0)
        .await
        .map_err(|e| format!("database: {e}"))?;
    store
        .backup_to(&args.to)
        .await
        .map_err(|e| format!("backup: {e}"))?;
    let size = std::fs::metadata(&args.to).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup written to {} ({size} bytes, integrity checked). Keep the master key \
         ({}) with it, apart from it: the backup's secrets open only with that key.",
        args.to.display(),
        config.master_key_file.display()
    );
    Ok(())
}
