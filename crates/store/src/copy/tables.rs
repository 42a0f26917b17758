//! What a copy moves: every table of the schema, in an order that satisfies its foreign
//! keys, each with its columns (primary key first) and how their values are read and
//! bound; and the plain values whole rows are made of.
//!
//! A new migration that adds a table or a column must add it here too; the copy refuses
//! to run on a database whose tables or columns differ from this list.

/// How a column's values are read and bound. Nullability needs no flag: the schema
/// enforces it, and a NULL is bound with the column's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// TEXT.
    Text,
    /// INTEGER (SQLite) / BIGINT (PostgreSQL).
    Int,
    /// INTEGER 0/1 (SQLite) / BOOLEAN (PostgreSQL).
    Bool,
    /// BLOB (SQLite) / BYTEA (PostgreSQL).
    Bytes,
}

/// One column.
#[derive(Debug)]
pub(crate) struct Column {
    /// Its name.
    pub name: &'static str,
    /// Its kind.
    pub kind: Kind,
}

/// One table.
#[derive(Debug)]
pub(crate) struct Table {
    /// Its name.
    pub name: &'static str,
    /// Every column, the primary key's first.
    pub columns: &'static [Column],
    /// How many leading columns form the primary key.
    pub key: usize,
    /// Whether key values may appear in messages (`false` when a key is itself a bearer
    /// value, such as a `Session` id, or a hash of one).
    pub key_shown: bool,
    /// The column the database numbers itself (identity / autoincrement), copied as it is.
    pub identity: Option<&'static str>,
}

impl Table {
    /// The primary key's columns.
    pub fn key_columns(&self) -> &'static [Column] {
        &self.columns[..self.key]
    }
}

/// A value of one column of one row. `Debug` shows only kinds and sizes: rows carry
/// sealed secrets, hashes and session ids.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) enum Value {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Int(_) => f.write_str("Int(..)"),
            Value::Bool(_) => f.write_str("Bool(..)"),
            Value::Text(t) => write!(f, "Text({} bytes)", t.len()),
            Value::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
        }
    }
}

impl std::fmt::Display for Value {
    /// For messages about keys that may be shown: text and numbers as they are, bytes by
    /// their length.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(t) => write!(f, "{t:?}"),
            Value::Bytes(b) => write!(f, "<{} bytes>", b.len()),
        }
    }
}

/// A whole row, in the order of [`Table::columns`].
pub(crate) type Row = Vec<Value>;

/// What writing a batch did.
#[derive(Debug)]
pub(crate) enum Written {
    /// Committed: `inserted` rows were new, the others were already there, identical.
    Rows {
        /// How many rows were new.
        inserted: u64,
    },
    /// Rolled back: the row at this index of the batch clashes with a different row on
    /// the target; `columns` are those that differ (empty when the clash is on another
    /// unique column, so no row with the same key exists).
    Conflict {
        /// The index of the row in the batch.
        index: usize,
        /// The columns whose values differ.
        columns: Vec<&'static str>,
    },
}

const fn text(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Text,
    }
}

const fn int(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Int,
    }
}

const fn boolean(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Bool,
    }
}

const fn bytes(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Bytes,
    }
}

/// Every table but `keystep_migrations` (each database records its own), parents before
/// the tables that point at them.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "server_secrets",
        columns: &[text("name"), bytes("value")],
        key: 1,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "pools",
        columns: &[
            text("id"),
            text("name"),
            int("created_at"),
            int("modified_at"),
            text("settings"),
        ],
        key: 1,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "pool_keys",
        columns: &[
            text("pool_id"),
            int("generation"),
            bytes("keys"),
            int("created_at"),
            int("retired_at"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "resource_servers",
        columns: &[
            text("pool_id"),
            text("identifier"),
            text("name"),
            text("scopes"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "pool_domains",
        columns: &[
            text("domain"),
            text("pool_id"),
            text("certificate_arn"),
            int("managed_login_version"),
            int("created_at"),
        ],
        key: 1,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "identity_providers",
        columns: &[
            text("pool_id"),
            text("name"),
            text("provider_type"),
            text("details"),
            text("attribute_mapping"),
            text("idp_identifiers"),
            text("acr_mapping"),
            int("created_at"),
            int("modified_at"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "identity_provider_identifiers",
        columns: &[text("pool_id"), text("identifier"), text("provider_name")],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "app_clients",
        columns: &[
            text("client_id"),
            text("pool_id"),
            text("name"),
            int("created_at"),
            int("modified_at"),
            bytes("secret"),
            text("settings"),
            text("secret_rotation"),
        ],
        key: 1,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "users",
        columns: &[
            text("pool_id"),
            text("sub"),
            text("username"),
            text("username_key"),
            text("status"),
            boolean("enabled"),
            int("created_at"),
            int("modified_at"),
            int("version"),
            text("attributes"),
            text("secrets"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "devices",
        columns: &[
            text("device_key"),
            text("pool_id"),
            text("sub"),
            text("group_key"),
            text("name"),
            text("status"),
            bytes("verifier"),
            int("created_at"),
            int("modified_at"),
            int("last_auth_at"),
        ],
        key: 1,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "passkeys",
        columns: &[
            text("credential_id"),
            text("pool_id"),
            text("sub"),
            text("rp_id"),
            text("passkey"),
            text("name"),
            text("attachment"),
            text("transports"),
            int("created_at"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "passkey_registrations",
        columns: &[
            text("pool_id"),
            text("sub"),
            text("client_id"),
            bytes("state"),
            int("expires_at"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "user_aliases",
        columns: &[
            text("pool_id"),
            text("kind"),
            text("value_key"),
            text("sub"),
        ],
        key: 3,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "identity_provider_links",
        columns: &[
            text("pool_id"),
            text("provider_name"),
            text("subject"),
            text("attribute_name"),
            text("sub"),
            int("created_at"),
        ],
        key: 3,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "user_groups",
        columns: &[
            text("pool_id"),
            text("name"),
            text("description"),
            int("precedence"),
            text("role_arn"),
            int("created_at"),
            int("modified_at"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "group_members",
        columns: &[text("pool_id"), text("group_name"), text("sub")],
        key: 3,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "codes",
        columns: &[
            text("pool_id"),
            text("sub"),
            text("purpose"),
            text("id"),
            bytes("hash"),
            int("created_at"),
            int("expires_at"),
            int("attempts"),
        ],
        key: 3,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "auth_sessions",
        columns: &[
            text("id"),
            text("pool_id"),
            text("client_id"),
            bytes("state"),
            int("version"),
            int("attempts"),
            int("expires_at"),
        ],
        key: 1,
        key_shown: false,
        identity: None,
    },
    Table {
        name: "used_once",
        columns: &[text("scope"), text("value"), int("expires_at")],
        key: 2,
        key_shown: false,
        identity: None,
    },
    Table {
        name: "refresh_tokens",
        columns: &[
            bytes("hash"),
            text("pool_id"),
            text("client_id"),
            text("sub"),
            text("origin_jti"),
            int("auth_time"),
            int("created_at"),
            int("expires_at"),
            boolean("revoked"),
            text("device_key"),
            text("scope"),
            int("rotated_until"),
            int("last_active_at"),
        ],
        key: 1,
        key_shown: false,
        identity: None,
    },
    Table {
        name: "revoked_origins",
        columns: &[text("origin_jti"), int("expires_at")],
        key: 1,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "counters",
        columns: &[
            text("key"),
            text("state"),
            int("version"),
            int("expires_at"),
        ],
        key: 1,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "outbox",
        columns: &[
            int("id"),
            text("pool_id"),
            text("username"),
            text("medium"),
            text("destination"),
            text("purpose"),
            text("code"),
            text("subject"),
            text("body"),
            int("created_at"),
            int("expires_at"),
        ],
        key: 1,
        key_shown: true,
        identity: Some("id"),
    },
    Table {
        name: "deliveries",
        columns: &[
            int("id"),
            text("pool_id"),
            text("username"),
            text("medium"),
            text("purpose"),
            text("channel"),
            text("destination_masked"),
            bytes("payload"),
            text("status"),
            int("attempts"),
            int("next_attempt_at"),
            text("last_error"),
            int("created_at"),
            int("updated_at"),
            int("expires_at"),
        ],
        key: 1,
        key_shown: true,
        identity: Some("id"),
    },
    Table {
        name: "oauth_codes",
        columns: &[
            bytes("hash"),
            text("pool_id"),
            text("client_id"),
            text("sub"),
            text("grant_json"),
            int("expires_at"),
        ],
        key: 1,
        key_shown: false,
        identity: None,
    },
    Table {
        name: "hosted_sessions",
        columns: &[
            bytes("hash"),
            text("pool_id"),
            text("sub"),
            int("auth_time"),
            int("created_at"),
            int("expires_at"),
        ],
        key: 1,
        key_shown: false,
        identity: None,
    },
    Table {
        name: "user_import_jobs",
        columns: &[
            text("pool_id"),
            text("job_id"),
            text("job_name"),
            text("role_arn"),
            text("status"),
            int("created_at"),
            int("started_at"),
            int("completed_at"),
            int("imported"),
            int("skipped"),
            int("failed"),
            text("message"),
            int("position"),
            bytes("upload_key"),
            int("upload_expires_at"),
            bytes("file"),
            text("runner"),
            int("lease_until"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "ui_customizations",
        columns: &[
            text("pool_id"),
            text("client_id"),
            text("css"),
            bytes("image"),
            text("css_version"),
            int("created_at"),
            int("modified_at"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
    Table {
        name: "auth_events",
        columns: &[
            text("pool_id"),
            text("event_id"),
            text("sub"),
            text("client_id"),
            int("created_at"),
            text("response"),
            text("challenges"),
            text("ip_address"),
            text("feedback_value"),
            text("feedback_provider"),
            int("feedback_at"),
            int("expires_at"),
        ],
        key: 2,
        key_shown: true,
        identity: None,
    },
];

/// The table that records which migrations a database has; never copied.
pub(crate) const MIGRATIONS_TABLE: &str = "keystep_migrations";
