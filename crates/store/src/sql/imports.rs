//! User import jobs: the job rows (with the uploaded file until the job ends) and the
//! batch insert that imports a slice of the file in one transaction.

use sqlx::Row;

use keystep_core::pool::AliasKind;
use keystep_core::ports::Page;
use keystep_core::user::User;
use keystep_core::user_import::{BatchOutcome, ImportBatch, ImportJob, ImportStatus, RowOutcome};
use keystep_core::Millis;

use super::{dialect, users, DbPool, DbRow, Tx};
use crate::codec;
use crate::error::{corrupt, on_insert, Fail};

const JOB_COLUMNS: &str = "pool_id, job_id, job_name, role_arn, status, created_at, started_at, \
     completed_at, imported, skipped, failed, message, file IS NOT NULL AS uploaded, position, \
     upload_expires_at";

fn count(r: &DbRow, column: &str) -> Result<u64, Fail> {
    let n: i64 = r.try_get(column)?;
    Ok(n.max(0) as u64)
}

fn job(r: &DbRow) -> Result<ImportJob, Fail> {
    let status: String = r.try_get("status")?;
    Ok(ImportJob {
        pool_id: r.try_get("pool_id")?,
        job_id: r.try_get("job_id")?,
        job_name: r.try_get("job_name")?,
        role_arn: r.try_get("role_arn")?,
        status: ImportStatus::parse(&status).ok_or_else(|| corrupt("import status", &status))?,
        created_at: Millis(r.try_get("created_at")?),
        started_at: r.try_get::<Option<i64>, _>("started_at")?.map(Millis),
        completed_at: r.try_get::<Option<i64>, _>("completed_at")?.map(Millis),
        imported: count(r, "imported")?,
        skipped: count(r, "skipped")?,
        failed: count(r, "failed")?,
        completion_message: r.try_get("message")?,
        uploaded: r.try_get("uploaded")?,
        position: count(r, "position")?,
        upload_expires_at: Millis(r.try_get("upload_expires_at")?),
    })
}

pub(super) async fn insert(db: &DbPool, j: &ImportJob, upload_key: &[u8]) -> Result<(), Fail> {
    sqlx::query(
        "INSERT INTO user_import_jobs (pool_id, job_id, job_name, role_arn, status, created_at, \
         imported, skipped, failed, position, upload_key, upload_expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, 0, $7, $8)",
    )
    .bind(&j.pool_id)
    .bind(&j.job_id)
    .bind(&j.job_name)
    .bind(&j.role_arn)
    .bind(j.status.as_str())
    .bind(j.created_at.0)
    .bind(upload_key)
    .bind(j.upload_expires_at.0)
    .execute(db)
    .await
    .map_err(on_insert("import job"))?;
    Ok(())
}

pub(super) async fn get(
    db: &DbPool,
    pool_id: &str,
    job_id: &str,
) -> Result<Option<ImportJob>, Fail> {
    let sql =
        format!("SELECT {JOB_COLUMNS} FROM user_import_jobs WHERE pool_id = $1 AND job_id = $2");
    let row = sqlx::query(&sql)
        .bind(pool_id)
        .bind(job_id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(job).transpose()
}

pub(super) async fn list(
    db: &DbPool,
    pool_id: &str,
    after: Option<&str>,
    limit: u32,
) -> Result<Page<ImportJob>, Fail> {
    let (created, id) = codec::newest_first_cursor(after);
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM user_import_jobs WHERE pool_id = $1 \
         AND (created_at < $2 OR (created_at = $2 AND job_id < $3) OR $4) \
         ORDER BY created_at DESC, job_id DESC LIMIT $5"
    );
    let rows = sqlx::query(&sql)
        .bind(pool_id)
        .bind(created)
        .bind(&id)
        .bind(after.is_none())
        .bind(codec::probe_limit(limit))
        .fetch_all(db)
        .await?;
    let items = rows.iter().map(job).collect::<Result<Vec<_>, _>>()?;
    Ok(codec::page(items, limit, |j| {
        codec::newest_first_key(j.created_at.0, &j.job_id)
    }))
}

pub(super) async fn upload_open(
    db: &DbPool,
    pool_id: &str,
    job_id: &str,
    upload_key: &[u8],
    now: Millis,
) -> Result<bool, Fail> {
    let row = sqlx::query(
        "SELECT 1 AS open FROM user_import_jobs WHERE pool_id = $1 AND job_id = $2 \
         AND upload_key = $3 AND status = 'Created' AND upload_expires_at > $4",
    )
    .bind(pool_id)
    .bind(job_id)
    .bind(upload_key)
    .bind(now.0)
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub(super) async fn put_file(
    db: &DbPool,
    pool_id: &str,
    job_id: &str,
    upload_key: &[u8],
    file: &[u8],
    now: Millis,
) -> Result<bool, Fail> {
    let done = sqlx::query(
        "UPDATE user_import_jobs SET file = $1 WHERE pool_id = $2 AND job_id = $3 \
         AND upload_key = $4 AND status = 'Created' AND upload_expires_at > $5",
    )
    .bind(file)
    .bind(pool_id)
    .bind(job_id)
    .bind(upload_key)
    .bind(now.0)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn move_status(
    db: &DbPool,
    pool_id: &str,
    job_id: &str,
    from: ImportStatus,
    to: ImportStatus,
    message: Option<&str>,
    now: Millis,
) -> Result<bool, Fail> {
    // Each branch binds exactly the parameters it uses: PostgreSQL refuses unused ones.
    let (set, params) = if to == ImportStatus::Pending {
        (", started_at = $5", 5)
    } else if to.is_final() {
        (
            ", completed_at = $5, message = $6, file = NULL, runner = NULL, lease_until = NULL",
            6,
        )
    } else {
        ("", 4)
    };
    let needs_file = if from == ImportStatus::Created && to == ImportStatus::Pending {
        " AND file IS NOT NULL"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE user_import_jobs SET status = $1{set} \
         WHERE pool_id = $2 AND job_id = $3 AND status = $4{needs_file}"
    );
    let mut query = sqlx::query(&sql)
        .bind(to.as_str())
        .bind(pool_id)
        .bind(job_id)
        .bind(from.as_str());
    if params >= 5 {
        query = query.bind(now.0);
    }
    if params >= 6 {
        query = query.bind(message);
    }
    let done = query.execute(db).await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn claim(
    db: &DbPool,
    runner: &str,
    now: Millis,
    lease_until: Millis,
) -> Result<Option<(ImportJob, Vec<u8>)>, Fail> {
    let mut tx = dialect::begin(db).await?;
    let sql = format!(
        "SELECT pool_id, job_id FROM user_import_jobs \
         WHERE status = 'Pending' \
            OR (status IN ('InProgress', 'Stopping') AND lease_until <= $1) \
         ORDER BY started_at LIMIT 1 {}",
        dialect::SKIP_LOCKED
    );
    let Some(found) = sqlx::query(&sql)
        .bind(now.0)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let pool_id: String = found.try_get("pool_id")?;
    let job_id: String = found.try_get("job_id")?;
    let sql = format!(
        "UPDATE user_import_jobs SET \
         status = CASE WHEN status = 'Pending' THEN 'InProgress' ELSE status END, \
         runner = $1, lease_until = $2 WHERE pool_id = $3 AND job_id = $4 \
         RETURNING {JOB_COLUMNS}, file"
    );
    let row = sqlx::query(&sql)
        .bind(runner)
        .bind(lease_until.0)
        .bind(&pool_id)
        .bind(&job_id)
        .fetch_one(&mut *tx)
        .await?;
    let claimed = job(&row)?;
    let file: Option<Vec<u8>> = row.try_get("file")?;
    tx.commit().await?;
    Ok(Some((claimed, file.unwrap_or_default())))
}

/// Inserts one user unless its username (or `sub`) is taken, then its aliases unless one
/// is taken, in which case the user goes again. Nothing here fails the transaction: a
/// statement error would abort it on PostgreSQL.
async fn import_one(
    tx: &mut Tx,
    user: &User,
    aliases: &[(AliasKind, String)],
) -> Result<RowOutcome, Fail> {
    if users::insert_row(tx, user, true).await? == 0 {
        return Ok(RowOutcome::Skipped);
    }
    for (kind, value_key) in aliases {
        let claimed = sqlx::query(
            "INSERT INTO user_aliases (pool_id, kind, value_key, sub) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&user.pool_id)
        .bind(codec::alias_kind_name(*kind))
        .bind(value_key)
        .bind(&user.sub)
        .execute(&mut **tx)
        .await?;
        if claimed.rows_affected() == 0 {
            // Its aliases go with it (ON DELETE CASCADE).
            sqlx::query("DELETE FROM users WHERE pool_id = $1 AND sub = $2")
                .bind(&user.pool_id)
                .bind(&user.sub)
                .execute(&mut **tx)
                .await?;
            return Ok(RowOutcome::AliasTaken(*kind));
        }
    }
    Ok(RowOutcome::Imported)
}

pub(super) async fn import_batch(
    db: &DbPool,
    j: &ImportJob,
    runner: &str,
    batch: &ImportBatch,
) -> Result<Option<BatchOutcome>, Fail> {
    let mut tx = dialect::begin(db).await?;
    let mut rows = Vec::with_capacity(batch.users.len());
    for (user, aliases) in &batch.users {
        let outcome = match import_one(&mut tx, user, aliases).await? {
            RowOutcome::AliasTaken(kind) if batch.username_aliases.contains(&kind) => {
                RowOutcome::Skipped
            }
            other => other,
        };
        rows.push(outcome);
    }
    let imported = rows.iter().filter(|r| **r == RowOutcome::Imported).count() as i64;
    let skipped = rows.iter().filter(|r| **r == RowOutcome::Skipped).count() as i64;
    let failed = rows.len() as i64 - imported - skipped + batch.failed_before as i64;
    // Last, so that a runner that lost the job leaves nothing behind: no row, no
    // transaction (it rolls back when dropped).
    let held = sqlx::query(
        "UPDATE user_import_jobs SET imported = imported + $1, skipped = skipped + $2, \
         failed = failed + $3, position = $4, lease_until = $5 \
         WHERE pool_id = $6 AND job_id = $7 AND runner = $8 \
         AND status IN ('InProgress', 'Stopping') RETURNING status",
    )
    .bind(imported)
    .bind(skipped)
    .bind(failed)
    .bind(batch.position as i64)
    .bind(batch.lease_until.0)
    .bind(&j.pool_id)
    .bind(&j.job_id)
    .bind(runner)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(held) = held else {
        return Ok(None);
    };
    let status: String = held.try_get("status")?;
    let status = ImportStatus::parse(&status).ok_or_else(|| corrupt("import status", &status))?;
    tx.commit().await?;
    Ok(Some(BatchOutcome { rows, status }))
}

pub(super) async fn finish(
    db: &DbPool,
    pool_id: &str,
    job_id: &str,
    runner: &str,
    status: ImportStatus,
    message: &str,
    now: Millis,
) -> Result<bool, Fail> {
    let done = sqlx::query(
        "UPDATE user_import_jobs SET status = $1, message = $2, completed_at = $3, \
         file = NULL, runner = NULL, lease_until = NULL \
         WHERE pool_id = $4 AND job_id = $5 AND runner = $6 \
         AND status IN ('InProgress', 'Stopping')",
    )
    .bind(status.as_str())
    .bind(message)
    .bind(now.0)
    .bind(pool_id)
    .bind(job_id)
    .bind(runner)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn expire(
    db: &DbPool,
    created_before: Millis,
    message: &str,
    now: Millis,
) -> Result<u64, Fail> {
    let done = sqlx::query(
        "UPDATE user_import_jobs SET status = 'Expired', message = $1, completed_at = $2, \
         file = NULL WHERE status = 'Created' AND created_at <= $3",
    )
    .bind(message)
    .bind(now.0)
    .bind(created_before.0)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
