//! App clients of a user pool.

use serde::{Deserialize, Serialize};

use crate::{
    AnalyticsConfiguration, RefreshTokenRotation, Sensitive, TokenValidityUnits, UserPoolClient,
    UserPoolClientDescription,
};

/// `CreateUserPoolClient` request: create an app client in a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateUserPoolClientRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Display name of the app client.
    #[serde(rename = "ClientName")]
    pub client_name: String,
    /// Whether to generate a client secret.
    #[serde(rename = "GenerateSecret")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_secret: Option<bool>,
    /// A client secret to use instead of a generated one.
    #[serde(rename = "ClientSecret")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Sensitive>,
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

/// `CreateUserPoolClient` response: the app client as created (with its secret, if generated).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateUserPoolClientResponse {
    /// The app client.
    #[serde(rename = "UserPoolClient")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_client: Option<UserPoolClient>,
}

/// `DescribeUserPoolClient` request: read an app client's configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeUserPoolClientRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
}

/// `DescribeUserPoolClient` response: the app client's configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeUserPoolClientResponse {
    /// The app client.
    #[serde(rename = "UserPoolClient")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_client: Option<UserPoolClient>,
}

/// `ListUserPoolClients` request: list a pool's app clients, one page at a time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserPoolClientsRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Maximum number of items to return.
    #[serde(rename = "MaxResults")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListUserPoolClients` response: one page of app clients.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserPoolClientsResponse {
    /// App clients on this page.
    #[serde(rename = "UserPoolClients")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_clients: Option<Vec<UserPoolClientDescription>>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `UpdateUserPoolClient` request: replace an app client's settings; members left out are reset to their defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateUserPoolClientRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// New display name of the app client.
    #[serde(rename = "ClientName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
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

/// `UpdateUserPoolClient` response: the app client as updated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateUserPoolClientResponse {
    /// The app client.
    #[serde(rename = "UserPoolClient")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_client: Option<UserPoolClient>,
}

/// `DeleteUserPoolClient` request: delete an app client.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPoolClientRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
}

/// `DeleteUserPoolClient` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPoolClientResponse {}

/// `ClientSecretDescriptor`: one secret of an app client.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientSecretDescriptor {
    /// `ClientSecretId`.
    #[serde(rename = "ClientSecretId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_id: Option<String>,
    /// `ClientSecretValue`: only when the secret was just added.
    #[serde(rename = "ClientSecretValue")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_value: Option<crate::Sensitive>,
    /// `ClientSecretCreateDate`, epoch seconds.
    #[serde(rename = "ClientSecretCreateDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_create_date: Option<f64>,
}

/// `AddUserPoolClientSecret` request: a second secret for a rotation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AddUserPoolClientSecretRequest {
    /// Id of the user pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// The secret to add; one is made when absent.
    #[serde(rename = "ClientSecret")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<crate::Sensitive>,
}

/// `AddUserPoolClientSecret` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AddUserPoolClientSecretResponse {
    /// The new secret, with its value.
    #[serde(rename = "ClientSecretDescriptor")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_descriptor: Option<ClientSecretDescriptor>,
}

/// `ListUserPoolClientSecrets` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserPoolClientSecretsRequest {
    /// Id of the user pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Ignored: a client has at most two secrets, listed at once.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListUserPoolClientSecrets` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserPoolClientSecretsResponse {
    /// The client's secrets, without values.
    #[serde(rename = "ClientSecrets")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secrets: Option<Vec<ClientSecretDescriptor>>,
}

/// `DeleteUserPoolClientSecret` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPoolClientSecretRequest {
    /// Id of the user pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// `ClientSecretId` of the secret to delete.
    #[serde(rename = "ClientSecretId")]
    pub client_secret_id: String,
}

/// `DeleteUserPoolClientSecret` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPoolClientSecretResponse {}
