//! User import on the HTTP side: the pre-signed upload URL (`PUT
//! /user-import/<poolId>/<jobId>?X-Amz-Signature=…`, answered the way S3 answers) and
//! the importer task that runs started jobs.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use keystep_core::service::user_import::Upload;
use keystep_core::service::Keystep;
use keystep_core::user_import::MAX_FILE_BYTES;

use crate::AppState;

/// How often the importer looks for jobs started on other nodes.
const POLL: Duration = Duration::from_secs(2);

/// The query of an upload URL.
#[derive(Debug, serde::Deserialize)]
pub struct UploadQuery {
    #[serde(rename = "X-Amz-Signature")]
    signature: Option<String>,
}

/// An S3-style error document.
fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    );
    (status, [("content-type", "application/xml")], body).into_response()
}

fn denied() -> Response {
    s3_error(
        StatusCode::FORBIDDEN,
        "AccessDenied",
        "The upload URL is not valid: it expired, the job was started, or it was altered.",
    )
}

/// `PUT` of a job's CSV file. The URL is checked before the body is read, so only a
/// holder of a live URL makes the server take in up to 100 MB.
pub async fn upload(
    State(state): State<AppState>,
    Path((pool_id, job_id)): Path<(String, String)>,
    Query(query): Query<UploadQuery>,
    body: Body,
) -> Response {
    let Some(token) = query.signature.filter(|t| t.len() <= 128) else {
        return denied();
    };
    match state
        .keystep
        .import_upload_open(&pool_id, &job_id, &token)
        .await
    {
        Ok(true) => {}
        Ok(false) => return denied(),
        Err(e) => return crate::ApiError::from(e).into_response(),
    }
    let file = match axum::body::to_bytes(body, MAX_FILE_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return s3_error(
                StatusCode::BAD_REQUEST,
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size (100 MB).",
            )
        }
    };
    match state
        .keystep
        .upload_import_file(&pool_id, &job_id, &token, &file)
        .await
    {
        Ok(Upload::Stored) => StatusCode::OK.into_response(),
        Ok(Upload::Refused) => denied(),
        Err(e) => crate::ApiError::from(e).into_response(),
    }
}

/// Runs started import jobs until `shutdown` resolves: at once when a start on this node
/// wakes it, else every two seconds (jobs started on other nodes, jobs whose node
/// stopped). Also expires jobs never started. A pass that fails is logged and tried again.
pub async fn run_importer(
    keystep: Keystep,
    wake: std::sync::Arc<tokio::sync::Notify>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let runner = keystep_core::ids::new_uuid(&*keystep.rng);
    tokio::pin!(shutdown);
    loop {
        if let Err(e) = keystep.expire_import_jobs().await {
            tracing::warn!(error = %e, "expiring user import jobs failed");
        }
        loop {
            let step = keystep.run_import_job(&runner);
            tokio::select! {
                _ = &mut shutdown => return,
                done = step => match done {
                    Ok(true) => continue,
                    Ok(false) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "user import pass failed");
                        break;
                    }
                },
            }
        }
        tokio::select! {
            _ = &mut shutdown => return,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}
