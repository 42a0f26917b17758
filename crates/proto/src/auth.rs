//! Sign-in: starting a flow and answering its challenges.
//!
//! `AuthParameters`, `ChallengeParameters` and `ChallengeResponses` carry passwords, SRP values and
//! codes, so every struct here has a hand-written `Debug` that prints only the keys of those maps.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sensitive::keys_only;
use crate::{AnalyticsMetadata, AuthenticationResult, ContextData, Sensitive, UserContextData};

/// `InitiateAuth` request: start a sign-in flow (unsigned; called by apps).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InitiateAuthRequest {
    /// Authentication flow to start (see `names::auth_flow`).
    #[serde(rename = "AuthFlow")]
    pub auth_flow: String,
    /// Flow inputs such as `USERNAME`, `PASSWORD`, `SRP_A`, `SECRET_HASH`, `REFRESH_TOKEN` (secret-bearing).
    #[serde(rename = "AuthParameters")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_parameters: Option<BTreeMap<String, String>>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Pinpoint analytics metadata sent by the client; accepted and ignored.
    #[serde(rename = "AnalyticsMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// Device fingerprint and caller IP for threat protection; accepted and ignored.
    #[serde(rename = "UserContextData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
    /// Session from `ConfirmSignUp`, for an automatic `USER_AUTH` sign-in.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
}

/// `InitiateAuth` response: either tokens or the next challenge.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InitiateAuthResponse {
    /// Challenge being answered or issued (see `names::challenge_name`).
    #[serde(rename = "ChallengeName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    /// Opaque sign-in session id linking the steps of a flow.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
    /// Parameters of the issued challenge (`SRP_B`, `SALT`, `SECRET_BLOCK`, ...); secret-bearing.
    #[serde(rename = "ChallengeParameters")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_parameters: Option<BTreeMap<String, String>>,
    /// Tokens issued when the sign-in is complete.
    #[serde(rename = "AuthenticationResult")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    /// Challenges the user may pick from in the `USER_AUTH` flow.
    #[serde(rename = "AvailableChallenges")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_challenges: Option<Vec<String>>,
}

/// `AdminInitiateAuth` request: start a sign-in flow from a trusted backend (admin).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminInitiateAuthRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Authentication flow to start (see `names::auth_flow`).
    #[serde(rename = "AuthFlow")]
    pub auth_flow: String,
    /// Flow inputs such as `USERNAME`, `PASSWORD`, `SRP_A`, `SECRET_HASH`, `REFRESH_TOKEN` (secret-bearing).
    #[serde(rename = "AuthParameters")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_parameters: Option<BTreeMap<String, String>>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
    /// Pinpoint analytics metadata sent by the client; accepted and ignored.
    #[serde(rename = "AnalyticsMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// Request context forwarded by a backend for threat protection; accepted and ignored.
    #[serde(rename = "ContextData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_data: Option<ContextData>,
    /// Session from `ConfirmSignUp`, for an automatic `USER_AUTH` sign-in.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
}

/// `AdminInitiateAuth` response: either tokens or the next challenge.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminInitiateAuthResponse {
    /// Challenge being answered or issued (see `names::challenge_name`).
    #[serde(rename = "ChallengeName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    /// Opaque sign-in session id linking the steps of a flow.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
    /// Parameters of the issued challenge (`SRP_B`, `SALT`, `SECRET_BLOCK`, ...); secret-bearing.
    #[serde(rename = "ChallengeParameters")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_parameters: Option<BTreeMap<String, String>>,
    /// Tokens issued when the sign-in is complete.
    #[serde(rename = "AuthenticationResult")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    /// Challenges the user may pick from in the `USER_AUTH` flow.
    #[serde(rename = "AvailableChallenges")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_challenges: Option<Vec<String>>,
}

/// `RespondToAuthChallenge` request: answer the current sign-in challenge.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RespondToAuthChallengeRequest {
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Challenge being answered or issued (see `names::challenge_name`).
    #[serde(rename = "ChallengeName")]
    pub challenge_name: String,
    /// Opaque sign-in session id linking the steps of a flow.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
    /// Answers to the challenge (`USERNAME`, codes, SRP claim, `NEW_PASSWORD`, ...); secret-bearing.
    #[serde(rename = "ChallengeResponses")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_responses: Option<BTreeMap<String, String>>,
    /// Pinpoint analytics metadata sent by the client; accepted and ignored.
    #[serde(rename = "AnalyticsMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// Device fingerprint and caller IP for threat protection; accepted and ignored.
    #[serde(rename = "UserContextData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `RespondToAuthChallenge` response: either tokens or the next challenge.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RespondToAuthChallengeResponse {
    /// Challenge being answered or issued (see `names::challenge_name`).
    #[serde(rename = "ChallengeName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    /// Opaque sign-in session id linking the steps of a flow.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
    /// Parameters of the issued challenge (`SRP_B`, `SALT`, `SECRET_BLOCK`, ...); secret-bearing.
    #[serde(rename = "ChallengeParameters")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_parameters: Option<BTreeMap<String, String>>,
    /// Tokens issued when the sign-in is complete.
    #[serde(rename = "AuthenticationResult")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
}

/// `AdminRespondToAuthChallenge` request: answer the current sign-in challenge from a trusted backend (admin).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminRespondToAuthChallengeRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Id of the app client.
    #[serde(rename = "ClientId")]
    pub client_id: String,
    /// Challenge being answered or issued (see `names::challenge_name`).
    #[serde(rename = "ChallengeName")]
    pub challenge_name: String,
    /// Answers to the challenge (`USERNAME`, codes, SRP claim, `NEW_PASSWORD`, ...); secret-bearing.
    #[serde(rename = "ChallengeResponses")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_responses: Option<BTreeMap<String, String>>,
    /// Opaque sign-in session id linking the steps of a flow.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
    /// Pinpoint analytics metadata sent by the client; accepted and ignored.
    #[serde(rename = "AnalyticsMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_metadata: Option<AnalyticsMetadata>,
    /// Request context forwarded by a backend for threat protection; accepted and ignored.
    #[serde(rename = "ContextData")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_data: Option<ContextData>,
    /// Free-form key/value pairs passed through to Lambda triggers.
    #[serde(rename = "ClientMetadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// `AdminRespondToAuthChallenge` response: either tokens or the next challenge.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminRespondToAuthChallengeResponse {
    /// Challenge being answered or issued (see `names::challenge_name`).
    #[serde(rename = "ChallengeName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    /// Opaque sign-in session id linking the steps of a flow.
    #[serde(rename = "Session")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Sensitive>,
    /// Parameters of the issued challenge (`SRP_B`, `SALT`, `SECRET_BLOCK`, ...); secret-bearing.
    #[serde(rename = "ChallengeParameters")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_parameters: Option<BTreeMap<String, String>>,
    /// Tokens issued when the sign-in is complete.
    #[serde(rename = "AuthenticationResult")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
}

impl fmt::Debug for InitiateAuthRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitiateAuthRequest")
            .field("auth_flow", &self.auth_flow)
            .field("auth_parameters", &keys_only(&self.auth_parameters))
            .field("client_metadata", &self.client_metadata)
            .field("client_id", &self.client_id)
            .field("analytics_metadata", &self.analytics_metadata)
            .field("user_context_data", &self.user_context_data)
            .field("session", &self.session)
            .finish()
    }
}

impl fmt::Debug for InitiateAuthResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitiateAuthResponse")
            .field("challenge_name", &self.challenge_name)
            .field("session", &self.session)
            .field(
                "challenge_parameters",
                &keys_only(&self.challenge_parameters),
            )
            .field("authentication_result", &self.authentication_result)
            .field("available_challenges", &self.available_challenges)
            .finish()
    }
}

impl fmt::Debug for AdminInitiateAuthRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminInitiateAuthRequest")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("auth_flow", &self.auth_flow)
            .field("auth_parameters", &keys_only(&self.auth_parameters))
            .field("client_metadata", &self.client_metadata)
            .field("analytics_metadata", &self.analytics_metadata)
            .field("context_data", &self.context_data)
            .field("session", &self.session)
            .finish()
    }
}

impl fmt::Debug for AdminInitiateAuthResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminInitiateAuthResponse")
            .field("challenge_name", &self.challenge_name)
            .field("session", &self.session)
            .field(
                "challenge_parameters",
                &keys_only(&self.challenge_parameters),
            )
            .field("authentication_result", &self.authentication_result)
            .field("available_challenges", &self.available_challenges)
            .finish()
    }
}

impl fmt::Debug for RespondToAuthChallengeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RespondToAuthChallengeRequest")
            .field("client_id", &self.client_id)
            .field("challenge_name", &self.challenge_name)
            .field("session", &self.session)
            .field("challenge_responses", &keys_only(&self.challenge_responses))
            .field("analytics_metadata", &self.analytics_metadata)
            .field("user_context_data", &self.user_context_data)
            .field("client_metadata", &self.client_metadata)
            .finish()
    }
}

impl fmt::Debug for RespondToAuthChallengeResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RespondToAuthChallengeResponse")
            .field("challenge_name", &self.challenge_name)
            .field("session", &self.session)
            .field(
                "challenge_parameters",
                &keys_only(&self.challenge_parameters),
            )
            .field("authentication_result", &self.authentication_result)
            .finish()
    }
}

impl fmt::Debug for AdminRespondToAuthChallengeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminRespondToAuthChallengeRequest")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("challenge_name", &self.challenge_name)
            .field("challenge_responses", &keys_only(&self.challenge_responses))
            .field("session", &self.session)
            .field("analytics_metadata", &self.analytics_metadata)
            .field("context_data", &self.context_data)
            .field("client_metadata", &self.client_metadata)
            .finish()
    }
}

impl fmt::Debug for AdminRespondToAuthChallengeResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminRespondToAuthChallengeResponse")
            .field("challenge_name", &self.challenge_name)
            .field("session", &self.session)
            .field(
                "challenge_parameters",
                &keys_only(&self.challenge_parameters),
            )
            .field("authentication_result", &self.authentication_result)
            .finish()
    }
}
