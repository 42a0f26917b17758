//! `InitiateAuth` / `AdminInitiateAuth`: the first factor, for a user or — when the
//! client prevents user existence errors — for a name that is no user.

use std::collections::BTreeMap;

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::limits::Lock;
use crate::pool::UserPool;
use crate::signin::{self, AuthFlow, FirstFactor, Flow};

use super::super::Keystep;
use super::{custom, flow_subject, missing, param, AuthStep, InitiateAuthInput, Origin, Settled};

impl Keystep {
    /// `InitiateAuth` and `AdminInitiateAuth`.
    pub async fn initiate_auth(&self, input: InitiateAuthInput) -> Result<AuthStep, AuthError> {
        let flow_kind = AuthFlow::parse(&input.auth_flow)?;
        let (client, pool) = self
            .auth_client(input.pool_id.as_deref(), &input.client_id)
            .await?;
        self.check_not_blocked(&pool, &client.client_id, input.source_ip.as_deref())?;
        if input.hosted {
            // The pages sign in with a password whatever API flows the client allows.
            if flow_kind != AuthFlow::UserPasswordAuth || input.pool_id.is_some() {
                return Err(AuthError::internal("hosted sign-in with another flow"));
            }
        } else {
            flow_kind.check_allowed(&client, input.pool_id.is_some())?;
        }
        let params = &input.parameters;
        if flow_kind == AuthFlow::RefreshTokenAuth {
            if client.settings.refresh_token_rotation.is_some() {
                return Err(AuthError::NotAuthorized(
                    "Refresh token rotation is enabled for this app client: refresh with \
                     GetTokensFromRefreshToken."
                        .into(),
                ));
            }
            let device_key = param(params, "DEVICE_KEY");
            let token = param(params, "REFRESH_TOKEN").ok_or_else(|| missing("REFRESH_TOKEN"))?;
            let secret_hash = param(params, "SECRET_HASH");
            let named = param(params, "USERNAME");
            let tokens = self
                .refresh(
                    &pool,
                    &client,
                    token,
                    device_key,
                    &input.client_metadata,
                    |user| {
                        // Clients hash whatever name they signed in with (pycognito: the
                        // e-mail in e-mail-as-username pools).
                        let mut names = vec![user.username.as_str(), user.sub.as_str()];
                        names.extend(named);
                        for alias in ["email", "phone_number", "preferred_username"] {
                            names.extend(user.attr(alias));
                        }
                        self.check_secret_hash(&client, secret_hash, &names)
                    },
                )
                .await?;
            return Ok(AuthStep::SignedIn(tokens));
        }
        if flow_kind == AuthFlow::UserAuth {
            return self.initiate_user_auth(&input, client, pool).await;
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
        let secret_hash = param(params, "SECRET_HASH");
        let password = match &first {
            FirstFactor::Password(password) => Some(password.as_str()),
            _ => None,
        };
        let (user, user_not_found) = self
            .user_signing_in(
                &pool,
                &client,
                typed,
                secret_hash,
                password,
                &input.client_metadata,
                || self.stand_in_user(&pool, typed),
            )
            .await?;
        self.pre_authentication(
            &pool,
            &user,
            user_not_found,
            &client.client_id,
            &input.client_metadata,
        )
        .await?;
        let device = self
            .named_device(
                &pool,
                &user.sub,
                user_not_found,
                param(params, "DEVICE_KEY"),
            )
            .await?;
        let subject = flow_subject(&pool.id, &user.sub, user_not_found);
        let password_judged = matches!(first, FirstFactor::Password(_));
        if password_judged {
            self.refuse_if_locked(Lock::Password, &subject).await?;
        }
        if user_not_found {
            if let Some(answer) = self.unknown_user(&pool, &client, typed, &first) {
                if password_judged {
                    self.settle_attempt(Lock::Password, &subject, false).await?;
                }
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
            device_key: device.as_ref().map(|d| d.key.clone()),
            user_not_found,
            hosted: input.hosted,
            id: crate::ids::new_sign_in_id(&*self.rng, now),
        };
        let mut inputs = self.inputs(pool, client, user)?;
        inputs.device = device;
        inputs.source_ip = input.source_ip.clone();
        if password_judged {
            inputs.judged = Some(crate::auth_event::ChallengeKind::Password);
        }
        if user_not_found {
            inputs.snapshot.password = Some(self.stand_in_verifier(&inputs.pool, typed));
        }
        inputs.client_metadata = input.client_metadata.clone();
        let outcome = self.with_context(&inputs, 0, |ctx| signin::start(&flow, first, ctx));
        let outcome = self.settle_password(&inputs, &flow, outcome).await?;
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
}
