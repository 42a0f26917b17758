//! Whole rows of any table as plain values: what [`crate::copy`] reads from one database
//! and writes to another, without going through the domain types. The tables and their
//! columns come from the fixed list in `copy/tables.rs`, never from input.

use std::collections::HashMap;

use sqlx::Row as _;

use keystep_core::StoreError;

use super::{dialect, Db, DbPool, DbRow, ThisStore};
use crate::copy::tables::{Kind, Row, Table, Value, Written};
use crate::error::{retry, Fail};

impl ThisStore {
    /// How many rows `table` holds.
    pub(crate) async fn count_rows(&self, table: &Table) -> Result<u64, StoreError> {
        retry(|| count(&self.pool, table)).await
    }

    /// Up to `limit` rows of `table` in primary-key order, after the row whose key is
    /// `after` (from the start when `None`).
    pub(crate) async fn read_rows(
        &self,
        table: &Table,
        after: Option<&[Value]>,
        limit: u32,
    ) -> Result<Vec<Row>, StoreError> {
        retry(|| read(&self.pool, table, after, limit)).await
    }

    /// Inserts `rows` into `table` in one transaction, leaving rows that already exist
    /// identically alone; rolls everything back at the first row that clashes with a
    /// different one.
    pub(crate) async fn write_rows(
        &self,
        table: &Table,
        rows: &[Row],
    ) -> Result<Written, StoreError> {
        retry(|| write(&self.pool, table, rows)).await
    }

    /// Every `(table, column)` of the database's schema, `keystep_migrations` included.
    pub(crate) async fn schema_columns(&self) -> Result<Vec<(String, String)>, StoreError> {
        retry(|| async {
            let found = sqlx::query(dialect::SCHEMA_COLUMNS)
                .fetch_all(&self.pool)
                .await?;
            let mut columns = Vec::with_capacity(found.len());
            for row in &found {
                columns.push((row.try_get(0)?, row.try_get(1)?));
            }
            Ok(columns)
        })
        .await
    }

    /// The newest migration the database has applied (0 when none).
    pub(crate) async fn schema_version(&self) -> Result<i64, StoreError> {
        retry(|| async {
            let row = sqlx::query("SELECT MAX(version) AS v FROM keystep_migrations")
                .fetch_one(&self.pool)
                .await?;
            Ok(row.try_get::<Option<i64>, _>("v")?.unwrap_or(0))
        })
        .await
    }
}

async fn count(db: &DbPool, table: &Table) -> Result<u64, Fail> {
    let sql = format!("SELECT COUNT(*) AS n FROM {}", table.name);
    let n: i64 = sqlx::query(&sql).fetch_one(db).await?.try_get("n")?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// `a, b, c` of `columns`.
fn names(columns: &[crate::copy::tables::Column]) -> String {
    columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

async fn read(
    db: &DbPool,
    table: &Table,
    after: Option<&[Value]>,
    limit: u32,
) -> Result<Vec<Row>, Fail> {
    let key = names(table.key_columns());
    // Keyset pagination: a row-value comparison in the same collation as the ORDER BY.
    let (condition, limit_at) = match after {
        Some(after) => {
            let placeholders = (1..=after.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            (format!("WHERE ({key}) > ({placeholders})"), after.len() + 1)
        }
        None => (String::new(), 1),
    };
    let sql = format!(
        "SELECT {} FROM {} {condition} ORDER BY {key} LIMIT ${limit_at}",
        names(table.columns),
        table.name
    );
    let mut query = sqlx::query(&sql);
    for (column, value) in table.key_columns().iter().zip(after.unwrap_or_default()) {
        query = bind(query, column.kind, value);
    }
    let found = query.bind(i64::from(limit.max(1))).fetch_all(db).await?;
    found.iter().map(|row| decode(table, row)).collect()
}

async fn write(db: &DbPool, table: &Table, rows: &[Row]) -> Result<Written, Fail> {
    if rows.is_empty() {
        return Ok(Written::Rows { inserted: 0 });
    }
    let width = table.columns.len();
    let tuples = (0..rows.len())
        .map(|r| {
            let params = (1..=width)
                .map(|c| format!("${}", r * width + c))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({params})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let overriding = if table.identity.is_some() {
        dialect::INSERT_IDENTITY
    } else {
        ""
    };
    let insert = format!(
        "INSERT INTO {} ({}) {overriding} VALUES {tuples} ON CONFLICT DO NOTHING",
        table.name,
        names(table.columns)
    );
    let mut tx = dialect::begin(db).await?;
    let mut query = sqlx::query(&insert);
    for row in rows {
        for (column, value) in table.columns.iter().zip(row) {
            query = bind(query, column.kind, value);
        }
    }
    let inserted = query.execute(&mut *tx).await?.rows_affected();

    // Read the whole batch back: new rows must be as sent, skipped ones identical.
    let stored = stored_rows(&mut tx, table, rows).await?;
    for (index, row) in rows.iter().enumerate() {
        let columns = match stored.get(&row[..table.key]) {
            Some(there) if there == row => continue,
            Some(there) => table
                .columns
                .iter()
                .zip(row.iter().zip(there))
                .filter(|(_, (ours, theirs))| ours != theirs)
                .map(|(c, _)| c.name)
                .collect(),
            None => Vec::new(),
        };
        tx.rollback().await?;
        return Ok(Written::Conflict { index, columns });
    }
    if let (Some(column), true) = (table.identity, inserted > 0) {
        dialect::sync_identity(&mut tx, table.name, column).await?;
    }
    tx.commit().await?;
    Ok(Written::Rows { inserted })
}

/// The rows of `table` on this database with the keys of `rows`, by key.
async fn stored_rows(
    tx: &mut super::Tx,
    table: &Table,
    rows: &[Row],
) -> Result<HashMap<Vec<Value>, Row>, Fail> {
    let keys = table.key_columns();
    // `(k1, k2) IN (VALUES ($1, $2), ...)`: a semi-join on the key, which both planners
    // run as index lookups (500 `OR`ed equalities are much slower to plan and run).
    let tuples = (0..rows.len())
        .map(|r| {
            let params = (1..=keys.len())
                .map(|k| format!("${}", r * keys.len() + k))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({params})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {} FROM {} WHERE ({}) IN (VALUES {tuples})",
        names(table.columns),
        table.name,
        names(keys)
    );
    let mut query = sqlx::query(&sql);
    for row in rows {
        for (column, value) in keys.iter().zip(row) {
            query = bind(query, column.kind, value);
        }
    }
    let found = query.fetch_all(&mut **tx).await?;
    let mut stored = HashMap::with_capacity(found.len());
    for row in &found {
        let row = decode(table, row)?;
        stored.insert(row[..table.key].to_vec(), row);
    }
    Ok(stored)
}

/// A query of the backend.
type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

/// Binds `value`; a NULL is bound as the column's kind.
fn bind<'q>(query: Query<'q>, kind: Kind, value: &'q Value) -> Query<'q> {
    match (value, kind) {
        (Value::Null, Kind::Text) => query.bind(None::<String>),
        (Value::Null, Kind::Int) => query.bind(None::<i64>),
        (Value::Null, Kind::Bool) => query.bind(None::<bool>),
        (Value::Null, Kind::Bytes) => query.bind(None::<Vec<u8>>),
        (Value::Int(n), _) => query.bind(*n),
        (Value::Bool(b), _) => query.bind(*b),
        (Value::Text(t), _) => query.bind(t.as_str()),
        (Value::Bytes(b), _) => query.bind(b.as_slice()),
    }
}

/// A result row of `SELECT <table.columns>`.
fn decode(table: &Table, row: &DbRow) -> Result<Row, Fail> {
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, column) in table.columns.iter().enumerate() {
        let value = match column.kind {
            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
            Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Value::Int),
            Kind::Bool => row.try_get::<Option<bool>, _>(i)?.map(Value::Bool),
            Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(values)
}
