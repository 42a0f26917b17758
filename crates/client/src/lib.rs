//! keystep-client: an Amplify-style Auth API for Rust that talks to Keystep and to Amazon
//! Cognito user pools (the same wire protocol).
//!
//! The API follows Amplify JS v6: [`Auth::sign_in`] returns a [`SignInResult`] whose
//! [`SignInStep`] says what the user must do next, and [`Auth::confirm_sign_in`] answers
//! it. SRP is done for you; MFA, new-password, custom-challenge and TOTP-setup steps come
//! back as steps. Tokens are kept in a [`TokenStore`] and refreshed by
//! [`Auth::fetch_auth_session`].
//!
//! ```no_run
//! use keystep_client::{Auth, AuthConfig, ConfirmSignInOptions, SignInOptions, SignInStep};
//! # async fn demo() -> Result<(), keystep_client::AuthError> {
//! let auth = Auth::new(AuthConfig {
//!     user_pool_id: "us-east-1_XaMpLe123".into(),
//!     client_id: "1example23456789abcdefghij".into(),
//!     endpoint: Some("http://127.0.0.1:9229".into()),
//!     region: "us-east-1".into(),
//!     ..Default::default()
//! });
//! let mut result = auth.sign_in("alice", Some("Correct-Horse-9!"), SignInOptions::default()).await?;
//! while !result.is_signed_in {
//!     let answer = match &result.next_step {
//!         SignInStep::ConfirmSignInWithSmsMfaCode { .. } => "123456", // ask the user
//!         _ => break, // handle the other steps likewise
//!     };
//!     result = auth.confirm_sign_in(answer, ConfirmSignInOptions::default()).await?;
//! }
//! # Ok(()) }
//! ```
//!
//! Requests are unsigned awsJson 1.1 calls of the public operations only; nothing here
//! needs AWS credentials.

#![warn(missing_docs)]

mod account;
mod auth;
mod config;
mod device;
mod error;
mod session;
mod signin;
mod srp;
mod steps;
mod tokens;
mod wire;

pub use account::{
    ResetPasswordResult, ResetPasswordStep, SignUpOptions, SignUpResult, SignUpStep,
};
pub use auth::Auth;
pub use config::AuthConfig;
pub use device::DeviceInfo;
pub use error::AuthError;
pub use session::{
    AuthSession, AuthUser, FetchAuthSessionOptions, SignOutOptions, REFRESH_MARGIN_SECS,
};
pub use signin::{AuthFlow, ConfirmSignInOptions, SignInOptions};
#[doc(hidden)]
pub use srp::password_verifier_responses;
pub use steps::{totp_setup_uri, CodeDelivery, FirstFactor, MfaType, SignInResult, SignInStep};
pub use tokens::{FileTokenStore, MemoryTokenStore, RememberedDevice, TokenStore, Tokens};
