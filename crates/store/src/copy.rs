//! Copying a whole database to another, between any two backends: `keystep migrate
//! --from ... --to ...`.
//!
//! Rows move as they are stored, table by table (parents first), in batches read in
//! primary-key order: nothing is decoded into domain types, so sealed secrets (client
//! secrets, SRP verifiers, TOTP secrets, signing keys, admin credentials) stay sealed and
//! the master key is not needed. Each batch is written in one transaction on the target
//! and read back: rows the target already holds identically are skipped, and a row that
//! clashes with a different one rolls its batch back and stops the copy. So a copy can be
//! run again, and stopping half-way leaves only complete, identical rows behind.
//! Afterwards each table's rows are counted on both sides.
//!
//! The source should not change while it is copied (stop the servers using it first); a
//! source that changed during the copy is reported.

use std::collections::BTreeSet;

use keystep_core::StoreError;

use crate::AnyStore;

pub(crate) mod tables;

use tables::{Row, Table, Value, Written, MIGRATIONS_TABLE, TABLES};

/// How many rows a batch holds unless told otherwise.
pub const DEFAULT_BATCH_ROWS: u32 = 500;

/// Which end of a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The database copied from.
    Source,
    /// The database copied to.
    Target,
}

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Side::Source => "source",
            Side::Target => "target",
        })
    }
}

/// Why a copy stopped.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// A database failed.
    #[error("{table} on the {side}: {source}")]
    Store {
        /// The table being copied (or `schema`).
        table: &'static str,
        /// Which database.
        side: Side,
        /// What failed.
        source: StoreError,
    },
    /// A database's schema is not the one this build copies.
    #[error("the {side} database's schema does not match this build: {detail}")]
    Schema {
        /// Which database.
        side: Side,
        /// What differs.
        detail: String,
    },
    /// The two databases are at different schema versions.
    #[error(
        "the source database is at schema version {source_version}, the target at {target_version}"
    )]
    Versions {
        /// The source's newest migration.
        source_version: i64,
        /// The target's newest migration.
        target_version: i64,
    },
    /// The target holds a different row where a source row belongs. Nothing of that
    /// batch was written; earlier batches are identical copies.
    #[error(
        "{table}: the target already holds a different row {key} ({detail}); nothing of this \
         batch was written, and what was copied before is identical to the source"
    )]
    Conflict {
        /// The table.
        table: &'static str,
        /// The row's key, when it may be shown.
        key: String,
        /// Which columns differ, or which constraint clashes.
        detail: String,
    },
    /// The counts after copying do not add up.
    #[error(
        "{table}: {read} rows were copied but the source now has {source_rows} and the target \
         {target_rows}{hint}"
    )]
    Counts {
        /// The table.
        table: &'static str,
        /// Rows read from the source and found on the target afterwards.
        read: u64,
        /// Rows on the source at the end.
        source_rows: u64,
        /// Rows on the target at the end.
        target_rows: u64,
        /// What it probably means.
        hint: &'static str,
    },
}

/// What happened to one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    /// The table.
    pub table: &'static str,
    /// Rows read from the source so far.
    pub read: u64,
    /// Of those, rows that were new on the target.
    pub inserted: u64,
    /// Of those, rows the target already held, identical.
    pub unchanged: u64,
    /// Rows on the source, counted when the table is done.
    pub source_rows: u64,
    /// Rows on the target, counted when the table is done (more than the source's when
    /// the target held other rows before).
    pub target_rows: u64,
}

/// Progress reported while copying.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A batch of the table was written.
    Batch(&'a TableCount),
    /// The table was copied and counted on both sides.
    Table(&'a TableCount),
}

/// Every table's count, in copy order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// One entry per table.
    pub tables: Vec<TableCount>,
}

impl CopyReport {
    /// Rows new on the target, over all tables.
    pub fn inserted(&self) -> u64 {
        self.tables.iter().map(|t| t.inserted).sum()
    }

    /// Rows the target already held, over all tables.
    pub fn unchanged(&self) -> u64 {
        self.tables.iter().map(|t| t.unchanged).sum()
    }
}

/// Copies every row of `from` into `to` (both already migrated, as [`AnyStore::open`]
/// leaves them), `batch_rows` rows per transaction, calling `progress` after each batch
/// and each table. See the module documentation for what is guaranteed.
pub async fn copy(
    from: &AnyStore,
    to: &AnyStore,
    batch_rows: u32,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<CopyReport, CopyError> {
    check_schema(from, Side::Source).await?;
    check_schema(to, Side::Target).await?;
    let source_version = from
        .schema_version()
        .await
        .map_err(at("schema", Side::Source))?;
    let target_version = to
        .schema_version()
        .await
        .map_err(at("schema", Side::Target))?;
    if source_version != target_version {
        return Err(CopyError::Versions {
            source_version,
            target_version,
        });
    }
    let mut report = CopyReport { tables: Vec::new() };
    for table in TABLES {
        report
            .tables
            .push(copy_table(from, to, table, batch_rows.max(1), progress).await?);
    }
    Ok(report)
}

async fn copy_table(
    from: &AnyStore,
    to: &AnyStore,
    table: &'static Table,
    batch_rows: u32,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<TableCount, CopyError> {
    let mut count = TableCount {
        table: table.name,
        read: 0,
        inserted: 0,
        unchanged: 0,
        source_rows: 0,
        target_rows: 0,
    };
    let mut after: Option<Vec<Value>> = None;
    loop {
        let rows = from
            .read_rows(table, after.as_deref(), batch_rows)
            .await
            .map_err(at(table.name, Side::Source))?;
        if rows.is_empty() {
            break;
        }
        match to
            .write_rows(table, &rows)
            .await
            .map_err(at(table.name, Side::Target))?
        {
            Written::Rows { inserted } => {
                count.inserted += inserted;
                count.unchanged += rows.len() as u64 - inserted;
            }
            Written::Conflict { index, columns } => {
                return Err(conflict(table, rows.get(index), &columns));
            }
        }
        count.read += rows.len() as u64;
        progress(Progress::Batch(&count));
        if rows.len() < batch_rows as usize {
            break;
        }
        after = rows.last().map(|row| row[..table.key].to_vec());
    }
    count.source_rows = from
        .count_rows(table)
        .await
        .map_err(at(table.name, Side::Source))?;
    count.target_rows = to
        .count_rows(table)
        .await
        .map_err(at(table.name, Side::Target))?;
    let hint = if count.source_rows != count.read {
        ": the source changed during the copy (stop the servers using it and run again)"
    } else if count.target_rows < count.source_rows {
        ": rows went missing on the target (is a server using it?)"
    } else {
        ""
    };
    if !hint.is_empty() {
        return Err(CopyError::Counts {
            table: table.name,
            read: count.read,
            source_rows: count.source_rows,
            target_rows: count.target_rows,
            hint,
        });
    }
    progress(Progress::Table(&count));
    Ok(count)
}

/// Refuses a database whose tables or columns differ from those this build copies: a
/// column it does not know would silently be left behind.
async fn check_schema(store: &AnyStore, side: Side) -> Result<(), CopyError> {
    let found: BTreeSet<(String, String)> = store
        .schema_columns()
        .await
        .map_err(at("schema", side))?
        .into_iter()
        .filter(|(table, _)| table != MIGRATIONS_TABLE)
        .collect();
    let known: BTreeSet<(String, String)> = TABLES
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(|c| (t.name.to_string(), c.name.to_string()))
        })
        .collect();
    let describe = |cols: Vec<&(String, String)>| {
        cols.iter()
            .map(|(t, c)| format!("{t}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unknown: Vec<_> = found.difference(&known).collect();
    if !unknown.is_empty() {
        return Err(CopyError::Schema {
            side,
            detail: format!(
                "it has columns this build does not know: {}",
                describe(unknown)
            ),
        });
    }
    let missing: Vec<_> = known.difference(&found).collect();
    if !missing.is_empty() {
        return Err(CopyError::Schema {
            side,
            detail: format!("it lacks columns: {}", describe(missing)),
        });
    }
    Ok(())
}

/// The error for a row that clashes on the target.
fn conflict(table: &'static Table, row: Option<&Row>, columns: &[&'static str]) -> CopyError {
    let key = match row {
        Some(row) if table.key_shown => {
            let parts = table
                .key_columns()
                .iter()
                .zip(row)
                .map(|(c, v)| format!("{}={v}", c.name))
                .collect::<Vec<_>>()
                .join(", ");
            format!("with key {parts}")
        }
        _ => format!(
            "with the same {} (not shown)",
            table
                .key_columns()
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let detail = if columns.is_empty() {
        "another row there holds one of its unique values".to_string()
    } else {
        format!("differs in {}", columns.join(", "))
    };
    CopyError::Conflict {
        table: table.name,
        key,
        detail,
    }
}

/// Tags a store failure with where it happened.
fn at(table: &'static str, side: Side) -> impl FnOnce(StoreError) -> CopyError {
    move |source| CopyError::Store {
        table,
        side,
        source,
    }
}

/// The raw-row operations, on whichever backend.
impl AnyStore {
    async fn count_rows(&self, table: &Table) -> Result<u64, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.count_rows(table).await,
            AnyStore::Postgres(s) => s.count_rows(table).await,
        }
    }

    async fn read_rows(
        &self,
        table: &Table,
        after: Option<&[Value]>,
        limit: u32,
    ) -> Result<Vec<Row>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.read_rows(table, after, limit).await,
            AnyStore::Postgres(s) => s.read_rows(table, after, limit).await,
        }
    }

    async fn write_rows(&self, table: &Table, rows: &[Row]) -> Result<Written, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.write_rows(table, rows).await,
            AnyStore::Postgres(s) => s.write_rows(table, rows).await,
        }
    }

    async fn schema_columns(&self) -> Result<Vec<(String, String)>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.schema_columns().await,
            AnyStore::Postgres(s) => s.schema_columns().await,
        }
    }

    async fn schema_version(&self) -> Result<i64, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.schema_version().await,
            AnyStore::Postgres(s) => s.schema_version().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Backend;

    #[test]
    fn every_table_has_a_key_and_shown_keys_carry_no_secret() {
        for table in TABLES {
            assert!(
                table.key >= 1 && table.key <= table.columns.len(),
                "{}",
                table.name
            );
        }
        let hidden: Vec<_> = TABLES
            .iter()
            .filter(|t| !t.key_shown)
            .map(|t| t.name)
            .collect();
        assert_eq!(
            hidden,
            [
                "auth_sessions",
                "used_once",
                "refresh_tokens",
                "oauth_codes",
                "hosted_sessions"
            ]
        );
    }

    #[test]
    fn conflicts_name_the_columns_but_never_a_hidden_key() {
        let sessions = TABLES.iter().find(|t| t.name == "auth_sessions");
        let Some(sessions) = sessions else {
            return;
        };
        let row = vec![Value::Text("the-session-id".into())];
        let message = conflict(sessions, Some(&row), &["state"]).to_string();
        assert!(!message.contains("the-session-id"), "{message}");
        assert!(message.contains("differs in state"), "{message}");
        let pools = TABLES.iter().find(|t| t.name == "pools");
        let Some(pools) = pools else {
            return;
        };
        let row = vec![Value::Text("us-east-1_abc".into())];
        let message = conflict(pools, Some(&row), &[]).to_string();
        assert!(message.contains("id=\"us-east-1_abc\""), "{message}");
    }

    #[test]
    fn backends_print_their_names() {
        assert_eq!(Backend::Sqlite.to_string(), "sqlite");
        assert_eq!(Backend::Postgres.to_string(), "postgres");
    }
}
