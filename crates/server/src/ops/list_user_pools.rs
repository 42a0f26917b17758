//! `ListUserPools`.

use keystep_proto as proto;

use super::shape_pool::render_lambda_config;
use crate::{ApiError, AppState};

/// Lists pools, one page at a time.
pub async fn handle(
    state: &AppState,
    req: proto::ListUserPoolsRequest,
) -> Result<proto::ListUserPoolsResponse, ApiError> {
    let (pools, next) = state
        .keystep
        .list_user_pools(req.max_results, req.next_token.as_deref())
        .await?;
    let user_pools = pools
        .into_iter()
        .map(|p| proto::UserPoolDescription {
            id: Some(p.id),
            name: Some(p.name),
            lambda_config: Some(render_lambda_config(&p.settings.lambda)),
            status: Some("Enabled".into()),
            creation_date: Some(p.created_at.as_secs_f64()),
            last_modified_date: Some(p.modified_at.as_secs_f64()),
        })
        .collect();
    Ok(proto::ListUserPoolsResponse {
        user_pools: Some(user_pools),
        next_token: next,
    })
}
