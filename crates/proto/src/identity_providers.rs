//! Identity providers (SAML, OIDC and the social providers) of a pool, and the links
//! between a pool's users and their identities at those providers.
//!
//! `ProviderDetails` carries secrets (`client_secret`, Apple's `private_key`): the types
//! that hold it print only its keys in `Debug`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sensitive::keys_only;

/// An identity provider, as Create/Describe/Update/GetIdentityProviderByIdentifier answer.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdentityProviderType {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// Its name, unique in the pool.
    #[serde(rename = "ProviderName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// `SAML`, `Facebook`, `Google`, `LoginWithAmazon`, `SignInWithApple` or `OIDC`.
    #[serde(rename = "ProviderType")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_type: Option<String>,
    /// Its settings (client id and secret, scopes, endpoints...).
    #[serde(rename = "ProviderDetails")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_details: Option<BTreeMap<String, String>>,
    /// Pool attribute -> provider claim.
    #[serde(rename = "AttributeMapping")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// Identifiers (e.g. e-mail domains) that pick this provider at sign-in.
    #[serde(rename = "IdpIdentifiers")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_identifiers: Option<Vec<String>>,
    /// `Level1`..`Level4` -> authentication context class reference.
    #[serde(rename = "AcrMapping")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr_mapping: Option<BTreeMap<String, String>>,
    /// When it last changed (seconds since the epoch).
    #[serde(rename = "LastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    /// When it was created (seconds since the epoch).
    #[serde(rename = "CreationDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
}

impl fmt::Debug for IdentityProviderType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityProviderType")
            .field("user_pool_id", &self.user_pool_id)
            .field("provider_name", &self.provider_name)
            .field("provider_type", &self.provider_type)
            .field("provider_details", &keys_only(&self.provider_details))
            .field("attribute_mapping", &self.attribute_mapping)
            .field("idp_identifiers", &self.idp_identifiers)
            .field("acr_mapping", &self.acr_mapping)
            .field("last_modified_date", &self.last_modified_date)
            .field("creation_date", &self.creation_date)
            .finish()
    }
}

/// `CreateIdentityProvider` request.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateIdentityProviderRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The name (1-32 characters; a social provider is named after its type).
    #[serde(rename = "ProviderName")]
    pub provider_name: String,
    /// The type.
    #[serde(rename = "ProviderType")]
    pub provider_type: String,
    /// The settings.
    #[serde(rename = "ProviderDetails")]
    pub provider_details: BTreeMap<String, String>,
    /// Pool attribute -> provider claim.
    #[serde(rename = "AttributeMapping")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// Identifiers that pick this provider.
    #[serde(rename = "IdpIdentifiers")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_identifiers: Option<Vec<String>>,
    /// `Level1`..`Level4` -> ACR.
    #[serde(rename = "AcrMapping")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr_mapping: Option<BTreeMap<String, String>>,
}

impl fmt::Debug for CreateIdentityProviderRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateIdentityProviderRequest")
            .field("user_pool_id", &self.user_pool_id)
            .field("provider_name", &self.provider_name)
            .field("provider_type", &self.provider_type)
            .field("provider_details", &crate::KeysOnly(&self.provider_details))
            .field("attribute_mapping", &self.attribute_mapping)
            .field("idp_identifiers", &self.idp_identifiers)
            .field("acr_mapping", &self.acr_mapping)
            .finish()
    }
}

/// `UpdateIdentityProvider` request: each member given replaces the stored one.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateIdentityProviderRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The provider to change.
    #[serde(rename = "ProviderName")]
    pub provider_name: String,
    /// New settings.
    #[serde(rename = "ProviderDetails")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_details: Option<BTreeMap<String, String>>,
    /// New attribute mapping.
    #[serde(rename = "AttributeMapping")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// New identifiers.
    #[serde(rename = "IdpIdentifiers")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_identifiers: Option<Vec<String>>,
    /// New ACR mapping.
    #[serde(rename = "AcrMapping")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr_mapping: Option<BTreeMap<String, String>>,
}

impl fmt::Debug for UpdateIdentityProviderRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateIdentityProviderRequest")
            .field("user_pool_id", &self.user_pool_id)
            .field("provider_name", &self.provider_name)
            .field("provider_details", &keys_only(&self.provider_details))
            .field("attribute_mapping", &self.attribute_mapping)
            .field("idp_identifiers", &self.idp_identifiers)
            .field("acr_mapping", &self.acr_mapping)
            .finish()
    }
}

/// The answer of Create/Describe/Update/GetIdentityProviderByIdentifier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IdentityProviderResponse {
    /// The provider.
    #[serde(rename = "IdentityProvider")]
    pub identity_provider: IdentityProviderType,
}

/// `DescribeIdentityProvider` / `DeleteIdentityProvider` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IdentityProviderKeyRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The provider.
    #[serde(rename = "ProviderName")]
    pub provider_name: String,
}

/// `DeleteIdentityProvider` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteIdentityProviderResponse {}

/// `GetIdentityProviderByIdentifier` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetIdentityProviderByIdentifierRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// One of the provider's `IdpIdentifiers`.
    #[serde(rename = "IdpIdentifier")]
    pub idp_identifier: String,
}

/// `ListIdentityProviders` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListIdentityProvidersRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Page size (1-60; 60 when absent).
    #[serde(rename = "MaxResults")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    /// Token of the page to read.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One entry of `ListIdentityProviders`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderDescription {
    /// The name.
    #[serde(rename = "ProviderName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// The type.
    #[serde(rename = "ProviderType")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_type: Option<String>,
    /// When it last changed.
    #[serde(rename = "LastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    /// When it was created.
    #[serde(rename = "CreationDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
}

/// `ListIdentityProviders` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListIdentityProvidersResponse {
    /// The page.
    #[serde(rename = "Providers")]
    pub providers: Vec<ProviderDescription>,
    /// Token of the next page; absent on the last.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// A user named through a provider: `Cognito` and a username, or an identity provider,
/// the attribute that identifies the user there and its value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderUserIdentifierType {
    /// `Cognito` or the name of one of the pool's identity providers.
    #[serde(rename = "ProviderName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// The attribute that identifies the user (`Cognito_Subject` for social providers).
    #[serde(rename = "ProviderAttributeName")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_attribute_name: Option<String>,
    /// Its value: the username for `Cognito`, the subject at the provider otherwise.
    #[serde(rename = "ProviderAttributeValue")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_attribute_value: Option<String>,
}

/// `AdminLinkProviderForUser` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminLinkProviderForUserRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The existing user of the pool.
    #[serde(rename = "DestinationUser")]
    pub destination_user: ProviderUserIdentifierType,
    /// The identity at the provider that is to sign in as that user.
    #[serde(rename = "SourceUser")]
    pub source_user: ProviderUserIdentifierType,
}

/// `AdminLinkProviderForUser` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminLinkProviderForUserResponse {}

/// `AdminDisableProviderForUser` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDisableProviderForUserRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// The identity at a provider to unlink (and whose federated user to disable).
    #[serde(rename = "User")]
    pub user: ProviderUserIdentifierType,
}

/// `AdminDisableProviderForUser` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminDisableProviderForUserResponse {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_provider_secrets() {
        let mut details = BTreeMap::new();
        details.insert("client_id".to_string(), "id".to_string());
        details.insert("client_secret".to_string(), "s3cr3t-value".to_string());
        let req = CreateIdentityProviderRequest {
            provider_details: details.clone(),
            ..Default::default()
        };
        let shown = format!("{req:?}");
        assert!(shown.contains("client_secret") && !shown.contains("s3cr3t-value"));
        let idp = IdentityProviderType {
            provider_details: Some(details),
            ..Default::default()
        };
        assert!(!format!("{idp:?}").contains("s3cr3t-value"));
    }
}
