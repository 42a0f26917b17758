//! `CreateResourceServer`, `DescribeResourceServer`, `ListResourceServers`,
//! `UpdateResourceServer`, `DeleteResourceServer` (one module: the five share their
//! shapes).

use keystep_core::resource_server::{ResourceServer, Scope};
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn scopes(req: &proto::PutResourceServerRequest) -> Vec<Scope> {
    req.scopes
        .iter()
        .flatten()
        .map(|s| Scope {
            name: s.scope_name.clone(),
            description: s.scope_description.clone(),
        })
        .collect()
}

fn render(s: ResourceServer) -> proto::ResourceServerType {
    proto::ResourceServerType {
        user_pool_id: Some(s.pool_id),
        identifier: Some(s.identifier),
        name: Some(s.name),
        scopes: Some(
            s.scopes
                .into_iter()
                .map(|s| proto::ResourceServerScope {
                    scope_name: s.name,
                    scope_description: s.description,
                })
                .collect(),
        ),
    }
}

/// `CreateResourceServer`.
pub async fn create(
    state: &AppState,
    req: proto::PutResourceServerRequest,
) -> Result<proto::ResourceServerResponse, ApiError> {
    let s = state
        .keystep
        .create_resource_server(&req.user_pool_id, &req.identifier, &req.name, scopes(&req))
        .await?;
    Ok(proto::ResourceServerResponse {
        resource_server: render(s),
    })
}

/// `DescribeResourceServer`.
pub async fn describe(
    state: &AppState,
    req: proto::ResourceServerKeyRequest,
) -> Result<proto::ResourceServerResponse, ApiError> {
    let s = state
        .keystep
        .describe_resource_server(&req.user_pool_id, &req.identifier)
        .await?;
    Ok(proto::ResourceServerResponse {
        resource_server: render(s),
    })
}

/// `ListResourceServers`.
pub async fn list(
    state: &AppState,
    req: proto::ListResourceServersRequest,
) -> Result<proto::ListResourceServersResponse, ApiError> {
    let page = state
        .keystep
        .list_resource_servers(
            &req.user_pool_id,
            req.max_results,
            req.next_token.as_deref(),
        )
        .await?;
    Ok(proto::ListResourceServersResponse {
        resource_servers: page.servers.into_iter().map(render).collect(),
        next_token: page.next,
    })
}

/// `UpdateResourceServer`.
pub async fn update(
    state: &AppState,
    req: proto::PutResourceServerRequest,
) -> Result<proto::ResourceServerResponse, ApiError> {
    let s = state
        .keystep
        .update_resource_server(&req.user_pool_id, &req.identifier, &req.name, scopes(&req))
        .await?;
    Ok(proto::ResourceServerResponse {
        resource_server: render(s),
    })
}

/// `DeleteResourceServer`.
pub async fn delete(
    state: &AppState,
    req: proto::ResourceServerKeyRequest,
) -> Result<proto::DeleteResourceServerResponse, ApiError> {
    state
        .keystep
        .delete_resource_server(&req.user_pool_id, &req.identifier)
        .await?;
    Ok(proto::DeleteResourceServerResponse {})
}
