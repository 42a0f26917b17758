//! What a name that is no user gets, when the app client prevents user existence errors
//! (protocol notes §3.2): the answers a real user would get, after the same limits.
//!
//! * Code deliveries (`ForgotPassword`, `ResendConfirmationCode`) show a destination masked
//!   like a real one — the medium a real user of this pool would most likely be sent to,
//!   and letters and digits that are stable for the name (a real user's do not change
//!   between probes either) — and refuse where a real user would be refused (an
//!   `admin_only` pool, a pool that verifies nothing).
//! * The hourly budgets and the lockouts are kept for the name, so an unknown user runs
//!   out of them exactly when a real one would.
//! * A "sent" code is remembered (a counter row), so that answering it goes as for a real
//!   user: `CodeMismatch` while attempts remain, `TooManyFailedAttempts` on the fifth,
//!   `ExpiredCode` when none is outstanding.

use serde::{Deserialize, Serialize};

use crate::attributes::{looks_like_email, looks_like_phone, mask_destination};
use crate::code::{self, CodePurpose, MAX_CODE_ATTEMPTS};
use crate::error::{AuthError, StoreError};
use crate::limits::{Budget, Subject};
use crate::message::Medium;
use crate::pool::{AliasKind, RecoveryChannel, UserPool};
use crate::Millis;

use super::delivery::{recovery_channels, CodeDelivery};
use super::Keystep;

/// A code "sent" to a name that is no user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct SimulatedCode {
    /// Answers counted so far.
    attempts: u32,
    /// When it would expire.
    expires_at: Millis,
}

/// Compare-and-swap rounds for a simulated code (as for the real codes' counters).
const MAX_ROUNDS: usize = 64;

/// The kind of address `typed` is, if it is one.
fn typed_kind(typed: &str) -> Option<AliasKind> {
    if looks_like_phone(typed) {
        Some(AliasKind::PhoneNumber)
    } else if looks_like_email(typed) {
        Some(AliasKind::Email)
    } else {
        None
    }
}

/// Whether a real user of `pool` named `typed` would likely have `kind` to be sent a code
/// at: the name itself is one, or the pool makes every user have one.
fn likely_has(pool: &UserPool, typed: &str, kind: AliasKind) -> bool {
    let s = &pool.settings;
    typed_kind(typed) == Some(kind)
        || s.identifiers.username_attributes.contains(&kind)
        || s.auto_verified.contains(&kind)
        || s.schema
            .iter()
            .any(|a| a.required && a.name == kind.attribute())
}

/// The medium a code for `purpose` to a real user of `pool` named `typed` would take: the
/// pool's order (recovery priority; SMS before e-mail for sign-up codes), first among the
/// channels such a user likely has. The name's own shape only says which it has, never
/// which comes first.
fn medium_for(pool: &UserPool, purpose: CodePurpose, typed: &str) -> Result<Medium, AuthError> {
    let kinds = match purpose {
        CodePurpose::ForgotPassword => {
            let channels = recovery_channels(pool);
            if channels.contains(&RecoveryChannel::AdminOnly) {
                return Err(super::delivery::admin_only_recovery());
            }
            channels
                .into_iter()
                .filter_map(|c| match c {
                    RecoveryChannel::VerifiedEmail => Some(AliasKind::Email),
                    RecoveryChannel::VerifiedPhoneNumber => Some(AliasKind::PhoneNumber),
                    RecoveryChannel::AdminOnly => None,
                })
                .collect::<Vec<_>>()
        }
        _ => {
            let auto = &pool.settings.auto_verified;
            if auto.is_empty() {
                return Err(super::signup::no_confirmation_channel(pool));
            }
            [AliasKind::PhoneNumber, AliasKind::Email]
                .into_iter()
                .filter(|k| auto.contains(k))
                .collect()
        }
    };
    let kind = kinds
        .iter()
        .copied()
        .find(|k| likely_has(pool, typed, *k))
        .or(kinds.first().copied())
        .unwrap_or(AliasKind::Email);
    Ok(match kind {
        AliasKind::PhoneNumber => Medium::Sms,
        _ => Medium::Email,
    })
}

/// Initials of the mail domains real addresses most often have, weighted by repetition.
const DOMAIN_INITIALS: &[u8] = b"ggggggyyhhooiaacmnpst";

impl Keystep {
    /// Where a code for `purpose` to the unknown `typed` "went": a destination masked like
    /// a real one, stable for the name; or the refusal a real user of this pool would get.
    pub fn simulated_delivery(
        &self,
        pool: &UserPool,
        purpose: CodePurpose,
        typed: &str,
    ) -> Result<CodeDelivery, AuthError> {
        let medium = medium_for(pool, purpose, typed)?;
        let h = self
            .keys
            .code_hash(&format!("simulated-delivery\n{}", pool.id), typed);
        let typed_is_destination = match medium {
            Medium::Email => looks_like_email(typed),
            Medium::Sms => looks_like_phone(typed),
        };
        let destination_masked = if typed_is_destination {
            mask_destination(typed)
        } else {
            match medium {
                Medium::Email => {
                    let local = typed
                        .chars()
                        .find(|c| c.is_alphanumeric())
                        .map(|c| c.to_lowercase().to_string())
                        .unwrap_or_else(|| char::from(b'a' + h[0] % 26).to_string());
                    let domain =
                        char::from(DOMAIN_INITIALS[usize::from(h[1]) % DOMAIN_INITIALS.len()]);
                    format!("{local}***@{domain}***")
                }
                Medium::Sms => {
                    let digits: String =
                        h[2..6].iter().map(|b| char::from(b'0' + b % 10)).collect();
                    format!("+*******{digits}")
                }
            }
        };
        Ok(CodeDelivery {
            destination_masked,
            medium,
            attribute_name: medium.attribute().to_string(),
        })
    }

    /// `ForgotPassword` / `ResendConfirmationCode` for the unknown `typed`: the request
    /// budget a real user has, then a remembered "sent" code and a simulated delivery.
    pub async fn send_simulated_code(
        &self,
        pool: &UserPool,
        purpose: CodePurpose,
        typed: &str,
    ) -> Result<CodeDelivery, AuthError> {
        let delivery = self.simulated_delivery(pool, purpose, typed)?;
        let digest = self.unknown_name_digest(pool, typed);
        let subject = Subject::Unknown {
            pool_id: &pool.id,
            digest: &digest,
        };
        self.take_budget(Budget::CodeRequests(purpose), &subject)
            .await?;
        let now = self.clock.now();
        let state = SimulatedCode {
            attempts: 0,
            expires_at: now.plus_secs(purpose.lifetime_secs()),
        };
        let key = simulated_code_key(purpose, &pool.id, &digest);
        for _ in 0..MAX_ROUNDS {
            let version = self.store.get_counter(&key).await?.map(|r| r.version);
            let text = serde_json::to_string(&state).map_err(AuthError::internal)?;
            match self
                .store
                .put_counter(&key, &text, state.expires_at, version)
                .await
            {
                Ok(()) => return Ok(delivery),
                Err(StoreError::Stale) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(delivery)
    }

    /// An answer to the code of `purpose` of the unknown `typed`: the answer budget, then
    /// what a real user's wrong answer gets. `assume_sent` stands for a code a real user
    /// would hold without asking (the one sent at sign-up).
    pub async fn answer_simulated_code(
        &self,
        pool: &UserPool,
        purpose: CodePurpose,
        typed: &str,
        assume_sent: bool,
    ) -> AuthError {
        match self
            .try_simulated_code(pool, purpose, typed, assume_sent)
            .await
        {
            Ok(error) | Err(error) => error,
        }
    }

    async fn try_simulated_code(
        &self,
        pool: &UserPool,
        purpose: CodePurpose,
        typed: &str,
        assume_sent: bool,
    ) -> Result<AuthError, AuthError> {
        let digest = self.unknown_name_digest(pool, typed);
        let subject = Subject::Unknown {
            pool_id: &pool.id,
            digest: &digest,
        };
        self.take_budget(Budget::CodeAttempts(purpose), &subject)
            .await?;
        let key = simulated_code_key(purpose, &pool.id, &digest);
        let now = self.clock.now();
        for _ in 0..MAX_ROUNDS {
            let row = self.store.get_counter(&key).await?;
            let (mut state, version) = match &row {
                Some(row) => match serde_json::from_str::<SimulatedCode>(&row.state) {
                    Ok(state) => (state, Some(row.version)),
                    Err(_) => return Ok(code::expired_error()),
                },
                None if assume_sent => (
                    SimulatedCode {
                        attempts: 0,
                        expires_at: now.plus_secs(purpose.lifetime_secs()),
                    },
                    None,
                ),
                None => return Ok(code::expired_error()),
            };
            if now >= state.expires_at {
                return Ok(code::expired_error());
            }
            // A real code is destroyed by the answer that uses it up.
            if state.attempts >= MAX_CODE_ATTEMPTS {
                return Ok(code::expired_error());
            }
            state.attempts += 1;
            let text = serde_json::to_string(&state).map_err(AuthError::internal)?;
            match self
                .store
                .put_counter(&key, &text, state.expires_at, version)
                .await
            {
                Ok(()) if state.attempts >= MAX_CODE_ATTEMPTS => return Ok(code::exhausted_error()),
                Ok(()) => return Ok(code::mismatch_error()),
                Err(StoreError::Stale) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(code::mismatch_error())
    }
}

/// The counter key of a simulated code.
fn simulated_code_key(purpose: CodePurpose, pool_id: &str, digest: &str) -> String {
    format!("sim-code-{}:{pool_id}:n:{digest}", purpose.as_str())
}
