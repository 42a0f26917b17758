//! `SetRiskConfiguration` and `DescribeRiskConfiguration`.

use keystep_core::risk::RiskConfiguration;
use keystep_core::service::risk::RiskChange;
use keystep_core::ui_customization::ALL_CLIENTS;
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn shape(
    pool_id: &str,
    found: Option<(String, RiskConfiguration)>,
) -> proto::RiskConfigurationResponse {
    let Some((client_id, c)) = found else {
        return proto::RiskConfigurationResponse {
            risk_configuration: proto::RiskConfigurationType {
                user_pool_id: pool_id.to_string(),
                ..Default::default()
            },
        };
    };
    let list = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    proto::RiskConfigurationResponse {
        risk_configuration: proto::RiskConfigurationType {
            user_pool_id: pool_id.to_string(),
            client_id: (client_id != ALL_CLIENTS).then_some(client_id),
            risk_exception_configuration: Some(proto::RiskExceptionConfigurationType {
                blocked_ip_range_list: list(&c.blocked),
                skipped_ip_range_list: list(&c.skipped),
            }),
            last_modified_date: Some(keystep_core::Millis(c.modified_at).as_secs_f64()),
        },
    }
}

/// Sets the IP exceptions of the pool or a client.
pub async fn set(
    state: &AppState,
    req: proto::SetRiskConfigurationRequest,
) -> Result<proto::RiskConfigurationResponse, ApiError> {
    let exceptions = req.risk_exception_configuration.unwrap_or_default();
    let (client_id, config) = state
        .keystep
        .set_risk_configuration(
            &req.user_pool_id,
            RiskChange {
                client_id: req.client_id,
                compromised_credentials: req.compromised_credentials_risk_configuration.is_some(),
                account_takeover: req.account_takeover_risk_configuration.is_some(),
                blocked: exceptions.blocked_ip_range_list.unwrap_or_default(),
                skipped: exceptions.skipped_ip_range_list.unwrap_or_default(),
            },
        )
        .await?;
    Ok(shape(&req.user_pool_id, Some((client_id, config))))
}

/// Reads the configuration that applies to a client (or the pool's).
pub async fn describe(
    state: &AppState,
    req: proto::DescribeRiskConfigurationRequest,
) -> Result<proto::RiskConfigurationResponse, ApiError> {
    let (pool, found) = state
        .keystep
        .describe_risk_configuration(&req.user_pool_id, req.client_id.as_deref())
        .await?;
    Ok(shape(&pool.id, found))
}
