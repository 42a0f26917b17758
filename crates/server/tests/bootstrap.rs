//! First start and second start on one database: keys, credentials and the development
//! pool are created once and then reused; a different master key is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use keystep_core::ports::SystemClock;
use keystep_core::service::ServiceConfig;
use keystep_server::bootstrap::{self, Prepared, Setup};
use keystep_server::Limits;

async fn start(url: &str, master_key: [u8; 32]) -> Result<Prepared, bootstrap::BootstrapError> {
    let store = keystep_store::open(url).await.unwrap();
    bootstrap::prepare(Setup {
        store,
        master_key,
        clock: Arc::new(SystemClock),
        service: ServiceConfig {
            region: "eu-west-1".into(),
            account_id: "000000000000".into(),
            public_url: "http://localhost:9229".into(),
            triggers: Default::default(),
            limits: Default::default(),
            domain_suffix: None,
        },
        admin: None,
        limits: Limits::default(),
        dev_pool: true,
        delivery: keystep_server::bootstrap::DeliverySetup::development(false),
        upstream: None,
    })
    .await
}

#[tokio::test]
async fn second_start_reuses_what_the_first_created() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("keystep.db").display());
    let (key, created) =
        bootstrap::load_or_create_master_key(&dir.path().join("master.key")).unwrap();
    assert!(created);

    let first = start(&url, key).await.unwrap();
    let dev = first.dev_pool.clone().expect("a dev pool");
    assert!(dev.pool_id.starts_with("eu-west-1_"), "{}", dev.pool_id);
    assert_eq!(dev.client_id.len(), 26);
    let admin = first.state.admin.clone();
    assert!(admin.access_key_id.starts_with("AKIA"));

    let second = start(&url, key).await.unwrap();
    assert_eq!(second.dev_pool, Some(dev.clone()));
    assert_eq!(second.state.admin, admin);
    let dev_pool = first.state.keystep.load_pool(&dev.pool_id).await.unwrap();
    let jwks = first.state.keystep.pool_jwks(&dev_pool).await.unwrap();
    assert_eq!(
        second.state.keystep.pool_jwks(&dev_pool).await.unwrap(),
        jwks,
        "a pool's keys are made once and kept"
    );
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    assert_ne!(
        jwks["keys"][0]["kid"], jwks["keys"][1]["kid"],
        "ID and access tokens use different keys"
    );
    // The client really exists in the domain.
    second
        .state
        .keystep
        .describe_user_pool_client(&dev.pool_id, &dev.client_id)
        .await
        .unwrap();

    // The sealed secrets do not open with another master key.
    let err = start(&url, [9u8; 32]).await.err().expect("refused");
    assert!(err.to_string().contains("master key"), "{err}");
}

#[tokio::test]
async fn a_deleted_dev_pool_is_not_brought_back() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("keystep.db").display());
    let first = start(&url, [1u8; 32]).await.unwrap();
    let dev = first.dev_pool.unwrap();
    first
        .state
        .keystep
        .delete_user_pool(&dev.pool_id)
        .await
        .unwrap();
    let second = start(&url, [1u8; 32]).await.unwrap();
    assert_eq!(second.dev_pool, None);
}
