//! User sessions and session configuration: `Get/SetUserPoolSessionConfiguration`,
//! `Get/SetUserPoolClientSessionConfiguration`, `ListUserSessions`,
//! `AdminListUserSessions`, `RevokeUserSession`, `AdminRevokeUserSession`.

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::pool::{PoolTier, UserPool};
use crate::ports::RefreshTokenRow;
use crate::user::User;
use crate::user_session::{
    is_session_id, token_session_id, SessionTracking, TokenSession, DEFAULT_SSO_VALIDITY_MINUTES,
    MAX_LISTED,
};

use super::Keystep;

/// How often a configuration change is retried after losing a race.
const ATTEMPTS: usize = 16;

/// One session as the list operations show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    /// `tkn…`.
    pub session_id: String,
    /// The session.
    pub session: TokenSession,
    /// Whether the caller's access token belongs to it (never, for the admin list).
    pub current: bool,
}

fn invalid(message: String) -> AuthError {
    AuthError::InvalidParameter(message)
}

fn not_tracking() -> AuthError {
    AuthError::OperationNotEnabled(
        "User session tracking is not enabled for this user pool \
         (SetUserPoolSessionConfiguration with UserSessionTracking ENABLED)."
            .into(),
    )
}

fn needs_plan(pool: &UserPool) -> Result<(), AuthError> {
    if pool.settings.tier == PoolTier::Lite {
        return Err(AuthError::FeatureUnavailableInTier(
            "Session configuration needs the ESSENTIALS or PLUS feature plan.".into(),
        ));
    }
    Ok(())
}

fn check_associated(value: Option<&str>) -> Result<(), AuthError> {
    match value {
        None | Some("NONE") | Some("LINKED") => Ok(()),
        Some(_) => Err(invalid(
            "1 validation error detected: Value at 'revokeAssociatedSessions' failed to \
             satisfy constraint: Member must satisfy enum value set: [NONE, LINKED]"
                .into(),
        )),
    }
}

fn check_session_id(id: &str) -> Result<(), AuthError> {
    if !is_session_id(id) {
        return Err(invalid(
            "1 validation error detected: Value at 'sessionId' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: ^(tkn|sso)[a-z0-9]{25}$"
                .into(),
        ));
    }
    Ok(())
}

impl Keystep {
    /// `GetUserPoolSessionConfiguration`.
    pub async fn get_user_pool_session_configuration(
        &self,
        pool_id: &str,
    ) -> Result<(UserPool, SessionTracking), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let tracking = pool.settings.session_tracking;
        Ok((pool, tracking))
    }

    /// `SetUserPoolSessionConfiguration`: both members replace the stored ones.
    pub async fn set_user_pool_session_configuration(
        &self,
        pool_id: &str,
        tracking: &str,
        max_per_user: i64,
    ) -> Result<(UserPool, SessionTracking), AuthError> {
        let enabled = match tracking {
            "ENABLED" => true,
            "DISABLED" => false,
            _ => {
                return Err(invalid(
                    "1 validation error detected: Value at 'userSessionTracking' failed to \
                     satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"
                        .into(),
                ))
            }
        };
        if !(1..=100).contains(&max_per_user) {
            return Err(invalid(
                "1 validation error detected: Value at 'tokenSession.maxPerUser' failed to \
                 satisfy constraint: Member must have value between 1 and 100"
                    .into(),
            ));
        }
        let wanted = SessionTracking {
            enabled,
            max_per_user: max_per_user as u32,
        };
        for _ in 0..ATTEMPTS {
            let mut pool = self.load_pool(pool_id).await?;
            needs_plan(&pool)?;
            let before = pool.touch(self.clock.now());
            std::sync::Arc::make_mut(&mut pool.settings).session_tracking = wanted;
            if self.store.update_pool_if(&pool, before).await? {
                return Ok((pool, wanted));
            }
        }
        Err(super::pools::pool_changed_concurrently())
    }

    /// `GetUserPoolClientSessionConfiguration`: `MaxValidityMinutes` (60 when never set).
    pub async fn get_client_session_configuration(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<(AppClient, u32), AuthError> {
        let (client, _) = self.load_pool_client(pool_id, client_id).await?;
        let minutes = client
            .settings
            .sso_session_minutes
            .unwrap_or(DEFAULT_SSO_VALIDITY_MINUTES);
        Ok((client, minutes))
    }

    /// `SetUserPoolClientSessionConfiguration`: needs session tracking on the pool.
    pub async fn set_client_session_configuration(
        &self,
        pool_id: &str,
        client_id: &str,
        max_validity_minutes: i64,
    ) -> Result<(AppClient, u32), AuthError> {
        if !(0..=129_600).contains(&max_validity_minutes) {
            return Err(invalid(
                "1 validation error detected: Value at 'sSOSession.maxValidityMinutes' failed \
                 to satisfy constraint: Member must have value between 0 and 129600"
                    .into(),
            ));
        }
        let (mut client, pool) = self.load_pool_client(pool_id, client_id).await?;
        needs_plan(&pool)?;
        if !pool.settings.session_tracking.enabled {
            return Err(not_tracking());
        }
        std::sync::Arc::make_mut(&mut client.settings).sso_session_minutes =
            Some(max_validity_minutes as u32);
        client.modified_at = self.clock.now();
        self.store.update_client(&client).await?;
        Ok((client, max_validity_minutes as u32))
    }

    /// The id of a token session.
    fn session_id(&self, pool_id: &str, origin_jti: &str) -> String {
        token_session_id(
            &self
                .keys
                .code_hash(&format!("token-session:{pool_id}"), origin_jti),
        )
    }

    async fn sessions_of(
        &self,
        pool: &UserPool,
        user: &User,
        current_origin: Option<&str>,
    ) -> Result<Vec<SessionView>, AuthError> {
        if !pool.settings.session_tracking.enabled {
            return Err(not_tracking());
        }
        let found = self
            .store
            .list_token_sessions(&pool.id, &user.sub, self.clock.now(), MAX_LISTED as u32)
            .await?;
        Ok(found
            .into_iter()
            .map(|session| SessionView {
                session_id: self.session_id(&pool.id, &session.origin_jti),
                current: current_origin == Some(session.origin_jti.as_str()),
                session,
            })
            .collect())
    }

    /// `AdminListUserSessions`.
    pub async fn admin_list_user_sessions(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<Vec<SessionView>, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.sessions_of(&pool, &user, None).await
    }

    /// `ListUserSessions`: the caller's sessions, its own marked current.
    pub async fn list_user_sessions(
        &self,
        access_token: &str,
    ) -> Result<Vec<SessionView>, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        self.sessions_of(&caller.pool, &caller.user, Some(&caller.claims.origin_jti))
            .await
    }

    async fn revoke_session(
        &self,
        pool: &UserPool,
        user: &User,
        session_id: &str,
        associated: Option<&str>,
        current_origin: Option<&str>,
    ) -> Result<(), AuthError> {
        check_session_id(session_id)?;
        check_associated(associated)?;
        let sessions = self.sessions_of(pool, user, current_origin).await?;
        let Some(target) = sessions.into_iter().find(|s| s.session_id == session_id) else {
            return Err(AuthError::ResourceNotFound(
                "The session does not exist or was already revoked.".into(),
            ));
        };
        if target.current {
            return Err(invalid(
                "You can't revoke the session that the calling access token belongs to.".into(),
            ));
        }
        // LINKED reaches a token session's parent SSO session; Keystep's token sessions
        // record none, so it revokes what NONE does.
        self.store
            .revoke_sign_in(&pool.id, &user.sub, &target.session.origin_jti)
            .await?;
        Ok(())
    }

    /// `AdminRevokeUserSession`: the username must be the session's owner.
    pub async fn admin_revoke_user_session(
        &self,
        pool_id: &str,
        username: &str,
        session_id: &str,
        associated: Option<&str>,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.revoke_session(&pool, &user, session_id, associated, None)
            .await
    }

    /// `RevokeUserSession`: one of the caller's other sessions.
    pub async fn revoke_user_session(
        &self,
        access_token: &str,
        session_id: &str,
        associated: Option<&str>,
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        self.revoke_session(
            &caller.pool,
            &caller.user,
            session_id,
            associated,
            Some(&caller.claims.origin_jti),
        )
        .await
    }

    /// After a sign-in minted `issued` in a pool that tracks sessions: the user's least
    /// recently active sessions beyond `MaxPerUser` are revoked. (Two sign-ins at the same
    /// moment may leave one more; the next sign-in trims it.)
    pub(crate) async fn evict_sessions(
        &self,
        pool: &UserPool,
        issued: &RefreshTokenRow,
    ) -> Result<(), AuthError> {
        let tracking = pool.settings.session_tracking;
        if !tracking.enabled {
            return Ok(());
        }
        let live = self
            .store
            .list_token_sessions(&pool.id, &issued.sub, self.clock.now(), 200)
            .await?;
        let max = tracking.max_per_user as usize;
        for old in live
            .iter()
            .filter(|s| s.origin_jti != issued.origin_jti)
            .skip(max.saturating_sub(1))
        {
            self.store
                .revoke_sign_in(&pool.id, &issued.sub, &old.origin_jti)
                .await?;
        }
        Ok(())
    }
}
