//! The `PASSWORD_VERIFIER` challenge for a user who does not exist, when the app client
//! prevents user existence errors (protocol notes §3.2): a salt and a UUID-shaped
//! `USER_ID_FOR_SRP` that are the same every time for the same pool and name (so two
//! probes cannot tell a real user from a made-up one by their stability), a real `SRP_B`
//! computed from a made-up verifier (so it costs what a real one costs), and a sealed
//! block that fails whatever the answer.

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::pool::UserPool;
use crate::signin::Challenge;

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
        let seed = format!("{}\u{0}{}", pool.id, pool.username_key(typed));
        let salt = self.keys.code_hash("simulated-srp-salt", &seed);
        let id_bytes = self.keys.code_hash("simulated-srp-user", &seed);
        let mut uuid_bytes = [0u8; 16];
        uuid_bytes.copy_from_slice(&id_bytes[..16]);
        let user_id = uuid::Builder::from_random_bytes(uuid_bytes)
            .into_uuid()
            .hyphenated()
            .to_string();
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
}
