//! `DeleteWebAuthnCredential`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Deletes one of the caller's passkeys.
pub async fn handle(
    state: &AppState,
    req: proto::DeleteWebAuthnCredentialRequest,
) -> Result<proto::DeleteWebAuthnCredentialResponse, ApiError> {
    state
        .keystep
        .delete_webauthn_credential(&req.access_token.0, &req.credential_id)
        .await?;
    Ok(proto::DeleteWebAuthnCredentialResponse {})
}
