//! Minting tokens from an [`Authenticated`] proof, and refreshing them.

use std::collections::BTreeMap;

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::pool::UserPool;
use crate::ports::RefreshTokenRow;
use crate::signin::Authenticated;
use crate::tokens::{self, ClaimsInput};
use crate::user::User;

use super::super::devices::NewDevice;
use super::super::Keystep;

/// Tokens handed to a client (`AuthenticationResult`). `Debug` shows no token.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    /// `IdToken`.
    pub id_token: String,
    /// `AccessToken`.
    pub access_token: String,
    /// `RefreshToken`: only for a new sign-in (refreshes keep the old one).
    pub refresh_token: Option<String>,
    /// `ExpiresIn`, seconds.
    pub expires_in: i64,
    /// `NewDeviceMetadata`: a sign-in that named no device, in a pool that tracks them.
    pub new_device: Option<NewDevice>,
    /// The OAuth scopes granted (space-separated); `None` for the API's tokens.
    pub oauth_scope: Option<String>,
}

impl std::fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedTokens")
            .field("expires_in", &self.expires_in)
            .field("with_refresh_token", &self.refresh_token.is_some())
            .field("new_device", &self.new_device)
            .finish_non_exhaustive()
    }
}

/// The error for a sign-in or refresh of a user who was deleted meanwhile.
pub(super) fn user_gone() -> AuthError {
    AuthError::NotAuthorized("User does not exist.".into())
}

impl Keystep {
    /// Signs an ID and an access token for `proof` and `user` (the proof's user, as the
    /// caller just read it); a new sign-in (no `origin_jti` yet) also gets a refresh
    /// token, stored hashed.
    pub(crate) async fn mint(
        &self,
        pool: &UserPool,
        client: &AppClient,
        user: &User,
        proof: &Authenticated,
        client_metadata: &BTreeMap<String, String>,
    ) -> Result<IssuedTokens, AuthError> {
        let now = self.clock.now();
        // A new sign-in that named no device, in a pool that tracks devices, is handed a
        // device key, bound into its tokens (§12.3).
        // (The hosted pages do not track devices.)
        let new_device = (pool.settings.devices.is_some()
            && proof.device_key().is_none()
            && proof.origin_jti().is_none()
            && proof.oauth().is_none())
        .then(|| self.new_device(&pool.id, &user.sub));
        let bound;
        let proof = match &new_device {
            Some(device) => {
                bound = proof.clone().with_device(device.key.clone());
                &bound
            }
            None => proof,
        };
        let groups = self.group_names_of(&pool.id, &user.sub).await?;
        let origin_jti = match proof.origin_jti() {
            Some(origin) => origin.to_string(),
            None => crate::ids::new_uuid(&*self.rng),
        };
        let event_id = crate::ids::new_uuid(&*self.rng);
        let customization = self
            .pre_token_generation(pool, client, user, &groups, proof, client_metadata)
            .await?;
        let issuer = tokens::issuer(&self.config.public_url, &pool.id);
        let keys = self.pool_keys(pool).await?;
        let signed = tokens::sign(
            keys.signing(),
            &*self.rng,
            &ClaimsInput {
                issuer: &issuer,
                client,
                user,
                groups: &groups,
                proof,
                origin_jti: &origin_jti,
                event_id: &event_id,
                now,
                customization: customization.as_ref(),
            },
        )?;
        let implicit = proof.oauth().is_some_and(|g| g.implicit);
        let refresh_token = if proof.origin_jti().is_none() && !implicit {
            let value = tokens::new_refresh_token(&*self.rng);
            let row = RefreshTokenRow {
                hash: tokens::refresh_token_hash(&self.keys, &value),
                pool_id: pool.id.clone(),
                client_id: client.client_id.clone(),
                sub: user.sub.clone(),
                origin_jti,
                auth_time: proof.auth_time(),
                created_at: now,
                expires_at: now.plus_secs(client.settings.refresh_token_validity.seconds()),
                revoked: false,
                device_key: proof.device_key().map(str::to_string),
                scope: proof.oauth().map(crate::oauth::OAuthGrant::scope),
                rotated_until: None,
            };
            self.store.insert_refresh_token(&row).await?;
            self.evict_sessions(pool, &row).await?;
            Some(value)
        } else {
            None
        };
        Ok(IssuedTokens {
            id_token: signed.id_token,
            access_token: signed.access_token,
            refresh_token,
            expires_in: signed.expires_in,
            new_device,
            oauth_scope: proof.oauth().map(crate::oauth::OAuthGrant::scope),
        })
    }

    /// New ID and access tokens for a refresh token issued to `client`.
    /// `secret_hash_check` is called with the token's user before anything is minted
    /// (the two refresh operations prove the client secret differently).
    pub(crate) async fn refresh(
        &self,
        pool: &UserPool,
        client: &AppClient,
        refresh_token: &str,
        device_key: Option<&str>,
        client_metadata: &BTreeMap<String, String>,
        secret_check: impl FnOnce(&User) -> Result<(), AuthError>,
    ) -> Result<IssuedTokens, AuthError> {
        let hash = tokens::refresh_token_hash(&self.keys, refresh_token);
        let found = self.store.get_refresh_token_and_user(&hash).await?;
        self.refresh_found(
            pool,
            client,
            found,
            device_key,
            client_metadata,
            secret_check,
        )
        .await
    }

    /// [`Keystep::refresh`] with the token (by its hash) and its user already read.
    pub(crate) async fn refresh_found(
        &self,
        pool: &UserPool,
        client: &AppClient,
        found: Option<(RefreshTokenRow, Option<User>)>,
        device_key: Option<&str>,
        client_metadata: &BTreeMap<String, String>,
        secret_check: impl FnOnce(&User) -> Result<(), AuthError>,
    ) -> Result<IssuedTokens, AuthError> {
        let rotation = client.settings.refresh_token_rotation;
        let now = self.clock.now();
        let (row, user) = found
            .filter(|(r, _)| r.pool_id == pool.id)
            .ok_or_else(tokens::invalid_refresh_token)?;
        let user = user.ok_or_else(user_gone)?;
        secret_check(&user)?;
        if !user.enabled {
            return Err(AuthError::NotAuthorized("User is disabled.".into()));
        }
        if user
            .tokens_valid_after
            .is_some_and(|after| row.created_at < after)
        {
            return Err(AuthError::NotAuthorized(
                "Refresh Token has been revoked".into(),
            ));
        }
        self.check_refresh_device(pool, &row, device_key).await?;
        let proof = tokens::refresh_proof(&row, &client.client_id, &user.username, now)?;
        if pool.settings.session_tracking.enabled {
            self.store.touch_refresh_token(&row.hash, now).await?;
        }
        let mut tokens = self
            .mint(pool, client, &user, &proof, client_metadata)
            .await?;
        if let Some(grace) = rotation {
            tokens.refresh_token = Some(self.rotate(&row, grace, now).await?);
        }
        Ok(tokens)
    }

    /// Refresh-token rotation: a new refresh token for the same sign-in, expiring when
    /// the old one would have (rotation does not extend a sign-in), stored in the same
    /// transaction that marks the old one replaced; the old one works `grace` seconds
    /// more, so a client retrying a refresh whose answer it lost is not signed out.
    async fn rotate(
        &self,
        old: &RefreshTokenRow,
        grace: u32,
        now: crate::Millis,
    ) -> Result<String, AuthError> {
        let value = tokens::new_refresh_token(&*self.rng);
        let next = RefreshTokenRow {
            hash: tokens::refresh_token_hash(&self.keys, &value),
            created_at: now,
            revoked: false,
            rotated_until: None,
            ..old.clone()
        };
        let grace_until = now.plus_secs(i64::from(grace));
        if !self
            .store
            .rotate_refresh_token(&old.hash, now, grace_until, &next)
            .await?
        {
            // Another refresh with the same token won the race (no grace), or it was
            // revoked meanwhile.
            return Err(AuthError::RefreshTokenReuse(
                "The refresh token was replaced by rotation and can no longer be used.".into(),
            ));
        }
        Ok(value)
    }
}

impl Keystep {
    /// In a pool that tracks devices, a refresh token is bound to the device of its
    /// sign-in (§12.8): the device must still be confirmed and not forgotten, and a
    /// `DEVICE_KEY` sent with the refresh must be that one. (A client that sends none is
    /// let through: the refresh token is the credential.)
    async fn check_refresh_device(
        &self,
        pool: &UserPool,
        row: &RefreshTokenRow,
        device_key: Option<&str>,
    ) -> Result<(), AuthError> {
        let sent = device_key.filter(|k| !k.is_empty());
        if pool.settings.devices.is_none() {
            return match sent {
                Some(_) => Err(super::device_not_found()),
                None => Ok(()),
            };
        }
        let Some(bound) = row.device_key.as_deref() else {
            return match sent {
                Some(_) => Err(tokens::invalid_refresh_token()),
                None => Ok(()),
            };
        };
        if sent.is_some_and(|k| k != bound) {
            return Err(tokens::invalid_refresh_token());
        }
        match self.store.get_device(&pool.id, bound).await? {
            Some(d) if d.sub == row.sub => Ok(()),
            _ => Err(tokens::invalid_refresh_token()),
        }
    }
}
