//! `ForgetDevice`.

use keystep_proto as proto;

use super::shape_auth::missing_access_token;
use crate::{ApiError, AppState};

/// Forgets one of the caller's devices.
pub async fn handle(
    state: &AppState,
    req: proto::ForgetDeviceRequest,
) -> Result<proto::ForgetDeviceResponse, ApiError> {
    let token = req.access_token.ok_or_else(missing_access_token)?;
    state
        .keystep
        .forget_device(&token.0, &req.device_key)
        .await?;
    Ok(proto::ForgetDeviceResponse {})
}
