//! `RespondToAuthChallenge` / `AdminRespondToAuthChallenge`, and the two TOTP setup calls
//! made with a sign-in's `Session`: every later step of a sign-in.

use crate::error::AuthError;
use crate::limits::Lock;
use crate::pool::UserPool;
use crate::signin::{self, session_expired, ChallengeAnswer, ChallengeResponse, Flow, SignInState};
use crate::user::User;

use super::super::limits::user_subject;
use super::super::Keystep;
use super::session::SecretBlock;
use super::{flow_subject, missing, AuthStep, Origin, RespondInput, Settled, SetupStep};

impl Keystep {
    /// `RespondToAuthChallenge` and `AdminRespondToAuthChallenge`.
    pub async fn respond_to_auth_challenge(
        &self,
        input: RespondInput,
    ) -> Result<AuthStep, AuthError> {
        let (client, pool) = self
            .auth_client(input.pool_id.as_deref(), &input.client_id)
            .await?;
        self.check_not_blocked(&pool, &client.client_id, input.source_ip.as_deref())?;
        let response = ChallengeResponse::parse(&input.challenge_name, &input.responses)?;
        let now = self.clock.now();
        let (origin, mut signin) = match &response.answer {
            ChallengeAnswer::DevicePasswordVerifier { secret_block, .. } => {
                match self
                    .take_secret_block(&client.client_id, secret_block, now)
                    .await?
                {
                    SecretBlock::Real(signin) => (Origin::Block, signin),
                    SecretBlock::Simulated { .. } => return Err(session_expired()),
                }
            }
            ChallengeAnswer::PasswordVerifier { secret_block, .. } => {
                match self
                    .take_secret_block(&client.client_id, secret_block, now)
                    .await?
                {
                    SecretBlock::Real(signin) => (Origin::Block, signin),
                    SecretBlock::Simulated {
                        pool_id, username, ..
                    } => {
                        if pool_id != pool.id {
                            return Err(session_expired());
                        }
                        return self
                            .simulated_verifier(&pool, &client, &username, &response, now)
                            .await;
                    }
                }
            }
            _ => {
                let value = input.session.as_deref().filter(|s| !s.is_empty());
                let value = value.ok_or_else(|| missing("Session"))?;
                let open = self
                    .open_session(value, Some(&client.client_id), now)
                    .await?;
                let signin = open.signin.clone();
                (Origin::Session(Box::new(open)), signin)
            }
        };
        if signin.flow.pool_id != pool.id
            || signin.flow.client_id != client.client_id
            || signin.flow.hosted != input.hosted
        {
            return Err(session_expired());
        }
        let user = self.user_of_flow(&pool, &signin.flow).await?;
        self.check_named_user(&pool, &signin.flow, &response.username)
            .await?;
        self.check_secret_hash(
            &client,
            response.secret_hash.as_deref(),
            &[
                response.username.as_str(),
                signin.flow.typed_username.as_str(),
                user.username.as_str(),
                user.sub.as_str(),
            ],
        )?;
        // Nothing is judged before it is paid for: an answer on the session, then an
        // attempt under the lockout the answer is judged by.
        // The device this answer names (Amplify names it in every answer once it has
        // one); a sign-in keeps the first device named.
        let named_device = response.device_key.as_deref().filter(|k| !k.is_empty());
        if let (Some(named), Some(bound)) = (named_device, signin.flow.device_key.as_deref()) {
            if named != bound {
                return Err(super::device_not_found());
            }
        }
        let device_key = named_device.or(signin.flow.device_key.as_deref());
        let device = self
            .named_device(&pool, &user.sub, signin.flow.user_not_found, device_key)
            .await?;
        signin.flow.device_key = device.as_ref().map(|d| d.key.clone());
        let attempts = match &origin {
            Origin::Session(open) => self.reserve_answer(open).await?,
            _ => 0,
        };
        let lock = lock_for(&signin.state, &response.answer);
        let flow = &signin.flow;
        let subject = flow_subject(&pool.id, &flow.sub, flow.user_not_found);
        match lock {
            Some(Lock::Password) => self.refuse_if_locked(Lock::Password, &subject).await?,
            Some(lock) => self.reserve_attempt(lock, &subject).await?,
            None => {}
        }
        let mut inputs = self.inputs(pool, client, user)?;
        inputs.device = device;
        inputs.source_ip = input.source_ip.clone();
        inputs.judged = lock.map(|lock| match lock {
            Lock::Password => crate::auth_event::ChallengeKind::Password,
            Lock::SecondFactor => crate::auth_event::ChallengeKind::Mfa,
        });
        if flow.auth_flow == crate::signin::AuthFlow::UserAuth && !flow.user_not_found {
            let may_challenge =
                matches!(signin.state, SignInState::AwaitingFirstFactorChoice { .. });
            self.load_passkeys(&mut inputs, may_challenge).await?;
        }
        if flow.user_not_found {
            // A stand-in answers with the password no one has, as at the first factor.
            let verifier = self.stand_in_verifier(&inputs.pool, &flow.typed_username);
            inputs.snapshot.password = Some(verifier);
        }
        inputs.client_metadata = input.client_metadata.clone();
        let outcome = self.with_context(&inputs, attempts, |ctx| {
            signin::step(&signin, response.answer, ctx)
        });
        let outcome = self.settle_password(&inputs, flow, outcome).await?;
        let outcome = self
            .drive(
                &inputs,
                &signin.flow,
                attempts,
                &input.client_metadata,
                outcome,
            )
            .await?;
        match self.settle(&inputs, &signin.flow, origin, outcome).await? {
            Settled::Auth(step) => {
                // Only a completed sign-in forgets second-factor failures.
                if lock == Some(Lock::SecondFactor) && matches!(step, AuthStep::SignedIn(_)) {
                    let subject = user_subject(&inputs.pool.id, &signin.flow.sub);
                    self.clear_lock(Lock::SecondFactor, &subject).await?;
                }
                Ok(step)
            }
            Settled::Setup(_) => Err(AuthError::internal("a challenge answered a TOTP setup")),
        }
    }

    /// `AssociateSoftwareToken` / `VerifySoftwareToken` called with a sign-in's `Session`
    /// (the request names no client: the session knows it).
    pub async fn software_token_in_session(
        &self,
        session: &str,
        answer: ChallengeAnswer,
    ) -> Result<SetupStep, AuthError> {
        let now = self.clock.now();
        let open = self.open_session(session, None, now).await?;
        let signin = open.signin.clone();
        let (client, pool) = self.load_client(&signin.flow.client_id).await?;
        let user = self.user_of_flow(&pool, &signin.flow).await?;
        let attempts = self.reserve_answer(&open).await?;
        let inputs = self.inputs(pool, client, user)?;
        let outcome =
            self.with_context(&inputs, attempts, |ctx| signin::step(&signin, answer, ctx));
        match self
            .settle(
                &inputs,
                &signin.flow,
                Origin::Session(Box::new(open)),
                outcome,
            )
            .await?
        {
            Settled::Setup(step) => Ok(step),
            Settled::Auth(_) => Err(AuthError::internal("a TOTP setup answered a challenge")),
        }
    }

    /// The user a sign-in is for, as stored now. A user deleted, disabled or signed out
    /// everywhere since the sign-in began ends it: no later step answers, so nothing is
    /// minted for them.
    pub(super) async fn user_of_flow(
        &self,
        pool: &UserPool,
        flow: &Flow,
    ) -> Result<User, AuthError> {
        let stored = self.store.get_user_by_sub(&pool.id, &flow.sub).await?;
        if flow.user_not_found {
            return Ok(match flow.auth_flow {
                crate::signin::AuthFlow::UserAuth => {
                    self.choice_stand_in(pool, &flow.typed_username)
                }
                _ => self.stand_in_user(pool, &flow.typed_username),
            });
        }
        let user = stored.ok_or_else(session_expired)?;
        if !user.enabled {
            return Err(AuthError::NotAuthorized("User is disabled.".into()));
        }
        // `>=`: a sign-out in the very millisecond the sign-in began ends it too.
        if user
            .tokens_valid_after
            .is_some_and(|after| after >= flow.started_at)
        {
            return Err(session_expired());
        }
        Ok(user)
    }

    /// A response's `USERNAME` must name the sign-in's user: the name typed, the
    /// canonical username, the `sub`, or an alias of the same user.
    pub(super) async fn check_named_user(
        &self,
        pool: &UserPool,
        flow: &Flow,
        named: &str,
    ) -> Result<(), AuthError> {
        let direct = [&flow.typed_username, &flow.username, &flow.sub]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(named));
        if direct {
            return Ok(());
        }
        match self.find_user(pool, named).await? {
            Some(u) if u.sub == flow.sub => Ok(()),
            _ => Err(AuthError::NotAuthorized(
                "The USERNAME does not match the user of this sign-in.".into(),
            )),
        }
    }
}

/// The lockout an answer to `state` is judged under: a password proof under the password
/// lockout, a second-factor code under the second-factor one. (A code that sets up a new
/// factor proves nothing about the user, and a code sent to the wrong state is never
/// compared.)
fn lock_for(state: &SignInState, answer: &ChallengeAnswer) -> Option<Lock> {
    use ChallengeAnswer as A;
    use SignInState as S;
    match (state, answer) {
        (S::AwaitingPasswordVerifier { .. }, A::PasswordVerifier { .. })
        | (
            S::AwaitingFirstFactorChoice { .. },
            A::SelectFirstFactor(crate::signin::choice::FirstFactorPick::Password(_)),
        ) => Some(Lock::Password),
        // A passkey's assertion is judged like a second factor: counted, cleared only by
        // a completed sign-in.
        (S::AwaitingPasskey { .. }, A::PasskeyCredential(_)) => Some(Lock::SecondFactor),
        // A device's proof stands in for the second factor.
        (S::AwaitingDevicePasswordVerifier { .. }, A::DevicePasswordVerifier { .. }) => {
            Some(Lock::SecondFactor)
        }
        // A first-factor code is guessed like a second factor's: same lockout, cleared
        // only by a completed sign-in.
        (S::AwaitingSignInCode { .. }, A::EmailCode(_) | A::SmsOtpCode(_)) => {
            Some(Lock::SecondFactor)
        }
        (S::AwaitingSmsCode { .. }, A::SmsCode(_))
        | (S::AwaitingTotpCode, A::TotpCode(_))
        | (
            S::AwaitingEmailCode {
                enroll_email: None, ..
            },
            A::EmailCode(_),
        ) => Some(Lock::SecondFactor),
        _ => None,
    }
}
