//! `keystep signup` and `keystep reset-password`.

use std::collections::BTreeMap;

use clap::Args;
use keystep_client::{AuthError, CodeDelivery, ResetPasswordStep, SignUpOptions, SignUpStep};

use super::prompt::Prompter;
use super::{Connection, Failure};

/// `keystep signup` options.
#[derive(Debug, Args)]
pub struct SignupArgs {
    #[command(flatten)]
    pub connection: Connection,
    /// The new username; asked if not given.
    #[arg(long)]
    pub username: Option<String>,
    /// An attribute of the new user, `name=value` (e.g. `email=alice@example.com`);
    /// repeat for more.
    #[arg(long = "attribute", value_name = "NAME=VALUE")]
    pub attributes: Vec<String>,
    /// Only confirm an existing sign-up with its code (no SignUp call). A sign-up made
    /// from a script whose input ends before the code arrived is confirmed this way later.
    #[arg(long)]
    pub confirm: bool,
}

/// `keystep reset-password` options.
#[derive(Debug, Args)]
pub struct ResetArgs {
    #[command(flatten)]
    pub connection: Connection,
    /// The username; asked if not given.
    #[arg(long)]
    pub username: Option<String>,
}

const RETRIES: usize = 3;

/// Signs a user up, then asks for the confirmation code (an empty answer sends a new one).
pub async fn signup(args: SignupArgs) -> Result<(), Failure> {
    let mut attributes = BTreeMap::new();
    for pair in &args.attributes {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Failure::Usage(format!(
                "--attribute takes NAME=VALUE, not \"{pair}\""
            )));
        };
        attributes.insert(name.to_string(), value.to_string());
    }
    let config = args.connection.config(None)?;
    let endpoint = config.endpoint_url();
    let refused = |e: AuthError| Failure::from_auth(&e, &endpoint);
    let auth = args.connection.auth(config.clone())?;
    let mut prompter = Prompter::new();
    let username = match &args.username {
        Some(name) => name.clone(),
        None => prompter.line("Username: ")?,
    };
    if !args.confirm {
        let password = prompter.new_password("Password: ")?;
        let options = SignUpOptions {
            user_attributes: attributes,
            ..Default::default()
        };
        let result = auth
            .sign_up(&username, &password, options)
            .await
            .map_err(refused)?;
        match result.next_step {
            SignUpStep::ConfirmSignUp { delivery } => {
                prompter.say(&format!(
                    "Signed up. A confirmation code was sent{}.",
                    to(delivery.as_ref())
                ));
            }
            _ => {
                prompter.say(&format!(
                    "Signed up and confirmed: sign in with `keystep signin --username {username}`."
                ));
                return Ok(());
            }
        }
    }
    let mut wrong = 0;
    loop {
        let Some(code) = prompter.line_or_end("Confirmation code (empty for a new one): ")? else {
            if args.confirm {
                return Err(Failure::Usage(
                    "no confirmation code given (end of input)".into(),
                ));
            }
            // A script signed up and had no code to give: not an error, a later step.
            prompter.say(&format!(
                "Signed up, not confirmed yet. When the code arrives: \
                 keystep signup --confirm --username {username}"
            ));
            return Ok(());
        };
        let code = code.trim();
        if code.is_empty() {
            let delivery = auth.resend_sign_up_code(&username).await.map_err(refused)?;
            prompter.say(&format!("A new code was sent{}.", to(Some(&delivery))));
            continue;
        }
        match auth.confirm_sign_up(&username, code).await {
            Ok(_) => break,
            Err(e @ AuthError::CodeMismatch { .. }) if wrong + 1 < RETRIES => {
                wrong += 1;
                let message = refused(e).message();
                prompter.say(&format!("{message} Try again."));
            }
            Err(e) => return Err(refused(e)),
        }
    }
    prompter.say(&format!(
        "Confirmed: sign in with `keystep signin --username {username}`."
    ));
    Ok(())
}

/// Sends a reset code, then asks for it and the new password.
pub async fn reset_password(args: ResetArgs) -> Result<(), Failure> {
    let config = args.connection.config(None)?;
    let endpoint = config.endpoint_url();
    let refused = |e: AuthError| Failure::from_auth(&e, &endpoint);
    let auth = args.connection.auth(config.clone())?;
    let mut prompter = Prompter::new();
    let username = match &args.username {
        Some(name) => name.clone(),
        None => prompter.line("Username: ")?,
    };
    let result = auth.reset_password(&username).await.map_err(refused)?;
    if let ResetPasswordStep::ConfirmResetPasswordWithCode { delivery } = &result.next_step {
        prompter.say(&format!("A reset code was sent{}.", to(delivery.as_ref())));
    }
    let mut wrong = 0;
    loop {
        let code = prompter.line("Reset code: ")?;
        let password = prompter.new_password("New password: ")?;
        match auth
            .confirm_reset_password(&username, &password, code.trim())
            .await
        {
            Ok(()) => break,
            Err(e @ (AuthError::CodeMismatch { .. } | AuthError::InvalidPassword { .. }))
                if wrong + 1 < RETRIES =>
            {
                wrong += 1;
                let message = refused(e).message();
                prompter.say(&format!("{message} Try again."));
            }
            Err(e) => return Err(refused(e)),
        }
    }
    prompter.say(&format!(
        "Password changed: sign in with `keystep signin --username {username}`."
    ));
    Ok(())
}

fn to(delivery: Option<&CodeDelivery>) -> String {
    match delivery {
        Some(CodeDelivery {
            destination: Some(destination),
            ..
        }) => format!(" to {destination}"),
        _ => String::new(),
    }
}
