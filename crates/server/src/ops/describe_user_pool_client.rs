//! `DescribeUserPoolClient`.

use keystep_proto as proto;

use super::shape_client::render_client;
use crate::{ApiError, AppState};

/// Shows an app client, its secret included.
pub async fn handle(
    state: &AppState,
    req: proto::DescribeUserPoolClientRequest,
) -> Result<proto::DescribeUserPoolClientResponse, ApiError> {
    let view = state
        .keystep
        .describe_user_pool_client(&req.user_pool_id, &req.client_id)
        .await?;
    Ok(proto::DescribeUserPoolClientResponse {
        user_pool_client: Some(render_client(&view.client, view.secret.as_deref())),
    })
}
