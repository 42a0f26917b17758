//! Settling a step: claim the waiting sign-in (session compare-and-swap), carry out the
//! engine's effects in their two phases, and turn the outcome into the answer — the next
//! challenge with a new `Session` (or a sealed `SECRET_BLOCK`), or tokens.

use crate::error::AuthError;
use crate::signin::{Effect, Flow, Rejection, Reply, SessionFate, SignIn, SignInState, Transition};

use super::session::SecretBlock;
use super::{AuthStep, Inputs, Keystep, Origin, Settled, SetupStep};

impl Keystep {
    /// Settles a step ([`Keystep::settle_step`]) and records it in the sign-in's auth
    /// event.
    pub(super) async fn settle(
        &self,
        inputs: &Inputs,
        flow: &Flow,
        origin: Origin,
        outcome: Result<Transition, Rejection>,
    ) -> Result<Settled, AuthError> {
        let settled = self.settle_step(inputs, flow, origin, outcome).await;
        self.record_sign_in_step(inputs, flow, &settled).await;
        settled
    }

    /// Claims the waiting sign-in, carries out the effects and renders the outcome.
    async fn settle_step(
        &self,
        inputs: &Inputs,
        flow: &Flow,
        origin: Origin,
        outcome: Result<Transition, Rejection>,
    ) -> Result<Settled, AuthError> {
        let (pool, client, now) = (&inputs.pool, &inputs.client, inputs.now);
        let transition = match outcome {
            Ok(t) => t,
            Err(rejection) => {
                // A retried session keeps its state: the attempt was counted when the
                // answer was reserved.
                let claimed = match (&origin, rejection.session) {
                    (Origin::Session(open), SessionFate::Destroy) => {
                        self.end_session(open).await.is_ok()
                    }
                    _ => true,
                };
                if claimed {
                    self.apply_effects(pool, client, &inputs.user, rejection.effects, now)
                        .await?;
                }
                return Err(rejection.error);
            }
        };
        if flow.user_not_found && matches!(transition, Transition::Authenticated { .. }) {
            // The engine never authenticates a stand-in; should it ever, nothing is minted.
            if let Origin::Session(open) = &origin {
                self.end_session(open).await?;
            }
            return Err(crate::signin::incorrect_credentials());
        }
        let effects = match &transition {
            Transition::Continue { effects, .. } | Transition::Authenticated { effects, .. } => {
                effects
            }
            Transition::Consult { .. } => {
                return Err(AuthError::internal("a consult reached settle undriven"));
            }
        };
        // A precheck failure leaves the session as it was (its answer was counted when
        // it was reserved), so the client may correct it. (A right password before it
        // stays right: its lockout was settled already.)
        self.precheck_effects(pool, client, &inputs.user, effects, now)
            .await?;
        if let Origin::Session(open) = &origin {
            self.end_session(open).await?;
        }
        match transition {
            Transition::Consult { .. } => Err(AuthError::internal("a consult reached settle")),
            Transition::Authenticated { proof, effects } => {
                let written = self
                    .apply_effects(pool, client, &inputs.user, effects, now)
                    .await?;
                // The trigger and the tokens see the user as stored: read again only if
                // the effects wrote it.
                let user = if written {
                    self.store
                        .get_user_by_sub(&pool.id, &flow.sub)
                        .await?
                        .ok_or_else(super::mint::user_gone)?
                } else {
                    inputs.user.clone()
                };
                self.post_authentication(pool, &user, &client.client_id, &inputs.client_metadata)
                    .await?;
                if flow.hosted {
                    return Ok(Settled::Auth(AuthStep::Hosted(proof)));
                }
                let tokens = self
                    .mint(pool, client, &user, &proof, &inputs.client_metadata)
                    .await?;
                Ok(Settled::Auth(AuthStep::SignedIn(tokens)))
            }
            Transition::Continue {
                next,
                reply,
                mut effects,
            } => {
                if flow.user_not_found {
                    // A stand-in's code goes nowhere: the name may be anyone's address.
                    effects.retain(|e| !matches!(e, Effect::SendMfaCode { .. }));
                }
                self.apply_effects(pool, client, &inputs.user, effects, now)
                    .await?;
                let next = SignIn {
                    flow: flow.clone(),
                    state: next,
                };
                if let SignInState::AwaitingPasswordVerifier { .. }
                | SignInState::AwaitingDevicePasswordVerifier { .. } = next.state
                {
                    let Reply::Challenge(mut challenge) = reply else {
                        return Err(AuthError::internal("PASSWORD_VERIFIER without a challenge"));
                    };
                    let block =
                        self.seal_secret_block(&client.client_id, &SecretBlock::Real(next))?;
                    challenge.parameters.insert("SECRET_BLOCK".into(), block);
                    return Ok(Settled::Auth(AuthStep::Challenge {
                        challenge,
                        session: None,
                    }));
                }
                let validity = client.settings.auth_session_validity_minutes * 60;
                let session = self.create_session(&next, validity, now).await?;
                Ok(match reply {
                    Reply::Challenge(challenge) => Settled::Auth(AuthStep::Challenge {
                        challenge,
                        session: Some(session),
                    }),
                    Reply::SoftwareTokenAssociated { secret_code } => {
                        Settled::Setup(SetupStep::Associated {
                            secret_code,
                            session,
                        })
                    }
                    Reply::SoftwareTokenVerified => Settled::Setup(SetupStep::Verified { session }),
                })
            }
        }
    }
}
