//! The Keystep domain: user pools, app clients, users, groups, one-time codes and the
//! services that operate on them.
//!
//! `core` knows no HTTP, no SQL and no wire JSON. It reaches the world only through the
//! ports in [`ports`]: a [`ports::Store`], a [`ports::Clock`], a [`ports::Rng`], the
//! development outbox ([`ports::Messenger`]) and real senders ([`ports::Courier`]);
//! secrets are sealed and keyed by the [`keys::KeyRing`].

pub mod app_client;
pub mod attributes;
pub mod auth_event;
pub mod code;
pub mod device;
pub mod domain;
pub mod error;
pub mod federation;
pub mod group;
pub mod identity_provider;
pub mod ids;
pub mod keys;
pub mod limits;
pub mod message;
pub mod oauth;
pub mod oauth_client;
pub mod parcel;
pub mod passkey;
pub mod password_policy;
pub mod pool;
pub mod ports;
pub mod resource_server;
pub mod risk;
pub mod service;
pub mod signin;
pub mod signing;
pub mod time;
pub mod tokens;
pub mod totp;
pub mod triggers;
pub mod ui_customization;
pub mod user;
pub mod user_import;
pub mod user_session;

pub use error::{AuthError, StoreError};
pub use time::Millis;
