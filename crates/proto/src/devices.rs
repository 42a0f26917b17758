//! Remembered devices (device tracking).

use serde::{Deserialize, Serialize};

use crate::{Device, DeviceSecretVerifierConfig, Sensitive};

/// `ConfirmDevice` request: register a device's SRP verifier after sign-in (device tracking).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmDeviceRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// Key of the device (`<region>_<uuid>`).
    #[serde(rename = "DeviceKey")]
    pub device_key: String,
    /// SRP verifier and salt the client generated for the device.
    #[serde(rename = "DeviceSecretVerifierConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfig>,
    /// Human-readable device name.
    #[serde(rename = "DeviceName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
}

/// `ConfirmDevice` response: whether the user must still choose to remember the device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmDeviceResponse {
    /// Whether the user must confirm before the device is remembered.
    #[serde(rename = "UserConfirmationNecessary")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_confirmation_necessary: Option<bool>,
}

/// `GetDevice` request: read one of the user's devices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetDeviceRequest {
    /// Key of the device (`<region>_<uuid>`).
    #[serde(rename = "DeviceKey")]
    pub device_key: String,
    /// Access token of the device's owner.
    #[serde(rename = "AccessToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Sensitive>,
}

/// `GetDevice` response: the device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetDeviceResponse {
    /// The device.
    #[serde(rename = "Device")]
    pub device: Device,
}

/// `ListDevices` request: list the caller's devices, one page at a time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListDevicesRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// Maximum number of devices to return (0-60).
    #[serde(rename = "Limit")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "PaginationToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `ListDevices` response: one page of devices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListDevicesResponse {
    /// The user's devices.
    #[serde(rename = "Devices")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub devices: Option<Vec<Device>>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "PaginationToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `ForgetDevice` request: forget one of the user's devices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ForgetDeviceRequest {
    /// Access token of the device's owner.
    #[serde(rename = "AccessToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Sensitive>,
    /// Key of the device (`<region>_<uuid>`).
    #[serde(rename = "DeviceKey")]
    pub device_key: String,
}

/// `ForgetDevice` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ForgetDeviceResponse {}

/// `UpdateDeviceStatus` request: mark a device remembered or not remembered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateDeviceStatusRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// Key of the device (`<region>_<uuid>`).
    #[serde(rename = "DeviceKey")]
    pub device_key: String,
    /// `remembered` or `not_remembered`.
    #[serde(rename = "DeviceRememberedStatus")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_remembered_status: Option<String>,
}

/// `UpdateDeviceStatus` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateDeviceStatusResponse {}

/// `AdminGetDevice` request: one device of a user, remembered or not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminGetDeviceRequest {
    /// Key of the device.
    #[serde(rename = "DeviceKey")]
    pub device_key: String,
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user (username, alias or `sub`).
    #[serde(rename = "Username")]
    pub username: String,
}

/// `AdminGetDevice` response: the device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminGetDeviceResponse {
    /// The device.
    #[serde(rename = "Device")]
    pub device: Device,
}

/// `AdminListDevices` request: every tracked device of a user, one page at a time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminListDevicesRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user (username, alias or `sub`).
    #[serde(rename = "Username")]
    pub username: String,
    /// Maximum number of devices to return (0-60).
    #[serde(rename = "Limit")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Token for the next page.
    #[serde(rename = "PaginationToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `AdminListDevices` response: one page of devices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminListDevicesResponse {
    /// The user's devices.
    #[serde(rename = "Devices")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub devices: Option<Vec<Device>>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "PaginationToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `AdminUpdateDeviceStatus` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminUpdateDeviceStatusRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user (username, alias or `sub`).
    #[serde(rename = "Username")]
    pub username: String,
    /// Key of the device.
    #[serde(rename = "DeviceKey")]
    pub device_key: String,
    /// `remembered` or `not_remembered`.
    #[serde(rename = "DeviceRememberedStatus")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_remembered_status: Option<String>,
}

/// `AdminUpdateDeviceStatus` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminUpdateDeviceStatusResponse {}

/// `AdminForgetDevice` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminForgetDeviceRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user (username, alias or `sub`).
    #[serde(rename = "Username")]
    pub username: String,
    /// Key of the device.
    #[serde(rename = "DeviceKey")]
    pub device_key: String,
}

/// `AdminForgetDevice` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminForgetDeviceResponse {}
