//! The HTTP edge of Keystep: Cognito's JSON protocol on `POST /` (dispatch on
//! `X-Amz-Target`, SigV4 for admin operations), the well-known JWKS and OpenID documents,
//! the development outbox, and first-start bootstrap.
//!
//! `serve(listener, state, shutdown)` is a library function so tests run the real server
//! in-process on port 0.

use std::future::Future;

pub mod admission;
pub mod bootstrap;
pub mod catalog;
pub mod delivery;
mod edge;
pub mod error;
pub mod event_writer;
pub mod housekeeping;
pub mod metrics;
pub mod oauth;
pub mod ops;
pub mod outbox;
pub mod rate_limit;
pub mod sigv4;
mod state;
pub mod tls;
mod trigger_secret;
pub mod upstream;
pub mod user_import;
mod validation;
pub mod webhook;
mod wellknown;

pub use error::ApiError;
pub use ops::Caller;
pub use outbox::OutboxMessenger;
pub use state::{AdminCredentials, AppState, Limits, Shared};

/// The API router with every route and the middleware (request id, CORS, access log).
pub fn router(state: AppState) -> axum::Router {
    use axum::routing::{get, post};
    let router = axum::Router::new()
        .route("/", post(edge::api))
        .route("/health", get(edge::health))
        .route("/ready", get(edge::ready))
        .route("/metrics", get(metrics::scrape))
        .route("/admin/outbox", get(outbox::list))
        .route("/admin/deliveries", get(delivery::admin::list))
        .route("/admin/trigger-secret", get(trigger_secret::show))
        .route("/admin/trigger-stats", get(trigger_secret::stats))
        .route("/{pool_id}/.well-known/jwks.json", get(wellknown::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(wellknown::openid_configuration),
        )
        .route(
            "/user-import/{pool_id}/{job_id}",
            axum::routing::put(user_import::upload),
        );
    oauth::routes(router, &state)
        .fallback(edge::not_found)
        .method_not_allowed_fallback(edge::method_not_allowed)
        .layer(axum::middleware::from_fn(edge::envelope))
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` completes, then lets requests in
/// flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// [`serve`] over HTTPS: `listener` hands over connections through their handshake.
pub async fn serve_tls(
    listener: tls::TlsListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // `tap_io` gives the listener axum's `ConnectInfo<SocketAddr>`, which the rate
    // limiter reads.
    axum::serve(
        listener.tap_io(|_| {}),
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Serves only `GET /metrics`, without credentials, on its own listener (`metrics_listen`)
/// until `shutdown` completes.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, metrics::router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
