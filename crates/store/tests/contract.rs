//! The `Store` contract: every test is written once against `Arc<dyn Store>` and runs on
//! a fresh SQLite database in a temporary directory, and also on PostgreSQL when
//! `KEYSTEP_TEST_DATABASE_URL` is set (each test in its own schema, dropped afterwards).

// Test code: a failed expectation is a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// Declares, for each listed `async fn name(db: TestDb)` of the module, a `#[tokio::test]`
/// that runs it on every backend.
macro_rules! contract_tests {
    ($($name:ident),* $(,)?) => {
        mod on_every_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    crate::harness::each_backend(stringify!($name), super::$name).await;
                }
            )*
        }
    };
}

#[path = "contract/auth_events.rs"]
mod auth_events;
#[path = "contract/clients.rs"]
mod clients;
#[path = "contract/codes.rs"]
mod codes;
#[path = "contract/counters.rs"]
mod counters;
#[path = "contract/deliveries.rs"]
mod deliveries;
#[path = "contract/devices.rs"]
mod devices;
#[path = "contract/fixtures.rs"]
mod fixtures;
#[path = "contract/groups.rs"]
mod groups;
#[path = "contract/harness.rs"]
mod harness;
#[path = "contract/housekeeping.rs"]
mod housekeeping;
#[path = "contract/identity_providers.rs"]
mod identity_providers;
#[path = "contract/imports.rs"]
mod imports;
#[path = "contract/list_users.rs"]
mod list_users;
#[path = "contract/oauth.rs"]
mod oauth;
#[path = "contract/outbox.rs"]
mod outbox;
#[path = "contract/passkeys.rs"]
mod passkeys;
#[path = "contract/pool_keys.rs"]
mod pool_keys;
#[path = "contract/pools.rs"]
mod pools;
#[path = "contract/races.rs"]
mod races;
#[path = "contract/resource_servers.rs"]
mod resource_servers;
#[path = "contract/sessions.rs"]
mod sessions;
#[path = "contract/tokens.rs"]
mod tokens;
#[path = "contract/users.rs"]
mod users;
