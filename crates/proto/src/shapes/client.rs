//! Shapes describing an app client.

use serde::{Deserialize, Serialize};

use crate::Sensitive;

/// An app client's full configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPoolClient {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// Display name of the app client.
    #[serde(rename = "ClientName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Secret of the app client, when it has one.
    #[serde(rename = "ClientSecret")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Sensitive>,
    /// When it was last changed, in epoch seconds.
    #[serde(rename = "LastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    /// When it was created, in epoch seconds.
    #[serde(rename = "CreationDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
    /// Lifetime of refresh tokens, in `TokenValidityUnits.RefreshToken` (default days).
    #[serde(rename = "RefreshTokenValidity")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_validity: Option<i64>,
    /// Lifetime of access tokens, in `TokenValidityUnits.AccessToken` (default hours).
    #[serde(rename = "AccessTokenValidity")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_validity: Option<i64>,
    /// Lifetime of ID tokens, in `TokenValidityUnits.IdToken` (default hours).
    #[serde(rename = "IdTokenValidity")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token_validity: Option<i64>,
    /// Units of the three token validity values.
    #[serde(rename = "TokenValidityUnits")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_validity_units: Option<TokenValidityUnits>,
    /// Attributes the client may read.
    #[serde(rename = "ReadAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_attributes: Option<Vec<String>>,
    /// Attributes the client may write.
    #[serde(rename = "WriteAttributes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_attributes: Option<Vec<String>>,
    /// Sign-in flows the client may use (see `names::explicit_auth_flows`).
    #[serde(rename = "ExplicitAuthFlows")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit_auth_flows: Option<Vec<String>>,
    /// Identity providers the client may use (`COGNITO`, federated providers).
    #[serde(rename = "SupportedIdentityProviders")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_identity_providers: Option<Vec<String>>,
    /// Allowed redirect URLs after hosted sign-in.
    #[serde(rename = "CallbackURLs")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_urls: Option<Vec<String>>,
    /// Allowed redirect URLs after hosted sign-out.
    #[serde(rename = "LogoutURLs")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logout_urls: Option<Vec<String>>,
    /// Default redirect URL; must be one of `CallbackURLs`.
    #[serde(rename = "DefaultRedirectURI")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_redirect_uri: Option<String>,
    /// OAuth grant types the client may use (`code`, `implicit`, `client_credentials`).
    #[serde(rename = "AllowedOAuthFlows")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_oauth_flows: Option<Vec<String>>,
    /// OAuth scopes the client may request.
    #[serde(rename = "AllowedOAuthScopes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_oauth_scopes: Option<Vec<String>>,
    /// Whether the client may use the OAuth flows above.
    #[serde(rename = "AllowedOAuthFlowsUserPoolClient")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_oauth_flows_user_pool_client: Option<bool>,
    /// Pinpoint analytics settings for the client.
    #[serde(rename = "AnalyticsConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_configuration: Option<AnalyticsConfiguration>,
    /// `ENABLED` hides whether a user exists in error responses; `LEGACY` does not.
    #[serde(rename = "PreventUserExistenceErrors")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prevent_user_existence_errors: Option<String>,
    /// Whether refresh tokens issued to the client can be revoked.
    #[serde(rename = "EnableTokenRevocation")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_token_revocation: Option<bool>,
    /// Whether the client may send `UserContextData` with the caller's IP.
    #[serde(rename = "EnablePropagateAdditionalUserContextData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_propagate_additional_user_context_data: Option<bool>,
    /// Minutes a sign-in `Session` stays valid (3-15).
    #[serde(rename = "AuthSessionValidity")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_session_validity: Option<i64>,
    /// Refresh-token rotation settings.
    #[serde(rename = "RefreshTokenRotation")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<RefreshTokenRotation>,
}

/// Summary of an app client, as listed by `ListUserPoolClients`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPoolClientDescription {
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// Display name of the app client.
    #[serde(rename = "ClientName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
}

/// Units of an app client's token validity values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenValidityUnits {
    /// Unit of `AccessTokenValidity`: `seconds`, `minutes`, `hours` or `days`.
    #[serde(rename = "AccessToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Unit of `IdTokenValidity`.
    #[serde(rename = "IdToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// Unit of `RefreshTokenValidity`.
    #[serde(rename = "RefreshToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// Pinpoint analytics settings of an app client.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsConfiguration {
    /// Id of the Pinpoint project.
    #[serde(rename = "ApplicationId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// ARN of the Pinpoint project.
    #[serde(rename = "ApplicationArn")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_arn: Option<String>,
    /// IAM role ARN.
    #[serde(rename = "RoleArn")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// External id used when assuming the role.
    #[serde(rename = "ExternalId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Whether user data is sent to Pinpoint.
    #[serde(rename = "UserDataShared")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data_shared: Option<bool>,
}

/// Refresh-token rotation settings of an app client.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RefreshTokenRotation {
    /// `ENABLED` or `DISABLED`.
    #[serde(rename = "Feature")]
    pub feature: String,
    /// Seconds during which the previous refresh token still works after rotation.
    #[serde(rename = "RetryGracePeriodSeconds")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_grace_period_seconds: Option<i64>,
}
