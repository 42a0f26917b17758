//! [`AuthConfig`]: which user pool and app client to talk to, and where.

use std::fmt;

/// The user pool and app client an [`crate::Auth`] signs in to.
///
/// ```
/// use keystep_client::AuthConfig;
/// let config = AuthConfig {
///     user_pool_id: "us-east-1_XaMpLe123".into(),
///     client_id: "1example23456789abcdefghij".into(),
///     client_secret: None,
///     endpoint: Some("http://127.0.0.1:9229".into()),
///     region: "us-east-1".into(),
/// };
/// assert_eq!(config.endpoint_url(), "http://127.0.0.1:9229");
/// ```
#[derive(Clone, Default)]
pub struct AuthConfig {
    /// The user pool id, `<region>_<suffix>`.
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The app client secret, for confidential clients (adds `SECRET_HASH`).
    pub client_secret: Option<String>,
    /// The service URL; `None` means `https://cognito-idp.{region}.amazonaws.com`.
    pub endpoint: Option<String>,
    /// The AWS region (used for the default endpoint).
    pub region: String,
}

impl AuthConfig {
    /// The URL requests are posted to, without a trailing slash.
    ///
    /// ```
    /// use keystep_client::AuthConfig;
    /// let config = AuthConfig { region: "eu-west-1".into(), ..Default::default() };
    /// assert_eq!(config.endpoint_url(), "https://cognito-idp.eu-west-1.amazonaws.com");
    /// ```
    pub fn endpoint_url(&self) -> String {
        match &self.endpoint {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("https://cognito-idp.{}.amazonaws.com", self.region),
        }
    }

    /// The `SECRET_HASH` for `username`, when the client has a secret.
    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_deref()
            .map(|secret| keystep_srp::secret_hash(secret, username, &self.client_id))
    }
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_stays_out_of_debug() {
        let config = AuthConfig {
            client_secret: Some("hunter2".into()),
            ..Default::default()
        };
        assert!(!format!("{config:?}").contains("hunter2"));
    }
}
