//! User pool domains (prefix and custom) for the hosted pages and OAuth endpoints.

use serde::{Deserialize, Serialize};

/// `CustomDomainConfig`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomDomainConfig {
    /// The ACM certificate of the custom domain.
    #[serde(rename = "CertificateArn")]
    pub certificate_arn: String,
}

/// `CreateUserPoolDomain` / `UpdateUserPoolDomain` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PutUserPoolDomainRequest {
    /// The prefix, or the custom domain.
    #[serde(rename = "Domain")]
    pub domain: String,
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// 1 (classic hosted UI) or 2 (managed login).
    #[serde(rename = "ManagedLoginVersion")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<i64>,
    /// Present for a custom domain.
    #[serde(rename = "CustomDomainConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_domain_config: Option<CustomDomainConfig>,
}

/// `CreateUserPoolDomain` / `UpdateUserPoolDomain` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PutUserPoolDomainResponse {
    /// For a custom domain: where its DNS name should point.
    #[serde(rename = "CloudFrontDomain")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_front_domain: Option<String>,
    /// The managed-login version.
    #[serde(rename = "ManagedLoginVersion")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<i64>,
}

/// `DescribeUserPoolDomain` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeUserPoolDomainRequest {
    /// The prefix, or the custom domain.
    #[serde(rename = "Domain")]
    pub domain: String,
}

/// `DomainDescriptionType`: empty when no pool has the domain.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainDescription {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// The account.
    #[serde(rename = "AWSAccountId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    /// The domain.
    #[serde(rename = "Domain")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Where a custom domain's DNS name should point.
    #[serde(rename = "CloudFrontDistribution")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_front_distribution: Option<String>,
    /// `ACTIVE`.
    #[serde(rename = "Status")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The custom domain's certificate.
    #[serde(rename = "CustomDomainConfig")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_domain_config: Option<CustomDomainConfig>,
    /// The managed-login version.
    #[serde(rename = "ManagedLoginVersion")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<i64>,
}

/// `DescribeUserPoolDomain` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeUserPoolDomainResponse {
    /// The domain, or an empty object.
    #[serde(rename = "DomainDescription")]
    pub domain_description: DomainDescription,
}

/// `DeleteUserPoolDomain` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPoolDomainRequest {
    /// The domain.
    #[serde(rename = "Domain")]
    pub domain: String,
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `DeleteUserPoolDomain` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteUserPoolDomainResponse {}
