//! `ConfirmDevice`.

use keystep_core::service::devices::ConfirmDeviceInput;
use keystep_proto as proto;

use crate::{ApiError, AppState};

/// Stores the SRP verifier of the device a sign-in was handed.
pub async fn handle(
    state: &AppState,
    req: proto::ConfirmDeviceRequest,
) -> Result<proto::ConfirmDeviceResponse, ApiError> {
    let config = req.device_secret_verifier_config.unwrap_or_default();
    let necessary = state
        .keystep
        .confirm_device(
            &req.access_token.0,
            ConfirmDeviceInput {
                key: req.device_key,
                salt: config.salt.map(|s| s.0),
                verifier: config.password_verifier.map(|v| v.0),
                name: req.device_name,
            },
        )
        .await?;
    Ok(proto::ConfirmDeviceResponse {
        user_confirmation_necessary: Some(necessary),
    })
}
