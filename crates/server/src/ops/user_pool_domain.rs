//! `CreateUserPoolDomain`, `DescribeUserPoolDomain`, `UpdateUserPoolDomain`,
//! `DeleteUserPoolDomain` (one module: the four share their shapes).

use keystep_core::service::domains::DomainAnswer;
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn answer(a: DomainAnswer) -> proto::PutUserPoolDomainResponse {
    proto::PutUserPoolDomainResponse {
        cloud_front_domain: a.cloud_front_domain,
        managed_login_version: Some(a.managed_login_version),
    }
}

/// `CreateUserPoolDomain`.
pub async fn create(
    state: &AppState,
    req: proto::PutUserPoolDomainRequest,
) -> Result<proto::PutUserPoolDomainResponse, ApiError> {
    let a = state
        .keystep
        .create_user_pool_domain(
            &req.user_pool_id,
            &req.domain,
            req.custom_domain_config
                .as_ref()
                .map(|c| c.certificate_arn.as_str()),
            req.managed_login_version,
        )
        .await?;
    Ok(answer(a))
}

/// `UpdateUserPoolDomain`.
pub async fn update(
    state: &AppState,
    req: proto::PutUserPoolDomainRequest,
) -> Result<proto::PutUserPoolDomainResponse, ApiError> {
    let a = state
        .keystep
        .update_user_pool_domain(
            &req.user_pool_id,
            &req.domain,
            req.custom_domain_config
                .as_ref()
                .map(|c| c.certificate_arn.as_str()),
            req.managed_login_version,
        )
        .await?;
    Ok(answer(a))
}

/// `DescribeUserPoolDomain`.
pub async fn describe(
    state: &AppState,
    req: proto::DescribeUserPoolDomainRequest,
) -> Result<proto::DescribeUserPoolDomainResponse, ApiError> {
    let found = state.keystep.describe_user_pool_domain(&req.domain).await?;
    let account = state.keystep.config.account_id.clone();
    Ok(proto::DescribeUserPoolDomainResponse {
        domain_description: found
            .map(|d| proto::DomainDescription {
                user_pool_id: Some(d.pool_id.clone()),
                aws_account_id: Some(account),
                domain: Some(d.domain.clone()),
                cloud_front_distribution: None,
                status: Some("ACTIVE".into()),
                custom_domain_config: d.certificate_arn.clone().map(|arn| {
                    proto::CustomDomainConfig {
                        certificate_arn: arn,
                    }
                }),
                managed_login_version: Some(d.managed_login_version),
            })
            .unwrap_or_default(),
    })
}

/// `DeleteUserPoolDomain`.
pub async fn delete(
    state: &AppState,
    req: proto::DeleteUserPoolDomainRequest,
) -> Result<proto::DeleteUserPoolDomainResponse, ApiError> {
    state
        .keystep
        .delete_user_pool_domain(&req.user_pool_id, &req.domain)
        .await?;
    Ok(proto::DeleteUserPoolDomainResponse {})
}
