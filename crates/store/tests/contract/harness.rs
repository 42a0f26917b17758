//! Runs one contract test on every configured backend, each time on a fresh database.

use std::future::Future;
use std::sync::Arc;

use keystep_core::ports::Store;
use sqlx::{Connection, Executor, PgConnection};

/// The environment variable naming the PostgreSQL server to test against.
pub const PG_URL_VAR: &str = "KEYSTEP_TEST_DATABASE_URL";

/// A fresh, migrated database for one test.
pub struct TestDb {
    /// The store on it.
    pub store: Arc<dyn Store>,
    /// Its URL, for tests that open it again.
    pub url: String,
}

/// Runs `test` on SQLite (with its fast lane, then without it: each hot statement exists
/// in both forms), then on PostgreSQL when [`PG_URL_VAR`] is set. A failure names the
/// backend it happened on.
pub async fn each_backend<F, Fut>(name: &str, test: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for (variant, query) in [("sqlite", ""), ("sqlite with lane=off", "?lane=off")] {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("keystep.db").display());
        let store = keystep_store::open(&format!("{url}{query}"))
            .await
            .expect("open sqlite");
        let outcome = tokio::spawn(test(TestDb { store, url })).await;
        if let Err(e) = outcome {
            eprintln!("contract test {name} failed on {variant}");
            std::panic::resume_unwind(e.into_panic());
        }
    }

    let Some(base) = std::env::var(PG_URL_VAR).ok().filter(|v| !v.is_empty()) else {
        return;
    };
    let schema = format!("keystep_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&base)
        .await
        .expect("connect to postgres");
    admin
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .expect("create test schema");
    let url = with_search_path(&base, &schema);
    let outcome = match keystep_store::open(&url).await {
        Ok(store) => tokio::spawn(test(TestDb { store, url })).await,
        Err(e) => tokio::spawn(async move { panic!("open postgres: {e}") }).await,
    };
    admin
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .expect("drop test schema");
    let _ = admin.close().await;
    if let Err(e) = outcome {
        eprintln!("contract test {name} failed on postgres");
        std::panic::resume_unwind(e.into_panic());
    }
}

/// `base` with `search_path` set to `schema` through the libpq `options` parameter.
fn with_search_path(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-csearch_path%3D{schema}")
}
