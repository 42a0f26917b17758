//! `keystep migrate`: brings a database's schema up to date and, with `--from`, copies
//! everything from another database into it (SQLite to PostgreSQL or back).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use keystep_store::copy::{self, Progress, TableCount};
use keystep_store::{AnyStore, Backend};

use crate::config::Config;

/// Arguments of `keystep migrate`.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// Copy everything from this database (`sqlite://...` or `postgres://...`) into the
    /// target. Stop the servers using it first. The master key is not needed.
    #[arg(long, value_name = "DATABASE_URL")]
    from: Option<String>,
    /// The database to migrate (and copy into). Default: the database `keystep serve`
    /// uses (KEYSTEP_DATABASE_URL, the configuration file, or the data folder).
    #[arg(long, value_name = "DATABASE_URL")]
    to: Option<String>,
    /// The configuration file `keystep serve` uses, for the default target.
    #[arg(long, env = "KEYSTEP_CONFIG")]
    config: Option<PathBuf>,
}

/// Migrates the target and copies the source into it, printing each table's counts.
pub async fn run(args: MigrateArgs) -> Result<(), String> {
    if let Some(from_url) = &args.from {
        require_existing_sqlite(from_url)?;
    }
    let to_url = match args.to {
        Some(url) => url,
        None => serve_database_url(args.config)?,
    };
    let to = AnyStore::open(&to_url)
        .await
        .map_err(|e| format!("target database: {e}"))?;
    let Some(from_url) = args.from else {
        say(format_args!(
            "The {} database's schema is up to date.",
            to.backend()
        ));
        to.close().await;
        return Ok(());
    };
    let from = match AnyStore::open(&from_url).await {
        Ok(from) => from,
        Err(e) => {
            to.close().await;
            return Err(format!("source database: {e}"));
        }
    };
    say(format_args!(
        "Copying {} to {} in batches of {} rows.",
        from.backend(),
        to.backend(),
        copy::DEFAULT_BATCH_ROWS
    ));
    say(format_args!(
        "{:<16} {:>10} {:>10} {:>10} {:>14}",
        "table", "source", "target", "copied", "already there"
    ));
    let result = copy::copy(&from, &to, copy::DEFAULT_BATCH_ROWS, &mut print_progress).await;
    from.close().await;
    to.close().await;
    let report = result.map_err(|e| e.to_string())?;
    say(format_args!(
        "Copied {} rows ({} were already there); every table of the source is on the target.",
        report.inserted(),
        report.unchanged()
    ));
    Ok(())
}

/// The `database_url` `keystep serve` would use.
fn serve_database_url(config: Option<PathBuf>) -> Result<String, String> {
    let env: BTreeMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let config = Config::load(config.as_deref(), &env).map_err(|e| e.to_string())?;
    Ok(config.database_url.0)
}

/// A source SQLite file must exist: opening would create an empty one, and a typo would
/// then "copy" nothing successfully.
fn require_existing_sqlite(url: &str) -> Result<(), String> {
    if !matches!(Backend::of_url(url), Ok(Backend::Sqlite)) {
        return Ok(());
    }
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.contains("mode=memory") {
        return Ok(());
    }
    if Path::new(path).exists() {
        Ok(())
    } else {
        Err(format!("source database: no SQLite database at {path}"))
    }
}

fn print_progress(progress: Progress<'_>) {
    match progress {
        Progress::Table(t) => say(format_args!("{}", row(t))),
        Progress::Batch(t) if t.read % 100_000 == 0 => {
            eprintln!("  {}: {} rows so far", t.table, t.read);
        }
        Progress::Batch(_) => {}
    }
}

fn row(t: &TableCount) -> String {
    format!(
        "{:<16} {:>10} {:>10} {:>10} {:>14}",
        t.table, t.source_rows, t.target_rows, t.inserted, t.unchanged
    )
}

/// Prints a line; a closed standard output (`| head`) is not an error.
fn say(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}
