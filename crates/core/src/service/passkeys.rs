//! Passkey registration and management (protocol notes §13.3–§13.4):
//! `StartWebAuthnRegistration`, `CompleteWebAuthnRegistration`, `ListWebAuthnCredentials`,
//! `DeleteWebAuthnCredential`; and what a choice-based sign-in needs to offer a passkey.

use keystep_passkey::{PasskeyError, RelyingParty};
use serde_json::Value;

use crate::error::{AuthError, WebAuthnProblem};
use crate::passkey::{registration_context, AssertionState, PendingRegistration, StoredPasskey};
use crate::pool::{AuthFactor, UserPool};
use crate::signin::StoredCredential;
use crate::Millis;

use super::Keystep;

/// How long a registration challenge is answerable (the `timeout` the options carry).
const CHALLENGE_SECS: i64 = 300;

/// The most passkeys one user may register.
pub const MAX_PASSKEYS: usize = 20;

/// One passkey as `ListWebAuthnCredentials` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyView {
    /// `CredentialId`.
    pub credential_id: String,
    /// `FriendlyCredentialName`.
    pub name: String,
    /// `RelyingPartyId`.
    pub relying_party_id: String,
    /// `AuthenticatorAttachment`.
    pub attachment: Option<String>,
    /// `AuthenticatorTransports`.
    pub transports: Vec<String>,
    /// `CreatedAt`.
    pub created_at: Millis,
}

/// A page of passkeys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyPage {
    /// `Credentials`.
    pub credentials: Vec<PasskeyView>,
    /// `NextToken`: the last credential id of this page, when more follow.
    pub next: Option<String>,
}

fn problem(kind: WebAuthnProblem, message: &str) -> AuthError {
    AuthError::WebAuthn(kind, message.to_string())
}

/// A failed ceremony, as Cognito names it.
pub(crate) fn ceremony_error(e: PasskeyError) -> AuthError {
    match e {
        PasskeyError::ChallengeMismatch => problem(
            WebAuthnProblem::ChallengeNotFound,
            "The credential does not answer the registration challenge.",
        ),
        PasskeyError::OriginNotAllowed => problem(
            WebAuthnProblem::OriginNotAllowed,
            "The origin is not allowed for this relying party.",
        ),
        PasskeyError::RelyingPartyMismatch => problem(
            WebAuthnProblem::RelyingPartyMismatch,
            "The credential is bound to another relying party.",
        ),
        PasskeyError::NotSupported(_) => problem(
            WebAuthnProblem::CredentialNotSupported,
            "The authenticator or its algorithm is not supported.",
        ),
        PasskeyError::Configuration(_) => problem(
            WebAuthnProblem::ConfigurationMissing,
            "The relying-party id of this pool is not usable.",
        ),
        PasskeyError::UserNotVerified => {
            AuthError::InvalidParameter("The authenticator did not verify the user.".into())
        }
        PasskeyError::Invalid(_) | PasskeyError::PossiblyCloned => {
            AuthError::InvalidParameter("The credential is not valid.".into())
        }
    }
}

/// The relying-party id of a pool whose users may use passkeys: `WEB_AUTHN` among its
/// first factors and a `RelyingPartyId` set.
pub(crate) fn passkey_rp_id(pool: &UserPool) -> Result<String, AuthError> {
    let s = &pool.settings;
    if !s.first_factors.contains(&AuthFactor::WebAuthn) || s.webauthn.is_none() {
        return Err(problem(
            WebAuthnProblem::NotEnabled,
            "Passkeys are not enabled for this user pool (SignInPolicy WEB_AUTHN and WebAuthnConfiguration).",
        ));
    }
    s.webauthn
        .as_ref()
        .and_then(|w| w.relying_party_id.clone())
        .ok_or_else(|| {
            problem(
                WebAuthnProblem::ConfigurationMissing,
                "The user pool has no WebAuthn relying-party id.",
            )
        })
}

fn friendly_name(attachment: Option<&str>) -> String {
    match attachment {
        Some("platform") => "Passkey on this device".into(),
        Some("cross-platform") => "Security key or phone".into(),
        _ => "Passkey".into(),
    }
}

impl Keystep {
    /// A `sub` as the 16 bytes WebAuthn's `user.id` carries (subs are UUIDs; anything
    /// else, e.g. an imported user's, is hashed to 16 bytes).
    fn user_handle(&self, sub: &str) -> uuid::Uuid {
        uuid::Uuid::parse_str(sub).unwrap_or_else(|_| {
            let digest = self.keys.code_hash("passkey-user", sub);
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(&digest[..16]);
            uuid::Builder::from_random_bytes(bytes).into_uuid()
        })
    }

    /// `StartWebAuthnRegistration`: the creation options (a JSON object), and the
    /// challenge kept for the caller — one at a time: a new start replaces it.
    pub async fn start_webauthn_registration(
        &self,
        access_token: &str,
    ) -> Result<Value, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let rp_id = passkey_rp_id(&caller.pool)?;
        let rp = RelyingParty::new(&rp_id).map_err(ceremony_error)?;
        let existing = self
            .store
            .list_passkeys(&caller.pool.id, &caller.user.sub)
            .await?;
        if existing.len() >= MAX_PASSKEYS {
            return Err(AuthError::LimitExceeded(format!(
                "A user may register at most {MAX_PASSKEYS} passkeys."
            )));
        }
        let exclude = existing
            .iter()
            .filter_map(|p| keystep_passkey::base64url_decode(&p.credential_id))
            .collect();
        let (options, state) = rp
            .start_registration(
                self.user_handle(&caller.user.sub),
                &caller.user.username,
                exclude,
            )
            .map_err(ceremony_error)?;
        let context = registration_context(&caller.pool.id, &caller.user.sub);
        let sealed = self.keys.seal(&context, state.as_bytes());
        self.store
            .put_passkey_registration(&PendingRegistration {
                pool_id: caller.pool.id.clone(),
                sub: caller.user.sub.clone(),
                client_id: caller.claims.client_id.clone(),
                state: sealed.0,
                expires_at: self.clock.now().plus_secs(CHALLENGE_SECS),
            })
            .await?;
        Ok(options)
    }

    /// `CompleteWebAuthnRegistration`: verifies the credential against the challenge (used
    /// up whatever the outcome) and stores the passkey.
    pub async fn complete_webauthn_registration(
        &self,
        access_token: &str,
        credential: &Value,
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let rp_id = passkey_rp_id(&caller.pool)?;
        let rp = RelyingParty::new(&rp_id).map_err(ceremony_error)?;
        let pool_id = &caller.pool.id;
        let sub = &caller.user.sub;
        let not_found = || {
            problem(
                WebAuthnProblem::ChallengeNotFound,
                "No passkey registration is waiting: call StartWebAuthnRegistration.",
            )
        };
        let pending = self
            .store
            .take_passkey_registration(pool_id, sub)
            .await?
            .ok_or_else(not_found)?;
        if self.clock.now() >= pending.expires_at {
            return Err(not_found());
        }
        if pending.client_id != caller.claims.client_id {
            return Err(problem(
                WebAuthnProblem::ClientMismatch,
                "The registration was started by another app client.",
            ));
        }
        let state = self
            .keys
            .open(
                &registration_context(pool_id, sub),
                &crate::keys::Sealed(pending.state),
            )
            .map_err(|_| not_found())?;
        let state = String::from_utf8(state).map_err(|_| not_found())?;
        let registered = rp
            .finish_registration(credential, &state)
            .map_err(ceremony_error)?;
        let attachment = credential
            .get("authenticatorAttachment")
            .and_then(Value::as_str)
            .filter(|a| ["platform", "cross-platform"].contains(a))
            .map(str::to_string);
        let stored = StoredPasskey {
            pool_id: pool_id.clone(),
            sub: sub.clone(),
            credential_id: keystep_passkey::base64url(&registered.credential_id),
            relying_party_id: rp_id,
            passkey: registered.passkey,
            name: friendly_name(attachment.as_deref()),
            attachment,
            transports: registered.transports,
            created_at: self.clock.now(),
        };
        match self.store.insert_passkey(&stored).await {
            Ok(()) => Ok(()),
            Err(crate::StoreError::Conflict(_)) => Err(AuthError::InvalidParameter(
                "This passkey is registered already.".into(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// `ListWebAuthnCredentials`: the caller's passkeys, oldest first.
    pub async fn list_webauthn_credentials(
        &self,
        access_token: &str,
        max_results: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<PasskeyPage, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let limit = match max_results {
            None | Some(0) => 20,
            Some(n @ 1..=20) => n as usize,
            Some(_) => {
                return Err(AuthError::InvalidParameter(
                    "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 20".into(),
                ))
            }
        };
        let all = self
            .store
            .list_passkeys(&caller.pool.id, &caller.user.sub)
            .await?;
        let start = match next_token {
            None => 0,
            Some(token) => all
                .iter()
                .position(|p| p.credential_id == token)
                .map(|i| i + 1)
                .ok_or_else(|| AuthError::InvalidParameter("The NextToken is not valid.".into()))?,
        };
        let page: Vec<&StoredPasskey> = all.iter().skip(start).take(limit).collect();
        let next = (start + page.len() < all.len())
            .then(|| page.last().map(|p| p.credential_id.clone()))
            .flatten();
        Ok(PasskeyPage {
            credentials: page
                .into_iter()
                .map(|p| PasskeyView {
                    credential_id: p.credential_id.clone(),
                    name: p.name.clone(),
                    relying_party_id: p.relying_party_id.clone(),
                    attachment: p.attachment.clone(),
                    transports: p.transports.clone(),
                    created_at: p.created_at,
                })
                .collect(),
            next,
        })
    }

    /// `DeleteWebAuthnCredential`.
    pub async fn delete_webauthn_credential(
        &self,
        access_token: &str,
        credential_id: &str,
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        if !self
            .store
            .delete_passkey(&caller.pool.id, &caller.user.sub, credential_id)
            .await?
        {
            return Err(AuthError::ResourceNotFound(
                "The credential does not exist.".into(),
            ));
        }
        Ok(())
    }

    /// The user's passkeys for a choice-based sign-in, and — when a `WEB_AUTHN`
    /// challenge may be issued by this step — its request options drawn now (the engine
    /// draws no randomness). Empty when the pool does not offer passkeys.
    pub(crate) async fn passkeys_for_sign_in(
        &self,
        pool: &UserPool,
        sub: &str,
        may_challenge: bool,
    ) -> Result<(Vec<StoredCredential>, Option<(String, AssertionState)>), AuthError> {
        let Ok(rp_id) = passkey_rp_id(pool) else {
            return Ok((Vec::new(), None));
        };
        let stored = self.store.list_passkeys(&pool.id, sub).await?;
        let credentials: Vec<StoredCredential> = stored
            .into_iter()
            .filter(|p| p.relying_party_id == rp_id)
            .map(|p| StoredCredential {
                credential_id: p.credential_id,
                passkey: p.passkey,
            })
            .collect();
        if !may_challenge || credentials.is_empty() {
            return Ok((credentials, None));
        }
        let rp = RelyingParty::new(&rp_id).map_err(ceremony_error)?;
        let keys: Vec<String> = credentials.iter().map(|c| c.passkey.clone()).collect();
        let (options, state) = rp.start_assertion(&keys).map_err(ceremony_error)?;
        let options = serde_json::to_string(&options).map_err(AuthError::internal)?;
        Ok((credentials, Some((options, AssertionState(state)))))
    }
}

/// What `GetUserAuthFactors` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFactorsView {
    /// `Username`.
    pub username: String,
    /// `PreferredMfaSetting`.
    pub preferred_mfa: Option<crate::user::MfaFactor>,
    /// `UserMFASettingList`.
    pub mfa_enabled: Vec<crate::user::MfaFactor>,
    /// `ConfiguredUserAuthFactors`: the first factors `USER_AUTH` would offer this user.
    pub factors: Vec<AuthFactor>,
}

impl Keystep {
    /// `GetUserAuthFactors`.
    pub async fn get_user_auth_factors(
        &self,
        access_token: &str,
    ) -> Result<AuthFactorsView, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        self.auth_factors(&caller.pool, &caller.user).await
    }

    /// `AdminGetUserAuthFactors`.
    pub async fn admin_get_user_auth_factors(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<AuthFactorsView, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.auth_factors(&pool, &user).await
    }

    /// The pool's first factors the user has what it takes for (the same rule as the
    /// `AvailableChallenges` of a sign-in).
    async fn auth_factors(
        &self,
        pool: &UserPool,
        user: &crate::user::User,
    ) -> Result<AuthFactorsView, AuthError> {
        let (passkeys, _) = self.passkeys_for_sign_in(pool, &user.sub, false).await?;
        let facts = crate::signin::choice::FactorFacts {
            confirmed: user.status == crate::user::UserStatus::Confirmed,
            has_password: user.password.is_some(),
            email_verified: user.is_verified("email"),
            phone_verified: user.is_verified("phone_number"),
            // Empty unless the pool offers passkeys and has a relying party.
            has_passkey: !passkeys.is_empty(),
        };
        let factors = pool
            .settings
            .first_factors
            .iter()
            .copied()
            .filter(|f| crate::signin::choice::can_use(*f, &facts))
            .collect();
        Ok(AuthFactorsView {
            username: user.username.clone(),
            preferred_mfa: user.mfa.preferred,
            mfa_enabled: user.mfa.enabled.clone(),
            factors,
        })
    }
}
