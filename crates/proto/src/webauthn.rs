//! Passkeys (WebAuthn): registration, listing and deletion.

use serde::{Deserialize, Serialize};

use crate::Sensitive;

/// `StartWebAuthnRegistration` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StartWebAuthnRegistrationRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
}

/// `StartWebAuthnRegistration` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StartWebAuthnRegistrationResponse {
    /// `PublicKeyCredentialCreationOptions` (a JSON object, not a string).
    #[serde(rename = "CredentialCreationOptions")]
    pub credential_creation_options: serde_json::Value,
}

/// `CompleteWebAuthnRegistration` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompleteWebAuthnRegistrationRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// The `RegistrationResponseJSON` the authenticator produced (a JSON object).
    #[serde(rename = "Credential")]
    pub credential: serde_json::Value,
}

/// `CompleteWebAuthnRegistration` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompleteWebAuthnRegistrationResponse {}

/// `ListWebAuthnCredentials` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListWebAuthnCredentialsRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// Token of the page to read.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// Page size (0-20).
    #[serde(rename = "MaxResults")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// One registered passkey.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebAuthnCredentialDescription {
    /// The credential id (base64url).
    #[serde(rename = "CredentialId")]
    pub credential_id: String,
    /// A name for people.
    #[serde(rename = "FriendlyCredentialName")]
    pub friendly_credential_name: String,
    /// The relying party it is bound to.
    #[serde(rename = "RelyingPartyId")]
    pub relying_party_id: String,
    /// `platform` or `cross-platform`, when known.
    #[serde(rename = "AuthenticatorAttachment")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// How the authenticator is reached (`internal`, `usb`, `hybrid`...).
    #[serde(rename = "AuthenticatorTransports")]
    pub authenticator_transports: Vec<String>,
    /// When it was registered, in epoch seconds.
    #[serde(rename = "CreatedAt")]
    pub created_at: f64,
}

/// `ListWebAuthnCredentials` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListWebAuthnCredentialsResponse {
    /// The user's passkeys.
    #[serde(rename = "Credentials")]
    pub credentials: Vec<WebAuthnCredentialDescription>,
    /// Token of the next page; absent on the last.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `DeleteWebAuthnCredential` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteWebAuthnCredentialRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
    /// The credential to delete.
    #[serde(rename = "CredentialId")]
    pub credential_id: String,
}

/// `DeleteWebAuthnCredential` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteWebAuthnCredentialResponse {}

/// `GetUserAuthFactors` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUserAuthFactorsRequest {
    /// Access token of the signed-in user.
    #[serde(rename = "AccessToken")]
    pub access_token: Sensitive,
}

/// `AdminGetUserAuthFactors` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminGetUserAuthFactorsRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The user (username, alias or `sub`).
    #[serde(rename = "Username")]
    pub username: String,
}

/// `GetUserAuthFactors` / `AdminGetUserAuthFactors` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUserAuthFactorsResponse {
    /// The user's canonical username.
    #[serde(rename = "Username")]
    pub username: String,
    /// The preferred MFA method.
    #[serde(rename = "PreferredMfaSetting")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    /// The enabled MFA methods.
    #[serde(rename = "UserMFASettingList")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_mfa_setting_list: Option<Vec<String>>,
    /// The first factors the user can sign in with by `USER_AUTH`.
    #[serde(rename = "ConfiguredUserAuthFactors")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configured_user_auth_factors: Option<Vec<String>>,
}
