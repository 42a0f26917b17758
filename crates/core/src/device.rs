//! Remembered devices (protocol notes §12): a device a user confirmed after a sign-in,
//! with the SRP verifier of its own random password, which can later stand in for the
//! second factor.
//!
//! A device key is handed out with the tokens of a sign-in that named none
//! (`NewDeviceMetadata`) and bound into its access token; nothing is stored until the
//! client confirms it with that access token (`ConfirmDevice`), so sign-ins of clients
//! that never confirm leave no rows behind.

use serde::{Deserialize, Serialize};

use crate::Millis;

/// Whether a confirmed device is remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeviceStatus {
    /// `not_remembered`: tracked, seen only by the admin operations, never skips MFA.
    NotRemembered,
    /// `remembered`: listed to the user; may stand in for the second factor.
    Remembered,
}

impl DeviceStatus {
    /// The wire value (`DeviceRememberedStatus`, `dev:device_remembered_status`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::NotRemembered => "not_remembered",
            DeviceStatus::Remembered => "remembered",
        }
    }

    /// Parses a wire value.
    pub fn parse(s: &str) -> Option<DeviceStatus> {
        match s {
            "not_remembered" => Some(DeviceStatus::NotRemembered),
            "remembered" => Some(DeviceStatus::Remembered),
            _ => None,
        }
    }
}

/// A confirmed device of a user.
#[derive(Clone, PartialEq, Eq)]
pub struct Device {
    /// The pool.
    pub pool_id: String,
    /// The owner's `sub`.
    pub sub: String,
    /// `DeviceKey`: `<region>_<uuid>`.
    pub key: String,
    /// `DeviceGroupKey`: the "pool name" of device SRP.
    pub group_key: String,
    /// `device_name`, as the client sent it.
    pub name: Option<String>,
    /// Remembered or not.
    pub status: DeviceStatus,
    /// The device's SRP salt and verifier, sealed.
    pub verifier: Vec<u8>,
    /// When it was confirmed.
    pub created_at: Millis,
    /// When it last changed.
    pub modified_at: Millis,
    /// When it last proved itself at sign-in.
    pub last_authenticated_at: Option<Millis>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("key", &self.key)
            .field("sub", &self.sub)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Whether `key` has the shape Cognito gives device keys (`[\w-]+_[0-9a-f-]+`, at most
/// 55 characters): anything else cannot name a device.
pub fn valid_key(key: &str) -> bool {
    let Some((region, id)) = key.rsplit_once('_') else {
        return false;
    };
    key.len() <= 55
        && !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !id.is_empty()
        && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// The sealing context of a device's verifier.
pub fn verifier_context(pool_id: &str, key: &str) -> String {
    format!("device-verifier:{pool_id}:{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_cognitos_shape() {
        assert!(valid_key("us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
        assert!(!valid_key("us-east-1_not-hex-zz"));
        assert!(!valid_key("nounderscore"));
        assert!(!valid_key(&format!("us-east-1_{}", "a".repeat(60))));
        assert!(!valid_key("_abc"));
    }

    #[test]
    fn statuses_round_trip() {
        for s in [DeviceStatus::NotRemembered, DeviceStatus::Remembered] {
            assert_eq!(DeviceStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(DeviceStatus::parse("valid"), None);
    }
}
