//! Users and the aliases they claim.

use std::collections::BTreeSet;

use rusqlite::Connection;

use keystep_core::pool::AliasKind;
use keystep_core::ports::{Page, UserFilter};
use keystep_core::user::User;
use keystep_core::StoreError;

use super::rows::{self, USER_COLUMNS};
use super::{dialect, query_with, tokens, Db, DbPool, Tx};
use crate::codec::{self, UserSecrets};
use crate::error::{on_insert, violates, Fail};
use crate::lane;
use crate::params::{params, Param};

/// Maps a failed write of a `users` row: the username key or (vanishingly unlikely) the
/// `sub` is taken, or the pool is gone.
fn on_user_write<E: Into<Fail>>(e: E) -> Fail {
    let e = e.into();
    if violates(&e, "username_key") {
        return Fail::Store(StoreError::Conflict("username".into()));
    }
    on_insert("sub")(e)
}

pub(super) async fn insert(
    db: &DbPool,
    user: &User,
    aliases: &[(AliasKind, String)],
) -> Result<(), Fail> {
    if aliases.is_empty() {
        // Nothing to write with the row: one statement, no transaction around it.
        let mut conn = db.acquire().await?;
        insert_row(&mut conn, user, false).await?;
        return Ok(());
    }
    let mut tx = dialect::begin(db).await?;
    insert_row(&mut tx, user, false).await?;
    claim_aliases(&mut tx, &user.pool_id, &user.sub, aliases).await?;
    tx.commit().await?;
    Ok(())
}

/// The JSON texts of a user's `attributes` and `secrets` columns.
struct Texts {
    attributes: String,
    secrets: String,
}

impl Texts {
    fn of(user: &User) -> Result<Texts, Fail> {
        Ok(Texts {
            attributes: codec::to_json(&user.attributes, "user attributes")?,
            secrets: codec::to_json(&UserSecrets::of(user), "user secrets")?,
        })
    }
}

/// The values of [`insert_sql`].
fn insert_params<'a>(user: &'a User, texts: &'a Texts) -> [Param<'a>; 11] {
    params![
        &user.pool_id,
        &user.sub,
        &user.username,
        &user.username_key,
        user.status.as_str(),
        user.enabled,
        user.created_at.0,
        user.modified_at.0,
        user.version,
        &texts.attributes,
        &texts.secrets,
    ]
}

/// [`insert`] of a user claiming no alias (one statement) on the fast lane.
pub(super) fn insert_alone_now(conn: &Connection, user: &User) -> Result<(), Fail> {
    let texts = Texts::of(user)?;
    lane::execute(conn, &insert_sql(false), &insert_params(user, &texts)).map_err(on_user_write)?;
    Ok(())
}

fn insert_sql(skip_taken: bool) -> String {
    format!(
        "INSERT INTO users (pool_id, sub, username, username_key, status, enabled, \
         created_at, modified_at, version, attributes, secrets) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11){}",
        if skip_taken {
            " ON CONFLICT DO NOTHING"
        } else {
            ""
        }
    )
}

/// Inserts the `users` row; how many rows went in. A taken username key (or `sub`) is
/// `Conflict("username")`, or with `skip_taken` no row and no error — a failed statement
/// would abort the whole transaction on PostgreSQL, and a user import goes on after one.
pub(super) async fn insert_row(
    conn: &mut <Db as sqlx::Database>::Connection,
    user: &User,
    skip_taken: bool,
) -> Result<u64, Fail> {
    let texts = Texts::of(user)?;
    let sql = insert_sql(skip_taken);
    let done = query_with(&sql, &insert_params(user, &texts))
        .execute(&mut *conn)
        .await
        .map_err(on_user_write)?;
    Ok(done.rows_affected())
}

/// Inserts the user's alias rows; a taken one fails the transaction with
/// `Conflict("alias:<kind>")`.
async fn claim_aliases(
    tx: &mut Tx,
    pool_id: &str,
    sub: &str,
    aliases: &[(AliasKind, String)],
) -> Result<(), Fail> {
    let distinct: BTreeSet<&(AliasKind, String)> = aliases.iter().collect();
    for (kind, value_key) in distinct {
        sqlx::query(
            "INSERT INTO user_aliases (pool_id, kind, value_key, sub) VALUES ($1, $2, $3, $4)",
        )
        .bind(pool_id)
        .bind(codec::alias_kind_name(*kind))
        .bind(value_key)
        .bind(sub)
        .execute(&mut **tx)
        .await
        .map_err(|e| on_insert(&codec::alias_conflict(*kind))(e))?;
    }
    Ok(())
}

fn by_key_sql() -> &'static str {
    sql_once!("SELECT {USER_COLUMNS} FROM users u WHERE u.pool_id = $1 AND u.username_key = $2")
}

fn by_sub_sql() -> &'static str {
    sql_once!("SELECT {USER_COLUMNS} FROM users u WHERE u.pool_id = $1 AND u.sub = $2")
}

fn by_alias_sql() -> &'static str {
    sql_once!(
        "SELECT {USER_COLUMNS} FROM user_aliases a \
         JOIN users u ON u.pool_id = a.pool_id AND u.sub = a.sub \
         WHERE a.pool_id = $1 AND a.kind = $2 AND a.value_key = $3"
    )
}

/// [`get`] on the fast lane.
pub(super) fn get_now(
    conn: &Connection,
    pool_id: &str,
    username_key: &str,
) -> Result<Option<User>, Fail> {
    lane::one(conn, by_key_sql(), &params![pool_id, username_key], |r| {
        rows::user(r)
    })
}

/// [`get_by_sub`] on the fast lane.
pub(super) fn get_by_sub_now(
    conn: &Connection,
    pool_id: &str,
    sub: &str,
) -> Result<Option<User>, Fail> {
    lane::one(conn, by_sub_sql(), &params![pool_id, sub], |r| {
        rows::user(r)
    })
}

/// [`get_by_alias`] on the fast lane.
pub(super) fn get_by_alias_now(
    conn: &Connection,
    pool_id: &str,
    kind: AliasKind,
    value_key: &str,
) -> Result<Option<User>, Fail> {
    let params = params![pool_id, codec::alias_kind_name(kind), value_key];
    lane::one(conn, by_alias_sql(), &params, |r| rows::user(r))
}

pub(super) async fn get(
    db: &DbPool,
    pool_id: &str,
    username_key: &str,
) -> Result<Option<User>, Fail> {
    let sql = by_key_sql();
    let row = query_with(sql, &params![pool_id, username_key])
        .fetch_optional(db)
        .await?;
    row.as_ref().map(rows::user).transpose()
}

pub(super) async fn get_by_sub(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
) -> Result<Option<User>, Fail> {
    let sql = by_sub_sql();
    let row = query_with(sql, &params![pool_id, sub])
        .fetch_optional(db)
        .await?;
    row.as_ref().map(rows::user).transpose()
}

pub(super) async fn get_by_alias(
    db: &DbPool,
    pool_id: &str,
    kind: AliasKind,
    value_key: &str,
) -> Result<Option<User>, Fail> {
    let sql = by_alias_sql();
    let params = params![pool_id, codec::alias_kind_name(kind), value_key];
    let row = query_with(sql, &params).fetch_optional(db).await?;
    row.as_ref().map(rows::user).transpose()
}

/// The compare-and-swap write of a user's row (not its aliases).
const UPDATE_ROW: &str = "UPDATE users SET username = $1, username_key = $2, status = $3, \
     enabled = $4, modified_at = $5, attributes = $6, secrets = $7, version = version + 1 \
     WHERE pool_id = $8 AND sub = $9 AND version = $10";

/// The values of [`UPDATE_ROW`].
fn update_params<'a>(user: &'a User, texts: &'a Texts) -> [Param<'a>; 10] {
    params![
        &user.username,
        &user.username_key,
        user.status.as_str(),
        user.enabled,
        user.modified_at.0,
        &texts.attributes,
        &texts.secrets,
        &user.pool_id,
        &user.sub,
        user.version,
    ]
}

/// No changed row: the user changed (or went) since it was read.
fn swapped(changed: u64) -> Result<(), Fail> {
    if changed == 0 {
        return Err(StoreError::Stale.into());
    }
    Ok(())
}

/// [`update_keeping_aliases`] on the fast lane.
pub(super) fn update_keeping_aliases_now(conn: &Connection, user: &User) -> Result<(), Fail> {
    let texts = Texts::of(user)?;
    let changed =
        lane::execute(conn, UPDATE_ROW, &update_params(user, &texts)).map_err(on_user_write)?;
    swapped(changed)
}

/// The user's row alone, its aliases untouched: one statement, no transaction.
pub(super) async fn update_keeping_aliases(db: &DbPool, user: &User) -> Result<(), Fail> {
    let texts = Texts::of(user)?;
    let done = query_with(UPDATE_ROW, &update_params(user, &texts))
        .execute(db)
        .await
        .map_err(on_user_write)?;
    swapped(done.rows_affected())
}

/// Compare-and-swap on `version`, then the aliases are replaced, in one transaction.
pub(super) async fn update(
    db: &DbPool,
    user: &User,
    aliases: &[(AliasKind, String)],
) -> Result<(), Fail> {
    let texts = Texts::of(user)?;
    let mut tx = dialect::begin(db).await?;
    let done = query_with(UPDATE_ROW, &update_params(user, &texts))
        .execute(&mut *tx)
        .await
        .map_err(on_user_write)?;
    swapped(done.rows_affected())?;
    sqlx::query("DELETE FROM user_aliases WHERE pool_id = $1 AND sub = $2")
        .bind(&user.pool_id)
        .bind(&user.sub)
        .execute(&mut *tx)
        .await?;
    claim_aliases(&mut tx, &user.pool_id, &user.sub, aliases).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the user; its aliases, codes, memberships and refresh tokens cascade. The
/// sign-ins behind its live refresh tokens are recorded as revoked first, so their access
/// tokens stop working too.
pub(super) async fn delete(db: &DbPool, pool_id: &str, sub: &str) -> Result<bool, Fail> {
    let mut tx = dialect::begin(db).await?;
    tokens::revoke_user_in(&mut tx, pool_id, sub).await?;
    let done = sqlx::query("DELETE FROM users WHERE pool_id = $1 AND sub = $2")
        .bind(pool_id)
        .bind(sub)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// The attributes a `ListUsers` filter may name that live in the attributes JSON.
const JSON_FILTER_ATTRIBUTES: [&str; 6] = [
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
];

/// A filter as SQL: a condition on `u` (empty for none) and the value it binds, if any.
/// `param` is the placeholder number the value gets.
fn filter_sql(filter: &UserFilter, param: usize) -> Result<(String, Option<String>), Fail> {
    let expr = match filter.attribute.as_str() {
        "username" => "u.username".to_string(),
        "sub" => "u.sub".to_string(),
        "cognito:user_status" => "u.status".to_string(),
        "status" => {
            // `Enabled` / `Disabled` are names for the boolean column; decide here which
            // of the two the filter admits.
            let admits = |name: &str| {
                if filter.prefix {
                    name.starts_with(&filter.value)
                } else {
                    name == filter.value
                }
            };
            let sql = match (admits("Enabled"), admits("Disabled")) {
                (true, true) => "",
                (true, false) => "AND u.enabled = TRUE",
                (false, true) => "AND u.enabled = FALSE",
                (false, false) => "AND 1 = 0",
            };
            return Ok((sql.to_string(), None));
        }
        other => match JSON_FILTER_ATTRIBUTES.iter().copied().find(|a| *a == other) {
            Some(attribute) => dialect::json_attribute(attribute),
            None => {
                return Err(Fail::Store(StoreError::Backend(format!(
                    "unsupported ListUsers filter attribute {other:?}"
                ))))
            }
        },
    };
    let sql = if filter.prefix {
        // A prefix test that needs no LIKE escaping.
        format!("AND substr({expr}, 1, length(${param})) = ${param}")
    } else {
        format!("AND {expr} = ${param}")
    };
    Ok((sql, Some(filter.value.clone())))
}

pub(super) async fn list(
    db: &DbPool,
    pool_id: &str,
    filter: Option<&UserFilter>,
    after: Option<&str>,
    limit: u32,
) -> Result<Page<User>, Fail> {
    let (filter_sql, filter_value) = match filter {
        Some(f) => filter_sql(f, 3)?,
        None => (String::new(), None),
    };
    let after_param = if filter_value.is_some() { 4 } else { 3 };
    let after_sql = if after.is_some() {
        format!("AND u.username_key > ${after_param}")
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.pool_id = $2 {filter_sql} {after_sql} \
         ORDER BY u.username_key LIMIT $1"
    );
    let mut query = sqlx::query(&sql)
        .bind(codec::probe_limit(limit))
        .bind(pool_id);
    if let Some(value) = filter_value {
        query = query.bind(value);
    }
    if let Some(after) = after {
        query = query.bind(after);
    }
    let found = query.fetch_all(db).await?;
    let items = found
        .iter()
        .map(rows::user)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(codec::page(items, limit, |u| u.username_key.clone()))
}
