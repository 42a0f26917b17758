//! Reading a result row's columns by name, whichever driver produced the row.
//!
//! The decoders in `sql/rows.rs` are written once against [`Cols`], so a row read by
//! sqlx (SQLite or PostgreSQL) and a row read by rusqlite on the SQLite fast lane
//! (`sqlite/lane.rs`) become the same domain value in the same way.

use crate::error::Fail;

/// A result row whose columns can be read by name.
pub(crate) trait Cols {
    /// The column `name` as a `T`.
    fn col<T: Column>(&self, name: &str) -> Result<T, Fail>;
}

/// A Rust type a column decodes to, on every driver.
pub(crate) trait Column: Sized {
    /// From a row of sqlx's SQLite driver.
    fn from_sqlite(row: &sqlx::sqlite::SqliteRow, name: &str) -> Result<Self, Fail>;
    /// From a row of sqlx's PostgreSQL driver.
    fn from_pg(row: &sqlx::postgres::PgRow, name: &str) -> Result<Self, Fail>;
    /// From a row of rusqlite.
    fn from_lite(row: &rusqlite::Row<'_>, name: &str) -> Result<Self, Fail>;
}

macro_rules! columns {
    ($($t:ty),* $(,)?) => {$(
        impl Column for $t {
            fn from_sqlite(row: &sqlx::sqlite::SqliteRow, name: &str) -> Result<Self, Fail> {
                Ok(sqlx::Row::try_get(row, name)?)
            }
            fn from_pg(row: &sqlx::postgres::PgRow, name: &str) -> Result<Self, Fail> {
                Ok(sqlx::Row::try_get(row, name)?)
            }
            fn from_lite(row: &rusqlite::Row<'_>, name: &str) -> Result<Self, Fail> {
                Ok(row.get(name)?)
            }
        }
    )*};
}

columns!(
    String,
    Option<String>,
    i64,
    Option<i64>,
    bool,
    Vec<u8>,
    Option<Vec<u8>>,
);

impl Cols for sqlx::sqlite::SqliteRow {
    fn col<T: Column>(&self, name: &str) -> Result<T, Fail> {
        T::from_sqlite(self, name)
    }
}

impl Cols for sqlx::postgres::PgRow {
    fn col<T: Column>(&self, name: &str) -> Result<T, Fail> {
        T::from_pg(self, name)
    }
}

impl Cols for rusqlite::Row<'_> {
    fn col<T: Column>(&self, name: &str) -> Result<T, Fail> {
        T::from_lite(self, name)
    }
}
