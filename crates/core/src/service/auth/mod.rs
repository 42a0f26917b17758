//! Sign-in: `InitiateAuth`, `RespondToAuthChallenge` (and their admin twins) and the
//! session half of `AssociateSoftwareToken` / `VerifySoftwareToken`, around the pure
//! engine of [`crate::signin`].
//!
//! Every request follows the same path: load the app client (and pool), the waiting
//! sign-in (session row or `SECRET_BLOCK`) and the user; gather a [`StepContext`]; run
//! the engine; then settle the outcome (`settle.rs`) — claim the session, carry out the
//! effects, and answer with the next challenge and a new `Session`, or with tokens.

mod custom;
mod effects;
mod mint;
mod pre_token;
mod session;
mod settle;
mod simulated;

use std::collections::BTreeMap;

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::limits::{Lock, Subject};
use crate::pool::UserPool;
use crate::signin::{
    self, session_expired, AuthFlow, Challenge, ChallengeAnswer, ChallengeResponse, FirstFactor,
    Flow, Fresh, PoolRules, SignInState, StepContext, UserSnapshot,
};
use crate::user::User;
use crate::Millis;

pub use effects::totp_context;
pub use mint::IssuedTokens;
use session::{OpenSession, SecretBlock};

use super::limits::user_subject;
use super::Keystep;

/// `InitiateAuth` / `AdminInitiateAuth`. `Debug` shows only the parameter names.
#[derive(Clone, Default)]
pub struct InitiateAuthInput {
    /// `UserPoolId`: `Some` for `AdminInitiateAuth`.
    pub pool_id: Option<String>,
    /// `ClientId`.
    pub client_id: String,
    /// `AuthFlow`, as sent.
    pub auth_flow: String,
    /// `AuthParameters`.
    pub parameters: BTreeMap<String, String>,
    /// `ClientMetadata` (for triggers, not invoked yet).
    pub client_metadata: BTreeMap<String, String>,
}

impl std::fmt::Debug for InitiateAuthInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitiateAuthInput")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("auth_flow", &self.auth_flow)
            .field("parameters", &self.parameters.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// `RespondToAuthChallenge` / `AdminRespondToAuthChallenge`. `Debug` shows only names.
#[derive(Clone, Default)]
pub struct RespondInput {
    /// `UserPoolId`: `Some` for `AdminRespondToAuthChallenge`.
    pub pool_id: Option<String>,
    /// `ClientId`.
    pub client_id: String,
    /// `ChallengeName`, as sent.
    pub challenge_name: String,
    /// `Session`.
    pub session: Option<String>,
    /// `ChallengeResponses`.
    pub responses: BTreeMap<String, String>,
    /// `ClientMetadata` (for triggers, not invoked yet).
    pub client_metadata: BTreeMap<String, String>,
}

impl std::fmt::Debug for RespondInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RespondInput")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("challenge_name", &self.challenge_name)
            .field("responses", &self.responses.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// What a sign-in request is answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthStep {
    /// The next challenge and the `Session` to answer it with (none for
    /// `PASSWORD_VERIFIER`, whose state is in `SECRET_BLOCK`).
    Challenge {
        /// Name and parameters.
        challenge: Challenge,
        /// `Session`.
        session: Option<String>,
    },
    /// Signed in.
    SignedIn(IssuedTokens),
}

/// What `AssociateSoftwareToken` / `VerifySoftwareToken` with a `Session` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupStep {
    /// `SecretCode` (base32) and the new `Session`.
    Associated {
        /// The secret.
        secret_code: String,
        /// `Session`.
        session: String,
    },
    /// `Status: SUCCESS` and the new `Session`.
    Verified {
        /// `Session`.
        session: String,
    },
}

/// Where the waiting sign-in came from; decides how a step claims it.
enum Origin {
    /// A session row, claimed by compare-and-swap.
    Session(Box<OpenSession>),
    /// A `SECRET_BLOCK`, already claimed (its id recorded as used).
    Block,
    /// Nothing yet: the first factor.
    Start,
}

/// The outcome of one step before it is turned into a wire answer.
enum Settled {
    Auth(AuthStep),
    Setup(SetupStep),
}

/// Everything one engine step reads, owned.
struct Inputs {
    pool: UserPool,
    client: AppClient,
    user: User,
    rules: PoolRules,
    snapshot: UserSnapshot,
    fresh: Fresh,
    now: Millis,
    /// The request's `ClientMetadata`, for triggers.
    client_metadata: BTreeMap<String, String>,
}

fn missing(name: &str) -> AuthError {
    AuthError::InvalidParameter(format!("Missing required parameter {name}"))
}

fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// Remembered devices are not built: a client only sends a `DEVICE_KEY` it was given,
/// and Keystep never gives one, so it names no device. Amplify forgets the key and
/// retries on exactly this error.
fn check_no_device(params: &BTreeMap<String, String>, name: &str) -> Result<(), AuthError> {
    match param(params, name) {
        Some(_) => Err(device_not_found()),
        None => Ok(()),
    }
}

/// The error for any `DEVICE_KEY` / `DeviceKey` (see [`check_no_device`]).
pub(crate) fn device_not_found() -> AuthError {
    AuthError::ResourceNotFound("Device does not exist.".into())
}

impl Keystep {
    /// Loads the client, and checks it belongs to `pool_id` when the admin API names one.
    async fn auth_client(
        &self,
        pool_id: Option<&str>,
        client_id: &str,
    ) -> Result<(AppClient, UserPool), AuthError> {
        match pool_id {
            Some(pool_id) => self.load_pool_client(pool_id, client_id).await,
            None => self.load_client(client_id).await,
        }
    }

    /// The user's secrets opened, fresh randomness drawn, the pool's rules.
    fn inputs(&self, pool: UserPool, client: AppClient, user: User) -> Result<Inputs, AuthError> {
        let password = match &user.password {
            Some(_) => Some(self.open_verifier(&pool, &user)?),
            None => None,
        };
        let totp_secret = match &user.mfa.totp_secret {
            Some(sealed) => Some(
                self.keys
                    .open(&totp_context(&pool.id, &user.sub), sealed)
                    .map_err(AuthError::internal)?,
            ),
            None => None,
        };
        let snapshot = UserSnapshot::of(&user, password, totp_secret);
        let mut srp_b = vec![0u8; 32];
        self.rng.fill(&mut srp_b);
        let mut totp = vec![0u8; 20];
        self.rng.fill(&mut totp);
        let fresh = Fresh {
            code: crate::code::new_code(&*self.rng),
            srp_b,
            totp_secret: totp,
            block_id: crate::ids::new_uuid(&*self.rng),
        };
        Ok(Inputs {
            rules: PoolRules::of(&pool),
            pool,
            client,
            user,
            snapshot,
            fresh,
            now: self.clock.now(),
            client_metadata: BTreeMap::new(),
        })
    }

    /// Runs `run` with the step context built from `inputs`.
    fn with_context<T>(
        &self,
        inputs: &Inputs,
        attempts: u32,
        run: impl FnOnce(&StepContext<'_>) -> T,
    ) -> T {
        let scope = format!("signin-otp:{}:{}", inputs.pool.id, inputs.user.sub);
        let keys = self.keys.clone();
        let code_hash = move |digits: &str| keys.code_hash(&scope, digits);
        let ctx = StepContext {
            now: inputs.now,
            pool: &inputs.rules,
            user: &inputs.snapshot,
            session_attempts: attempts,
            session_validity_secs: inputs.client.settings.auth_session_validity_minutes * 60,
            fresh: &inputs.fresh,
            code_hash: &code_hash,
        };
        run(&ctx)
    }

    /// `InitiateAuth` and `AdminInitiateAuth`.
    pub async fn initiate_auth(&self, input: InitiateAuthInput) -> Result<AuthStep, AuthError> {
        let flow_kind = AuthFlow::parse(&input.auth_flow)?;
        let (client, pool) = self
            .auth_client(input.pool_id.as_deref(), &input.client_id)
            .await?;
        flow_kind.check_allowed(&client, input.pool_id.is_some())?;
        let params = &input.parameters;
        if flow_kind == AuthFlow::RefreshTokenAuth {
            check_no_device(params, "DEVICE_KEY")?;
            let token = param(params, "REFRESH_TOKEN").ok_or_else(|| missing("REFRESH_TOKEN"))?;
            let secret_hash = param(params, "SECRET_HASH");
            let named = param(params, "USERNAME");
            let tokens = self
                .refresh(&pool, &client, token, &input.client_metadata, |user| {
                    // Clients hash whatever name they signed in with (pycognito: the
                    // e-mail in e-mail-as-username pools).
                    let mut names = vec![user.username.as_str(), user.sub.as_str()];
                    names.extend(named);
                    for alias in ["email", "phone_number", "preferred_username"] {
                        names.extend(user.attr(alias));
                    }
                    self.check_secret_hash(&client, secret_hash, &names)
                })
                .await?;
            return Ok(AuthStep::SignedIn(tokens));
        }
        let typed = param(params, "USERNAME").ok_or_else(|| missing("USERNAME"))?;
        let srp_a = |params: &BTreeMap<String, String>| -> Result<Vec<u8>, AuthError> {
            let a = param(params, "SRP_A").ok_or_else(|| missing("SRP_A"))?;
            keystep_srp::from_hex(a)
                .map_err(|_| AuthError::InvalidParameter("SRP_A is not valid hex.".into()))
        };
        let first = match flow_kind {
            AuthFlow::CustomAuth => {
                if !self.has_trigger(&pool, crate::triggers::TriggerSlot::DefineAuthChallenge) {
                    return Err(custom::not_configured());
                }
                let with_srp = param(params, "CHALLENGE_NAME") == Some("SRP_A");
                FirstFactor::Custom {
                    srp_a: if with_srp { Some(srp_a(params)?) } else { None },
                }
            }
            AuthFlow::UserSrpAuth => FirstFactor::SrpA(srp_a(params)?),
            _ => FirstFactor::Password(
                param(params, "PASSWORD")
                    .ok_or_else(|| missing("PASSWORD"))?
                    .to_string(),
            ),
        };
        check_no_device(params, "DEVICE_KEY")?;
        let secret_hash = param(params, "SECRET_HASH");
        let found = match self.find_user(&pool, typed).await? {
            Some(user) => Some(user),
            None => match &first {
                FirstFactor::Password(password) => {
                    self.check_secret_hash(&client, secret_hash, &[typed])?;
                    self.migrate_user(
                        &pool,
                        &client,
                        typed,
                        Some(password),
                        &input.client_metadata,
                    )
                    .await?
                }
                _ => None,
            },
        };
        let (user, user_not_found) = match found {
            Some(user) => {
                self.check_secret_hash(
                    &client,
                    secret_hash,
                    &[typed, user.username.as_str(), user.sub.as_str()],
                )?;
                (user, false)
            }
            None => {
                self.check_secret_hash(&client, secret_hash, &[typed])?;
                if !client.settings.prevent_user_existence_errors {
                    return Err(super::users::user_not_found());
                }
                (self.stand_in_user(&pool, typed), true)
            }
        };
        self.pre_authentication(
            &pool,
            &user,
            user_not_found,
            &client.client_id,
            &input.client_metadata,
        )
        .await?;
        let subject = flow_subject(&pool.id, &user.sub, user_not_found);
        if let FirstFactor::Password(_) = &first {
            self.reserve_attempt(Lock::Password, &subject).await?;
        }
        if user_not_found {
            if let Some(answer) = self.unknown_user(&pool, &client, typed, &first) {
                return answer;
            }
        }
        let now = self.clock.now();
        let flow = Flow {
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            sub: user.sub.clone(),
            username: user.username.clone(),
            typed_username: typed.to_string(),
            auth_flow: flow_kind,
            admin: input.pool_id.is_some(),
            started_at: now,
            device_key: None,
            user_not_found,
        };
        let mut inputs = self.inputs(pool, client, user)?;
        if user_not_found {
            inputs.snapshot.password = Some(self.stand_in_verifier(&inputs.pool, typed));
        }
        inputs.client_metadata = input.client_metadata.clone();
        let outcome = self.with_context(&inputs, 0, |ctx| signin::start(&flow, first, ctx));
        let outcome = self
            .drive(&inputs, &flow, 0, &input.client_metadata, outcome)
            .await?;
        match self.settle(&inputs, &flow, Origin::Start, outcome).await? {
            Settled::Auth(step) => Ok(step),
            Settled::Setup(_) => Err(AuthError::internal("first factor answered a TOTP setup")),
        }
    }

    /// A name that is no user, when the client prevents user existence errors (the
    /// PreAuthentication trigger was asked and the lockout reserved, as for a real user):
    /// a password gets what a wrong one gets, after the same work; `SRP_A` gets a
    /// simulated `PASSWORD_VERIFIER`. A custom sign-in is `None`: it runs on the stand-in,
    /// asking the triggers with `userNotFound`, and can never complete.
    fn unknown_user(
        &self,
        pool: &UserPool,
        client: &AppClient,
        typed: &str,
        first: &FirstFactor,
    ) -> Option<Result<AuthStep, AuthError>> {
        match first {
            FirstFactor::Password(password) => {
                self.simulate_password_check(pool, typed, password);
                Some(Err(signin::incorrect_credentials()))
            }
            FirstFactor::SrpA(a) => Some(self.simulated_challenge(pool, client, typed, a)),
            FirstFactor::Custom { .. } => None,
        }
    }

    /// `RespondToAuthChallenge` and `AdminRespondToAuthChallenge`.
    pub async fn respond_to_auth_challenge(
        &self,
        input: RespondInput,
    ) -> Result<AuthStep, AuthError> {
        let (client, pool) = self
            .auth_client(input.pool_id.as_deref(), &input.client_id)
            .await?;
        let response = ChallengeResponse::parse(&input.challenge_name, &input.responses)?;
        check_no_device(&input.responses, "DEVICE_KEY")?;
        let now = self.clock.now();
        let (origin, signin) = match &response.answer {
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
        if signin.flow.pool_id != pool.id || signin.flow.client_id != client.client_id {
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
        let attempts = match &origin {
            Origin::Session(open) => self.reserve_answer(open).await?,
            _ => 0,
        };
        let lock = lock_for(&signin.state, &response.answer);
        let flow = &signin.flow;
        if let Some(lock) = lock {
            let subject = flow_subject(&pool.id, &flow.sub, flow.user_not_found);
            self.reserve_attempt(lock, &subject).await?;
        }
        let mut inputs = self.inputs(pool, client, user)?;
        inputs.client_metadata = input.client_metadata.clone();
        let outcome = self.with_context(&inputs, attempts, |ctx| {
            signin::step(&signin, response.answer, ctx)
        });
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
    async fn user_of_flow(&self, pool: &UserPool, flow: &Flow) -> Result<User, AuthError> {
        let stored = self.store.get_user_by_sub(&pool.id, &flow.sub).await?;
        if flow.user_not_found {
            return Ok(self.stand_in_user(pool, &flow.typed_username));
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
    async fn check_named_user(
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
        (S::AwaitingPasswordVerifier { .. }, A::PasswordVerifier { .. }) => Some(Lock::Password),
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

/// Whose counters a sign-in's attempts go to: its user's, or — for a stand-in — the
/// name's (whose digest the stand-in's `sub` is).
fn flow_subject<'a>(pool_id: &'a str, sub: &'a str, user_not_found: bool) -> Subject<'a> {
    if user_not_found {
        Subject::Unknown {
            pool_id,
            digest: sub,
        }
    } else {
        Subject::User { pool_id, sub }
    }
}
