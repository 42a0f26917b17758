//! Passkeys (protocol notes §13): a user's registered WebAuthn credentials, and the
//! registration waiting between `StartWebAuthnRegistration` and
//! `CompleteWebAuthnRegistration`. Verification itself is `keystep-passkey`'s.

use serde::{Deserialize, Serialize};

use crate::Millis;

/// A registered passkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPasskey {
    /// The pool.
    pub pool_id: String,
    /// The owner's `sub`.
    pub sub: String,
    /// `CredentialId` (base64url, no padding).
    pub credential_id: String,
    /// `RelyingPartyId` it was registered for.
    pub relying_party_id: String,
    /// The public key, algorithm and sign counter, as `keystep-passkey` stores them (not
    /// secret: it verifies, it cannot sign).
    pub passkey: String,
    /// `FriendlyCredentialName`.
    pub name: String,
    /// `AuthenticatorAttachment` (`platform` / `cross-platform`), when the browser said.
    pub attachment: Option<String>,
    /// `AuthenticatorTransports`.
    pub transports: Vec<String>,
    /// `CreatedAt`.
    pub created_at: Millis,
}

/// A registration started and not completed: one per user; a new start replaces it and
/// completing takes it (so a challenge works once).
#[derive(Clone, PartialEq, Eq)]
pub struct PendingRegistration {
    /// The pool.
    pub pool_id: String,
    /// The user's `sub`.
    pub sub: String,
    /// The app client of the access token that started it (completing with another
    /// client's token is `WebAuthnClientMismatchException`).
    pub client_id: String,
    /// The ceremony state, sealed.
    pub state: Vec<u8>,
    /// When the challenge stops being accepted.
    pub expires_at: Millis,
}

impl std::fmt::Debug for PendingRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingRegistration")
            .field("sub", &self.sub)
            .field("client_id", &self.client_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The sealing context of a pending registration's state.
pub fn registration_context(pool_id: &str, sub: &str) -> String {
    format!("passkey-registration:{pool_id}:{sub}")
}

/// What a `WEB_AUTHN` sign-in challenge keeps: the assertion state `keystep-passkey`
/// needs to check the answer (inside the sealed sign-in session).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionState(pub String);

impl std::fmt::Debug for AssertionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AssertionState(<redacted>)")
    }
}
