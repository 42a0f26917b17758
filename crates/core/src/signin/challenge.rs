//! Challenges as the engine issues them: a name and the `ChallengeParameters` to send,
//! spelled exactly as protocol notes §2.4 lists them.

use std::collections::BTreeMap;

use crate::message::Medium;
use crate::user::MfaFactor;

use super::choice::FirstChallenge;

/// A challenge Keystep issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChallengeName {
    /// `PASSWORD_VERIFIER`.
    PasswordVerifier,
    /// `SMS_MFA`.
    SmsMfa,
    /// `SOFTWARE_TOKEN_MFA`.
    SoftwareTokenMfa,
    /// `EMAIL_OTP`.
    EmailOtp,
    /// `SELECT_MFA_TYPE`.
    SelectMfaType,
    /// `MFA_SETUP`.
    MfaSetup,
    /// `NEW_PASSWORD_REQUIRED`.
    NewPasswordRequired,
    /// `CUSTOM_CHALLENGE`.
    CustomChallenge,
    /// `SELECT_CHALLENGE`: choose a first factor (`USER_AUTH`).
    SelectChallenge,
    /// `SMS_OTP`: a one-time code sent by SMS as the first factor (`USER_AUTH`).
    SmsOtp,
    /// `PASSWORD`: answers `SELECT_CHALLENGE` with a password; never issued.
    Password,
    /// `PASSWORD_SRP`: answers `SELECT_CHALLENGE` with `SRP_A`; never issued.
    PasswordSrp,
    /// `DEVICE_SRP_AUTH`: a remembered device is asked for its `SRP_A`.
    DeviceSrpAuth,
    /// `WEB_AUTHN`: a passkey assertion.
    WebAuthn,
    /// `DEVICE_PASSWORD_VERIFIER`: the device's SRP proof.
    DevicePasswordVerifier,
}

impl ChallengeName {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeName::PasswordVerifier => "PASSWORD_VERIFIER",
            ChallengeName::SmsMfa => "SMS_MFA",
            ChallengeName::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            ChallengeName::EmailOtp => "EMAIL_OTP",
            ChallengeName::SelectMfaType => "SELECT_MFA_TYPE",
            ChallengeName::MfaSetup => "MFA_SETUP",
            ChallengeName::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            ChallengeName::CustomChallenge => "CUSTOM_CHALLENGE",
            ChallengeName::SelectChallenge => "SELECT_CHALLENGE",
            ChallengeName::SmsOtp => "SMS_OTP",
            ChallengeName::Password => "PASSWORD",
            ChallengeName::PasswordSrp => "PASSWORD_SRP",
            ChallengeName::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            ChallengeName::WebAuthn => "WEB_AUTHN",
            ChallengeName::DevicePasswordVerifier => "DEVICE_PASSWORD_VERIFIER",
        }
    }

    /// Parses a wire name Keystep answers; other valid Cognito names are `None`.
    pub fn parse(s: &str) -> Option<ChallengeName> {
        [
            ChallengeName::PasswordVerifier,
            ChallengeName::SmsMfa,
            ChallengeName::SoftwareTokenMfa,
            ChallengeName::EmailOtp,
            ChallengeName::SelectMfaType,
            ChallengeName::MfaSetup,
            ChallengeName::NewPasswordRequired,
            ChallengeName::CustomChallenge,
            ChallengeName::SelectChallenge,
            ChallengeName::SmsOtp,
            ChallengeName::Password,
            ChallengeName::PasswordSrp,
            ChallengeName::DeviceSrpAuth,
            ChallengeName::DevicePasswordVerifier,
            ChallengeName::WebAuthn,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    /// The challenge that asks for `factor`'s code.
    pub fn for_factor(factor: MfaFactor) -> ChallengeName {
        match factor {
            MfaFactor::Sms => ChallengeName::SmsMfa,
            MfaFactor::Totp => ChallengeName::SoftwareTokenMfa,
            MfaFactor::Email => ChallengeName::EmailOtp,
        }
    }
}

/// A challenge to send: `ChallengeName` and `ChallengeParameters`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// `ChallengeName`.
    pub name: ChallengeName,
    /// `ChallengeParameters`.
    pub parameters: BTreeMap<String, String>,
    /// `AvailableChallenges` (a response member, not a parameter): the first factors a
    /// `SELECT_CHALLENGE` offers; empty for every other challenge.
    pub available: Vec<FirstChallenge>,
}

const USER_ID_FOR_SRP: &str = "USER_ID_FOR_SRP";

impl Challenge {
    fn new(name: ChallengeName, username: &str) -> Challenge {
        let mut parameters = BTreeMap::new();
        parameters.insert(USER_ID_FOR_SRP.to_string(), username.to_string());
        Challenge {
            name,
            parameters,
            available: Vec::new(),
        }
    }

    fn with(mut self, key: &str, value: impl Into<String>) -> Challenge {
        self.parameters.insert(key.to_string(), value.into());
        self
    }

    /// `PASSWORD_VERIFIER` without its `SECRET_BLOCK` (the service seals and adds it):
    /// `SALT`, `SRP_B` (hex), `USER_ID_FOR_SRP` and `USERNAME`, both the canonical
    /// username (pycognito needs `USERNAME`).
    pub fn password_verifier(username: &str, salt_hex: String, srp_b_hex: String) -> Challenge {
        Challenge::new(ChallengeName::PasswordVerifier, username)
            .with("USERNAME", username)
            .with("SALT", salt_hex)
            .with("SRP_B", srp_b_hex)
    }

    /// `WEB_AUTHN`: `CREDENTIAL_REQUEST_OPTIONS` (a JSON *string*) and `USERNAME`.
    pub fn web_authn(username: &str, request_options: String) -> Challenge {
        Challenge::device_srp(username)
            .with("CREDENTIAL_REQUEST_OPTIONS", request_options)
            .renamed(ChallengeName::WebAuthn)
    }

    /// `DEVICE_SRP_AUTH`: only `USERNAME` (Amplify answers with it).
    pub fn device_srp(username: &str) -> Challenge {
        let mut parameters = BTreeMap::new();
        parameters.insert("USERNAME".to_string(), username.to_string());
        Challenge {
            name: ChallengeName::DeviceSrpAuth,
            parameters,
            available: Vec::new(),
        }
    }

    /// `DEVICE_PASSWORD_VERIFIER` without its `SECRET_BLOCK` (the service seals and adds
    /// it): `SRP_B`, `SALT` (hex), `USERNAME` (the user, not the device) and `DEVICE_KEY`.
    pub fn device_password_verifier(
        username: &str,
        device_key: &str,
        salt_hex: String,
        srp_b_hex: String,
    ) -> Challenge {
        Challenge::device_srp(username)
            .with("DEVICE_KEY", device_key)
            .with("SALT", salt_hex)
            .with("SRP_B", srp_b_hex)
            .renamed(ChallengeName::DevicePasswordVerifier)
    }

    fn renamed(mut self, name: ChallengeName) -> Challenge {
        self.name = name;
        self
    }

    /// `SMS_MFA` or `EMAIL_OTP` with the masked destination the code went to.
    pub fn code_sent(username: &str, medium: Medium, masked_destination: String) -> Challenge {
        let name = match medium {
            Medium::Sms => ChallengeName::SmsMfa,
            Medium::Email => ChallengeName::EmailOtp,
        };
        Challenge::new(name, username)
            .with("CODE_DELIVERY_DELIVERY_MEDIUM", medium.as_str())
            .with("CODE_DELIVERY_DESTINATION", masked_destination)
    }

    /// `SOFTWARE_TOKEN_MFA`, naming the authenticator when the user named it.
    pub fn software_token(username: &str, friendly_device_name: Option<&str>) -> Challenge {
        let c = Challenge::new(ChallengeName::SoftwareTokenMfa, username);
        match friendly_device_name {
            Some(name) => c.with("FRIENDLY_DEVICE_NAME", name),
            None => c,
        }
    }

    /// `SELECT_MFA_TYPE` with `MFAS_CAN_CHOOSE` as a JSON *string* array.
    pub fn select_mfa(username: &str, allowed: &[MfaFactor]) -> Challenge {
        Challenge::new(ChallengeName::SelectMfaType, username)
            .with("MFAS_CAN_CHOOSE", factor_list(allowed))
    }

    /// `MFA_SETUP` with `MFAS_CAN_SETUP` as a JSON string array.
    pub fn mfa_setup(username: &str, allowed: &[MfaFactor]) -> Challenge {
        Challenge::new(ChallengeName::MfaSetup, username)
            .with("MFAS_CAN_SETUP", factor_list(allowed))
    }

    /// `NEW_PASSWORD_REQUIRED`: `requiredAttributes` as a JSON string array of
    /// `userAttributes.`-prefixed names (amazon-cognito-identity-js cuts 15 characters
    /// off each, so the prefix is mandatory) and `userAttributes` as a JSON string object.
    pub fn new_password(
        username: &str,
        required_attributes: &[String],
        user_attributes: &BTreeMap<String, String>,
    ) -> Challenge {
        let required: Vec<String> = required_attributes
            .iter()
            .map(|a| format!("userAttributes.{a}"))
            .collect();
        Challenge::new(ChallengeName::NewPasswordRequired, username)
            .with("requiredAttributes", json_string(&required))
            .with("userAttributes", json_string(user_attributes))
    }
}

impl Challenge {
    /// `SELECT_CHALLENGE`: no parameters; the choice travels in `AvailableChallenges`.
    pub fn select_first_factor(available: &[FirstChallenge]) -> Challenge {
        Challenge {
            name: ChallengeName::SelectChallenge,
            parameters: BTreeMap::new(),
            available: available.to_vec(),
        }
    }

    /// `EMAIL_OTP` or `SMS_OTP` as a first factor, with the masked destination, and
    /// `USERNAME` (Amplify answers with it).
    pub fn sign_in_code(username: &str, medium: Medium, masked_destination: String) -> Challenge {
        let name = match medium {
            Medium::Sms => ChallengeName::SmsOtp,
            Medium::Email => ChallengeName::EmailOtp,
        };
        Challenge::new(name, username)
            .with("USERNAME", username)
            .with("CODE_DELIVERY_DELIVERY_MEDIUM", medium.as_str())
            .with("CODE_DELIVERY_DESTINATION", masked_destination)
    }

    /// `CUSTOM_CHALLENGE` with Create's `publicChallengeParameters`, plus `USERNAME` (the
    /// canonical username) unless the trigger set one: Amplify answers with it.
    pub fn custom(username: &str, public_parameters: BTreeMap<String, String>) -> Challenge {
        let mut parameters = public_parameters;
        parameters
            .entry("USERNAME".to_string())
            .or_insert_with(|| username.to_string());
        Challenge {
            name: ChallengeName::CustomChallenge,
            parameters,
            available: Vec::new(),
        }
    }
}

fn factor_list(factors: &[MfaFactor]) -> String {
    let names: Vec<&str> = factors.iter().map(|f| f.as_str()).collect();
    json_string(&names)
}

/// Serialising strings and string maps cannot fail; an empty JSON value is the fallback
/// that keeps this infallible without a panic path.
fn json_string<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}
