//! Refresh tokens: store, read, revoke one or all of a user's, and their sign-ins.

use keystep_core::StoreError;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    refresh_tokens_and_revocation,
    token_holder_reads_pool_user_and_revocation,
    rotation_replaces_a_token_once_and_revocation_takes_the_family,
    token_sessions_group_a_sign_ins_tokens_and_revoke_by_sign_in
);

async fn token_sessions_group_a_sign_ins_tokens_and_revoke_by_sign_in(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;
    let a1 = refresh_token(&alice, CLIENT, b"a1", "sign-in-1");
    let a2 = keystep_core::ports::RefreshTokenRow {
        created_at: T0.plus_secs(50),
        ..refresh_token(&alice, CLIENT, b"a2", "sign-in-2")
    };
    store.insert_refresh_token(&a1).await.unwrap();
    store.insert_refresh_token(&a2).await.unwrap();
    store
        .insert_refresh_token(&refresh_token(&bob, CLIENT, b"b1", "sign-in-b"))
        .await
        .unwrap();
    // Sign-in 1 was rotated: two tokens, one session, active at the rotation.
    let rotated = keystep_core::ports::RefreshTokenRow {
        hash: b"a1-next".to_vec(),
        created_at: T0.plus_secs(20),
        ..a1.clone()
    };
    assert!(store
        .rotate_refresh_token(b"a1", T0.plus_secs(20), T0.plus_secs(20), &rotated)
        .await
        .unwrap());
    let now = T0.plus_secs(60);
    let sessions = store
        .list_token_sessions(POOL, &alice.sub, now, 10)
        .await
        .unwrap();
    let origins: Vec<&str> = sessions.iter().map(|s| s.origin_jti.as_str()).collect();
    assert_eq!(origins, ["sign-in-2", "sign-in-1"]);
    assert_eq!(
        sessions[1].created_at, a1.auth_time,
        "a session starts at its sign-in"
    );
    assert_eq!(sessions[1].last_active_at, T0.plus_secs(20));

    // A refresh makes sign-in 1 the most recently active.
    store
        .touch_refresh_token(b"a1-next", T0.plus_secs(70))
        .await
        .unwrap();
    let sessions = store
        .list_token_sessions(POOL, &alice.sub, now, 10)
        .await
        .unwrap();
    assert_eq!(sessions[0].origin_jti, "sign-in-1");
    assert_eq!(sessions[0].last_active_at, T0.plus_secs(70));
    assert_eq!(
        store
            .list_token_sessions(POOL, &alice.sub, now, 1)
            .await
            .unwrap()
            .len(),
        1
    );

    // Revoking a sign-in takes all its tokens; another user's sign-in is not reachable.
    assert!(!store
        .revoke_sign_in(POOL, &bob.sub, "sign-in-1")
        .await
        .unwrap());
    assert!(store
        .revoke_sign_in(POOL, &alice.sub, "sign-in-1")
        .await
        .unwrap());
    assert!(
        store
            .get_refresh_token(b"a1-next")
            .await
            .unwrap()
            .unwrap()
            .revoked
    );
    assert!(origin_revoked(&*store, "sign-in-1").await);
    let sessions = store
        .list_token_sessions(POOL, &alice.sub, now, 10)
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    // Expired tokens are no session.
    let later = a2.expires_at;
    assert!(store
        .list_token_sessions(POOL, &alice.sub, later, 10)
        .await
        .unwrap()
        .is_empty());
}

async fn rotation_replaces_a_token_once_and_revocation_takes_the_family(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let old = refresh_token(&alice, CLIENT, b"old", "origin-r");
    store.insert_refresh_token(&old).await.unwrap();
    let next = |hash: &[u8]| keystep_core::ports::RefreshTokenRow {
        hash: hash.to_vec(),
        created_at: T0.plus_secs(10),
        ..old.clone()
    };
    // No grace: of racing rotations one wins.
    let mut racers = Vec::new();
    for i in 0..6u8 {
        let s = std::sync::Arc::clone(&store);
        let n = next(&[b'n', i]);
        racers.push(tokio::spawn(async move {
            s.rotate_refresh_token(b"old", T0.plus_secs(10), T0.plus_secs(10), &n)
                .await
        }));
    }
    let mut won = Vec::new();
    for (i, r) in racers.into_iter().enumerate() {
        if r.await.unwrap().unwrap() {
            won.push(i as u8);
        }
    }
    assert_eq!(won.len(), 1, "exactly one rotation wins");
    let replaced = store.get_refresh_token(b"old").await.unwrap().unwrap();
    assert_eq!(replaced.rotated_until, Some(T0.plus_secs(10)));
    let winner = store
        .get_refresh_token(&[b'n', won[0]])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            winner.origin_jti.as_str(),
            winner.expires_at,
            winner.rotated_until
        ),
        ("origin-r", old.expires_at, None)
    );

    // With grace, the old token rotates again until its first grace ends.
    let grace_until = T0.plus_secs(40);
    assert!(store
        .rotate_refresh_token(&[b'n', won[0]], T0.plus_secs(20), grace_until, &next(b"g1"))
        .await
        .unwrap());
    assert!(store
        .rotate_refresh_token(
            &[b'n', won[0]],
            T0.plus_secs(30),
            T0.plus_secs(90),
            &next(b"g2")
        )
        .await
        .unwrap());
    let twice = store
        .get_refresh_token(&[b'n', won[0]])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        twice.rotated_until,
        Some(grace_until),
        "the first mark stays"
    );
    assert!(!store
        .rotate_refresh_token(&[b'n', won[0]], grace_until, T0.plus_secs(99), &next(b"g3"))
        .await
        .unwrap());
    assert!(store.get_refresh_token(b"g3").await.unwrap().is_none());

    // Revoking one token of the sign-in revokes them all.
    assert!(store.revoke_refresh_token(b"g2").await.unwrap());
    for hash in [&b"g1"[..], b"old"] {
        assert!(
            store
                .get_refresh_token(hash)
                .await
                .unwrap()
                .unwrap()
                .revoked
        );
    }
    assert!(!store
        .rotate_refresh_token(b"g1", T0.plus_secs(31), T0.plus_secs(31), &next(b"g4"))
        .await
        .unwrap());
    assert!(origin_revoked(&*store, "origin-r").await);
}

async fn token_holder_reads_pool_user_and_revocation(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let stored_pool = store.get_pool(POOL).await.unwrap().unwrap();
    let stored_alice = store.get_user_by_sub(POOL, &alice.sub).await.unwrap();

    let holder = store
        .get_token_holder(POOL, &alice.sub, "origin-h")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(holder.pool, stored_pool);
    assert_eq!(holder.user, stored_alice);
    assert!(!holder.origin_revoked);

    let t = refresh_token(&alice, CLIENT, b"holder", "origin-h");
    store.insert_refresh_token(&t).await.unwrap();
    assert!(store.revoke_refresh_token(&t.hash).await.unwrap());
    let holder = store
        .get_token_holder(POOL, &alice.sub, "origin-h")
        .await
        .unwrap()
        .unwrap();
    assert!(holder.origin_revoked);
    assert_eq!(holder.user, stored_alice);

    // A user that is gone still yields the pool; an unknown pool yields nothing.
    let gone = store
        .get_token_holder(POOL, "00000000-0000-4000-8000-000000000000", "origin-h")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.pool, stored_pool);
    assert!(gone.user.is_none());
    assert!(gone.origin_revoked);
    assert!(store
        .get_token_holder("us-east-1_Nothere1", &alice.sub, "origin-h")
        .await
        .unwrap()
        .is_none());
}

async fn refresh_tokens_and_revocation(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;

    let mut t1 = refresh_token(&alice, CLIENT, &[0, 1, 2, 255], "origin-1");
    t1.device_key = Some("us-east-1_device".into());
    store.insert_refresh_token(&t1).await.unwrap();
    assert_eq!(
        store.get_refresh_token(&t1.hash).await.unwrap(),
        Some(t1.clone())
    );
    assert!(store.get_refresh_token(b"unknown").await.unwrap().is_none());
    // With its user, in one read; the user as stored, not another one.
    let (token, user) = store
        .get_refresh_token_and_user(&t1.hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token, t1);
    assert_eq!(user, store.get_user_by_sub(POOL, &alice.sub).await.unwrap());
    assert_ne!(user.map(|u| u.sub), Some(bob.sub.clone()));
    assert!(store
        .get_refresh_token_and_user(b"unknown")
        .await
        .unwrap()
        .is_none());
    // With its client and pool too, in one read: the same rows as the separate reads.
    let context = store
        .get_client_with_refresh_token(CLIENT, &t1.hash)
        .await
        .unwrap()
        .unwrap();
    let (client, pool) = store.get_client_with_pool(CLIENT).await.unwrap().unwrap();
    assert_eq!((context.client, context.pool), (client, pool));
    assert_eq!(
        context.token,
        store.get_refresh_token_and_user(&t1.hash).await.unwrap()
    );
    // An unknown token still names the client; an unknown client is nothing.
    let unknown = store
        .get_client_with_refresh_token(CLIENT, b"unknown")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unknown.token, None);
    assert!(store
        .get_client_with_refresh_token("no-such-client", &t1.hash)
        .await
        .unwrap()
        .is_none());
    let again = store.insert_refresh_token(&t1).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

    assert!(!origin_revoked(&*store, "origin-1").await);
    assert!(store.revoke_refresh_token(&t1.hash).await.unwrap());
    assert!(
        !store.revoke_refresh_token(&t1.hash).await.unwrap(),
        "already revoked"
    );
    assert!(!store.revoke_refresh_token(b"unknown").await.unwrap());
    let stored = store.get_refresh_token(&t1.hash).await.unwrap().unwrap();
    assert!(stored.revoked);
    assert!(origin_revoked(&*store, "origin-1").await);
    assert!(!origin_revoked(&*store, "origin-2").await);

    // Revoking all of a user's: counts only the live ones, leaves others' alone.
    let t2 = refresh_token(&alice, CLIENT, b"t2", "origin-2");
    let t3 = refresh_token(&alice, CLIENT, b"t3", "origin-3");
    let t4 = refresh_token(&bob, CLIENT, b"t4", "origin-4");
    for t in [&t2, &t3, &t4] {
        store.insert_refresh_token(t).await.unwrap();
    }
    assert_eq!(
        store
            .revoke_user_refresh_tokens(POOL, &alice.sub)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .revoke_user_refresh_tokens(POOL, &alice.sub)
            .await
            .unwrap(),
        0
    );
    for t in [&t1, &t2, &t3] {
        assert!(
            store
                .get_refresh_token(&t.hash)
                .await
                .unwrap()
                .unwrap()
                .revoked
        );
        assert!(origin_revoked(&*store, &t.origin_jti).await);
    }
    assert!(
        !store
            .get_refresh_token(&t4.hash)
            .await
            .unwrap()
            .unwrap()
            .revoked
    );
    assert!(!origin_revoked(&*store, "origin-4").await);

    // A token stored already revoked is not live.
    let mut dead = refresh_token(&bob, CLIENT, b"t5", "origin-5");
    dead.revoked = true;
    store.insert_refresh_token(&dead).await.unwrap();
    assert!(!store.revoke_refresh_token(&dead.hash).await.unwrap());
    assert_eq!(
        store
            .revoke_user_refresh_tokens(POOL, &bob.sub)
            .await
            .unwrap(),
        1
    );
}
