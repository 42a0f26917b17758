//! `InitiateAuth` / `AdminInitiateAuth` with `AuthFlow=USER_AUTH`: choice-based sign-in
//! (protocol notes §10), and auto sign-in with the `Session` of `ConfirmSignUp` (§11).
//!
//! A name that is no user, when the client prevents user existence errors, runs the same
//! engine on a stand-in that looks like a typical user of that name (its e-mail or phone
//! is the name, verified; it has a password): it is offered the same factors, a code is
//! "sent" nowhere, and nothing it answers ever signs in.

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::limits::Lock;
use crate::pool::{PoolTier, UserPool};
use crate::signin::choice::{self, FirstFactorPick};
use crate::signin::{session_expired, AuthFlow, Flow, SignIn, SignInState};
use crate::user::User;

use super::super::Keystep;
use super::{flow_subject, missing, param, AuthStep, InitiateAuthInput, Origin};
use super::{Inputs, Settled};

impl Keystep {
    /// `USER_AUTH`.
    pub(super) async fn initiate_user_auth(
        &self,
        input: &InitiateAuthInput,
        client: AppClient,
        pool: UserPool,
    ) -> Result<AuthStep, AuthError> {
        if pool.settings.tier == PoolTier::Lite {
            return Err(AuthError::FeatureUnavailableInTier(
                "USER_AUTH needs the ESSENTIALS or PLUS feature plan.".into(),
            ));
        }
        let params = &input.parameters;
        let typed = param(params, "USERNAME").ok_or_else(|| missing("USERNAME"))?;
        let secret_hash = param(params, "SECRET_HASH");
        if let Some(session) = input.session.as_deref().filter(|s| !s.is_empty()) {
            let admin = input.pool_id.is_some();
            if let Some(step) = self
                .auto_sign_in(&pool, &client, typed, secret_hash, session, input, admin)
                .await?
            {
                return Ok(step);
            }
        }
        let preferred = param(params, "PREFERRED_CHALLENGE")
            .map(|name| FirstFactorPick::parse(name, params))
            .transpose()?;
        let password = match &preferred {
            Some(FirstFactorPick::Password(password)) => Some(password.as_str()),
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
                || self.choice_stand_in(&pool, typed),
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
        if let Some(FirstFactorPick::Password(_)) = &preferred {
            let subject = flow_subject(&pool.id, &user.sub, user_not_found);
            self.refuse_if_locked(Lock::Password, &subject).await?;
        }
        let now = self.clock.now();
        let flow = Flow {
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            sub: user.sub.clone(),
            username: user.username.clone(),
            typed_username: typed.to_string(),
            auth_flow: AuthFlow::UserAuth,
            admin: input.pool_id.is_some(),
            started_at: now,
            device_key: device.as_ref().map(|d| d.key.clone()),
            user_not_found,
            hosted: false,
            id: crate::ids::new_sign_in_id(&*self.rng, now),
        };
        let mut inputs = self.inputs(pool, client, user)?;
        inputs.source_ip = input.source_ip.clone();
        if let Some(FirstFactorPick::Password(_)) = &preferred {
            inputs.judged = Some(crate::auth_event::ChallengeKind::Password);
        }
        inputs.device = device;
        if user_not_found {
            inputs.snapshot.password = Some(self.stand_in_verifier(&inputs.pool, typed));
        } else {
            self.load_passkeys(&mut inputs, true).await?;
        }
        inputs.client_metadata = input.client_metadata.clone();
        let outcome = self.with_context(&inputs, 0, |ctx| choice::begin(&flow, preferred, ctx));
        let outcome = self.settle_password(&inputs, &flow, outcome).await?;
        self.settle_auth(&inputs, &flow, Origin::Start, outcome)
            .await
    }

    /// Auto sign-in: `Some(tokens)` for the `Session` of `ConfirmSignUp`; `None` for the
    /// `Session` of `SignUp`, which proves nothing and is passed over (the sign-in runs as
    /// if it had none). Any other `Session` — expired, used, another client's or user's —
    /// is the expired-session error.
    #[allow(clippy::too_many_arguments)]
    async fn auto_sign_in(
        &self,
        pool: &UserPool,
        client: &AppClient,
        typed: &str,
        secret_hash: Option<&str>,
        session: &str,
        input: &InitiateAuthInput,
        admin: bool,
    ) -> Result<Option<AuthStep>, AuthError> {
        let now = self.clock.now();
        let open = self
            .open_session(session, Some(&client.client_id), now)
            .await?;
        match open.signin.state {
            SignInState::AwaitingAutoSignIn => {}
            SignInState::AwaitingSignUpConfirmation => return Ok(None),
            _ => return Err(session_expired()),
        }
        if open.signin.flow.pool_id != pool.id {
            return Err(session_expired());
        }
        let flow = Flow {
            admin,
            ..open.signin.flow.clone()
        };
        let user = self.user_of_flow(pool, &flow).await?;
        self.check_named_user(pool, &flow, typed).await?;
        self.check_secret_hash(
            client,
            secret_hash,
            &[
                typed,
                flow.typed_username.as_str(),
                user.username.as_str(),
                user.sub.as_str(),
            ],
        )?;
        let mut inputs = self.inputs(pool.clone(), client.clone(), user)?;
        inputs.client_metadata = input.client_metadata.clone();
        inputs.source_ip = input.source_ip.clone();
        let outcome = self.with_context(&inputs, 0, |ctx| choice::auto_sign_in(&flow, ctx));
        self.settle_auth(&inputs, &flow, Origin::Session(Box::new(open)), outcome)
            .await
            .map(Some)
    }

    /// The `Session` `SignUp` (`confirmed == false`) or `ConfirmSignUp` (`true`) answers a
    /// client that may sign in with `USER_AUTH`; `None` for other clients.
    pub(crate) async fn sign_up_session(
        &self,
        client: &AppClient,
        user: &User,
        typed: &str,
        confirmed: bool,
    ) -> Result<Option<String>, AuthError> {
        if !client.allows(crate::app_client::ExplicitAuthFlow::AllowUserAuth) {
            return Ok(None);
        }
        let now = self.clock.now();
        let signin = SignIn {
            flow: Flow {
                pool_id: user.pool_id.clone(),
                client_id: client.client_id.clone(),
                sub: user.sub.clone(),
                username: user.username.clone(),
                typed_username: typed.to_string(),
                auth_flow: AuthFlow::UserAuth,
                admin: false,
                started_at: now,
                device_key: None,
                user_not_found: false,
                hosted: false,
                id: crate::ids::new_sign_in_id(&*self.rng, now),
            },
            state: if confirmed {
                SignInState::AwaitingAutoSignIn
            } else {
                SignInState::AwaitingSignUpConfirmation
            },
        };
        let validity = client.settings.auth_session_validity_minutes * 60;
        Ok(Some(self.create_session(&signin, validity, now).await?))
    }

    /// The stand-in a choice-based sign-in of a name that is no user runs on (see the
    /// module doc).
    pub(super) fn choice_stand_in(&self, pool: &UserPool, typed: &str) -> User {
        let mut user = self.stand_in_user(pool, typed);
        let attribute = if crate::attributes::looks_like_email(typed) {
            Some("email")
        } else if typed.starts_with('+') && typed[1..].chars().all(|c| c.is_ascii_digit()) {
            Some("phone_number")
        } else {
            None
        };
        if let Some(name) = attribute {
            user.attributes.insert(name.into(), typed.to_string());
            user.attributes
                .insert(format!("{name}_verified"), "true".into());
        }
        user
    }

    /// The user's passkeys into the snapshot, and a drawn assertion when this step may
    /// issue `WEB_AUTHN`.
    pub(super) async fn load_passkeys(
        &self,
        inputs: &mut Inputs,
        may_challenge: bool,
    ) -> Result<(), AuthError> {
        let (passkeys, assertion) = self
            .passkeys_for_sign_in(&inputs.pool, &inputs.user.sub, may_challenge)
            .await?;
        inputs.snapshot.passkeys = passkeys;
        inputs.fresh.passkey_assertion = assertion;
        Ok(())
    }

    /// Settles a step that can only answer a sign-in (not a TOTP setup).
    pub(super) async fn settle_auth(
        &self,
        inputs: &Inputs,
        flow: &Flow,
        origin: Origin,
        outcome: Result<crate::signin::Transition, crate::signin::Rejection>,
    ) -> Result<AuthStep, AuthError> {
        match self.settle(inputs, flow, origin, outcome).await? {
            Settled::Auth(step) => Ok(step),
            Settled::Setup(_) => Err(AuthError::internal("a sign-in step answered a TOTP setup")),
        }
    }
}
