//! Groups and their members.

use rusqlite::Connection;

use keystep_core::group::Group;
use keystep_core::ports::Page;
use keystep_core::user::User;
use keystep_core::StoreError;

use super::rows::{self, GROUP_COLUMNS, USER_COLUMNS};
use super::{query_with, DbPool};
use crate::codec;
use crate::error::{on_insert, Fail};
use crate::lane;
use crate::params::params;

pub(super) async fn insert(db: &DbPool, group: &Group) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO user_groups \
         (pool_id, name, description, precedence, role_arn, created_at, modified_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&group.pool_id)
    .bind(&group.name)
    .bind(&group.description)
    .bind(group.precedence)
    .bind(&group.role_arn)
    .bind(group.created_at.0)
    .bind(group.modified_at.0)
    .execute(db)
    .await
    .map_err(on_insert("group"))?;
    Ok(())
}

pub(super) async fn get(db: &DbPool, pool_id: &str, name: &str) -> Result<Option<Group>, Fail> {
    let sql =
        format!("SELECT {GROUP_COLUMNS} FROM user_groups g WHERE g.pool_id = $1 AND g.name = $2");
    let row = sqlx::query(&sql)
        .bind(pool_id)
        .bind(name)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(rows::group).transpose()
}

pub(super) async fn list(
    db: &DbPool,
    pool_id: &str,
    after: Option<&str>,
    limit: u32,
) -> Result<Page<Group>, Fail> {
    let from = if after.is_some() {
        "AND g.name > $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {GROUP_COLUMNS} FROM user_groups g WHERE g.pool_id = $2 {from} \
         ORDER BY g.name LIMIT $1"
    );
    let mut query = sqlx::query(&sql)
        .bind(codec::probe_limit(limit))
        .bind(pool_id);
    if let Some(after) = after {
        query = query.bind(after);
    }
    let found = query.fetch_all(db).await?;
    let items = found
        .iter()
        .map(rows::group)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(codec::page(items, limit, |g| g.name.clone()))
}

pub(super) async fn update(db: &DbPool, group: &Group) -> Result<(), Fail> {
    let done = sqlx::query(
        "UPDATE user_groups SET description = $1, precedence = $2, role_arn = $3, \
         modified_at = $4 WHERE pool_id = $5 AND name = $6",
    )
    .bind(&group.description)
    .bind(group.precedence)
    .bind(&group.role_arn)
    .bind(group.modified_at.0)
    .bind(&group.pool_id)
    .bind(&group.name)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound.into());
    }
    Ok(())
}

/// Deletes the group; its memberships cascade.
pub(super) async fn delete(db: &DbPool, pool_id: &str, name: &str) -> Result<bool, Fail> {
    let done = sqlx::query("DELETE FROM user_groups WHERE pool_id = $1 AND name = $2")
        .bind(pool_id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds a membership (idempotent); `NotFound` if the group or the user is missing.
pub(super) async fn add_member(
    db: &DbPool,
    pool_id: &str,
    group: &str,
    sub: &str,
) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO group_members (pool_id, group_name, sub) VALUES ($1, $2, $3) \
         ON CONFLICT (pool_id, group_name, sub) DO NOTHING",
    )
    .bind(pool_id)
    .bind(group)
    .bind(sub)
    .execute(db)
    .await
    .map_err(on_insert("membership"))?;
    Ok(())
}

pub(super) async fn remove_member(
    db: &DbPool,
    pool_id: &str,
    group: &str,
    sub: &str,
) -> Result<(), Fail> {
    sqlx::query("DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND sub = $3")
        .bind(pool_id)
        .bind(group)
        .bind(sub)
        .execute(db)
        .await?;
    Ok(())
}

fn of_user_sql() -> &'static str {
    sql_once!(
        "SELECT {GROUP_COLUMNS} FROM group_members m \
         JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name \
         WHERE m.pool_id = $1 AND m.sub = $2 ORDER BY g.name"
    )
}

/// [`groups_of_user`] on the fast lane.
pub(super) fn groups_of_user_now(
    conn: &Connection,
    pool_id: &str,
    sub: &str,
) -> Result<Vec<Group>, Fail> {
    lane::all(conn, of_user_sql(), &params![pool_id, sub], |r| {
        rows::group(r)
    })
}

pub(super) async fn groups_of_user(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
) -> Result<Vec<Group>, Fail> {
    let sql = of_user_sql();
    let found = query_with(sql, &params![pool_id, sub])
        .fetch_all(db)
        .await?;
    found.iter().map(rows::group).collect()
}

pub(super) async fn users_in_group(
    db: &DbPool,
    pool_id: &str,
    group: &str,
    after: Option<&str>,
    limit: u32,
) -> Result<Page<User>, Fail> {
    let from = if after.is_some() {
        "AND u.username_key > $4"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM group_members m \
         JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub \
         WHERE m.pool_id = $2 AND m.group_name = $3 {from} \
         ORDER BY u.username_key LIMIT $1"
    );
    let mut query = sqlx::query(&sql)
        .bind(codec::probe_limit(limit))
        .bind(pool_id)
        .bind(group);
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
