//! `keystep_store::copy`: a database filled through the `Store` port is copied to a fresh
//! SQLite database and, when `KEYSTEP_TEST_DATABASE_URL` is set, to a fresh PostgreSQL
//! schema and back; everything reads back the same through the port on the target, a
//! second run changes nothing, and a target holding different rows is refused without
//! leaving half a batch behind.

// Test code: a failed expectation is a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use keystep_core::code::CodePurpose;
use keystep_core::message::OutboxFilter;
use keystep_core::ports::Store;
use keystep_core::user::User;
use keystep_core::Millis;
use keystep_store::copy::{self, CopyError, CopyReport, Progress};
use keystep_store::AnyStore;
use sqlx::{Connection, Executor, PgConnection};

#[allow(dead_code)]
#[path = "contract/fixtures.rs"]
mod fixtures;

use fixtures::*;

/// Small batches, so every table with more than two rows takes several.
const BATCH: u32 = 2;
const SECOND_POOL: &str = "us-east-1_SecondPl";
const SECOND_CLIENT: &str = "clientbbbbbbbbbbbbbbbbbbbb";

/// What [`fill`] put in, for the comparisons.
struct Filled {
    users: Vec<User>,
    sessions: Vec<String>,
    token_hashes: Vec<Vec<u8>>,
    origins: Vec<String>,
}

/// Fills `store` with some of everything: two pools, clients with and without a secret,
/// users (one updated to version 1, with a password and TOTP), aliases, groups and
/// memberships, identity providers with their identifiers and a user link, codes, sessions, single-use records, abuse counters, refresh tokens (one
/// revoked), outbox messages and server secrets.
async fn fill(store: &dyn Store) -> Filled {
    seed(store).await;
    store.insert_pool(&pool(SECOND_POOL)).await.unwrap();
    let mut open_client = client(SECOND_POOL, SECOND_CLIENT);
    open_client.secret = None;
    store.insert_client(&open_client).await.unwrap();

    let mut users = Vec::new();
    for name in ["alice", "bob", "carol", "dave"] {
        users.push(seed_user(store, POOL, name).await);
    }
    users.push(seed_user(store, SECOND_POOL, "erin").await);
    let mut alice = users[0].clone();
    alice.attributes.insert("given_name".into(), "Alice".into());
    store
        .update_user(&alice, &[email_alias(&alice)])
        .await
        .unwrap();

    for name in ["admins", "readers", "writers"] {
        store.insert_group(&group(POOL, name)).await.unwrap();
    }
    for user in &users[..3] {
        store.add_to_group(POOL, "admins", &user.sub).await.unwrap();
    }
    store
        .add_to_group(POOL, "readers", &users[1].sub)
        .await
        .unwrap();

    store
        .put_code(&code(&users[1], CodePurpose::SignUp, "code-1"), None)
        .await
        .unwrap();
    store
        .put_code(
            &code(&users[2], CodePurpose::ForgotPassword, "code-2"),
            None,
        )
        .await
        .unwrap();
    store
        .reserve_code_attempt(POOL, &users[2].sub, CodePurpose::ForgotPassword, 5, T0)
        .await
        .unwrap()
        .expect("a live code");
    for (key, version) in [("lock-password:p:u:a", None), ("send-sign_up:p:u:b", None)] {
        store
            .put_counter(key, r#"{"events":[1]}"#, T0.plus_secs(3600), version)
            .await
            .unwrap();
    }

    let mut sessions = Vec::new();
    for n in 0..3 {
        let id = format!("session-{n}-aaaaaaaaaaaaaaaaaaaa");
        store
            .insert_auth_session(&session(POOL, CLIENT, &id))
            .await
            .unwrap();
        sessions.push(id);
    }
    store
        .advance_auth_session(&sessions[0], 0, b"next state", 1, T0.plus_secs(300))
        .await
        .unwrap();
    for value in ["block-1", "block-2", "block-3"] {
        assert!(store
            .use_once("srp-secret-block", value, T0.plus_secs(600))
            .await
            .unwrap());
    }

    let mut token_hashes = Vec::new();
    let mut origins = Vec::new();
    for (n, user) in users.iter().take(3).enumerate() {
        let hash = vec![n as u8; 32];
        let origin = format!("origin-{n}");
        store
            .insert_refresh_token(&refresh_token(user, CLIENT, &hash, &origin))
            .await
            .unwrap();
        token_hashes.push(hash);
        origins.push(origin);
    }
    assert!(store.revoke_refresh_token(&token_hashes[1]).await.unwrap());

    for n in 0..5 {
        store
            .insert_outbox(&message(POOL, "bob", n), Millis(i64::MAX))
            .await
            .unwrap();
    }
    for (name, ids) in [
        ("Alpha", &["a.example", "a"][..]),
        ("Beta", &[]),
        ("Gamma", &["g"]),
    ] {
        store
            .insert_identity_provider(&identity_provider(POOL, name, ids), 300)
            .await
            .unwrap();
    }
    store
        .insert_provider_link(&provider_link(&users[0], "Alpha", "ext-1"), 5)
        .await
        .unwrap();
    store
        .put_secret_if_absent("signing_keys", &[7; 64])
        .await
        .unwrap();
    store
        .put_secret_if_absent("admin_credentials", &[8; 48])
        .await
        .unwrap();
    Filled {
        users,
        sessions,
        token_hashes,
        origins,
    }
}

/// Everything `fill` wrote reads back the same through the port on `target`.
async fn assert_same(source: &dyn Store, target: &dyn Store, filled: &Filled) {
    let pools = source.list_pools(None, 100).await.unwrap();
    assert_eq!(pools.items.len(), 2);
    assert_eq!(target.list_pools(None, 100).await.unwrap(), pools);
    for pool in &pools.items {
        let id = pool.id.as_str();
        assert_eq!(
            target.list_clients(id, None, 100).await.unwrap(),
            source.list_clients(id, None, 100).await.unwrap()
        );
        let users = source.list_users(id, None, None, 100).await.unwrap();
        assert_eq!(target.list_users(id, None, None, 100).await.unwrap(), users);
        assert_eq!(
            target.list_groups(id, None, 100).await.unwrap(),
            source.list_groups(id, None, 100).await.unwrap()
        );
        assert_eq!(
            target.count_users(id).await.unwrap(),
            source.count_users(id).await.unwrap()
        );
    }
    assert_eq!(
        target
            .list_identity_providers(POOL, None, 100)
            .await
            .unwrap(),
        source
            .list_identity_providers(POOL, None, 100)
            .await
            .unwrap()
    );
    assert_eq!(
        target
            .list_identity_providers(POOL, None, 100)
            .await
            .unwrap()
            .len(),
        3
    );
    let by_identifier = target
        .get_identity_provider_by_identifier(POOL, "a")
        .await
        .unwrap()
        .map(|p| p.name);
    assert_eq!(by_identifier.as_deref(), Some("Alpha"));
    assert_eq!(
        target
            .get_provider_link(POOL, "Alpha", "ext-1")
            .await
            .unwrap(),
        Some(provider_link(&filled.users[0], "Alpha", "ext-1"))
    );
    let client = target.get_client(CLIENT).await.unwrap().unwrap();
    assert_eq!(client.secret, client_secret(source).await);
    for user in &filled.users {
        let (pool, sub) = (user.pool_id.as_str(), user.sub.as_str());
        let on_target = target.get_user_by_sub(pool, sub).await.unwrap().unwrap();
        assert_eq!(
            Some(&on_target),
            source.get_user_by_sub(pool, sub).await.unwrap().as_ref()
        );
        assert_eq!(on_target.password, user.password, "the sealed verifier");
        assert_eq!(
            on_target.mfa, user.mfa,
            "the sealed TOTP secret and MFA state"
        );
        let (kind, value) = email_alias(user);
        assert_eq!(
            target.get_user_by_alias(pool, kind, &value).await.unwrap(),
            Some(on_target)
        );
        assert_eq!(
            target.groups_of_user(pool, sub).await.unwrap(),
            source.groups_of_user(pool, sub).await.unwrap()
        );
        for purpose in [CodePurpose::SignUp, CodePurpose::ForgotPassword] {
            assert_eq!(
                target.get_code(pool, sub, purpose).await.unwrap(),
                source.get_code(pool, sub, purpose).await.unwrap()
            );
        }
    }
    assert_eq!(
        target
            .users_in_group(POOL, "admins", None, 100)
            .await
            .unwrap(),
        source
            .users_in_group(POOL, "admins", None, 100)
            .await
            .unwrap()
    );
    let everything = OutboxFilter::default();
    assert_eq!(
        target.list_outbox(&everything).await.unwrap(),
        source.list_outbox(&everything).await.unwrap()
    );
    for id in &filled.sessions {
        assert_eq!(
            target.get_auth_session(id).await.unwrap(),
            source.get_auth_session(id).await.unwrap()
        );
    }
    for (hash, origin) in filled.token_hashes.iter().zip(&filled.origins) {
        assert_eq!(
            target.get_refresh_token(hash).await.unwrap(),
            source.get_refresh_token(hash).await.unwrap()
        );
        assert_eq!(
            origin_revoked(target, origin).await,
            origin_revoked(source, origin).await
        );
    }
    for name in ["signing_keys", "admin_credentials"] {
        assert_eq!(
            target.get_secret(name).await.unwrap(),
            source.get_secret(name).await.unwrap()
        );
    }
    for key in ["lock-password:p:u:a", "send-sign_up:p:u:b"] {
        let copied = target.get_counter(key).await.unwrap();
        assert!(copied.is_some(), "{key}");
        assert_eq!(copied, source.get_counter(key).await.unwrap());
    }
}

async fn client_secret(store: &dyn Store) -> Option<keystep_core::keys::Sealed> {
    store.get_client(CLIENT).await.unwrap().unwrap().secret
}

async fn run_copy(from: &AnyStore, to: &AnyStore) -> Result<CopyReport, CopyError> {
    let mut batches = 0;
    let result = copy::copy(from, to, BATCH, &mut |p| {
        if let Progress::Batch(_) = p {
            batches += 1;
        }
    })
    .await;
    if result.is_ok() {
        assert!(batches > 13, "small batches: {batches}");
    }
    result
}

/// Copies `source_url` to `target_url` twice and checks the target each time; returns
/// the target.
async fn copy_and_check(source_url: &str, target_url: &str, filled: &Filled) -> AnyStore {
    let from = AnyStore::open(source_url).await.unwrap();
    let to = AnyStore::open(target_url).await.unwrap();
    let first = run_copy(&from, &to).await.unwrap();
    for t in &first.tables {
        assert_eq!(t.read, t.source_rows, "{t:?}");
        assert_eq!(t.inserted, t.read, "{t:?}");
        assert_eq!(t.target_rows, t.source_rows, "{t:?}");
    }
    let count = |name: &str| {
        first
            .tables
            .iter()
            .find(|t| t.table == name)
            .map(|t| t.source_rows)
    };
    assert_eq!(count("users"), Some(5));
    assert_eq!(count("user_aliases"), Some(5));
    assert_eq!(count("group_members"), Some(4));
    assert_eq!(count("outbox"), Some(5));
    assert_eq!(count("revoked_origins"), Some(1));
    assert_eq!(count("used_once"), Some(3));
    assert_eq!(count("server_secrets"), Some(2));
    assert_eq!(count("counters"), Some(2));
    let source = from.clone().into_store();
    let target = to.clone().into_store();
    assert_same(&*source, &*target, filled).await;

    let second = run_copy(&from, &to).await.unwrap();
    assert_eq!(second.inserted(), 0);
    assert_eq!(second.unchanged(), first.inserted());
    for (a, b) in first.tables.iter().zip(&second.tables) {
        assert_eq!(
            (a.source_rows, a.target_rows),
            (b.source_rows, b.target_rows)
        );
    }
    assert_same(&*source, &*target, filled).await;
    from.close().await;
    to
}

/// A fresh PostgreSQL schema on the server `KEYSTEP_TEST_DATABASE_URL` names.
struct PgSchema {
    admin: PgConnection,
    name: String,
    url: String,
}

impl PgSchema {
    async fn create() -> Option<PgSchema> {
        let Some(base) = std::env::var("KEYSTEP_TEST_DATABASE_URL")
            .ok()
            .filter(|v| !v.is_empty())
        else {
            eprintln!("KEYSTEP_TEST_DATABASE_URL is not set: the PostgreSQL part is skipped");
            return None;
        };
        let name = format!("keystep_copy_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&base).await.unwrap();
        admin
            .execute(format!("CREATE SCHEMA {name}").as_str())
            .await
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{name}");
        Some(PgSchema { admin, name, url })
    }

    async fn drop(mut self) {
        self.admin
            .execute(format!("DROP SCHEMA {} CASCADE", self.name).as_str())
            .await
            .unwrap();
        let _ = self.admin.close().await;
    }
}

/// Runs `test` on a fresh PostgreSQL schema (when configured), dropping it afterwards
/// whether the test passed or not.
async fn on_postgres<F, Fut>(test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(schema) = PgSchema::create().await else {
        return;
    };
    let outcome = tokio::spawn(test(schema.url.clone())).await;
    schema.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

fn sqlite_url(dir: &tempfile::TempDir, name: &str) -> String {
    format!("sqlite://{}", dir.path().join(name).display())
}

async fn filled_source(dir: &tempfile::TempDir) -> (String, Arc<Filled>) {
    let url = sqlite_url(dir, "source.db");
    let store = keystep_store::open(&url).await.unwrap();
    let filled = fill(&*store).await;
    (url, Arc::new(filled))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_sqlite_copies_everything_once() {
    let dir = tempfile::tempdir().unwrap();
    let (source, filled) = filled_source(&dir).await;
    let target = copy_and_check(&source, &sqlite_url(&dir, "target.db"), &filled).await;
    // New messages on the target continue after the copied ones.
    let id = target
        .into_store()
        .insert_outbox(&message(POOL, "bob", 9), Millis(i64::MAX))
        .await
        .unwrap();
    assert_eq!(id, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: set KEYSTEP_TEST_DATABASE_URL (scripts/test then runs it)"]
async fn sqlite_to_postgres_and_back_copies_everything_once() {
    assert!(
        std::env::var("KEYSTEP_TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()),
        "KEYSTEP_TEST_DATABASE_URL is not set: this test needs PostgreSQL"
    );
    let dir = tempfile::tempdir().unwrap();
    let (source, filled) = filled_source(&dir).await;
    let back = sqlite_url(&dir, "back.db");
    on_postgres(move |pg| async move {
        let target = copy_and_check(&source, &pg, &filled).await;
        let store = target.clone().into_store();
        // The identity sequence moved past the copied ids.
        let id = store
            .insert_outbox(&message(POOL, "bob", 9), Millis(i64::MAX))
            .await
            .unwrap();
        assert_eq!(id, 6);
        store
            .revoke_refresh_token(&filled.token_hashes[0])
            .await
            .unwrap();
        target.close().await;

        // PostgreSQL to SQLite: the copy of the copy matches the PostgreSQL one.
        let from = AnyStore::open(&pg).await.unwrap();
        let to = AnyStore::open(&back).await.unwrap();
        let report = run_copy(&from, &to).await.unwrap();
        assert_eq!(report.unchanged(), 0);
        assert_same(&*from.clone().into_store(), &*to.into_store(), &filled).await;
        from.close().await;
    })
    .await;
}

/// The target holds a pool with the same id but another name.
async fn refuses_a_different_row(source: String, target_url: String) {
    let to = AnyStore::open(&target_url).await.unwrap();
    let target = to.clone().into_store();
    let mut other = pool(POOL);
    other.name = "someone else's".into();
    target.insert_pool(&other).await.unwrap();
    let from = AnyStore::open(&source).await.unwrap();
    let err = run_copy(&from, &to).await.unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(&err, CopyError::Conflict { table: "pools", .. }),
        "{message}"
    );
    assert!(message.contains("differs in name"), "{message}");
    assert!(message.contains(POOL), "{message}");
    // Nothing of the batch, nothing after it.
    assert!(target.get_pool(SECOND_POOL).await.unwrap().is_none());
    assert_eq!(target.get_pool(POOL).await.unwrap(), Some(other));
    assert!(target.get_client(CLIENT).await.unwrap().is_none());
    // What came before is there, identical.
    assert_eq!(
        target.get_secret("signing_keys").await.unwrap(),
        Some(vec![7; 64])
    );
    from.close().await;
    to.close().await;
}

/// The target holds another user with alice's username in the pool.
async fn refuses_a_clash_on_a_unique_column(source: String, target_url: String) {
    let to = AnyStore::open(&target_url).await.unwrap();
    let target = to.clone().into_store();
    target.insert_pool(&pool(POOL)).await.unwrap();
    let impostor = user(POOL, "alice");
    target.insert_user(&impostor, &[]).await.unwrap();
    let from = AnyStore::open(&source).await.unwrap();
    let err = run_copy(&from, &to).await.unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(&err, CopyError::Conflict { table: "users", .. }),
        "{message}"
    );
    assert!(message.contains("unique"), "{message}");
    // On the target: the impostor, and the users of the whole batches before alice's
    // (the source is read in (pool_id, sub) order), identical; nothing of later tables.
    let source_store = from.clone().into_store();
    let mut in_order = Vec::new();
    for pool_id in [POOL, SECOND_POOL] {
        in_order.extend(
            source_store
                .list_users(pool_id, None, None, 100)
                .await
                .unwrap()
                .items,
        );
    }
    in_order.sort_by(|a, b| (&a.pool_id, &a.sub).cmp(&(&b.pool_id, &b.sub)));
    let alice_at = in_order.iter().position(|u| u.username == "alice").unwrap();
    let before = &in_order[..alice_at / BATCH as usize * BATCH as usize];
    let mut expected: Vec<User> = before
        .iter()
        .filter(|u| u.pool_id == POOL)
        .cloned()
        .collect();
    expected.push(impostor);
    expected.sort_by(|a, b| a.username_key.cmp(&b.username_key));
    let users = target
        .list_users(POOL, None, None, 100)
        .await
        .unwrap()
        .items;
    assert_eq!(users, expected);
    assert!(target
        .list_groups(POOL, None, 100)
        .await
        .unwrap()
        .items
        .is_empty());
    assert!(target
        .list_outbox(&OutboxFilter::default())
        .await
        .unwrap()
        .is_empty());
    from.close().await;
    to.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_different_row_on_the_target_stops_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (source, _) = filled_source(&dir).await;
    refuses_a_different_row(source.clone(), sqlite_url(&dir, "t1.db")).await;
    refuses_a_clash_on_a_unique_column(source.clone(), sqlite_url(&dir, "t2.db")).await;
    let s = source.clone();
    on_postgres(move |pg| refuses_a_different_row(s, pg)).await;
    on_postgres(move |pg| refuses_a_clash_on_a_unique_column(source, pg)).await;
}
