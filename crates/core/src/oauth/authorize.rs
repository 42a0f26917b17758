//! What `/oauth2/authorize` (and the hosted pages that carry its query along) may ask
//! for, checked against the app client: the redirect URI first — until it is known to be
//! the client's, nothing may be sent to it — then the response type, PKCE, scopes and the
//! identity provider.

use serde::{Deserialize, Serialize};

use crate::app_client::AppClient;

use super::{pkce, OAuthError};

/// The longest value taken for any authorization parameter (a URL, `state`, `nonce`).
pub const MAX_PARAMETER: usize = 2048;

/// The authorization request's parameters, as sent (each at most once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizeParams {
    /// `response_type`.
    pub response_type: Option<String>,
    /// `client_id`.
    pub client_id: Option<String>,
    /// `redirect_uri`.
    pub redirect_uri: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `scope`, space-separated.
    pub scope: Option<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// `code_challenge`.
    pub code_challenge: Option<String>,
    /// `code_challenge_method`.
    pub code_challenge_method: Option<String>,
    /// `identity_provider`.
    pub identity_provider: Option<String>,
    /// `idp_identifier`.
    pub idp_identifier: Option<String>,
    /// `prompt`.
    pub prompt: Option<String>,
}

/// What the app asked to get back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseType {
    /// `code`: an authorization code in the redirect's query.
    Code,
    /// `token`: tokens in the redirect's fragment (the implicit grant).
    Token,
}

/// `prompt`, as far as the pages act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Prompt {
    /// Nothing asked: a signed-in browser goes straight back to the app.
    #[default]
    Default,
    /// `login`: sign in again even with a session.
    Login,
    /// `none`: never show a page; `login_required` when nobody is signed in.
    None,
}

/// A checked authorization request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorization {
    /// The pool of the client.
    pub pool_id: String,
    /// The app client.
    pub client_id: String,
    /// One of the client's `CallbackURLs`, exactly as registered.
    pub redirect_uri: String,
    /// `code` or `token`.
    pub response_type: ResponseType,
    /// The scopes that will be granted.
    pub scopes: Vec<String>,
    /// `state`, returned unchanged.
    pub state: Option<String>,
    /// `nonce`, copied into the ID token.
    pub nonce: Option<String>,
    /// The PKCE `S256` challenge.
    pub code_challenge: Option<String>,
    /// The identity provider asked for by name or identifier (`None`: the pages).
    pub identity_provider: Option<String>,
    /// `prompt`.
    pub prompt: Prompt,
}

/// Why an authorization request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The client or redirect URI is unknown: the browser stays on the error page (an
    /// attacker must not be able to bounce it, or a code, anywhere).
    ErrorPage {
        /// Cognito's `error` for the page (`redirect_mismatch`, ...).
        error: &'static str,
        /// For the page.
        description: String,
    },
    /// Anything else goes back to the app's redirect URI with `error` (and `state`).
    Redirect {
        /// Where.
        redirect_uri: String,
        /// `response_type=token` answers in the fragment.
        fragment: bool,
        /// The error.
        error: OAuthError,
        /// `state`, returned unchanged.
        state: Option<String>,
    },
}

impl Refusal {
    /// The error page for a client or URI that is not registered.
    pub fn redirect_mismatch() -> Refusal {
        Refusal::ErrorPage {
            error: "redirect_mismatch",
            description: "The redirect URI is not one of the app client's callback URLs.".into(),
        }
    }
}

/// Whether the client may use the OAuth endpoints with `flow` (`code`, `implicit`).
pub fn allows_flow(client: &AppClient, flow: &str) -> bool {
    let oauth = &client.settings.oauth;
    oauth.allowed_oauth_flows_user_pool_client
        && oauth.allowed_oauth_flows.iter().any(|f| f == flow)
}

/// The scopes an authorization grants. A scope the client is not allowed, or that no
/// resource server defines any more, is dropped (Cognito ignores it); `email`, `phone`
/// and `profile` need `openid`. Nothing asked for means everything the client is allowed.
pub fn granted_scopes(
    requested: Option<&str>,
    allowed: &[String],
    defined: &[String],
) -> Vec<String> {
    let usable = |s: &str| {
        allowed.iter().any(|a| a == s)
            && (super::STANDARD_SCOPES.contains(&s) || defined.iter().any(|d| d == s))
    };
    let asked: Vec<&str> = match requested.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => r.split([' ', '+']).filter(|s| !s.is_empty()).collect(),
        None => allowed.iter().map(String::as_str).collect(),
    };
    let mut granted: Vec<String> = Vec::new();
    for scope in asked {
        if usable(scope) && !granted.iter().any(|g| g == scope) {
            granted.push(scope.to_string());
        }
    }
    if !granted.iter().any(|g| g == "openid") {
        granted.retain(|g| !matches!(g.as_str(), "email" | "phone" | "profile"));
    }
    granted
}

/// Checks an authorization request against its client (`None`: no such client, or of
/// another pool than the domain's) and the pool's resource-server scopes.
pub fn check(
    params: &AuthorizeParams,
    client: Option<&AppClient>,
    defined_scopes: &[String],
) -> Result<Authorization, Refusal> {
    let Some(client) = client else {
        return Err(Refusal::redirect_mismatch());
    };
    let oauth = &client.settings.oauth;
    let redirect_uri = params
        .redirect_uri
        .as_deref()
        .filter(|uri| oauth.callback_urls.iter().any(|c| c == uri))
        .ok_or_else(Refusal::redirect_mismatch)?
        .to_string();
    let fragment = params.response_type.as_deref() == Some("token");
    let refuse = |error: OAuthError| Refusal::Redirect {
        redirect_uri: redirect_uri.clone(),
        fragment,
        error,
        state: params.state.clone(),
    };
    let too_long = [
        &params.state,
        &params.scope,
        &params.nonce,
        &params.code_challenge,
        &params.identity_provider,
        &params.idp_identifier,
    ]
    .iter()
    .any(|p| p.as_ref().is_some_and(|v| v.len() > MAX_PARAMETER));
    if too_long {
        return Err(refuse(OAuthError::InvalidRequest(
            "A parameter is too long.".into(),
        )));
    }
    let response_type = match params.response_type.as_deref() {
        Some("code") => ResponseType::Code,
        Some("token") => ResponseType::Token,
        None | Some("") => {
            return Err(refuse(OAuthError::InvalidRequest(
                "response_type is required.".into(),
            )))
        }
        Some(_) => {
            return Err(refuse(OAuthError::UnsupportedResponseType(
                "response_type must be code or token.".into(),
            )))
        }
    };
    let flow = match response_type {
        ResponseType::Code => "code",
        ResponseType::Token => "implicit",
    };
    if !allows_flow(client, flow) {
        return Err(refuse(OAuthError::UnauthorizedClient(format!(
            "The client may not use the {flow} flow."
        ))));
    }
    let code_challenge = match (
        params.code_challenge.as_deref(),
        params.code_challenge_method.as_deref(),
    ) {
        (None, None) => None,
        (Some(challenge), Some("S256")) if pkce::is_challenge(challenge) => {
            Some(challenge.to_string())
        }
        (Some(_), Some("S256")) => {
            return Err(refuse(OAuthError::InvalidRequest(
                "code_challenge is not an S256 challenge.".into(),
            )))
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(refuse(OAuthError::InvalidRequest(
                "code_challenge and code_challenge_method go together.".into(),
            )))
        }
        (Some(_), Some(_)) => {
            return Err(refuse(OAuthError::InvalidRequest(
                "code_challenge_method must be S256.".into(),
            )))
        }
    };
    if code_challenge.is_some() && response_type == ResponseType::Token {
        return Err(refuse(OAuthError::InvalidRequest(
            "PKCE goes with response_type=code.".into(),
        )));
    }
    let scopes = granted_scopes(
        params.scope.as_deref(),
        &oauth.allowed_oauth_scopes,
        defined_scopes,
    );
    if scopes.is_empty() {
        return Err(refuse(OAuthError::InvalidScope(
            "None of the requested scopes is allowed for this client.".into(),
        )));
    }
    let supported = &oauth.supported_identity_providers;
    let identity_provider = match params
        .identity_provider
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) if p.eq_ignore_ascii_case("COGNITO") => None,
        Some(p) if supported.iter().any(|s| s == p) => Some(p.to_string()),
        Some(_) => {
            return Err(refuse(OAuthError::InvalidRequest(
                "The identity provider is not supported by this client.".into(),
            )))
        }
    };
    let prompt = match params.prompt.as_deref() {
        Some(p) if p.split(' ').any(|v| v == "none") => Prompt::None,
        Some(p) if p.split(' ').any(|v| v == "login") => Prompt::Login,
        _ => Prompt::Default,
    };
    Ok(Authorization {
        pool_id: client.pool_id.clone(),
        client_id: client.client_id.clone(),
        redirect_uri,
        response_type,
        scopes,
        state: params.state.clone(),
        nonce: params.nonce.clone().filter(|n| !n.is_empty()),
        code_challenge,
        identity_provider,
        prompt,
    })
}

impl Authorization {
    /// Whether the pages' own sign-in (username and password) may be used: the client
    /// supports `COGNITO` (or names no provider at all).
    pub fn allows_cognito(client: &AppClient) -> bool {
        let supported = &client.settings.oauth.supported_identity_providers;
        supported.is_empty() || supported.iter().any(|s| s == "COGNITO")
    }

    /// The query that carries this request to the pages and back (`/login?...`).
    pub fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("client_id", &self.client_id);
        q.append_pair(
            "response_type",
            match self.response_type {
                ResponseType::Code => "code",
                ResponseType::Token => "token",
            },
        );
        q.append_pair("redirect_uri", &self.redirect_uri);
        q.append_pair("scope", &self.scopes.join(" "));
        if let Some(state) = &self.state {
            q.append_pair("state", state);
        }
        if let Some(nonce) = &self.nonce {
            q.append_pair("nonce", nonce);
        }
        if let Some(challenge) = &self.code_challenge {
            q.append_pair("code_challenge", challenge);
            q.append_pair("code_challenge_method", "S256");
        }
        q.finish()
    }
}

/// `redirect_uri` with `params` added: to the query (`code`, errors) or, for the implicit
/// grant, as the fragment.
pub fn redirect_with(redirect_uri: &str, fragment: bool, params: &[(&str, &str)]) -> String {
    let mut encoded = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        encoded.append_pair(k, v);
    }
    let encoded = encoded.finish();
    if fragment {
        format!("{redirect_uri}#{encoded}")
    } else if redirect_uri.contains('?') {
        format!("{redirect_uri}&{encoded}")
    } else {
        format!("{redirect_uri}?{encoded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_client::ClientSettings;

    fn client() -> AppClient {
        let mut settings = ClientSettings::default();
        settings.oauth.allowed_oauth_flows_user_pool_client = true;
        settings.oauth.allowed_oauth_flows = vec!["code".into()];
        settings.oauth.allowed_oauth_scopes =
            vec!["openid".into(), "email".into(), "api/read".into()];
        settings.oauth.callback_urls = vec!["https://app.example.com/cb".into()];
        settings.oauth.supported_identity_providers = vec!["COGNITO".into()];
        AppClient {
            pool_id: "us-east-1_abc".into(),
            client_id: "client1".into(),
            name: "app".into(),
            secret: None,
            created_at: crate::Millis(0),
            modified_at: crate::Millis(0),
            settings: settings.into(),
            secret_rotation: Default::default(),
        }
    }

    fn params() -> AuthorizeParams {
        AuthorizeParams {
            response_type: Some("code".into()),
            client_id: Some("client1".into()),
            redirect_uri: Some("https://app.example.com/cb".into()),
            state: Some("st".into()),
            ..AuthorizeParams::default()
        }
    }

    fn error_of(r: Result<Authorization, Refusal>) -> &'static str {
        match r {
            Err(Refusal::Redirect { error, .. }) => error.name(),
            Err(Refusal::ErrorPage { error, .. }) => error,
            Ok(_) => "ok",
        }
    }

    #[test]
    fn a_registered_uri_is_matched_exactly() {
        let c = client();
        assert!(check(&params(), Some(&c), &[]).is_ok());
        for uri in [
            "https://app.example.com/cb/",
            "https://app.example.com/cb?x=1",
            "https://APP.example.com/cb",
            "https://evil.example.com/cb",
        ] {
            let mut p = params();
            p.redirect_uri = Some(uri.into());
            assert_eq!(
                error_of(check(&p, Some(&c), &[])),
                "redirect_mismatch",
                "{uri}"
            );
        }
        assert_eq!(error_of(check(&params(), None, &[])), "redirect_mismatch");
    }

    #[test]
    fn other_errors_go_back_to_the_app_with_state() {
        let c = client();
        let mut p = params();
        p.response_type = Some("token".into());
        match check(&p, Some(&c), &[]) {
            Err(Refusal::Redirect {
                error,
                state,
                fragment,
                ..
            }) => {
                assert_eq!(error.name(), "unauthorized_client");
                assert_eq!(state.as_deref(), Some("st"));
                assert!(fragment);
            }
            other => panic!("{other:?}"),
        }
        p.response_type = None;
        assert_eq!(error_of(check(&p, Some(&c), &[])), "invalid_request");
        p.response_type = Some("id_token".into());
        assert_eq!(
            error_of(check(&p, Some(&c), &[])),
            "unsupported_response_type"
        );
    }

    #[test]
    fn pkce_is_s256_only() {
        let c = client();
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        let mut p = params();
        p.code_challenge = Some(challenge.into());
        assert_eq!(error_of(check(&p, Some(&c), &[])), "invalid_request");
        p.code_challenge_method = Some("plain".into());
        assert_eq!(error_of(check(&p, Some(&c), &[])), "invalid_request");
        p.code_challenge_method = Some("S256".into());
        let ok = check(&p, Some(&c), &[]).expect("S256");
        assert_eq!(ok.code_challenge.as_deref(), Some(challenge));
    }

    #[test]
    fn scopes_are_those_allowed_and_defined() {
        let allowed: Vec<String> = ["openid", "email", "api/read", "api/gone"]
            .map(String::from)
            .to_vec();
        let defined = vec!["api/read".to_string()];
        assert_eq!(
            granted_scopes(None, &allowed, &defined),
            ["openid", "email", "api/read"]
        );
        assert_eq!(
            granted_scopes(Some("email api/read phone"), &allowed, &defined),
            ["api/read"]
        );
        assert_eq!(
            granted_scopes(Some("openid+email"), &allowed, &defined),
            ["openid", "email"]
        );
        assert!(granted_scopes(Some("api/gone"), &allowed, &defined).is_empty());
        let c = client();
        let mut p = params();
        p.scope = Some("phone".into());
        assert_eq!(error_of(check(&p, Some(&c), &[])), "invalid_scope");
    }

    #[test]
    fn redirects_add_to_query_or_fragment() {
        assert_eq!(
            redirect_with("https://a/cb", false, &[("code", "x y"), ("state", "s")]),
            "https://a/cb?code=x+y&state=s"
        );
        assert_eq!(
            redirect_with("https://a/cb?k=1", false, &[("code", "c")]),
            "https://a/cb?k=1&code=c"
        );
        assert_eq!(
            redirect_with("https://a/cb", true, &[("access_token", "t")]),
            "https://a/cb#access_token=t"
        );
    }
}
