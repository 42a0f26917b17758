//! `ListWebAuthnCredentials`.

use keystep_proto as proto;

use crate::{ApiError, AppState};

/// The caller's passkeys, a page at a time.
pub async fn handle(
    state: &AppState,
    req: proto::ListWebAuthnCredentialsRequest,
) -> Result<proto::ListWebAuthnCredentialsResponse, ApiError> {
    let page = state
        .keystep
        .list_webauthn_credentials(
            &req.access_token.0,
            req.max_results,
            req.next_token.as_deref(),
        )
        .await?;
    Ok(proto::ListWebAuthnCredentialsResponse {
        credentials: page
            .credentials
            .into_iter()
            .map(|c| proto::WebAuthnCredentialDescription {
                credential_id: c.credential_id,
                friendly_credential_name: c.name,
                relying_party_id: c.relying_party_id,
                authenticator_attachment: c.attachment,
                authenticator_transports: c.transports,
                created_at: c.created_at.as_secs_f64(),
            })
            .collect(),
        next_token: page.next,
    })
}
