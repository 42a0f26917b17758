//! `AdminListUserAuthEvents` and `AdminUpdateAuthEventFeedback`.

use keystep_core::auth_event::AuthEvent;
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn shape(e: &AuthEvent) -> proto::AuthEventType {
    proto::AuthEventType {
        event_id: e.event_id.clone(),
        event_type: "SignIn".into(),
        creation_date: e.created_at.as_secs_f64(),
        event_response: e.response.as_str().into(),
        challenge_responses: e
            .challenges
            .iter()
            .map(|(kind, ok)| proto::ChallengeResponseType {
                challenge_name: kind.as_str().into(),
                challenge_response: if *ok { "Success" } else { "Failure" }.into(),
            })
            .collect(),
        event_context_data: e.ip_address.as_ref().map(|ip| proto::EventContextDataType {
            ip_address: Some(ip.clone()),
            device_name: None,
        }),
        event_feedback: e.feedback.as_ref().map(|f| proto::EventFeedbackType {
            feedback_value: f.value.clone(),
            provider: f.provider.clone(),
            feedback_date: Some(f.at.as_secs_f64()),
        }),
    }
}

/// Lists a user's sign-ins.
pub async fn list(
    state: &AppState,
    req: proto::AdminListUserAuthEventsRequest,
) -> Result<proto::AdminListUserAuthEventsResponse, ApiError> {
    let page = state
        .keystep
        .admin_list_user_auth_events(
            &req.user_pool_id,
            &req.username,
            req.max_results,
            req.next_token.as_deref(),
        )
        .await?;
    Ok(proto::AdminListUserAuthEventsResponse {
        auth_events: page.items.iter().map(shape).collect(),
        next_token: page.next,
    })
}

/// Gives feedback on one of them.
pub async fn feedback(
    state: &AppState,
    req: proto::AdminUpdateAuthEventFeedbackRequest,
) -> Result<proto::AdminUpdateAuthEventFeedbackResponse, ApiError> {
    state
        .keystep
        .admin_update_auth_event_feedback(
            &req.user_pool_id,
            &req.username,
            &req.event_id,
            &req.feedback_value,
        )
        .await?;
    Ok(proto::AdminUpdateAuthEventFeedbackResponse {})
}
