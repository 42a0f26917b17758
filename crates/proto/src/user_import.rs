//! User import jobs: a CSV of users uploaded to a pre-signed URL, then imported.

use serde::{Deserialize, Serialize};

/// `GetCSVHeader` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetCsvHeaderRequest {
    /// The pool the users are for.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `GetCSVHeader` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetCsvHeaderResponse {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The columns an import file has, in order.
    #[serde(rename = "CSVHeader")]
    pub csv_header: Vec<String>,
}

/// One user import job.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserImportJobType {
    /// Its name.
    #[serde(rename = "JobName")]
    pub job_name: String,
    /// Its id (`import-…`).
    #[serde(rename = "JobId")]
    pub job_id: String,
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Where the CSV file is uploaded (`PUT`) while the job is `Created`.
    #[serde(rename = "PreSignedUrl")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_signed_url: Option<String>,
    /// When it was created (epoch seconds).
    #[serde(rename = "CreationDate")]
    pub creation_date: f64,
    /// When it was started.
    #[serde(rename = "StartDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<f64>,
    /// When it ended.
    #[serde(rename = "CompletionDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_date: Option<f64>,
    /// `Created`, `Pending`, `InProgress`, `Stopping`, `Expired`, `Stopped`, `Failed` or
    /// `Succeeded`.
    #[serde(rename = "Status")]
    pub status: String,
    /// The logging role given at creation (kept, not used: Keystep logs to stdout).
    #[serde(rename = "CloudWatchLogsRoleArn")]
    pub cloud_watch_logs_role_arn: String,
    /// Users imported so far.
    #[serde(rename = "ImportedUsers")]
    pub imported_users: i64,
    /// Users skipped.
    #[serde(rename = "SkippedUsers")]
    pub skipped_users: i64,
    /// Rows that failed.
    #[serde(rename = "FailedUsers")]
    pub failed_users: i64,
    /// How it ended.
    #[serde(rename = "CompletionMessage")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_message: Option<String>,
}

/// `CreateUserImportJob` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateUserImportJobRequest {
    /// The job's name.
    #[serde(rename = "JobName")]
    pub job_name: String,
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The logging role (required by Cognito; stored as given).
    #[serde(rename = "CloudWatchLogsRoleArn")]
    pub cloud_watch_logs_role_arn: String,
}

/// `StartUserImportJob`, `StopUserImportJob` and `DescribeUserImportJob` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserImportJobRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The job.
    #[serde(rename = "JobId")]
    pub job_id: String,
}

/// The response of every single-job import operation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserImportJobResponse {
    /// The job as it is after the call.
    #[serde(rename = "UserImportJob")]
    pub user_import_job: UserImportJobType,
}

/// `ListUserImportJobs` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserImportJobsRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Page size, 1–60.
    #[serde(rename = "MaxResults")]
    pub max_results: i64,
    /// Where the previous page ended.
    #[serde(rename = "PaginationToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `ListUserImportJobs` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserImportJobsResponse {
    /// The jobs, oldest first.
    #[serde(rename = "UserImportJobs")]
    pub user_import_jobs: Vec<UserImportJobType>,
    /// Present when more jobs follow.
    #[serde(rename = "PaginationToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}
