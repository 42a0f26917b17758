//! A user's MFA factors outside sign-in: `AssociateSoftwareToken` /
//! `VerifySoftwareToken` with an access token, `SetUserMFAPreference` and
//! `AdminSetUserMFAPreference`. (With a sign-in `Session`, the setup calls are answers
//! to `MFA_SETUP`: see [`super::auth`].)

use crate::error::AuthError;
use crate::user::{MfaFactor, User};

use super::auth::totp_context;
use super::Keystep;

/// One factor's part of a preference call (`SMSMfaSettings`, ...): `None` members leave
/// the setting as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FactorPreference {
    /// `Enabled`.
    pub enabled: Option<bool>,
    /// `PreferredMfa`.
    pub preferred: Option<bool>,
}

/// The three factors of a preference call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MfaPreferences {
    /// `SMSMfaSettings`.
    pub sms: Option<FactorPreference>,
    /// `SoftwareTokenMfaSettings`.
    pub totp: Option<FactorPreference>,
    /// `EmailMfaSettings`.
    pub email: Option<FactorPreference>,
}

/// The sealing context of a TOTP secret handed out but not verified yet.
fn pending_context(pool_id: &str, sub: &str) -> String {
    format!("totp-pending:{pool_id}:{sub}")
}

/// The error for a TOTP setup in a pool that does not offer TOTP MFA.
fn totp_not_offered() -> AuthError {
    AuthError::SoftwareTokenMfaNotFound(
        "Software token MFA is not enabled for this user pool.".into(),
    )
}

/// Whether `user` has what `factor` needs to deliver (or check) a code.
fn deliverable(user: &User, factor: MfaFactor) -> bool {
    match factor {
        MfaFactor::Sms => user.attr("phone_number").is_some(),
        MfaFactor::Email => user.attr("email").is_some(),
        MfaFactor::Totp => user.mfa.totp_secret.is_some(),
    }
}

/// Applies `prefs` to `user`: a factor can be enabled only when it can deliver; one
/// preferred factor at most, and it must be enabled; disabling the preferred factor
/// clears the preference.
pub fn apply_preferences(user: &mut User, prefs: &MfaPreferences) -> Result<(), AuthError> {
    let entries = [
        (MfaFactor::Sms, prefs.sms),
        (MfaFactor::Totp, prefs.totp),
        (MfaFactor::Email, prefs.email),
    ];
    let preferred_count = entries
        .iter()
        .filter(|(_, p)| p.and_then(|p| p.preferred).unwrap_or(false))
        .count();
    if preferred_count > 1 {
        return Err(AuthError::InvalidParameter(
            "Only one MFA method can be preferred.".into(),
        ));
    }
    for (factor, pref) in entries {
        let Some(pref) = pref else { continue };
        let wants_preferred = pref.preferred.unwrap_or(false);
        let enabled = match pref.enabled {
            Some(e) => e,
            None => wants_preferred || user.mfa.enabled.contains(&factor),
        };
        if wants_preferred && !enabled {
            return Err(AuthError::InvalidParameter(format!(
                "{} cannot be preferred while it is disabled.",
                factor.as_str()
            )));
        }
        if enabled {
            if !deliverable(user, factor) {
                return Err(AuthError::InvalidParameter(format!(
                    "User does not have delivery config set to turn on {}",
                    factor.as_str()
                )));
            }
            if !user.mfa.enabled.contains(&factor) {
                user.mfa.enabled.push(factor);
            }
        } else {
            user.mfa.enabled.retain(|f| *f != factor);
            if user.mfa.preferred == Some(factor) {
                user.mfa.preferred = None;
            }
        }
        if wants_preferred {
            user.mfa.preferred = Some(factor);
        } else if pref.preferred == Some(false) && user.mfa.preferred == Some(factor) {
            user.mfa.preferred = None;
        }
    }
    Ok(())
}

impl Keystep {
    /// `AssociateSoftwareToken` with an access token: a new secret, kept (sealed) as
    /// pending until `VerifySoftwareToken` proves the user's app has it.
    pub async fn associate_software_token(&self, access_token: &str) -> Result<String, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        if !caller.pool.settings.totp_mfa_enabled {
            return Err(totp_not_offered());
        }
        let mut secret = vec![0u8; 20];
        self.rng.fill(&mut secret);
        let sealed = self
            .keys
            .seal(&pending_context(&caller.pool.id, &caller.user.sub), &secret);
        self.modify_user(&caller.pool, &caller.user.sub, |u| {
            u.mfa.pending_totp_secret = Some(sealed.clone());
            Ok(())
        })
        .await?;
        Ok(crate::totp::base32_encode(&secret))
    }

    /// `VerifySoftwareToken` with an access token: a code of the pending secret makes it
    /// the user's TOTP secret. It does not enable TOTP MFA (SetUserMFAPreference does),
    /// except that a user who already had TOTP enabled keeps it, with the new secret.
    pub async fn verify_software_token(
        &self,
        access_token: &str,
        code: &str,
        friendly_device_name: Option<&str>,
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let (pool, sub) = (&caller.pool, caller.user.sub.as_str());
        if !pool.settings.totp_mfa_enabled {
            return Err(totp_not_offered());
        }
        let Some(pending) = &caller.user.mfa.pending_totp_secret else {
            return Err(AuthError::SoftwareTokenMfaNotFound(
                "No software token is associated with the user; call AssociateSoftwareToken first."
                    .into(),
            ));
        };
        let secret = self
            .keys
            .open(&pending_context(&pool.id, sub), pending)
            .map_err(AuthError::internal)?;
        let now = self.clock.now();
        let Some(step) = crate::totp::verify(&secret, code, now) else {
            return Err(AuthError::EnableSoftwareTokenMfa(
                "Code mismatch and fail enable Software Token MFA".into(),
            ));
        };
        if !self.claim_totp_step(&pool.id, sub, step, now).await? {
            return Err(AuthError::EnableSoftwareTokenMfa(
                "Code mismatch and fail enable Software Token MFA".into(),
            ));
        }
        let sealed = self.keys.seal(&totp_context(&pool.id, sub), &secret);
        let name = friendly_device_name.map(str::to_string);
        self.modify_user(pool, sub, |u| {
            u.mfa.totp_secret = Some(sealed.clone());
            u.mfa.pending_totp_secret = None;
            u.mfa.totp_device_name = name.clone();
            u.mfa.last_totp_step = Some(step);
            Ok(())
        })
        .await?;
        Ok(())
    }

    /// `SetUserMFAPreference`.
    pub async fn set_user_mfa_preference(
        &self,
        access_token: &str,
        prefs: &MfaPreferences,
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        self.modify_user(&caller.pool, &caller.user.sub, |u| {
            apply_preferences(u, prefs)
        })
        .await?;
        Ok(())
    }

    /// `AdminSetUserMFAPreference`.
    pub async fn admin_set_user_mfa_preference(
        &self,
        pool_id: &str,
        username: &str,
        prefs: &MfaPreferences,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.modify_user(&pool, &user.sub, |u| apply_preferences(u, prefs))
            .await?;
        Ok(())
    }
}

/// What the legacy `MFAOptions` of `SetUserSettings` / `AdminSetUserSettings` ask: SMS MFA
/// on (one SMS option for `phone_number`) or off (none). Only SMS can be set this way.
pub fn legacy_sms_option(options: &[(Option<String>, Option<String>)]) -> Result<bool, AuthError> {
    match options {
        [] => Ok(false),
        [(medium, attribute)] => {
            if medium.as_deref() != Some("SMS") {
                return Err(AuthError::InvalidParameter(
                    "Only SMS can be set up through MFAOptions; use SetUserMFAPreference.".into(),
                ));
            }
            if attribute.as_deref().is_some_and(|a| a != "phone_number") {
                return Err(AuthError::InvalidParameter(
                    "SMS MFA options name the phone_number attribute.".into(),
                ));
            }
            Ok(true)
        }
        _ => Err(AuthError::InvalidParameter(
            "MFAOptions takes at most one option.".into(),
        )),
    }
}

impl Keystep {
    fn sms_preference(on: bool) -> MfaPreferences {
        MfaPreferences {
            sms: Some(FactorPreference {
                enabled: Some(on),
                preferred: None,
            }),
            ..MfaPreferences::default()
        }
    }

    /// `SetUserSettings`: SMS MFA on or off for the token's user.
    pub async fn set_user_settings(
        &self,
        access_token: &str,
        options: &[(Option<String>, Option<String>)],
    ) -> Result<(), AuthError> {
        let on = legacy_sms_option(options)?;
        let caller = self.authenticate_access(access_token).await?;
        let prefs = Self::sms_preference(on);
        self.modify_user(&caller.pool, &caller.user.sub, |u| {
            apply_preferences(u, &prefs)
        })
        .await?;
        Ok(())
    }

    /// `AdminSetUserSettings`: SMS MFA on or off for a user.
    pub async fn admin_set_user_settings(
        &self,
        pool_id: &str,
        username: &str,
        options: &[(Option<String>, Option<String>)],
    ) -> Result<(), AuthError> {
        let on = legacy_sms_option(options)?;
        self.admin_set_user_mfa_preference(pool_id, username, &Self::sms_preference(on))
            .await
    }

    /// `AdminDeleteSoftwareToken`: the user's authenticator app is forgotten (secret, a
    /// pending one, the TOTP factor and its preference). A user without one is unchanged.
    pub async fn admin_delete_software_token(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.modify_user(&pool, &user.sub, |u| {
            u.mfa.enabled.retain(|f| *f != MfaFactor::Totp);
            if u.mfa.preferred == Some(MfaFactor::Totp) {
                u.mfa.preferred = None;
            }
            u.mfa.totp_secret = None;
            u.mfa.totp_device_name = None;
            u.mfa.pending_totp_secret = None;
            Ok(())
        })
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Sealed;

    fn user() -> User {
        let mut attributes = crate::attributes::Attributes::new();
        attributes.insert("phone_number".into(), "+15550001111".into());
        User {
            pool_id: "us-east-1_test12345".into(),
            username: "jane".into(),
            username_key: "jane".into(),
            sub: "0b0c6a7e-0000-4000-8000-000000000001".into(),
            attributes,
            status: crate::user::UserStatus::Confirmed,
            enabled: true,
            created_at: crate::Millis(0),
            modified_at: crate::Millis(0),
            password: None,
            password_set_at: None,
            mfa: crate::user::MfaSettings::default(),
            tokens_valid_after: None,
            pending_attributes: Default::default(),
            password_history: Vec::new(),
            version: 0,
        }
    }

    fn pref(enabled: bool, preferred: bool) -> Option<FactorPreference> {
        Some(FactorPreference {
            enabled: Some(enabled),
            preferred: Some(preferred),
        })
    }

    #[test]
    fn sms_needs_a_phone_and_totp_needs_a_verified_secret() {
        let mut u = user();
        let ok = MfaPreferences {
            sms: pref(true, true),
            ..Default::default()
        };
        apply_preferences(&mut u, &ok).expect("sms with a phone");
        assert_eq!(u.mfa.enabled, vec![MfaFactor::Sms]);
        assert_eq!(u.mfa.preferred, Some(MfaFactor::Sms));
        let totp = MfaPreferences {
            totp: pref(true, false),
            ..Default::default()
        };
        let err = apply_preferences(&mut u, &totp).expect_err("no secret");
        assert!(err.to_string().contains("SOFTWARE_TOKEN_MFA"), "{err}");
        u.mfa.totp_secret = Some(Sealed(vec![1, 2, 3]));
        apply_preferences(&mut u, &totp).expect("secret verified");
        assert_eq!(u.mfa.enabled, vec![MfaFactor::Sms, MfaFactor::Totp]);
        assert_eq!(u.mfa.preferred, Some(MfaFactor::Sms));
    }

    #[test]
    fn disabling_the_preferred_factor_clears_the_preference() {
        let mut u = user();
        apply_preferences(
            &mut u,
            &MfaPreferences {
                sms: pref(true, true),
                ..Default::default()
            },
        )
        .expect("enable");
        apply_preferences(
            &mut u,
            &MfaPreferences {
                sms: pref(false, false),
                ..Default::default()
            },
        )
        .expect("disable");
        assert!(u.mfa.enabled.is_empty());
        assert_eq!(u.mfa.preferred, None);
    }

    #[test]
    fn two_preferred_or_preferred_but_disabled_are_refused() {
        let mut u = user();
        u.attributes.insert("email".into(), "a@b.co".into());
        let two = MfaPreferences {
            sms: pref(true, true),
            email: pref(true, true),
            ..Default::default()
        };
        assert!(apply_preferences(&mut u, &two).is_err());
        let contradictory = MfaPreferences {
            sms: pref(false, true),
            ..Default::default()
        };
        assert!(apply_preferences(&mut u, &contradictory).is_err());
        assert!(u.mfa.enabled.is_empty(), "nothing half-applied");
    }
}
