//! The ports through which the domain reaches the world.

use async_trait::async_trait;

use crate::app_client::AppClient;
use crate::auth_event::{AuthEvent, Feedback};
use crate::code::{CodePurpose, StoredCode};
use crate::error::StoreError;
use crate::group::Group;
use crate::message::{OutboxEntry, OutboxFilter, OutgoingMessage};
use crate::pool::{AliasKind, UserPool};
use crate::ui_customization::UiCustomization;
use crate::user::User;
use crate::user_import::{BatchOutcome, ImportBatch, ImportJob, ImportStatus};
use crate::user_session::TokenSession;
use crate::Millis;

/// The source of the current time. Tests use a controllable clock.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> Millis;
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Millis(d.as_millis() as i64)
    }
}

/// Randomness for identifiers and codes. Always cryptographically secure outside tests.
pub trait Rng: Send + Sync + 'static {
    /// Fills `buf` with random bytes.
    fn fill(&self, buf: &mut [u8]);
}

/// The operating system's CSPRNG.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemRng;

impl Rng for SystemRng {
    fn fill(&self, buf: &mut [u8]) {
        use aws_lc_rs::rand::SecureRandom;
        if aws_lc_rs::rand::SystemRandom::new().fill(buf).is_err() {
            // No entropy source: nothing secure can be issued.
            tracing::error!("system randomness unavailable");
            std::process::abort();
        }
    }
}

/// Why a message could not be sent.
#[derive(Debug, thiserror::Error)]
#[error("message delivery failed: {0}")]
pub struct DeliveryError(pub String);

/// Delivers SMS and e-mail. The development default records them in the outbox.
#[async_trait]
pub trait Messenger: Send + Sync + 'static {
    /// Sends one message.
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError>;
}

/// Carries queued messages to the senders the server is configured with (SMTP, an SMS
/// provider). Custom sender triggers are called by the domain itself.
#[async_trait]
pub trait Courier: Send + Sync + 'static {
    /// Whether a real sender is configured for `medium`.
    fn carries(&self, medium: crate::message::Medium) -> bool;
    /// Sends one parcel; `id` is its queue id, the same on every retry (a receiver may
    /// see a message twice when a node dies between sending and recording it).
    async fn carry(
        &self,
        id: i64,
        parcel: &crate::parcel::Parcel,
    ) -> Result<(), crate::parcel::CarryFailure>;
    /// A parcel was queued (or is due): wake whoever sends them.
    fn wake(&self);
}

/// A message to queue for a real sender.
#[derive(Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// The pool.
    pub pool_id: String,
    /// The recipient's username.
    pub username: String,
    /// SMS or e-mail.
    pub medium: crate::message::Medium,
    /// Why it is sent.
    pub purpose: crate::message::MessagePurpose,
    /// The sender that carries it.
    pub channel: crate::parcel::Channel,
    /// The destination, masked as `CodeDeliveryDetails` shows it.
    pub destination_masked: String,
    /// The sealed [`crate::parcel::Parcel`].
    pub payload: Vec<u8>,
    /// When it was queued (and is first due).
    pub created_at: Millis,
}

impl std::fmt::Debug for NewDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDelivery")
            .field("pool_id", &self.pool_id)
            .field("medium", &self.medium)
            .field("purpose", &self.purpose)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// A queued message as the store keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    /// Sequence number.
    pub id: i64,
    /// The pool.
    pub pool_id: String,
    /// The recipient's username.
    pub username: String,
    /// SMS or e-mail.
    pub medium: crate::message::Medium,
    /// Why it is sent.
    pub purpose: crate::message::MessagePurpose,
    /// The sender that carries it.
    pub channel: crate::parcel::Channel,
    /// The masked destination.
    pub destination_masked: String,
    /// The sealed parcel; erased once the message is sent or given up on.
    pub payload: Option<Vec<u8>>,
    /// Where it stands.
    pub status: crate::parcel::DeliveryStatus,
    /// Attempts started so far.
    pub attempts: u32,
    /// When it is due next (pending), or when it was claimed until.
    pub next_attempt_at: Millis,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: Millis,
    /// When its status last changed.
    pub updated_at: Millis,
}

impl std::fmt::Debug for DeliveryRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeliveryRow")
            .field("id", &self.id)
            .field("pool_id", &self.pool_id)
            .field("channel", &self.channel)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("last_error", &self.last_error)
            .finish_non_exhaustive()
    }
}

/// How an attempt ended, for [`Store::finish_delivery`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Accepted by the sender: the payload is erased.
    Sent,
    /// Failed; due again at `at`.
    Retry {
        /// When to try again.
        at: Millis,
        /// Why it failed.
        error: String,
    },
    /// Given up on: the payload is erased.
    Failed {
        /// Why.
        error: String,
    },
}

/// What to list of the delivery queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryFilter {
    /// Only this status.
    pub status: Option<crate::parcel::DeliveryStatus>,
    /// Only this pool.
    pub pool_id: Option<String>,
    /// At most this many, newest first.
    pub limit: u32,
}

/// An in-progress sign-in as the store keeps it. `state` is opaque to the store (the
/// domain serialises and seals it).
#[derive(Clone, PartialEq, Eq)]
pub struct AuthSessionRow {
    /// The unguessable `Session` value's id.
    pub id: String,
    /// The pool.
    pub pool_id: String,
    /// The app client the flow started on.
    pub client_id: String,
    /// The flow state, opaque bytes.
    pub state: Vec<u8>,
    /// Compare-and-swap version.
    pub version: i64,
    /// Wrong answers so far.
    pub attempts: u32,
    /// When the session stops working.
    pub expires_at: Millis,
}

impl std::fmt::Debug for AuthSessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSessionRow")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("version", &self.version)
            .field("attempts", &self.attempts)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What a refresh reads, in one round trip: the app client it names with its pool, and
/// the presented refresh token (if one has its hash) with its user as stored now (`None`
/// if the user is gone).
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshContext {
    /// The app client.
    pub client: AppClient,
    /// The client's pool.
    pub pool: UserPool,
    /// The token with that hash, and its user.
    pub token: Option<(RefreshTokenRow, Option<User>)>,
}

/// A refresh token as the store keeps it: only the hash of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTokenRow {
    /// SHA-256 (keyed) of the token value.
    pub hash: Vec<u8>,
    /// The pool.
    pub pool_id: String,
    /// The app client it was issued to.
    pub client_id: String,
    /// The user.
    pub sub: String,
    /// The id of the sign-in it came from, shared by its access and ID tokens.
    pub origin_jti: String,
    /// When the user authenticated.
    pub auth_time: Millis,
    /// When it was issued.
    pub created_at: Millis,
    /// When it stops working.
    pub expires_at: Millis,
    /// Whether it was revoked.
    pub revoked: bool,
    /// The device it is bound to, if any.
    pub device_key: Option<String>,
    /// The OAuth scopes it was granted, space-separated: `Some` for refresh tokens from
    /// the OAuth endpoints (their refreshes keep those scopes), `None` for API sign-ins.
    pub scope: Option<String>,
    /// Set when refresh-token rotation replaced it: it works until then (the client's
    /// grace period), and is a reused token after.
    pub rotated_until: Option<Millis>,
}

/// An OAuth authorization code as the store keeps it: the keyed hash of its value, and
/// the grant (redirect URI, scopes, nonce, PKCE challenge, sign-in) as the domain's JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthCodeRow {
    /// Keyed hash of the code.
    pub hash: Vec<u8>,
    /// The pool.
    pub pool_id: String,
    /// The app client the code was issued to.
    pub client_id: String,
    /// The user.
    pub sub: String,
    /// What the code grants, opaque to the store.
    pub grant: String,
    /// When the code stops working.
    pub expires_at: Millis,
}

impl std::fmt::Debug for OAuthCodeRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthCodeRow")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A hosted sign-in session (the SSO cookie of the pool's pages), by the keyed hash of
/// the cookie's value.
#[derive(Clone, PartialEq, Eq)]
pub struct HostedSessionRow {
    /// Keyed hash of the cookie value.
    pub hash: Vec<u8>,
    /// The pool.
    pub pool_id: String,
    /// The signed-in user.
    pub sub: String,
    /// When the user authenticated.
    pub auth_time: Millis,
    /// When the session began.
    pub created_at: Millis,
    /// When it stops working.
    pub expires_at: Millis,
}

impl std::fmt::Debug for HostedSessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostedSessionRow")
            .field("pool_id", &self.pool_id)
            .field("auth_time", &self.auth_time)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Why a call to an identity provider failed (the message is for logs and the app's
/// `error_description`; it carries no secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UpstreamError(pub String);

/// HTTP to federated identity providers: their discovery documents, keys, token and
/// userInfo endpoints. JSON answers only; non-2xx answers are errors.
#[async_trait::async_trait]
pub trait Upstream: Send + Sync + 'static {
    /// `GET url`, with a bearer token when given.
    async fn get_json(
        &self,
        url: &str,
        bearer: Option<&str>,
    ) -> Result<serde_json::Value, UpstreamError>;
    /// `POST url` with a form body, with HTTP Basic credentials when given.
    async fn post_form(
        &self,
        url: &str,
        form: &[(String, String)],
        basic: Option<(&str, &str)>,
    ) -> Result<serde_json::Value, UpstreamError>;
}

/// An [`Upstream`] that reaches nothing (tests of the domain that never federate).
pub struct NoUpstream;

#[async_trait::async_trait]
impl Upstream for NoUpstream {
    async fn get_json(
        &self,
        url: &str,
        _: Option<&str>,
    ) -> Result<serde_json::Value, UpstreamError> {
        Err(UpstreamError(format!("no network for {url}")))
    }
    async fn post_form(
        &self,
        url: &str,
        _: &[(String, String)],
        _: Option<(&str, &str)>,
    ) -> Result<serde_json::Value, UpstreamError> {
        Err(UpstreamError(format!("no network for {url}")))
    }
}

/// An abuse counter as the store keeps it: state the domain serialises (the store never
/// looks inside), a compare-and-swap version, and when housekeeping may forget it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterRow {
    /// What is counted, for whom (`limits::counter_key`).
    pub key: String,
    /// The domain's state, as JSON text.
    pub state: String,
    /// Compare-and-swap version.
    pub version: i64,
    /// When the state no longer matters.
    pub expires_at: Millis,
}

/// One generation of a pool's token signing keys as the store keeps it: the key pair set
/// sealed by the domain, and when it stopped signing.
#[derive(Clone, PartialEq, Eq)]
pub struct PoolKeyRow {
    /// The pool.
    pub pool_id: String,
    /// 0, 1, 2, ... in order of creation; the newest is the one that signs.
    pub generation: i64,
    /// The sealed key pairs (`SigningKeys::to_bytes`, sealed).
    pub keys: Vec<u8>,
    /// When it was made.
    pub created_at: Millis,
    /// When a newer generation replaced it; `None` while it signs.
    pub retired_at: Option<Millis>,
}

impl std::fmt::Debug for PoolKeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolKeyRow")
            .field("pool_id", &self.pool_id)
            .field("generation", &self.generation)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

/// A `ListUsers` filter: one attribute, equal to or starting with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFilter {
    /// `username`, `email`, `phone_number`, `name`, `given_name`, `family_name`,
    /// `preferred_username`, `cognito:user_status`, `status` or `sub`.
    pub attribute: String,
    /// Exact (`=`) or prefix (`^=`).
    pub prefix: bool,
    /// The value.
    pub value: String,
}

/// What a token-authenticated operation reads before anything else, in one round trip:
/// the pool named by the token, its user, and whether the token's sign-in was revoked.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenHolder {
    /// The token's pool.
    pub pool: UserPool,
    /// The token's user, if it still exists.
    pub user: Option<User>,
    /// Whether the sign-in (`origin_jti`) the token came from was revoked.
    pub origin_revoked: bool,
}

/// A page of results: items and the key to continue after, if more remain.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items, in key order.
    pub items: Vec<T>,
    /// The key of the last item when more may follow.
    pub next: Option<String>,
}

/// How the store is doing, for metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoreStats {
    /// Connections the pool holds.
    pub connections: u32,
    /// Of which idle.
    pub idle: u32,
    /// Operations run (each with its retries).
    pub operations: u64,
    /// Runs that lost a race and were tried again.
    pub retries: u64,
    /// Operations the database failed.
    pub errors: u64,
    /// Statements SQLite's fast lane ran on the request's own thread.
    pub lane_statements: u64,
    /// Statements meant for the fast lane that went through the connection pool
    /// instead (the lane's writer was in use, or the database was busy).
    pub lane_fallbacks: u64,
    /// Total time of the operations, in seconds.
    pub latency_seconds_sum: f64,
    /// Cumulative counts of operations at most so many seconds long.
    pub latency_buckets: Vec<(f64, u64)>,
}

/// Persistence. Every method is one atomic operation; uniqueness rules are enforced by
/// the store and reported as [`StoreError::Conflict`].
///
/// Pagination: `after` is the opaque key returned in [`Page::next`]; items come in a
/// stable order (ids for pools and clients, `username_key` for users, names for groups).
#[async_trait]
pub trait Store: Send + Sync + 'static {
    // ---- pools
    /// Inserts a pool (`Conflict("pool")` if the id exists).
    async fn insert_pool(&self, pool: &UserPool) -> Result<(), StoreError>;
    /// Reads a pool.
    async fn get_pool(&self, id: &str) -> Result<Option<UserPool>, StoreError>;
    /// Lists pools by id.
    async fn list_pools(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<UserPool>, StoreError>;
    /// Replaces a pool's name, settings and modification time (`NotFound` if absent).
    async fn update_pool(&self, pool: &UserPool) -> Result<(), StoreError>;
    /// Compare-and-swap: replaces the pool only if its stored `modified_at` is still
    /// `expected_modified_at` (the caller makes the new one later); `false` when another
    /// write came first, `NotFound` if absent.
    async fn update_pool_if(
        &self,
        pool: &UserPool,
        expected_modified_at: Millis,
    ) -> Result<bool, StoreError>;
    /// Deletes a pool and everything in it. Returns whether it existed.
    async fn delete_pool(&self, id: &str) -> Result<bool, StoreError>;
    /// How many users a pool has.
    async fn count_users(&self, pool_id: &str) -> Result<u64, StoreError>;

    // ---- app clients
    /// Inserts an app client (`Conflict("client")` if the id exists).
    async fn insert_client(&self, client: &AppClient) -> Result<(), StoreError>;
    /// Reads an app client by id (whatever its pool).
    async fn get_client(&self, client_id: &str) -> Result<Option<AppClient>, StoreError>;
    /// Reads an app client and its pool in one round trip: every public operation starts
    /// with both.
    async fn get_client_with_pool(
        &self,
        client_id: &str,
    ) -> Result<Option<(AppClient, UserPool)>, StoreError>;
    /// Lists a pool's clients by id.
    async fn list_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<AppClient>, StoreError>;
    /// Replaces a client's name, settings and modification time (`NotFound` if absent).
    async fn update_client(&self, client: &AppClient) -> Result<(), StoreError>;
    /// Compare-and-swap on `modified_at`: replaces the client's secrets (`secret`,
    /// `secret_rotation`) with the rest, only if its stored `modified_at` is still
    /// `expected_modified_at`; `false` when another write came first, `NotFound` if gone.
    async fn update_client_secrets_if(
        &self,
        client: &AppClient,
        expected_modified_at: Millis,
    ) -> Result<bool, StoreError>;
    /// Deletes a client. Returns whether it existed.
    async fn delete_client(&self, pool_id: &str, client_id: &str) -> Result<bool, StoreError>;

    // ---- users
    /// Inserts a user and claims its aliases, atomically. `Conflict("username")` when the
    /// username key is taken, `Conflict("alias:<kind>")` when an alias is.
    async fn insert_user(
        &self,
        user: &User,
        aliases: &[(AliasKind, String)],
    ) -> Result<(), StoreError>;
    /// Reads a user by username key.
    async fn get_user(&self, pool_id: &str, username_key: &str)
        -> Result<Option<User>, StoreError>;
    /// Reads a user by `sub`.
    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> Result<Option<User>, StoreError>;
    /// Reads the user holding an alias (value already normalised).
    async fn get_user_by_alias(
        &self,
        pool_id: &str,
        kind: AliasKind,
        value_key: &str,
    ) -> Result<Option<User>, StoreError>;
    /// Writes `user` if its stored version is still `user.version`, storing
    /// `user.version + 1` and replacing its aliases with `aliases`, atomically.
    /// `Stale` if the version moved (or the user is gone), `Conflict("alias:<kind>")` if an
    /// alias belongs to someone else.
    async fn update_user(
        &self,
        user: &User,
        aliases: &[(AliasKind, String)],
    ) -> Result<(), StoreError>;
    /// [`Store::update_user`] for a change that leaves the user's aliases as they are
    /// stored (they were written with the version this write expects): one statement.
    async fn update_user_keeping_aliases(&self, user: &User) -> Result<(), StoreError>;
    /// Deletes a user with its aliases, codes and memberships. Returns whether it existed.
    async fn delete_user(&self, pool_id: &str, sub: &str) -> Result<bool, StoreError>;
    /// Lists users by username key, optionally filtered.
    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<User>, StoreError>;

    // ---- groups
    /// Inserts a group (`Conflict("group")` if the name exists in the pool).
    async fn insert_group(&self, group: &Group) -> Result<(), StoreError>;
    /// Reads a group.
    async fn get_group(&self, pool_id: &str, name: &str) -> Result<Option<Group>, StoreError>;
    /// Lists a pool's groups by name.
    async fn list_groups(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<Group>, StoreError>;
    /// Replaces a group's description, precedence, role and modification time.
    async fn update_group(&self, group: &Group) -> Result<(), StoreError>;
    /// Deletes a group and its memberships. Returns whether it existed.
    async fn delete_group(&self, pool_id: &str, name: &str) -> Result<bool, StoreError>;
    /// Adds a user to a group (idempotent).
    async fn add_to_group(&self, pool_id: &str, group: &str, sub: &str) -> Result<(), StoreError>;
    /// Removes a user from a group (idempotent).
    async fn remove_from_group(
        &self,
        pool_id: &str,
        group: &str,
        sub: &str,
    ) -> Result<(), StoreError>;
    /// The groups a user is in, by name.
    async fn groups_of_user(&self, pool_id: &str, sub: &str) -> Result<Vec<Group>, StoreError>;
    /// The users in a group, by username key.
    async fn users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<User>, StoreError>;

    // ---- one-time codes
    /// Stores a code, replacing the user's previous code of the same purpose.
    ///
    /// With a `delivery`, the message carrying the code is queued in the same transaction:
    /// a code is never stored without its message, nor a message queued without its code.
    async fn put_code(
        &self,
        code: &StoredCode,
        delivery: Option<&NewDelivery>,
    ) -> Result<(), StoreError>;
    /// Reads the user's live code of a purpose.
    async fn get_code(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: CodePurpose,
    ) -> Result<Option<StoredCode>, StoreError>;
    /// Reserves one attempt on the user's live code of `purpose`, in one conditional
    /// update: if the code exists, has not expired at `now` and has had fewer than `max`
    /// attempts, its attempt count goes up by one and the code is returned as it is after
    /// that (so `attempts` is this attempt's number). `None` otherwise. Of many concurrent
    /// callers, at most `max - attempts` get a code back: the reservation is made before
    /// the presented digits are compared.
    async fn reserve_code_attempt(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: CodePurpose,
        max: u32,
        now: Millis,
    ) -> Result<Option<StoredCode>, StoreError>;
    /// Deletes exactly the code with `id`. Returns `true` for the one caller that deleted
    /// it: a code is used once, however many try at the same time.
    async fn consume_code(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: CodePurpose,
        id: &str,
    ) -> Result<bool, StoreError>;

    // ---- delivery queue
    /// Queues a message; returns its id.
    async fn enqueue_delivery(&self, delivery: &NewDelivery) -> Result<i64, StoreError>;
    /// Claims up to `limit` pending messages due at `now`, oldest first, by moving their
    /// due time to `lease_until` and counting the attempt, in one conditional update: of
    /// several nodes claiming at once, each message goes to exactly one.
    async fn claim_deliveries(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
    ) -> Result<Vec<DeliveryRow>, StoreError>;
    /// Records how attempt number `attempts` of message `id` ended, if that attempt is
    /// still the message's latest (a node that took longer than its lease loses to the
    /// one that took over). Sent and failed messages keep their record until
    /// `record_expires_at`. Returns whether it was recorded.
    async fn finish_delivery(
        &self,
        id: i64,
        attempts: u32,
        outcome: &DeliveryOutcome,
        now: Millis,
        record_expires_at: Millis,
    ) -> Result<bool, StoreError>;
    /// Lists the queue, newest first.
    async fn list_deliveries(
        &self,
        filter: &DeliveryFilter,
    ) -> Result<Vec<DeliveryRow>, StoreError>;

    // ---- outbox
    /// Appends a message to the outbox, to be forgotten at `expires_at`.
    async fn insert_outbox(
        &self,
        message: &OutgoingMessage,
        expires_at: Millis,
    ) -> Result<i64, StoreError>;
    /// Reads the outbox, oldest first.
    async fn list_outbox(&self, filter: &OutboxFilter) -> Result<Vec<OutboxEntry>, StoreError>;

    // ---- sign-in sessions (persisted flows)
    /// Inserts a new in-progress sign-in (`Conflict("session")` if the id exists).
    async fn insert_auth_session(&self, session: &AuthSessionRow) -> Result<(), StoreError>;
    /// Reads an in-progress sign-in (expired ones may still be returned; the caller checks).
    async fn get_auth_session(&self, id: &str) -> Result<Option<AuthSessionRow>, StoreError>;
    /// Compare-and-swap: if the stored version is `expected_version`, replaces state,
    /// attempts and expiry and stores `expected_version + 1`; else `Stale`. This is what
    /// makes a `Session` value work exactly once, on one node or many.
    async fn advance_auth_session(
        &self,
        id: &str,
        expected_version: i64,
        state: &[u8],
        attempts: u32,
        expires_at: Millis,
    ) -> Result<(), StoreError>;
    /// Reserves one answer on the session, in one conditional update that leaves its
    /// version alone: if it exists and has had fewer than `max` answers, its count goes up
    /// by one and the new count is returned (this answer's number). `None` when it is gone
    /// or out of answers. Of many concurrent callers, at most `max - attempts` succeed.
    async fn reserve_session_attempt(&self, id: &str, max: u32) -> Result<Option<u32>, StoreError>;
    /// Deletes the session if it is still at `expected_version`. Returns whether this
    /// call deleted it (exactly one concurrent caller does).
    async fn finish_auth_session(
        &self,
        id: &str,
        expected_version: i64,
    ) -> Result<bool, StoreError>;
    /// Records a single-use value (an SRP secret-block id, a TOTP time step) under a
    /// scope. Returns `true` the first time and `false` ever after (until `expires_at`
    /// passes and housekeeping forgets it).
    async fn use_once(
        &self,
        scope: &str,
        value: &str,
        expires_at: Millis,
    ) -> Result<bool, StoreError>;

    // ---- abuse counters (limits.rs: hourly budgets and lockouts)
    /// Reads a counter.
    async fn get_counter(&self, key: &str) -> Result<Option<CounterRow>, StoreError>;
    /// Compare-and-swap: with `expected_version` `None`, inserts the counter at version 0
    /// unless one exists; with `Some(v)`, replaces state and expiry if the stored version
    /// is still `v`, storing `v + 1`. `Stale` when the race was lost either way.
    async fn put_counter(
        &self,
        key: &str,
        state: &str,
        expires_at: Millis,
        expected_version: Option<i64>,
    ) -> Result<(), StoreError>;
    /// Deletes a counter (nothing if there is none).
    async fn delete_counter(&self, key: &str) -> Result<(), StoreError>;
    /// Deletes the counters under `keys`, in one statement.
    async fn delete_counters(&self, keys: &[String]) -> Result<(), StoreError>;

    // ---- token signing keys per pool
    /// A pool's key generations, oldest first.
    async fn list_pool_keys(&self, pool_id: &str) -> Result<Vec<PoolKeyRow>, StoreError>;
    /// Stores the first generations of a pool's keys unless it has some already (nodes
    /// racing at first use agree on one set); returns what is stored afterwards.
    /// `NotFound` if the pool is gone.
    async fn init_pool_keys(
        &self,
        pool_id: &str,
        rows: &[PoolKeyRow],
    ) -> Result<Vec<PoolKeyRow>, StoreError>;
    /// Rotation, atomically: retires generation `current` at `next.created_at` and stores
    /// `next` (generation `current + 1`). `Stale` if `current` is not the signing
    /// generation any more (another rotation won).
    async fn rotate_pool_keys(&self, current: i64, next: &PoolKeyRow) -> Result<(), StoreError>;

    // ---- remembered devices
    /// Stores a confirmed device. `Conflict` if the key is taken; `NotFound` if its user is
    /// gone.
    async fn insert_device(&self, device: &crate::device::Device) -> Result<(), StoreError>;
    /// A device of the pool by key.
    async fn get_device(
        &self,
        pool_id: &str,
        key: &str,
    ) -> Result<Option<crate::device::Device>, StoreError>;
    /// Sets a device's status (and `modified_at`); whether the device exists.
    async fn set_device_status(
        &self,
        pool_id: &str,
        key: &str,
        status: crate::device::DeviceStatus,
        now: Millis,
    ) -> Result<bool, StoreError>;
    /// Records that the device proved itself at `now`.
    async fn device_authenticated(
        &self,
        pool_id: &str,
        key: &str,
        now: Millis,
    ) -> Result<(), StoreError>;
    /// Forgets a device; whether it existed.
    async fn delete_device(&self, pool_id: &str, key: &str) -> Result<bool, StoreError>;
    /// A user's devices ordered by key, after `after` (exclusive), at most `limit`;
    /// only remembered ones when `remembered_only`.
    async fn list_devices(
        &self,
        pool_id: &str,
        sub: &str,
        remembered_only: bool,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<crate::device::Device>, StoreError>;

    // ---- domains
    /// Stores a domain. `Conflict` if the domain is taken (by any pool).
    async fn insert_domain(&self, domain: &crate::domain::PoolDomain) -> Result<(), StoreError>;
    /// A domain by name.
    async fn get_domain(
        &self,
        domain: &str,
    ) -> Result<Option<crate::domain::PoolDomain>, StoreError>;
    /// A pool's domains.
    async fn list_pool_domains(
        &self,
        pool_id: &str,
    ) -> Result<Vec<crate::domain::PoolDomain>, StoreError>;
    /// Replaces a domain's certificate and managed-login version; whether it exists in
    /// that pool.
    async fn update_domain(&self, domain: &crate::domain::PoolDomain) -> Result<bool, StoreError>;
    /// Deletes a pool's domain; whether it existed.
    async fn delete_domain(&self, pool_id: &str, domain: &str) -> Result<bool, StoreError>;

    // ---- resource servers
    /// Stores a new resource server. `Conflict` if the pool has the identifier already;
    /// `NotFound` if the pool is gone.
    async fn insert_resource_server(
        &self,
        server: &crate::resource_server::ResourceServer,
    ) -> Result<(), StoreError>;
    /// A resource server by identifier.
    async fn get_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<Option<crate::resource_server::ResourceServer>, StoreError>;
    /// A pool's resource servers by identifier, after `after` (exclusive), at most `limit`.
    async fn list_resource_servers(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<crate::resource_server::ResourceServer>, StoreError>;
    /// Replaces a resource server's name and scopes; whether it exists.
    async fn update_resource_server(
        &self,
        server: &crate::resource_server::ResourceServer,
    ) -> Result<bool, StoreError>;
    /// Deletes a resource server; whether it existed.
    async fn delete_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<bool, StoreError>;

    // ---- identity providers
    /// Stores a new identity provider and claims its `IdpIdentifiers`, in one
    /// transaction. `Conflict("provider")` if the pool has the name already,
    /// `Conflict("identifier:<id>")` if another provider of the pool holds one of the
    /// identifiers, `Conflict("limit")` if the pool has `max_per_pool` providers already;
    /// `NotFound` if the pool is gone.
    async fn insert_identity_provider(
        &self,
        provider: &crate::identity_provider::IdentityProvider,
        max_per_pool: u32,
    ) -> Result<(), StoreError>;
    /// An identity provider by name.
    async fn get_identity_provider(
        &self,
        pool_id: &str,
        name: &str,
    ) -> Result<Option<crate::identity_provider::IdentityProvider>, StoreError>;
    /// The identity provider holding `identifier` (one of its `IdpIdentifiers`).
    async fn get_identity_provider_by_identifier(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<Option<crate::identity_provider::IdentityProvider>, StoreError>;
    /// A pool's identity providers by name, after `after` (exclusive), at most `limit`.
    async fn list_identity_providers(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<crate::identity_provider::IdentityProvider>, StoreError>;
    /// Replaces a provider's details, mappings, identifiers and modification time (its
    /// type and creation time stay), re-claiming the identifiers in the same transaction;
    /// whether it exists. `Conflict("identifier:<id>")` as for insert.
    async fn update_identity_provider(
        &self,
        provider: &crate::identity_provider::IdentityProvider,
    ) -> Result<bool, StoreError>;
    /// Deletes a provider with its identifiers and the links to it; whether it existed.
    async fn delete_identity_provider(&self, pool_id: &str, name: &str)
        -> Result<bool, StoreError>;
    /// Links an identity at a provider to a user. `Conflict("link")` if the identity is
    /// linked already (to anyone), `Conflict("limit")` if the user has `max_per_user`
    /// links already; `NotFound` if the user or the provider is gone.
    async fn insert_provider_link(
        &self,
        link: &crate::identity_provider::ProviderLink,
        max_per_user: u32,
    ) -> Result<(), StoreError>;
    /// The link of an identity at a provider (federated sign-in finds the user it signs
    /// in as through this).
    async fn get_provider_link(
        &self,
        pool_id: &str,
        provider_name: &str,
        subject: &str,
    ) -> Result<Option<crate::identity_provider::ProviderLink>, StoreError>;
    /// Removes the link of an identity at a provider; whether there was one.
    async fn delete_provider_link(
        &self,
        pool_id: &str,
        provider_name: &str,
        subject: &str,
    ) -> Result<bool, StoreError>;

    // ---- passkeys
    /// Stores a registered passkey. `Conflict` if the pool has the credential id already
    /// (for any user); `NotFound` if the user is gone.
    async fn insert_passkey(
        &self,
        passkey: &crate::passkey::StoredPasskey,
    ) -> Result<(), StoreError>;
    /// A user's passkeys, oldest first.
    async fn list_passkeys(
        &self,
        pool_id: &str,
        sub: &str,
    ) -> Result<Vec<crate::passkey::StoredPasskey>, StoreError>;
    /// Replaces a passkey's stored key material (its sign counter advanced).
    async fn update_passkey(
        &self,
        pool_id: &str,
        credential_id: &str,
        passkey: &str,
    ) -> Result<(), StoreError>;
    /// Deletes one of a user's passkeys; whether it existed.
    async fn delete_passkey(
        &self,
        pool_id: &str,
        sub: &str,
        credential_id: &str,
    ) -> Result<bool, StoreError>;
    /// Stores the user's pending registration, replacing any earlier one.
    async fn put_passkey_registration(
        &self,
        pending: &crate::passkey::PendingRegistration,
    ) -> Result<(), StoreError>;
    /// Takes (reads and deletes, atomically) the user's pending registration: of
    /// concurrent callers, one gets it.
    async fn take_passkey_registration(
        &self,
        pool_id: &str,
        sub: &str,
    ) -> Result<Option<crate::passkey::PendingRegistration>, StoreError>;

    // ---- refresh tokens
    /// Stores a refresh token (by the hash of its value).
    async fn insert_refresh_token(&self, token: &RefreshTokenRow) -> Result<(), StoreError>;

    /// Reads a refresh token by the hash of its value.
    async fn get_refresh_token(&self, hash: &[u8]) -> Result<Option<RefreshTokenRow>, StoreError>;
    /// [`Store::get_refresh_token`] with the token's user as stored now (`None` if the
    /// user is gone), in one round trip: what a refresh reads first.
    async fn get_refresh_token_and_user(
        &self,
        hash: &[u8],
    ) -> Result<Option<(RefreshTokenRow, Option<User>)>, StoreError>;
    /// [`Store::get_client_with_pool`] and [`Store::get_refresh_token_and_user`] in one
    /// round trip; `None` when there is no such client.
    async fn get_client_with_refresh_token(
        &self,
        client_id: &str,
        hash: &[u8],
    ) -> Result<Option<RefreshContext>, StoreError>;
    /// Marks one refresh token revoked. Returns whether it was live before.
    async fn revoke_refresh_token(&self, hash: &[u8]) -> Result<bool, StoreError>;
    /// The user's live token sessions at `now` (refresh tokens not revoked, not expired,
    /// not rotated past their grace), one per sign-in, most recently active first, at
    /// most `limit`.
    async fn list_token_sessions(
        &self,
        pool_id: &str,
        sub: &str,
        now: Millis,
        limit: u32,
    ) -> Result<Vec<TokenSession>, StoreError>;
    /// Marks the refresh token's session active at `now`.
    async fn touch_refresh_token(&self, hash: &[u8], now: Millis) -> Result<(), StoreError>;
    /// Revokes every refresh token of one sign-in of the user, and the sign-in (its
    /// access tokens); whether one was live.
    async fn revoke_sign_in(
        &self,
        pool_id: &str,
        sub: &str,
        origin_jti: &str,
    ) -> Result<bool, StoreError>;
    /// Refresh-token rotation, in one transaction: marks the token `old_hash` rotated
    /// until `grace_until` (a token rotated before keeps its first mark) and stores
    /// `next`, only if the old token is live at `now` (not revoked, not expired, not past
    /// its grace); whether it was. Of racing rotations with no grace, one wins.
    async fn rotate_refresh_token(
        &self,
        old_hash: &[u8],
        now: Millis,
        grace_until: Millis,
        next: &RefreshTokenRow,
    ) -> Result<bool, StoreError>;
    /// Marks every refresh token of a user revoked; returns how many were live.
    async fn revoke_user_refresh_tokens(&self, pool_id: &str, sub: &str)
        -> Result<u64, StoreError>;
    /// The pool, the user and the revocation of an access token's sign-in, read together
    /// (`None` if the pool does not exist).
    async fn get_token_holder(
        &self,
        pool_id: &str,
        sub: &str,
        origin_jti: &str,
    ) -> Result<Option<TokenHolder>, StoreError>;

    // ---- OAuth authorization codes and hosted sign-in sessions
    /// Stores a new authorization code.
    async fn insert_oauth_code(&self, code: &OAuthCodeRow) -> Result<(), StoreError>;
    /// Takes a code: deletes it and returns it, in one statement, so that of many
    /// concurrent redemptions exactly one gets it (expired ones too; the caller checks).
    async fn take_oauth_code(&self, hash: &[u8]) -> Result<Option<OAuthCodeRow>, StoreError>;
    /// Stores a new hosted sign-in session.
    async fn insert_hosted_session(&self, session: &HostedSessionRow) -> Result<(), StoreError>;
    /// Reads a hosted session (expired ones may be returned; the caller checks).
    async fn get_hosted_session(&self, hash: &[u8])
        -> Result<Option<HostedSessionRow>, StoreError>;
    /// Ends a hosted session; whether there was one.
    async fn delete_hosted_session(&self, hash: &[u8]) -> Result<bool, StoreError>;

    // ---- user import jobs
    /// Inserts a job with the keyed hash of its upload token (`Conflict("import job")` if
    /// the id exists; `NotFound` if the pool is gone).
    async fn insert_import_job(&self, job: &ImportJob, upload_key: &[u8])
        -> Result<(), StoreError>;
    /// Reads a job.
    async fn get_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
    ) -> Result<Option<ImportJob>, StoreError>;
    /// Lists a pool's jobs, newest first; `after` is the key [`Page::next`] returned.
    async fn list_import_jobs(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<ImportJob>, StoreError>;
    /// Whether the job is `Created`, its upload key is `upload_key` and its upload URL
    /// still works at `now` (asked before a file is read off the network).
    async fn import_upload_open(
        &self,
        pool_id: &str,
        job_id: &str,
        upload_key: &[u8],
        now: Millis,
    ) -> Result<bool, StoreError>;
    /// Stores (or replaces) the job's file, under the same conditions as
    /// [`Store::import_upload_open`], checked in the same statement; whether it was stored.
    async fn put_import_file(
        &self,
        pool_id: &str,
        job_id: &str,
        upload_key: &[u8],
        file: &[u8],
        now: Millis,
    ) -> Result<bool, StoreError>;
    /// Compare-and-swap on the status: moves the job from `from` to `to` at `now`
    /// (`Pending` also sets the start time and needs an uploaded file; a final status sets
    /// the completion time and `message` and drops the file). Whether it moved.
    async fn move_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
        from: ImportStatus,
        to: ImportStatus,
        message: Option<&str>,
        now: Millis,
    ) -> Result<bool, StoreError>;
    /// Claims one job to run, for `runner` until `lease_until`, in one conditional update:
    /// a `Pending` job, or an `InProgress` / `Stopping` one whose lease ended at `now` (its
    /// node stopped). A `Pending` job becomes `InProgress`. Returns the job and its file;
    /// of several nodes claiming at once, each job goes to one.
    async fn claim_import_job(
        &self,
        runner: &str,
        now: Millis,
        lease_until: Millis,
    ) -> Result<Option<(ImportJob, Vec<u8>)>, StoreError>;
    /// Imports one batch in one transaction, if `runner` still holds the job: inserts each
    /// user with its aliases (a taken username, or a taken alias of a username attribute,
    /// is `Skipped`; another taken alias `AliasTaken`; neither disturbs the other rows),
    /// adds the counts (with the batch's `failed_before`), and moves the job's position
    /// and lease. `None` when the runner lost the job.
    async fn import_batch(
        &self,
        job: &ImportJob,
        runner: &str,
        batch: &ImportBatch,
    ) -> Result<Option<BatchOutcome>, StoreError>;
    /// Ends a job `runner` holds with a final status and message at `now`, dropping its
    /// file; whether it did.
    async fn finish_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
        runner: &str,
        status: ImportStatus,
        message: &str,
        now: Millis,
    ) -> Result<bool, StoreError>;
    /// Expires the jobs still `Created` that were created at or before `created_before`:
    /// `Expired` at `now` with `message`, file dropped. Returns how many.
    async fn expire_import_jobs(
        &self,
        created_before: Millis,
        message: &str,
        now: Millis,
    ) -> Result<u64, StoreError>;

    // ---- hosted UI customization
    /// Stores a pool's or a client's customization, replacing the previous one
    /// (`NotFound` if the pool is gone).
    async fn put_ui_customization(&self, c: &UiCustomization) -> Result<(), StoreError>;
    /// Reads the customization stored for exactly this client id (or `ALL`).
    async fn get_ui_customization(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<Option<UiCustomization>, StoreError>;

    // ---- auth events
    /// Records one step of a sign-in, in one statement: inserts the event, or, if it
    /// exists, sets its response and appends `challenges` (the text of
    /// [`crate::auth_event::encode_challenges`]) to the ones it has. `NotFound` if the
    /// user is gone.
    async fn record_auth_event(
        &self,
        event: &AuthEvent,
        expires_at: Millis,
    ) -> Result<(), StoreError>;
    /// Records several sign-ins' steps in one statement, each as [`Store::record_auth_event`]
    /// would (the events are distinct: see [`crate::auth_event::merge_steps`]). Fails as a
    /// whole, with `NotFound`, if any event's user is gone.
    async fn record_auth_events(&self, events: &[(AuthEvent, Millis)]) -> Result<(), StoreError>;
    /// A user's events, newest first; `after` is the key [`Page::next`] returned.
    async fn list_auth_events(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<AuthEvent>, StoreError>;
    /// Sets the feedback on one of the user's events; whether the event exists.
    async fn set_auth_event_feedback(
        &self,
        pool_id: &str,
        sub: &str,
        event_id: &str,
        feedback: &Feedback,
    ) -> Result<bool, StoreError>;

    // ---- housekeeping
    /// Deletes expired sessions, codes, single-use records, refresh tokens and counters, at most
    /// `batch` rows per table; returns how many rows went.
    async fn purge_expired(&self, now: Millis, batch: u32) -> Result<u64, StoreError>;

    // ---- server secrets
    /// Reads a named server secret (already sealed by the caller where needed).
    async fn get_secret(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Stores `value` under `name` unless one exists; returns the value that is stored
    /// afterwards, so nodes racing at first start agree on one.
    async fn put_secret_if_absent(&self, name: &str, value: &[u8]) -> Result<Vec<u8>, StoreError>;

    // ---- operations
    /// Whether the store can serve: a write and a read go through, and the database has
    /// every migration this build knows (`Err` says what is wrong).
    async fn check_ready(&self, now: Millis) -> Result<(), StoreError>;
    /// The pool and latency figures.
    fn stats(&self) -> StoreStats {
        StoreStats::default()
    }
}

/// Where settled sign-in steps' auth events go. Recording them is never a sign-in's
/// failure, so it may happen after the answer: a server batches them (many sign-ins'
/// steps in one statement), and whoever reads events flushes first.
#[async_trait]
pub trait AuthEventSink: Send + Sync + 'static {
    /// Takes one step's event, to be in the store by the next [`AuthEventSink::flush`].
    async fn record(&self, event: AuthEvent, expires_at: Millis);
    /// Returns once every event taken before the call is in the store (or failed to be,
    /// which is logged).
    async fn flush(&self);
}

/// An [`AuthEventSink`] that writes each step at once (for tests of the domain and tools
/// that run no batching writer).
pub struct DirectAuthEvents(pub std::sync::Arc<dyn Store>);

#[async_trait]
impl AuthEventSink for DirectAuthEvents {
    async fn record(&self, event: AuthEvent, expires_at: Millis) {
        if let Err(e) = self.0.record_auth_event(&event, expires_at).await {
            tracing::warn!(error = %e, "recording an auth event failed");
        }
    }
    async fn flush(&self) {}
}
