//! The user import operations (`GetCSVHeader`, `CreateUserImportJob`,
//! `StartUserImportJob`, `StopUserImportJob`, `DescribeUserImportJob`,
//! `ListUserImportJobs`), the upload of a job's file to its pre-signed URL, and the worker
//! step that imports a claimed job batch by batch.
//!
//! Each row is logged as Cognito logs it (`[SUCCEEDED|SKIPPED|FAILED] Line Number N -
//! ...`, with the job id, never a value of the row); the counts are kept with the job in
//! the same transaction as each batch of users, so a job taken over by another node after
//! a crash resumes where the last batch ended and counts nothing twice.

use base64::Engine;

use crate::error::AuthError;
use crate::pool::UserPool;
use crate::ports::Page;
use crate::user::{MfaFactor, UserStatus};
use crate::user_import::csv_file::{self, FileError, Header};
use crate::user_import::{
    ImportBatch, ImportJob, ImportStatus, RowOutcome, BATCH_ROWS, CREATED_LIFETIME_MS, LEASE_MS,
    MAX_ROWS, UPLOAD_LIFETIME_MS,
};
use crate::Millis;

use super::users::AttributeWriter;
use super::Keystep;

/// The path under `public_url` where files are uploaded: `<this>/<poolId>/<jobId>`.
pub const UPLOAD_PATH: &str = "/user-import";

/// Cognito's completion messages.
const SUCCEEDED: &str = "Import Job Completed Successfully.";
const TOO_MANY_FAILED: &str = "Too many users have failed or been skipped during the import.";
const STOPPED: &str = "The Import Job was stopped by the developer.";
const EXPIRED: &str = "The user import job has expired.";

/// What became of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    /// The file is stored.
    Stored,
    /// No such job, a wrong token, the job was started, or the URL expired.
    Refused,
}

fn invalid(message: String) -> AuthError {
    AuthError::InvalidParameter(message)
}

/// `JobName`: 1–128 of `[\w\s+=,.@-]`.
fn check_job_name(name: &str) -> Result<(), AuthError> {
    let ok = |c: char| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c);
    let len = name.chars().count();
    if !(1..=128).contains(&len) || !name.chars().all(ok) {
        return Err(invalid(
            "1 validation error detected: Value at 'jobName' failed to satisfy constraint: \
             Member must have length between 1 and 128 and satisfy regular expression pattern: \
             [\\w\\s+=,.@-]+"
                .into(),
        ));
    }
    Ok(())
}

/// `CloudWatchLogsRoleArn`: 20–2048 characters of the shape `arn:<partition>:<service>:…`.
fn check_role_arn(arn: &str) -> Result<(), AuthError> {
    let parts: Vec<&str> = arn.split(':').collect();
    let ok = (20..=2048).contains(&arn.len())
        && parts.len() >= 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && !parts[2].is_empty()
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && !parts[4].is_empty();
    if !ok {
        return Err(invalid(
            "1 validation error detected: Value at 'cloudWatchLogsRoleArn' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: \
             arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?"
                .into(),
        ));
    }
    Ok(())
}

/// `JobId`: `import-[0-9a-zA-Z-]+`, at most 55.
fn check_job_id(job_id: &str) -> Result<(), AuthError> {
    let ok = job_id.len() <= 55
        && job_id.strip_prefix("import-").is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !ok {
        return Err(invalid(
            "1 validation error detected: Value at 'jobId' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: import-[0-9a-zA-Z-]+"
                .into(),
        ));
    }
    Ok(())
}

impl Keystep {
    /// `GetCSVHeader`.
    pub async fn get_csv_header(&self, pool_id: &str) -> Result<Vec<String>, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        Ok(csv_file::header_for(&pool))
    }

    /// The upload token of a job: derived from the server's keys, so the URL can be shown
    /// again by `DescribeUserImportJob` without being stored.
    fn upload_token(&self, pool_id: &str, job_id: &str) -> String {
        let mac = self
            .keys
            .code_hash(&format!("user-import-upload:{pool_id}"), job_id);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac)
    }

    /// What the store keeps of a token: its keyed hash.
    fn upload_key(&self, token: &str) -> Vec<u8> {
        self.keys.code_hash("user-import-upload-key", token)
    }

    /// The pre-signed URL of a job.
    pub fn import_upload_url(&self, job: &ImportJob) -> String {
        format!(
            "{}{UPLOAD_PATH}/{}/{}?X-Amz-Expires={}&X-Amz-Signature={}",
            self.config.public_url.trim_end_matches('/'),
            job.pool_id,
            job.job_id,
            UPLOAD_LIFETIME_MS / 1000 - 1,
            self.upload_token(&job.pool_id, &job.job_id)
        )
    }

    /// `CreateUserImportJob`: a `Created` job and its upload URL (15 minutes).
    pub async fn create_user_import_job(
        &self,
        pool_id: &str,
        job_name: &str,
        role_arn: &str,
    ) -> Result<ImportJob, AuthError> {
        check_job_name(job_name)?;
        check_role_arn(role_arn)?;
        let pool = self.load_pool(pool_id).await?;
        let now = self.clock.now();
        let job = ImportJob {
            pool_id: pool.id.clone(),
            job_id: crate::ids::new_import_job_id(&*self.rng),
            job_name: job_name.to_string(),
            role_arn: role_arn.to_string(),
            status: ImportStatus::Created,
            created_at: now,
            started_at: None,
            completed_at: None,
            imported: 0,
            skipped: 0,
            failed: 0,
            completion_message: None,
            uploaded: false,
            position: 0,
            upload_expires_at: now.plus_millis(UPLOAD_LIFETIME_MS),
        };
        let key = self.upload_key(&self.upload_token(&job.pool_id, &job.job_id));
        self.store.insert_import_job(&job, &key).await?;
        Ok(job)
    }

    /// Whether an upload to this job with this token would be taken now (asked before the
    /// body is read, so that nobody without the URL makes the server buffer a file).
    pub async fn import_upload_open(
        &self,
        pool_id: &str,
        job_id: &str,
        token: &str,
    ) -> Result<bool, AuthError> {
        let key = self.upload_key(token);
        Ok(self
            .store
            .import_upload_open(pool_id, job_id, &key, self.clock.now())
            .await?)
    }

    /// Stores an uploaded file (a second upload replaces the first, as on S3).
    pub async fn upload_import_file(
        &self,
        pool_id: &str,
        job_id: &str,
        token: &str,
        file: &[u8],
    ) -> Result<Upload, AuthError> {
        let key = self.upload_key(token);
        let stored = self
            .store
            .put_import_file(pool_id, job_id, &key, file, self.clock.now())
            .await?;
        Ok(if stored {
            Upload::Stored
        } else {
            Upload::Refused
        })
    }

    /// Reads a job of the pool, with the status it shows now.
    async fn load_import_job(&self, pool_id: &str, job_id: &str) -> Result<ImportJob, AuthError> {
        check_job_id(job_id)?;
        let pool = self.load_pool(pool_id).await?;
        let mut job = self
            .store
            .get_import_job(&pool.id, job_id)
            .await?
            .ok_or_else(|| {
                AuthError::ResourceNotFound(format!("The import job {job_id} does not exist."))
            })?;
        self.show_status(&mut job);
        Ok(job)
    }

    /// A created job past its lifetime shows as expired even before housekeeping.
    fn show_status(&self, job: &mut ImportJob) {
        let now = self.clock.now();
        if job.status_at(now) == ImportStatus::Expired && job.status == ImportStatus::Created {
            job.status = ImportStatus::Expired;
            job.completed_at = Some(job.created_at.plus_millis(CREATED_LIFETIME_MS));
            job.completion_message = Some(EXPIRED.into());
        }
    }

    /// `DescribeUserImportJob`.
    pub async fn describe_user_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
    ) -> Result<ImportJob, AuthError> {
        self.load_import_job(pool_id, job_id).await
    }

    /// `StartUserImportJob`: `Created` → `Pending`, once, and only with a file.
    pub async fn start_user_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
    ) -> Result<ImportJob, AuthError> {
        let job = self.load_import_job(pool_id, job_id).await?;
        let pool = self.load_pool(pool_id).await?;
        if job.status.start().is_none() {
            return Err(AuthError::PreconditionNotMet(format!(
                "The import job {job_id} cannot be started: its status is {}.",
                job.status.as_str()
            )));
        }
        if !job.uploaded {
            return Err(AuthError::PreconditionNotMet(format!(
                "No csv file was uploaded for {job_id}"
            )));
        }
        if pool.settings.auto_verified.is_empty() {
            return Err(AuthError::PreconditionNotMet(
                "The user pool has no auto-verified attributes; an import needs email or \
                 phone_number among AutoVerifiedAttributes."
                    .into(),
            ));
        }
        let moved = self
            .store
            .move_import_job(
                &job.pool_id,
                job_id,
                ImportStatus::Created,
                ImportStatus::Pending,
                None,
                self.clock.now(),
            )
            .await?;
        if !moved {
            // Another start (or the expiry) came first.
            let now = self.load_import_job(pool_id, job_id).await?;
            return Err(AuthError::PreconditionNotMet(format!(
                "The import job {job_id} cannot be started: its status is {}.",
                now.status.as_str()
            )));
        }
        self.load_import_job(pool_id, job_id).await
    }

    /// `StopUserImportJob`: a pending job stops at once, a running one after the batch
    /// its worker has in hand.
    pub async fn stop_user_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
    ) -> Result<ImportJob, AuthError> {
        for _ in 0..4 {
            let job = self.load_import_job(pool_id, job_id).await?;
            let Some(to) = job.status.stop() else {
                return Err(AuthError::PreconditionNotMet(format!(
                    "The import job {job_id} cannot be stopped: its status is {}.",
                    job.status.as_str()
                )));
            };
            let message = to.is_final().then_some(STOPPED);
            let moved = self
                .store
                .move_import_job(
                    &job.pool_id,
                    job_id,
                    job.status,
                    to,
                    message,
                    self.clock.now(),
                )
                .await?;
            if moved {
                return self.load_import_job(pool_id, job_id).await;
            }
            // The worker moved it meanwhile (Pending → InProgress): look again.
        }
        Err(AuthError::ConcurrentModification(
            "The import job changed while it was being stopped; try again.".into(),
        ))
    }

    /// `ListUserImportJobs`: newest first, `MaxResults` 1–60 (required).
    pub async fn list_user_import_jobs(
        &self,
        pool_id: &str,
        max_results: i64,
        token: Option<&str>,
    ) -> Result<Page<ImportJob>, AuthError> {
        if !(1..=60).contains(&max_results) {
            return Err(invalid(
                "1 validation error detected: Value at 'maxResults' failed to satisfy \
                 constraint: Member must have value between 1 and 60"
                    .into(),
            ));
        }
        let pool = self.load_pool(pool_id).await?;
        let context = format!("import-page:{}", pool.id);
        let after = match token {
            Some(t) => Some(self.open_page_key(&context, t)?),
            None => None,
        };
        let mut page = self
            .store
            .list_import_jobs(&pool.id, after.as_deref(), max_results as u32)
            .await?;
        for job in &mut page.items {
            self.show_status(job);
        }
        page.next = page.next.map(|key| self.seal_page_key(&context, &key));
        Ok(page)
    }

    /// Housekeeping: jobs never started within their lifetime become `Expired` and lose
    /// their file.
    pub async fn expire_import_jobs(&self) -> Result<u64, AuthError> {
        let now = self.clock.now();
        Ok(self
            .store
            .expire_import_jobs(Millis(now.0 - CREATED_LIFETIME_MS), EXPIRED, now)
            .await?)
    }

    /// The worker's step: claims one job (as `runner`) and imports it to the end, or until
    /// it is stopped or taken over. Whether there was a job.
    pub async fn run_import_job(&self, runner: &str) -> Result<bool, AuthError> {
        let now = self.clock.now();
        let Some((job, file)) = self
            .store
            .claim_import_job(runner, now, now.plus_millis(LEASE_MS))
            .await?
        else {
            return Ok(false);
        };
        tracing::info!(job_id = %job.job_id, pool_id = %job.pool_id, "user import started");
        let (status, message) = self.import_file(&job, runner, &file).await?;
        if let Some(status) = status {
            let done = self
                .store
                .finish_import_job(
                    &job.pool_id,
                    &job.job_id,
                    runner,
                    status,
                    &message,
                    self.clock.now(),
                )
                .await?;
            if done {
                tracing::info!(job_id = %job.job_id, status = status.as_str(), "user import ended");
            }
        }
        Ok(true)
    }

    /// Imports the file from the job's position. The final status to write, or `None`
    /// when the job was lost to another runner (or deleted with its pool).
    async fn import_file(
        &self,
        job: &ImportJob,
        runner: &str,
        file: &[u8],
    ) -> Result<(Option<ImportStatus>, String), AuthError> {
        if job.status == ImportStatus::Stopping {
            return Ok((Some(ImportStatus::Stopped), STOPPED.into()));
        }
        let Some(pool) = self.store.get_pool(&job.pool_id).await? else {
            return Ok((None, String::new()));
        };
        let mut lines = csv_file::lines(file);
        let header = match lines.next() {
            Some((_, line)) => csv_file::read_header(&pool, line),
            None => Err(FileError::Empty),
        };
        let rows: Vec<(u64, &[u8])> = lines.collect();
        let header = match header {
            Ok(_) if rows.len() as u64 > MAX_ROWS => Err(FileError::TooManyRows(MAX_ROWS)),
            other => other,
        };
        let header = match header {
            Ok(h) => h,
            Err(e) => {
                tracing::warn!(job_id = %job.job_id, error = %e, "user import file refused");
                return Ok((Some(ImportStatus::Failed), e.to_string()));
            }
        };
        let (mut imported, mut skipped, mut failed) = (job.imported, job.skipped, job.failed);
        let start = (job.position as usize).min(rows.len());
        let mut position = start;
        for chunk in rows[start..].chunks(BATCH_ROWS) {
            let (batch, lines) = self.prepare_batch(&pool, job, &header, chunk);
            position += chunk.len();
            let batch = ImportBatch {
                position: position as u64,
                ..batch
            };
            let Some(outcome) = self.store.import_batch(job, runner, &batch).await? else {
                tracing::warn!(job_id = %job.job_id, "user import taken over or deleted");
                return Ok((None, String::new()));
            };
            failed += batch.failed_before;
            for (line, row) in lines.iter().zip(&outcome.rows) {
                match row {
                    RowOutcome::Imported => {
                        imported += 1;
                        tracing::info!(job_id = %job.job_id, "[SUCCEEDED] Line Number {line} - The import succeeded.");
                    }
                    RowOutcome::Skipped => {
                        skipped += 1;
                        tracing::info!(job_id = %job.job_id, "[SKIPPED] Line Number {line} - The user already exists.");
                    }
                    RowOutcome::AliasTaken(kind) => {
                        failed += 1;
                        tracing::info!(job_id = %job.job_id, "[FAILED] Line Number {line} - Another user has the {} alias.", kind.attribute());
                    }
                }
            }
            if outcome.status == ImportStatus::Stopping {
                return Ok((Some(ImportStatus::Stopped), STOPPED.into()));
            }
        }
        Ok(if failed + skipped > imported {
            (Some(ImportStatus::Failed), TOO_MANY_FAILED.into())
        } else {
            (Some(ImportStatus::Succeeded), SUCCEEDED.into())
        })
    }

    /// Turns a chunk of lines into users, with the line number of each; rows the pool's
    /// rules refuse are logged and counted as failed before the batch reaches the store.
    fn prepare_batch(
        &self,
        pool: &UserPool,
        job: &ImportJob,
        header: &Header,
        chunk: &[(u64, &[u8])],
    ) -> (ImportBatch, Vec<u64>) {
        let mut users = Vec::with_capacity(chunk.len());
        let mut lines = Vec::with_capacity(chunk.len());
        let mut failed_before = 0;
        let now = self.clock.now();
        for (line, text) in chunk {
            let made = header
                .row(pool, text)
                .map_err(|e| e.to_string())
                .and_then(|row| {
                    let mut user = self
                        .new_user(
                            pool,
                            &row.username,
                            &row.attributes,
                            AttributeWriter::Admin,
                            UserStatus::ResetRequired,
                            now,
                        )
                        .map_err(|e| e.to_string())?;
                    super::users::check_required(pool, &user.attributes)
                        .map_err(|e| e.to_string())?;
                    if row.mfa_enabled == Some(true) && user.attributes.contains_key("phone_number")
                    {
                        user.mfa.enabled = vec![MfaFactor::Sms];
                        user.mfa.preferred = Some(MfaFactor::Sms);
                    }
                    Ok(user)
                });
            match made {
                Ok(user) => {
                    let aliases = user.alias_claims(pool);
                    users.push((user, aliases));
                    lines.push(*line);
                }
                Err(why) => {
                    failed_before += 1;
                    tracing::info!(job_id = %job.job_id, "[FAILED] Line Number {line} - {why}");
                }
            }
        }
        let batch = ImportBatch {
            users,
            username_aliases: pool.settings.identifiers.username_attributes.clone(),
            failed_before,
            position: 0,
            lease_until: now.plus_millis(LEASE_MS),
        };
        (batch, lines)
    }
}
