//! `/oauth2/userInfo` and `/oauth2/revoke`.

use serde_json::{Map, Value};

use crate::error::AuthError;
use crate::oauth::OAuthError;

use super::super::Keystep;

/// Why `userInfo` refuses: a missing token is a bad request (400), a bad one is
/// `invalid_token` (401).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserInfoError {
    /// No bearer token.
    #[error("Bad OAuth2 request at UserInfo Endpoint")]
    InvalidRequest,
    /// Expired, revoked, of another kind, or not granted `openid`.
    #[error("Access token is expired, disabled, or deleted, or the user has globally signed out.")]
    InvalidToken,
    /// The server failed; logged.
    #[error("The server could not answer.")]
    Server,
}

/// The standard attributes the `profile` scope reads (everything but e-mail and phone).
const PROFILE: [&str; 14] = [
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
];

impl Keystep {
    /// `userInfo`: `sub`, `username` and the attributes the token's scopes allow (values
    /// as strings, as Cognito answers them).
    pub async fn user_info(&self, access_token: Option<&str>) -> Result<Value, UserInfoError> {
        let token = access_token
            .filter(|t| !t.is_empty())
            .ok_or(UserInfoError::InvalidRequest)?;
        let caller = match self.check_access_token(token).await {
            Ok(c) => c,
            Err(AuthError::Internal(e)) => {
                tracing::error!(error = %e, "userInfo failed");
                return Err(UserInfoError::Server);
            }
            Err(_) => return Err(UserInfoError::InvalidToken),
        };
        if !caller.claims.has_scope("openid") {
            return Err(UserInfoError::InvalidToken);
        }
        let client = caller
            .client(self)
            .await
            .map_err(|_| UserInfoError::InvalidToken)?;
        let readable = |name: &str| {
            let list = &client.settings.read_attributes;
            list.is_empty() || list.iter().any(|a| a == name)
        };
        let user = &caller.user;
        let mut out = Map::new();
        out.insert("sub".into(), user.sub.clone().into());
        let mut wanted: Vec<&str> = Vec::new();
        if caller.claims.has_scope("email") {
            wanted.extend(["email", "email_verified"]);
        }
        if caller.claims.has_scope("phone") {
            wanted.extend(["phone_number", "phone_number_verified"]);
        }
        if caller.claims.has_scope("profile") {
            wanted.extend(PROFILE);
            wanted.push("address");
        }
        // The self-service scope reads what the API's GetUser reads.
        let everything = caller.claims.has_scope(crate::tokens::API_SCOPE);
        for (name, value) in &user.attributes {
            let asked = everything || wanted.contains(&name.as_str());
            if asked && name != "sub" && readable(name) {
                out.insert(name.clone(), value.clone().into());
            }
        }
        out.insert("username".into(), user.username.clone().into());
        Ok(Value::Object(out))
    }

    /// `/oauth2/revoke`: the refresh token (and its sign-in's tokens) stop working.
    pub async fn oauth_revoke(
        &self,
        client_id: &str,
        client_secret: Option<&str>,
        token: &str,
    ) -> Result<(), OAuthError> {
        if token.is_empty() {
            return Err(OAuthError::InvalidRequest("token is required.".into()));
        }
        let (client, _) = match self.load_client(client_id).await {
            Ok(found) => found,
            Err(AuthError::ResourceNotFound(_)) => return Err(OAuthError::InvalidClient),
            Err(e) => return Err(e.into()),
        };
        if client.secret.is_some() != client_secret.is_some() {
            return Err(OAuthError::InvalidClient);
        }
        match self.revoke_token(client_id, token, client_secret).await {
            Ok(()) => Ok(()),
            Err(AuthError::NotAuthorized(_)) => Err(OAuthError::InvalidClient),
            Err(AuthError::UnsupportedOperation(why)) => Err(OAuthError::InvalidRequest(why)),
            Err(AuthError::UnsupportedTokenType(why)) => Err(OAuthError::UnsupportedTokenType(why)),
            Err(AuthError::Unauthorized(why)) => Err(OAuthError::UnauthorizedClient(why)),
            Err(e) => Err(e.into()),
        }
    }
}
