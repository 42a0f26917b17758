//! The wire view of a device (`DeviceType`) and of a page of them.

use keystep_core::service::devices::{DevicePage, DeviceView};
use keystep_proto as proto;

/// `DeviceType`.
pub fn render_device(v: &DeviceView) -> proto::Device {
    proto::Device {
        device_key: Some(v.key.clone()),
        device_attributes: Some(
            v.attributes
                .iter()
                .map(|(name, value)| proto::Attribute {
                    name: name.clone(),
                    value: Some(value.clone()),
                })
                .collect(),
        ),
        device_create_date: Some(v.created_at.as_secs_f64()),
        device_last_modified_date: Some(v.modified_at.as_secs_f64()),
        device_last_authenticated_date: v.last_authenticated_at.map(|m| m.as_secs_f64()),
    }
}

/// `Devices` and `PaginationToken` of a page.
pub fn render_page(page: &DevicePage) -> (Option<Vec<proto::Device>>, Option<String>) {
    (
        Some(page.devices.iter().map(render_device).collect()),
        page.next.clone(),
    )
}
