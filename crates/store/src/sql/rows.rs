//! Rows to domain structs. Column lists are constants so every `SELECT` of a table reads
//! the same columns in the same way.

use sqlx::Row;

use keystep_core::app_client::AppClient;
use keystep_core::code::StoredCode;
use keystep_core::group::Group;
use keystep_core::keys::Sealed;
use keystep_core::message::{OutboxEntry, OutgoingMessage};
use keystep_core::pool::UserPool;
use keystep_core::ports::{AuthSessionRow, RefreshTokenRow};
use keystep_core::user::User;
use keystep_core::Millis;

use super::DbRow;
use crate::codec::{self, UserSecrets};
use crate::error::Fail;

/// The columns [`pool`] reads.
pub(super) const POOL_COLUMNS: &str = "id, name, created_at, modified_at, settings";

/// The pool's columns renamed with a `p_` prefix, for joins where `p` is `pools` (its
/// names would clash with the other table's); read by [`prefixed_pool`].
pub(super) const POOL_COLUMNS_P: &str = "p.id AS p_id, p.name AS p_name, \
    p.created_at AS p_created_at, p.modified_at AS p_modified_at, p.settings AS p_settings";

/// A `pools` row.
pub(super) fn pool(row: &DbRow) -> Result<UserPool, Fail> {
    pool_named(row, ["id", "name", "created_at", "modified_at", "settings"])
}

/// A `pools` row read through [`POOL_COLUMNS_P`].
pub(super) fn prefixed_pool(row: &DbRow) -> Result<UserPool, Fail> {
    pool_named(
        row,
        [
            "p_id",
            "p_name",
            "p_created_at",
            "p_modified_at",
            "p_settings",
        ],
    )
}

/// A pool from the columns named `[id, name, created_at, modified_at, settings]`.
fn pool_named(
    row: &DbRow,
    [id, name, created, modified, settings]: [&str; 5],
) -> Result<UserPool, Fail> {
    let id: String = row.try_get(id)?;
    let settings = crate::parsed::pool_settings(&id, row.try_get(settings)?)?;
    Ok(UserPool {
        id,
        name: row.try_get(name)?,
        created_at: Millis(row.try_get(created)?),
        modified_at: Millis(row.try_get(modified)?),
        settings,
    })
}

/// The columns [`client`] reads, qualified by the alias `c` (`FROM app_clients c`), so
/// that they can be joined with another table's without renaming.
pub(super) const CLIENT_COLUMNS: &str =
    "c.client_id, c.pool_id, c.name, c.created_at, c.modified_at, c.secret, c.settings, \
     c.secret_rotation";

/// An `app_clients` row.
pub(super) fn client(row: &DbRow) -> Result<AppClient, Fail> {
    let secret: Option<Vec<u8>> = row.try_get("secret")?;
    Ok(AppClient {
        pool_id: row.try_get("pool_id")?,
        client_id: row.try_get("client_id")?,
        name: row.try_get("name")?,
        secret: secret.map(Sealed),
        created_at: Millis(row.try_get("created_at")?),
        modified_at: Millis(row.try_get("modified_at")?),
        settings: codec::from_json(row.try_get("settings")?, "client settings")?,
        secret_rotation: match row.try_get::<Option<String>, _>("secret_rotation")? {
            Some(json) => codec::from_json(&json, "client secret rotation")?,
            None => Default::default(),
        },
    })
}

/// The columns [`user`] reads, qualified by the alias `u`.
pub(super) const USER_COLUMNS: &str = "u.pool_id, u.sub, u.username, u.username_key, u.status, \
     u.enabled, u.created_at, u.modified_at, u.version, u.attributes, u.secrets";

/// A `users` row.
pub(super) fn user(row: &DbRow) -> Result<User, Fail> {
    let secrets: UserSecrets = codec::from_json(row.try_get("secrets")?, "user secrets")?;
    Ok(User {
        pool_id: row.try_get("pool_id")?,
        username: row.try_get("username")?,
        username_key: row.try_get("username_key")?,
        sub: row.try_get("sub")?,
        attributes: codec::from_json(row.try_get("attributes")?, "user attributes")?,
        status: codec::user_status(row.try_get("status")?)?,
        enabled: row.try_get("enabled")?,
        created_at: Millis(row.try_get("created_at")?),
        modified_at: Millis(row.try_get("modified_at")?),
        password: secrets.password,
        password_set_at: secrets.password_set_at,
        mfa: secrets.mfa,
        tokens_valid_after: secrets.tokens_valid_after,
        pending_attributes: secrets.pending_attributes,
        password_history: secrets.password_history,
        version: row.try_get("version")?,
    })
}

/// The columns [`group`] reads, qualified by the alias `g`.
pub(super) const GROUP_COLUMNS: &str = "g.pool_id, g.name, g.description, g.precedence, \
     g.role_arn, g.created_at, g.modified_at";

/// A `user_groups` row.
pub(super) fn group(row: &DbRow) -> Result<Group, Fail> {
    Ok(Group {
        pool_id: row.try_get("pool_id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        precedence: row.try_get("precedence")?,
        role_arn: row.try_get("role_arn")?,
        created_at: Millis(row.try_get("created_at")?),
        modified_at: Millis(row.try_get("modified_at")?),
    })
}

/// The columns [`code`] reads.
pub(super) const CODE_COLUMNS: &str =
    "pool_id, sub, purpose, id, hash, created_at, expires_at, attempts";

/// A `codes` row.
pub(super) fn code(row: &DbRow) -> Result<StoredCode, Fail> {
    Ok(StoredCode {
        pool_id: row.try_get("pool_id")?,
        sub: row.try_get("sub")?,
        purpose: codec::code_purpose(row.try_get("purpose")?)?,
        id: row.try_get("id")?,
        hash: row.try_get("hash")?,
        created_at: Millis(row.try_get("created_at")?),
        expires_at: Millis(row.try_get("expires_at")?),
        attempts: codec::count(row.try_get("attempts")?, "code attempts")?,
    })
}

/// The columns [`outbox_entry`] reads.
pub(super) const OUTBOX_COLUMNS: &str =
    "id, pool_id, username, medium, destination, purpose, code, subject, body, created_at";

/// An `outbox` row.
pub(super) fn outbox_entry(row: &DbRow) -> Result<OutboxEntry, Fail> {
    Ok(OutboxEntry {
        id: row.try_get("id")?,
        message: OutgoingMessage {
            pool_id: row.try_get("pool_id")?,
            username: row.try_get("username")?,
            medium: codec::medium(row.try_get("medium")?)?,
            destination: row.try_get("destination")?,
            purpose: codec::message_purpose(row.try_get("purpose")?)?,
            code: row.try_get("code")?,
            subject: row.try_get("subject")?,
            body: row.try_get("body")?,
            created_at: Millis(row.try_get("created_at")?),
        },
    })
}

/// The columns [`auth_session`] reads.
pub(super) const SESSION_COLUMNS: &str =
    "id, pool_id, client_id, state, version, attempts, expires_at";

/// An `auth_sessions` row.
pub(super) fn auth_session(row: &DbRow) -> Result<AuthSessionRow, Fail> {
    Ok(AuthSessionRow {
        id: row.try_get("id")?,
        pool_id: row.try_get("pool_id")?,
        client_id: row.try_get("client_id")?,
        state: row.try_get("state")?,
        version: row.try_get("version")?,
        attempts: codec::count(row.try_get("attempts")?, "session attempts")?,
        expires_at: Millis(row.try_get("expires_at")?),
    })
}

/// The columns [`refresh_token`] reads.
pub(super) const TOKEN_COLUMNS: &str = "hash, pool_id, client_id, sub, origin_jti, auth_time, \
     created_at, expires_at, revoked, device_key, scope, rotated_until";

/// The refresh token's columns renamed with a `t_` prefix, for joins where `rt` is
/// `refresh_tokens` and the other table's names would clash; read by
/// [`prefixed_refresh_token`].
pub(super) const TOKEN_COLUMNS_T: &str = "rt.hash AS t_hash, rt.pool_id AS t_pool_id, \
     rt.client_id AS t_client_id, rt.sub AS t_sub, rt.origin_jti AS t_origin_jti, \
     rt.auth_time AS t_auth_time, rt.created_at AS t_created_at, rt.expires_at AS t_expires_at, \
     rt.revoked AS t_revoked, rt.device_key AS t_device_key, rt.scope AS t_scope, \
     rt.rotated_until AS t_rotated_until";

/// A `refresh_tokens` row.
pub(super) fn refresh_token(row: &DbRow) -> Result<RefreshTokenRow, Fail> {
    refresh_token_named(
        row,
        [
            "hash",
            "pool_id",
            "client_id",
            "sub",
            "origin_jti",
            "auth_time",
            "created_at",
            "expires_at",
            "revoked",
            "device_key",
            "scope",
            "rotated_until",
        ],
    )
}

/// A `refresh_tokens` row read through [`TOKEN_COLUMNS_T`].
pub(super) fn prefixed_refresh_token(row: &DbRow) -> Result<RefreshTokenRow, Fail> {
    refresh_token_named(
        row,
        [
            "t_hash",
            "t_pool_id",
            "t_client_id",
            "t_sub",
            "t_origin_jti",
            "t_auth_time",
            "t_created_at",
            "t_expires_at",
            "t_revoked",
            "t_device_key",
            "t_scope",
            "t_rotated_until",
        ],
    )
}

fn refresh_token_named(row: &DbRow, names: [&str; 12]) -> Result<RefreshTokenRow, Fail> {
    let [hash, pool_id, client_id, sub, origin_jti, auth_time, created, expires, revoked, device_key, scope, rotated_until] =
        names;
    Ok(RefreshTokenRow {
        hash: row.try_get(hash)?,
        pool_id: row.try_get(pool_id)?,
        client_id: row.try_get(client_id)?,
        sub: row.try_get(sub)?,
        origin_jti: row.try_get(origin_jti)?,
        auth_time: Millis(row.try_get(auth_time)?),
        created_at: Millis(row.try_get(created)?),
        expires_at: Millis(row.try_get(expires)?),
        revoked: row.try_get(revoked)?,
        device_key: row.try_get(device_key)?,
        scope: row.try_get(scope)?,
        rotated_until: row.try_get::<Option<i64>, _>(rotated_until)?.map(Millis),
    })
}
