//! Auth events (a user's sign-in history) and feedback on them.

use serde::{Deserialize, Serialize};

/// `AdminListUserAuthEvents` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminListUserAuthEventsRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Page size, 0–60.
    #[serde(rename = "MaxResults")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    /// Where the previous page ended.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One judged challenge of a sign-in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChallengeResponseType {
    /// `Password` or `Mfa`.
    #[serde(rename = "ChallengeName")]
    pub challenge_name: String,
    /// `Success` or `Failure`.
    #[serde(rename = "ChallengeResponse")]
    pub challenge_response: String,
}

/// Where a sign-in came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventContextDataType {
    /// The source address.
    #[serde(rename = "IpAddress")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// The device.
    #[serde(rename = "DeviceName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
}

/// Feedback on an event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventFeedbackType {
    /// `Valid` or `Invalid`.
    #[serde(rename = "FeedbackValue")]
    pub feedback_value: String,
    /// Who gave it.
    #[serde(rename = "Provider")]
    pub provider: String,
    /// When.
    #[serde(rename = "FeedbackDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_date: Option<f64>,
}

/// One auth event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthEventType {
    /// Its id.
    #[serde(rename = "EventId")]
    pub event_id: String,
    /// `SignIn`.
    #[serde(rename = "EventType")]
    pub event_type: String,
    /// When the sign-in started.
    #[serde(rename = "CreationDate")]
    pub creation_date: f64,
    /// `Pass`, `Fail` or `InProgress`.
    #[serde(rename = "EventResponse")]
    pub event_response: String,
    /// The challenges judged, in order.
    #[serde(rename = "ChallengeResponses")]
    pub challenge_responses: Vec<ChallengeResponseType>,
    /// Where it came from.
    #[serde(rename = "EventContextData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_context_data: Option<EventContextDataType>,
    /// Feedback, once given.
    #[serde(rename = "EventFeedback")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_feedback: Option<EventFeedbackType>,
}

/// `AdminListUserAuthEvents` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminListUserAuthEventsResponse {
    /// The events, newest first.
    #[serde(rename = "AuthEvents")]
    pub auth_events: Vec<AuthEventType>,
    /// Present when more follow.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `AdminUpdateAuthEventFeedback` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminUpdateAuthEventFeedbackRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user.
    #[serde(rename = "Username")]
    pub username: String,
    /// The event.
    #[serde(rename = "EventId")]
    pub event_id: String,
    /// `Valid` or `Invalid`.
    #[serde(rename = "FeedbackValue")]
    pub feedback_value: String,
}

/// `AdminUpdateAuthEventFeedback` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminUpdateAuthEventFeedbackResponse {}
