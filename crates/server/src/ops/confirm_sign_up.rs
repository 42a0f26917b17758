//! `ConfirmSignUp`.

use keystep_core::service::signup::ConfirmSignUpInput;
use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Confirms a user with the code sent at sign-up.
pub async fn handle(
    state: &AppState,
    req: proto::ConfirmSignUpRequest,
) -> Result<proto::ConfirmSignUpResponse, ApiError> {
    let out = state
        .keystep
        .confirm_sign_up(ConfirmSignUpInput {
            client_id: req.client_id,
            username: req.username,
            confirmation_code: req.confirmation_code.0,
            secret_hash: req.secret_hash.map(|s| s.0),
            force_alias_creation: req.force_alias_creation.unwrap_or(false),
            client_metadata: req.client_metadata.unwrap_or_default(),
            session: req.session.map(|s| s.0),
        })
        .await?;
    Ok(proto::ConfirmSignUpResponse {
        session: out.session.map(proto::Sensitive),
    })
}
