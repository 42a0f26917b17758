//! `AddUserPoolClientSecret`, `ListUserPoolClientSecrets`, `DeleteUserPoolClientSecret`.

use keystep_core::service::client_secrets::SecretDescriptor;
use keystep_proto as proto;
use keystep_proto::Sensitive;

use crate::{ApiError, AppState};

fn render(d: SecretDescriptor) -> proto::ClientSecretDescriptor {
    proto::ClientSecretDescriptor {
        client_secret_id: Some(d.id),
        client_secret_value: d.value.map(Sensitive),
        client_secret_create_date: Some(d.created_at.as_secs_f64()),
    }
}

/// Adds a second secret.
pub async fn add(
    state: &AppState,
    req: proto::AddUserPoolClientSecretRequest,
) -> Result<proto::AddUserPoolClientSecretResponse, ApiError> {
    let added = state
        .keystep
        .add_user_pool_client_secret(
            &req.user_pool_id,
            &req.client_id,
            req.client_secret.as_ref().map(|s| s.0.as_str()),
        )
        .await?;
    Ok(proto::AddUserPoolClientSecretResponse {
        client_secret_descriptor: Some(render(added)),
    })
}

/// Lists the secrets (no values).
pub async fn list(
    state: &AppState,
    req: proto::ListUserPoolClientSecretsRequest,
) -> Result<proto::ListUserPoolClientSecretsResponse, ApiError> {
    let all = state
        .keystep
        .list_user_pool_client_secrets(&req.user_pool_id, &req.client_id)
        .await?;
    Ok(proto::ListUserPoolClientSecretsResponse {
        client_secrets: Some(all.into_iter().map(render).collect()),
    })
}

/// Deletes one secret.
pub async fn delete(
    state: &AppState,
    req: proto::DeleteUserPoolClientSecretRequest,
) -> Result<proto::DeleteUserPoolClientSecretResponse, ApiError> {
    state
        .keystep
        .delete_user_pool_client_secret(&req.user_pool_id, &req.client_id, &req.client_secret_id)
        .await?;
    Ok(proto::DeleteUserPoolClientSecretResponse {})
}
