//! `SignUp`.

use keystep_core::service::signup::SignUpInput;
use keystep_proto as proto;

use super::shape_user::{attribute_pairs, render_delivery};
use crate::{ApiError, AppState};

/// Registers a new user and sends the confirmation code.
pub async fn handle(
    state: &AppState,
    req: proto::SignUpRequest,
) -> Result<proto::SignUpResponse, ApiError> {
    let out = state
        .keystep
        .sign_up(SignUpInput {
            client_id: req.client_id,
            username: req.username,
            password: req.password.map(|p| p.0),
            secret_hash: req.secret_hash.map(|s| s.0),
            attributes: attribute_pairs(req.user_attributes.as_deref()),
            validation_data: attribute_pairs(req.validation_data.as_deref()),
            client_metadata: req.client_metadata.unwrap_or_default(),
        })
        .await?;
    Ok(proto::SignUpResponse {
        user_confirmed: out.user_confirmed,
        code_delivery_details: out.delivery.as_ref().map(render_delivery),
        user_sub: out.user_sub,
        session: out.session.map(proto::Sensitive),
    })
}
