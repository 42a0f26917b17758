//! `ListUserPoolClients`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Lists a pool's app clients, one page at a time.
pub async fn handle(
    state: &AppState,
    req: proto::ListUserPoolClientsRequest,
) -> Result<proto::ListUserPoolClientsResponse, ApiError> {
    let (clients, next) = state
        .keystep
        .list_user_pool_clients(
            &req.user_pool_id,
            req.max_results.unwrap_or(60),
            req.next_token.as_deref(),
        )
        .await?;
    Ok(proto::ListUserPoolClientsResponse {
        user_pool_clients: Some(
            clients
                .into_iter()
                .map(|c| proto::UserPoolClientDescription {
                    client_id: Some(c.client_id),
                    user_pool_id: Some(c.pool_id),
                    client_name: Some(c.name),
                })
                .collect(),
        ),
        next_token: next,
    })
}
