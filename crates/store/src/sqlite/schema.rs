//! The SQLite schema, as migrations. Tables are STRICT; instants are INTEGER milliseconds;
//! booleans INTEGER 0/1; nested settings JSON TEXT; foreign keys cascade deletes from
//! pools to everything in them and from users to what they own.

use crate::migration::Migration;

/// Every migration, in order.
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial schema",
        statements: &[
            "CREATE TABLE pools (
            id          TEXT    NOT NULL PRIMARY KEY,
            name        TEXT    NOT NULL,
            created_at  INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            settings    TEXT    NOT NULL
        ) STRICT",
            "CREATE TABLE app_clients (
            client_id   TEXT    NOT NULL PRIMARY KEY,
            pool_id     TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            name        TEXT    NOT NULL,
            created_at  INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            secret      BLOB,
            settings    TEXT    NOT NULL
        ) STRICT",
            "CREATE INDEX app_clients_by_pool ON app_clients (pool_id, client_id)",
            "CREATE TABLE users (
            pool_id      TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            sub          TEXT    NOT NULL,
            username     TEXT    NOT NULL,
            username_key TEXT    NOT NULL,
            status       TEXT    NOT NULL,
            enabled      INTEGER NOT NULL,
            created_at   INTEGER NOT NULL,
            modified_at  INTEGER NOT NULL,
            version      INTEGER NOT NULL,
            attributes   TEXT    NOT NULL,
            secrets      TEXT    NOT NULL,
            PRIMARY KEY (pool_id, sub),
            CONSTRAINT users_username_key_unique UNIQUE (pool_id, username_key)
        ) STRICT",
            "CREATE TABLE user_aliases (
            pool_id   TEXT NOT NULL,
            kind      TEXT NOT NULL,
            value_key TEXT NOT NULL,
            sub       TEXT NOT NULL,
            PRIMARY KEY (pool_id, kind, value_key),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX user_aliases_by_user ON user_aliases (pool_id, sub)",
            "CREATE TABLE user_groups (
            pool_id     TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            name        TEXT    NOT NULL,
            description TEXT,
            precedence  INTEGER,
            role_arn    TEXT,
            created_at  INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            PRIMARY KEY (pool_id, name)
        ) STRICT",
            "CREATE TABLE group_members (
            pool_id    TEXT NOT NULL,
            group_name TEXT NOT NULL,
            sub        TEXT NOT NULL,
            PRIMARY KEY (pool_id, group_name, sub),
            FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name)
                ON DELETE CASCADE,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX group_members_by_user ON group_members (pool_id, sub)",
            "CREATE TABLE codes (
            pool_id    TEXT    NOT NULL,
            sub        TEXT    NOT NULL,
            purpose    TEXT    NOT NULL,
            id         TEXT    NOT NULL,
            hash       BLOB    NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            attempts   INTEGER NOT NULL,
            PRIMARY KEY (pool_id, sub, purpose),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX codes_by_expiry ON codes (expires_at)",
            "CREATE TABLE outbox (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id     TEXT    NOT NULL,
            username    TEXT    NOT NULL,
            medium      TEXT    NOT NULL,
            destination TEXT    NOT NULL,
            purpose     TEXT    NOT NULL,
            code        TEXT,
            subject     TEXT,
            body        TEXT    NOT NULL,
            created_at  INTEGER NOT NULL
        ) STRICT",
            "CREATE INDEX outbox_by_recipient ON outbox (pool_id, username, id)",
            "CREATE TABLE auth_sessions (
            id         TEXT    NOT NULL PRIMARY KEY,
            pool_id    TEXT    NOT NULL,
            client_id  TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
            state      BLOB    NOT NULL,
            version    INTEGER NOT NULL,
            attempts   INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) STRICT",
            "CREATE INDEX auth_sessions_by_client ON auth_sessions (client_id)",
            "CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_at)",
            "CREATE TABLE used_once (
            scope      TEXT    NOT NULL,
            value      TEXT    NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (scope, value)
        ) STRICT",
            "CREATE INDEX used_once_by_expiry ON used_once (expires_at)",
            "CREATE TABLE refresh_tokens (
            hash       BLOB    NOT NULL PRIMARY KEY,
            pool_id    TEXT    NOT NULL,
            client_id  TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
            sub        TEXT    NOT NULL,
            origin_jti TEXT    NOT NULL,
            auth_time  INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            revoked    INTEGER NOT NULL,
            device_key TEXT,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX refresh_tokens_by_client ON refresh_tokens (client_id)",
            "CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at)",
            "CREATE TABLE revoked_origins (
            origin_jti TEXT    NOT NULL PRIMARY KEY,
            expires_at INTEGER NOT NULL
        ) STRICT",
            "CREATE INDEX revoked_origins_by_expiry ON revoked_origins (expires_at)",
            "CREATE TABLE server_secrets (
            name  TEXT NOT NULL PRIMARY KEY,
            value BLOB NOT NULL
        ) STRICT",
        ],
    },
    Migration {
        version: 2,
        name: "abuse counters",
        statements: &[
            "CREATE TABLE counters (
            key        TEXT    NOT NULL PRIMARY KEY,
            state      TEXT    NOT NULL,
            version    INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) STRICT",
            "CREATE INDEX counters_by_expiry ON counters (expires_at)",
        ],
    },
    Migration {
        version: 3,
        name: "signing keys per pool",
        statements: &["CREATE TABLE pool_keys (
            pool_id    TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            generation INTEGER NOT NULL,
            keys       BLOB    NOT NULL,
            created_at INTEGER NOT NULL,
            retired_at INTEGER,
            PRIMARY KEY (pool_id, generation)
        ) STRICT"],
    },
    Migration {
        version: 4,
        name: "delivery queue; outbox rows expire",
        statements: &[
            "CREATE TABLE deliveries (
            id                 INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id            TEXT    NOT NULL,
            username           TEXT    NOT NULL,
            medium             TEXT    NOT NULL,
            purpose            TEXT    NOT NULL,
            channel            TEXT    NOT NULL,
            destination_masked TEXT    NOT NULL,
            payload            BLOB,
            status             TEXT    NOT NULL,
            attempts           INTEGER NOT NULL,
            next_attempt_at    INTEGER NOT NULL,
            last_error         TEXT,
            created_at         INTEGER NOT NULL,
            updated_at         INTEGER NOT NULL,
            expires_at         INTEGER NOT NULL
        ) STRICT",
            "CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at)",
            "CREATE INDEX deliveries_by_expiry ON deliveries (expires_at)",
            "ALTER TABLE outbox ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0",
            // Rows from before expiry existed get the default lifetime from their creation.
            "UPDATE outbox SET expires_at = created_at + 86400000",
            "CREATE INDEX outbox_by_expiry ON outbox (expires_at)",
        ],
    },
    Migration {
        version: 5,
        name: "remembered devices",
        statements: &[
            "CREATE TABLE devices (
            device_key   TEXT    NOT NULL PRIMARY KEY,
            pool_id      TEXT    NOT NULL,
            sub          TEXT    NOT NULL,
            group_key    TEXT    NOT NULL,
            name         TEXT,
            status       TEXT    NOT NULL,
            verifier     BLOB    NOT NULL,
            created_at   INTEGER NOT NULL,
            modified_at  INTEGER NOT NULL,
            last_auth_at INTEGER,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX devices_by_user ON devices (pool_id, sub, device_key)",
        ],
    },
    Migration {
        version: 6,
        name: "passkeys",
        statements: &[
            "CREATE TABLE passkeys (
            credential_id TEXT    NOT NULL,
            pool_id       TEXT    NOT NULL,
            sub           TEXT    NOT NULL,
            rp_id         TEXT    NOT NULL,
            passkey       TEXT    NOT NULL,
            name          TEXT    NOT NULL,
            attachment    TEXT,
            transports    TEXT    NOT NULL,
            created_at    INTEGER NOT NULL,
            PRIMARY KEY (pool_id, credential_id),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX passkeys_by_user ON passkeys (pool_id, sub, created_at)",
            "CREATE TABLE passkey_registrations (
            pool_id    TEXT    NOT NULL,
            sub        TEXT    NOT NULL,
            client_id  TEXT    NOT NULL,
            state      BLOB    NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (pool_id, sub),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
        ],
    },
    Migration {
        version: 7,
        name: "resource servers and domains",
        statements: &[
            "CREATE TABLE resource_servers (
            pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            identifier TEXT NOT NULL,
            name       TEXT NOT NULL,
            scopes     TEXT NOT NULL,
            PRIMARY KEY (pool_id, identifier)
        ) STRICT",
            "CREATE TABLE pool_domains (
            domain                TEXT    NOT NULL PRIMARY KEY,
            pool_id               TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            certificate_arn       TEXT,
            managed_login_version INTEGER NOT NULL,
            created_at            INTEGER NOT NULL
        ) STRICT",
            "CREATE INDEX pool_domains_by_pool ON pool_domains (pool_id)",
        ],
    },
    Migration {
        version: 8,
        name: "identity providers and their links",
        statements: &[
            "CREATE TABLE identity_providers (
            pool_id           TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            name              TEXT    NOT NULL,
            provider_type     TEXT    NOT NULL,
            details           TEXT    NOT NULL,
            attribute_mapping TEXT    NOT NULL,
            idp_identifiers   TEXT    NOT NULL,
            acr_mapping       TEXT    NOT NULL,
            created_at        INTEGER NOT NULL,
            modified_at       INTEGER NOT NULL,
            PRIMARY KEY (pool_id, name)
        ) STRICT",
            // One row per identifier: the primary key makes an identifier unique in the
            // pool however many creates race for it.
            "CREATE TABLE identity_provider_identifiers (
            pool_id       TEXT NOT NULL,
            identifier    TEXT NOT NULL,
            provider_name TEXT NOT NULL,
            PRIMARY KEY (pool_id, identifier),
            FOREIGN KEY (pool_id, provider_name) REFERENCES identity_providers (pool_id, name)
                ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX identity_provider_identifiers_by_provider
            ON identity_provider_identifiers (pool_id, provider_name)",
            "CREATE TABLE identity_provider_links (
            pool_id        TEXT    NOT NULL,
            provider_name  TEXT    NOT NULL,
            subject        TEXT    NOT NULL,
            attribute_name TEXT    NOT NULL,
            sub            TEXT    NOT NULL,
            created_at     INTEGER NOT NULL,
            PRIMARY KEY (pool_id, provider_name, subject),
            FOREIGN KEY (pool_id, provider_name) REFERENCES identity_providers (pool_id, name)
                ON DELETE CASCADE,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX identity_provider_links_by_user ON identity_provider_links (pool_id, sub)",
        ],
    },
    Migration {
        version: 9,
        name: "OAuth codes, hosted sessions, refresh-token scopes",
        statements: &[
            "ALTER TABLE refresh_tokens ADD COLUMN scope TEXT",
            "CREATE TABLE oauth_codes (
            hash       BLOB    NOT NULL PRIMARY KEY,
            pool_id    TEXT    NOT NULL,
            client_id  TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
            sub        TEXT    NOT NULL,
            grant_json TEXT    NOT NULL,
            expires_at INTEGER NOT NULL,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at)",
            "CREATE TABLE hosted_sessions (
            hash       BLOB    NOT NULL PRIMARY KEY,
            pool_id    TEXT    NOT NULL,
            sub        TEXT    NOT NULL,
            auth_time  INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX hosted_sessions_by_expiry ON hosted_sessions (expires_at)",
            "CREATE INDEX hosted_sessions_by_user ON hosted_sessions (pool_id, sub)",
        ],
    },
    Migration {
        version: 10,
        name: "app-client secret rotation",
        statements: &["ALTER TABLE app_clients ADD COLUMN secret_rotation TEXT"],
    },
    Migration {
        version: 11,
        name: "user import jobs",
        statements: &[
            "CREATE TABLE user_import_jobs (
            pool_id           TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            job_id            TEXT    NOT NULL,
            job_name          TEXT    NOT NULL,
            role_arn          TEXT    NOT NULL,
            status            TEXT    NOT NULL,
            created_at        INTEGER NOT NULL,
            started_at        INTEGER,
            completed_at      INTEGER,
            imported          INTEGER NOT NULL,
            skipped           INTEGER NOT NULL,
            failed            INTEGER NOT NULL,
            message           TEXT,
            position          INTEGER NOT NULL,
            upload_key        BLOB    NOT NULL,
            upload_expires_at INTEGER NOT NULL,
            file              BLOB,
            runner            TEXT,
            lease_until       INTEGER,
            PRIMARY KEY (pool_id, job_id)
        ) STRICT",
            "CREATE INDEX user_import_jobs_by_status ON user_import_jobs (status, created_at)",
            "CREATE INDEX user_import_jobs_by_creation ON user_import_jobs (pool_id, created_at)",
        ],
    },
    Migration {
        version: 12,
        name: "hosted UI customization",
        statements: &["CREATE TABLE ui_customizations (
            pool_id     TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            client_id   TEXT    NOT NULL,
            css         TEXT,
            image       BLOB,
            css_version TEXT    NOT NULL,
            created_at  INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            PRIMARY KEY (pool_id, client_id)
        ) STRICT"],
    },
    Migration {
        version: 13,
        name: "auth events",
        statements: &[
            "CREATE TABLE auth_events (
            pool_id           TEXT    NOT NULL,
            event_id          TEXT    NOT NULL,
            sub               TEXT    NOT NULL,
            client_id         TEXT    NOT NULL,
            created_at        INTEGER NOT NULL,
            response          TEXT    NOT NULL,
            challenges        TEXT    NOT NULL,
            ip_address        TEXT,
            feedback_value    TEXT,
            feedback_provider TEXT,
            feedback_at       INTEGER,
            expires_at        INTEGER NOT NULL,
            PRIMARY KEY (pool_id, event_id),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        ) STRICT",
            "CREATE INDEX auth_events_by_user ON auth_events (pool_id, sub, created_at)",
            "CREATE INDEX auth_events_by_expiry ON auth_events (expires_at)",
        ],
    },
    Migration {
        version: 14,
        name: "refresh-token rotation",
        statements: &["ALTER TABLE refresh_tokens ADD COLUMN rotated_until INTEGER"],
    },
    Migration {
        version: 15,
        name: "user session activity",
        statements: &[
            "ALTER TABLE refresh_tokens ADD COLUMN last_active_at INTEGER",
        ],
    },
];
