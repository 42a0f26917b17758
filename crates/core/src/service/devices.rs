//! Remembered devices (protocol notes §12): the keys handed out with tokens, the device a
//! sign-in request names, and the operations on a user's devices — `ConfirmDevice`,
//! `GetDevice`, `ListDevices`, `UpdateDeviceStatus`, `ForgetDevice` and their `Admin*`
//! twins.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

use crate::device::{self, Device, DeviceStatus};
use crate::error::AuthError;
use crate::pool::{DevicePolicy, UserPool};
use crate::service::passwords::PasswordVerifier;
use crate::signin::DeviceSnapshot;
use crate::Millis;

use super::auth::device_not_found;
use super::Keystep;

/// `NewDeviceMetadata`: a device key handed out with tokens, and the user's group key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
}

/// A device as the device operations show it (`DeviceType`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceView {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceAttributes`, in the order Cognito lists them.
    pub attributes: Vec<(String, String)>,
    /// `DeviceCreateDate`.
    pub created_at: Millis,
    /// `DeviceLastModifiedDate`.
    pub modified_at: Millis,
    /// `DeviceLastAuthenticatedDate`.
    pub last_authenticated_at: Option<Millis>,
}

/// A page of devices (`ListDevices`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePage {
    /// `Devices`.
    pub devices: Vec<DeviceView>,
    /// `PaginationToken`: the last key of this page, when more may follow.
    pub next: Option<String>,
}

/// The most devices one page lists (`Limit` 0–60; 0 or absent means the most).
const MAX_PAGE: u32 = 60;

/// The longest `DeviceName` Cognito takes.
const MAX_NAME: usize = 1024;

fn view(d: &Device, account_id: &str, username: &str) -> DeviceView {
    let owner = format!("{username}.{}", d.pool_id);
    let mut attributes = vec![
        ("device_status".to_string(), "valid".to_string()),
        (
            "dev:device_arn".to_string(),
            format!(
                "arn:aws:cognito-idp:{}:{account_id}:owner/{owner}/device/{}",
                crate::ids::region_of(&d.pool_id),
                d.key
            ),
        ),
        ("dev:device_owner".to_string(), owner),
        (
            "dev:device_remembered_status".to_string(),
            d.status.as_str().to_string(),
        ),
        ("dev:device_sdk".to_string(), "aws-sdk".to_string()),
    ];
    if let Some(name) = &d.name {
        attributes.insert(1, ("device_name".to_string(), name.clone()));
    }
    DeviceView {
        key: d.key.clone(),
        attributes,
        created_at: d.created_at,
        modified_at: d.modified_at,
        last_authenticated_at: d.last_authenticated_at,
    }
}

fn tracking(pool: &UserPool) -> Result<DevicePolicy, AuthError> {
    pool.settings.devices.ok_or_else(|| {
        AuthError::InvalidUserPoolConfiguration(
            "Device tracking is not enabled for this user pool.".into(),
        )
    })
}

fn decode_number(value: Option<&str>, name: &str) -> Result<Vec<u8>, AuthError> {
    let bytes = value
        .filter(|v| !v.is_empty())
        .and_then(|v| STANDARD.decode(v).ok())
        .ok_or_else(|| {
            AuthError::InvalidParameter(format!(
                "DeviceSecretVerifierConfig.{name} must be base64."
            ))
        })?;
    // A verifier is below N (384 bytes); anything longer is not one.
    if bytes.is_empty() || bytes.len() > 512 || bytes.iter().all(|b| *b == 0) {
        return Err(AuthError::InvalidParameter(format!(
            "DeviceSecretVerifierConfig.{name} is not valid."
        )));
    }
    Ok(bytes)
}

/// What `ConfirmDevice` carries besides the access token.
#[derive(Clone, Default)]
pub struct ConfirmDeviceInput {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceSecretVerifierConfig.Salt` (base64).
    pub salt: Option<String>,
    /// `DeviceSecretVerifierConfig.PasswordVerifier` (base64).
    pub verifier: Option<String>,
    /// `DeviceName`.
    pub name: Option<String>,
}

impl Keystep {
    /// The user's device group key: stable per user, derived, never stored apart from
    /// their devices (ASCII, no `:`, like Cognito's).
    fn group_key(&self, pool_id: &str, sub: &str) -> String {
        let digest = self
            .keys
            .code_hash("device-group", &format!("{pool_id}:{sub}"));
        format!("-{}", URL_SAFE_NO_PAD.encode(&digest[..6]))
    }

    /// A device key for the tokens of a sign-in that named no device.
    pub(crate) fn new_device(&self, pool_id: &str, sub: &str) -> NewDevice {
        NewDevice {
            key: format!(
                "{}_{}",
                crate::ids::region_of(pool_id),
                crate::ids::new_uuid(&*self.rng)
            ),
            group_key: self.group_key(pool_id, sub),
        }
    }

    /// The device a sign-in request names, checked: it must be a confirmed device of the
    /// user in a pool that tracks devices, else "Device does not exist.".
    pub(crate) async fn request_device(
        &self,
        pool: &UserPool,
        sub: &str,
        key: Option<&str>,
    ) -> Result<Option<DeviceSnapshot>, AuthError> {
        let Some(key) = key.filter(|k| !k.is_empty()) else {
            return Ok(None);
        };
        let device = self.owned_device(pool, sub, key).await?;
        let verifier = self
            .keys
            .open(
                &device::verifier_context(&pool.id, key),
                &crate::keys::Sealed(device.verifier),
            )
            .ok()
            .and_then(|plain| PasswordVerifier::from_bytes(&plain))
            .ok_or_else(|| AuthError::internal("a device verifier does not open"))?;
        Ok(Some(DeviceSnapshot {
            key: device.key,
            group_key: device.group_key,
            remembered: device.status == DeviceStatus::Remembered,
            verifier,
        }))
    }

    /// A device of the pool that belongs to `sub`.
    async fn owned_device(
        &self,
        pool: &UserPool,
        sub: &str,
        key: &str,
    ) -> Result<Device, AuthError> {
        if pool.settings.devices.is_none() || !device::valid_key(key) {
            return Err(device_not_found());
        }
        match self.store.get_device(&pool.id, key).await? {
            Some(d) if d.sub == sub => Ok(d),
            _ => Err(device_not_found()),
        }
    }

    /// `ConfirmDevice`: the key must be the one bound into this access token (so a
    /// client confirms only the device it signed in on). Answers
    /// `UserConfirmationNecessary`.
    pub async fn confirm_device(
        &self,
        access_token: &str,
        input: ConfirmDeviceInput,
    ) -> Result<bool, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let policy = tracking(&caller.pool)?;
        if caller.claims.device_key.as_deref() != Some(input.key.as_str()) {
            return Err(device_not_found());
        }
        if input
            .name
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NAME)
        {
            return Err(AuthError::InvalidParameter(
                "DeviceName must be at most 1024 characters.".into(),
            ));
        }
        let verifier = PasswordVerifier {
            salt: decode_number(input.salt.as_deref(), "Salt")?,
            verifier: decode_number(input.verifier.as_deref(), "PasswordVerifier")?,
        };
        if verifier.salt.len() > 255 {
            return Err(AuthError::InvalidParameter(
                "DeviceSecretVerifierConfig.Salt is not valid.".into(),
            ));
        }
        let pool = &caller.pool;
        let sealed = self.keys.seal(
            &device::verifier_context(&pool.id, &input.key),
            &verifier.to_bytes(),
        );
        let now = self.clock.now();
        let status = if policy.only_remembered_on_user_prompt {
            DeviceStatus::NotRemembered
        } else {
            DeviceStatus::Remembered
        };
        let device = Device {
            pool_id: pool.id.clone(),
            sub: caller.user.sub.clone(),
            group_key: self.group_key(&pool.id, &caller.user.sub),
            key: input.key,
            name: input.name.filter(|n| !n.is_empty()),
            status,
            verifier: sealed.0,
            created_at: now,
            modified_at: now,
            last_authenticated_at: Some(now),
        };
        match self.store.insert_device(&device).await {
            Ok(()) => Ok(policy.only_remembered_on_user_prompt),
            Err(crate::StoreError::Conflict(_)) => Err(AuthError::DeviceKeyExists(
                "The device is already confirmed.".into(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// `GetDevice`: a remembered device of the caller.
    pub async fn get_device(&self, access_token: &str, key: &str) -> Result<DeviceView, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let d = self
            .owned_device(&caller.pool, &caller.user.sub, key)
            .await?;
        if d.status != DeviceStatus::Remembered {
            return Err(device_not_found());
        }
        Ok(view(&d, &self.config.account_id, &caller.user.username))
    }

    /// `ListDevices`: the caller's remembered devices.
    pub async fn list_devices(
        &self,
        access_token: &str,
        limit: Option<i64>,
        after: Option<&str>,
    ) -> Result<DevicePage, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        tracking(&caller.pool)?;
        self.device_page(&caller.pool, &caller.user, true, limit, after)
            .await
    }

    /// `UpdateDeviceStatus`.
    pub async fn update_device_status(
        &self,
        access_token: &str,
        key: &str,
        status: Option<&str>,
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        self.set_status(&caller.pool, &caller.user.sub, key, status)
            .await
    }

    /// `ForgetDevice`: the device goes; refresh tokens bound to it stop working (a
    /// refresh checks its device).
    pub async fn forget_device(&self, access_token: &str, key: &str) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        self.forget(&caller.pool, &caller.user.sub, key).await
    }

    /// `AdminGetDevice`: any tracked device of the user.
    pub async fn admin_get_device(
        &self,
        pool_id: &str,
        username: &str,
        key: &str,
    ) -> Result<DeviceView, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        let d = self.owned_device(&pool, &user.sub, key).await?;
        Ok(view(&d, &self.config.account_id, &user.username))
    }

    /// `AdminListDevices`: every tracked device of the user.
    pub async fn admin_list_devices(
        &self,
        pool_id: &str,
        username: &str,
        limit: Option<i64>,
        after: Option<&str>,
    ) -> Result<DevicePage, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        tracking(&pool)?;
        let user = self.require_user(&pool, username).await?;
        self.device_page(&pool, &user, false, limit, after).await
    }

    /// `AdminUpdateDeviceStatus`.
    pub async fn admin_update_device_status(
        &self,
        pool_id: &str,
        username: &str,
        key: &str,
        status: Option<&str>,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.set_status(&pool, &user.sub, key, status).await
    }

    /// `AdminForgetDevice`.
    pub async fn admin_forget_device(
        &self,
        pool_id: &str,
        username: &str,
        key: &str,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.forget(&pool, &user.sub, key).await
    }

    async fn device_page(
        &self,
        pool: &UserPool,
        user: &crate::user::User,
        remembered_only: bool,
        limit: Option<i64>,
        after: Option<&str>,
    ) -> Result<DevicePage, AuthError> {
        let limit = match limit {
            None | Some(0) => MAX_PAGE,
            Some(n) if (1..=i64::from(MAX_PAGE)).contains(&n) => n as u32,
            Some(_) => {
                return Err(AuthError::InvalidParameter(
                    "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60".into(),
                ))
            }
        };
        if after.is_some_and(|a| !device::valid_key(a)) {
            return Err(AuthError::InvalidParameter(
                "The pagination token is not valid.".into(),
            ));
        }
        // One more than asked tells whether another page follows.
        let mut found = self
            .store
            .list_devices(&pool.id, &user.sub, remembered_only, after, limit + 1)
            .await?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        let next = more.then(|| found.last().map(|d| d.key.clone())).flatten();
        Ok(DevicePage {
            devices: found
                .iter()
                .map(|d| view(d, &self.config.account_id, &user.username))
                .collect(),
            next,
        })
    }

    async fn set_status(
        &self,
        pool: &UserPool,
        sub: &str,
        key: &str,
        status: Option<&str>,
    ) -> Result<(), AuthError> {
        let status = status.and_then(DeviceStatus::parse).ok_or_else(|| {
            AuthError::InvalidParameter(
                "DeviceRememberedStatus must be remembered or not_remembered.".into(),
            )
        })?;
        self.owned_device(pool, sub, key).await?;
        if !self
            .store
            .set_device_status(&pool.id, key, status, self.clock.now())
            .await?
        {
            return Err(device_not_found());
        }
        Ok(())
    }

    async fn forget(&self, pool: &UserPool, sub: &str, key: &str) -> Result<(), AuthError> {
        self.owned_device(pool, sub, key).await?;
        if !self.store.delete_device(&pool.id, key).await? {
            return Err(device_not_found());
        }
        Ok(())
    }
}
