//! `GetCSVHeader` and the user import job operations.

use keystep_core::user_import::ImportJob;
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn shape(state: &AppState, job: &ImportJob) -> proto::UserImportJobType {
    proto::UserImportJobType {
        job_name: job.job_name.clone(),
        job_id: job.job_id.clone(),
        user_pool_id: job.pool_id.clone(),
        pre_signed_url: Some(state.keystep.import_upload_url(job)),
        creation_date: job.created_at.as_secs_f64(),
        start_date: job.started_at.map(|t| t.as_secs_f64()),
        completion_date: job.completed_at.map(|t| t.as_secs_f64()),
        status: job.status.as_str().to_string(),
        cloud_watch_logs_role_arn: job.role_arn.clone(),
        imported_users: job.imported as i64,
        skipped_users: job.skipped as i64,
        failed_users: job.failed as i64,
        completion_message: job.completion_message.clone(),
    }
}

fn one(state: &AppState, job: &ImportJob) -> proto::UserImportJobResponse {
    proto::UserImportJobResponse {
        user_import_job: shape(state, job),
    }
}

/// `GetCSVHeader`.
pub async fn csv_header(
    state: &AppState,
    req: proto::GetCsvHeaderRequest,
) -> Result<proto::GetCsvHeaderResponse, ApiError> {
    let header = state.keystep.get_csv_header(&req.user_pool_id).await?;
    Ok(proto::GetCsvHeaderResponse {
        user_pool_id: req.user_pool_id,
        csv_header: header,
    })
}

/// `CreateUserImportJob`.
pub async fn create(
    state: &AppState,
    req: proto::CreateUserImportJobRequest,
) -> Result<proto::UserImportJobResponse, ApiError> {
    let job = state
        .keystep
        .create_user_import_job(
            &req.user_pool_id,
            &req.job_name,
            &req.cloud_watch_logs_role_arn,
        )
        .await?;
    Ok(one(state, &job))
}

/// `StartUserImportJob`; wakes this node's importer.
pub async fn start(
    state: &AppState,
    req: proto::UserImportJobRequest,
) -> Result<proto::UserImportJobResponse, ApiError> {
    let job = state
        .keystep
        .start_user_import_job(&req.user_pool_id, &req.job_id)
        .await?;
    state.importer_wake.notify_one();
    Ok(one(state, &job))
}

/// `StopUserImportJob`.
pub async fn stop(
    state: &AppState,
    req: proto::UserImportJobRequest,
) -> Result<proto::UserImportJobResponse, ApiError> {
    let job = state
        .keystep
        .stop_user_import_job(&req.user_pool_id, &req.job_id)
        .await?;
    Ok(one(state, &job))
}

/// `DescribeUserImportJob`.
pub async fn describe(
    state: &AppState,
    req: proto::UserImportJobRequest,
) -> Result<proto::UserImportJobResponse, ApiError> {
    let job = state
        .keystep
        .describe_user_import_job(&req.user_pool_id, &req.job_id)
        .await?;
    Ok(one(state, &job))
}

/// `ListUserImportJobs`.
pub async fn list(
    state: &AppState,
    req: proto::ListUserImportJobsRequest,
) -> Result<proto::ListUserImportJobsResponse, ApiError> {
    let page = state
        .keystep
        .list_user_import_jobs(
            &req.user_pool_id,
            req.max_results,
            req.pagination_token.as_deref(),
        )
        .await?;
    Ok(proto::ListUserImportJobsResponse {
        user_import_jobs: page.items.iter().map(|j| shape(state, j)).collect(),
        pagination_token: page.next,
    })
}
