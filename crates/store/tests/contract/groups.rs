//! Groups: CRUD, pagination, memberships.

use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(group_crud_and_pages, memberships);

async fn group_crud_and_pages(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let mut g = group(POOL, "admins");
    store.insert_group(&g).await.unwrap();
    assert_eq!(
        store.get_group(POOL, "admins").await.unwrap(),
        Some(g.clone())
    );
    assert!(
        store.get_group(POOL, "Admins").await.unwrap().is_none(),
        "names are exact"
    );
    let again = store.insert_group(&g).await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref n)) if n == "group"),
        "{again:?}"
    );

    g.description = None;
    g.precedence = None;
    g.role_arn = Some("arn:aws:iam::123456789012:role/admin".into());
    g.modified_at = T0.plus_secs(3);
    store.update_group(&g).await.unwrap();
    assert_eq!(
        store.get_group(POOL, "admins").await.unwrap(),
        Some(g.clone())
    );
    let missing = store.update_group(&group(POOL, "nobody")).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

    for name in ["editors", "Viewers", "bots", "zeta"] {
        store.insert_group(&group(POOL, name)).await.unwrap();
    }
    store.insert_pool(&pool("eu-west-1_Other")).await.unwrap();
    store
        .insert_group(&group("eu-west-1_Other", "admins"))
        .await
        .unwrap();

    let first = store.list_groups(POOL, None, 2).await.unwrap();
    let names: Vec<_> = first.items.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Viewers", "admins"]);
    assert_eq!(first.next.as_deref(), Some("admins"));
    let second = store
        .list_groups(POOL, first.next.as_deref(), 2)
        .await
        .unwrap();
    let names: Vec<_> = second.items.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["bots", "editors"]);
    let third = store
        .list_groups(POOL, second.next.as_deref(), 2)
        .await
        .unwrap();
    let names: Vec<_> = third.items.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["zeta"]);
    assert_eq!(third.next, None);

    assert!(store.delete_group(POOL, "admins").await.unwrap());
    assert!(!store.delete_group(POOL, "admins").await.unwrap());
    assert!(store.get_group(POOL, "admins").await.unwrap().is_none());
    assert!(store
        .get_group("eu-west-1_Other", "admins")
        .await
        .unwrap()
        .is_some());
}

async fn memberships(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "Bob").await;
    let carol = seed_user(&*store, POOL, "carol").await;
    for name in ["readers", "admins", "writers"] {
        store.insert_group(&group(POOL, name)).await.unwrap();
    }

    store
        .add_to_group(POOL, "writers", &alice.sub)
        .await
        .unwrap();
    store
        .add_to_group(POOL, "admins", &alice.sub)
        .await
        .unwrap();
    store
        .add_to_group(POOL, "admins", &alice.sub)
        .await
        .unwrap(); // idempotent
    store
        .add_to_group(POOL, "admins", &carol.sub)
        .await
        .unwrap();
    store.add_to_group(POOL, "admins", &bob.sub).await.unwrap();

    let names: Vec<_> = store
        .groups_of_user(POOL, &alice.sub)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["admins", "writers"]);
    assert!(store
        .groups_of_user(POOL, "no-such-sub")
        .await
        .unwrap()
        .is_empty());

    let first = store.users_in_group(POOL, "admins", None, 2).await.unwrap();
    assert_eq!(first.items, vec![alice.clone(), bob.clone()]);
    assert_eq!(first.next.as_deref(), Some("bob"));
    let second = store
        .users_in_group(POOL, "admins", first.next.as_deref(), 2)
        .await
        .unwrap();
    assert_eq!(second.items, vec![carol.clone()]);
    assert_eq!(second.next, None);
    assert!(store
        .users_in_group(POOL, "readers", None, 2)
        .await
        .unwrap()
        .items
        .is_empty());

    store
        .remove_from_group(POOL, "admins", &alice.sub)
        .await
        .unwrap();
    store
        .remove_from_group(POOL, "admins", &alice.sub)
        .await
        .unwrap(); // idempotent
    let names: Vec<_> = store
        .groups_of_user(POOL, &alice.sub)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["writers"]);

    // Deleting a group ends its memberships.
    assert!(store.delete_group(POOL, "admins").await.unwrap());
    assert!(store
        .groups_of_user(POOL, &carol.sub)
        .await
        .unwrap()
        .is_empty());
    store.insert_group(&group(POOL, "admins")).await.unwrap();
    assert!(store
        .users_in_group(POOL, "admins", None, 10)
        .await
        .unwrap()
        .items
        .is_empty());

    // Memberships need both ends.
    assert!(store
        .add_to_group(POOL, "nosuchgroup", &alice.sub)
        .await
        .is_err());
    assert!(store
        .add_to_group(POOL, "admins", "no-such-sub")
        .await
        .is_err());
}
