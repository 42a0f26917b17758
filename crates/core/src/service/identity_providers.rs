//! `CreateIdentityProvider`, `DescribeIdentityProvider`, `ListIdentityProviders`,
//! `UpdateIdentityProvider`, `DeleteIdentityProvider`, `GetIdentityProviderByIdentifier`,
//! `AdminLinkProviderForUser`, `AdminDisableProviderForUser`.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::error::{AuthError, StoreError};
use crate::identity_provider::{
    self, IdentityProvider, ProviderLink, COGNITO, COGNITO_SUBJECT, MAX_LINKS_PER_USER,
    MAX_PROVIDERS_PER_POOL, SECRET_KEYS,
};
use crate::keys::Sealed;
use crate::pool::UserPool;

use super::Keystep;

/// A page of identity providers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityProviderPage {
    /// `Providers`.
    pub providers: Vec<IdentityProvider>,
    /// `NextToken`: the last name of this page, when more follow.
    pub next: Option<String>,
}

/// What `CreateIdentityProvider` asks for.
#[derive(Debug, Clone, Default)]
pub struct NewIdentityProvider {
    /// `ProviderName`.
    pub name: String,
    /// `ProviderType` as sent.
    pub provider_type: String,
    /// `ProviderDetails`.
    pub details: BTreeMap<String, String>,
    /// `AttributeMapping`.
    pub attribute_mapping: BTreeMap<String, String>,
    /// `IdpIdentifiers`.
    pub idp_identifiers: Vec<String>,
    /// `AcrMapping`.
    pub acr_mapping: BTreeMap<String, String>,
}

/// What `UpdateIdentityProvider` changes: each member given replaces the stored one.
#[derive(Debug, Clone, Default)]
pub struct IdentityProviderChanges {
    /// New `ProviderDetails`.
    pub details: Option<BTreeMap<String, String>>,
    /// New `AttributeMapping`.
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// New `IdpIdentifiers`.
    pub idp_identifiers: Option<Vec<String>>,
    /// New `AcrMapping`.
    pub acr_mapping: Option<BTreeMap<String, String>>,
}

/// A user named through a provider (`ProviderUserIdentifierType`).
#[derive(Debug, Clone, Default)]
pub struct ProviderUser {
    /// `ProviderName`.
    pub provider_name: Option<String>,
    /// `ProviderAttributeName`.
    pub attribute_name: Option<String>,
    /// `ProviderAttributeValue`.
    pub attribute_value: Option<String>,
}

fn not_found(name: &str) -> AuthError {
    AuthError::ResourceNotFound(format!(
        "Identity provider {} does not exist.",
        name.chars().take(32).collect::<String>()
    ))
}

/// The error for a store conflict on a provider's name or identifiers.
fn conflict(name: &str, what: &str) -> AuthError {
    match what.strip_prefix("identifier:") {
        Some(id) => AuthError::DuplicateProvider(format!(
            "The IdpIdentifier {id} is already used by another provider of this user pool."
        )),
        None if what == "limit" => AuthError::LimitExceeded(format!(
            "A user pool has at most {MAX_PROVIDERS_PER_POOL} identity providers."
        )),
        None => AuthError::DuplicateProvider(format!(
            "A provider with the name {name} already exists in this user pool."
        )),
    }
}

/// Checks a `ProviderUserIdentifierType` that names an identity at one of the pool's
/// providers and returns (provider, attribute name, subject). Cognito requires
/// `Cognito_Subject` for the social providers; SAML and OIDC may name any attribute.
fn identity_at_provider<'a>(
    provider: &IdentityProvider,
    user: &'a ProviderUser,
    member: &str,
) -> Result<(&'a str, &'a str), AuthError> {
    let attribute = user.attribute_name.as_deref().unwrap_or_default();
    let subject = user.attribute_value.as_deref().unwrap_or_default();
    if attribute.is_empty() || subject.is_empty() {
        return Err(AuthError::InvalidParameter(format!(
            "{member} needs ProviderAttributeName and ProviderAttributeValue."
        )));
    }
    if provider.provider_type.is_social() && attribute != COGNITO_SUBJECT {
        return Err(AuthError::InvalidParameter(format!(
            "The ProviderAttributeName of {member} must be {COGNITO_SUBJECT} for a {} provider.",
            provider.provider_type.as_str()
        )));
    }
    // The subject becomes part of a username (`<provider>_<subject>`), whose limit is 128.
    if subject.chars().count() > 128 {
        return Err(AuthError::InvalidParameter(format!(
            "The ProviderAttributeValue of {member} must have at most 128 characters."
        )));
    }
    Ok((attribute, subject))
}

/// How a sealed secret is written in the stored `ProviderDetails`.
const SEALED_PREFIX: &str = "sealed:v1:";

/// What a provider's secret is sealed for: its pool, provider and key, so a sealed value
/// copied to another provider or key does not open.
fn secret_context(pool_id: &str, provider: &str, key: &str) -> String {
    format!("idp-secret:{pool_id}:{provider}:{key}")
}

impl Keystep {
    /// The provider as stored: its secret details sealed with the master key, as app-client
    /// secrets are (the database alone does not give away a provider's client secret).
    fn sealed_provider(&self, provider: &IdentityProvider) -> IdentityProvider {
        let mut stored = provider.clone();
        for key in SECRET_KEYS {
            if let Some(value) = stored.details.0.get_mut(key) {
                let context = secret_context(&provider.pool_id, &provider.name, key);
                let sealed = self.keys.seal(&context, value.as_bytes());
                *value = format!("{SEALED_PREFIX}{}", STANDARD.encode(sealed.0));
            }
        }
        stored
    }

    /// The provider as read from the store, its secrets opened. Everything that reads a
    /// provider from the store and uses its secrets (federation) goes through this.
    pub(crate) fn opened_provider(
        &self,
        mut provider: IdentityProvider,
    ) -> Result<IdentityProvider, AuthError> {
        for key in SECRET_KEYS {
            let context = secret_context(&provider.pool_id, &provider.name, key);
            if let Some(value) = provider.details.0.get_mut(key) {
                let Some(encoded) = value.strip_prefix(SEALED_PREFIX) else {
                    continue;
                };
                let bytes = STANDARD.decode(encoded).map_err(AuthError::internal)?;
                let plain = self
                    .keys
                    .open(&context, &Sealed(bytes))
                    .map_err(AuthError::internal)?;
                *value = String::from_utf8(plain).map_err(AuthError::internal)?;
            }
        }
        Ok(provider)
    }

    /// The names of the pool's identity providers (for app clients'
    /// `SupportedIdentityProviders`).
    pub(crate) async fn pool_provider_names(
        &self,
        pool_id: &str,
    ) -> Result<Vec<String>, AuthError> {
        Ok(self
            .store
            .list_identity_providers(pool_id, None, MAX_PROVIDERS_PER_POOL)
            .await?
            .into_iter()
            .map(|p| p.name)
            .collect())
    }

    /// The federated user of an identity (`<provider>_<subject>`), by exact username:
    /// not by alias or `sub`, which could name someone else.
    async fn existing_federated_user(
        &self,
        pool: &UserPool,
        provider_name: &str,
        subject: &str,
    ) -> Result<Option<crate::user::User>, AuthError> {
        let username = identity_provider::federated_username(provider_name, subject);
        Ok(self
            .store
            .get_user(&pool.id, &pool.username_key(&username))
            .await?)
    }

    async fn load_provider(
        &self,
        pool: &UserPool,
        name: &str,
    ) -> Result<IdentityProvider, AuthError> {
        let stored = self
            .store
            .get_identity_provider(&pool.id, name)
            .await?
            .ok_or_else(|| not_found(name))?;
        self.opened_provider(stored)
    }

    /// `CreateIdentityProvider`.
    pub async fn create_identity_provider(
        &self,
        pool_id: &str,
        new: NewIdentityProvider,
    ) -> Result<IdentityProvider, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let provider_type = identity_provider::parse_type(&new.provider_type)?;
        identity_provider::check_name(&new.name, provider_type)?;
        let details = identity_provider::check_details(provider_type, &new.details)?;
        let attribute_mapping = identity_provider::check_attribute_mapping(
            &pool,
            provider_type,
            &new.attribute_mapping,
        )?;
        identity_provider::check_identifiers(&new.idp_identifiers)?;
        identity_provider::check_acr_mapping(&new.acr_mapping)?;
        let now = self.clock.now();
        let provider = IdentityProvider {
            pool_id: pool.id,
            name: new.name,
            provider_type,
            details,
            attribute_mapping,
            idp_identifiers: new.idp_identifiers,
            acr_mapping: new.acr_mapping,
            created_at: now,
            modified_at: now,
        };
        match self
            .store
            .insert_identity_provider(&self.sealed_provider(&provider), MAX_PROVIDERS_PER_POOL)
            .await
        {
            Ok(()) => Ok(provider),
            Err(StoreError::Conflict(what)) => Err(conflict(&provider.name, &what)),
            Err(StoreError::NotFound) => Err(super::pool_not_found(pool_id)),
            Err(e) => Err(e.into()),
        }
    }

    /// `DescribeIdentityProvider`.
    pub async fn describe_identity_provider(
        &self,
        pool_id: &str,
        name: &str,
    ) -> Result<IdentityProvider, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        self.load_provider(&pool, name).await
    }

    /// `GetIdentityProviderByIdentifier`.
    pub async fn identity_provider_by_identifier(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<IdentityProvider, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let stored = self
            .store
            .get_identity_provider_by_identifier(&pool.id, identifier)
            .await?
            .ok_or_else(|| {
                AuthError::ResourceNotFound(format!(
                    "No identity provider of this user pool has the identifier {}.",
                    identifier.chars().take(40).collect::<String>()
                ))
            })?;
        self.opened_provider(stored)
    }

    /// `ListIdentityProviders`: `MaxResults` 1–60 (60 when absent), by name.
    pub async fn list_identity_providers(
        &self,
        pool_id: &str,
        max_results: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<IdentityProviderPage, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let max_results = max_results.unwrap_or(60);
        if !(1..=60).contains(&max_results) {
            return Err(AuthError::InvalidParameter(
                "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60".into(),
            ));
        }
        let limit = max_results as u32;
        let mut found = self
            .store
            .list_identity_providers(&pool.id, next_token, limit + 1)
            .await?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        let next = more.then(|| found.last().map(|p| p.name.clone())).flatten();
        let providers = found
            .into_iter()
            .map(|p| self.opened_provider(p))
            .collect::<Result<_, _>>()?;
        Ok(IdentityProviderPage { providers, next })
    }

    /// `UpdateIdentityProvider`: each member given replaces the stored one whole (Cognito
    /// replaces the `ProviderDetails` map rather than merging it) and is checked as at
    /// create; the name and type never change.
    pub async fn update_identity_provider(
        &self,
        pool_id: &str,
        name: &str,
        changes: IdentityProviderChanges,
    ) -> Result<IdentityProvider, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let mut provider = self.load_provider(&pool, name).await?;
        if let Some(details) = &changes.details {
            provider.details = identity_provider::check_details(provider.provider_type, details)?;
        }
        if let Some(mapping) = &changes.attribute_mapping {
            provider.attribute_mapping =
                identity_provider::check_attribute_mapping(&pool, provider.provider_type, mapping)?;
        }
        if let Some(ids) = changes.idp_identifiers {
            identity_provider::check_identifiers(&ids)?;
            provider.idp_identifiers = ids;
        }
        if let Some(acr) = changes.acr_mapping {
            identity_provider::check_acr_mapping(&acr)?;
            provider.acr_mapping = acr;
        }
        provider.modified_at = self.clock.now();
        match self
            .store
            .update_identity_provider(&self.sealed_provider(&provider))
            .await
        {
            Ok(true) => Ok(provider),
            Ok(false) => Err(not_found(name)),
            Err(StoreError::Conflict(what)) => Err(conflict(name, &what)),
            Err(e) => Err(e.into()),
        }
    }

    /// `DeleteIdentityProvider`: its identifiers and the links to it go too. App clients
    /// that list it in `SupportedIdentityProviders` keep the name (Cognito's behaviour
    /// here is not documented).
    pub async fn delete_identity_provider(
        &self,
        pool_id: &str,
        name: &str,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        if !self.store.delete_identity_provider(&pool.id, name).await? {
            return Err(not_found(name));
        }
        Ok(())
    }

    /// `AdminLinkProviderForUser`: from now on the identity `source` at one of the pool's
    /// providers signs in as the existing user `destination`.
    ///
    /// - `DestinationUser` must be `ProviderName: "Cognito"` with the username (or an
    ///   alias) as `ProviderAttributeValue`; a missing user is `UserNotFoundException`.
    ///   Cognito also accepts a federated user here; Keystep has none until federated
    ///   sign-in exists, so other provider names are `InvalidParameterException`.
    /// - `SourceUser` must name a provider of the pool (not `Cognito`; an unknown one is
    ///   `ResourceNotFoundException`, **UNCONFIRMED**) and the identity there
    ///   (`Cognito_Subject` for social providers).
    /// - An identity already signed up as its own federated user (`<provider>_<subject>`)
    ///   is refused as Cognito refuses it ("Merging is not currently supported...").
    /// - An identity linked already, to anyone, is `AliasExistsException` (as observed on
    ///   Cognito); a user with five links is `LimitExceededException`.
    pub async fn admin_link_provider_for_user(
        &self,
        pool_id: &str,
        destination: &ProviderUser,
        source: &ProviderUser,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        if destination.provider_name.as_deref() != Some(COGNITO) {
            return Err(AuthError::InvalidParameter(
                "The ProviderName of DestinationUser must be Cognito.".into(),
            ));
        }
        let username = destination
            .attribute_value
            .as_deref()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                AuthError::InvalidParameter(
                    "DestinationUser needs a ProviderAttributeValue (the username).".into(),
                )
            })?;
        let source_name = source.provider_name.as_deref().unwrap_or_default();
        if source_name.is_empty() || source_name.eq_ignore_ascii_case(COGNITO) {
            return Err(AuthError::InvalidParameter(
                "The ProviderName of SourceUser must be an identity provider of the user pool, not Cognito.".into(),
            ));
        }
        let provider = self.load_provider(&pool, source_name).await?;
        let (attribute, subject) = identity_at_provider(&provider, source, "SourceUser")?;
        let user = self.require_user(&pool, username).await?;
        if self
            .existing_federated_user(&pool, &provider.name, subject)
            .await?
            .is_some()
        {
            return Err(AuthError::InvalidParameter(
                "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link".into(),
            ));
        }
        let link = ProviderLink {
            pool_id: pool.id.clone(),
            provider_name: provider.name.clone(),
            attribute_name: attribute.to_string(),
            subject: subject.to_string(),
            sub: user.sub.clone(),
            created_at: self.clock.now(),
        };
        match self
            .store
            .insert_provider_link(&link, MAX_LINKS_PER_USER)
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict(what)) if what == "limit" => Err(AuthError::LimitExceeded(
                format!("A user has at most {MAX_LINKS_PER_USER} linked identities."),
            )),
            Err(StoreError::Conflict(_)) => Err(AuthError::AliasExists(format!(
                "The identity {subject} of {} is already linked to a user.",
                provider.name
            ))),
            // The user or the provider was deleted meanwhile.
            Err(StoreError::NotFound) => Err(not_found(&provider.name)),
            Err(e) => Err(e.into()),
        }
    }

    /// `AdminDisableProviderForUser`: the identity at the provider no longer signs in as
    /// the user it was linked to, and its own federated user (`<provider>_<subject>`), if
    /// it has one, is disabled (tokens invalidated, refresh tokens revoked) as Cognito
    /// documents.
    ///
    /// `ProviderAttributeName` must be `Cognito_Subject`, or for SAML/OIDC the attribute
    /// the link was made with. Neither a link nor a federated user is
    /// `UserNotFoundException` (**UNCONFIRMED**). `ProviderName: "Cognito"` (which on
    /// Cognito stops a native user's password sign-in) is not built:
    /// `UnsupportedOperationException` says so.
    pub async fn admin_disable_provider_for_user(
        &self,
        pool_id: &str,
        user: &ProviderUser,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let name = user.provider_name.as_deref().unwrap_or_default();
        if name.is_empty() {
            return Err(AuthError::InvalidParameter(
                "User needs a ProviderName.".into(),
            ));
        }
        if name.eq_ignore_ascii_case(COGNITO) {
            return Err(AuthError::UnsupportedOperation(
                "Keystep does not support AdminDisableProviderForUser for Cognito (native) users yet".into(),
            ));
        }
        let provider = self.load_provider(&pool, name).await?;
        let (attribute, subject) = identity_at_provider(&provider, user, "User")?;
        let mut found = false;
        if let Some(link) = self
            .store
            .get_provider_link(&pool.id, &provider.name, subject)
            .await?
        {
            if attribute != COGNITO_SUBJECT && attribute != link.attribute_name {
                return Err(AuthError::InvalidParameter(format!(
                    "The identity was linked with the attribute {}, not {attribute}.",
                    link.attribute_name
                )));
            }
            found |= self
                .store
                .delete_provider_link(&pool.id, &provider.name, subject)
                .await?;
        }
        if let Some(user) = self
            .existing_federated_user(&pool, &provider.name, subject)
            .await?
        {
            if user.enabled {
                self.admin_disable_user(&pool.id, &user.username).await?;
            }
            found = true;
        }
        if !found {
            return Err(AuthError::UserNotFound("User does not exist.".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity_provider::ProviderType;

    #[test]
    fn conflicts_name_what_collided() {
        assert!(matches!(
            conflict("Corp", "identifier:corp.example"),
            AuthError::DuplicateProvider(m) if m.contains("corp.example")
        ));
        assert!(matches!(
            conflict("Corp", "provider"),
            AuthError::DuplicateProvider(m) if m.contains("Corp")
        ));
        assert!(matches!(
            conflict("Corp", "limit"),
            AuthError::LimitExceeded(_)
        ));
    }

    #[test]
    fn social_identities_are_named_by_their_subject() {
        let provider = IdentityProvider {
            pool_id: "p".into(),
            name: "Google".into(),
            provider_type: ProviderType::Google,
            details: Default::default(),
            attribute_mapping: BTreeMap::new(),
            idp_identifiers: vec![],
            acr_mapping: BTreeMap::new(),
            created_at: crate::Millis(0),
            modified_at: crate::Millis(0),
        };
        let user = |attr: &str, value: &str| ProviderUser {
            provider_name: Some("Google".into()),
            attribute_name: Some(attr.into()),
            attribute_value: Some(value.into()),
        };
        assert!(
            identity_at_provider(&provider, &user(COGNITO_SUBJECT, "123"), "SourceUser").is_ok()
        );
        assert!(identity_at_provider(&provider, &user("email", "a@b.c"), "SourceUser").is_err());
        assert!(identity_at_provider(&provider, &user(COGNITO_SUBJECT, ""), "SourceUser").is_err());
        let mut oidc = provider.clone();
        oidc.provider_type = ProviderType::Oidc;
        assert!(identity_at_provider(&oidc, &user("email", "a@b.c"), "SourceUser").is_ok());
    }
}
