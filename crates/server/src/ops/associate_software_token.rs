//! `AssociateSoftwareToken`: with an access token (a signed-in user adds an
//! authenticator) or with a sign-in's `Session` (during `MFA_SETUP`).

use keystep_core::service::auth::SetupStep;
use keystep_core::signin::ChallengeAnswer;
use keystep_proto as proto;
use keystep_proto::Sensitive;

use crate::{ApiError, AppState};

/// Hands out a new TOTP secret.
pub async fn handle(
    state: &AppState,
    req: proto::AssociateSoftwareTokenRequest,
) -> Result<proto::AssociateSoftwareTokenResponse, ApiError> {
    let k = &state.keystep;
    match (req.access_token, req.session) {
        (Some(token), _) => Ok(proto::AssociateSoftwareTokenResponse {
            secret_code: Some(Sensitive(k.associate_software_token(&token.0).await?)),
            session: None,
        }),
        (None, Some(session)) => {
            match k
                .software_token_in_session(&session.0, ChallengeAnswer::AssociateSoftwareToken)
                .await?
            {
                SetupStep::Associated {
                    secret_code,
                    session,
                } => Ok(proto::AssociateSoftwareTokenResponse {
                    secret_code: Some(Sensitive(secret_code)),
                    session: Some(Sensitive(session)),
                }),
                SetupStep::Verified { .. } => Err(ApiError::internal(
                    "AssociateSoftwareToken answered as a verification",
                )),
            }
        }
        (None, None) => Err(super::shape_auth::missing_token_or_session()),
    }
}
