//! `keystep signin`, `signup`, `reset-password`, `whoami`, `signout`: a user's side of a
//! user pool from the terminal, on top of keystep-client. They talk to Keystep (or to
//! Amazon Cognito) over the public, unsigned API only.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use keystep_client::{Auth, AuthConfig, AuthError, AuthFlow, FileTokenStore, Tokens};

mod account;
mod prompt;
mod session;
mod signin;

/// The user commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Sign in as a user, answering every step (MFA codes, new password, TOTP setup,
    /// custom challenges) at the prompt; keeps the tokens in the token file.
    ///
    /// On a terminal, passwords are typed without echo. When stdin is not a terminal (a
    /// pipe, a file), every answer, passwords included, is the next line of stdin.
    /// Exit code: 0 signed in, 1 refused (wrong password, wrong code, ...), 2 usage error
    /// (a missing option, no more input).
    Signin(signin::SigninArgs),
    /// Create a user (SignUp) and confirm it with the code that was sent.
    Signup(account::SignupArgs),
    /// Reset a forgotten password with a code (ForgotPassword, ConfirmForgotPassword).
    ResetPassword(account::ResetArgs),
    /// Show the signed-in user (username and sub) from the token file, refreshing the
    /// tokens if they are about to expire.
    Whoami(session::WhoamiArgs),
    /// Sign out: revoke the refresh token (or, with --global, every token of the user)
    /// and delete the token file.
    Signout(session::SignoutArgs),
}

/// Runs a user command: exit code 0 when it did what was asked, 1 when the service (or
/// the person) refused, 2 for usage errors.
pub async fn run(command: UserCommand) -> ExitCode {
    let result = match command {
        UserCommand::Signin(args) => signin::run(args).await,
        UserCommand::Signup(args) => account::signup(args).await,
        UserCommand::ResetPassword(args) => account::reset_password(args).await,
        UserCommand::Whoami(args) => session::whoami(args).await,
        UserCommand::Signout(args) => session::signout(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Refused(message)) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("keystep: {message}");
            ExitCode::from(2)
        }
    }
}

/// Why a user command stopped.
#[derive(Debug)]
pub enum Failure {
    /// The service or the person said no (exit code 1).
    Refused(String),
    /// The command was used wrongly (exit code 2).
    Usage(String),
}

impl Failure {
    /// The message alone.
    pub fn message(self) -> String {
        match self {
            Failure::Refused(message) | Failure::Usage(message) => message,
        }
    }

    /// The failure for an error of keystep-client, with a message a person understands.
    pub fn from_auth(e: &AuthError, endpoint: &str) -> Failure {
        let server = |m: &str, fallback: &str| {
            if m.is_empty() {
                fallback.to_string()
            } else {
                m.to_string()
            }
        };
        match e {
            AuthError::NotAuthorized { message } => {
                Failure::Refused(server(message, "Incorrect username or password."))
            }
            AuthError::UserNotFound { message } => {
                Failure::Refused(server(message, "Incorrect username or password."))
            }
            AuthError::CodeMismatch { message } => {
                Failure::Refused(server(message, "That code is not right."))
            }
            AuthError::ExpiredCode { message } => {
                Failure::Refused(server(message, "That code has expired: ask for a new one."))
            }
            AuthError::InvalidPassword { message } => Failure::Refused(server(
                message,
                "That password does not meet the pool's password policy.",
            )),
            AuthError::LimitExceeded { message } => Failure::Refused(server(
                message,
                "Too many attempts: wait a while and try again.",
            )),
            AuthError::NotSignedIn => Failure::Refused("Not signed in.".into()),
            AuthError::Network { message } => {
                Failure::Refused(format!("Cannot reach {endpoint}: {message}"))
            }
            AuthError::InvalidParameter { message } => Failure::Usage(message.clone()),
            other => Failure::Refused(other.to_string()),
        }
    }
}

/// Where a Keystep started with the defaults listens.
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:9229";

/// The endpoint given (flag or `KEYSTEP_ENDPOINT`), else
/// `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, else [`DEFAULT_ENDPOINT`].
pub fn default_endpoint(given: Option<String>) -> String {
    given
        .filter(|e| !e.is_empty())
        .or_else(|| {
            std::env::var("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
                .ok()
                .filter(|e| !e.is_empty())
        })
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
}

/// The server that issued `tokens`: their `iss` without the pool id. For Amazon Cognito
/// (`https://cognito-idp.<region>.amazonaws.com/<pool>`) that is `cognito`.
fn issuer_endpoint(tokens: &Tokens) -> Option<String> {
    let iss = tokens
        .access_claims()
        .or_else(|| tokens.id_claims())?
        .get("iss")?
        .as_str()?
        .to_string();
    let (base, _pool) = iss.rsplit_once('/')?;
    if base.contains(".amazonaws.com") {
        return Some("cognito".into());
    }
    (base.starts_with("http://") || base.starts_with("https://")).then(|| base.to_string())
}

/// Where the service is and which pool and app client to use.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// The service URL; `cognito` means Amazon Cognito in --region. Without it:
    /// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (as `keystep serve` prints it); for
    /// whoami and signout, the server the stored tokens came from; else
    /// http://127.0.0.1:9229.
    #[arg(long, env = "KEYSTEP_ENDPOINT")]
    pub endpoint: Option<String>,
    /// AWS region (for --endpoint cognito); by default the pool id's prefix.
    #[arg(long)]
    pub region: Option<String>,
    /// User pool id (`us-east-1_...`). whoami and signout read it from the stored tokens.
    #[arg(long, env = "KEYSTEP_POOL_ID")]
    pub pool_id: Option<String>,
    /// App client id. whoami and signout read it from the stored tokens.
    #[arg(long, env = "KEYSTEP_CLIENT_ID")]
    pub client_id: Option<String>,
    /// App client secret, for clients that have one.
    #[arg(long, env = "KEYSTEP_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// Token file (JSON, mode 0600). Default: $XDG_CACHE_HOME/keystep/tokens.json, else
    /// $HOME/.cache/keystep/tokens.json, else ./.keystep-tokens.json.
    #[arg(long, env = "KEYSTEP_TOKENS")]
    pub tokens: Option<PathBuf>,
}

/// The sign-in flow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Flow {
    /// USER_SRP_AUTH: the password never leaves this machine.
    #[default]
    Srp,
    /// USER_PASSWORD_AUTH: the password is sent (over TLS, one hopes).
    Password,
    /// CUSTOM_AUTH: the pool's triggers ask their own questions; no password.
    Custom,
    /// CUSTOM_AUTH starting with SRP: the password first, then the triggers' questions.
    CustomSrp,
    /// USER_AUTH: choose a first factor (password, or a code by e-mail or SMS) from the
    /// ones the pool and the user allow.
    UserAuth,
}

impl Flow {
    fn auth_flow(self) -> AuthFlow {
        match self {
            Flow::Srp => AuthFlow::UserSrp,
            Flow::Password => AuthFlow::UserPassword,
            Flow::Custom => AuthFlow::CustomWithoutSrp,
            Flow::CustomSrp => AuthFlow::CustomWithSrp,
            Flow::UserAuth => AuthFlow::UserAuth { preferred: None },
        }
    }

    fn needs_password(self) -> bool {
        !matches!(self, Flow::Custom | Flow::UserAuth)
    }

    fn needs_pool_id(self) -> bool {
        // USER_AUTH may end in SRP if the user picks it.
        matches!(self, Flow::Srp | Flow::CustomSrp | Flow::UserAuth)
    }
}

impl Connection {
    /// The token file.
    pub fn token_path(&self) -> PathBuf {
        if let Some(path) = &self.tokens {
            return path.clone();
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|home| PathBuf::from(home).join(".cache"))
            });
        match base {
            Some(dir) => dir.join("keystep").join("tokens.json"),
            None => PathBuf::from(".keystep-tokens.json"),
        }
    }

    /// The token store, its folder created (0700) if needed.
    pub fn store(&self) -> Result<FileTokenStore, Failure> {
        let path = self.token_path();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.exists() {
                let mut builder = std::fs::DirBuilder::new();
                builder.recursive(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::DirBuilderExt as _;
                    builder.mode(0o700);
                }
                builder
                    .create(dir)
                    .map_err(|e| Failure::Usage(format!("cannot create {}: {e}", dir.display())))?;
            }
        }
        Ok(FileTokenStore::new(path))
    }

    /// The client configuration; the pool and client ids from the flags, else from
    /// `tokens` (the `iss` and `client_id` claims).
    pub fn config(&self, tokens: Option<&Tokens>) -> Result<AuthConfig, Failure> {
        let claim = |claims: Option<serde_json::Map<String, serde_json::Value>>, key: &str| {
            claims.and_then(|c| c.get(key).and_then(|v| v.as_str()).map(str::to_string))
        };
        let pool_id = self.pool_id.clone().or_else(|| {
            let tokens = tokens?;
            let iss = claim(tokens.access_claims(), "iss")
                .or_else(|| claim(tokens.id_claims(), "iss"))?;
            iss.rsplit('/').next().map(str::to_string)
        });
        let client_id = self.client_id.clone().or_else(|| {
            let tokens = tokens?;
            claim(tokens.access_claims(), "client_id").or_else(|| claim(tokens.id_claims(), "aud"))
        });
        let Some(client_id) = client_id.filter(|c| !c.is_empty()) else {
            return Err(Failure::Usage(
                "--client-id is required (or KEYSTEP_CLIENT_ID)".into(),
            ));
        };
        let pool_id = pool_id.unwrap_or_default();
        let region = self.region.clone().unwrap_or_else(|| {
            pool_id
                .split_once('_')
                .map_or("us-east-1", |(region, _)| region)
                .to_string()
        });
        let endpoint = match &self.endpoint {
            Some(e) => e.clone(),
            None => std::env::var("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
                .ok()
                .filter(|e| !e.is_empty())
                .or_else(|| tokens.and_then(issuer_endpoint))
                .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string()),
        };
        let endpoint = (endpoint != "cognito").then_some(endpoint);
        Ok(AuthConfig {
            user_pool_id: pool_id,
            client_id,
            client_secret: self.client_secret.clone(),
            endpoint,
            region,
        })
    }

    /// A client for `config` keeping its tokens in the token file.
    pub fn auth(&self, config: AuthConfig) -> Result<Auth, Failure> {
        Ok(Auth::with_token_store(config, self.store()?))
    }
}
