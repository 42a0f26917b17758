//! What a migration is. Each backend lists its own (`sqlite/schema.rs`,
//! `postgres/schema.rs`) and applies them in order, each once, recording it in
//! `keystep_migrations(version, applied_at)`.

/// One schema step.
pub(crate) struct Migration {
    /// Applied in increasing order; never reused.
    pub version: i64,
    /// What it does, for the log.
    pub name: &'static str,
    /// The statements, run in order inside the migration transaction.
    pub statements: &'static [&'static str],
}

/// Now, in milliseconds since the epoch, for `applied_at`.
pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Logs what a migration run found and did.
pub(crate) fn report(backend: &str, applied: &[i64], known: &[Migration], ran: &[&Migration]) {
    for m in ran {
        tracing::info!(
            backend,
            version = m.version,
            name = m.name,
            "applied migration"
        );
    }
    let newest_known = known.iter().map(|m| m.version).max().unwrap_or(0);
    if let Some(newest) = applied.iter().max().filter(|v| **v > newest_known) {
        tracing::warn!(
            backend,
            database = newest,
            this_build = newest_known,
            "the database schema is newer than this build knows"
        );
    }
}
