//! `AdminRespondToAuthChallenge`.

use keystep_core::service::auth::RespondInput;
use keystep_proto as proto;

use super::shape_auth::render_step;
use crate::{ApiError, AppState, Caller};

/// Answers the challenge a sign-in started by AdminInitiateAuth waits at.
pub async fn handle(
    state: &AppState,
    caller: &Caller,
    req: proto::AdminRespondToAuthChallengeRequest,
) -> Result<proto::AdminRespondToAuthChallengeResponse, ApiError> {
    let step = state
        .keystep
        .respond_to_auth_challenge(RespondInput {
            pool_id: Some(req.user_pool_id),
            client_id: req.client_id,
            challenge_name: req.challenge_name,
            session: req.session.map(|s| s.0),
            responses: req.challenge_responses.unwrap_or_default(),
            client_metadata: req.client_metadata.unwrap_or_default(),
            hosted: false,
            source_ip: super::admin_context_ip(req.context_data.as_ref(), caller),
        })
        .await?;
    let a = render_step(step)?;
    state.metrics.sign_in_step(
        a.challenge_name.as_deref(),
        a.authentication_result.is_some(),
    );
    Ok(proto::AdminRespondToAuthChallengeResponse {
        challenge_name: a.challenge_name,
        session: a.session,
        challenge_parameters: a.challenge_parameters,
        authentication_result: a.authentication_result,
    })
}
