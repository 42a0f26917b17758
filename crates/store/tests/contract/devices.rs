//! Remembered devices: insert once, read, list (remembered only or all, paged by key),
//! change status, forget, and go with their user.

use keystep_core::device::{Device, DeviceStatus};
use keystep_core::{Millis, StoreError};

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(devices_are_stored_listed_and_forgotten);

fn device(user: &keystep_core::user::User, key: &str, status: DeviceStatus) -> Device {
    Device {
        pool_id: user.pool_id.clone(),
        sub: user.sub.clone(),
        key: key.into(),
        group_key: "-grp".into(),
        name: Some("Firefox".into()),
        status,
        verifier: vec![1, 2, 3],
        created_at: Millis(1_000),
        modified_at: Millis(1_000),
        last_authenticated_at: None,
    }
}

async fn devices_are_stored_listed_and_forgotten(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    let bob = seed_user(&*store, POOL, "bob").await;
    let a1 = device(&alice, "us-east-1_a1", DeviceStatus::Remembered);
    let a2 = device(&alice, "us-east-1_a2", DeviceStatus::NotRemembered);
    let a3 = device(&alice, "us-east-1_a3", DeviceStatus::Remembered);
    for d in [
        &a1,
        &a2,
        &a3,
        &device(&bob, "us-east-1_b1", DeviceStatus::Remembered),
    ] {
        store.insert_device(d).await.unwrap();
    }
    // A key is confirmed once.
    assert!(matches!(
        store.insert_device(&a1).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.get_device(POOL, "us-east-1_a2").await.unwrap(),
        Some(a2.clone())
    );
    assert_eq!(
        store
            .get_device("us-east-1_Other0001", "us-east-1_a2")
            .await
            .unwrap(),
        None
    );

    let keys = |v: Vec<Device>| v.into_iter().map(|d| d.key).collect::<Vec<_>>();
    let all = store
        .list_devices(POOL, &alice.sub, false, None, 10)
        .await
        .unwrap();
    assert_eq!(keys(all), ["us-east-1_a1", "us-east-1_a2", "us-east-1_a3"]);
    let remembered = store
        .list_devices(POOL, &alice.sub, true, None, 10)
        .await
        .unwrap();
    assert_eq!(keys(remembered), ["us-east-1_a1", "us-east-1_a3"]);
    let page = store
        .list_devices(POOL, &alice.sub, false, None, 1)
        .await
        .unwrap();
    assert_eq!(keys(page), ["us-east-1_a1"]);
    let next = store
        .list_devices(POOL, &alice.sub, false, Some("us-east-1_a1"), 1)
        .await
        .unwrap();
    assert_eq!(keys(next), ["us-east-1_a2"]);

    assert!(store
        .set_device_status(
            POOL,
            "us-east-1_a2",
            DeviceStatus::Remembered,
            Millis(2_000)
        )
        .await
        .unwrap());
    store
        .device_authenticated(POOL, "us-east-1_a2", Millis(3_000))
        .await
        .unwrap();
    let changed = store
        .get_device(POOL, "us-east-1_a2")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.status, DeviceStatus::Remembered);
    assert_eq!(changed.modified_at, Millis(2_000));
    assert_eq!(changed.last_authenticated_at, Some(Millis(3_000)));
    assert!(!store
        .set_device_status(
            POOL,
            "us-east-1_zz",
            DeviceStatus::Remembered,
            Millis(2_000)
        )
        .await
        .unwrap());

    assert!(store.delete_device(POOL, "us-east-1_a1").await.unwrap());
    assert!(!store.delete_device(POOL, "us-east-1_a1").await.unwrap());
    assert_eq!(store.get_device(POOL, "us-east-1_a1").await.unwrap(), None);

    // A deleted user's devices go with it.
    store.delete_user(POOL, &alice.sub).await.unwrap();
    assert_eq!(store.get_device(POOL, "us-east-1_a3").await.unwrap(), None);
    assert!(store
        .get_device(POOL, "us-east-1_b1")
        .await
        .unwrap()
        .is_some());
}
