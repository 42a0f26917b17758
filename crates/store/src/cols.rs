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
    /// Column `index` of a row of rusqlite.
    fn from_lite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, Fail>;
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
            fn from_lite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, Fail> {
                Ok(row.get(index)?)
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

/// A row of the SQLite fast lane, whose columns are found by name cheaply.
///
/// rusqlite's lookup by name asks SQLite for the name of every column before the one
/// wanted, measuring and validating each again, at every read: with the 15-20 columns of
/// a joined row that was a few per cent of a `GetUser` (profiled). Here the column after
/// the last one read is tried first (decoders mostly read in the statement's order), and
/// the first read out of order collects every name once for the rest of the row.
///
/// This finds the same column as rusqlite (and sqlx) would only because no statement
/// selects two columns of one name: statements that join tables whose columns share
/// names rename one side with a prefix (`p_`, `t_`, `c_`).
pub(crate) struct LiteRow<'a, 'r> {
    row: &'a rusqlite::Row<'r>,
    next: std::cell::Cell<usize>,
    names: std::cell::OnceCell<Vec<&'a str>>,
}

impl<'a, 'r> LiteRow<'a, 'r> {
    pub(crate) fn new(row: &'a rusqlite::Row<'r>) -> LiteRow<'a, 'r> {
        LiteRow {
            row,
            next: std::cell::Cell::new(0),
            names: std::cell::OnceCell::new(),
        }
    }

    fn index(&self, name: &str) -> Result<usize, Fail> {
        let stmt: &'a rusqlite::Statement<'r> = self.row.as_ref();
        let at = self.next.get();
        let found = match self.names.get() {
            None if stmt
                .column_name(at)
                .is_ok_and(|c| c.eq_ignore_ascii_case(name)) =>
            {
                Some(at)
            }
            _ => self
                .names
                .get_or_init(|| {
                    (0..stmt.column_count())
                        .map(|i| stmt.column_name(i).unwrap_or_default())
                        .collect()
                })
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name)),
        };
        let index = found
            .ok_or_else(|| Fail::from(rusqlite::Error::InvalidColumnName(name.to_string())))?;
        self.next.set(index + 1);
        Ok(index)
    }
}

impl Cols for LiteRow<'_, '_> {
    fn col<T: Column>(&self, name: &str) -> Result<T, Fail> {
        T::from_lite(self.row, self.index(name)?)
    }
}
