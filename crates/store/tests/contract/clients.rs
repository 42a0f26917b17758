//! App clients: CRUD and pagination within a pool.

use keystep_core::app_client::{ExplicitAuthFlow, TimeUnit, Validity};
use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(client_crud, clients_page_within_their_pool);

async fn client_crud(db: TestDb) {
    let store = db.store;
    store.insert_pool(&pool(POOL)).await.unwrap();
    let mut c = client(POOL, CLIENT);
    store.insert_client(&c).await.unwrap();
    assert_eq!(store.get_client(CLIENT).await.unwrap(), Some(c.clone()));
    assert!(store.get_client("nosuchclient").await.unwrap().is_none());
    // The joined read returns the same client and its pool, field for field.
    let stored_pool = store.get_pool(POOL).await.unwrap().unwrap();
    assert_eq!(
        store.get_client_with_pool(CLIENT).await.unwrap(),
        Some((c.clone(), stored_pool))
    );
    assert!(store
        .get_client_with_pool("nosuchclient")
        .await
        .unwrap()
        .is_none());

    let again = store.insert_client(&c).await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref n)) if n == "client"),
        "{again:?}"
    );
    let orphan = store
        .insert_client(&client("us-east-1_Missing", "orphanaaaaaaaaaaaaaaaaaaaa"))
        .await;
    assert!(orphan.is_err(), "a client needs its pool");

    let mut public = client(POOL, "publicaaaaaaaaaaaaaaaaaaaa");
    public.secret = None;
    store.insert_client(&public).await.unwrap();
    assert_eq!(
        store.get_client(&public.client_id).await.unwrap(),
        Some(public)
    );

    c.name = "renamed".into();
    let settings = std::sync::Arc::make_mut(&mut c.settings);
    settings.explicit_auth_flows = vec![ExplicitAuthFlow::AllowUserPasswordAuth];
    settings.access_token_validity = Validity {
        amount: 5,
        unit: TimeUnit::Minutes,
    };
    settings.prevent_user_existence_errors = true;
    c.modified_at = T0.plus_secs(5);
    store.update_client(&c).await.unwrap();
    assert_eq!(store.get_client(CLIENT).await.unwrap(), Some(c.clone()));
    let missing = store.update_client(&client(POOL, "nosuchclient")).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

    assert!(
        !store
            .delete_client("eu-west-1_Wrong", CLIENT)
            .await
            .unwrap(),
        "pool must match"
    );
    assert!(store.delete_client(POOL, CLIENT).await.unwrap());
    assert!(!store.delete_client(POOL, CLIENT).await.unwrap());
    assert!(store.get_client(CLIENT).await.unwrap().is_none());
    assert!(store.get_client_with_pool(CLIENT).await.unwrap().is_none());
}

async fn clients_page_within_their_pool(db: TestDb) {
    let store = db.store;
    store.insert_pool(&pool(POOL)).await.unwrap();
    store.insert_pool(&pool("eu-west-1_Other")).await.unwrap();
    let ids = ["c3", "c1", "c5", "c2", "c4"];
    for id in ids {
        store.insert_client(&client(POOL, id)).await.unwrap();
    }
    store
        .insert_client(&client("eu-west-1_Other", "c0"))
        .await
        .unwrap();

    let first = store.list_clients(POOL, None, 2).await.unwrap();
    let names: Vec<_> = first.items.iter().map(|c| c.client_id.as_str()).collect();
    assert_eq!(names, ["c1", "c2"]);
    assert_eq!(first.next.as_deref(), Some("c2"));
    let second = store
        .list_clients(POOL, first.next.as_deref(), 2)
        .await
        .unwrap();
    let names: Vec<_> = second.items.iter().map(|c| c.client_id.as_str()).collect();
    assert_eq!(names, ["c3", "c4"]);
    let third = store
        .list_clients(POOL, second.next.as_deref(), 2)
        .await
        .unwrap();
    let names: Vec<_> = third.items.iter().map(|c| c.client_id.as_str()).collect();
    assert_eq!(names, ["c5"]);
    assert_eq!(third.next, None);

    let other = store
        .list_clients("eu-west-1_Other", None, 10)
        .await
        .unwrap();
    assert_eq!(other.items.len(), 1);
    assert!(store
        .list_clients("eu-west-1_None", None, 10)
        .await
        .unwrap()
        .items
        .is_empty());
}
