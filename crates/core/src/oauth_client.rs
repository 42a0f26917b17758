//! An app client's OAuth settings, checked as Cognito checks them at
//! `CreateUserPoolClient` / `UpdateUserPoolClient`: the flows and how they combine, the
//! scopes (standard, or a resource server's), the callback and sign-out URLs, the identity
//! providers.

use crate::app_client::OAuthSettings;
use crate::error::AuthError;

/// The scopes every pool knows.
pub const STANDARD_SCOPES: [&str; 5] = [
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

const FLOWS: [&str; 3] = ["code", "implicit", "client_credentials"];

/// What a check needs to know besides the settings.
pub struct OAuthContext<'a> {
    /// The pool.
    pub pool_id: &'a str,
    /// Whether the client has a secret.
    pub has_secret: bool,
    /// The pool's custom scopes, `<resource server identifier>/<scope name>`.
    pub custom_scopes: &'a [String],
    /// The names of the pool's identity providers.
    pub provider_names: &'a [String],
}

fn flow_error(message: &str) -> AuthError {
    AuthError::InvalidOAuthFlow(message.into())
}

fn invalid(message: String) -> AuthError {
    AuthError::InvalidParameter(message)
}

/// Checks one callback or sign-out URL: absolute, no fragment, at most 1024 characters,
/// HTTPS — or plain HTTP to the local machine, as Cognito allows for development.
fn check_url(kind: &str, url: &str) -> Result<(), AuthError> {
    let bad = || {
        invalid(format!("{kind} must be absolute HTTPS URLs without a fragment (http is accepted for localhost only): {url}"))
    };
    if url.is_empty()
        || url.chars().count() > 1024
        || url.contains('#')
        || url.chars().any(char::is_whitespace)
    {
        return Err(bad());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad());
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, h)| h)
        .split(':')
        .next()
        .unwrap_or_default();
    if host.is_empty() {
        return Err(bad());
    }
    let local = host == "localhost" || host == "127.0.0.1";
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if local => Ok(()),
        // Native apps register their own scheme (myapp://callback), which Cognito takes.
        "http" => Err(bad()),
        s if !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
        {
            Ok(())
        }
        _ => Err(bad()),
    }
}

/// The check.
pub fn check(s: &OAuthSettings, ctx: &OAuthContext<'_>) -> Result<(), AuthError> {
    for flow in &s.allowed_oauth_flows {
        if !FLOWS.contains(&flow.as_str()) {
            return Err(invalid(format!(
                "1 validation error detected: Value '[{flow}]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]"
            )));
        }
    }
    let has = |f: &str| s.allowed_oauth_flows.iter().any(|x| x == f);
    let machine = has("client_credentials");
    if machine && (has("code") || has("implicit")) {
        return Err(flow_error(
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        ));
    }
    if machine && !ctx.has_secret {
        return Err(flow_error(
            "client_credentials flow can not be selected if client does not have a client secret.",
        ));
    }
    for scope in &s.allowed_oauth_scopes {
        let standard = STANDARD_SCOPES.contains(&scope.as_str());
        if !standard && !ctx.custom_scopes.contains(scope) {
            return Err(AuthError::ScopeDoesNotExist(format!(
                "Invalid scope requested: {scope}"
            )));
        }
        if machine && standard {
            return Err(flow_error(
                "client_credentials flow can only be used with custom scopes.",
            ));
        }
    }
    if s.allowed_oauth_flows_user_pool_client
        && (s.allowed_oauth_flows.is_empty() || s.allowed_oauth_scopes.is_empty())
    {
        return Err(flow_error(
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
        ));
    }
    if (has("code") || has("implicit")) && s.callback_urls.is_empty() {
        return Err(invalid(
            "CallbackURLs are required for the code and implicit flows.".into(),
        ));
    }
    if s.callback_urls.len() > 100 || s.logout_urls.len() > 100 {
        return Err(invalid(
            "A client has at most 100 CallbackURLs and 100 LogoutURLs.".into(),
        ));
    }
    for url in &s.callback_urls {
        check_url("CallbackURLs", url)?;
    }
    for url in &s.logout_urls {
        check_url("LogoutURLs", url)?;
    }
    if let Some(default) = &s.default_redirect_uri {
        if !s.callback_urls.contains(default) {
            return Err(invalid(
                "DefaultRedirectURI must be one of the CallbackURLs.".into(),
            ));
        }
    }
    for idp in &s.supported_identity_providers {
        // The pool's own users, or one of its identity providers: a social provider's
        // name (Google, Facebook...) counts only once the pool has that provider.
        if idp != "COGNITO" && !ctx.provider_names.contains(idp) {
            return Err(invalid(format!(
                "The provider {idp} does not exist for User Pool {}",
                ctx.pool_id
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(flows: &[&str], scopes: &[&str], urls: &[&str]) -> OAuthSettings {
        OAuthSettings {
            allowed_oauth_flows: flows.iter().map(|s| s.to_string()).collect(),
            allowed_oauth_scopes: scopes.iter().map(|s| s.to_string()).collect(),
            callback_urls: urls.iter().map(|s| s.to_string()).collect(),
            allowed_oauth_flows_user_pool_client: true,
            ..Default::default()
        }
    }

    fn run(s: &OAuthSettings, secret: bool) -> Result<(), AuthError> {
        let custom = vec!["https://api.example.com/read".to_string()];
        let providers = vec!["Corp".to_string()];
        check(
            s,
            &OAuthContext {
                pool_id: "us-east-1_P",
                has_secret: secret,
                custom_scopes: &custom,
                provider_names: &providers,
            },
        )
    }

    #[test]
    fn flows_scopes_and_urls_follow_cognitos_rules() {
        assert!(run(
            &settings(&["code"], &["openid", "email"], &["https://app.example/cb"]),
            false
        )
        .is_ok());
        assert!(run(
            &settings(&["code"], &["openid"], &["http://localhost:3000/"]),
            false
        )
        .is_ok());
        assert!(run(
            &settings(&["code"], &["openid"], &["myapp://callback"]),
            false
        )
        .is_ok());
        assert!(run(
            &settings(&["code"], &["openid"], &["http://app.example/cb"]),
            false
        )
        .is_err());
        assert!(run(
            &settings(&["code"], &["openid"], &["https://app.example/cb#x"]),
            false
        )
        .is_err());
        assert!(run(&settings(&["code"], &["openid"], &[]), false).is_err());
        assert!(matches!(
            run(
                &settings(&["code"], &["nope"], &["https://a.example/"]),
                false
            ),
            Err(AuthError::ScopeDoesNotExist(_))
        ));
        let machine = settings(
            &["client_credentials"],
            &["https://api.example.com/read"],
            &[],
        );
        assert!(run(&machine, true).is_ok());
        assert!(matches!(
            run(&machine, false),
            Err(AuthError::InvalidOAuthFlow(_))
        ));
        assert!(matches!(
            run(
                &settings(
                    &["client_credentials", "code"],
                    &["https://api.example.com/read"],
                    &["https://a.example/"]
                ),
                true
            ),
            Err(AuthError::InvalidOAuthFlow(_))
        ));
        assert!(matches!(
            run(&settings(&["client_credentials"], &["openid"], &[]), true),
            Err(AuthError::InvalidOAuthFlow(_))
        ));
        assert!(run(&settings(&["password"], &["openid"], &[]), false).is_err());
        let mut s = settings(&["code"], &["openid"], &["https://a.example/"]);
        s.default_redirect_uri = Some("https://b.example/".into());
        assert!(run(&s, false).is_err());
        s.default_redirect_uri = None;
        s.supported_identity_providers = vec!["Google".into()];
        assert!(run(&s, false).is_err());
        s.supported_identity_providers = vec!["COGNITO".into()];
        assert!(run(&s, false).is_ok());
        s.supported_identity_providers = vec!["COGNITO".into(), "Corp".into()];
        assert!(run(&s, false).is_ok());
        s.supported_identity_providers = vec!["corp".into()];
        assert!(run(&s, false).is_err());
        assert!(run(&OAuthSettings::default(), false).is_ok());
    }
}
