//! `AdminListUserAuthEvents` and `AdminUpdateAuthEventFeedback`.

use crate::auth_event::{AuthEvent, Feedback};
use crate::error::AuthError;
use crate::ports::Page;

use super::Keystep;

fn invalid(message: &str) -> AuthError {
    AuthError::InvalidParameter(message.into())
}

impl Keystep {
    /// `AdminListUserAuthEvents`: the user's sign-ins, newest first; `MaxResults` 0–60
    /// (absent or 0: 60).
    pub async fn admin_list_user_auth_events(
        &self,
        pool_id: &str,
        username: &str,
        max_results: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<Page<AuthEvent>, AuthError> {
        let limit = match max_results {
            None | Some(0) => 60,
            Some(n) if (1..=60).contains(&n) => n as u32,
            Some(_) => {
                return Err(invalid(
                    "1 validation error detected: Value at 'maxResults' failed to satisfy \
                     constraint: Member must have value between 0 and 60",
                ))
            }
        };
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        let context = format!("auth-events:{}:{}", pool.id, user.sub);
        let after = match next_token {
            Some(token) => Some(self.open_page_key(&context, token)?),
            None => None,
        };
        // Steps recorded on this node are written before they are read.
        self.auth_events.flush().await;
        let mut page = self
            .store
            .list_auth_events(&pool.id, &user.sub, after.as_deref(), limit)
            .await?;
        page.next = page.next.map(|key| self.seal_page_key(&context, &key));
        Ok(page)
    }

    /// `AdminUpdateAuthEventFeedback`: marks one of the user's events `Valid` or
    /// `Invalid`.
    pub async fn admin_update_auth_event_feedback(
        &self,
        pool_id: &str,
        username: &str,
        event_id: &str,
        value: &str,
    ) -> Result<(), AuthError> {
        if !matches!(value, "Valid" | "Invalid") {
            return Err(invalid(
                "1 validation error detected: Value at 'feedbackValue' failed to satisfy \
                 constraint: Member must satisfy enum value set: [Valid, Invalid]",
            ));
        }
        let id_ok = (1..=50).contains(&event_id.len())
            && event_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c));
        if !id_ok {
            return Err(invalid(
                "1 validation error detected: Value at 'eventId' failed to satisfy \
                 constraint: Member must satisfy regular expression pattern: [\\w+-]+",
            ));
        }
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        let feedback = Feedback {
            value: value.to_string(),
            provider: "Admin".into(),
            at: self.clock.now(),
        };
        self.auth_events.flush().await;
        if !self
            .store
            .set_auth_event_feedback(&pool.id, &user.sub, event_id, &feedback)
            .await?
        {
            return Err(AuthError::ResourceNotFound(
                "The auth event does not exist.".into(),
            ));
        }
        Ok(())
    }
}
