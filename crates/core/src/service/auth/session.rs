//! Where a sign-in waits between requests.
//!
//! * After `PASSWORD_VERIFIER` is issued, the whole [`SignIn`] travels in the challenge's
//!   `SECRET_BLOCK`, sealed with the server key (pycognito answers without a `Session`).
//!   Its id is recorded as used when the answer arrives, so a block works once.
//! * Every other waiting sign-in is an auth-session row. The client holds an opaque
//!   random `Session` value; the row's id is a keyed hash of it, so a database reader
//!   cannot answer a challenge, and the sealed state is bound to that id. Each new state
//!   gets a new `Session`; a step that ends the session deletes the row with
//!   compare-and-swap, so a `Session` value moves the sign-in forward exactly once.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::error::AuthError;
use crate::ports::AuthSessionRow;
use crate::signin::{session_expired, SignIn, MAX_SESSION_ATTEMPTS};
use crate::Millis;

use super::super::Keystep;

/// Random bytes in a `Session` value (base64url: 128 characters, within Cognito's
/// 20–2048).
const SESSION_BYTES: usize = 96;

/// The shortest and longest `Session` a client may send.
const SESSION_LEN: std::ops::RangeInclusive<usize> = 20..=2048;

/// A loaded, opened auth-session row.
pub(crate) struct OpenSession {
    /// The row as read (its version is what the next write compares against).
    pub row: AuthSessionRow,
    /// The sign-in it holds.
    pub signin: SignIn,
}

/// What a `SECRET_BLOCK` holds.
#[derive(Serialize, Deserialize)]
pub(crate) enum SecretBlock {
    /// A real SRP sign-in waiting for `PASSWORD_VERIFIER`.
    Real(SignIn),
    /// The simulated challenge given for an unknown user when user existence errors are
    /// prevented: any answer fails like a wrong password.
    Simulated {
        /// Its single-use id.
        block_id: String,
        /// The pool.
        pool_id: String,
        /// The name the client typed (blocks sealed before this field existed have none,
        /// and fit no name).
        #[serde(default)]
        username: String,
        /// When it stops being accepted.
        expires_at: Millis,
    },
}

impl SecretBlock {
    /// The single-use id and expiry of the block.
    pub fn id_and_expiry(&self) -> Option<(&str, Millis)> {
        match self {
            SecretBlock::Real(signin) => match &signin.state {
                crate::signin::SignInState::AwaitingPasswordVerifier { srp }
                | crate::signin::SignInState::AwaitingDevicePasswordVerifier { srp } => {
                    Some((&srp.block_id, srp.expires_at))
                }
                _ => None,
            },
            SecretBlock::Simulated {
                block_id,
                expires_at,
                ..
            } => Some((block_id, *expires_at)),
        }
    }
}

fn block_context(client_id: &str) -> String {
    format!("srp-block:{client_id}")
}

fn state_context(id: &str) -> String {
    format!("auth-session:{id}")
}

impl Keystep {
    fn session_row_id(&self, value: &str) -> String {
        keystep_srp::to_hex(&self.keys.code_hash("auth-session", value))
    }

    /// Seals `block` for the `SECRET_BLOCK` challenge parameter (standard base64 with
    /// padding, as Cognito sends it).
    pub(crate) fn seal_secret_block(
        &self,
        client_id: &str,
        block: &SecretBlock,
    ) -> Result<String, AuthError> {
        let plain = serde_json::to_vec(block).map_err(AuthError::internal)?;
        Ok(STANDARD.encode(self.keys.seal_block(&block_context(client_id), &plain)))
    }

    /// Opens a `PASSWORD_CLAIM_SECRET_BLOCK` (already base64-decoded) and records its id
    /// as used. A block that does not open (tampered, another client's), was used before
    /// or has expired is the expired-session error.
    pub(crate) async fn take_secret_block(
        &self,
        client_id: &str,
        sealed: &[u8],
        now: Millis,
    ) -> Result<SecretBlock, AuthError> {
        let plain = self
            .keys
            .open_block(&block_context(client_id), sealed)
            .map_err(|_| session_expired())?;
        let block: SecretBlock = serde_json::from_slice(&plain).map_err(|_| session_expired())?;
        let Some((id, expires_at)) = block.id_and_expiry() else {
            return Err(session_expired());
        };
        if now >= expires_at {
            return Err(session_expired());
        }
        if !self.store.use_once("srp-block", id, expires_at).await? {
            return Err(session_expired());
        }
        Ok(block)
    }

    /// Stores `signin` as a new auth session valid for `validity_secs`; returns the
    /// `Session` value for the client.
    pub(crate) async fn create_session(
        &self,
        signin: &SignIn,
        validity_secs: i64,
        now: Millis,
    ) -> Result<String, AuthError> {
        let value = crate::ids::new_opaque_token(&*self.rng, SESSION_BYTES);
        let id = self.session_row_id(&value);
        let plain = serde_json::to_vec(signin).map_err(AuthError::internal)?;
        let row = AuthSessionRow {
            state: self.keys.seal_block(&state_context(&id), &plain),
            id,
            pool_id: signin.flow.pool_id.clone(),
            client_id: signin.flow.client_id.clone(),
            version: 0,
            attempts: 0,
            expires_at: now.plus_secs(validity_secs),
        };
        self.store.insert_auth_session(&row).await?;
        Ok(value)
    }

    /// Loads the session a client's `Session` value names. Unknown, expired, tampered or
    /// another client's (`client_id`, when the request names one) are all the
    /// expired-session error.
    pub(crate) async fn open_session(
        &self,
        value: &str,
        client_id: Option<&str>,
        now: Millis,
    ) -> Result<OpenSession, AuthError> {
        if !SESSION_LEN.contains(&value.len()) {
            return Err(session_expired());
        }
        let id = self.session_row_id(value);
        let Some(row) = self.store.get_auth_session(&id).await? else {
            return Err(session_expired());
        };
        if client_id.is_some_and(|c| c != row.client_id) {
            return Err(session_expired());
        }
        if now >= row.expires_at {
            self.store.finish_auth_session(&id, row.version).await?;
            return Err(session_expired());
        }
        let plain = self
            .keys
            .open_block(&state_context(&id), &row.state)
            .map_err(|_| session_expired())?;
        let signin: SignIn = serde_json::from_slice(&plain).map_err(AuthError::internal)?;
        Ok(OpenSession { row, signin })
    }

    /// Ends the session (its `Session` value stops working). Exactly one concurrent
    /// caller succeeds; the others get the expired-session error.
    pub(crate) async fn end_session(&self, session: &OpenSession) -> Result<(), AuthError> {
        if self
            .store
            .finish_auth_session(&session.row.id, session.row.version)
            .await?
        {
            Ok(())
        } else {
            Err(session_expired())
        }
    }

    /// Reserves this request's answer on the session before anything is judged: at most
    /// [`MAX_SESSION_ATTEMPTS`] answers are ever looked at per `Session`, however many
    /// arrive at once. Returns how many answers came before this one; a session that is
    /// gone or out of answers is the expired-session error, whatever the answer was.
    pub(crate) async fn reserve_answer(&self, session: &OpenSession) -> Result<u32, AuthError> {
        match self
            .store
            .reserve_session_attempt(&session.row.id, MAX_SESSION_ATTEMPTS)
            .await?
        {
            Some(n) => Ok(n.saturating_sub(1)),
            None => Err(session_expired()),
        }
    }
}
