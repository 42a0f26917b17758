//! Resource servers (OAuth 2.0 APIs and their custom scopes).

use serde::{Deserialize, Serialize};

/// One custom scope of a resource server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceServerScope {
    /// The scope's name (the part after `<identifier>/`).
    #[serde(rename = "ScopeName")]
    pub scope_name: String,
    /// What it grants.
    #[serde(rename = "ScopeDescription")]
    pub scope_description: String,
}

/// A resource server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceServerType {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// Its identifier.
    #[serde(rename = "Identifier")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Its name.
    #[serde(rename = "Name")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its scopes.
    #[serde(rename = "Scopes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<ResourceServerScope>>,
}

/// `CreateResourceServer` / `UpdateResourceServer` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PutResourceServerRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The identifier.
    #[serde(rename = "Identifier")]
    pub identifier: String,
    /// The name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The scopes.
    #[serde(rename = "Scopes")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<ResourceServerScope>>,
}

/// `CreateResourceServer` / `UpdateResourceServer` / `DescribeResourceServer` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceServerResponse {
    /// The resource server.
    #[serde(rename = "ResourceServer")]
    pub resource_server: ResourceServerType,
}

/// `DescribeResourceServer` / `DeleteResourceServer` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceServerKeyRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The identifier.
    #[serde(rename = "Identifier")]
    pub identifier: String,
}

/// `DeleteResourceServer` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteResourceServerResponse {}

/// `ListResourceServers` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListResourceServersRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Page size (1-50).
    #[serde(rename = "MaxResults")]
    pub max_results: i64,
    /// Token of the page to read.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListResourceServers` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListResourceServersResponse {
    /// The pool's resource servers.
    #[serde(rename = "ResourceServers")]
    pub resource_servers: Vec<ResourceServerType>,
    /// Token of the next page; absent on the last.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
