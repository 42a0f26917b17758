//! What a transition produces.

use crate::error::AuthError;
use crate::Millis;

use super::challenge::Challenge;
use super::effect::Effect;
use super::flow::{AuthFlow, Flow};
use super::state::SignInState;
use super::StepContext;

/// The outcome of a step that did not fail.
#[derive(Debug)]
pub enum Transition {
    /// The sign-in waits in `next`; the client gets `reply` with a new `Session`.
    Continue {
        /// The next state.
        next: SignInState,
        /// What to answer the request with.
        reply: Reply,
        /// What the service must do.
        effects: Vec<Effect>,
    },
    /// A trigger must decide (custom authentication): put `question` to it, then call
    /// [`super::custom::resume`] with `pending` and its answer.
    Consult {
        /// What to ask.
        question: super::custom::Question,
        /// How to go on.
        pending: super::custom::Pending,
        /// What the service must do now.
        effects: Vec<Effect>,
    },
    /// Every check passed: mint tokens from `proof`.
    Authenticated {
        /// The proof.
        proof: Authenticated,
        /// What the service must do (before minting).
        effects: Vec<Effect>,
    },
}

/// The response to a step that continues the sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A challenge (`RespondToAuthChallenge` / `InitiateAuth`).
    Challenge(Challenge),
    /// `AssociateSoftwareToken`: the new secret, base32 (`SecretCode`).
    SoftwareTokenAssociated {
        /// The secret to show the user.
        secret_code: String,
    },
    /// `VerifySoftwareToken` succeeded (`Status: SUCCESS`).
    SoftwareTokenVerified,
}

/// What happens to the session after a rejected answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionFate {
    /// It stays in the same state with one more attempt counted: the client may retry
    /// with the same `Session` (Amplify re-sends it after a wrong code).
    Retry,
    /// It is destroyed: the client must start over.
    Destroy,
}

/// A failed step: the error for the client, what to do with the session, and effects
/// that still apply (a failed password is counted).
#[derive(Debug)]
pub struct Rejection {
    /// The error.
    pub error: AuthError,
    /// The session's fate.
    pub session: SessionFate,
    /// Effects to carry out anyway.
    pub effects: Vec<Effect>,
}

impl Rejection {
    /// A failure that ends the sign-in.
    pub fn fatal(error: AuthError) -> Rejection {
        Rejection {
            error,
            session: SessionFate::Destroy,
            effects: Vec::new(),
        }
    }

    /// A wrong answer the client may retry, unless this session is out of attempts: then
    /// the session goes and the answer is the expired-session error.
    pub fn retry(error: AuthError, ctx: &StepContext<'_>) -> Rejection {
        if ctx.session_attempts.saturating_add(1) >= super::MAX_SESSION_ATTEMPTS {
            return Rejection::fatal(super::session_expired());
        }
        Rejection {
            error,
            session: SessionFate::Retry,
            effects: Vec::new(),
        }
    }

    /// The same rejection with effects attached.
    pub fn with_effects(mut self, effects: Vec<Effect>) -> Rejection {
        self.effects = effects;
        self
    }
}

impl From<Rejection> for AuthError {
    fn from(r: Rejection) -> AuthError {
        r.error
    }
}

/// Proof that a user authenticated: only the sign-in engine (after every factor) and the
/// refresh-token check construct it, and tokens are minted only from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    pool_id: String,
    client_id: String,
    sub: String,
    username: String,
    auth_flow: AuthFlow,
    auth_time: Millis,
    device_key: Option<String>,
    origin_jti: Option<String>,
    oauth: Option<crate::oauth::OAuthGrant>,
}

impl Authenticated {
    /// A sign-in that completed at `now`.
    pub(crate) fn signed_in(flow: &Flow, now: Millis) -> Authenticated {
        Authenticated {
            pool_id: flow.pool_id.clone(),
            client_id: flow.client_id.clone(),
            sub: flow.sub.clone(),
            username: flow.username.clone(),
            auth_flow: flow.auth_flow,
            auth_time: now,
            device_key: flow.device_key.clone(),
            origin_jti: None,
            oauth: None,
        }
    }

    /// A sign-in the pool's hosted pages completed earlier (an authorization code being
    /// redeemed, or the pages' session cookie): a new sign-in for `client_id`, with the
    /// original `auth_time`, carrying the OAuth grant.
    pub(crate) fn hosted(
        pool_id: &str,
        client_id: &str,
        sub: &str,
        username: &str,
        auth_time: Millis,
        grant: crate::oauth::OAuthGrant,
    ) -> Authenticated {
        Authenticated {
            pool_id: pool_id.to_string(),
            client_id: client_id.to_string(),
            sub: sub.to_string(),
            username: username.to_string(),
            auth_flow: AuthFlow::UserPasswordAuth,
            auth_time,
            device_key: None,
            origin_jti: None,
            oauth: Some(grant),
        }
    }

    /// A refresh of an earlier sign-in (its `auth_time` and `origin_jti` carry over).
    pub(crate) fn refreshed(row: &crate::ports::RefreshTokenRow, username: &str) -> Authenticated {
        Authenticated {
            pool_id: row.pool_id.clone(),
            client_id: row.client_id.clone(),
            sub: row.sub.clone(),
            username: username.to_string(),
            auth_flow: AuthFlow::RefreshTokenAuth,
            auth_time: row.auth_time,
            device_key: row.device_key.clone(),
            origin_jti: Some(row.origin_jti.clone()),
            oauth: row.scope.as_deref().map(|scope| crate::oauth::OAuthGrant {
                scopes: scope.split(' ').map(str::to_string).collect(),
                nonce: None,
                implicit: false,
            }),
        }
    }

    /// The same proof bound to a device key handed out with its tokens.
    pub(crate) fn with_device(mut self, key: String) -> Authenticated {
        self.device_key = Some(key);
        self
    }

    /// The pool.
    pub fn pool_id(&self) -> &str {
        &self.pool_id
    }
    /// The app client the tokens are for.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
    /// The user's `sub`.
    pub fn sub(&self) -> &str {
        &self.sub
    }
    /// The canonical username.
    pub fn username(&self) -> &str {
        &self.username
    }
    /// The flow that authenticated.
    pub fn auth_flow(&self) -> AuthFlow {
        self.auth_flow
    }
    /// When the user authenticated (the `auth_time` claim).
    pub fn auth_time(&self) -> Millis {
        self.auth_time
    }
    /// The device the sign-in is bound to.
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }
    /// The sign-in a refresh continues; `None` for a new sign-in (mint a new one).
    pub fn origin_jti(&self) -> Option<&str> {
        self.origin_jti.as_deref()
    }
    /// The OAuth scopes and nonce of tokens for the OAuth endpoints; `None` for the API.
    pub fn oauth(&self) -> Option<&crate::oauth::OAuthGrant> {
        self.oauth.as_ref()
    }
}
