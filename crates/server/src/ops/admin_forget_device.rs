//! `AdminForgetDevice`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Forgets a user's device.
pub async fn handle(
    state: &AppState,
    req: proto::AdminForgetDeviceRequest,
) -> Result<proto::AdminForgetDeviceResponse, ApiError> {
    state
        .keystep
        .admin_forget_device(&req.user_pool_id, &req.username, &req.device_key)
        .await?;
    Ok(proto::AdminForgetDeviceResponse {})
}
