//! `keystep whoami` and `keystep signout`.

use clap::Args;
use keystep_client::{FetchAuthSessionOptions, SignOutOptions, TokenStore as _};

use super::{Connection, Failure};

/// `keystep whoami` options.
#[derive(Debug, Args)]
pub struct WhoamiArgs {
    #[command(flatten)]
    pub connection: Connection,
    /// Refresh the tokens even if they are still fresh (checks the session with the
    /// server).
    #[arg(long)]
    pub refresh: bool,
}

/// `keystep signout` options.
#[derive(Debug, Args)]
pub struct SignoutArgs {
    #[command(flatten)]
    pub connection: Connection,
    /// Sign out everywhere: revoke every token of the user (GlobalSignOut).
    #[arg(long)]
    pub global: bool,
}

/// Prints the signed-in user's username and sub.
pub async fn whoami(args: WhoamiArgs) -> Result<(), Failure> {
    let store = args.connection.store()?;
    let tokens = store
        .load()
        .map_err(|e| Failure::Refused(e.to_string()))?
        .ok_or_else(|| Failure::Refused("Not signed in.".into()))?;
    let config = args.connection.config(Some(&tokens))?;
    let endpoint = config.endpoint_url();
    let auth = args.connection.auth(config)?;
    auth.fetch_auth_session(FetchAuthSessionOptions {
        force_refresh: args.refresh,
    })
    .await
    .map_err(|e| match Failure::from_auth(&e, &endpoint) {
        Failure::Refused(message) => Failure::Refused(format!("Not signed in: {message}")),
        usage => usage,
    })?;
    let user = auth
        .get_current_user()
        .await
        .map_err(|e| Failure::from_auth(&e, &endpoint))?;
    println!("username: {}", user.username);
    println!("sub: {}", user.user_id);
    Ok(())
}

/// Signs out and deletes the token file.
pub async fn signout(args: SignoutArgs) -> Result<(), Failure> {
    let store = args.connection.store()?;
    let tokens = store.load().map_err(|e| Failure::Refused(e.to_string()))?;
    let Some(tokens) = tokens else {
        println!("Not signed in.");
        return Ok(());
    };
    let config = args.connection.config(Some(&tokens))?;
    let endpoint = config.endpoint_url();
    let auth = args.connection.auth(config)?;
    auth.sign_out(SignOutOptions {
        global: args.global,
    })
    .await
    .map_err(|e| match Failure::from_auth(&e, &endpoint) {
        Failure::Refused(message) => Failure::Refused(format!(
            "Signed out here, but the server did not revoke the tokens: {message}"
        )),
        usage => usage,
    })?;
    println!(
        "Signed out{}.",
        if args.global { " everywhere" } else { "" }
    );
    Ok(())
}
