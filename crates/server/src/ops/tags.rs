//! `TagResource`, `UntagResource`, `ListTagsForResource`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Adds or replaces tags.
pub async fn tag(
    state: &AppState,
    req: proto::TagResourceRequest,
) -> Result<proto::TagResourceResponse, ApiError> {
    state
        .keystep
        .tag_resource(&req.resource_arn, &req.tags)
        .await?;
    Ok(proto::TagResourceResponse {})
}

/// Removes tags.
pub async fn untag(
    state: &AppState,
    req: proto::UntagResourceRequest,
) -> Result<proto::UntagResourceResponse, ApiError> {
    state
        .keystep
        .untag_resource(&req.resource_arn, &req.tag_keys)
        .await?;
    Ok(proto::UntagResourceResponse {})
}

/// Lists tags.
pub async fn list(
    state: &AppState,
    req: proto::ListTagsForResourceRequest,
) -> Result<proto::ListTagsForResourceResponse, ApiError> {
    let tags = state
        .keystep
        .list_tags_for_resource(&req.resource_arn)
        .await?;
    Ok(proto::ListTagsForResourceResponse { tags: Some(tags) })
}
