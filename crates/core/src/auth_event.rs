//! Auth events: every sign-in of a user, as `AdminListUserAuthEvents` shows it — when it
//! started, how it went (`Pass`, `Fail`, `InProgress`), which challenges it answered and
//! how (`Password` / `Mfa`, `Success` / `Failure`), from which address, and the feedback
//! an administrator gave on it.
//!
//! One sign-in is one event however many steps it takes: its id is derived from the
//! sign-in's flow, and each step adds its challenge to the stored event in one statement.
//! Keystep has no risk engine, so events carry no risk assessment.

use crate::Millis;

/// How long an event is kept.
pub const RETENTION_MS: i64 = 90 * 24 * 3600 * 1000;

/// What a step of the sign-in judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeKind {
    /// A password or SRP proof.
    Password,
    /// A second factor (SMS, e-mail or authenticator code, passkey, remembered device)
    /// or a one-time first-factor code.
    Mfa,
}

impl ChallengeKind {
    /// Cognito's `ChallengeName`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeKind::Password => "Password",
            ChallengeKind::Mfa => "Mfa",
        }
    }

    fn parse(s: &str) -> Option<ChallengeKind> {
        match s {
            "Password" => Some(ChallengeKind::Password),
            "Mfa" => Some(ChallengeKind::Mfa),
            _ => None,
        }
    }
}

/// Where a sign-in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventResponse {
    /// Signed in.
    Pass,
    /// Refused.
    Fail,
    /// Waiting for the next answer.
    InProgress,
}

impl EventResponse {
    /// Cognito's name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventResponse::Pass => "Pass",
            EventResponse::Fail => "Fail",
            EventResponse::InProgress => "InProgress",
        }
    }

    /// Reads Cognito's name.
    pub fn parse(s: &str) -> Option<EventResponse> {
        match s {
            "Pass" => Some(EventResponse::Pass),
            "Fail" => Some(EventResponse::Fail),
            "InProgress" => Some(EventResponse::InProgress),
            _ => None,
        }
    }
}

/// One judged challenge: its kind and whether it was answered right.
pub type ChallengeOutcome = (ChallengeKind, bool);

/// The stored form of an event's challenges: `Password:Success,Mfa:Failure` (the store
/// appends to it in SQL, so it is plain text).
pub fn encode_challenges(challenges: &[ChallengeOutcome]) -> String {
    challenges
        .iter()
        .map(|(kind, ok)| {
            format!(
                "{}:{}",
                kind.as_str(),
                if *ok { "Success" } else { "Failure" }
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads [`encode_challenges`]' text back; unknown parts are skipped.
pub fn decode_challenges(text: &str) -> Vec<ChallengeOutcome> {
    text.split(',')
        .filter_map(|part| {
            let (kind, result) = part.split_once(':')?;
            Some((ChallengeKind::parse(kind)?, result == "Success"))
        })
        .collect()
}

/// Feedback on an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// `Valid` or `Invalid`.
    pub value: String,
    /// Who gave it (`Admin`).
    pub provider: String,
    /// When.
    pub at: Millis,
}

/// One sign-in of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthEvent {
    /// The pool.
    pub pool_id: String,
    /// The user.
    pub sub: String,
    /// Its id.
    pub event_id: String,
    /// When the sign-in started.
    pub created_at: Millis,
    /// How it stands.
    pub response: EventResponse,
    /// The challenges judged so far, in order.
    pub challenges: Vec<ChallengeOutcome>,
    /// The address the first step came from.
    pub ip_address: Option<String>,
    /// The app client.
    pub client_id: String,
    /// Feedback, once given.
    pub feedback: Option<Feedback>,
}

/// Steps of sign-ins waiting to be recorded together: one entry per event, in the order
/// their first steps came, each as the store's upsert of its steps one after the other
/// would leave it (the first step's client, time and address; the last step's response;
/// every step's challenges in order). One statement may then record them all, since no
/// event appears in it twice.
pub fn merge_steps(steps: Vec<(AuthEvent, Millis)>) -> Vec<(AuthEvent, Millis)> {
    let mut merged: Vec<(AuthEvent, Millis)> = Vec::with_capacity(steps.len());
    for (step, expires_at) in steps {
        let same = merged
            .iter_mut()
            .find(|(e, _)| e.pool_id == step.pool_id && e.event_id == step.event_id);
        match same {
            Some((event, _)) => {
                event.response = step.response;
                event.challenges.extend(step.challenges);
            }
            None => merged.push((step, expires_at)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(id: &str, response: EventResponse, c: &[ChallengeOutcome], ip: &str) -> AuthEvent {
        AuthEvent {
            pool_id: "us-east-1_p".into(),
            sub: "s".into(),
            event_id: id.into(),
            created_at: Millis(1),
            response,
            challenges: c.to_vec(),
            ip_address: Some(ip.into()),
            client_id: "c".into(),
            feedback: None,
        }
    }

    #[test]
    fn steps_of_one_sign_in_merge_as_their_upserts_would() {
        let steps = vec![
            (
                step(
                    "a",
                    EventResponse::InProgress,
                    &[(ChallengeKind::Password, true)],
                    "1.1.1.1",
                ),
                Millis(9),
            ),
            (
                step(
                    "b",
                    EventResponse::Fail,
                    &[(ChallengeKind::Password, false)],
                    "2.2.2.2",
                ),
                Millis(9),
            ),
            (
                step(
                    "a",
                    EventResponse::Pass,
                    &[(ChallengeKind::Mfa, true)],
                    "3.3.3.3",
                ),
                Millis(9),
            ),
        ];
        let merged = merge_steps(steps);
        assert_eq!(merged.len(), 2);
        let a = &merged[0].0;
        assert_eq!(a.event_id, "a");
        assert_eq!(a.response, EventResponse::Pass);
        assert_eq!(
            a.challenges,
            vec![(ChallengeKind::Password, true), (ChallengeKind::Mfa, true)]
        );
        assert_eq!(a.ip_address.as_deref(), Some("1.1.1.1"));
        assert_eq!(merged[1].0.event_id, "b");
    }

    #[test]
    fn challenges_round_trip_through_their_text() {
        let c = vec![(ChallengeKind::Password, true), (ChallengeKind::Mfa, false)];
        let text = encode_challenges(&c);
        assert_eq!(text, "Password:Success,Mfa:Failure");
        assert_eq!(decode_challenges(&text), c);
        assert_eq!(decode_challenges(""), vec![]);
        assert_eq!(
            decode_challenges("Password:Success,,Nope:Success,Mfa:Success"),
            vec![(ChallengeKind::Password, true), (ChallengeKind::Mfa, true)]
        );
    }
}
