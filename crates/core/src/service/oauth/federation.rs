//! Sign-in through a federated identity provider: the browser is sent to the provider
//! with a sealed `state`; it comes back to `/oauth2/idpresponse` with a code, which is
//! traded at the provider's token endpoint; the provider's ID token is checked against
//! its published keys (OpenID Connect), or its profile endpoint is asked with the access
//! token (Facebook, Login with Amazon); the federated user `<provider>_<subject>` is
//! created or updated from `AttributeMapping` (or the user linked to that identity signs
//! in); and the app's authorization completes as after a sign-in on the pages.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::AuthError;
use crate::federation::{self, FederationError, FederationState, Proof, FEDERATION_SECS};
use crate::identity_provider::{federated_username, IdentityProvider, ProviderType};
use crate::oauth::authorize::{Authorization, Refusal, ResponseType};
use crate::oauth::OAuthError;
use crate::pool::UserPool;
use crate::user::{MfaSettings, User, UserStatus};

use super::super::users::{apply_attribute_updates, AttributeWriter};
use super::super::Keystep;
use super::hosted::HostedStep;
use super::OPAQUE_BYTES;

const STATE_CONTEXT: &str = "federation-state";

/// Where federated providers send the browser back: `<public_url>/oauth2/idpresponse`.
pub fn idp_response_url(public_url: &str) -> String {
    format!("{}/oauth2/idpresponse", public_url.trim_end_matches('/'))
}

fn to_app(auth: &Authorization, e: &FederationError) -> Refusal {
    tracing::info!(target: "keystep::oauth", error = %e, "federated sign-in failed");
    Refusal::Redirect {
        redirect_uri: auth.redirect_uri.clone(),
        fragment: auth.response_type == ResponseType::Token,
        error: OAuthError::InvalidRequest(e.to_string()),
        state: auth.state.clone(),
    }
}

fn server(e: &AuthError) -> Refusal {
    tracing::error!(error = %e, "federated sign-in failed");
    Refusal::ErrorPage {
        error: "server_error",
        description: "The server could not answer.".into(),
    }
}

fn upstream(e: crate::ports::UpstreamError) -> FederationError {
    FederationError::Upstream(e.0)
}

impl Keystep {
    /// The provider an authorization names (by `identity_provider` or `idp_identifier`).
    async fn provider_of(
        &self,
        auth: &Authorization,
        name: &str,
    ) -> Result<IdentityProvider, Refusal> {
        let by_name = self
            .store
            .get_identity_provider(&auth.pool_id, name)
            .await
            .map_err(|e| server(&e.into()))?;
        let found = match by_name {
            Some(idp) => Some(idp),
            None => self
                .store
                .get_identity_provider_by_identifier(&auth.pool_id, name)
                .await
                .map_err(|e| server(&e.into()))?,
        };
        let found = found.ok_or_else(|| {
            to_app(
                auth,
                &FederationError::Configuration(format!(
                    "the pool has no identity provider {name}"
                )),
            )
        })?;
        // The stored client_secret / private_key are sealed at rest.
        self.opened_provider(found).map_err(|e| server(&e))
    }

    async fn upstream_endpoints(
        &self,
        idp: &IdentityProvider,
    ) -> Result<federation::UpstreamEndpoints, FederationError> {
        let discovered = if federation::needs_discovery(idp) {
            let details = crate::identity_provider::described_details(idp);
            let issuer = details
                .get("oidc_issuer")
                .ok_or_else(|| FederationError::Configuration("no oidc_issuer".into()))?;
            Some(
                self.upstream
                    .get_json(&federation::discovery_url(issuer), None)
                    .await
                    .map_err(upstream)?,
            )
        } else {
            None
        };
        federation::endpoints(idp, discovered.as_ref())
    }

    /// Sends the browser to the provider: the redirect URL, with a sealed `state` that
    /// carries the app's authorization back.
    pub async fn begin_federation(
        &self,
        auth: &Authorization,
        provider: &str,
    ) -> Result<String, Refusal> {
        let idp = self.provider_of(auth, provider).await?;
        let endpoints = self
            .upstream_endpoints(&idp)
            .await
            .map_err(|e| to_app(auth, &e))?;
        let nonce = crate::ids::new_opaque_token(&*self.rng, OPAQUE_BYTES);
        let state = FederationState {
            id: crate::ids::new_uuid(&*self.rng),
            auth: auth.clone(),
            provider: idp.name.clone(),
            nonce: nonce.clone(),
            expires_at: self.clock.now().plus_secs(FEDERATION_SECS),
        };
        let plain = serde_json::to_vec(&state).map_err(|e| server(&AuthError::internal(e)))?;
        let sealed = URL_SAFE_NO_PAD.encode(self.keys.seal_block(STATE_CONTEXT, &plain));
        let scope = idp.details.get("authorize_scopes").unwrap_or("openid");
        let redirect_uri = idp_response_url(&self.config.public_url);
        let client_id = idp.details.get("client_id").unwrap_or_default();
        let mut params = vec![
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", &redirect_uri),
            ("scope", scope),
            ("state", &sealed),
        ];
        if endpoints.proof.uses_nonce() {
            params.push(("nonce", &nonce));
        }
        Ok(crate::oauth::authorize::redirect_with(
            &endpoints.authorize_url,
            false,
            &params,
        ))
    }

    /// `/oauth2/idpresponse`: the provider sent the browser back with `code` and `state`
    /// (or an `error`). Ends like a sign-in on the pages.
    pub async fn finish_federation(
        &self,
        query: &BTreeMap<String, String>,
    ) -> Result<HostedStep, Refusal> {
        let sealed = query.get("state").map(String::as_str).unwrap_or_default();
        let state = self.open_federation_state(sealed).await?;
        let auth = &state.auth;
        if let Some(error) = query.get("error") {
            return Err(to_app(
                auth,
                &FederationError::Upstream(format!("the provider answered {error}")),
            ));
        }
        let code = query
            .get("code")
            .filter(|c| !c.is_empty())
            .ok_or_else(|| to_app(auth, &FederationError::Refused("no code".into())))?;
        let idp = self.provider_of(auth, &state.provider).await?;
        let (pool, _) = self
            .load_pool_client(&auth.pool_id, &auth.client_id)
            .await
            .map(|(client, pool)| (pool, client))
            .map_err(|e| server(&e))?;
        let claims = self
            .provider_claims(&idp, code, &state.nonce)
            .await
            .map_err(|e| to_app(auth, &e))?;
        let user = self
            .federated_user(&pool, &idp, &claims)
            .await
            .map_err(|e| match e {
                Federated::Refused(f) => to_app(auth, &f),
                Federated::Failed(a) => server(&a),
            })?;
        if !user.enabled {
            return Err(to_app(
                auth,
                &FederationError::Refused("the user is disabled".into()),
            ));
        }
        self.signed_in_on_pages(auth, &user, self.clock.now())
            .await
            .map_err(|e| server(&e))
    }

    async fn open_federation_state(&self, sealed: &str) -> Result<FederationState, Refusal> {
        let page = |why: &str| Refusal::ErrorPage {
            error: "invalid_request",
            description: why.to_string(),
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed)
            .map_err(|_| page("The sign-in state is missing or malformed."))?;
        let plain = self
            .keys
            .open_block(STATE_CONTEXT, &bytes)
            .map_err(|_| page("The sign-in state is not this server's."))?;
        let state: FederationState =
            serde_json::from_slice(&plain).map_err(|_| page("The sign-in state is malformed."))?;
        if self.clock.now() >= state.expires_at {
            return Err(to_app(
                &state.auth,
                &FederationError::Refused("the sign-in at the provider took too long".into()),
            ));
        }
        // A state works once: a replayed callback is refused.
        let first = self
            .store
            .use_once(STATE_CONTEXT, &state.id, state.expires_at)
            .await
            .map_err(|e| server(&e.into()))?;
        if !first {
            return Err(page("This sign-in was completed already."));
        }
        Ok(state)
    }

    /// Trades the code and learns who signed in: from the ID token and userInfo, or from
    /// the profile of a provider without ID tokens.
    async fn provider_claims(
        &self,
        idp: &IdentityProvider,
        code: &str,
        nonce: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, FederationError> {
        let endpoints = self.upstream_endpoints(idp).await?;
        let client_id = idp
            .details
            .get("client_id")
            .ok_or_else(|| FederationError::Configuration("no client_id".into()))?;
        let mut form = vec![
            ("grant_type".to_string(), "authorization_code".to_string()),
            ("code".to_string(), code.to_string()),
            (
                "redirect_uri".to_string(),
                idp_response_url(&self.config.public_url),
            ),
        ];
        let secret = idp.details.get("client_secret");
        // Facebook and Login with Amazon take the client's credentials in the form.
        let in_form = matches!(endpoints.proof, Proof::Profile { .. });
        if secret.is_none() || in_form {
            form.push(("client_id".to_string(), client_id.to_string()));
        }
        if let (true, Some(secret)) = (in_form, secret) {
            form.push(("client_secret".to_string(), secret.to_string()));
        }
        let basic = secret.filter(|_| !in_form).map(|s| (client_id, s));
        let tokens = self
            .upstream
            .post_form(&endpoints.token_url, &form, basic)
            .await
            .map_err(upstream)?;
        let access = tokens.get("access_token").and_then(|t| t.as_str());
        match &endpoints.proof {
            Proof::IdToken {
                issuer,
                jwks_uri,
                userinfo_url,
            } => {
                let id_token = tokens
                    .get("id_token")
                    .and_then(|t| t.as_str())
                    .ok_or_else(|| FederationError::Refused("no id_token".into()))?;
                let jwks = self
                    .upstream
                    .get_json(jwks_uri, None)
                    .await
                    .map_err(upstream)?;
                let mut claims = federation::verify_id_token(
                    id_token,
                    &jwks,
                    issuer,
                    client_id,
                    nonce,
                    self.clock.now(),
                )?;
                if let (Some(url), Some(access)) = (userinfo_url, access) {
                    let info = self
                        .upstream
                        .get_json(url, Some(access))
                        .await
                        .map_err(upstream)?;
                    if info.get("sub") != claims.get("sub") {
                        return Err(FederationError::Refused(
                            "userInfo is about another subject".into(),
                        ));
                    }
                    if let serde_json::Value::Object(more) = info {
                        for (k, v) in more {
                            claims.entry(k).or_insert(v);
                        }
                    }
                }
                claims.insert("iss".into(), issuer.clone().into());
                Ok(claims)
            }
            Proof::Profile { profile_url } => {
                let access = access
                    .filter(|a| !a.is_empty())
                    .ok_or_else(|| FederationError::Refused("no access_token".into()))?;
                let url = match (idp.provider_type, secret) {
                    (ProviderType::Facebook, Some(secret)) => {
                        let proof = federation::facebook_appsecret_proof(secret, access);
                        format!("{profile_url}&appsecret_proof={proof}")
                    }
                    _ => profile_url.clone(),
                };
                match self
                    .upstream
                    .get_json(&url, Some(access))
                    .await
                    .map_err(upstream)?
                {
                    serde_json::Value::Object(profile) => Ok(profile),
                    _ => Err(FederationError::Refused(
                        "the profile is not an object".into(),
                    )),
                }
            }
        }
    }

    /// The user a provider's identity signs in as: the user linked to it, else the
    /// federated user, created or brought up to date from the mapped claims.
    async fn federated_user(
        &self,
        pool: &UserPool,
        idp: &IdentityProvider,
        claims: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<User, Federated> {
        let subject = federation::subject(idp, claims)
            .ok_or_else(|| Federated::Refused(FederationError::Refused("no subject".into())))?;
        let linked = self
            .store
            .get_provider_link(&pool.id, &idp.name, &subject)
            .await
            .map_err(|e| Federated::Failed(e.into()))?;
        if let Some(link) = linked {
            return self
                .store
                .get_user_by_sub(&pool.id, &link.sub)
                .await
                .map_err(|e| Federated::Failed(e.into()))?
                .ok_or_else(|| {
                    Federated::Refused(FederationError::Refused("the linked user is gone".into()))
                });
        }
        let mapped = federation::mapped_attributes(&idp.attribute_mapping, claims);
        let issuer = claims.get("iss").and_then(|v| v.as_str());
        let username = federated_username(&idp.name, &subject);
        let now = self.clock.now();
        let key = pool.username_key(&username);
        let existing = self
            .store
            .get_user(&pool.id, &key)
            .await
            .map_err(|e| Federated::Failed(e.into()))?;
        match existing {
            Some(user) => {
                // Mapped attributes are rewritten on every sign-in.
                let updated = self
                    .modify_user(pool, &user.sub, |u| {
                        apply_attribute_updates(pool, u, &mapped, AttributeWriter::Admin)?;
                        Ok(())
                    })
                    .await
                    .map_err(Federated::from_auth)?;
                updated.ok_or_else(|| {
                    Federated::Refused(FederationError::Refused("the user is gone".into()))
                })
            }
            None => {
                let mut user = User {
                    pool_id: pool.id.clone(),
                    username_key: key,
                    username: username.clone(),
                    sub: crate::ids::new_uuid(&*self.rng),
                    attributes: Default::default(),
                    status: UserStatus::ExternalProvider,
                    enabled: true,
                    created_at: now,
                    modified_at: now,
                    password: None,
                    password_set_at: None,
                    mfa: MfaSettings::default(),
                    tokens_valid_after: None,
                    pending_attributes: Default::default(),
                    password_history: Vec::new(),
                    version: 0,
                };
                apply_attribute_updates(pool, &mut user, &mapped, AttributeWriter::Admin)
                    .map_err(Federated::from_auth)?;
                user.attributes.insert(
                    "identities".into(),
                    federation::identities(idp, &subject, issuer, now),
                );
                self.insert_new_user(pool, &user, "User already exists")
                    .await
                    .map_err(Federated::from_auth)?;
                Ok(user)
            }
        }
    }
}

/// How finding the federated user failed: something about the identity (the app is
/// told), or the server.
enum Federated {
    Refused(FederationError),
    Failed(AuthError),
}

impl Federated {
    fn from_auth(e: AuthError) -> Federated {
        match e {
            AuthError::Internal(_) => Federated::Failed(e),
            other => Federated::Refused(FederationError::Refused(other.to_string())),
        }
    }
}
