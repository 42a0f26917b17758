//! `InitiateAuth`.

use keystep_core::service::auth::InitiateAuthInput;
use keystep_proto as proto;

use super::shape_auth::render_step;
use crate::{ApiError, AppState, Caller};

/// Starts a sign-in (or refreshes tokens).
pub async fn handle(
    state: &AppState,
    caller: &Caller,
    req: proto::InitiateAuthRequest,
) -> Result<proto::InitiateAuthResponse, ApiError> {
    let flow = req.auth_flow.clone();
    let step = state
        .keystep
        .initiate_auth(InitiateAuthInput {
            pool_id: None,
            client_id: req.client_id,
            auth_flow: req.auth_flow,
            parameters: req.auth_parameters.unwrap_or_default(),
            client_metadata: req.client_metadata.unwrap_or_default(),
            hosted: false,
            session: req.session.map(|s| s.0),
            source_ip: caller.source_ip.clone(),
        })
        .await?;
    let a = render_step(step)?;
    state.metrics.sign_in_started(
        &flow,
        a.challenge_name.as_deref(),
        a.authentication_result.is_some(),
    );
    Ok(proto::InitiateAuthResponse {
        challenge_name: a.challenge_name,
        session: a.session,
        challenge_parameters: a.challenge_parameters,
        authentication_result: a.authentication_result,
        available_challenges: a.available_challenges,
    })
}
