//! `DescribeUserPool`.

use keystep_proto as proto;

use super::shape_pool::render_pool;
use crate::{ApiError, AppState};

/// Shows a pool's configuration.
pub async fn handle(
    state: &AppState,
    req: proto::DescribeUserPoolRequest,
) -> Result<proto::DescribeUserPoolResponse, ApiError> {
    let view = state.keystep.describe_user_pool(&req.user_pool_id).await?;
    Ok(proto::DescribeUserPoolResponse {
        user_pool: Some(render_pool(&view)),
    })
}
