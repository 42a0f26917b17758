//! Identity providers: one per pool and name, listed by name, updated, deleted; their
//! identifiers unique in the pool (also when creates race) and found again; the limit per
//! pool; links of identities to users, found by (provider, subject), limited per user,
//! and gone with their provider, their user or their pool.

use std::sync::Arc;

use keystep_core::identity_provider::{IdentityProvider, ProviderLink};
use keystep_core::{Millis, StoreError};

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    identity_providers_are_kept_per_pool,
    identifiers_are_unique_in_the_pool,
    provider_links_find_their_user
);

fn provider(name: &str, ids: &[&str]) -> IdentityProvider {
    identity_provider(POOL, name, ids)
}

async fn identity_providers_are_kept_per_pool(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    for name in ["Beta", "Alpha", "Gamma"] {
        store
            .insert_identity_provider(&provider(name, &[]), 300)
            .await
            .unwrap();
    }
    assert!(matches!(
        store.insert_identity_provider(&provider("Alpha", &[]), 300).await,
        Err(StoreError::Conflict(what)) if what == "provider"
    ));
    assert!(matches!(
        store.insert_identity_provider(&provider("Delta", &[]), 3).await,
        Err(StoreError::Conflict(what)) if what == "limit"
    ));
    let names = |v: Vec<IdentityProvider>| v.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(
        names(store.list_identity_providers(POOL, None, 2).await.unwrap()),
        ["Alpha", "Beta"]
    );
    assert_eq!(
        names(
            store
                .list_identity_providers(POOL, Some("Beta"), 2)
                .await
                .unwrap()
        ),
        ["Gamma"]
    );
    assert_eq!(
        store.get_identity_provider(POOL, "Alpha").await.unwrap(),
        Some(provider("Alpha", &[]))
    );
    let mut changed = provider("Alpha", &["alpha.example"]);
    changed
        .details
        .0
        .insert("authorize_scopes".into(), "openid".into());
    changed.modified_at = Millis(T0.0 + 1000);
    assert!(store.update_identity_provider(&changed).await.unwrap());
    assert_eq!(
        store.get_identity_provider(POOL, "Alpha").await.unwrap(),
        Some(changed)
    );
    assert!(!store
        .update_identity_provider(&provider("Nope", &[]))
        .await
        .unwrap());
    assert!(store.delete_identity_provider(POOL, "Beta").await.unwrap());
    assert!(!store.delete_identity_provider(POOL, "Beta").await.unwrap());
    // A pool that is gone has no providers to add to.
    assert!(matches!(
        store
            .insert_identity_provider(
                &IdentityProvider {
                    pool_id: "us-east-1_Gone0000".into(),
                    ..provider("X", &[])
                },
                300
            )
            .await,
        Err(StoreError::NotFound)
    ));
    store.delete_pool(POOL).await.unwrap();
    assert_eq!(
        store.get_identity_provider(POOL, "Alpha").await.unwrap(),
        None
    );
    assert_eq!(
        store
            .get_identity_provider_by_identifier(POOL, "alpha.example")
            .await
            .unwrap(),
        None
    );
}

async fn identifiers_are_unique_in_the_pool(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let other = "us-east-1_Other0002";
    store.insert_pool(&pool(other)).await.unwrap();
    store
        .insert_identity_provider(&provider("Corp", &["corp.example", "corp"]), 300)
        .await
        .unwrap();
    let found = store
        .get_identity_provider_by_identifier(POOL, "corp")
        .await
        .unwrap()
        .map(|p| p.name);
    assert_eq!(found.as_deref(), Some("Corp"));
    // Taken in the pool: the whole create fails, the name is not left behind.
    assert!(matches!(
        store
            .insert_identity_provider(&provider("Other", &["new", "corp.example"]), 300)
            .await,
        Err(StoreError::Conflict(what)) if what == "identifier:corp.example"
    ));
    assert_eq!(
        store.get_identity_provider(POOL, "Other").await.unwrap(),
        None
    );
    assert_eq!(
        store
            .get_identity_provider_by_identifier(POOL, "new")
            .await
            .unwrap(),
        None
    );
    // Another pool may use it.
    let mut elsewhere = provider("Corp", &["corp.example"]);
    elsewhere.pool_id = other.into();
    store
        .insert_identity_provider(&elsewhere, 300)
        .await
        .unwrap();
    // An update that takes another provider's identifier fails and changes nothing.
    store
        .insert_identity_provider(&provider("Second", &["second"]), 300)
        .await
        .unwrap();
    assert!(matches!(
        store
            .update_identity_provider(&provider("Second", &["corp"]))
            .await,
        Err(StoreError::Conflict(what)) if what == "identifier:corp"
    ));
    let second = store
        .get_identity_provider_by_identifier(POOL, "second")
        .await
        .unwrap()
        .map(|p| p.idp_identifiers);
    assert_eq!(second, Some(vec!["second".to_string()]));
    // Updating frees the identifiers it drops; deleting frees the rest.
    assert!(store
        .update_identity_provider(&provider("Corp", &["corp"]))
        .await
        .unwrap());
    assert_eq!(
        store
            .get_identity_provider_by_identifier(POOL, "corp.example")
            .await
            .unwrap(),
        None
    );
    assert!(store.delete_identity_provider(POOL, "Corp").await.unwrap());
    assert_eq!(
        store
            .get_identity_provider_by_identifier(POOL, "corp")
            .await
            .unwrap(),
        None
    );
    // Concurrent creates claiming one identifier: exactly one wins.
    let store: Arc<_> = store;
    let racers = (0..8).map(|i| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .insert_identity_provider(&provider(&format!("Racer{i}"), &["contested"]), 300)
                .await
        })
    });
    let mut won = 0;
    for racer in racers {
        match racer.await.unwrap() {
            Ok(()) => won += 1,
            Err(StoreError::Conflict(what)) => assert_eq!(what, "identifier:contested"),
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(won, 1);
}

async fn provider_links_find_their_user(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;
    store
        .insert_identity_provider(&provider("Corp", &[]), 300)
        .await
        .unwrap();
    let link = |subject: &str, sub: &str| ProviderLink {
        sub: sub.into(),
        ..provider_link(&alice, "Corp", subject)
    };
    store
        .insert_provider_link(&link("s-1", &alice.sub), 5)
        .await
        .unwrap();
    assert_eq!(
        store.get_provider_link(POOL, "Corp", "s-1").await.unwrap(),
        Some(link("s-1", &alice.sub))
    );
    // One identity signs in as one user.
    assert!(matches!(
        store.insert_provider_link(&link("s-1", &bob.sub), 5).await,
        Err(StoreError::Conflict(what)) if what == "link"
    ));
    // The per-user limit.
    store
        .insert_provider_link(&link("s-2", &alice.sub), 2)
        .await
        .unwrap();
    assert!(matches!(
        store.insert_provider_link(&link("s-3", &alice.sub), 2).await,
        Err(StoreError::Conflict(what)) if what == "limit"
    ));
    // A provider or user that is gone cannot be linked.
    let mut nowhere = link("s-4", &bob.sub);
    nowhere.provider_name = "Missing".into();
    assert!(matches!(
        store.insert_provider_link(&nowhere, 5).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .insert_provider_link(&link("s-5", "no-such-sub"), 5)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(store
        .delete_provider_link(POOL, "Corp", "s-2")
        .await
        .unwrap());
    assert!(!store
        .delete_provider_link(POOL, "Corp", "s-2")
        .await
        .unwrap());
    // Links go with their user...
    store
        .insert_provider_link(&link("s-6", &bob.sub), 5)
        .await
        .unwrap();
    assert!(store.delete_user(POOL, &bob.sub).await.unwrap());
    assert_eq!(
        store.get_provider_link(POOL, "Corp", "s-6").await.unwrap(),
        None
    );
    // ...and with their provider.
    assert!(store.delete_identity_provider(POOL, "Corp").await.unwrap());
    assert_eq!(
        store.get_provider_link(POOL, "Corp", "s-1").await.unwrap(),
        None
    );
    // A re-created provider of the same name starts without links; the pool takes all.
    store
        .insert_identity_provider(&provider("Corp", &[]), 300)
        .await
        .unwrap();
    store
        .insert_provider_link(&link("s-1", &alice.sub), 5)
        .await
        .unwrap();
    store.delete_pool(POOL).await.unwrap();
    assert_eq!(
        store.get_provider_link(POOL, "Corp", "s-1").await.unwrap(),
        None
    );
}
