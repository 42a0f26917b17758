//! The sign-in the hosted pages run: the same engine as `InitiateAuth` /
//! `RespondToAuthChallenge` (so every next step, lockout and trigger is the API's), begun
//! with a password whatever API flows the client allows, and ended with an authorization
//! and a pages' session instead of tokens. The pages know the client's secret, so they
//! compute `SECRET_HASH` themselves.

use std::collections::BTreeMap;

use crate::error::AuthError;
use crate::oauth::authorize::Authorization;
use crate::ports::HostedSessionRow;
use crate::signin::{Authenticated, Challenge, ChallengeAnswer};
use crate::user::User;
use crate::Millis;

use super::super::auth::{AuthStep, InitiateAuthInput, RespondInput, SetupStep};
use super::super::Keystep;
use super::{HOSTED_SESSION_SECS, OPAQUE_BYTES, SESSION_SCOPE};

/// Where a step on the pages leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostedStep {
    /// Signed in: the browser goes back to the app (`redirect`), holding the pages'
    /// new session cookie (`session`).
    Done {
        /// The redirect to the app.
        redirect: String,
        /// The pages' session cookie value.
        session: String,
        /// The pool the session is of (it names the cookie).
        pool_id: String,
    },
    /// The next challenge, answered on the pages with the sign-in `Session`.
    Challenge {
        /// Name and parameters.
        challenge: Challenge,
        /// The sign-in `Session`.
        session: String,
    },
    /// TOTP setup: the secret to show (as a QR code) and the `Session`.
    TotpSecret {
        /// Base32 secret.
        secret_code: String,
        /// The sign-in `Session`.
        session: String,
    },
}

impl Keystep {
    /// The `SECRET_HASH` a client with a secret would send for `username`.
    pub async fn hosted_secret_hash(
        &self,
        client_id: &str,
        username: &str,
    ) -> Result<Option<String>, AuthError> {
        let (client, _) = self.load_client(client_id).await?;
        Ok(self
            .client_secret(&client)?
            .map(|secret| keystep_srp::secret_hash(&secret, username, client_id)))
    }

    /// The username and password form.
    pub async fn hosted_sign_in(
        &self,
        auth: &Authorization,
        username: &str,
        password: &str,
        source_ip: Option<String>,
    ) -> Result<HostedStep, AuthError> {
        let mut parameters = BTreeMap::new();
        parameters.insert("USERNAME".to_string(), username.to_string());
        parameters.insert("PASSWORD".to_string(), password.to_string());
        if let Some(hash) = self.hosted_secret_hash(&auth.client_id, username).await? {
            parameters.insert("SECRET_HASH".to_string(), hash);
        }
        let step = self
            .initiate_auth(InitiateAuthInput {
                pool_id: None,
                client_id: auth.client_id.clone(),
                auth_flow: "USER_PASSWORD_AUTH".into(),
                parameters,
                client_metadata: BTreeMap::new(),
                session: None,
                hosted: true,
                source_ip,
            })
            .await?;
        self.hosted_step(auth, step).await
    }

    /// An answer to a challenge the pages showed (`responses` without `USERNAME` and
    /// `SECRET_HASH`; they are added here).
    pub async fn hosted_answer(
        &self,
        auth: &Authorization,
        challenge_name: &str,
        session: &str,
        username: &str,
        mut responses: BTreeMap<String, String>,
        source_ip: Option<String>,
    ) -> Result<HostedStep, AuthError> {
        responses.insert("USERNAME".into(), username.to_string());
        if let Some(hash) = self.hosted_secret_hash(&auth.client_id, username).await? {
            responses.insert("SECRET_HASH".into(), hash);
        }
        let step = self
            .respond_to_auth_challenge(RespondInput {
                pool_id: None,
                client_id: auth.client_id.clone(),
                challenge_name: challenge_name.to_string(),
                session: Some(session.to_string()),
                responses,
                client_metadata: BTreeMap::new(),
                hosted: true,
                source_ip,
            })
            .await?;
        self.hosted_step(auth, step).await
    }

    /// TOTP setup on the pages, first half: a new secret for the waiting sign-in.
    pub async fn hosted_totp_secret(&self, session: &str) -> Result<HostedStep, AuthError> {
        match self
            .software_token_in_session(session, ChallengeAnswer::AssociateSoftwareToken)
            .await?
        {
            SetupStep::Associated {
                secret_code,
                session,
            } => Ok(HostedStep::TotpSecret {
                secret_code,
                session,
            }),
            SetupStep::Verified { .. } => Err(AuthError::internal("TOTP verified unasked")),
        }
    }

    /// TOTP setup on the pages, second half: the first code proves the secret, and the
    /// sign-in goes on (`MFA_SETUP` answered with the new `Session`).
    pub async fn hosted_totp_verify(
        &self,
        auth: &Authorization,
        session: &str,
        username: &str,
        code: &str,
    ) -> Result<HostedStep, AuthError> {
        let answer = ChallengeAnswer::VerifySoftwareToken {
            code: code.to_string(),
            friendly_device_name: None,
        };
        let session = match self.software_token_in_session(session, answer).await? {
            SetupStep::Verified { session } => session,
            SetupStep::Associated { .. } => {
                return Err(AuthError::internal("TOTP associated unasked"))
            }
        };
        self.hosted_answer(auth, "MFA_SETUP", &session, username, BTreeMap::new(), None)
            .await
    }

    async fn hosted_step(
        &self,
        auth: &Authorization,
        step: AuthStep,
    ) -> Result<HostedStep, AuthError> {
        match step {
            AuthStep::Challenge {
                challenge,
                session: Some(session),
            } => Ok(HostedStep::Challenge { challenge, session }),
            AuthStep::Challenge { session: None, .. } | AuthStep::SignedIn(_) => {
                Err(AuthError::internal("a hosted sign-in answered as the API"))
            }
            AuthStep::Hosted(proof) => self.hosted_signed_in(auth, &proof).await,
        }
    }

    /// A sign-in on the pages completed: a pages' session for the browser, and the
    /// authorization completed for the app.
    async fn hosted_signed_in(
        &self,
        auth: &Authorization,
        proof: &Authenticated,
    ) -> Result<HostedStep, AuthError> {
        if proof.pool_id() != auth.pool_id || proof.client_id() != auth.client_id {
            return Err(AuthError::internal("a hosted sign-in for another client"));
        }
        let user = self
            .store
            .get_user_by_sub(&auth.pool_id, proof.sub())
            .await?
            .ok_or_else(|| AuthError::NotAuthorized("User does not exist.".into()))?;
        self.signed_in_on_pages(auth, &user, proof.auth_time())
            .await
    }

    /// The end of every sign-in on the pages (password, or a federated provider): a new
    /// pages' session for the browser, and the app's authorization completed.
    pub(super) async fn signed_in_on_pages(
        &self,
        auth: &Authorization,
        user: &User,
        auth_time: Millis,
    ) -> Result<HostedStep, AuthError> {
        let now = self.clock.now();
        let session = crate::ids::new_opaque_token(&*self.rng, OPAQUE_BYTES);
        self.store
            .insert_hosted_session(&HostedSessionRow {
                hash: self.keys.code_hash(SESSION_SCOPE, &session),
                pool_id: auth.pool_id.clone(),
                sub: user.sub.clone(),
                auth_time,
                created_at: now,
                expires_at: now.plus_secs(HOSTED_SESSION_SECS),
            })
            .await?;
        let redirect = self.complete_authorization(auth, user, auth_time).await?;
        Ok(HostedStep::Done {
            redirect,
            session,
            pool_id: auth.pool_id.clone(),
        })
    }
}
