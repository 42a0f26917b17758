//! User sessions and session configuration.

use keystep_core::service::user_sessions::SessionView;
use keystep_core::AuthError;
use keystep_proto as proto;

use crate::{ApiError, AppState};

fn listed(views: Vec<SessionView>) -> proto::ListUserSessionsResponse {
    proto::ListUserSessionsResponse {
        sessions: views
            .into_iter()
            .map(|v| proto::SessionDescriptionType {
                session_id: v.session_id,
                session_type: "TOKEN".into(),
                client_id: v.session.client_id,
                create_date: v.session.created_at.as_secs_f64(),
                last_active_date: v.session.last_active_at.as_secs_f64(),
                is_current_session: v.current,
            })
            .collect(),
    }
}

/// `GetUserPoolSessionConfiguration`.
pub async fn get_pool(
    state: &AppState,
    req: proto::PoolOnlyRequest,
) -> Result<proto::UserPoolSessionConfiguration, ApiError> {
    let (pool, t) = state
        .keystep
        .get_user_pool_session_configuration(&req.user_pool_id)
        .await?;
    Ok(pool_shape(&pool.id, t))
}

fn pool_shape(
    pool_id: &str,
    t: keystep_core::user_session::SessionTracking,
) -> proto::UserPoolSessionConfiguration {
    proto::UserPoolSessionConfiguration {
        user_pool_id: pool_id.to_string(),
        user_session_tracking: Some(if t.enabled { "ENABLED" } else { "DISABLED" }.into()),
        token_session: Some(proto::UserPoolTokenSessionConfigType {
            max_per_user: i64::from(t.max_per_user),
        }),
    }
}

/// `SetUserPoolSessionConfiguration`.
pub async fn set_pool(
    state: &AppState,
    req: proto::UserPoolSessionConfiguration,
) -> Result<proto::UserPoolSessionConfiguration, ApiError> {
    let missing = |name: &str| {
        AuthError::InvalidParameter(format!(
            "1 validation error detected: Value null at '{name}' failed to satisfy constraint: \
             Member must not be null"
        ))
    };
    let tracking = req
        .user_session_tracking
        .ok_or_else(|| missing("userSessionTracking"))?;
    let token = req.token_session.ok_or_else(|| missing("tokenSession"))?;
    let (pool, t) = state
        .keystep
        .set_user_pool_session_configuration(&req.user_pool_id, &tracking, token.max_per_user)
        .await?;
    Ok(pool_shape(&pool.id, t))
}

/// `GetUserPoolClientSessionConfiguration`.
pub async fn get_client(
    state: &AppState,
    req: proto::ClientSessionConfiguration,
) -> Result<proto::ClientSessionConfiguration, ApiError> {
    let (client, minutes) = state
        .keystep
        .get_client_session_configuration(&req.user_pool_id, &req.client_id)
        .await?;
    Ok(client_shape(&client.pool_id, &client.client_id, minutes))
}

fn client_shape(pool_id: &str, client_id: &str, minutes: u32) -> proto::ClientSessionConfiguration {
    proto::ClientSessionConfiguration {
        user_pool_id: pool_id.to_string(),
        client_id: client_id.to_string(),
        sso_session: Some(proto::ClientSsoSessionConfigType {
            max_validity_minutes: i64::from(minutes),
        }),
    }
}

/// `SetUserPoolClientSessionConfiguration`.
pub async fn set_client(
    state: &AppState,
    req: proto::ClientSessionConfiguration,
) -> Result<proto::ClientSessionConfiguration, ApiError> {
    let sso = req.sso_session.ok_or_else(|| {
        AuthError::InvalidParameter(
            "1 validation error detected: Value null at 'sSOSession' failed to satisfy \
             constraint: Member must not be null"
                .into(),
        )
    })?;
    let (client, minutes) = state
        .keystep
        .set_client_session_configuration(
            &req.user_pool_id,
            &req.client_id,
            sso.max_validity_minutes,
        )
        .await?;
    Ok(client_shape(&client.pool_id, &client.client_id, minutes))
}

/// `AdminListUserSessions`.
pub async fn admin_list(
    state: &AppState,
    req: proto::AdminListUserSessionsRequest,
) -> Result<proto::ListUserSessionsResponse, ApiError> {
    let views = state
        .keystep
        .admin_list_user_sessions(&req.user_pool_id, &req.username)
        .await?;
    Ok(listed(views))
}

/// `ListUserSessions`.
pub async fn list(
    state: &AppState,
    req: proto::ListUserSessionsRequest,
) -> Result<proto::ListUserSessionsResponse, ApiError> {
    let views = state
        .keystep
        .list_user_sessions(&req.access_token.0)
        .await?;
    Ok(listed(views))
}

/// `AdminRevokeUserSession`.
pub async fn admin_revoke(
    state: &AppState,
    req: proto::AdminRevokeUserSessionRequest,
) -> Result<proto::RevokeUserSessionResponse, ApiError> {
    state
        .keystep
        .admin_revoke_user_session(
            &req.user_pool_id,
            &req.username,
            &req.session_id,
            req.revoke_associated_sessions.as_deref(),
        )
        .await?;
    Ok(proto::RevokeUserSessionResponse {})
}

/// `RevokeUserSession`.
pub async fn revoke(
    state: &AppState,
    req: proto::RevokeUserSessionRequest,
) -> Result<proto::RevokeUserSessionResponse, ApiError> {
    state
        .keystep
        .revoke_user_session(
            &req.access_token.0,
            &req.session_id,
            req.revoke_associated_sessions.as_deref(),
        )
        .await?;
    Ok(proto::RevokeUserSessionResponse {})
}
