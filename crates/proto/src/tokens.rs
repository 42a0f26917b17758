//! Refreshing and revoking tokens.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{AuthenticationResult, Sensitive};

/// `GetTokensFromRefreshToken` request: exchange a refresh token for new tokens.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetTokensFromRefreshTokenRequest {
    /// The refresh token to exchange.
    #[serde(rename = "RefreshToken")]
    pub refresh_token: Sensitive,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Secret of the app client (the raw secret, not a hash), when it has one.
    #[serde(rename = "ClientSecret")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Sensitive>,
    /// Key of the device (`<region>_<uuid>`).
    #[serde(rename = "DeviceKey")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `GetTokensFromRefreshToken` response: the new tokens.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetTokensFromRefreshTokenResponse {
    /// Tokens issued when the sign-in is complete.
    #[serde(rename = "AuthenticationResult")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
}

/// `RevokeToken` request: revoke a refresh token and the access tokens issued from it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RevokeTokenRequest {
    /// Refresh token to revoke.
    #[serde(rename = "Token")]
    pub token: Sensitive,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Secret of the app client, when it has one.
    #[serde(rename = "ClientSecret")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Sensitive>,
}

/// `RevokeToken` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RevokeTokenResponse {}

/// `GlobalSignOut` request: revoke all of the caller's refresh tokens.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GlobalSignOutRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
}

/// `GlobalSignOut` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GlobalSignOutResponse {}
