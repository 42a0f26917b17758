//! `CreateUserPool`.

use keystep_proto as proto;

use super::shape_pool::{apply_identifiers, render_pool, schema_from_wire, PoolFields};
use crate::{ApiError, AppState};

/// Creates a pool from the request's settings.
pub async fn handle(
    state: &AppState,
    req: proto::CreateUserPoolRequest,
) -> Result<proto::CreateUserPoolResponse, ApiError> {
    let mut settings = PoolFields::of_create(&req).to_settings()?;
    apply_identifiers(&mut settings, &req)?;
    settings.schema = schema_from_wire(req.schema.as_deref().unwrap_or_default())?;
    let pool = state
        .keystep
        .create_user_pool(&req.pool_name, settings)
        .await?;
    let view = state.keystep.describe_user_pool(&pool.id).await?;
    Ok(proto::CreateUserPoolResponse {
        user_pool: Some(render_pool(&view)),
    })
}
