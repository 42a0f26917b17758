//! `GetDevice`.

use keystep_proto as proto;

use super::shape_auth::missing_access_token;
use super::shape_device::render_device;
use crate::{ApiError, AppState};

/// One of the caller's remembered devices.
pub async fn handle(
    state: &AppState,
    req: proto::GetDeviceRequest,
) -> Result<proto::GetDeviceResponse, ApiError> {
    let token = req.access_token.ok_or_else(missing_access_token)?;
    let v = state.keystep.get_device(&token.0, &req.device_key).await?;
    Ok(proto::GetDeviceResponse {
        device: render_device(&v),
    })
}
