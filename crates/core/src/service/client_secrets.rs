//! App-client secret rotation: `AddUserPoolClientSecret` (a second valid secret),
//! `ListUserPoolClientSecrets` (ids and dates, never values), `DeleteUserPoolClientSecret`
//! (never the last one). Changed by compare-and-swap on the client, so two concurrent adds
//! cannot leave three secrets.

use crate::app_client::{AddedSecret, AppClient};
use crate::error::AuthError;
use crate::Millis;

use super::context::client_secret_context;
use super::Keystep;

/// How many secrets a client has at most.
pub const MAX_SECRETS: usize = 2;

const ATTEMPTS: usize = 16;

/// A client secret as listed: `ClientSecretDescriptor`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretDescriptor {
    /// `ClientSecretId`.
    pub id: String,
    /// `ClientSecretValue`: only in the answer to the call that made it.
    pub value: Option<String>,
    /// `ClientSecretCreateDate`.
    pub created_at: Millis,
}

impl std::fmt::Debug for SecretDescriptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretDescriptor")
            .field("id", &self.id)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// The id of a client's primary secret: stored once it was rotated, else derived from
/// the client id (stable, and not the secret).
fn primary_id(keystep: &Keystep, client: &AppClient) -> String {
    client
        .secret_rotation
        .primary_id
        .clone()
        .unwrap_or_else(|| {
            let digest = keystep
                .keys
                .code_hash("client-secret-id", &client.client_id);
            hex::encode(&digest[..16])
        })
}

fn descriptors(keystep: &Keystep, client: &AppClient) -> Vec<SecretDescriptor> {
    let mut out = Vec::new();
    if client.secret.is_some() {
        out.push(SecretDescriptor {
            id: primary_id(keystep, client),
            value: None,
            created_at: client
                .secret_rotation
                .primary_created_at
                .unwrap_or(client.created_at),
        });
    }
    out.extend(
        client
            .secret_rotation
            .added
            .iter()
            .map(|a| SecretDescriptor {
                id: a.id.clone(),
                value: None,
                created_at: a.created_at,
            }),
    );
    out
}

fn check_value(value: &str) -> Result<(), AuthError> {
    let ok = (24..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+');
    if ok {
        Ok(())
    } else {
        Err(AuthError::InvalidParameter(
            "1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: \
             Member must have length between 24 and 64 and match [\\w+]+"
                .into(),
        ))
    }
}

impl Keystep {
    /// Changes a client's secrets with `change` by compare-and-swap, retrying lost races.
    async fn change_secrets<T>(
        &self,
        pool_id: &str,
        client_id: &str,
        change: impl Fn(&mut AppClient) -> Result<T, AuthError>,
    ) -> Result<T, AuthError> {
        for _ in 0..ATTEMPTS {
            let (mut client, _) = self.load_pool_client(pool_id, client_id).await?;
            let out = change(&mut client)?;
            let before = client.modified_at;
            client.modified_at = Millis(self.clock.now().0.max(before.0 + 1));
            if self.store.update_client_secrets_if(&client, before).await? {
                return Ok(out);
            }
        }
        Err(AuthError::ConcurrentModification(
            "The app client was changed concurrently; try again.".into(),
        ))
    }

    /// `AddUserPoolClientSecret`: a second secret (given, or made here), valid alongside
    /// the first until one is deleted. Its value is in this answer only.
    pub async fn add_user_pool_client_secret(
        &self,
        pool_id: &str,
        client_id: &str,
        value: Option<&str>,
    ) -> Result<SecretDescriptor, AuthError> {
        if let Some(v) = value {
            check_value(v)?;
        }
        let value = value
            .map(str::to_string)
            .unwrap_or_else(|| crate::ids::new_client_secret(&*self.rng));
        let id = crate::ids::new_uuid(&*self.rng);
        let now = self.clock.now();
        self.change_secrets(pool_id, client_id, |client| {
            if client.secret.is_none() {
                return Err(AuthError::InvalidParameter(
                    "The app client has no secret: secrets are added to confidential clients only."
                        .into(),
                ));
            }
            if descriptors(self, client).len() >= MAX_SECRETS {
                return Err(AuthError::LimitExceeded(format!(
                    "An app client has at most {MAX_SECRETS} secrets; delete one first."
                )));
            }
            let sealed = self
                .keys
                .seal(&client_secret_context(client), value.as_bytes());
            client.secret_rotation.added.push(AddedSecret {
                id: id.clone(),
                sealed,
                created_at: now,
            });
            Ok(())
        })
        .await?;
        Ok(SecretDescriptor {
            id,
            value: Some(value),
            created_at: now,
        })
    }

    /// `ListUserPoolClientSecrets`: ids and dates, oldest first; never values.
    pub async fn list_user_pool_client_secrets(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<Vec<SecretDescriptor>, AuthError> {
        let (client, _) = self.load_pool_client(pool_id, client_id).await?;
        Ok(descriptors(self, &client))
    }

    /// `DeleteUserPoolClientSecret`: never the last one; deleting the primary makes the
    /// other one primary.
    pub async fn delete_user_pool_client_secret(
        &self,
        pool_id: &str,
        client_id: &str,
        secret_id: &str,
    ) -> Result<(), AuthError> {
        self.change_secrets(pool_id, client_id, |client| {
            let all = descriptors(self, client);
            if !all.iter().any(|d| d.id == secret_id) {
                return Err(AuthError::ResourceNotFound(format!(
                    "Client secret {secret_id} does not exist."
                )));
            }
            if all.len() <= 1 {
                return Err(AuthError::InvalidParameter(
                    "The last secret of an app client cannot be deleted.".into(),
                ));
            }
            if primary_id(self, client) == secret_id {
                let promoted = client.secret_rotation.added.remove(0);
                client.secret = Some(promoted.sealed);
                client.secret_rotation.primary_id = Some(promoted.id);
                client.secret_rotation.primary_created_at = Some(promoted.created_at);
            } else {
                client.secret_rotation.added.retain(|a| a.id != secret_id);
            }
            Ok(())
        })
        .await
    }
}
