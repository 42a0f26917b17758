//! User sessions and session configuration.

use serde::{Deserialize, Serialize};

use crate::Sensitive;

/// `TokenSession` of the pool's session configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPoolTokenSessionConfigType {
    /// The most token sessions a user keeps (1–100).
    #[serde(rename = "MaxPerUser")]
    pub max_per_user: i64,
}

/// `Get/SetUserPoolSessionConfiguration` (request of Set, response of both).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserPoolSessionConfiguration {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// `ENABLED` or `DISABLED`.
    #[serde(rename = "UserSessionTracking")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_session_tracking: Option<String>,
    /// Token-session settings.
    #[serde(rename = "TokenSession")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_session: Option<UserPoolTokenSessionConfigType>,
}

/// A request naming only a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolOnlyRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `SSOSession` of a client's session configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientSsoSessionConfigType {
    /// How long the client reuses a hosted sign-in session (0–129600 minutes).
    #[serde(rename = "MaxValidityMinutes")]
    pub max_validity_minutes: i64,
}

/// `Get/SetUserPoolClientSessionConfiguration` (request of Set, response of both).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientSessionConfiguration {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Its SSO-session settings.
    #[serde(rename = "SSOSession")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_session: Option<ClientSsoSessionConfigType>,
}

/// One session of a user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionDescriptionType {
    /// `tkn…`.
    #[serde(rename = "SessionId")]
    pub session_id: String,
    /// `TOKEN`.
    #[serde(rename = "SessionType")]
    pub session_type: String,
    /// The app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// When it started.
    #[serde(rename = "CreateDate")]
    pub create_date: f64,
    /// Its latest refresh or rotation.
    #[serde(rename = "LastActiveDate")]
    pub last_active_date: f64,
    /// Whether the calling access token belongs to it.
    #[serde(rename = "IsCurrentSession")]
    pub is_current_session: bool,
}

/// `AdminListUserSessions` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminListUserSessionsRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Unused: every session comes in one page of at most 125.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListUserSessions` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserSessionsRequest {
    /// The caller's access token.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// Unused: every session comes in one page of at most 125.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListUserSessions` / `AdminListUserSessions` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUserSessionsResponse {
    /// The sessions, most recently active first.
    #[serde(rename = "Sessions")]
    pub sessions: Vec<SessionDescriptionType>,
}

/// `AdminRevokeUserSession` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminRevokeUserSessionRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The session's owner.
    #[serde(rename = "Username")]
    pub username: String,
    /// The session.
    #[serde(rename = "SessionId")]
    pub session_id: String,
    /// `NONE` or `LINKED`.
    #[serde(rename = "RevokeAssociatedSessions")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_associated_sessions: Option<String>,
}

/// `RevokeUserSession` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RevokeUserSessionRequest {
    /// The caller's access token.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// The session.
    #[serde(rename = "SessionId")]
    pub session_id: String,
    /// `NONE` or `LINKED`.
    #[serde(rename = "RevokeAssociatedSessions")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_associated_sessions: Option<String>,
}

/// The empty response of the revoke operations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RevokeUserSessionResponse {}
