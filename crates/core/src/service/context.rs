//! Loading what every operation starts from: the pool, the app client, and the checks
//! that guard public operations (client secret).

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::pool::UserPool;

use super::Keystep;

/// The error for a pool id that names no pool.
pub fn pool_not_found(pool_id: &str) -> AuthError {
    AuthError::ResourceNotFound(format!("User pool {pool_id} does not exist."))
}

/// The error for an app-client id that names no client.
pub fn client_not_found(client_id: &str) -> AuthError {
    AuthError::ResourceNotFound(format!("User pool client {client_id} does not exist."))
}

impl Keystep {
    /// Loads a pool or answers `ResourceNotFound`.
    pub async fn load_pool(&self, pool_id: &str) -> Result<UserPool, AuthError> {
        if !crate::ids::is_pool_id(pool_id) {
            return Err(AuthError::InvalidParameter(format!(
                "1 validation error detected: Value '{}' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
                pool_id.chars().take(64).collect::<String>()
            )));
        }
        self.store
            .get_pool(pool_id)
            .await?
            .ok_or_else(|| pool_not_found(pool_id))
    }

    /// Loads an app client and its pool (for public operations that name only the client).
    pub async fn load_client(&self, client_id: &str) -> Result<(AppClient, UserPool), AuthError> {
        check_client_id(client_id)?;
        self.store
            .get_client_with_pool(client_id)
            .await?
            .ok_or_else(|| client_not_found(client_id))
    }

    /// [`Keystep::load_client`] and the refresh token with `hash` (with its user) in one
    /// read.
    pub(crate) async fn load_client_with_refresh_token(
        &self,
        client_id: &str,
        hash: &[u8],
    ) -> Result<crate::ports::RefreshContext, AuthError> {
        check_client_id(client_id)?;
        self.store
            .get_client_with_refresh_token(client_id, hash)
            .await?
            .ok_or_else(|| client_not_found(client_id))
    }

    /// Loads an app client that must belong to `pool_id` (admin operations name both).
    pub async fn load_pool_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<(AppClient, UserPool), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let client = self
            .store
            .get_client(client_id)
            .await?
            .filter(|c| c.pool_id == pool.id)
            .ok_or_else(|| client_not_found(client_id))?;
        Ok((client, pool))
    }

    /// The client's secret in clear, if it has one.
    pub fn client_secret(&self, client: &AppClient) -> Result<Option<String>, AuthError> {
        let Some(sealed) = &client.secret else {
            return Ok(None);
        };
        let bytes = self
            .keys
            .open(&client_secret_context(client), sealed)
            .map_err(AuthError::internal)?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(AuthError::internal)
    }

    /// Every valid secret of the client in clear: the primary, and the other one during a
    /// rotation (`AddUserPoolClientSecret`).
    pub fn client_secrets(&self, client: &AppClient) -> Result<Vec<String>, AuthError> {
        let context = client_secret_context(client);
        let mut out: Vec<String> = self.client_secret(client)?.into_iter().collect();
        for added in &client.secret_rotation.added {
            let bytes = self
                .keys
                .open(&context, &added.sealed)
                .map_err(AuthError::internal)?;
            out.push(String::from_utf8(bytes).map_err(AuthError::internal)?);
        }
        Ok(out)
    }

    /// Checks a `SECRET_HASH` for a client with a secret. The hash may have been computed
    /// over any of `usernames` (typed name, canonical username, sub, alias: clients
    /// differ), so it passes if it matches one. A client without a secret ignores it.
    pub fn check_secret_hash(
        &self,
        client: &AppClient,
        presented: Option<&str>,
        usernames: &[&str],
    ) -> Result<(), AuthError> {
        let secrets = self.client_secrets(client)?;
        if secrets.is_empty() {
            return Ok(());
        }
        let Some(presented) = presented.filter(|p| !p.is_empty()) else {
            return Err(AuthError::NotAuthorized(format!(
                "Client {} is configured for secret but secret was not received",
                client.client_id
            )));
        };
        let ok = secrets.iter().any(|secret| {
            usernames
                .iter()
                .any(|u| keystep_srp::verify_secret_hash(secret, u, &client.client_id, presented))
        });
        if ok {
            Ok(())
        } else {
            Err(AuthError::NotAuthorized(format!(
                "Unable to verify secret hash for client {}",
                client.client_id
            )))
        }
    }

    /// Checks a raw client secret (GetTokensFromRefreshToken, RevokeToken).
    pub fn check_client_secret(
        &self,
        client: &AppClient,
        presented: Option<&str>,
    ) -> Result<(), AuthError> {
        let secrets = self.client_secrets(client)?;
        if secrets.is_empty() {
            return Ok(());
        }
        let matches = |p: &str| {
            // Every secret is compared, so the time taken says nothing about which matched.
            secrets.iter().fold(false, |hit, s| {
                crate::keys::constant_time_eq(p.as_bytes(), s.as_bytes()) | hit
            })
        };
        match presented {
            Some(p) if matches(p) => Ok(()),
            Some(_) => Err(AuthError::NotAuthorized(format!(
                "SecretHash does not match for the client: {}",
                client.client_id
            ))),
            None => Err(AuthError::NotAuthorized(format!(
                "Client {} is configured for secret but secret was not received",
                client.client_id
            ))),
        }
    }
}

/// The sealing context of an app client's secret.
pub fn client_secret_context(client: &AppClient) -> String {
    format!("client-secret:{}:{}", client.pool_id, client.client_id)
}

/// A client id no client can have (empty, or longer than Cognito's 128) is not looked up.
fn check_client_id(client_id: &str) -> Result<(), AuthError> {
    if client_id.is_empty() || client_id.len() > 128 {
        return Err(client_not_found(client_id));
    }
    Ok(())
}
