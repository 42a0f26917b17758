//! Domain values to store, built from the real types.

use std::collections::BTreeMap;

use keystep_core::app_client::{AppClient, ClientSettings};
use keystep_core::code::{CodePurpose, StoredCode};
use keystep_core::group::Group;
use keystep_core::identity_provider::{
    IdentityProvider, ProviderDetails, ProviderLink, ProviderType,
};
use keystep_core::keys::Sealed;
use keystep_core::message::{Medium, MessagePurpose, OutgoingMessage};
use keystep_core::pool::{AliasKind, PoolSettings, UserPool};
use keystep_core::ports::{AuthSessionRow, RefreshTokenRow, Store, UserFilter};
use keystep_core::user::{MfaFactor, MfaSettings, User, UserStatus};
use keystep_core::Millis;

/// The instant fixtures are created at.
pub const T0: Millis = Millis(1_700_000_000_000);
/// The pool most tests use.
pub const POOL: &str = "us-east-1_TestPool1";
/// The app client most tests use.
pub const CLIENT: &str = "clientaaaaaaaaaaaaaaaaaaaa";

pub fn pool(id: &str) -> UserPool {
    UserPool {
        id: id.to_string(),
        name: format!("pool {id}"),
        created_at: T0,
        modified_at: T0,
        settings: PoolSettings::default().into(),
    }
}

pub fn client(pool_id: &str, client_id: &str) -> AppClient {
    AppClient {
        pool_id: pool_id.to_string(),
        client_id: client_id.to_string(),
        name: format!("client {client_id}"),
        secret: Some(Sealed(vec![9, 8, 7, 6])),
        created_at: T0,
        modified_at: T0,
        settings: ClientSettings::default().into(),
        secret_rotation: Default::default(),
    }
}

/// A confirmed user with an e-mail, a name, a password and MFA, version 0.
pub fn user(pool_id: &str, username: &str) -> User {
    let mut attributes = BTreeMap::new();
    attributes.insert("email".to_string(), format!("{username}@example.com"));
    attributes.insert("email_verified".to_string(), "true".to_string());
    attributes.insert("name".to_string(), format!("Name {username}"));
    User {
        pool_id: pool_id.to_string(),
        username: username.to_string(),
        username_key: username.to_lowercase(),
        sub: uuid::Uuid::new_v4().to_string(),
        attributes,
        status: UserStatus::Confirmed,
        enabled: true,
        created_at: T0,
        modified_at: T0,
        password: Some(Sealed(vec![1, 2, 3, 4, 5])),
        password_set_at: Some(T0),
        mfa: MfaSettings {
            enabled: vec![MfaFactor::Totp],
            preferred: Some(MfaFactor::Totp),
            totp_secret: Some(Sealed(vec![42; 20])),
            totp_device_name: Some("phone".into()),
            pending_totp_secret: None,
            last_totp_step: Some(123),
        },
        tokens_valid_after: Some(T0),
        pending_attributes: Default::default(),
        password_history: Vec::new(),
        version: 0,
    }
}

/// The e-mail alias claim of a fixture user (lowercased, as the domain normalises it).
pub fn email_alias(user: &User) -> (AliasKind, String) {
    let email = user.attributes.get("email").cloned().unwrap_or_default();
    (AliasKind::Email, email.to_lowercase())
}

pub fn group(pool_id: &str, name: &str) -> Group {
    Group {
        pool_id: pool_id.to_string(),
        name: name.to_string(),
        description: Some(format!("the {name} group")),
        precedence: Some(3),
        role_arn: None,
        created_at: T0,
        modified_at: T0,
    }
}

pub fn code(user: &User, purpose: CodePurpose, id: &str) -> StoredCode {
    StoredCode {
        pool_id: user.pool_id.clone(),
        sub: user.sub.clone(),
        purpose,
        id: id.to_string(),
        hash: id.as_bytes().to_vec(),
        created_at: T0,
        expires_at: T0.plus_secs(3600),
        attempts: 0,
    }
}

pub fn session(pool_id: &str, client_id: &str, id: &str) -> AuthSessionRow {
    AuthSessionRow {
        id: id.to_string(),
        pool_id: pool_id.to_string(),
        client_id: client_id.to_string(),
        state: b"awaiting password verifier".to_vec(),
        version: 0,
        attempts: 0,
        expires_at: T0.plus_secs(180),
    }
}

pub fn refresh_token(user: &User, client_id: &str, hash: &[u8], origin: &str) -> RefreshTokenRow {
    RefreshTokenRow {
        hash: hash.to_vec(),
        pool_id: user.pool_id.clone(),
        client_id: client_id.to_string(),
        sub: user.sub.clone(),
        origin_jti: origin.to_string(),
        auth_time: T0,
        created_at: T0,
        expires_at: T0.plus_secs(30 * 86400),
        revoked: false,
        device_key: None,
        scope: None,
        rotated_until: None,
    }
}

pub fn message(pool_id: &str, username: &str, n: i64) -> OutgoingMessage {
    OutgoingMessage {
        pool_id: pool_id.to_string(),
        username: username.to_string(),
        medium: if n % 2 == 0 {
            Medium::Email
        } else {
            Medium::Sms
        },
        destination: format!("{username}@example.com"),
        purpose: MessagePurpose::SignUp,
        code: (n % 3 != 0).then(|| format!("{n:06}")),
        subject: (n % 2 == 0).then(|| "Your code".to_string()),
        body: format!("Your code is {n:06}"),
        created_at: T0.plus_millis(n),
    }
}

pub fn filter(attribute: &str, prefix: bool, value: &str) -> UserFilter {
    UserFilter {
        attribute: attribute.to_string(),
        prefix,
        value: value.to_string(),
    }
}

/// Inserts [`POOL`] and its app client [`CLIENT`].
pub async fn seed(store: &dyn Store) {
    store.insert_pool(&pool(POOL)).await.expect("insert pool");
    store
        .insert_client(&client(POOL, CLIENT))
        .await
        .expect("insert client");
}

/// Inserts a fixture user claiming its e-mail alias, and returns it.
pub async fn seed_user(store: &dyn Store, pool_id: &str, username: &str) -> User {
    let u = user(pool_id, username);
    store
        .insert_user(&u, &[email_alias(&u)])
        .await
        .expect("insert user");
    u
}

/// Whether the sign-in `origin` is recorded as revoked, read the way an access token's
/// check reads it (the revocation does not depend on the user).
pub async fn origin_revoked(store: &dyn Store, origin: &str) -> bool {
    store
        .get_token_holder(POOL, "00000000-0000-4000-8000-000000000000", origin)
        .await
        .expect("get_token_holder")
        .expect("the fixture pool exists")
        .origin_revoked
}

/// An OIDC identity provider of `pool_id` claiming `ids`.
pub fn identity_provider(pool_id: &str, name: &str, ids: &[&str]) -> IdentityProvider {
    let mut details = BTreeMap::new();
    details.insert("client_id".to_string(), format!("{name}-client"));
    details.insert("client_secret".to_string(), "sealed:v1:AAAA".to_string());
    let mut mapping = BTreeMap::new();
    mapping.insert("email".to_string(), "email".to_string());
    IdentityProvider {
        pool_id: pool_id.into(),
        name: name.into(),
        provider_type: ProviderType::Oidc,
        details: ProviderDetails(details),
        attribute_mapping: mapping,
        idp_identifiers: ids.iter().map(|s| s.to_string()).collect(),
        acr_mapping: BTreeMap::new(),
        created_at: T0,
        modified_at: T0,
    }
}

/// A link of the identity `subject` at `provider` to `user`.
pub fn provider_link(user: &User, provider: &str, subject: &str) -> ProviderLink {
    ProviderLink {
        pool_id: user.pool_id.clone(),
        provider_name: provider.into(),
        attribute_name: "Cognito_Subject".into(),
        subject: subject.into(),
        sub: user.sub.clone(),
        created_at: T0,
    }
}
