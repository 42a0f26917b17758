//! Sign-in results and request context.

use serde::{Deserialize, Serialize};

use crate::Sensitive;

/// Tokens issued at the end of a sign-in or refresh.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthenticationResult {
    /// Access token (JWT).
    #[serde(rename = "AccessToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<Sensitive>,
    /// Lifetime of the access token, in seconds.
    #[serde(rename = "ExpiresIn")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// Always `Bearer`.
    #[serde(rename = "TokenType")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Refresh token; absent on refresh unless rotation is enabled.
    #[serde(rename = "RefreshToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Sensitive>,
    /// ID token (JWT).
    #[serde(rename = "IdToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Sensitive>,
    /// Keys for a device the client should now confirm and may remember.
    #[serde(rename = "NewDeviceMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

/// Keys for a newly seen device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewDeviceMetadata {
    /// Key of the new device.
    #[serde(rename = "DeviceKey")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// Device group key, used as the SRP pool name of device authentication.
    #[serde(rename = "DeviceGroupKey")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_group_key: Option<String>,
}

/// Pinpoint analytics metadata of a request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsMetadata {
    /// Pinpoint endpoint id of the caller.
    #[serde(rename = "AnalyticsEndpointId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_endpoint_id: Option<String>,
}

/// Threat-protection data collected by a client SDK.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserContextData {
    /// IP address of the end user.
    #[serde(rename = "IpAddress")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Opaque device fingerprint collected by the client SDK.
    #[serde(rename = "EncodedData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoded_data: Option<String>,
}

/// Threat-protection data forwarded by a backend.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContextData {
    /// IP address of the end user.
    #[serde(rename = "IpAddress")]
    pub ip_address: String,
    /// Host name of the backend that received the request.
    #[serde(rename = "ServerName")]
    pub server_name: String,
    /// Path of the backend request.
    #[serde(rename = "ServerPath")]
    pub server_path: String,
    /// HTTP headers of the end user's request.
    #[serde(rename = "HttpHeaders")]
    pub http_headers: Vec<HttpHeader>,
    /// Opaque device fingerprint collected by the client SDK.
    #[serde(rename = "EncodedData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoded_data: Option<String>,
}

/// One HTTP header of the end user's request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HttpHeader {
    /// Header name.
    #[serde(rename = "headerName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
    /// Header value.
    #[serde(rename = "headerValue")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_value: Option<String>,
}

/// SRP verifier of a device secret.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceSecretVerifierConfig {
    /// SRP verifier of the device secret (base64).
    #[serde(rename = "PasswordVerifier")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_verifier: Option<Sensitive>,
    /// Salt of the device SRP verifier (base64).
    #[serde(rename = "Salt")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<Sensitive>,
}
