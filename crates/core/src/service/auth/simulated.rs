//! The `PASSWORD_VERIFIER` challenge for a user who does not exist, when the app client
//! prevents user existence errors (protocol notes §3.2): a salt and a UUID-shaped
//! `USER_ID_FOR_SRP` that are the same every time for the same pool and name (so two
//! probes cannot tell a real user from a made-up one by their stability), a real `SRP_B`
//! computed from a made-up verifier (so it costs what a real one costs), and a sealed
//! block that fails whatever the answer — after the same checks, in the same order, as a
//! real answer gets: `USERNAME`, `SECRET_HASH`, the lockout (kept for the name), then
//! `TIMESTAMP`.

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::limits::{Lock, Subject};
use crate::pool::UserPool;
use crate::service::passwords::PasswordVerifier;
use crate::signin::{self, Challenge, ChallengeAnswer, ChallengeResponse};
use crate::user::{User, UserStatus};
use crate::Millis;

use super::session::SecretBlock;
use super::{AuthStep, Keystep};

impl Keystep {
    pub(super) fn simulated_challenge(
        &self,
        pool: &UserPool,
        client: &AppClient,
        typed: &str,
        srp_a: &[u8],
    ) -> Result<AuthStep, AuthError> {
        let seed = simulation_seed(pool, typed);
        let salt = self.keys.code_hash("simulated-srp-salt", &seed);
        let user_id = self.stand_in_username(pool, typed);
        let verifier = self.keys.code_hash("simulated-srp-verifier", &seed);
        let mut b = vec![0u8; 32];
        self.rng.fill(&mut b);
        let b_pub = keystep_srp::server_public(&verifier, &b)
            .map_err(|_| AuthError::internal("simulated SRP B could not be made"))?;
        // A real challenge also derives the session key from A; do the same work, and
        // refuse an invalid A the same way.
        keystep_srp::server_session_key(srp_a, &b_pub, &b, &verifier)
            .map_err(|_| AuthError::InvalidParameter("SRP_A is not valid.".into()))?;
        let now = self.clock.now();
        let block = SecretBlock::Simulated {
            block_id: crate::ids::new_uuid(&*self.rng),
            pool_id: pool.id.clone(),
            username: typed.to_string(),
            expires_at: now.plus_secs(client.settings.auth_session_validity_minutes * 60),
        };
        let mut challenge = Challenge::password_verifier(
            &user_id,
            keystep_srp::to_hex(&salt[..16]),
            keystep_srp::to_hex(&b_pub),
        );
        challenge.parameters.insert(
            "SECRET_BLOCK".into(),
            self.seal_secret_block(&client.client_id, &block)?,
        );
        Ok(AuthStep::Challenge {
            challenge,
            session: None,
        })
    }

    /// The canonical username of a name that is no user, as `USER_ID_FOR_SRP` shows it:
    /// where e-mail or phone is the username, real users' is their `sub`, a UUID — so a
    /// UUID stable per pool and name; elsewhere it is the name as the pool keys it (a
    /// case-insensitive pool answers a real user typed in any case with the stored name, so
    /// echoing the typed case would tell a made-up name apart).
    pub(super) fn stand_in_username(&self, pool: &UserPool, typed: &str) -> String {
        if pool.settings.identifiers.username_attributes.is_empty() {
            return pool.username_key(typed);
        }
        let id_bytes = self
            .keys
            .code_hash("simulated-srp-user", &simulation_seed(pool, typed));
        let mut uuid_bytes = [0u8; 16];
        uuid_bytes.copy_from_slice(&id_bytes[..16]);
        uuid::Builder::from_random_bytes(uuid_bytes)
            .into_uuid()
            .hyphenated()
            .to_string()
    }

    /// The made-up SRP salt and verifier of a name that is no user (the same the simulated
    /// `PASSWORD_VERIFIER` is computed from): no password fits it.
    pub(super) fn stand_in_verifier(&self, pool: &UserPool, typed: &str) -> PasswordVerifier {
        let seed = simulation_seed(pool, typed);
        PasswordVerifier {
            salt: self.keys.code_hash("simulated-srp-salt", &seed)[..16].to_vec(),
            verifier: self.keys.code_hash("simulated-srp-verifier", &seed),
        }
    }

    /// A stand-in for a name that is no user, for a custom sign-in that must ask the
    /// triggers as for a real one: confirmed, enabled, no attributes, no password; its
    /// `sub` is the digest the name's counters are kept under.
    pub(super) fn stand_in_user(&self, pool: &UserPool, typed: &str) -> User {
        let now = self.clock.now();
        User {
            pool_id: pool.id.clone(),
            username: self.stand_in_username(pool, typed),
            username_key: pool.username_key(typed),
            sub: self.unknown_name_digest(pool, typed),
            attributes: Default::default(),
            status: UserStatus::Confirmed,
            enabled: true,
            created_at: now,
            modified_at: now,
            password: None,
            password_set_at: None,
            mfa: Default::default(),
            tokens_valid_after: None,
            pending_attributes: Default::default(),
            password_history: Vec::new(),
            version: 0,
        }
    }

    /// The answer to a simulated `PASSWORD_VERIFIER`: the checks a real answer goes
    /// through, then a wrong password.
    pub(super) async fn simulated_verifier(
        &self,
        pool: &UserPool,
        client: &AppClient,
        typed: &str,
        response: &ChallengeResponse,
        now: Millis,
    ) -> Result<AuthStep, AuthError> {
        // A real answer reads its user first; so does this one (a read that finds nobody),
        // so that the two cost the same round trips.
        let digest = self.unknown_name_digest(pool, typed);
        self.store.get_user_by_sub(&pool.id, &digest).await?;
        let user_id = self.stand_in_username(pool, typed);
        let named = response.username.as_str();
        let fits = !typed.is_empty()
            && [typed, user_id.as_str()]
                .iter()
                .any(|n| n.eq_ignore_ascii_case(named));
        if !fits {
            return Err(AuthError::NotAuthorized(
                "The USERNAME does not match the user of this sign-in.".into(),
            ));
        }
        self.check_secret_hash(
            client,
            response.secret_hash.as_deref(),
            &[named, typed, user_id.as_str()],
        )?;
        let subject = Subject::Unknown {
            pool_id: &pool.id,
            digest: &digest,
        };
        self.refuse_if_locked(Lock::Password, &subject).await?;
        let judged = self.simulated_judgement(pool, typed, &user_id, response, now);
        // Settled as a real wrong answer is, before it is answered.
        self.settle_attempt(Lock::Password, &subject, false).await?;
        judged.and(Err(signin::incorrect_credentials()))
    }

    /// What judging a real answer costs besides reading: its verifier opened, then the
    /// proof checked (against a key no password gives, here). `Err` where a real answer's
    /// check would fail before the proof.
    fn simulated_judgement(
        &self,
        pool: &UserPool,
        typed: &str,
        user_id: &str,
        response: &ChallengeResponse,
        now: Millis,
    ) -> Result<(), AuthError> {
        if let ChallengeAnswer::PasswordVerifier {
            timestamp,
            secret_block,
            signature,
        } = &response.answer
        {
            let verifier = self.stand_in_verifier(pool, typed);
            let sealed = self.keys.seal("simulated-verifier", &verifier.verifier);
            let _ = self.keys.open("simulated-verifier", &sealed);
            signin::check_timestamp(timestamp, now)?;
            let key: [u8; 16] = verifier.salt[..16].try_into().unwrap_or([0; 16]);
            let _ = keystep_srp::verify_claim_signature(
                &key,
                crate::ids::pool_name_for_srp(&pool.id),
                user_id,
                secret_block,
                timestamp,
                signature,
            );
        }
        Ok(())
    }
}

/// What the simulated values of a name are derived from.
fn simulation_seed(pool: &UserPool, typed: &str) -> String {
    format!("{}\u{0}{}", pool.id, pool.username_key(typed))
}
