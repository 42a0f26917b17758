//! Shapes shared by several operations (the model's `*Type` structures).

mod client;
mod context;
mod messages;
mod mfa;
mod pool;
mod user;

pub use client::*;
pub use context::*;
pub use messages::*;
pub use mfa::*;
pub use pool::*;
pub use user::*;
