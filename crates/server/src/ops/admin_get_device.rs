//! `AdminGetDevice`.

use keystep_proto as proto;

use super::shape_device::render_device;
use crate::{ApiError, AppState};

/// One tracked device of a user, remembered or not.
pub async fn handle(
    state: &AppState,
    req: proto::AdminGetDeviceRequest,
) -> Result<proto::AdminGetDeviceResponse, ApiError> {
    let v = state
        .keystep
        .admin_get_device(&req.user_pool_id, &req.username, &req.device_key)
        .await?;
    Ok(proto::AdminGetDeviceResponse {
        device: render_device(&v),
    })
}
