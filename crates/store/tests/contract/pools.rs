//! Pools: CRUD, pagination, and that deleting one takes everything in it.

use keystep_core::code::CodePurpose;
use keystep_core::message::OutboxFilter;
use keystep_core::pool::{AliasKind, MfaConfiguration};
use keystep_core::Millis;
use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    pool_crud,
    pools_page_in_byte_order,
    deleting_a_pool_removes_everything_in_it,
    migrations_are_idempotent_and_safe_to_race,
);

async fn pool_crud(db: TestDb) {
    let store = db.store;
    let mut p = pool(POOL);
    std::sync::Arc::make_mut(&mut p.settings).mfa = MfaConfiguration::Optional;
    std::sync::Arc::make_mut(&mut p.settings)
        .tags
        .insert("team".into(), "auth".into());
    store.insert_pool(&p).await.unwrap();
    assert_eq!(store.get_pool(POOL).await.unwrap(), Some(p.clone()));
    assert!(store.get_pool("us-east-1_Missing").await.unwrap().is_none());

    let again = store.insert_pool(&p).await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref n)) if n == "pool"),
        "{again:?}"
    );

    p.name = "renamed".into();
    std::sync::Arc::make_mut(&mut p.settings)
        .identifiers
        .alias_attributes = vec![AliasKind::Email];
    std::sync::Arc::make_mut(&mut p.settings).deletion_protection = true;
    p.modified_at = T0.plus_secs(60);
    store.update_pool(&p).await.unwrap();
    assert_eq!(store.get_pool(POOL).await.unwrap(), Some(p.clone()));
    let missing = store.update_pool(&pool("us-east-1_Missing")).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

    // Compare-and-swap on modified_at: the first of two writers from one read wins.
    let read = p.modified_at;
    let mut first = p.clone();
    std::sync::Arc::make_mut(&mut first.settings)
        .tags
        .insert("first".into(), "1".into());
    first.modified_at = T0.plus_secs(61);
    let mut second = p.clone();
    std::sync::Arc::make_mut(&mut second.settings)
        .tags
        .insert("second".into(), "2".into());
    second.modified_at = T0.plus_secs(61);
    assert!(store.update_pool_if(&first, read).await.unwrap());
    assert!(!store.update_pool_if(&second, read).await.unwrap());
    assert_eq!(store.get_pool(POOL).await.unwrap(), Some(first));
    let gone = store.update_pool_if(&pool("us-east-1_Missing"), T0).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");

    assert_eq!(store.count_users(POOL).await.unwrap(), 0);
    seed_user(&*store, POOL, "alice").await;
    seed_user(&*store, POOL, "bob").await;
    assert_eq!(store.count_users(POOL).await.unwrap(), 2);

    assert!(store.delete_pool(POOL).await.unwrap());
    assert!(store.get_pool(POOL).await.unwrap().is_none());
    assert!(!store.delete_pool(POOL).await.unwrap());
    assert_eq!(store.count_users(POOL).await.unwrap(), 0);
}

async fn pools_page_in_byte_order(db: TestDb) {
    let store = db.store;
    let ids = [
        "us-east-1_delta",
        "us-east-1_Bravo",
        "eu-west-1_alpha",
        "us-east-1_Alpha",
        "us-east-1_charlie",
    ];
    for id in ids {
        store.insert_pool(&pool(id)).await.unwrap();
    }
    let mut expected: Vec<&str> = ids.to_vec();
    expected.sort();

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = store.list_pools(after.as_deref(), 2).await.unwrap();
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(|p| p.id.clone()));
        pages += 1;
        match page.next {
            Some(next) => {
                assert_eq!(Some(&next), seen.last(), "next is the last key of the page");
                after = Some(next);
            }
            None => break,
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(pages, 3);

    let all = store.list_pools(None, 5).await.unwrap();
    assert_eq!(all.items.len(), 5);
    assert_eq!(all.next, None, "no next when nothing remains");
    let all = store.list_pools(None, 100).await.unwrap();
    assert_eq!(all.items.len(), 5);
    assert_eq!(all.next, None);
}

async fn deleting_a_pool_removes_everything_in_it(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let other = "eu-west-1_OtherPool";
    store.insert_pool(&pool(other)).await.unwrap();
    store
        .insert_client(&client(other, "otherclientaaaaaaaaaaaaaaa"))
        .await
        .unwrap();

    let u = seed_user(&*store, POOL, "alice").await;
    let kept = seed_user(&*store, other, "alice").await;
    store.insert_group(&group(POOL, "admins")).await.unwrap();
    store.add_to_group(POOL, "admins", &u.sub).await.unwrap();
    store
        .put_code(&code(&u, CodePurpose::SignUp, "c1"), None)
        .await
        .unwrap();
    store
        .insert_auth_session(&session(POOL, CLIENT, "session-1"))
        .await
        .unwrap();
    store
        .insert_refresh_token(&refresh_token(&u, CLIENT, b"h1", "o1"))
        .await
        .unwrap();
    store
        .insert_outbox(&message(POOL, "alice", 1), Millis(i64::MAX))
        .await
        .unwrap();
    store
        .insert_outbox(&message(other, "alice", 2), Millis(i64::MAX))
        .await
        .unwrap();

    assert!(store.delete_pool(POOL).await.unwrap());

    assert!(store.get_client(CLIENT).await.unwrap().is_none());
    assert!(store.get_user_by_sub(POOL, &u.sub).await.unwrap().is_none());
    assert!(store
        .get_user_by_alias(POOL, AliasKind::Email, "alice@example.com")
        .await
        .unwrap()
        .is_none());
    assert!(store.get_group(POOL, "admins").await.unwrap().is_none());
    assert!(store.groups_of_user(POOL, &u.sub).await.unwrap().is_empty());
    assert!(store
        .get_code(POOL, &u.sub, CodePurpose::SignUp)
        .await
        .unwrap()
        .is_none());
    assert!(store.get_auth_session("session-1").await.unwrap().is_none());
    assert!(store.get_refresh_token(b"h1").await.unwrap().is_none());
    let outbox = store
        .list_outbox(&OutboxFilter {
            pool_id: Some(POOL.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(outbox.is_empty());

    // The other pool is untouched.
    assert_eq!(
        store.get_user_by_sub(other, &kept.sub).await.unwrap(),
        Some(kept)
    );
    assert!(store
        .get_client("otherclientaaaaaaaaaaaaaaa")
        .await
        .unwrap()
        .is_some());
    let outbox = store
        .list_outbox(&OutboxFilter {
            pool_id: Some(other.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(outbox.len(), 1);

    // The id is free again.
    store.insert_pool(&pool(POOL)).await.unwrap();
    assert_eq!(store.count_users(POOL).await.unwrap(), 0);
}

async fn migrations_are_idempotent_and_safe_to_race(db: TestDb) {
    seed(&*db.store).await;
    let u = seed_user(&*db.store, POOL, "alice").await;

    // Opening again (migrating again) keeps the data and changes nothing.
    let again = keystep_store::open(&db.url).await.unwrap();
    assert_eq!(
        again.get_user_by_sub(POOL, &u.sub).await.unwrap(),
        Some(u.clone())
    );
    keystep_store::migrate(&db.url).await.unwrap();

    // Several nodes starting at once.
    let mut opening = Vec::new();
    for _ in 0..4 {
        let url = db.url.clone();
        opening.push(tokio::spawn(async move {
            keystep_store::open(&url).await.map(|_| ())
        }));
    }
    for o in opening {
        o.await.unwrap().unwrap();
    }
    assert_eq!(db.store.count_users(POOL).await.unwrap(), 1);
}
