//! `sign_in` and `confirm_sign_in`: the challenge loop.

use std::collections::BTreeMap;

use keystep_proto::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, AuthenticationResult,
    InitiateAuthRequest, InitiateAuthResponse, RespondToAuthChallengeRequest,
    RespondToAuthChallengeResponse, Sensitive, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse,
};

use crate::auth::{Auth, PendingSignIn};
use crate::error::AuthError;
use crate::srp::SrpAttempt;
use crate::steps::{
    classify, code_key, result_from_error, totp_setup_uri, Action, FirstFactor, MfaType,
    SignInResult, SignInStep,
};
use crate::tokens::Tokens;

/// How `sign_in` authenticates (Amplify's `authFlowType`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`: the password never leaves the device (default).
    #[default]
    UserSrp,
    /// `USER_PASSWORD_AUTH`: the password is sent (over TLS).
    UserPassword,
    /// `CUSTOM_AUTH` starting with SRP (Lambda-defined challenges after the password).
    CustomWithSrp,
    /// `CUSTOM_AUTH` with only the username (Lambda-defined challenges).
    CustomWithoutSrp,
    /// `USER_AUTH`: choice-based sign-in. With a `preferred` factor the server asks for it
    /// at once (a password factor needs the password); without one the next step is
    /// [`SignInStep::ContinueSignInWithFirstFactorSelection`].
    UserAuth {
        /// The factor to start with (Amplify's `preferredChallenge`).
        preferred: Option<FirstFactor>,
    },
}

/// Options of [`Auth::sign_in`].
#[derive(Debug, Clone, Default)]
pub struct SignInOptions {
    /// The flow; SRP by default.
    pub auth_flow: AuthFlow,
    /// `ClientMetadata` for Lambda triggers, sent with every request of this sign-in.
    pub client_metadata: Option<BTreeMap<String, String>>,
}

/// Options of [`Auth::confirm_sign_in`].
#[derive(Debug, Clone, Default)]
pub struct ConfirmSignInOptions {
    /// Attributes to send with a new password (`userAttributes.<name>`); empty values are
    /// left out, as Amplify does.
    pub user_attributes: BTreeMap<String, String>,
    /// `ClientMetadata` for this answer (defaults to the one given to `sign_in`).
    pub client_metadata: Option<BTreeMap<String, String>>,
    /// `FriendlyDeviceName` when verifying a TOTP setup.
    pub friendly_device_name: Option<String>,
}

/// A challenge or tokens, from `InitiateAuth` or `RespondToAuthChallenge`.
pub(crate) struct Outcome {
    challenge_name: Option<String>,
    session: Option<Sensitive>,
    params: BTreeMap<String, String>,
    result: Option<AuthenticationResult>,
    /// `AvailableChallenges` (with `SELECT_CHALLENGE`).
    available: Vec<String>,
}

impl From<InitiateAuthResponse> for Outcome {
    fn from(r: InitiateAuthResponse) -> Self {
        Outcome {
            challenge_name: r.challenge_name,
            session: r.session,
            params: r.challenge_parameters.unwrap_or_default(),
            result: r.authentication_result,
            available: r.available_challenges.unwrap_or_default(),
        }
    }
}

impl From<RespondToAuthChallengeResponse> for Outcome {
    fn from(r: RespondToAuthChallengeResponse) -> Self {
        Outcome {
            challenge_name: r.challenge_name,
            session: r.session,
            params: r.challenge_parameters.unwrap_or_default(),
            result: r.authentication_result,
            available: Vec::new(),
        }
    }
}

/// What the challenge loop needs besides the response.
pub(crate) struct Flow<'a> {
    username: String,
    password: Option<&'a str>,
    srp: Option<SrpAttempt>,
    client_metadata: Option<BTreeMap<String, String>>,
}

impl Auth {
    /// Starts a sign-in, like Amplify's `signIn`.
    ///
    /// SRP's `PASSWORD_VERIFIER` is answered here; any other challenge comes back as
    /// `next_step` for [`Auth::confirm_sign_in`]. `PasswordResetRequiredException` and
    /// `UserNotConfirmedException` come back as the steps `ResetPassword` and
    /// `ConfirmSignUp`. A sign-in still in progress is abandoned.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// use keystep_client::{AuthFlow, SignInOptions};
    /// let options = SignInOptions { auth_flow: AuthFlow::UserPassword, ..Default::default() };
    /// let result = auth.sign_in("alice", Some("Correct-Horse-9!"), options).await?;
    /// println!("{:?}", result.next_step);
    /// # Ok(()) }
    /// ```
    pub async fn sign_in(
        &self,
        username: &str,
        password: Option<&str>,
        options: SignInOptions,
    ) -> Result<SignInResult, AuthError> {
        self.set_pending(None);
        let sent_device = self.device().is_some();
        let outcome = match self
            .start_sign_in(username, password, options.clone())
            .await
        {
            // A device key the pool does not know (forgotten, another pool's): forget it
            // and sign in again as a new device, as Amplify does.
            Err(e) if sent_device && crate::device::is_unknown_device(&e) => {
                self.store.save_device(None)?;
                self.set_pending(None);
                self.start_sign_in(username, password, options).await
            }
            other => other,
        };
        outcome.or_else(result_from_error)
    }

    async fn start_sign_in(
        &self,
        username: &str,
        password: Option<&str>,
        options: SignInOptions,
    ) -> Result<SignInResult, AuthError> {
        if username.is_empty() {
            return Err(AuthError::invalid_parameter(
                "username is required to signIn",
            ));
        }
        let needs_password = match options.auth_flow {
            AuthFlow::CustomWithoutSrp => false,
            AuthFlow::UserAuth { preferred } => preferred.is_some_and(FirstFactor::is_password),
            _ => true,
        };
        if needs_password && password.is_none_or(str::is_empty) {
            return Err(AuthError::invalid_parameter(
                "password is required to signIn",
            ));
        }
        let mut params = BTreeMap::new();
        params.insert("USERNAME".to_string(), username.to_string());
        if let Some(hash) = self.config.secret_hash(username) {
            params.insert("SECRET_HASH".to_string(), hash);
        }
        let mut srp = None;
        let flow = match options.auth_flow {
            AuthFlow::UserSrp | AuthFlow::CustomWithSrp => {
                let attempt = SrpAttempt::new()?;
                params.insert("SRP_A".to_string(), attempt.srp_a());
                srp = Some(attempt);
                if options.auth_flow == AuthFlow::CustomWithSrp {
                    params.insert("CHALLENGE_NAME".to_string(), "SRP_A".to_string());
                    "CUSTOM_AUTH"
                } else {
                    "USER_SRP_AUTH"
                }
            }
            AuthFlow::UserPassword => {
                params.insert(
                    "PASSWORD".to_string(),
                    password.unwrap_or_default().to_string(),
                );
                if let Some(device) = self.device() {
                    params.insert("DEVICE_KEY".to_string(), device.key);
                }
                "USER_PASSWORD_AUTH"
            }
            AuthFlow::CustomWithoutSrp => "CUSTOM_AUTH",
            AuthFlow::UserAuth { preferred } => {
                if let Some(factor) = preferred {
                    params.insert(
                        "PREFERRED_CHALLENGE".to_string(),
                        factor.as_str().to_string(),
                    );
                }
                match preferred {
                    Some(FirstFactor::Password) => {
                        params.insert(
                            "PASSWORD".to_string(),
                            password.unwrap_or_default().to_string(),
                        );
                    }
                    Some(FirstFactor::PasswordSrp) => {
                        let attempt = SrpAttempt::new()?;
                        params.insert("SRP_A".to_string(), attempt.srp_a());
                        srp = Some(attempt);
                    }
                    _ => {}
                }
                "USER_AUTH"
            }
        };
        let request = InitiateAuthRequest {
            auth_flow: flow.to_string(),
            auth_parameters: Some(params),
            client_metadata: options.client_metadata.clone(),
            client_id: self.config.client_id.clone(),
            ..Default::default()
        };
        let response: InitiateAuthResponse = self.wire.call("InitiateAuth", &request).await?;
        let flow = Flow {
            username: username.to_string(),
            password,
            srp,
            client_metadata: options.client_metadata,
        };
        self.advance(response.into(), flow).await
    }

    /// Signs in the user whose sign-up asked for it (`SignUpOptions::auto_sign_in`), like
    /// Amplify's `autoSignIn`, once `confirm_sign_up` (or `sign_up`) answered
    /// `CompleteAutoSignIn`: with the server's sign-up `Session` on a choice-based client
    /// (no password sent again), else by an SRP sign-in with the password given to
    /// `sign_up`. Works once.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// use keystep_client::{SignUpOptions, SignUpStep};
    /// let options = SignUpOptions { auto_sign_in: true, ..Default::default() };
    /// auth.sign_up("alice", "Correct-Horse-9!", options).await?;
    /// if auth.confirm_sign_up("alice", "123456").await?.next_step == SignUpStep::CompleteAutoSignIn {
    ///     assert!(auth.auto_sign_in().await?.is_signed_in);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn auto_sign_in(&self) -> Result<SignInResult, AuthError> {
        let Some(auto) = self.auto_sign_in_state() else {
            return Err(AuthError::invalid_state(
                "autoSignIn needs a sign-up made with auto_sign_in",
            ));
        };
        self.set_auto_sign_in(None);
        let Some(session) = auto.session else {
            return self
                .sign_in(
                    &auto.username,
                    Some(&auto.password),
                    SignInOptions::default(),
                )
                .await;
        };
        self.set_pending(None);
        let mut params = BTreeMap::new();
        params.insert("USERNAME".to_string(), auto.username.clone());
        if let Some(hash) = self.config.secret_hash(&auto.username) {
            params.insert("SECRET_HASH".to_string(), hash);
        }
        let mut srp = None;
        if !auto.confirmed_by_code {
            let attempt = SrpAttempt::new()?;
            params.insert(
                "PREFERRED_CHALLENGE".to_string(),
                "PASSWORD_SRP".to_string(),
            );
            params.insert("SRP_A".to_string(), attempt.srp_a());
            srp = Some(attempt);
        }
        let request = InitiateAuthRequest {
            auth_flow: "USER_AUTH".to_string(),
            auth_parameters: Some(params),
            client_id: self.config.client_id.clone(),
            session: Some(session),
            ..Default::default()
        };
        let outcome = async {
            let response: InitiateAuthResponse = self.wire.call("InitiateAuth", &request).await?;
            let flow = Flow {
                username: auto.username.clone(),
                password: Some(&auto.password),
                srp,
                client_metadata: None,
            };
            self.advance(response.into(), flow).await
        };
        outcome.await.or_else(result_from_error)
    }

    /// Answers the current sign-in step, like Amplify's `confirmSignIn`.
    ///
    /// `challenge_response` is the code, the new password, the custom answer, `"SMS"` /
    /// `"TOTP"` / `"EMAIL"` for a selection, or an e-mail address for e-mail MFA setup.
    /// After an error such as `CodeMismatch` the sign-in stays in progress, so the user can
    /// try again.
    ///
    /// ```no_run
    /// # async fn demo(auth: keystep_client::Auth) -> Result<(), keystep_client::AuthError> {
    /// use keystep_client::ConfirmSignInOptions;
    /// let result = auth.confirm_sign_in("123456", ConfirmSignInOptions::default()).await?;
    /// assert!(result.is_signed_in);
    /// # Ok(()) }
    /// ```
    pub async fn confirm_sign_in(
        &self,
        challenge_response: &str,
        options: ConfirmSignInOptions,
    ) -> Result<SignInResult, AuthError> {
        let Some(pending) = self.pending() else {
            return Err(AuthError::invalid_state(
                "signIn was not called before confirmSignIn (no sign-in in progress)",
            ));
        };
        let outcome = self
            .answer(pending, challenge_response, options)
            .await
            .or_else(result_from_error);
        if matches!(
            &outcome,
            Ok(SignInResult {
                next_step: SignInStep::ResetPassword | SignInStep::ConfirmSignUp,
                ..
            })
        ) {
            self.set_pending(None);
        }
        outcome
    }

    async fn answer(
        &self,
        pending: PendingSignIn,
        answer: &str,
        options: ConfirmSignInOptions,
    ) -> Result<SignInResult, AuthError> {
        let metadata = options
            .client_metadata
            .clone()
            .or_else(|| pending.client_metadata.clone());
        let mut responses = BTreeMap::new();
        responses.insert("USERNAME".to_string(), pending.username.clone());
        let mut session = pending.session.clone();
        let mut srp = None;
        let mut password = None;
        match pending.challenge.as_str() {
            "SELECT_CHALLENGE" => match (pending.picked, FirstFactor::parse(answer)) {
                // The password typed after picking it: same Session, `ANSWER` + password.
                (Some(kind), _) => {
                    responses.insert("ANSWER".to_string(), kind.as_str().to_string());
                    if kind == FirstFactor::PasswordSrp {
                        let attempt = SrpAttempt::new()?;
                        responses.insert("SRP_A".to_string(), attempt.srp_a());
                        srp = Some(attempt);
                        password = Some(answer);
                    } else {
                        responses.insert("PASSWORD".to_string(), answer.to_string());
                    }
                }
                // A password picked: ask for it first, as Amplify does (no request).
                (None, Some(kind)) if kind.is_password() => {
                    let mut picked = pending;
                    picked.picked = Some(kind);
                    self.set_pending(Some(picked));
                    return Ok(SignInResult::step(SignInStep::ConfirmSignInWithPassword));
                }
                (None, Some(kind)) => {
                    responses.insert("ANSWER".to_string(), kind.as_str().to_string());
                }
                (None, None) => {
                    return Err(AuthError::invalid_parameter(
                        "answer one of the available first factors (PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP)",
                    ))
                }
            },
            "NEW_PASSWORD_REQUIRED" => {
                responses.insert("NEW_PASSWORD".to_string(), answer.to_string());
                for (name, value) in &options.user_attributes {
                    if !value.is_empty() {
                        responses.insert(format!("userAttributes.{name}"), value.clone());
                    }
                }
            }
            "SELECT_MFA_TYPE" => {
                let Some(mfa) = MfaType::from_answer(answer) else {
                    return Err(AuthError::invalid_parameter(
                        "answer \"SMS\", \"TOTP\" or \"EMAIL\" to pick an MFA method",
                    ));
                };
                responses.insert("ANSWER".to_string(), mfa.challenge_name().to_string());
            }
            "MFA_SETUP" => match answer {
                "EMAIL" => {
                    return Ok(SignInResult::step(
                        SignInStep::ContinueSignInWithEmailMfaSetup,
                    ))
                }
                "TOTP" => return self.associate_totp(pending).await,
                a if a.contains('@') => {
                    responses.insert("EMAIL".to_string(), a.to_string());
                }
                a if !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()) => {
                    if !pending.totp_associated {
                        return Err(AuthError::invalid_state(
                            "TOTP setup has not started: answer \"TOTP\" first",
                        ));
                    }
                    let verify = VerifySoftwareTokenRequest {
                        session: pending.session.clone(),
                        user_code: a.into(),
                        friendly_device_name: options.friendly_device_name.clone(),
                        ..Default::default()
                    };
                    let verified: VerifySoftwareTokenResponse =
                        self.wire.call("VerifySoftwareToken", &verify).await?;
                    session = Some(verified.session.ok_or_else(|| {
                        AuthError::bad_response(
                            "InvalidServiceResponse",
                            "VerifySoftwareToken returned no Session",
                        )
                    })?);
                }
                _ => {
                    return Err(AuthError::invalid_parameter(
                        "answer \"TOTP\", \"EMAIL\", an e-mail address or a TOTP code",
                    ))
                }
            },
            challenge => {
                let Some(key) = code_key(challenge) else {
                    return Err(AuthError::invalid_state(format!(
                        "cannot answer the challenge {challenge}"
                    )));
                };
                responses.insert(key.to_string(), answer.to_string());
                if let Some(device) = self.device() {
                    responses.insert("DEVICE_KEY".to_string(), device.key);
                }
            }
        }
        let response = self
            .respond(&pending.challenge, session, responses, metadata.clone())
            .await?;
        let flow = Flow {
            username: pending.username,
            password,
            srp,
            client_metadata: metadata,
        };
        self.advance(response, flow).await
    }

    /// Follows a response: stores tokens, answers `PASSWORD_VERIFIER`, sets up TOTP, or
    /// remembers the challenge and hands its step to the app.
    pub(crate) async fn advance(
        &self,
        mut outcome: Outcome,
        mut flow: Flow<'_>,
    ) -> Result<SignInResult, AuthError> {
        loop {
            if let Some(result) = &outcome.result {
                let tokens = Tokens::from_result(result, None, self.now_secs())?;
                self.store.save(&tokens)?;
                self.set_pending(None);
                if let Some(metadata) = &result.new_device_metadata {
                    self.confirm_new_device(&tokens.access_token, metadata)
                        .await;
                }
                return Ok(SignInResult::step(SignInStep::Done));
            }
            let challenge = outcome.challenge_name.take().ok_or_else(|| {
                AuthError::bad_response(
                    "InvalidServiceResponse",
                    "neither tokens nor a challenge in the response",
                )
            })?;
            if let Some(name) = outcome.params.get("USERNAME") {
                flow.username = name.clone();
            }
            match classify(&challenge, &outcome.params, &outcome.available)? {
                Action::PasswordVerifier => {
                    let (Some(srp), Some(password)) = (flow.srp.take(), flow.password) else {
                        return Err(AuthError::bad_response(
                            "SignInException",
                            "PASSWORD_VERIFIER outside an SRP sign-in",
                        ));
                    };
                    let mut responses =
                        srp.answer(&self.config, &outcome.params, password, self.now_secs())?;
                    if let Some(device) = self.device() {
                        responses.insert("DEVICE_KEY".to_string(), device.key);
                    }
                    if let Some(user_id) = responses.get("USERNAME") {
                        flow.username = user_id.clone();
                    }
                    outcome = self
                        .respond(
                            &challenge,
                            outcome.session.take(),
                            responses,
                            flow.client_metadata.clone(),
                        )
                        .await?;
                }
                Action::DeviceSrp => {
                    outcome = self.prove_device(outcome, &flow).await?;
                }
                Action::SetUpTotp => {
                    let pending = self.remember(&challenge, outcome, &flow);
                    return self.associate_totp(pending).await;
                }
                Action::Ask(step) => {
                    self.remember(&challenge, outcome, &flow);
                    return Ok(SignInResult::step(step));
                }
            }
        }
    }

    /// `DEVICE_SRP_AUTH` and `DEVICE_PASSWORD_VERIFIER`, answered with the remembered
    /// device's password; the outcome after them (tokens, or an MFA challenge).
    async fn prove_device(&self, outcome: Outcome, flow: &Flow<'_>) -> Result<Outcome, AuthError> {
        let Some(device) = self.device() else {
            return Err(AuthError::bad_response(
                "SignInException",
                "DEVICE_SRP_AUTH without a remembered device",
            ));
        };
        let username = outcome
            .params
            .get("USERNAME")
            .cloned()
            .unwrap_or_else(|| flow.username.clone());
        let attempt = SrpAttempt::new()?;
        let mut responses = std::collections::BTreeMap::new();
        responses.insert("USERNAME".to_string(), username.clone());
        responses.insert("DEVICE_KEY".to_string(), device.key.clone());
        responses.insert("SRP_A".to_string(), attempt.srp_a());
        let mut step = self
            .respond(
                "DEVICE_SRP_AUTH",
                outcome.session,
                responses,
                flow.client_metadata.clone(),
            )
            .await?;
        if step.challenge_name.as_deref() != Some("DEVICE_PASSWORD_VERIFIER") {
            return Err(AuthError::bad_response(
                "InvalidServiceResponse",
                "DEVICE_SRP_AUTH was not followed by DEVICE_PASSWORD_VERIFIER",
            ));
        }
        let answer = attempt.answer_device(&device, &step.params, &username, self.now_secs())?;
        self.respond(
            "DEVICE_PASSWORD_VERIFIER",
            step.session.take(),
            answer,
            flow.client_metadata.clone(),
        )
        .await
    }

    fn remember(&self, challenge: &str, outcome: Outcome, flow: &Flow<'_>) -> PendingSignIn {
        let pending = PendingSignIn {
            username: flow.username.clone(),
            challenge: challenge.to_string(),
            session: outcome.session,
            params: outcome.params,
            client_metadata: flow.client_metadata.clone(),
            totp_associated: false,
            picked: None,
        };
        self.set_pending(Some(pending.clone()));
        pending
    }

    /// `AssociateSoftwareToken` with the `MFA_SETUP` session, as Amplify does before
    /// returning `CONTINUE_SIGN_IN_WITH_TOTP_SETUP`.
    async fn associate_totp(&self, mut pending: PendingSignIn) -> Result<SignInResult, AuthError> {
        let request = AssociateSoftwareTokenRequest {
            session: pending.session.clone(),
            ..Default::default()
        };
        let response: AssociateSoftwareTokenResponse =
            self.wire.call("AssociateSoftwareToken", &request).await?;
        let secret = response.secret_code.ok_or_else(|| {
            AuthError::bad_response(
                "InvalidServiceResponse",
                "AssociateSoftwareToken returned no SecretCode",
            )
        })?;
        if response.session.is_some() {
            pending.session = response.session;
        }
        pending.totp_associated = true;
        let setup_uri = totp_setup_uri("AWSCognito", &pending.username, secret.expose());
        self.set_pending(Some(pending));
        Ok(SignInResult::step(
            SignInStep::ContinueSignInWithTotpSetup {
                shared_secret: secret.expose().to_string(),
                setup_uri,
            },
        ))
    }

    /// `RespondToAuthChallenge`, adding `SECRET_HASH` over `USERNAME` for a client with a
    /// secret.
    async fn respond(
        &self,
        challenge: &str,
        session: Option<Sensitive>,
        mut responses: BTreeMap<String, String>,
        client_metadata: Option<BTreeMap<String, String>>,
    ) -> Result<Outcome, AuthError> {
        if !responses.contains_key("SECRET_HASH") {
            let hash = responses
                .get("USERNAME")
                .and_then(|u| self.config.secret_hash(u));
            if let Some(hash) = hash {
                responses.insert("SECRET_HASH".to_string(), hash);
            }
        }
        let request = RespondToAuthChallengeRequest {
            client_id: self.config.client_id.clone(),
            challenge_name: challenge.to_string(),
            session,
            challenge_responses: Some(responses),
            client_metadata,
            ..Default::default()
        };
        let response: RespondToAuthChallengeResponse =
            self.wire.call("RespondToAuthChallenge", &request).await?;
        Ok(response.into())
    }
}
