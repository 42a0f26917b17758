//! User import jobs: the upload only while created and only with its key, status moves as
//! compare-and-swap (one of racing starts wins), one claimer per job, batches that skip
//! taken usernames and undo rows with a taken alias, a runner that lost its job writes
//! nothing, newest-first pages, expiry.

use std::sync::Arc;

use keystep_core::pool::AliasKind;
use keystep_core::user_import::{ImportBatch, ImportJob, ImportStatus, RowOutcome};
use keystep_core::Millis;

use crate::fixtures::*;
use crate::harness::TestDb;

contract_tests!(
    the_file_goes_in_only_while_created_and_with_its_key,
    status_moves_are_compare_and_swap,
    a_job_is_claimed_by_one_runner_and_taken_over_after_its_lease,
    a_batch_imports_skips_and_undoes_rows_in_one_transaction,
    jobs_are_listed_newest_first_and_expire_unstarted
);

const KEY: &[u8] = b"upload-key";

fn job(id: &str, created: Millis) -> ImportJob {
    ImportJob {
        pool_id: POOL.into(),
        job_id: id.into(),
        job_name: "Customer import".into(),
        role_arn: "arn:aws:iam::123456789012:role/import".into(),
        status: ImportStatus::Created,
        created_at: created,
        started_at: None,
        completed_at: None,
        imported: 0,
        skipped: 0,
        failed: 0,
        completion_message: None,
        uploaded: false,
        position: 0,
        upload_expires_at: created.plus_secs(900),
    }
}

async fn started(store: &dyn keystep_core::ports::Store, id: &str) -> ImportJob {
    let j = job(id, T0);
    store.insert_import_job(&j, KEY).await.unwrap();
    assert!(store
        .put_import_file(POOL, id, KEY, b"header\nrow", T0)
        .await
        .unwrap());
    assert!(store
        .move_import_job(
            POOL,
            id,
            ImportStatus::Created,
            ImportStatus::Pending,
            None,
            T0
        )
        .await
        .unwrap());
    store.get_import_job(POOL, id).await.unwrap().unwrap()
}

async fn the_file_goes_in_only_while_created_and_with_its_key(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let j = job("import-aaaaaaaaaa", T0);
    store.insert_import_job(&j, KEY).await.unwrap();
    assert!(
        store.insert_import_job(&j, KEY).await.is_err(),
        "one row per id"
    );
    let got = store
        .get_import_job(POOL, &j.job_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got, j);

    assert!(store
        .import_upload_open(POOL, &j.job_id, KEY, T0)
        .await
        .unwrap());
    assert!(!store
        .import_upload_open(POOL, &j.job_id, b"wrong", T0)
        .await
        .unwrap());
    let late = T0.plus_secs(900);
    assert!(!store
        .import_upload_open(POOL, &j.job_id, KEY, late)
        .await
        .unwrap());
    assert!(!store
        .put_import_file(POOL, &j.job_id, b"wrong", b"x", T0)
        .await
        .unwrap());
    assert!(!store
        .put_import_file(POOL, &j.job_id, KEY, b"x", late)
        .await
        .unwrap());
    assert!(
        !store
            .get_import_job(POOL, &j.job_id)
            .await
            .unwrap()
            .unwrap()
            .uploaded
    );
    assert!(store
        .put_import_file(POOL, &j.job_id, KEY, b"a,b\n1,2\n", T0)
        .await
        .unwrap());
    assert!(
        store
            .get_import_job(POOL, &j.job_id)
            .await
            .unwrap()
            .unwrap()
            .uploaded
    );

    assert!(store
        .move_import_job(
            POOL,
            &j.job_id,
            ImportStatus::Created,
            ImportStatus::Pending,
            None,
            T0
        )
        .await
        .unwrap());
    assert!(
        !store
            .put_import_file(POOL, &j.job_id, KEY, b"other", T0)
            .await
            .unwrap(),
        "a started job's file no longer changes"
    );
    let (_, file) = store
        .claim_import_job("runner", T0, T0.plus_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(file, b"a,b\n1,2\n");
}

async fn status_moves_are_compare_and_swap(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let j = job("import-bbbbbbbbbb", T0);
    store.insert_import_job(&j, KEY).await.unwrap();
    assert!(
        !store
            .move_import_job(
                POOL,
                &j.job_id,
                ImportStatus::Created,
                ImportStatus::Pending,
                None,
                T0
            )
            .await
            .unwrap(),
        "no start without a file"
    );
    store
        .put_import_file(POOL, &j.job_id, KEY, b"file", T0)
        .await
        .unwrap();
    let mut racers = Vec::new();
    for _ in 0..8 {
        let s = Arc::clone(&store);
        let id = j.job_id.clone();
        racers.push(tokio::spawn(async move {
            s.move_import_job(
                POOL,
                &id,
                ImportStatus::Created,
                ImportStatus::Pending,
                None,
                T0,
            )
            .await
        }));
    }
    let mut won = 0;
    for r in racers {
        if r.await.unwrap().unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1, "exactly one start wins");
    let later = T0.plus_secs(5);
    assert!(store
        .move_import_job(
            POOL,
            &j.job_id,
            ImportStatus::Pending,
            ImportStatus::Stopped,
            Some("stopped"),
            later
        )
        .await
        .unwrap());
    let got = store
        .get_import_job(POOL, &j.job_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.status, ImportStatus::Stopped);
    assert_eq!(got.started_at, Some(T0));
    assert_eq!(got.completed_at, Some(later));
    assert_eq!(got.completion_message.as_deref(), Some("stopped"));
    assert!(!got.uploaded, "a finished job keeps no file");
    assert!(store
        .claim_import_job("r", later, later.plus_secs(60))
        .await
        .unwrap()
        .is_none());
}

async fn a_job_is_claimed_by_one_runner_and_taken_over_after_its_lease(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    started(&*store, "import-cccccccccc").await;
    let lease = T0.plus_secs(60);
    let mut racers = Vec::new();
    for i in 0..6 {
        let s = Arc::clone(&store);
        racers.push(tokio::spawn(async move {
            s.claim_import_job(&format!("runner-{i}"), T0, lease).await
        }));
    }
    let mut claimed = Vec::new();
    for r in racers {
        if let Some((job, _)) = r.await.unwrap().unwrap() {
            claimed.push(job);
        }
    }
    assert_eq!(claimed.len(), 1, "one runner gets the job");
    assert_eq!(claimed[0].status, ImportStatus::InProgress);
    assert!(store
        .claim_import_job("other", T0.plus_secs(59), lease)
        .await
        .unwrap()
        .is_none());
    // The first runner's node stops; after its lease another takes the job over.
    let (taken, _) = store
        .claim_import_job("other", lease, lease.plus_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken.job_id, "import-cccccccccc");
    let empty = ImportBatch {
        users: Vec::new(),
        username_aliases: Vec::new(),
        failed_before: 1,
        position: 1,
        lease_until: lease.plus_secs(60),
    };
    for i in 0..6 {
        let lost = format!("runner-{i}");
        assert_eq!(
            store.import_batch(&taken, &lost, &empty).await.unwrap(),
            None,
            "the runner that lost the job writes nothing"
        );
        assert!(!store
            .finish_import_job(
                POOL,
                &taken.job_id,
                &lost,
                ImportStatus::Succeeded,
                "x",
                lease
            )
            .await
            .unwrap());
    }
    assert!(store
        .import_batch(&taken, "other", &empty)
        .await
        .unwrap()
        .is_some());
    assert!(store
        .finish_import_job(
            POOL,
            &taken.job_id,
            "other",
            ImportStatus::Succeeded,
            "done",
            lease
        )
        .await
        .unwrap());
    let got = store
        .get_import_job(POOL, &taken.job_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (got.status, got.failed, got.position),
        (ImportStatus::Succeeded, 1, 1)
    );
}

async fn a_batch_imports_skips_and_undoes_rows_in_one_transaction(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    let alice = seed_user(&*store, POOL, "alice").await;
    started(&*store, "import-dddddddddd").await;
    let (j, _) = store
        .claim_import_job("runner", T0, T0.plus_secs(60))
        .await
        .unwrap()
        .unwrap();
    let fresh = user(POOL, "bob");
    let same_name = user(POOL, "alice");
    // Carol's e-mail is Alice's.
    let mut carol = user(POOL, "carol");
    carol
        .attributes
        .insert("email".into(), alice.attributes["email"].clone());
    let carol_aliases = vec![(AliasKind::Email, email_alias(&alice).1)];
    let batch = ImportBatch {
        users: vec![
            (fresh.clone(), vec![email_alias(&fresh)]),
            (same_name.clone(), vec![email_alias(&same_name)]),
            (carol.clone(), carol_aliases.clone()),
        ],
        username_aliases: Vec::new(),
        failed_before: 2,
        position: 5,
        lease_until: T0.plus_secs(120),
    };
    let outcome = store
        .import_batch(&j, "runner", &batch)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        outcome.rows,
        vec![
            RowOutcome::Imported,
            RowOutcome::Skipped,
            RowOutcome::AliasTaken(AliasKind::Email)
        ]
    );
    assert_eq!(outcome.status, ImportStatus::InProgress);
    assert!(store.get_user(POOL, "bob").await.unwrap().is_some());
    assert!(
        store.get_user(POOL, "carol").await.unwrap().is_none(),
        "a row whose alias is taken leaves no user"
    );
    let holder = store
        .get_user_by_alias(POOL, AliasKind::Email, &carol_aliases[0].1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(holder.sub, alice.sub, "the alias stays with its holder");
    let got = store
        .get_import_job(POOL, &j.job_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (got.imported, got.skipped, got.failed, got.position),
        (1, 1, 3, 5)
    );

    // In username-attribute pools a taken e-mail is a user that exists: skipped.
    let carol_again = ImportBatch {
        users: vec![(carol, carol_aliases)],
        username_aliases: vec![AliasKind::Email],
        failed_before: 0,
        position: 6,
        lease_until: T0.plus_secs(120),
    };
    let outcome = store
        .import_batch(&j, "runner", &carol_again)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome.rows, vec![RowOutcome::Skipped]);

    // A stop request shows in the next batch's outcome.
    assert!(store
        .move_import_job(
            POOL,
            &j.job_id,
            ImportStatus::InProgress,
            ImportStatus::Stopping,
            None,
            T0
        )
        .await
        .unwrap());
    let none = ImportBatch {
        users: Vec::new(),
        username_aliases: Vec::new(),
        failed_before: 0,
        position: 7,
        lease_until: T0.plus_secs(120),
    };
    let outcome = store
        .import_batch(&j, "runner", &none)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome.status, ImportStatus::Stopping);
}

async fn jobs_are_listed_newest_first_and_expire_unstarted(db: TestDb) {
    let store = db.store;
    seed(&*store).await;
    for i in 0..5 {
        let j = job(&format!("import-list{i:05}"), T0.plus_secs(i));
        store.insert_import_job(&j, KEY).await.unwrap();
    }
    let first = store.list_import_jobs(POOL, None, 2).await.unwrap();
    let ids: Vec<&str> = first.items.iter().map(|j| j.job_id.as_str()).collect();
    assert_eq!(ids, ["import-list00004", "import-list00003"]);
    let second = store
        .list_import_jobs(POOL, first.next.as_deref(), 2)
        .await
        .unwrap();
    let third = store
        .list_import_jobs(POOL, second.next.as_deref(), 2)
        .await
        .unwrap();
    let ids: Vec<&str> = second
        .items
        .iter()
        .chain(&third.items)
        .map(|j| j.job_id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["import-list00002", "import-list00001", "import-list00000"]
    );
    assert_eq!(third.next, None);

    store
        .put_import_file(POOL, "import-list00000", KEY, b"x", T0)
        .await
        .unwrap();
    let expired = store
        .expire_import_jobs(T0.plus_secs(2), "expired", T0.plus_secs(100))
        .await
        .unwrap();
    assert_eq!(expired, 3);
    let got = store
        .get_import_job(POOL, "import-list00000")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.status, ImportStatus::Expired);
    assert!(!got.uploaded);
    assert_eq!(
        store
            .get_import_job(POOL, "import-list00004")
            .await
            .unwrap()
            .unwrap()
            .status,
        ImportStatus::Created
    );
    // Deleting the pool takes its jobs.
    store.delete_pool(POOL).await.unwrap();
    assert!(store
        .get_import_job(POOL, "import-list00004")
        .await
        .unwrap()
        .is_none());
}
