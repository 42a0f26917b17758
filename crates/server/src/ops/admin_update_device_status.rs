//! `AdminUpdateDeviceStatus`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Remembers a user's device, or stops remembering it.
pub async fn handle(
    state: &AppState,
    req: proto::AdminUpdateDeviceStatusRequest,
) -> Result<proto::AdminUpdateDeviceStatusResponse, ApiError> {
    state
        .keystep
        .admin_update_device_status(
            &req.user_pool_id,
            &req.username,
            &req.device_key,
            req.device_remembered_status.as_deref(),
        )
        .await?;
    Ok(proto::AdminUpdateDeviceStatusResponse {})
}
