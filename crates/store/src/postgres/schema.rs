//! The PostgreSQL schema, as migrations. Instants are BIGINT milliseconds; nested settings
//! JSON TEXT (filters cast to jsonb); keys that pages are ordered by use the "C"
//! collation, so order is by bytes, as on SQLite; foreign keys cascade deletes from pools
//! to everything in them and from users to what they own.

use crate::migration::Migration;

/// Every migration, in order.
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial schema",
        statements: &[
            r#"CREATE TABLE pools (
            id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            name        TEXT   NOT NULL,
            created_at  BIGINT NOT NULL,
            modified_at BIGINT NOT NULL,
            settings    TEXT   NOT NULL
        )"#,
            r#"CREATE TABLE app_clients (
            client_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            pool_id     TEXT   NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            name        TEXT   NOT NULL,
            created_at  BIGINT NOT NULL,
            modified_at BIGINT NOT NULL,
            secret      BYTEA,
            settings    TEXT   NOT NULL
        )"#,
            "CREATE INDEX app_clients_by_pool ON app_clients (pool_id, client_id)",
            r#"CREATE TABLE users (
            pool_id      TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            sub          TEXT    NOT NULL,
            username     TEXT    NOT NULL,
            username_key TEXT COLLATE "C" NOT NULL,
            status       TEXT    NOT NULL,
            enabled      BOOLEAN NOT NULL,
            created_at   BIGINT  NOT NULL,
            modified_at  BIGINT  NOT NULL,
            version      BIGINT  NOT NULL,
            attributes   TEXT    NOT NULL,
            secrets      TEXT    NOT NULL,
            PRIMARY KEY (pool_id, sub),
            CONSTRAINT users_username_key_unique UNIQUE (pool_id, username_key)
        )"#,
            "CREATE TABLE user_aliases (
            pool_id   TEXT NOT NULL,
            kind      TEXT NOT NULL,
            value_key TEXT NOT NULL,
            sub       TEXT NOT NULL,
            PRIMARY KEY (pool_id, kind, value_key),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
            "CREATE INDEX user_aliases_by_user ON user_aliases (pool_id, sub)",
            r#"CREATE TABLE user_groups (
            pool_id     TEXT   NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            name        TEXT COLLATE "C" NOT NULL,
            description TEXT,
            precedence  BIGINT,
            role_arn    TEXT,
            created_at  BIGINT NOT NULL,
            modified_at BIGINT NOT NULL,
            PRIMARY KEY (pool_id, name)
        )"#,
            r#"CREATE TABLE group_members (
            pool_id    TEXT NOT NULL,
            group_name TEXT COLLATE "C" NOT NULL,
            sub        TEXT NOT NULL,
            PRIMARY KEY (pool_id, group_name, sub),
            FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name)
                ON DELETE CASCADE,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )"#,
            "CREATE INDEX group_members_by_user ON group_members (pool_id, sub)",
            "CREATE TABLE codes (
            pool_id    TEXT   NOT NULL,
            sub        TEXT   NOT NULL,
            purpose    TEXT   NOT NULL,
            id         TEXT   NOT NULL,
            hash       BYTEA  NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            attempts   BIGINT NOT NULL,
            PRIMARY KEY (pool_id, sub, purpose),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
            "CREATE INDEX codes_by_expiry ON codes (expires_at)",
            "CREATE TABLE outbox (
            id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            pool_id     TEXT   NOT NULL,
            username    TEXT   NOT NULL,
            medium      TEXT   NOT NULL,
            destination TEXT   NOT NULL,
            purpose     TEXT   NOT NULL,
            code        TEXT,
            subject     TEXT,
            body        TEXT   NOT NULL,
            created_at  BIGINT NOT NULL
        )",
            "CREATE INDEX outbox_by_recipient ON outbox (pool_id, username, id)",
            "CREATE TABLE auth_sessions (
            id         TEXT   NOT NULL PRIMARY KEY,
            pool_id    TEXT   NOT NULL,
            client_id  TEXT   NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
            state      BYTEA  NOT NULL,
            version    BIGINT NOT NULL,
            attempts   BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        )",
            "CREATE INDEX auth_sessions_by_client ON auth_sessions (client_id)",
            "CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_at)",
            "CREATE TABLE used_once (
            scope      TEXT   NOT NULL,
            value      TEXT   NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (scope, value)
        )",
            "CREATE INDEX used_once_by_expiry ON used_once (expires_at)",
            "CREATE TABLE refresh_tokens (
            hash       BYTEA   NOT NULL PRIMARY KEY,
            pool_id    TEXT    NOT NULL,
            client_id  TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
            sub        TEXT    NOT NULL,
            origin_jti TEXT    NOT NULL,
            auth_time  BIGINT  NOT NULL,
            created_at BIGINT  NOT NULL,
            expires_at BIGINT  NOT NULL,
            revoked    BOOLEAN NOT NULL,
            device_key TEXT,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
            "CREATE INDEX refresh_tokens_by_client ON refresh_tokens (client_id)",
            "CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at)",
            "CREATE TABLE revoked_origins (
            origin_jti TEXT   NOT NULL PRIMARY KEY,
            expires_at BIGINT NOT NULL
        )",
            "CREATE INDEX revoked_origins_by_expiry ON revoked_origins (expires_at)",
            "CREATE TABLE server_secrets (
            name  TEXT  NOT NULL PRIMARY KEY,
            value BYTEA NOT NULL
        )",
        ],
    },
    Migration {
        version: 2,
        name: "abuse counters",
        statements: &[
            r#"CREATE TABLE counters (
            key        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            state      TEXT   NOT NULL,
            version    BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        )"#,
            "CREATE INDEX counters_by_expiry ON counters (expires_at)",
        ],
    },
    Migration {
        version: 3,
        name: "signing keys per pool",
        statements: &[r#"CREATE TABLE pool_keys (
            pool_id    TEXT   NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            generation BIGINT NOT NULL,
            keys       BYTEA  NOT NULL,
            created_at BIGINT NOT NULL,
            retired_at BIGINT,
            PRIMARY KEY (pool_id, generation)
        )"#],
    },
    Migration {
        version: 4,
        name: "delivery queue; outbox rows expire",
        statements: &[
            "CREATE TABLE deliveries (
            id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            pool_id            TEXT    NOT NULL,
            username           TEXT    NOT NULL,
            medium             TEXT    NOT NULL,
            purpose            TEXT    NOT NULL,
            channel            TEXT    NOT NULL,
            destination_masked TEXT    NOT NULL,
            payload            BYTEA,
            status             TEXT    NOT NULL,
            attempts           BIGINT NOT NULL,
            next_attempt_at    BIGINT NOT NULL,
            last_error         TEXT,
            created_at         BIGINT NOT NULL,
            updated_at         BIGINT NOT NULL,
            expires_at         BIGINT NOT NULL
        )",
            "CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at)",
            "CREATE INDEX deliveries_by_expiry ON deliveries (expires_at)",
            "ALTER TABLE outbox ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0",
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
            verifier     BYTEA    NOT NULL,
            created_at   BIGINT NOT NULL,
            modified_at  BIGINT NOT NULL,
            last_auth_at BIGINT,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
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
            created_at    BIGINT NOT NULL,
            PRIMARY KEY (pool_id, credential_id),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
            "CREATE INDEX passkeys_by_user ON passkeys (pool_id, sub, created_at)",
            "CREATE TABLE passkey_registrations (
            pool_id    TEXT    NOT NULL,
            sub        TEXT    NOT NULL,
            client_id  TEXT    NOT NULL,
            state      BYTEA    NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (pool_id, sub),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
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
        )",
            "CREATE TABLE pool_domains (
            domain                TEXT    NOT NULL PRIMARY KEY,
            pool_id               TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
            certificate_arn       TEXT,
            managed_login_version BIGINT NOT NULL,
            created_at            BIGINT NOT NULL
        )",
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
            created_at        BIGINT  NOT NULL,
            modified_at       BIGINT  NOT NULL,
            PRIMARY KEY (pool_id, name)
        )",
            // One row per identifier: the primary key makes an identifier unique in the
            // pool however many creates race for it.
            "CREATE TABLE identity_provider_identifiers (
            pool_id       TEXT NOT NULL,
            identifier    TEXT NOT NULL,
            provider_name TEXT NOT NULL,
            PRIMARY KEY (pool_id, identifier),
            FOREIGN KEY (pool_id, provider_name) REFERENCES identity_providers (pool_id, name)
                ON DELETE CASCADE
        )",
            "CREATE INDEX identity_provider_identifiers_by_provider
            ON identity_provider_identifiers (pool_id, provider_name)",
            "CREATE TABLE identity_provider_links (
            pool_id        TEXT    NOT NULL,
            provider_name  TEXT    NOT NULL,
            subject        TEXT    NOT NULL,
            attribute_name TEXT    NOT NULL,
            sub            TEXT    NOT NULL,
            created_at     BIGINT  NOT NULL,
            PRIMARY KEY (pool_id, provider_name, subject),
            FOREIGN KEY (pool_id, provider_name) REFERENCES identity_providers (pool_id, name)
                ON DELETE CASCADE,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
            "CREATE INDEX identity_provider_links_by_user ON identity_provider_links (pool_id, sub)",
        ],
    },
    Migration {
        version: 9,
        name: "OAuth codes, hosted sessions, refresh-token scopes",
        statements: &[
            "ALTER TABLE refresh_tokens ADD COLUMN scope TEXT",
            "CREATE TABLE oauth_codes (
            hash       BYTEA    NOT NULL PRIMARY KEY,
            pool_id    TEXT    NOT NULL,
            client_id  TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
            sub        TEXT    NOT NULL,
            grant_json TEXT    NOT NULL,
            expires_at BIGINT NOT NULL,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
            "CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at)",
            "CREATE TABLE hosted_sessions (
            hash       BYTEA    NOT NULL PRIMARY KEY,
            pool_id    TEXT    NOT NULL,
            sub        TEXT    NOT NULL,
            auth_time  BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
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
            created_at        BIGINT NOT NULL,
            started_at        BIGINT,
            completed_at      BIGINT,
            imported          BIGINT NOT NULL,
            skipped           BIGINT NOT NULL,
            failed            BIGINT NOT NULL,
            message           TEXT,
            position          BIGINT NOT NULL,
            upload_key        BYTEA    NOT NULL,
            upload_expires_at BIGINT NOT NULL,
            file              BYTEA,
            runner            TEXT,
            lease_until       BIGINT,
            PRIMARY KEY (pool_id, job_id)
        )",
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
            image       BYTEA,
            css_version TEXT    NOT NULL,
            created_at  BIGINT NOT NULL,
            modified_at BIGINT NOT NULL,
            PRIMARY KEY (pool_id, client_id)
        )"],
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
            created_at        BIGINT NOT NULL,
            response          TEXT    NOT NULL,
            challenges        TEXT    NOT NULL,
            ip_address        TEXT,
            feedback_value    TEXT,
            feedback_provider TEXT,
            feedback_at       BIGINT,
            expires_at        BIGINT NOT NULL,
            PRIMARY KEY (pool_id, event_id),
            FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
        )",
            "CREATE INDEX auth_events_by_user ON auth_events (pool_id, sub, created_at)",
            "CREATE INDEX auth_events_by_expiry ON auth_events (expires_at)",
        ],
    },
    Migration {
        version: 14,
        name: "refresh-token rotation",
        statements: &["ALTER TABLE refresh_tokens ADD COLUMN rotated_until BIGINT"],
    },
    Migration {
        version: 15,
        name: "user session activity",
        statements: &[
            "ALTER TABLE refresh_tokens ADD COLUMN last_active_at BIGINT",
        ],
    },
];
