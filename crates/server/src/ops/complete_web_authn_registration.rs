//! `CompleteWebAuthnRegistration`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Verifies and stores the caller's new passkey.
pub async fn handle(
    state: &AppState,
    req: proto::CompleteWebAuthnRegistrationRequest,
) -> Result<proto::CompleteWebAuthnRegistrationResponse, ApiError> {
    state
        .keystep
        .complete_webauthn_registration(&req.access_token.0, &req.credential)
        .await?;
    Ok(proto::CompleteWebAuthnRegistrationResponse {})
}
