//! `list_users`: order, pagination, and every filter, exact and prefix.

use keystep_core::ports::{Store, UserFilter};
use keystep_core::user::UserStatus;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    users_page_by_username_key,
    list_users_filters,
    filtered_lists_page_too
);

/// Every username the filter admits, by walking all pages of `page_size`.
async fn usernames(store: &dyn Store, f: Option<&UserFilter>, page_size: u32) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_users(POOL, f, after.as_deref(), page_size)
            .await
            .unwrap();
        assert!(page.items.len() <= page_size as usize);
        out.extend(page.items.iter().map(|u| u.username.clone()));
        match page.next {
            Some(next) => after = Some(next),
            None => return out,
        }
    }
}

async fn users_page_by_username_key(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    for name in ["grace", "Dave", "alice", "frank", "Eve", "carol", "bob"] {
        seed_user(&*store, POOL, name).await;
    }
    store.insert_pool(&pool("eu-west-1_Other")).await.unwrap();
    seed_user(&*store, "eu-west-1_Other", "zed").await;

    let first = store.list_users(POOL, None, None, 3).await.unwrap();
    let keys: Vec<_> = first
        .items
        .iter()
        .map(|u| u.username_key.as_str())
        .collect();
    assert_eq!(keys, ["alice", "bob", "carol"]);
    assert_eq!(first.next.as_deref(), Some("carol"));
    let second = store
        .list_users(POOL, None, first.next.as_deref(), 3)
        .await
        .unwrap();
    let names: Vec<_> = second.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["Dave", "Eve", "frank"]);
    let third = store
        .list_users(POOL, None, second.next.as_deref(), 3)
        .await
        .unwrap();
    let names: Vec<_> = third.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["grace"]);
    assert_eq!(third.next, None);

    assert_eq!(usernames(&*store, None, 7).await.len(), 7);
    assert_eq!(
        store.list_users(POOL, None, None, 7).await.unwrap().next,
        None
    );
}

/// Users with distinct attributes to filter on.
async fn seed_people(store: &dyn Store) -> Vec<keystep_core::user::User> {
    let people = [
        (
            "alice",
            "Alice",
            "Liddell",
            "+15555550001",
            Some("ally"),
            UserStatus::Confirmed,
            true,
        ),
        (
            "Bob",
            "Bob",
            "Builder",
            "+15555550002",
            None,
            UserStatus::Unconfirmed,
            false,
        ),
        (
            "carol",
            "Carol",
            "Liddell",
            "+14445550003",
            None,
            UserStatus::ForceChangePassword,
            true,
        ),
        (
            "a_b",
            "Under",
            "Score",
            "+16665550004",
            None,
            UserStatus::Confirmed,
            true,
        ),
        (
            "a%c",
            "Per",
            "Cent",
            "+16665550005",
            None,
            UserStatus::Confirmed,
            true,
        ),
    ];
    let mut out = Vec::new();
    for (name, given, family, phone, preferred, status, enabled) in people {
        let mut u = user(POOL, name);
        u.attributes.insert("given_name".into(), given.into());
        u.attributes.insert("family_name".into(), family.into());
        u.attributes.insert("phone_number".into(), phone.into());
        if let Some(p) = preferred {
            u.attributes.insert("preferred_username".into(), p.into());
        }
        if name == "carol" {
            u.attributes
                .insert("email".into(), "carol@example.org".into());
        }
        u.status = status;
        u.enabled = enabled;
        store.insert_user(&u, &[]).await.unwrap();
        out.push(u);
    }
    out
}

async fn list_users_filters(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let people = seed_people(&*store).await;
    store.insert_pool(&pool("eu-west-1_Other")).await.unwrap();
    seed_user(&*store, "eu-west-1_Other", "alice").await;

    let s = &*store;
    let check = |attribute: &'static str,
                 prefix: bool,
                 value: &'static str,
                 expected: &'static [&'static str]| async move {
        let f = filter(attribute, prefix, value);
        let got = usernames(s, Some(&f), 100).await;
        assert_eq!(
            got,
            expected,
            "{attribute} {} {value:?}",
            if prefix { "^=" } else { "=" }
        );
    };

    // Order of everything: by key, bytewise: "a%c" < "a_b" < "alice" < "bob" < "carol".
    check("username", false, "Bob", &["Bob"]).await;
    check("username", false, "bob", &[]).await;
    check("username", true, "a", &["a%c", "a_b", "alice"]).await;
    check("username", true, "a_", &["a_b"]).await;
    check("username", true, "a%", &["a%c"]).await;
    check(
        "username",
        true,
        "",
        &["a%c", "a_b", "alice", "Bob", "carol"],
    )
    .await;

    check("email", false, "Bob@example.com", &["Bob"]).await;
    check("email", false, "bob@example.com", &[]).await;
    check("email", true, "carol@", &["carol"]).await;
    check("email", true, "a_b@", &["a_b"]).await;
    check("email", true, "a_", &["a_b"]).await;
    check("email", true, "zzz", &[]).await;

    check("phone_number", false, "+15555550002", &["Bob"]).await;
    check("phone_number", true, "+1555555000", &["alice", "Bob"]).await;
    check("phone_number", true, "+1666", &["a%c", "a_b"]).await;

    check("name", false, "Name alice", &["alice"]).await;
    check(
        "name",
        true,
        "Name ",
        &["a%c", "a_b", "alice", "Bob", "carol"],
    )
    .await;

    check("given_name", false, "Carol", &["carol"]).await;
    check("given_name", true, "C", &["carol"]).await;
    check("given_name", false, "carol", &[]).await;

    check("family_name", false, "Liddell", &["alice", "carol"]).await;
    check("family_name", true, "B", &["Bob"]).await;

    check("preferred_username", false, "ally", &["alice"]).await;
    check("preferred_username", true, "al", &["alice"]).await;
    check("preferred_username", true, "b", &[]).await;

    check("cognito:user_status", false, "UNCONFIRMED", &["Bob"]).await;
    check(
        "cognito:user_status",
        false,
        "CONFIRMED",
        &["a%c", "a_b", "alice"],
    )
    .await;
    check("cognito:user_status", true, "FORCE", &["carol"]).await;

    check(
        "status",
        false,
        "Enabled",
        &["a%c", "a_b", "alice", "carol"],
    )
    .await;
    check("status", false, "Disabled", &["Bob"]).await;
    check("status", true, "Dis", &["Bob"]).await;
    check("status", false, "enabled", &[]).await;

    // sub: exact and prefix (with values only known at run time).
    let bob = people.iter().find(|u| u.username == "Bob").unwrap();
    let got = usernames(s, Some(&filter("sub", false, &bob.sub)), 100).await;
    assert_eq!(got, ["Bob"]);
    let got = usernames(s, Some(&filter("sub", true, &bob.sub[..8])), 100).await;
    assert!(got.contains(&"Bob".to_string()));

    // Values with quotes and non-ASCII are just values.
    let mut odd = user(POOL, "zoë");
    odd.attributes
        .insert("family_name".into(), "O'Brien \"Ünïcode\"".into());
    store.insert_user(&odd, &[]).await.unwrap();
    let got = usernames(
        s,
        Some(&filter("family_name", false, "O'Brien \"Ünïcode\"")),
        100,
    )
    .await;
    assert_eq!(got, ["zoë"]);
    let got = usernames(s, Some(&filter("family_name", true, "O'Brien \"Ü")), 100).await;
    assert_eq!(got, ["zoë"]);

    // An attribute ListUsers cannot filter on is refused.
    assert!(store
        .list_users(POOL, Some(&filter("custom:team", false, "blue")), None, 10)
        .await
        .is_err());
}

async fn filtered_lists_page_too(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    seed_people(&*store).await;
    let f = filter("family_name", false, "Liddell");
    let first = store.list_users(POOL, Some(&f), None, 1).await.unwrap();
    assert_eq!(first.items.len(), 1);
    assert_eq!(first.items[0].username, "alice");
    assert_eq!(first.next.as_deref(), Some("alice"));
    let second = store
        .list_users(POOL, Some(&f), first.next.as_deref(), 1)
        .await
        .unwrap();
    assert_eq!(second.items[0].username, "carol");
    assert_eq!(second.next, None);

    let f = filter("status", false, "Enabled");
    assert_eq!(
        usernames(&*store, Some(&f), 2).await,
        ["a%c", "a_b", "alice", "carol"]
    );
    let f = filter("email", true, "");
    assert_eq!(usernames(&*store, Some(&f), 3).await.len(), 5);
}
