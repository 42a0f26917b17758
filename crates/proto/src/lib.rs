//! Wire types of the Amazon Cognito user-pools API (`cognito-idp`, awsJson1.1).
//!
//! One `<Operation>Request` and one `<Operation>Response` per supported operation, plus the shapes
//! they share, the error body and the wire string constants (`names`). Member names follow the
//! service model exactly (`#[serde(rename)]` on every field); absent optional members are omitted
//! when serialising and unknown members are ignored when deserialising. Secrets are wrapped in
//! [`Sensitive`] or hidden by hand-written `Debug` impls, so `{:?}` never prints them.
//!
//! No logic and no I/O live here.

#![warn(missing_docs)]

mod account;
mod auth;
mod auth_events;
mod clients;
mod devices;
mod domains;
mod error;
mod groups;
mod identity_providers;
mod mfa;
pub mod names;
mod passwords;
mod pools;
mod resource_servers;
mod risk;
mod sensitive;
mod shapes;
mod signup;
mod tags;
mod tokens;
mod ui_customization;
mod user_import;
mod user_sessions;
mod users;
mod webauthn;

pub use account::*;
pub use auth::*;
pub use auth_events::*;
pub use clients::*;
pub use devices::*;
pub use domains::*;
pub use error::*;
pub use groups::*;
pub use identity_providers::*;
pub use mfa::*;
pub use passwords::*;
pub use pools::*;
pub use resource_servers::*;
pub use risk::*;
pub use sensitive::{KeysOnly, Sensitive};
pub use shapes::*;
pub use signup::*;
pub use tags::*;
pub use tokens::*;
pub use ui_customization::*;
pub use user_import::*;
pub use user_sessions::*;
pub use users::*;
pub use webauthn::*;
