//! Amplify's `signIn` → switch on `nextStep` → `confirmSignIn`, in Rust.
//!
//! ```sh
//! KEYSTEP_POOL_ID=us-east-1_XXXX KEYSTEP_CLIENT_ID=xxxx KEYSTEP_ENDPOINT=http://127.0.0.1:9229 \
//!   cargo run -p keystep-client --example sign_in -- alice
//! ```
//! The password and any codes are read from standard input.

use std::io::{BufRead as _, Write as _};

use keystep_client::{
    Auth, AuthConfig, AuthError, ConfirmSignInOptions, SignInOptions, SignInStep,
};

fn ask(prompt: &str) -> String {
    print!("{prompt}: ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim().to_string()
}

#[tokio::main]
async fn main() -> Result<(), AuthError> {
    let env = |name: &str| std::env::var(name).ok();
    let auth = Auth::new(AuthConfig {
        user_pool_id: env("KEYSTEP_POOL_ID").unwrap_or_default(),
        client_id: env("KEYSTEP_CLIENT_ID").unwrap_or_default(),
        client_secret: env("KEYSTEP_CLIENT_SECRET"),
        endpoint: env("KEYSTEP_ENDPOINT"),
        region: env("AWS_REGION").unwrap_or_else(|| "us-east-1".into()),
    });
    let username = std::env::args().nth(1).unwrap_or_else(|| ask("Username"));
    let password = ask("Password");

    let mut result = auth
        .sign_in(&username, Some(&password), SignInOptions::default())
        .await?;
    loop {
        let mut options = ConfirmSignInOptions::default();
        let answer = match &result.next_step {
            SignInStep::Done => break,
            SignInStep::ConfirmSignInWithSmsMfaCode { delivery } => {
                let to = delivery.as_ref().and_then(|d| d.destination.clone());
                ask(&format!("SMS code sent to {}", to.unwrap_or_default()))
            }
            SignInStep::ConfirmSignInWithEmailCode { delivery } => {
                let to = delivery.as_ref().and_then(|d| d.destination.clone());
                ask(&format!("E-mail code sent to {}", to.unwrap_or_default()))
            }
            SignInStep::ConfirmSignInWithTotpCode => ask("Authenticator code"),
            SignInStep::ConfirmSignInWithCustomChallenge { info } => {
                ask(&format!("Answer the challenge {info:?}"))
            }
            SignInStep::ConfirmSignInWithNewPassword { missing_attributes } => {
                for name in missing_attributes {
                    let value = ask(name);
                    options.user_attributes.insert(name.clone(), value);
                }
                ask("New password")
            }
            SignInStep::ContinueSignInWithTotpSetup {
                shared_secret,
                setup_uri,
            } => {
                println!("Add this key to your authenticator: {shared_secret}\n  ({setup_uri})");
                options.friendly_device_name = Some("keystep example".into());
                ask("Code from the authenticator")
            }
            SignInStep::ContinueSignInWithMfaSelection { allowed }
            | SignInStep::ContinueSignInWithMfaSetupSelection { allowed } => {
                let names: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
                ask(&format!("Choose one of {}", names.join(", ")))
            }
            SignInStep::ContinueSignInWithEmailMfaSetup => ask("E-mail address for MFA codes"),
            SignInStep::ResetPassword => {
                println!("The password must be reset first (auth.reset_password).");
                return Ok(());
            }
            SignInStep::ConfirmSignUp => {
                println!("The account is not confirmed yet (auth.confirm_sign_up).");
                return Ok(());
            }
            other => {
                println!("Step not handled by this example: {other:?}");
                return Ok(());
            }
        };
        result = match auth.confirm_sign_in(&answer, options).await {
            Ok(next) => next,
            // A wrong code keeps the sign-in going: ask again.
            Err(AuthError::CodeMismatch { message }) => {
                println!("{message}");
                continue;
            }
            Err(e) => return Err(e),
        };
    }
    let user = auth.get_current_user().await?;
    println!("Signed in as {} ({})", user.username, user.user_id);
    Ok(())
}
