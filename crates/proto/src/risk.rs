//! Risk configuration (threat protection's per-pool and per-client settings).

use serde::{Deserialize, Serialize};

/// `RiskExceptionConfiguration`: addresses always blocked, or never risk-checked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskExceptionConfigurationType {
    /// CIDR ranges whose sign-ins are refused.
    #[serde(rename = "BlockedIPRangeList")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_ip_range_list: Option<Vec<String>>,
    /// CIDR ranges exempt from risk detection.
    #[serde(rename = "SkippedIPRangeList")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped_ip_range_list: Option<Vec<String>>,
}

/// `SetRiskConfiguration` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetRiskConfigurationRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// A client; absent: the pool's configuration.
    #[serde(rename = "ClientId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Refused when present (no compromised-credentials database).
    #[serde(rename = "CompromisedCredentialsRiskConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compromised_credentials_risk_configuration: Option<serde_json::Value>,
    /// Refused when present (no risk engine).
    #[serde(rename = "AccountTakeoverRiskConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_takeover_risk_configuration: Option<serde_json::Value>,
    /// The IP exceptions.
    #[serde(rename = "RiskExceptionConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_exception_configuration: Option<RiskExceptionConfigurationType>,
}

/// `DescribeRiskConfiguration` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribeRiskConfigurationRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// A client; absent: the pool's configuration.
    #[serde(rename = "ClientId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// One risk configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskConfigurationType {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The client it is for (absent: the pool's).
    #[serde(rename = "ClientId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The IP exceptions.
    #[serde(rename = "RiskExceptionConfiguration")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_exception_configuration: Option<RiskExceptionConfigurationType>,
    /// When it was set.
    #[serde(rename = "LastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
}

/// `SetRiskConfiguration` / `DescribeRiskConfiguration` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskConfigurationResponse {
    /// The configuration.
    #[serde(rename = "RiskConfiguration")]
    pub risk_configuration: RiskConfigurationType,
}
