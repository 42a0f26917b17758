//! Resource servers: one per pool and identifier, listed by identifier, updated, deleted,
//! and gone with their pool. Domains: unique across pools, gone with their pool.

use keystep_core::domain::PoolDomain;
use keystep_core::resource_server::{ResourceServer, Scope};
use keystep_core::{Millis, StoreError};

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    resource_servers_are_kept_per_pool,
    domains_are_unique_across_pools
);

fn server(id: &str, scopes: &[&str]) -> ResourceServer {
    ResourceServer {
        pool_id: POOL.into(),
        identifier: id.into(),
        name: format!("{id} api"),
        scopes: scopes
            .iter()
            .map(|s| Scope {
                name: (*s).into(),
                description: format!("may {s}"),
            })
            .collect(),
    }
}

async fn resource_servers_are_kept_per_pool(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    for id in [
        "https://b.example",
        "https://a.example",
        "https://c.example",
    ] {
        store
            .insert_resource_server(&server(id, &["read"]))
            .await
            .unwrap();
    }
    assert!(matches!(
        store
            .insert_resource_server(&server("https://a.example", &[]))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let ids = |v: Vec<ResourceServer>| v.into_iter().map(|s| s.identifier).collect::<Vec<_>>();
    assert_eq!(
        ids(store.list_resource_servers(POOL, None, 2).await.unwrap()),
        ["https://a.example", "https://b.example"]
    );
    assert_eq!(
        ids(store
            .list_resource_servers(POOL, Some("https://b.example"), 2)
            .await
            .unwrap()),
        ["https://c.example"]
    );
    let updated = server("https://a.example", &["read", "write"]);
    assert!(store.update_resource_server(&updated).await.unwrap());
    assert_eq!(
        store
            .get_resource_server(POOL, "https://a.example")
            .await
            .unwrap(),
        Some(updated)
    );
    assert!(!store
        .update_resource_server(&server("https://zz.example", &[]))
        .await
        .unwrap());
    assert!(store
        .delete_resource_server(POOL, "https://b.example")
        .await
        .unwrap());
    assert!(!store
        .delete_resource_server(POOL, "https://b.example")
        .await
        .unwrap());
    store.delete_pool(POOL).await.unwrap();
    assert_eq!(
        store
            .get_resource_server(POOL, "https://a.example")
            .await
            .unwrap(),
        None
    );
}

async fn domains_are_unique_across_pools(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let other = "us-east-1_Other0002";
    store.insert_pool(&pool(other)).await.unwrap();
    let domain = |name: &str, pool_id: &str, cert: Option<&str>| PoolDomain {
        domain: name.into(),
        pool_id: pool_id.into(),
        certificate_arn: cert.map(str::to_string),
        managed_login_version: 1,
        created_at: Millis(5),
    };
    store
        .insert_domain(&domain("my-app", POOL, None))
        .await
        .unwrap();
    store
        .insert_domain(&domain("auth.example.com", POOL, Some("arn:cert")))
        .await
        .unwrap();
    assert!(matches!(
        store.insert_domain(&domain("my-app", other, None)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.get_domain("my-app").await.unwrap(),
        Some(domain("my-app", POOL, None))
    );
    assert_eq!(store.list_pool_domains(POOL).await.unwrap().len(), 2);
    let mut changed = domain("auth.example.com", POOL, Some("arn:cert2"));
    changed.managed_login_version = 2;
    assert!(store.update_domain(&changed).await.unwrap());
    assert_eq!(
        store.get_domain("auth.example.com").await.unwrap(),
        Some(changed)
    );
    // Only the owning pool deletes it.
    assert!(!store.delete_domain(other, "my-app").await.unwrap());
    assert!(store.delete_domain(POOL, "my-app").await.unwrap());
    store.delete_pool(POOL).await.unwrap();
    assert_eq!(store.get_domain("auth.example.com").await.unwrap(), None);
}
