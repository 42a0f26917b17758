//! `/{poolId}/.well-known/jwks.json` and `/{poolId}/.well-known/openid-configuration`
//! (protocol §5.1): what JWT verifiers (pycognito, aws-jwt-verify, ...) fetch.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use keystep_core::pool::UserPool;
use keystep_core::AuthError;

use crate::error::ApiError;
use crate::AppState;

/// The JWKS: the pool's own keys (the signing ID and access keys, then those of retired
/// generations whose tokens may still be alive).
pub async fn jwks(State(state): State<AppState>, Path(pool_id): Path<String>) -> Response {
    let pool = match existing_pool(&state, &pool_id).await {
        Ok(pool) => pool,
        Err(e) => return e.into_response(),
    };
    match state.keystep.pool_jwks(&pool).await {
        Ok(jwks) => json(jwks),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// The OpenID Connect discovery document. The issuer is `<public_url>/<poolId>`, the
/// value the domain writes into tokens' `iss`.
pub async fn openid_configuration(
    State(state): State<AppState>,
    Path(pool_id): Path<String>,
) -> Response {
    if let Err(e) = existing_pool(&state, &pool_id).await {
        return e.into_response();
    }
    let issuer = format!(
        "{}/{}",
        state.keystep.config.public_url.trim_end_matches('/'),
        pool_id
    );
    // The user pool endpoints are served under the public URL (the client id decides the
    // pool), so they are listed there.
    let base = state.keystep.config.public_url.trim_end_matches('/');
    json(serde_json::json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "authorization_endpoint": format!("{base}/oauth2/authorize"),
        "token_endpoint": format!("{base}/oauth2/token"),
        "userinfo_endpoint": format!("{base}/oauth2/userInfo"),
        "revocation_endpoint": format!("{base}/oauth2/revoke"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["code", "token"],
        "grant_types_supported": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn existing_pool(state: &AppState, pool_id: &str) -> Result<UserPool, ApiError> {
    match state.keystep.load_pool(pool_id).await {
        Ok(pool) => Ok(pool),
        // A malformed id names no pool either: 404 for both, as a static file server would.
        Err(AuthError::ResourceNotFound(_) | AuthError::InvalidParameter(_)) => Err(
            ApiError::not_found(format!("User pool {pool_id} does not exist.")),
        ),
        Err(e) => Err(e.into()),
    }
}

fn json(value: serde_json::Value) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            // Keys change only on rotation; let verifiers cache briefly.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        value.to_string(),
    )
        .into_response()
}
