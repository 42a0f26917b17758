//! `StartWebAuthnRegistration`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// The creation options for a new passkey of the caller.
pub async fn handle(
    state: &AppState,
    req: proto::StartWebAuthnRegistrationRequest,
) -> Result<proto::StartWebAuthnRegistrationResponse, ApiError> {
    let options = state
        .keystep
        .start_webauthn_registration(&req.access_token.0)
        .await?;
    Ok(proto::StartWebAuthnRegistrationResponse {
        credential_creation_options: options,
    })
}
