//! The statements SQLite and PostgreSQL understand alike, written once.
//!
//! This directory is compiled twice: `sqlite/mod.rs` and `postgres/mod.rs` each include it
//! with `#[path = "../sql/mod.rs"] mod sql;`, after defining
//!
//! - `Db`: the sqlx driver (`sqlx::Sqlite` / `sqlx::Postgres`),
//! - `ThisStore`: the backend's store type, with a `pool: sqlx::Pool<Db>` field,
//! - `dialect`: `begin` (how a write transaction starts), `json_attribute` (how an
//!   attribute is read from the `users.attributes` JSON text), and for `raw`:
//!   `SCHEMA_COLUMNS`, `INSERT_IDENTITY` and `sync_identity` (listing the schema, and
//!   writing the values of a column the database numbers itself),
//!
//! so every function here is concrete (no generic bounds over drivers), and the places
//! where the dialects differ are named in one small module per backend. Placeholders are
//! `$1, $2, ...`, which both drivers bind by number.

use super::{dialect, Db, ThisStore};

/// The backend's connection pool.
type DbPool = sqlx::Pool<Db>;
/// One result row of the backend.
type DbRow = <Db as sqlx::Database>::Row;
/// A transaction on the backend.
type Tx = sqlx::Transaction<'static, Db>;

/// `sql` with `params` bound, through sqlx: the same list the fast lane binds.
fn query_with<'q>(
    sql: &'q str,
    params: &[crate::params::Param<'q>],
) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>> {
    use crate::params::Param;
    params
        .iter()
        .fold(sqlx::query(sql), |query, param| match *param {
            Param::Text(v) => query.bind(v),
            Param::Int(v) => query.bind(v),
            Param::Bool(v) => query.bind(v),
            Param::Blob(v) => query.bind(v),
        })
}

/// A statement's text formatted from the column constants, built once per process and
/// then borrowed: the lane finds its prepared statements by their text, and formatting
/// the hot ones at every call showed in profiles.
macro_rules! sql_once {
    ($($format:tt)+) => {{
        static SQL: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| format!($($format)+));
        SQL.as_str()
    }};
}

mod auth_events;
mod clients;
mod codes;
mod counters;
mod deliveries;
mod devices;
mod domains;
mod fast;
mod groups;
mod housekeeping;
mod identity_providers;
mod imports;
mod oauth;
mod outbox;
mod passkeys;
mod pool_keys;
mod pools;
mod raw;
mod resource_servers;
mod rows;
mod sessions;
mod store_impl;
mod tokens;
mod ui_customizations;
mod users;
