//! Users: CRUD, lookups, uniqueness of usernames and aliases, compare-and-swap updates.

use keystep_core::code::CodePurpose;
use keystep_core::pool::AliasKind;
use keystep_core::user::UserStatus;
use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    user_crud_and_lookups,
    a_taken_username_is_a_conflict_and_leaves_nothing,
    a_taken_alias_is_a_conflict_and_leaves_nothing,
    update_is_compare_and_swap_on_version,
    an_update_keeping_aliases_is_compare_and_swap_too,
    update_replaces_the_aliases,
    an_update_claiming_a_taken_alias_changes_nothing,
    deleting_a_user_removes_what_it_owns,
);

fn is_conflict(r: &Result<(), StoreError>, name: &str) -> bool {
    matches!(r, Err(StoreError::Conflict(n)) if n == name)
}

async fn user_crud_and_lookups(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let mut u = user(POOL, "Alice");
    u.attributes
        .insert("phone_number".into(), "+15555550100".into());
    u.attributes.insert("custom:team".into(), "blue".into());
    let aliases = [
        email_alias(&u),
        (AliasKind::PhoneNumber, "+15555550100".to_string()),
    ];
    store.insert_user(&u, &aliases).await.unwrap();

    assert_eq!(
        store.get_user(POOL, "alice").await.unwrap(),
        Some(u.clone())
    );
    assert!(
        store.get_user(POOL, "Alice").await.unwrap().is_none(),
        "looked up by key"
    );
    assert_eq!(
        store.get_user_by_sub(POOL, &u.sub).await.unwrap(),
        Some(u.clone())
    );
    assert_eq!(
        store
            .get_user_by_alias(POOL, AliasKind::Email, "alice@example.com")
            .await
            .unwrap(),
        Some(u.clone())
    );
    assert_eq!(
        store
            .get_user_by_alias(POOL, AliasKind::PhoneNumber, "+15555550100")
            .await
            .unwrap(),
        Some(u.clone())
    );
    assert!(store
        .get_user_by_alias(POOL, AliasKind::PreferredUsername, "alice")
        .await
        .unwrap()
        .is_none());
    assert!(
        store
            .get_user("eu-west-1_Other", "alice")
            .await
            .unwrap()
            .is_none(),
        "per pool"
    );

    // A user without password, MFA or aliases round-trips too.
    let mut bare = user(POOL, "bare");
    bare.password = None;
    bare.password_set_at = None;
    bare.mfa = Default::default();
    bare.tokens_valid_after = None;
    bare.status = UserStatus::ForceChangePassword;
    bare.enabled = false;
    bare.attributes.clear();
    store.insert_user(&bare, &[]).await.unwrap();
    assert_eq!(store.get_user(POOL, "bare").await.unwrap(), Some(bare));

    let orphan = store
        .insert_user(&user("us-east-1_Missing", "x"), &[])
        .await;
    assert!(orphan.is_err(), "a user needs its pool");

    // An update changes every mutable field and bumps the version.
    let before = u.clone();
    u.status = UserStatus::ResetRequired;
    u.enabled = false;
    u.attributes.insert("name".into(), "Alice Liddell".into());
    u.password = Some(keystep_core::keys::Sealed(vec![7; 8]));
    u.mfa.last_totp_step = Some(124);
    u.tokens_valid_after = Some(T0.plus_secs(9));
    u.modified_at = T0.plus_secs(10);
    store.update_user(&u, &aliases).await.unwrap();
    let stored = store.get_user_by_sub(POOL, &u.sub).await.unwrap().unwrap();
    assert_eq!(stored.version, before.version + 1);
    let mut expected = u.clone();
    expected.version = 1;
    assert_eq!(stored, expected);

    assert!(store.delete_user(POOL, &u.sub).await.unwrap());
    assert!(!store.delete_user(POOL, &u.sub).await.unwrap());
    assert!(store.get_user(POOL, "alice").await.unwrap().is_none());
}

async fn a_taken_username_is_a_conflict_and_leaves_nothing(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;

    // Same key (the pool is case-insensitive), another sub and another e-mail.
    let mut twin = user(POOL, "ALICE");
    twin.attributes
        .insert("email".into(), "twin@example.com".into());
    let r = store.insert_user(&twin, &[email_alias(&twin)]).await;
    assert!(is_conflict(&r, "username"), "{r:?}");

    assert_eq!(store.count_users(POOL).await.unwrap(), 1);
    assert!(store
        .get_user_by_sub(POOL, &twin.sub)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .get_user_by_alias(POOL, AliasKind::Email, "twin@example.com")
        .await
        .unwrap()
        .is_none());
    assert_eq!(store.get_user(POOL, "alice").await.unwrap(), Some(alice));

    // The same username in another pool is fine.
    store.insert_pool(&pool("eu-west-1_Other")).await.unwrap();
    seed_user(&*store, "eu-west-1_Other", "alice").await;
}

async fn a_taken_alias_is_a_conflict_and_leaves_nothing(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;

    let mut bob = user(POOL, "bob");
    bob.attributes
        .insert("email".into(), "ALICE@example.com".into());
    bob.attributes
        .insert("phone_number".into(), "+15555550101".into());
    let claims = [
        (AliasKind::PhoneNumber, "+15555550101".to_string()),
        email_alias(&bob),
    ];
    let r = store.insert_user(&bob, &claims).await;
    assert!(is_conflict(&r, "alias:email"), "{r:?}");

    assert!(store.get_user(POOL, "bob").await.unwrap().is_none());
    assert!(store
        .get_user_by_alias(POOL, AliasKind::PhoneNumber, "+15555550101")
        .await
        .unwrap()
        .is_none());
    assert_eq!(store.count_users(POOL).await.unwrap(), 1);
    assert_eq!(
        store
            .get_user_by_alias(POOL, AliasKind::Email, "alice@example.com")
            .await
            .unwrap(),
        Some(alice)
    );

    // The same value under another kind is not the same alias.
    let mut carol = user(POOL, "carol");
    carol
        .attributes
        .insert("preferred_username".into(), "alice@example.com".into());
    store
        .insert_user(
            &carol,
            &[(AliasKind::PreferredUsername, "alice@example.com".into())],
        )
        .await
        .unwrap();
}

async fn an_update_keeping_aliases_is_compare_and_swap_too(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let mut u = seed_user(&*store, POOL, "alice").await;
    let alias = email_alias(&u);
    store
        .update_user(&u, std::slice::from_ref(&alias))
        .await
        .unwrap();
    u.version += 1;
    u.attributes.insert("name".into(), "kept".into());
    store.update_user_keeping_aliases(&u).await.unwrap();
    let stored = store.get_user_by_sub(POOL, &u.sub).await.unwrap().unwrap();
    assert_eq!((stored.version, stored.attr("name")), (2, Some("kept")));
    // The alias is still the user's.
    let by_alias = store
        .get_user_by_alias(POOL, alias.0, &alias.1)
        .await
        .unwrap();
    assert_eq!(by_alias.map(|x| x.sub), Some(u.sub.clone()));
    // An old version loses, and a user that is gone is stale.
    let r = store.update_user_keeping_aliases(&u).await;
    assert!(matches!(r, Err(StoreError::Stale)), "{r:?}");
    let r = store
        .update_user_keeping_aliases(&user(POOL, "ghost"))
        .await;
    assert!(matches!(r, Err(StoreError::Stale)), "{r:?}");
}

async fn update_is_compare_and_swap_on_version(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let mut u = seed_user(&*store, POOL, "alice").await;
    let aliases = [email_alias(&u)];

    u.attributes.insert("name".into(), "first".into());
    store.update_user(&u, &aliases).await.unwrap();

    // Still holding version 0: the write lost.
    u.attributes.insert("name".into(), "second".into());
    let r = store.update_user(&u, &aliases).await;
    assert!(matches!(r, Err(StoreError::Stale)), "{r:?}");
    let stored = store.get_user_by_sub(POOL, &u.sub).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(stored.attr("name"), Some("first"));

    // From the fresh read it works, and the version moves on.
    let mut fresh = stored;
    fresh.attributes.insert("name".into(), "second".into());
    store.update_user(&fresh, &aliases).await.unwrap();
    let stored = store.get_user_by_sub(POOL, &u.sub).await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    assert_eq!(stored.attr("name"), Some("second"));

    // A user that is gone is stale too.
    let ghost = user(POOL, "ghost");
    let r = store.update_user(&ghost, &[]).await;
    assert!(matches!(r, Err(StoreError::Stale)), "{r:?}");
}

async fn update_replaces_the_aliases(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let u = seed_user(&*store, POOL, "alice").await;

    let mut changed = u.clone();
    changed
        .attributes
        .insert("email".into(), "new@example.com".into());
    changed
        .attributes
        .insert("phone_number".into(), "+15555550100".into());
    let claims = [
        (AliasKind::Email, "new@example.com".to_string()),
        (AliasKind::PhoneNumber, "+15555550100".to_string()),
    ];
    store.update_user(&changed, &claims).await.unwrap();

    assert!(store
        .get_user_by_alias(POOL, AliasKind::Email, "alice@example.com")
        .await
        .unwrap()
        .is_none());
    let by_email = store
        .get_user_by_alias(POOL, AliasKind::Email, "new@example.com")
        .await
        .unwrap();
    assert_eq!(by_email.map(|x| x.sub), Some(u.sub.clone()));
    let by_phone = store
        .get_user_by_alias(POOL, AliasKind::PhoneNumber, "+15555550100")
        .await
        .unwrap();
    assert_eq!(by_phone.map(|x| x.sub), Some(u.sub.clone()));

    // The released alias can be claimed by someone else.
    let mut bob = user(POOL, "bob");
    bob.attributes
        .insert("email".into(), "alice@example.com".into());
    store.insert_user(&bob, &[email_alias(&bob)]).await.unwrap();

    // Claiming nothing releases everything.
    let mut stored = store.get_user_by_sub(POOL, &u.sub).await.unwrap().unwrap();
    stored.modified_at = T0.plus_secs(1);
    store.update_user(&stored, &[]).await.unwrap();
    assert!(store
        .get_user_by_alias(POOL, AliasKind::Email, "new@example.com")
        .await
        .unwrap()
        .is_none());
    assert!(store
        .get_user_by_alias(POOL, AliasKind::PhoneNumber, "+15555550100")
        .await
        .unwrap()
        .is_none());
}

async fn an_update_claiming_a_taken_alias_changes_nothing(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;

    let mut changed = bob.clone();
    changed
        .attributes
        .insert("email".into(), "alice@example.com".into());
    changed
        .attributes
        .insert("name".into(), "Bob Changed".into());
    let r = store
        .update_user(&changed, &[(AliasKind::Email, "alice@example.com".into())])
        .await;
    assert!(is_conflict(&r, "alias:email"), "{r:?}");

    // Nothing of the update stuck: not the row, not the version, not the alias removal.
    assert_eq!(
        store.get_user_by_sub(POOL, &bob.sub).await.unwrap(),
        Some(bob.clone())
    );
    let by_bobs = store
        .get_user_by_alias(POOL, AliasKind::Email, "bob@example.com")
        .await
        .unwrap();
    assert_eq!(by_bobs.map(|x| x.sub), Some(bob.sub.clone()));
    let by_alices = store
        .get_user_by_alias(POOL, AliasKind::Email, "alice@example.com")
        .await
        .unwrap();
    assert_eq!(by_alices.map(|x| x.sub), Some(alice.sub.clone()));

    // And the same version still works afterwards.
    store.update_user(&bob, &[email_alias(&bob)]).await.unwrap();
}

async fn deleting_a_user_removes_what_it_owns(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let u = seed_user(&*store, POOL, "alice").await;
    let other = seed_user(&*store, POOL, "bob").await;
    store.insert_group(&group(POOL, "admins")).await.unwrap();
    store.add_to_group(POOL, "admins", &u.sub).await.unwrap();
    store
        .add_to_group(POOL, "admins", &other.sub)
        .await
        .unwrap();
    store
        .put_code(&code(&u, CodePurpose::ForgotPassword, "c1"), None)
        .await
        .unwrap();
    store
        .insert_refresh_token(&refresh_token(&u, CLIENT, b"alice-token", "alice-origin"))
        .await
        .unwrap();
    store
        .insert_refresh_token(&refresh_token(&other, CLIENT, b"bob-token", "bob-origin"))
        .await
        .unwrap();

    assert!(store.delete_user(POOL, &u.sub).await.unwrap());

    assert!(store
        .get_user_by_alias(POOL, AliasKind::Email, "alice@example.com")
        .await
        .unwrap()
        .is_none());
    assert!(store
        .get_code(POOL, &u.sub, CodePurpose::ForgotPassword)
        .await
        .unwrap()
        .is_none());
    assert!(store.groups_of_user(POOL, &u.sub).await.unwrap().is_empty());
    let members = store
        .users_in_group(POOL, "admins", None, 10)
        .await
        .unwrap();
    assert_eq!(members.items, vec![other.clone()]);
    assert!(store
        .get_refresh_token(b"alice-token")
        .await
        .unwrap()
        .is_none());
    assert!(
        origin_revoked(&*store, "alice-origin").await,
        "its sign-ins end too"
    );
    assert!(!origin_revoked(&*store, "bob-origin").await);
    assert!(store
        .get_refresh_token(b"bob-token")
        .await
        .unwrap()
        .is_some());
    assert_eq!(store.count_users(POOL).await.unwrap(), 1);

    // The username and the alias are free again.
    seed_user(&*store, POOL, "alice").await;
}
