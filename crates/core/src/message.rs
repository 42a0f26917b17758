//! Messages Keystep sends (codes by SMS or e-mail) and the outbox that records them.

use serde::{Deserialize, Serialize};

use crate::Millis;

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Medium {
    /// A text message to `phone_number`.
    Sms,
    /// An e-mail to `email`.
    Email,
}

impl Medium {
    /// The wire name (`SMS` / `EMAIL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Medium::Sms => "SMS",
            Medium::Email => "EMAIL",
        }
    }

    /// The attribute a message of this medium goes to.
    pub fn attribute(self) -> &'static str {
        match self {
            Medium::Sms => "phone_number",
            Medium::Email => "email",
        }
    }
}

/// Why a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessagePurpose {
    /// Sign-up confirmation code.
    SignUp,
    /// Re-sent sign-up code.
    ResendCode,
    /// Password reset code.
    ForgotPassword,
    /// Invitation with a temporary password.
    AdminCreateUser,
    /// Attribute verification code.
    VerifyUserAttribute,
    /// Attribute changed: verification code.
    UpdateUserAttribute,
    /// MFA code during sign-in.
    Authentication,
}

impl MessagePurpose {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessagePurpose::SignUp => "sign_up",
            MessagePurpose::ResendCode => "resend_code",
            MessagePurpose::ForgotPassword => "forgot_password",
            MessagePurpose::AdminCreateUser => "admin_create_user",
            MessagePurpose::VerifyUserAttribute => "verify_user_attribute",
            MessagePurpose::UpdateUserAttribute => "update_user_attribute",
            MessagePurpose::Authentication => "authentication",
        }
    }
}

/// One message on its way out.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct OutgoingMessage {
    /// The pool.
    pub pool_id: String,
    /// The recipient's canonical username.
    pub username: String,
    /// SMS or e-mail.
    pub medium: Medium,
    /// The phone number or e-mail address (unmasked).
    pub destination: String,
    /// Why it is sent.
    pub purpose: MessagePurpose,
    /// The code or temporary password it carries, for the development outbox.
    pub code: Option<String>,
    /// E-mail subject.
    pub subject: Option<String>,
    /// The text, code included.
    pub body: String,
    /// When it was sent.
    pub created_at: Millis,
}

impl std::fmt::Debug for OutgoingMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMessage")
            .field("pool_id", &self.pool_id)
            .field("username", &self.username)
            .field("medium", &self.medium)
            .field("purpose", &self.purpose)
            .field("code", &self.code.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// A message as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Sequence number.
    pub id: i64,
    /// The message.
    pub message: OutgoingMessage,
}

/// What to read from the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxFilter {
    /// Only this pool.
    pub pool_id: Option<String>,
    /// Only this username, or messages sent to this address.
    pub username: Option<String>,
    /// At most this many (newest last).
    pub limit: Option<u32>,
}

/// Fills a template's `{####}` with the code and `{username}` with the username.
pub fn render_template(template: &str, code: &str, username: &str) -> String {
    template
        .replace("{####}", code)
        .replace("{username}", username)
}
