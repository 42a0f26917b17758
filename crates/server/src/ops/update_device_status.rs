//! `UpdateDeviceStatus`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Remembers a device, or stops remembering it.
pub async fn handle(
    state: &AppState,
    req: proto::UpdateDeviceStatusRequest,
) -> Result<proto::UpdateDeviceStatusResponse, ApiError> {
    state
        .keystep
        .update_device_status(
            &req.access_token.0,
            &req.device_key,
            req.device_remembered_status.as_deref(),
        )
        .await?;
    Ok(proto::UpdateDeviceStatusResponse {})
}
