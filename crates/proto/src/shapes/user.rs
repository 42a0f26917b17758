//! Users, attributes, groups, devices and code delivery.

use serde::{Deserialize, Serialize};

use crate::MfaOption;

/// A user attribute as a name/value pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// Name of the attribute (`email`, `custom:tier`, ...).
    #[serde(rename = "Name")]
    pub name: String,
    /// Value of the attribute.
    #[serde(rename = "Value")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A user as returned by admin operations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Canonical username of the user.
    #[serde(rename = "Username")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's attributes.
    #[serde(rename = "Attributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    /// When the user was created, in epoch seconds.
    #[serde(rename = "UserCreateDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_create_date: Option<f64>,
    /// When the user was last changed, in epoch seconds.
    #[serde(rename = "UserLastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_last_modified_date: Option<f64>,
    /// Whether the user may sign in.
    #[serde(rename = "Enabled")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Account status (see `names::user_status`).
    #[serde(rename = "UserStatus")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_status: Option<String>,
    /// Legacy SMS MFA settings of the user.
    #[serde(rename = "MFAOptions")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_options: Option<Vec<MfaOption>>,
}

/// A group of users.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Name of the group.
    #[serde(rename = "GroupName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// Free-text description of the group.
    #[serde(rename = "Description")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// IAM role ARN attached to the group (`cognito:preferred_role`).
    #[serde(rename = "RoleArn")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Rank of the group when a user is in several (lower wins).
    #[serde(rename = "Precedence")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedence: Option<i64>,
    /// When the group was last changed, in epoch seconds.
    #[serde(rename = "LastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    /// When the group was created, in epoch seconds.
    #[serde(rename = "CreationDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
}

/// Where and how a one-time code was sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeDeliveryDetails {
    /// Masked address the code was sent to (for example `a***@e***`).
    #[serde(rename = "Destination")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// How the code was sent: `SMS` or `EMAIL`.
    #[serde(rename = "DeliveryMedium")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_medium: Option<String>,
    /// Name of the user attribute concerned (for example `email`).
    #[serde(rename = "AttributeName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

/// A remembered (or tracked) device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Key of the device.
    #[serde(rename = "DeviceKey")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// Device attributes such as `device_name`, `last_ip_used`, `device_status`.
    #[serde(rename = "DeviceAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_attributes: Option<Vec<Attribute>>,
    /// When the device was first confirmed, in epoch seconds.
    #[serde(rename = "DeviceCreateDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_create_date: Option<f64>,
    /// When the device record last changed, in epoch seconds.
    #[serde(rename = "DeviceLastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_last_modified_date: Option<f64>,
    /// When the device last signed in, in epoch seconds.
    #[serde(rename = "DeviceLastAuthenticatedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_last_authenticated_date: Option<f64>,
}
