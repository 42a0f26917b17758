//! Rows to domain structs. Column lists are constants so every `SELECT` of a table reads
//! the same columns in the same way.

use keystep_core::app_client::AppClient;
use keystep_core::code::StoredCode;
use keystep_core::group::Group;
use keystep_core::keys::Sealed;
use keystep_core::message::{OutboxEntry, OutgoingMessage};
use keystep_core::pool::UserPool;
use keystep_core::ports::{AuthSessionRow, RefreshTokenRow};
use keystep_core::user::User;
use keystep_core::Millis;

use crate::codec::{self, UserSecrets};
use crate::cols::Cols;
use crate::error::Fail;

/// The columns [`pool`] reads.
pub(super) const POOL_COLUMNS: &str = "id, name, created_at, modified_at, settings";

/// The pool's columns renamed with a `p_` prefix, for joins where `p` is `pools` (its
/// names would clash with the other table's); read by [`prefixed_pool`].
pub(super) const POOL_COLUMNS_P: &str = "p.id AS p_id, p.name AS p_name, \
    p.created_at AS p_created_at, p.modified_at AS p_modified_at, p.settings AS p_settings";

/// A `pools` row.
pub(super) fn pool(row: &impl Cols) -> Result<UserPool, Fail> {
    pool_named(row, ["id", "name", "created_at", "modified_at", "settings"])
}

/// A `pools` row read through [`POOL_COLUMNS_P`].
pub(super) fn prefixed_pool(row: &impl Cols) -> Result<UserPool, Fail> {
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
    row: &impl Cols,
    [id, name, created, modified, settings]: [&str; 5],
) -> Result<UserPool, Fail> {
    let id: String = row.col(id)?;
    let settings = crate::parsed::pool_settings(&id, &row.col::<String>(settings)?)?;
    Ok(UserPool {
        id,
        name: row.col(name)?,
        created_at: Millis(row.col(created)?),
        modified_at: Millis(row.col(modified)?),
        settings,
    })
}

/// The columns [`client`] reads, qualified by the alias `c` (`FROM app_clients c`), so
/// that they can be joined with another table's without renaming.
pub(super) const CLIENT_COLUMNS: &str =
    "c.client_id, c.pool_id, c.name, c.created_at, c.modified_at, c.secret, c.settings, \
     c.secret_rotation";

/// [`CLIENT_COLUMNS`] renamed with the prefix `c_`, for joins with a table whose columns
/// share their names (`pool_id`, `created_at` and `modified_at` with `users`).
pub(super) const CLIENT_COLUMNS_C: &str = "c.client_id AS c_client_id, c.pool_id AS c_pool_id, \
     c.name AS c_name, c.created_at AS c_created_at, c.modified_at AS c_modified_at, \
     c.secret AS c_secret, c.settings AS c_settings, c.secret_rotation AS c_secret_rotation";

/// An `app_clients` row.
pub(super) fn client(row: &impl Cols) -> Result<AppClient, Fail> {
    client_named(
        row,
        [
            "client_id",
            "pool_id",
            "name",
            "created_at",
            "modified_at",
            "secret",
            "settings",
            "secret_rotation",
        ],
    )
}

/// An `app_clients` row read through [`CLIENT_COLUMNS_C`].
pub(super) fn prefixed_client(row: &impl Cols) -> Result<AppClient, Fail> {
    client_named(
        row,
        [
            "c_client_id",
            "c_pool_id",
            "c_name",
            "c_created_at",
            "c_modified_at",
            "c_secret",
            "c_settings",
            "c_secret_rotation",
        ],
    )
}

/// A client from the columns named
/// `[client_id, pool_id, name, created_at, modified_at, secret, settings, secret_rotation]`.
fn client_named(
    row: &impl Cols,
    [client_id, pool_id, name, created, modified, secret, settings, rotation]: [&str; 8],
) -> Result<AppClient, Fail> {
    let client_id: String = row.col(client_id)?;
    let pool_id: String = row.col(pool_id)?;
    let name: String = row.col(name)?;
    let created_at = Millis(row.col(created)?);
    let modified_at = Millis(row.col(modified)?);
    let secret: Option<Vec<u8>> = row.col(secret)?;
    let settings = crate::parsed::client_settings(&client_id, &row.col::<String>(settings)?)?;
    let secret_rotation = match row.col::<Option<String>>(rotation)? {
        Some(json) => codec::from_json(&json, "client secret rotation")?,
        None => Default::default(),
    };
    Ok(AppClient {
        pool_id,
        client_id,
        name,
        secret: secret.map(Sealed),
        created_at,
        modified_at,
        settings,
        secret_rotation,
    })
}

/// The columns [`user`] reads, qualified by the alias `u`.
pub(super) const USER_COLUMNS: &str = "u.pool_id, u.sub, u.username, u.username_key, u.status, \
     u.enabled, u.created_at, u.modified_at, u.version, u.attributes, u.secrets";

/// A `users` row.
pub(super) fn user(row: &impl Cols) -> Result<User, Fail> {
    let secrets: UserSecrets = codec::from_json(&row.col::<String>("secrets")?, "user secrets")?;
    Ok(User {
        pool_id: row.col("pool_id")?,
        username: row.col("username")?,
        username_key: row.col("username_key")?,
        sub: row.col("sub")?,
        attributes: codec::from_json(&row.col::<String>("attributes")?, "user attributes")?,
        status: codec::user_status(&row.col::<String>("status")?)?,
        enabled: row.col("enabled")?,
        created_at: Millis(row.col("created_at")?),
        modified_at: Millis(row.col("modified_at")?),
        password: secrets.password,
        password_set_at: secrets.password_set_at,
        mfa: secrets.mfa,
        tokens_valid_after: secrets.tokens_valid_after,
        pending_attributes: secrets.pending_attributes,
        password_history: secrets.password_history,
        version: row.col("version")?,
    })
}

/// The columns [`group`] reads, qualified by the alias `g`.
pub(super) const GROUP_COLUMNS: &str = "g.pool_id, g.name, g.description, g.precedence, \
     g.role_arn, g.created_at, g.modified_at";

/// A `user_groups` row.
pub(super) fn group(row: &impl Cols) -> Result<Group, Fail> {
    Ok(Group {
        pool_id: row.col("pool_id")?,
        name: row.col("name")?,
        description: row.col("description")?,
        precedence: row.col("precedence")?,
        role_arn: row.col("role_arn")?,
        created_at: Millis(row.col("created_at")?),
        modified_at: Millis(row.col("modified_at")?),
    })
}

/// The columns [`code`] reads.
pub(super) const CODE_COLUMNS: &str =
    "pool_id, sub, purpose, id, hash, created_at, expires_at, attempts";

/// A `codes` row.
pub(super) fn code(row: &impl Cols) -> Result<StoredCode, Fail> {
    Ok(StoredCode {
        pool_id: row.col("pool_id")?,
        sub: row.col("sub")?,
        purpose: codec::code_purpose(&row.col::<String>("purpose")?)?,
        id: row.col("id")?,
        hash: row.col("hash")?,
        created_at: Millis(row.col("created_at")?),
        expires_at: Millis(row.col("expires_at")?),
        attempts: codec::count(row.col("attempts")?, "code attempts")?,
    })
}

/// The columns [`outbox_entry`] reads.
pub(super) const OUTBOX_COLUMNS: &str =
    "id, pool_id, username, medium, destination, purpose, code, subject, body, created_at";

/// An `outbox` row.
pub(super) fn outbox_entry(row: &impl Cols) -> Result<OutboxEntry, Fail> {
    Ok(OutboxEntry {
        id: row.col("id")?,
        message: OutgoingMessage {
            pool_id: row.col("pool_id")?,
            username: row.col("username")?,
            medium: codec::medium(&row.col::<String>("medium")?)?,
            destination: row.col("destination")?,
            purpose: codec::message_purpose(&row.col::<String>("purpose")?)?,
            code: row.col("code")?,
            subject: row.col("subject")?,
            body: row.col("body")?,
            created_at: Millis(row.col("created_at")?),
        },
    })
}

/// The columns [`auth_session`] reads.
pub(super) const SESSION_COLUMNS: &str =
    "id, pool_id, client_id, state, version, attempts, expires_at";

/// An `auth_sessions` row.
pub(super) fn auth_session(row: &impl Cols) -> Result<AuthSessionRow, Fail> {
    Ok(AuthSessionRow {
        id: row.col("id")?,
        pool_id: row.col("pool_id")?,
        client_id: row.col("client_id")?,
        state: row.col("state")?,
        version: row.col("version")?,
        attempts: codec::count(row.col("attempts")?, "session attempts")?,
        expires_at: Millis(row.col("expires_at")?),
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
pub(super) fn refresh_token(row: &impl Cols) -> Result<RefreshTokenRow, Fail> {
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
pub(super) fn prefixed_refresh_token(row: &impl Cols) -> Result<RefreshTokenRow, Fail> {
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

fn refresh_token_named(row: &impl Cols, names: [&str; 12]) -> Result<RefreshTokenRow, Fail> {
    let [hash, pool_id, client_id, sub, origin_jti, auth_time, created, expires, revoked, device_key, scope, rotated_until] =
        names;
    Ok(RefreshTokenRow {
        hash: row.col(hash)?,
        pool_id: row.col(pool_id)?,
        client_id: row.col(client_id)?,
        sub: row.col(sub)?,
        origin_jti: row.col(origin_jti)?,
        auth_time: Millis(row.col(auth_time)?),
        created_at: Millis(row.col(created)?),
        expires_at: Millis(row.col(expires)?),
        revoked: row.col(revoked)?,
        device_key: row.col(device_key)?,
        scope: row.col(scope)?,
        rotated_until: row.col::<Option<i64>>(rotated_until)?.map(Millis),
    })
}
