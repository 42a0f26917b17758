//! The body of an error response.

use serde::{Deserialize, Serialize};

/// Error body: `{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`.
///
/// `__type` is the bare exception name (see `names::error`); clients key on it. On input, a
/// capitalised `Message` (sent by some services) is accepted too, and a missing message is empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Exception name, e.g. `NotAuthorizedException`.
    #[serde(rename = "__type")]
    pub type_: String,
    /// Human-readable message.
    #[serde(rename = "message", alias = "Message", default)]
    pub message: String,
}

impl ErrorBody {
    /// An error body with the given exception name and message.
    pub fn new(type_: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorBody {
            type_: type_.into(),
            message: message.into(),
        }
    }
}
