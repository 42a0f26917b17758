//! `AdminListDevices`.

use keystep_proto as proto;

use super::shape_device::render_page;
use crate::{ApiError, AppState};

/// Every tracked device of a user, a page at a time.
pub async fn handle(
    state: &AppState,
    req: proto::AdminListDevicesRequest,
) -> Result<proto::AdminListDevicesResponse, ApiError> {
    let page = state
        .keystep
        .admin_list_devices(
            &req.user_pool_id,
            &req.username,
            req.limit,
            req.pagination_token.as_deref(),
        )
        .await?;
    let (devices, pagination_token) = render_page(&page);
    Ok(proto::AdminListDevicesResponse {
        devices,
        pagination_token,
    })
}
