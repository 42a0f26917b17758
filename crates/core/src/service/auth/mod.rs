//! Sign-in: `InitiateAuth`, `RespondToAuthChallenge` (and their admin twins) and the
//! session half of `AssociateSoftwareToken` / `VerifySoftwareToken`, around the pure
//! engine of [`crate::signin`].
//!
//! Every request follows the same path: load the app client (and pool), the waiting
//! sign-in (session row or `SECRET_BLOCK`) and the user; gather a [`StepContext`]; run
//! the engine; then settle the outcome (`settle.rs`) — claim the session, carry out the
//! effects, and answer with the next challenge and a new `Session`, or with tokens. The
//! first factor is `initiate.rs`, every later step `respond.rs`.

mod choice;
mod custom;
mod effects;
mod events;
mod initiate;
mod mint;
mod pre_token;
mod respond;
mod session;
mod settle;
mod simulated;

use std::collections::BTreeMap;

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::limits::Subject;
use crate::pool::UserPool;
use crate::signin::{Challenge, DeviceSnapshot, Fresh, PoolRules, StepContext, UserSnapshot};
use crate::user::User;
use crate::Millis;

pub use effects::totp_context;
pub use mint::IssuedTokens;
use session::OpenSession;

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
    /// `Session`: with `USER_AUTH`, the `Session` of `ConfirmSignUp` (auto sign-in).
    pub session: Option<String>,
    /// Started by the pool's hosted pages (a password sign-in whatever the client's
    /// `ExplicitAuthFlows`; it ends in an authorization code, see [`AuthStep::Hosted`]).
    pub hosted: bool,
    /// The address the request came from (or, for the admin operation, the one its
    /// `ContextData` names), recorded in the sign-in's auth event.
    pub source_ip: Option<String>,
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
    /// Sent by the pool's hosted pages: only they continue a hosted sign-in, and only
    /// hosted sign-ins.
    pub hosted: bool,
    /// The address the request came from, recorded in the sign-in's auth event.
    pub source_ip: Option<String>,
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
    /// A hosted sign-in completed: the pages turn it into an authorization code.
    Hosted(crate::signin::Authenticated),
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
    /// The device the request named (`DEVICE_KEY`), checked and opened.
    device: Option<DeviceSnapshot>,
    /// What this step judges (the lockout it reserved an attempt under), for its auth
    /// event.
    judged: Option<crate::auth_event::ChallengeKind>,
    /// The address the request came from, for its auth event.
    source_ip: Option<String>,
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

/// The error for a `DEVICE_KEY` / `DeviceKey` that names no device of the user (never
/// confirmed, forgotten, someone else's, or in a pool that does not track devices).
/// Amplify forgets its device keys and retries on exactly this message.
pub fn device_not_found() -> AuthError {
    AuthError::ResourceNotFound("Device does not exist.".into())
}

impl Keystep {
    /// The user a first factor is for: found by name, alias or `sub` — or, for a name
    /// that is no user, migrated by the `UserMigration` trigger when a `password` came
    /// with it — with `SECRET_HASH` checked over the names it may have been made with.
    /// A name that is still no user is `UserNotFoundException`, or — when the client
    /// prevents user existence errors — `stand_in()` (`true` in the answer).
    #[allow(clippy::too_many_arguments)]
    async fn user_signing_in(
        &self,
        pool: &UserPool,
        client: &AppClient,
        typed: &str,
        secret_hash: Option<&str>,
        password: Option<&str>,
        client_metadata: &BTreeMap<String, String>,
        stand_in: impl FnOnce() -> User,
    ) -> Result<(User, bool), AuthError> {
        let found = match (self.find_user(pool, typed).await?, password) {
            (Some(user), _) => Some(user),
            (None, Some(password)) => {
                self.check_secret_hash(client, secret_hash, &[typed])?;
                self.migrate_user(pool, client, typed, Some(password), client_metadata)
                    .await?
            }
            (None, None) => None,
        };
        match found {
            Some(user) => {
                self.check_secret_hash(
                    client,
                    secret_hash,
                    &[typed, user.username.as_str(), user.sub.as_str()],
                )?;
                Ok((user, false))
            }
            None => {
                self.check_secret_hash(client, secret_hash, &[typed])?;
                if !client.settings.prevent_user_existence_errors {
                    return Err(super::users::user_not_found());
                }
                Ok((stand_in(), true))
            }
        }
    }

    /// The device a sign-in request names (`DEVICE_KEY`), checked; a stand-in for a name
    /// that is no user has none, so any key it names does not exist.
    async fn named_device(
        &self,
        pool: &UserPool,
        sub: &str,
        user_not_found: bool,
        key: Option<&str>,
    ) -> Result<Option<DeviceSnapshot>, AuthError> {
        match (user_not_found, key) {
            (true, Some(_)) => Err(device_not_found()),
            (true, None) => Ok(None),
            (false, key) => self.request_device(pool, sub, key).await,
        }
    }

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
            passkey_assertion: None,
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
            judged: None,
            source_ip: None,
            device: None,
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
            device: inputs.device.as_ref(),
        };
        run(&ctx)
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

/// Whether the engine's outcome of a judged password says it was right: every outcome
/// of a right password carries [`Effect::ResetPasswordFailures`], even a refusal that
/// follows it (an unconfirmed user, say). Anything else counts as a failure.
fn password_was_right(outcome: &custom::Driven) -> bool {
    use crate::signin::{Effect, Transition};
    let effects = match outcome {
        Ok(Transition::Continue { effects, .. })
        | Ok(Transition::Consult { effects, .. })
        | Ok(Transition::Authenticated { effects, .. }) => effects,
        Err(rejection) => &rejection.effects,
    };
    effects.contains(&Effect::ResetPasswordFailures)
}

impl Keystep {
    /// When the step judged a password (`inputs.judged`), settles the password lockout
    /// for the engine's outcome, before anything of it is carried out or answered (see
    /// [`Keystep::settle_attempt`]). Any other outcome passes as it is.
    async fn settle_password(
        &self,
        inputs: &Inputs,
        flow: &crate::signin::Flow,
        outcome: custom::Driven,
    ) -> Result<custom::Driven, AuthError> {
        if inputs.judged != Some(crate::auth_event::ChallengeKind::Password) {
            return Ok(outcome);
        }
        let subject = flow_subject(&flow.pool_id, &flow.sub, flow.user_not_found);
        let right = password_was_right(&outcome);
        self.settle_attempt(crate::limits::Lock::Password, &subject, right)
            .await?;
        Ok(outcome)
    }
}
