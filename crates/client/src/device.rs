//! Remembered devices (device tracking): confirming the device a sign-in was handed,
//! remembering and forgetting it, listing the user's devices.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use keystep_proto::{
    ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceSecretVerifierConfig, ForgetDeviceRequest,
    ForgetDeviceResponse, ListDevicesRequest, ListDevicesResponse, NewDeviceMetadata,
    UpdateDeviceStatusRequest, UpdateDeviceStatusResponse,
};
use rand::RngCore;

use crate::auth::Auth;
use crate::error::AuthError;
use crate::tokens::RememberedDevice;

/// One of the user's remembered devices (Amplify's `fetchDevices` item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// The device key.
    pub id: String,
    /// `device_name`, as the device reported itself.
    pub name: Option<String>,
}

/// The name this client gives the devices it confirms.
const DEVICE_NAME: &str = "keystep-client";

impl Auth {
    /// The remembered device, if the store keeps one.
    pub(crate) fn device(&self) -> Option<RememberedDevice> {
        self.store.load_device().ok().flatten()
    }

    /// After tokens that carry `NewDeviceMetadata`: makes the device a random password,
    /// sends its SRP verifier (`ConfirmDevice`) and keeps the device. Failures are
    /// swallowed, as Amplify swallows them: the sign-in itself succeeded.
    pub(crate) async fn confirm_new_device(
        &self,
        access_token: &str,
        metadata: &NewDeviceMetadata,
    ) {
        let (Some(key), Some(group_key)) = (&metadata.device_key, &metadata.device_group_key)
        else {
            return;
        };
        let mut secret = [0u8; 40];
        rand::thread_rng().fill_bytes(&mut secret);
        let password = STANDARD.encode(secret);
        let mut salt = vec![0u8; 16];
        rand::thread_rng().fill_bytes(&mut salt);
        let verifier = keystep_srp::device_verifier(&salt, group_key, key, &password);
        let request = ConfirmDeviceRequest {
            access_token: access_token.into(),
            device_key: key.clone(),
            device_secret_verifier_config: Some(DeviceSecretVerifierConfig {
                password_verifier: Some(STANDARD.encode(&verifier).into()),
                salt: Some(STANDARD.encode(&salt).into()),
            }),
            device_name: Some(DEVICE_NAME.into()),
        };
        let confirmed: Result<ConfirmDeviceResponse, AuthError> =
            self.wire.call("ConfirmDevice", &request).await;
        if confirmed.is_ok() {
            let device = RememberedDevice {
                key: key.clone(),
                group_key: group_key.clone(),
                password,
            };
            let _ = self.store.save_device(Some(&device));
        }
    }

    /// Remembers this device (`UpdateDeviceStatus remembered`), like Amplify's
    /// `rememberDevice`: in a pool that lets remembered devices skip MFA, the next sign-in
    /// here proves the device instead.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// auth.remember_device().await?;
    /// assert_eq!(auth.fetch_devices().await?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub async fn remember_device(&self) -> Result<(), AuthError> {
        let device = self.current_device()?;
        let request = UpdateDeviceStatusRequest {
            access_token: self.access_token().await?.into(),
            device_key: device.key,
            device_remembered_status: Some("remembered".into()),
        };
        let _: UpdateDeviceStatusResponse = self.wire.call("UpdateDeviceStatus", &request).await?;
        Ok(())
    }

    /// Forgets this device (`ForgetDevice`) and its keys, like Amplify's `forgetDevice`:
    /// the next sign-in is from a new device again.
    pub async fn forget_device(&self) -> Result<(), AuthError> {
        let device = self.current_device()?;
        let request = ForgetDeviceRequest {
            access_token: Some(self.access_token().await?.into()),
            device_key: device.key,
        };
        let _: ForgetDeviceResponse = self.wire.call("ForgetDevice", &request).await?;
        self.store.save_device(None)
    }

    /// The user's remembered devices (`ListDevices`), like Amplify's `fetchDevices`.
    pub async fn fetch_devices(&self) -> Result<Vec<DeviceInfo>, AuthError> {
        let request = ListDevicesRequest {
            access_token: self.access_token().await?.into(),
            limit: Some(60),
            pagination_token: None,
        };
        let response: ListDevicesResponse = self.wire.call("ListDevices", &request).await?;
        Ok(response
            .devices
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| {
                let name = d.device_attributes.as_ref().and_then(|attrs| {
                    attrs
                        .iter()
                        .find(|a| a.name == "device_name")
                        .and_then(|a| a.value.clone())
                });
                d.device_key.map(|id| DeviceInfo { id, name })
            })
            .collect())
    }

    fn current_device(&self) -> Result<RememberedDevice, AuthError> {
        self.store.load_device()?.ok_or_else(|| {
            AuthError::invalid_state(
                "this device has no device key: sign in on a pool that tracks devices first",
            )
        })
    }

    async fn access_token(&self) -> Result<String, AuthError> {
        let session = self
            .fetch_auth_session(crate::FetchAuthSessionOptions::default())
            .await?;
        session
            .tokens
            .map(|t| t.access_token)
            .ok_or_else(|| AuthError::NotAuthorized {
                message: "not signed in".into(),
            })
    }
}

/// Whether `e` is the answer Cognito gives for a device key it does not know.
pub(crate) fn is_unknown_device(e: &AuthError) -> bool {
    e.name() == "ResourceNotFoundException" && e.to_string().contains("Device does not exist")
}
