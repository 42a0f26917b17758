//! Passkeys: insert once per pool and credential id, list, update the key material, delete;
//! the pending registration is replaced by a new one and taken exactly once.

use keystep_core::passkey::{PendingRegistration, StoredPasskey};
use keystep_core::{Millis, StoreError};

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(passkeys_and_pending_registrations);

fn passkey(user: &keystep_core::user::User, id: &str, at: i64) -> StoredPasskey {
    StoredPasskey {
        pool_id: user.pool_id.clone(),
        sub: user.sub.clone(),
        credential_id: id.into(),
        relying_party_id: "localhost".into(),
        passkey: format!("{{\"id\":\"{id}\"}}"),
        name: "Passkey".into(),
        attachment: Some("platform".into()),
        transports: vec!["internal".into(), "hybrid".into()],
        created_at: Millis(at),
    }
}

async fn passkeys_and_pending_registrations(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;
    store
        .insert_passkey(&passkey(&alice, "c2", 2))
        .await
        .unwrap();
    store
        .insert_passkey(&passkey(&alice, "c1", 1))
        .await
        .unwrap();
    // A credential id is registered once in a pool, whoever tries again.
    assert!(matches!(
        store.insert_passkey(&passkey(&bob, "c1", 3)).await,
        Err(StoreError::Conflict(_))
    ));
    let listed = store.list_passkeys(POOL, &alice.sub).await.unwrap();
    assert_eq!(
        listed,
        vec![passkey(&alice, "c1", 1), passkey(&alice, "c2", 2)]
    );
    assert!(store
        .list_passkeys(POOL, &bob.sub)
        .await
        .unwrap()
        .is_empty());

    store
        .update_passkey(POOL, "c1", "{\"counter\":7}")
        .await
        .unwrap();
    let listed = store.list_passkeys(POOL, &alice.sub).await.unwrap();
    assert_eq!(listed[0].passkey, "{\"counter\":7}");

    // Only the owner deletes.
    assert!(!store.delete_passkey(POOL, &bob.sub, "c1").await.unwrap());
    assert!(store.delete_passkey(POOL, &alice.sub, "c1").await.unwrap());
    assert!(!store.delete_passkey(POOL, &alice.sub, "c1").await.unwrap());

    let pending = |client: &str| PendingRegistration {
        pool_id: POOL.into(),
        sub: alice.sub.clone(),
        client_id: client.into(),
        state: vec![1, 2, 3],
        expires_at: Millis(10_000),
    };
    store
        .put_passkey_registration(&pending("first"))
        .await
        .unwrap();
    store
        .put_passkey_registration(&pending("second"))
        .await
        .unwrap();
    let taken = store
        .take_passkey_registration(POOL, &alice.sub)
        .await
        .unwrap();
    assert_eq!(taken, Some(pending("second")));
    assert_eq!(
        store
            .take_passkey_registration(POOL, &alice.sub)
            .await
            .unwrap(),
        None
    );

    // A deleted user's passkeys go with it.
    store.delete_user(POOL, &alice.sub).await.unwrap();
    assert!(store
        .list_passkeys(POOL, &alice.sub)
        .await
        .unwrap()
        .is_empty());
}
