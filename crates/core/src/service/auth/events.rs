//! Recording each settled sign-in step in the sign-in's auth event.

use base64::Engine;

use crate::auth_event::{AuthEvent, EventResponse, RETENTION_MS};
use crate::error::AuthError;
use crate::signin::Flow;

use super::super::Keystep;
use super::{AuthStep, Inputs, Settled};

/// Whether a refusal judged the answer (a wrong password or code, a lockout), as opposed
/// to a malformed or out-of-place request, which is no sign-in event.
fn judged_refusal(e: &AuthError) -> bool {
    matches!(
        e,
        AuthError::NotAuthorized(_)
            | AuthError::CodeMismatch(_)
            | AuthError::ExpiredCode(_)
            | AuthError::TooManyFailedAttempts(_)
            | AuthError::UserNotConfirmed(_)
            | AuthError::PasswordResetRequired(_)
            | AuthError::WebAuthn(..)
    )
}

impl Keystep {
    /// The id of a sign-in's event: the sign-in's own random id, which every step carries
    /// in its flow (sessions from before it existed: derived from what the steps share).
    fn event_id(&self, flow: &Flow) -> String {
        if !flow.id.is_empty() {
            return flow.id.clone();
        }
        let digest = self.keys.code_hash(
            "auth-event",
            &format!(
                "{}|{}|{}|{}|{}",
                flow.pool_id, flow.sub, flow.client_id, flow.started_at.0, flow.typed_username
            ),
        );
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..18])
    }

    /// Records a settled step. A failure to record is logged, never the sign-in's.
    pub(super) async fn record_sign_in_step(
        &self,
        inputs: &Inputs,
        flow: &Flow,
        settled: &Result<Settled, AuthError>,
    ) {
        // A stand-in is nobody: there is no user to file the event under.
        if flow.user_not_found {
            return;
        }
        let (response, judged_ok) = match settled {
            Ok(Settled::Auth(AuthStep::SignedIn(_) | AuthStep::Hosted(_))) => {
                (EventResponse::Pass, true)
            }
            Ok(_) => (EventResponse::InProgress, true),
            Err(e) if judged_refusal(e) => (EventResponse::Fail, false),
            Err(_) => return,
        };
        let event = AuthEvent {
            pool_id: flow.pool_id.clone(),
            sub: flow.sub.clone(),
            event_id: self.event_id(flow),
            created_at: flow.started_at,
            response,
            challenges: inputs.judged.map(|k| (k, judged_ok)).into_iter().collect(),
            ip_address: inputs.source_ip.clone(),
            client_id: flow.client_id.clone(),
            feedback: None,
        };
        let expires_at = flow.started_at.plus_millis(RETENTION_MS);
        self.auth_events.record(event, expires_at).await;
    }
}
