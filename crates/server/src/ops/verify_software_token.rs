//! `VerifySoftwareToken`: with an access token or with a sign-in's `Session`. A wrong
//! code is an error (Amplify ignores `Status`), never `Status: ERROR`.

use keystep_core::service::auth::SetupStep;
use keystep_core::signin::ChallengeAnswer;
use keystep_proto as proto;
use keystep_proto::Sensitive;

use crate::{ApiError, AppState};

/// Checks a code from the authenticator the secret went to.
pub async fn handle(
    state: &AppState,
    req: proto::VerifySoftwareTokenRequest,
) -> Result<proto::VerifySoftwareTokenResponse, ApiError> {
    let k = &state.keystep;
    match (req.access_token, req.session) {
        (Some(token), _) => {
            k.verify_software_token(
                &token.0,
                &req.user_code.0,
                req.friendly_device_name.as_deref(),
            )
            .await?;
            Ok(proto::VerifySoftwareTokenResponse {
                status: Some("SUCCESS".into()),
                session: None,
            })
        }
        (None, Some(session)) => {
            let answer = ChallengeAnswer::VerifySoftwareToken {
                code: req.user_code.0,
                friendly_device_name: req.friendly_device_name,
            };
            match k.software_token_in_session(&session.0, answer).await? {
                SetupStep::Verified { session } => Ok(proto::VerifySoftwareTokenResponse {
                    status: Some("SUCCESS".into()),
                    session: Some(Sensitive(session)),
                }),
                SetupStep::Associated { .. } => Err(ApiError::internal(
                    "VerifySoftwareToken answered as an association",
                )),
            }
        }
        (None, None) => Err(super::shape_auth::missing_token_or_session()),
    }
}
