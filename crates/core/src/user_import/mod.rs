//! User import jobs (Cognito's CSV import): a job is created with an upload URL, the CSV
//! file is put there, the job is started, and a worker imports the rows in batches while
//! `DescribeUserImportJob` shows its progress.
//!
//! A job's life is [`ImportStatus`]; the only moves are the ones [`ImportStatus::start`],
//! [`ImportStatus::stop`] and the worker's claim and finish make, and the store makes each
//! one as a compare-and-swap on the status, so two `StartUserImportJob` calls, or a stop
//! racing the worker, never both win.

pub mod csv_file;

use crate::pool::AliasKind;
use crate::Millis;

/// How long an upload URL works, and how long a created job waits to be started before it
/// expires (Cognito's pre-signed URL lasts 15 minutes; an unstarted job expires later).
pub const UPLOAD_LIFETIME_MS: i64 = 15 * 60 * 1000;
/// How long a created job that was never started lives before it is `Expired`.
pub const CREATED_LIFETIME_MS: i64 = 24 * 3600 * 1000;
/// The largest CSV file accepted (Cognito: 100 MB).
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;
/// The most rows one file holds (Cognito: 500,000).
pub const MAX_ROWS: u64 = 500_000;
/// How long a worker holds a job it claimed before another node may take it over.
pub const LEASE_MS: i64 = 60 * 1000;
/// The most rows imported in one store transaction.
pub const BATCH_ROWS: usize = 500;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStatus {
    /// Created, waiting for its file and a start.
    Created,
    /// Started, waiting for a worker.
    Pending,
    /// A worker is importing it.
    InProgress,
    /// Asked to stop; the worker stops after the batch in hand.
    Stopping,
    /// Never started in time.
    Expired,
    /// Stopped before the end.
    Stopped,
    /// Could not be read or ran into an error.
    Failed,
    /// Every row was read; each was imported, skipped or failed.
    Succeeded,
}

impl ImportStatus {
    /// Cognito's name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Created => "Created",
            ImportStatus::Pending => "Pending",
            ImportStatus::InProgress => "InProgress",
            ImportStatus::Stopping => "Stopping",
            ImportStatus::Expired => "Expired",
            ImportStatus::Stopped => "Stopped",
            ImportStatus::Failed => "Failed",
            ImportStatus::Succeeded => "Succeeded",
        }
    }

    /// Reads Cognito's name.
    pub fn parse(s: &str) -> Option<ImportStatus> {
        Some(match s {
            "Created" => ImportStatus::Created,
            "Pending" => ImportStatus::Pending,
            "InProgress" => ImportStatus::InProgress,
            "Stopping" => ImportStatus::Stopping,
            "Expired" => ImportStatus::Expired,
            "Stopped" => ImportStatus::Stopped,
            "Failed" => ImportStatus::Failed,
            "Succeeded" => ImportStatus::Succeeded,
            _ => return None,
        })
    }

    /// Whether the job has ended.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ImportStatus::Expired
                | ImportStatus::Stopped
                | ImportStatus::Failed
                | ImportStatus::Succeeded
        )
    }

    /// What `StartUserImportJob` moves a job from, and to.
    pub fn start(self) -> Option<ImportStatus> {
        (self == ImportStatus::Created).then_some(ImportStatus::Pending)
    }

    /// What `StopUserImportJob` moves a job to: a waiting job stops at once, a running
    /// one when its worker sees the request.
    pub fn stop(self) -> Option<ImportStatus> {
        match self {
            ImportStatus::Pending => Some(ImportStatus::Stopped),
            ImportStatus::InProgress => Some(ImportStatus::Stopping),
            _ => None,
        }
    }
}

/// One user import job.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportJob {
    /// The pool.
    pub pool_id: String,
    /// `import-` and 10 random letters and digits.
    pub job_id: String,
    /// Its name.
    pub job_name: String,
    /// The logging role given at creation.
    pub role_arn: String,
    /// Where it is.
    pub status: ImportStatus,
    /// When it was created.
    pub created_at: Millis,
    /// When it was started.
    pub started_at: Option<Millis>,
    /// When it ended.
    pub completed_at: Option<Millis>,
    /// Rows imported.
    pub imported: u64,
    /// Rows skipped.
    pub skipped: u64,
    /// Rows that failed.
    pub failed: u64,
    /// How it ended.
    pub completion_message: Option<String>,
    /// Whether a file has been uploaded.
    pub uploaded: bool,
    /// Data rows consumed so far (where a worker taking the job over resumes).
    pub position: u64,
    /// Until when the upload URL works.
    pub upload_expires_at: Millis,
}

impl ImportJob {
    /// The status it shows at `now`: a created job left unstarted too long is expired
    /// (housekeeping writes that down later; readers must not wait for it).
    pub fn status_at(&self, now: Millis) -> ImportStatus {
        if self.status == ImportStatus::Created && now.0 >= self.created_at.0 + CREATED_LIFETIME_MS
        {
            ImportStatus::Expired
        } else {
            self.status
        }
    }
}

/// What the store did with one row of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOutcome {
    /// The user was created.
    Imported,
    /// A user with the username (or, in username-attribute pools, the e-mail or phone
    /// that is the username) exists already.
    Skipped,
    /// Another user holds one of the row's aliases.
    AliasTaken(AliasKind),
}

/// One batch of rows for the store to import in one transaction.
#[derive(Debug, Clone)]
pub struct ImportBatch {
    /// The users made from the rows that passed the pool's rules, each with the aliases
    /// it claims.
    pub users: Vec<(crate::user::User, Vec<(AliasKind, String)>)>,
    /// The pool's username attributes: a taken alias of these kinds means the user
    /// exists (skipped), not a conflict (failed).
    pub username_aliases: Vec<AliasKind>,
    /// Rows of the batch that failed before reaching the store.
    pub failed_before: u64,
    /// The job's position after the batch (data rows consumed).
    pub position: u64,
    /// The runner's lease, renewed.
    pub lease_until: Millis,
}

/// How one batch went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Per user of the batch, in order.
    pub rows: Vec<RowOutcome>,
    /// The job's status after the batch (a stop request shows here).
    pub status: ImportStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_created_job_starts_and_only_a_live_one_stops() {
        use ImportStatus::*;
        let all = [
            Created, Pending, InProgress, Stopping, Expired, Stopped, Failed, Succeeded,
        ];
        for s in all {
            assert_eq!(ImportStatus::parse(s.as_str()), Some(s));
            assert_eq!(s.start().is_some(), s == Created, "{s:?}");
            assert_eq!(
                s.stop().is_some(),
                matches!(s, Pending | InProgress),
                "{s:?}"
            );
        }
        assert_eq!(InProgress.stop(), Some(Stopping));
        assert_eq!(Pending.stop(), Some(Stopped));
        assert_eq!(ImportStatus::parse("created"), None);
    }

    #[test]
    fn an_unstarted_job_expires() {
        let job = ImportJob {
            pool_id: "p".into(),
            job_id: "import-abc".into(),
            job_name: "n".into(),
            role_arn: "arn".into(),
            status: ImportStatus::Created,
            created_at: Millis(1_000),
            started_at: None,
            completed_at: None,
            imported: 0,
            skipped: 0,
            failed: 0,
            completion_message: None,
            uploaded: false,
            position: 0,
            upload_expires_at: Millis(1_000 + UPLOAD_LIFETIME_MS),
        };
        assert_eq!(job.status_at(Millis(1_000)), ImportStatus::Created);
        assert_eq!(
            job.status_at(Millis(1_000 + CREATED_LIFETIME_MS)),
            ImportStatus::Expired
        );
        let started = ImportJob {
            status: ImportStatus::Pending,
            ..job
        };
        assert_eq!(
            started.status_at(Millis(1_000 + CREATED_LIFETIME_MS)),
            ImportStatus::Pending
        );
    }
}
