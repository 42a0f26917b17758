//! `keystep signin`: walks a person through every step of a sign-in.

use std::collections::BTreeMap;

use clap::Args;
use keystep_client::{
    Auth, AuthError, CodeDelivery, ConfirmSignInOptions, FirstFactor, MfaType, SignInOptions,
    SignInResult, SignInStep,
};

use super::prompt::Prompter;
use super::{Connection, Failure, Flow};

/// How many wrong codes or refused new passwords are asked again before giving up.
const RETRIES: usize = 3;

/// `keystep signin` options.
#[derive(Debug, Args)]
pub struct SigninArgs {
    #[command(flatten)]
    pub connection: Connection,
    /// The username (or an alias such as the e-mail address); asked if not given.
    #[arg(long)]
    pub username: Option<String>,
    /// The sign-in flow.
    #[arg(long, value_enum, default_value_t = Flow::Srp)]
    pub flow: Flow,
}

/// Signs in, asking for whatever each step needs. Answers come from stdin, one a line;
/// on a terminal, passwords are not echoed.
pub async fn run(args: SigninArgs) -> Result<(), Failure> {
    let connection = &args.connection;
    let config = connection.config(None)?;
    if args.flow.needs_pool_id() && !config.user_pool_id.contains('_') {
        return Err(Failure::Usage(
            "--pool-id is required for SRP sign-in (or KEYSTEP_POOL_ID)".into(),
        ));
    }
    let endpoint = config.endpoint_url();
    let auth = connection.auth(config)?;
    let refused = |e: AuthError| Failure::from_auth(&e, &endpoint);
    let mut prompter = Prompter::new();
    let username = match &args.username {
        Some(name) => name.clone(),
        None => prompter.line("Username: ")?,
    };
    let password = if args.flow.needs_password() {
        Some(prompter.secret("Password: ")?)
    } else {
        None
    };
    let options = SignInOptions {
        auth_flow: args.flow.auth_flow(),
        ..Default::default()
    };
    let mut result = auth
        .sign_in(&username, password.as_deref(), options)
        .await
        .map_err(refused)?;
    let mut wrong = 0;
    loop {
        let Some((answer, options)) = ask(&mut prompter, &result, &username)? else {
            return signed_in(&auth, &prompter, connection).await;
        };
        match auth.confirm_sign_in(&answer, options).await {
            Ok(next) => result = next,
            Err(
                e @ (AuthError::CodeMismatch { .. }
                | AuthError::InvalidPassword { .. }
                | AuthError::InvalidParameter { .. }),
            ) if wrong + 1 < RETRIES => {
                wrong += 1;
                let message = refused(e).message();
                prompter.say(&format!("{message} Try again."));
            }
            Err(e) => return Err(refused(e)),
        }
    }
}

/// What to answer for the current step; `None` when signed in.
fn ask(
    prompter: &mut Prompter,
    result: &SignInResult,
    username: &str,
) -> Result<Option<(String, ConfirmSignInOptions)>, Failure> {
    let mut options = ConfirmSignInOptions::default();
    let answer = match &result.next_step {
        SignInStep::Done => return Ok(None),
        SignInStep::ConfirmSignInWithSmsMfaCode { delivery } => prompter.line(&format!(
            "Enter the code sent by text message{}: ",
            to(delivery.as_ref())
        ))?,
        SignInStep::ConfirmSignInWithEmailCode { delivery } => prompter.line(&format!(
            "Enter the code sent by e-mail{}: ",
            to(delivery.as_ref())
        ))?,
        SignInStep::ConfirmSignInWithTotpCode => {
            prompter.line("Enter the code from your authenticator app: ")?
        }
        SignInStep::ConfirmSignInWithCustomChallenge { info } => {
            prompter.say("The pool asks a question of its own:");
            for (key, value) in info.iter().filter(|(k, _)| k.as_str() != "USERNAME") {
                prompter.say(&format!("  {key}: {value}"));
            }
            prompter.line("Answer: ")?
        }
        SignInStep::ConfirmSignInWithNewPassword { missing_attributes } => {
            prompter.say("You must choose a new password.");
            let password = prompter.new_password("New password: ")?;
            let mut attributes = BTreeMap::new();
            if !missing_attributes.is_empty() {
                prompter.say("The pool also needs these attributes:");
            }
            for name in missing_attributes {
                attributes.insert(name.clone(), prompter.line(&format!("{name}: "))?);
            }
            options.user_attributes = attributes;
            password
        }
        SignInStep::ContinueSignInWithTotpSetup {
            shared_secret,
            setup_uri,
        } => {
            prompter.say("Set up an authenticator app (TOTP) for this account.");
            prompter.say(&format!("  Secret key: {shared_secret}"));
            prompter.say(&format!("  Or open (or make a QR code of): {setup_uri}"));
            prompter.line("Enter the code the app shows: ")?
        }
        SignInStep::ContinueSignInWithMfaSelection { allowed } => {
            prompter.say("Choose how to receive your sign-in code:");
            choose_mfa(prompter, allowed)?
        }
        SignInStep::ContinueSignInWithMfaSetupSelection { allowed } => {
            prompter.say("This pool requires MFA. Choose a method to set up:");
            choose_mfa(prompter, allowed)?
        }
        SignInStep::ContinueSignInWithFirstFactorSelection { available } => {
            prompter.say("Choose how to sign in:");
            let names: Vec<&str> = available.iter().map(|f| describe(*f)).collect();
            let i = prompter.choose("Sign in with: ", &names)?;
            available
                .get(i)
                .map(|f| f.as_str().to_string())
                .unwrap_or_default()
        }
        SignInStep::ConfirmSignInWithPassword => prompter.secret("Password: ")?,
        SignInStep::ContinueSignInWithEmailMfaSetup => {
            prompter.line("E-mail address to receive sign-in codes: ")?
        }
        SignInStep::ResetPassword => {
            return Err(Failure::Refused(format!(
                "The password of {username} must be reset first: run `keystep reset-password --username {username}`."
            )))
        }
        SignInStep::ConfirmSignUp => {
            return Err(Failure::Refused(format!(
                "{username} is not confirmed yet: run `keystep signup --confirm --username {username}` with the code that was sent."
            )))
        }
        other => {
            return Err(Failure::Refused(format!(
                "This sign-in needs a step keystep signin does not know: {other:?}"
            )))
        }
    };
    Ok(Some((answer.trim().to_string(), options)))
}

/// A first factor as the menu shows it.
fn describe(factor: FirstFactor) -> &'static str {
    match factor {
        FirstFactor::PasswordSrp => "password (SRP: it never leaves this machine)",
        FirstFactor::Password => "password (sent over the connection)",
        FirstFactor::EmailOtp => "a code sent by e-mail",
        FirstFactor::SmsOtp => "a code sent by text message",
    }
}

fn choose_mfa(prompter: &mut Prompter, allowed: &[MfaType]) -> Result<String, Failure> {
    let names: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
    let i = prompter.choose("Method: ", &names)?;
    Ok(names.get(i).copied().unwrap_or_default().to_string())
}

fn to(delivery: Option<&CodeDelivery>) -> String {
    delivery
        .and_then(|d| d.destination.as_deref())
        .map(|d| format!(" to {d}"))
        .unwrap_or_default()
}

async fn signed_in(
    auth: &Auth,
    prompter: &Prompter,
    connection: &Connection,
) -> Result<(), Failure> {
    let user = auth
        .get_current_user()
        .await
        .map_err(|e| Failure::from_auth(&e, &auth.config().endpoint_url()))?;
    prompter.say(&format!(
        "Signed in as {} (sub {}).",
        user.username, user.user_id
    ));
    prompter.say(&format!(
        "Tokens saved in {}.",
        connection.token_path().display()
    ));
    Ok(())
}
