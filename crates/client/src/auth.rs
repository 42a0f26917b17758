//! [`Auth`]: the entry point; the operations themselves live in `signin`, `account` and
//! `session`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use keystep_proto::Sensitive;

use crate::config::AuthConfig;
use crate::tokens::{MemoryTokenStore, TokenStore};
use crate::wire::Wire;

/// An Amplify-style Auth client for one user pool and app client.
///
/// It keeps the sign-in in progress (between `sign_in` and `confirm_sign_in`) and the
/// signed-in user's tokens (in a [`TokenStore`], memory by default). Cheap to share behind
/// an `Arc`; every method takes `&self`.
///
/// ```no_run
/// use keystep_client::{Auth, AuthConfig, SignInOptions, SignInStep};
/// # async fn demo() -> Result<(), keystep_client::AuthError> {
/// let auth = Auth::new(AuthConfig {
///     user_pool_id: "us-east-1_XaMpLe123".into(),
///     client_id: "1example23456789abcdefghij".into(),
///     region: "us-east-1".into(),
///     ..Default::default()
/// });
/// let result = auth.sign_in("alice", Some("Correct-Horse-9!"), SignInOptions::default()).await?;
/// if result.next_step == SignInStep::Done {
///     let user = auth.get_current_user().await?;
///     println!("hello {}", user.username);
/// }
/// # Ok(()) }
/// ```
pub struct Auth {
    pub(crate) config: AuthConfig,
    pub(crate) wire: Wire,
    pub(crate) store: Arc<dyn TokenStore>,
    pub(crate) pending: Mutex<Option<PendingSignIn>>,
    pub(crate) auto_sign_in: Mutex<Option<AutoSignIn>>,
    pub(crate) clock: Arc<dyn Fn() -> i64 + Send + Sync>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("config", &self.config)
            .field("store", &self.store)
            .field("pending", &self.pending)
            .finish()
    }
}

/// A sign-up that asked to be signed in once confirmed: the server's `Session` (from
/// `ConfirmSignUp`, or `SignUp` when the user was confirmed at once) for a choice-based
/// client, else the password, kept in memory only, as Amplify keeps it.
#[derive(Clone)]
pub(crate) struct AutoSignIn {
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) session: Option<Sensitive>,
    /// The `Session` is `ConfirmSignUp`'s: the code was the first factor. `SignUp`'s
    /// (a user confirmed at once) proves nothing, so the password goes with it.
    pub(crate) confirmed_by_code: bool,
}

/// A sign-in waiting for `confirm_sign_in`.
#[derive(Clone)]
pub(crate) struct PendingSignIn {
    /// `USERNAME` for the next `ChallengeResponses`.
    pub(crate) username: String,
    /// The challenge being answered.
    pub(crate) challenge: String,
    /// The latest `Session` (after `AssociateSoftwareToken`, the one it returned).
    pub(crate) session: Option<Sensitive>,
    /// The challenge's parameters.
    pub(crate) params: BTreeMap<String, String>,
    /// `ClientMetadata` of the `sign_in` call, sent again with every answer.
    pub(crate) client_metadata: Option<BTreeMap<String, String>>,
    /// `MFA_SETUP`: `AssociateSoftwareToken` was called, a TOTP code may follow.
    pub(crate) totp_associated: bool,
    /// `SELECT_CHALLENGE`: a password factor was picked; the password comes next.
    pub(crate) picked: Option<crate::steps::FirstFactor>,
}

impl fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("username", &self.username)
            .field("challenge", &self.challenge)
            .field("session", &self.session)
            .field("params", &keystep_proto::KeysOnly(&self.params))
            .field("totp_associated", &self.totp_associated)
            .field("picked", &self.picked)
            .finish()
    }
}

impl Auth {
    /// A client with tokens kept in memory.
    pub fn new(config: AuthConfig) -> Auth {
        Auth::with_token_store(config, MemoryTokenStore::default())
    }

    /// A client that keeps tokens in `store` (e.g. a [`crate::FileTokenStore`]), so a
    /// later process finds the user still signed in.
    ///
    /// ```no_run
    /// use keystep_client::{Auth, AuthConfig, FileTokenStore};
    /// let auth = Auth::with_token_store(AuthConfig::default(), FileTokenStore::new("tokens.json"));
    /// ```
    pub fn with_token_store(config: AuthConfig, store: impl TokenStore + 'static) -> Auth {
        let wire = Wire::new(&config.endpoint_url());
        Auth {
            config,
            wire,
            store: Arc::new(store),
            pending: Mutex::new(None),
            auto_sign_in: Mutex::new(None),
            clock: Arc::new(system_now_secs),
        }
    }

    /// Uses `now` (Unix seconds) instead of the system clock, for the SRP `TIMESTAMP` and
    /// to decide when tokens need refreshing. Meant for tests and for devices whose clock
    /// is known to be wrong.
    ///
    /// ```
    /// use keystep_client::{Auth, AuthConfig};
    /// let auth = Auth::new(AuthConfig::default()).with_clock(|| 1_700_000_000);
    /// ```
    pub fn with_clock(mut self, now: impl Fn() -> i64 + Send + Sync + 'static) -> Auth {
        self.clock = Arc::new(now);
        self
    }

    /// Now, in Unix seconds, by this client's clock.
    pub(crate) fn now_secs(&self) -> i64 {
        (self.clock)()
    }

    /// The configuration.
    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    pub(crate) fn pending(&self) -> Option<PendingSignIn> {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn auto_sign_in_state(&self) -> Option<AutoSignIn> {
        self.auto_sign_in
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_auto_sign_in(&self, state: Option<AutoSignIn>) {
        *self.auto_sign_in.lock().unwrap_or_else(|e| e.into_inner()) = state;
    }

    pub(crate) fn set_pending(&self, pending: Option<PendingSignIn>) {
        *self.pending.lock().unwrap_or_else(|e| e.into_inner()) = pending;
    }
}

/// Now, in Unix seconds, from the system clock.
fn system_now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
