//! `ListDevices`.

use keystep_proto as proto;

use super::shape_device::render_page;
use crate::{ApiError, AppState};

/// The caller's remembered devices, a page at a time.
pub async fn handle(
    state: &AppState,
    req: proto::ListDevicesRequest,
) -> Result<proto::ListDevicesResponse, ApiError> {
    let page = state
        .keystep
        .list_devices(
            &req.access_token.0,
            req.limit,
            req.pagination_token.as_deref(),
        )
        .await?;
    let (devices, pagination_token) = render_page(&page);
    Ok(proto::ListDevicesResponse {
        devices,
        pagination_token,
    })
}
