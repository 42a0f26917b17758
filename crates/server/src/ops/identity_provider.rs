//! `CreateIdentityProvider`, `DescribeIdentityProvider`, `ListIdentityProviders`,
//! `UpdateIdentityProvider`, `DeleteIdentityProvider`, `GetIdentityProviderByIdentifier`,
//! `AdminLinkProviderForUser`, `AdminDisableProviderForUser` (one module: they share
//! their shapes).

use keystep_core::identity_provider::{described_details, IdentityProvider};
use keystep_core::service::identity_providers::{
    IdentityProviderChanges, NewIdentityProvider, ProviderUser,
};
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn render(p: IdentityProvider) -> proto::IdentityProviderType {
    proto::IdentityProviderType {
        provider_details: Some(described_details(&p)),
        user_pool_id: Some(p.pool_id),
        provider_name: Some(p.name),
        provider_type: Some(p.provider_type.as_str().to_string()),
        attribute_mapping: Some(p.attribute_mapping),
        idp_identifiers: Some(p.idp_identifiers),
        // Cognito leaves AcrMapping out when there is none.
        acr_mapping: (!p.acr_mapping.is_empty()).then_some(p.acr_mapping),
        last_modified_date: Some(p.modified_at.as_secs_f64()),
        creation_date: Some(p.created_at.as_secs_f64()),
    }
}

fn respond(p: IdentityProvider) -> proto::IdentityProviderResponse {
    proto::IdentityProviderResponse {
        identity_provider: render(p),
    }
}

fn provider_user(u: proto::ProviderUserIdentifierType) -> ProviderUser {
    ProviderUser {
        provider_name: u.provider_name,
        attribute_name: u.provider_attribute_name,
        attribute_value: u.provider_attribute_value,
    }
}

/// `CreateIdentityProvider`.
pub async fn create(
    state: &AppState,
    req: proto::CreateIdentityProviderRequest,
) -> Result<proto::IdentityProviderResponse, ApiError> {
    let new = NewIdentityProvider {
        name: req.provider_name,
        provider_type: req.provider_type,
        details: req.provider_details,
        attribute_mapping: req.attribute_mapping.unwrap_or_default(),
        idp_identifiers: req.idp_identifiers.unwrap_or_default(),
        acr_mapping: req.acr_mapping.unwrap_or_default(),
    };
    let p = state
        .keystep
        .create_identity_provider(&req.user_pool_id, new)
        .await?;
    Ok(respond(p))
}

/// `DescribeIdentityProvider`.
pub async fn describe(
    state: &AppState,
    req: proto::IdentityProviderKeyRequest,
) -> Result<proto::IdentityProviderResponse, ApiError> {
    let p = state
        .keystep
        .describe_identity_provider(&req.user_pool_id, &req.provider_name)
        .await?;
    Ok(respond(p))
}

/// `GetIdentityProviderByIdentifier`.
pub async fn by_identifier(
    state: &AppState,
    req: proto::GetIdentityProviderByIdentifierRequest,
) -> Result<proto::IdentityProviderResponse, ApiError> {
    let p = state
        .keystep
        .identity_provider_by_identifier(&req.user_pool_id, &req.idp_identifier)
        .await?;
    Ok(respond(p))
}

/// `ListIdentityProviders`.
pub async fn list(
    state: &AppState,
    req: proto::ListIdentityProvidersRequest,
) -> Result<proto::ListIdentityProvidersResponse, ApiError> {
    let page = state
        .keystep
        .list_identity_providers(
            &req.user_pool_id,
            req.max_results,
            req.next_token.as_deref(),
        )
        .await?;
    Ok(proto::ListIdentityProvidersResponse {
        providers: page
            .providers
            .into_iter()
            .map(|p| proto::ProviderDescription {
                provider_name: Some(p.name),
                provider_type: Some(p.provider_type.as_str().to_string()),
                last_modified_date: Some(p.modified_at.as_secs_f64()),
                creation_date: Some(p.created_at.as_secs_f64()),
            })
            .collect(),
        next_token: page.next,
    })
}

/// `UpdateIdentityProvider`.
pub async fn update(
    state: &AppState,
    req: proto::UpdateIdentityProviderRequest,
) -> Result<proto::IdentityProviderResponse, ApiError> {
    let changes = IdentityProviderChanges {
        details: req.provider_details,
        attribute_mapping: req.attribute_mapping,
        idp_identifiers: req.idp_identifiers,
        acr_mapping: req.acr_mapping,
    };
    let p = state
        .keystep
        .update_identity_provider(&req.user_pool_id, &req.provider_name, changes)
        .await?;
    Ok(respond(p))
}

/// `DeleteIdentityProvider`.
pub async fn delete(
    state: &AppState,
    req: proto::IdentityProviderKeyRequest,
) -> Result<proto::DeleteIdentityProviderResponse, ApiError> {
    state
        .keystep
        .delete_identity_provider(&req.user_pool_id, &req.provider_name)
        .await?;
    Ok(proto::DeleteIdentityProviderResponse {})
}

/// `AdminLinkProviderForUser`.
pub async fn link(
    state: &AppState,
    req: proto::AdminLinkProviderForUserRequest,
) -> Result<proto::AdminLinkProviderForUserResponse, ApiError> {
    state
        .keystep
        .admin_link_provider_for_user(
            &req.user_pool_id,
            &provider_user(req.destination_user),
            &provider_user(req.source_user),
        )
        .await?;
    Ok(proto::AdminLinkProviderForUserResponse {})
}

/// `AdminDisableProviderForUser`.
pub async fn disable(
    state: &AppState,
    req: proto::AdminDisableProviderForUserRequest,
) -> Result<proto::AdminDisableProviderForUserResponse, ApiError> {
    state
        .keystep
        .admin_disable_provider_for_user(&req.user_pool_id, &provider_user(req.user))
        .await?;
    Ok(proto::AdminDisableProviderForUserResponse {})
}
