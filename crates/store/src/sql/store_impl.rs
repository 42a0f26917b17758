//! The [`Store`] port: each method runs one area function, retried when it lost a lock or
//! a serialization race.

use async_trait::async_trait;

use keystep_core::app_client::AppClient;
use keystep_core::auth_event::{AuthEvent, Feedback};
use keystep_core::code::{CodePurpose, StoredCode};
use keystep_core::device::{Device, DeviceStatus};
use keystep_core::domain::PoolDomain;
use keystep_core::group::Group;
use keystep_core::identity_provider::{IdentityProvider, ProviderLink};
use keystep_core::message::{OutboxEntry, OutboxFilter, OutgoingMessage};
use keystep_core::passkey::{PendingRegistration, StoredPasskey};
use keystep_core::pool::{AliasKind, UserPool};
use keystep_core::ports::{
    AuthSessionRow, CounterRow, DeliveryFilter, DeliveryOutcome, DeliveryRow, HostedSessionRow,
    NewDelivery, OAuthCodeRow, Page, PoolKeyRow, RefreshContext, RefreshTokenRow, Store,
    StoreStats, TokenHolder, UserFilter,
};
use keystep_core::resource_server::ResourceServer;
use keystep_core::ui_customization::UiCustomization;
use keystep_core::user::User;
use keystep_core::user_import::{BatchOutcome, ImportBatch, ImportJob, ImportStatus};
use keystep_core::user_session::TokenSession;
use keystep_core::{Millis, StoreError};

use super::{
    auth_events, clients, codes, counters, deliveries, devices, domains, groups, housekeeping,
    identity_providers, imports, oauth, outbox, passkeys, pool_keys, pools, resource_servers,
    sessions, tokens, ui_customizations, users, ThisStore,
};
use crate::error::retry;

#[async_trait]
impl Store for ThisStore {
    async fn insert_pool(&self, pool: &UserPool) -> Result<(), StoreError> {
        retry(|| pools::insert(&self.pool, pool)).await
    }

    async fn get_pool(&self, id: &str) -> Result<Option<UserPool>, StoreError> {
        self.read_or(|c| pools::get_now(c, id), || pools::get(&self.pool, id))
            .await
    }

    async fn list_pools(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<UserPool>, StoreError> {
        retry(|| pools::list(&self.pool, after, limit)).await
    }

    async fn update_pool(&self, pool: &UserPool) -> Result<(), StoreError> {
        retry(|| pools::update(&self.pool, pool)).await
    }

    async fn update_pool_if(
        &self,
        pool: &UserPool,
        expected_modified_at: Millis,
    ) -> Result<bool, StoreError> {
        retry(|| pools::update_if(&self.pool, pool, expected_modified_at.0)).await
    }

    async fn delete_pool(&self, id: &str) -> Result<bool, StoreError> {
        retry(|| pools::delete(&self.pool, id)).await
    }

    async fn count_users(&self, pool_id: &str) -> Result<u64, StoreError> {
        retry(|| pools::count_users(&self.pool, pool_id)).await
    }

    async fn insert_client(&self, client: &AppClient) -> Result<(), StoreError> {
        retry(|| clients::insert(&self.pool, client)).await
    }

    async fn get_client(&self, client_id: &str) -> Result<Option<AppClient>, StoreError> {
        retry(|| clients::get(&self.pool, client_id)).await
    }

    async fn get_client_with_pool(
        &self,
        client_id: &str,
    ) -> Result<Option<(AppClient, UserPool)>, StoreError> {
        self.read_or(
            |c| clients::get_with_pool_now(c, client_id),
            || clients::get_with_pool(&self.pool, client_id),
        )
        .await
    }

    async fn list_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<AppClient>, StoreError> {
        retry(|| clients::list(&self.pool, pool_id, after, limit)).await
    }

    async fn update_client(&self, client: &AppClient) -> Result<(), StoreError> {
        retry(|| clients::update(&self.pool, client)).await
    }

    async fn update_client_secrets_if(
        &self,
        client: &AppClient,
        expected_modified_at: Millis,
    ) -> Result<bool, StoreError> {
        retry(|| clients::update_secrets_if(&self.pool, client, expected_modified_at.0)).await
    }

    async fn delete_client(&self, pool_id: &str, client_id: &str) -> Result<bool, StoreError> {
        retry(|| clients::delete(&self.pool, pool_id, client_id)).await
    }

    async fn insert_user(
        &self,
        user: &User,
        aliases: &[(AliasKind, String)],
    ) -> Result<(), StoreError> {
        if aliases.is_empty() {
            return self
                .write_or(
                    |c| users::insert_alone_now(c, user),
                    || users::insert(&self.pool, user, aliases),
                )
                .await;
        }
        retry(|| users::insert(&self.pool, user, aliases)).await
    }

    async fn get_user(
        &self,
        pool_id: &str,
        username_key: &str,
    ) -> Result<Option<User>, StoreError> {
        self.read_or(
            |c| users::get_now(c, pool_id, username_key),
            || users::get(&self.pool, pool_id, username_key),
        )
        .await
    }

    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> Result<Option<User>, StoreError> {
        self.read_or(
            |c| users::get_by_sub_now(c, pool_id, sub),
            || users::get_by_sub(&self.pool, pool_id, sub),
        )
        .await
    }

    async fn get_user_by_alias(
        &self,
        pool_id: &str,
        kind: AliasKind,
        value_key: &str,
    ) -> Result<Option<User>, StoreError> {
        self.read_or(
            |c| users::get_by_alias_now(c, pool_id, kind, value_key),
            || users::get_by_alias(&self.pool, pool_id, kind, value_key),
        )
        .await
    }

    async fn update_user(
        &self,
        user: &User,
        aliases: &[(AliasKind, String)],
    ) -> Result<(), StoreError> {
        retry(|| users::update(&self.pool, user, aliases)).await
    }

    async fn update_user_keeping_aliases(&self, user: &User) -> Result<(), StoreError> {
        self.write_or(
            |c| users::update_keeping_aliases_now(c, user),
            || users::update_keeping_aliases(&self.pool, user),
        )
        .await
    }

    async fn delete_user(&self, pool_id: &str, sub: &str) -> Result<bool, StoreError> {
        retry(|| users::delete(&self.pool, pool_id, sub)).await
    }

    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<User>, StoreError> {
        retry(|| users::list(&self.pool, pool_id, filter, after, limit)).await
    }

    async fn insert_group(&self, group: &Group) -> Result<(), StoreError> {
        retry(|| groups::insert(&self.pool, group)).await
    }

    async fn get_group(&self, pool_id: &str, name: &str) -> Result<Option<Group>, StoreError> {
        retry(|| groups::get(&self.pool, pool_id, name)).await
    }

    async fn list_groups(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<Group>, StoreError> {
        retry(|| groups::list(&self.pool, pool_id, after, limit)).await
    }

    async fn update_group(&self, group: &Group) -> Result<(), StoreError> {
        retry(|| groups::update(&self.pool, group)).await
    }

    async fn delete_group(&self, pool_id: &str, name: &str) -> Result<bool, StoreError> {
        retry(|| groups::delete(&self.pool, pool_id, name)).await
    }

    async fn add_to_group(&self, pool_id: &str, group: &str, sub: &str) -> Result<(), StoreError> {
        retry(|| groups::add_member(&self.pool, pool_id, group, sub)).await
    }

    async fn remove_from_group(
        &self,
        pool_id: &str,
        group: &str,
        sub: &str,
    ) -> Result<(), StoreError> {
        retry(|| groups::remove_member(&self.pool, pool_id, group, sub)).await
    }

    async fn groups_of_user(&self, pool_id: &str, sub: &str) -> Result<Vec<Group>, StoreError> {
        self.read_or(
            |c| groups::groups_of_user_now(c, pool_id, sub),
            || groups::groups_of_user(&self.pool, pool_id, sub),
        )
        .await
    }

    async fn users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<User>, StoreError> {
        retry(|| groups::users_in_group(&self.pool, pool_id, group, after, limit)).await
    }

    async fn put_code(
        &self,
        code: &StoredCode,
        delivery: Option<&NewDelivery>,
    ) -> Result<(), StoreError> {
        retry(|| codes::put(&self.pool, code, delivery)).await
    }

    async fn get_code(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: CodePurpose,
    ) -> Result<Option<StoredCode>, StoreError> {
        retry(|| codes::get(&self.pool, pool_id, sub, purpose)).await
    }

    async fn reserve_code_attempt(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: CodePurpose,
        max: u32,
        now: Millis,
    ) -> Result<Option<StoredCode>, StoreError> {
        retry(|| codes::reserve_attempt(&self.pool, pool_id, sub, purpose, max, now)).await
    }

    async fn consume_code(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: CodePurpose,
        id: &str,
    ) -> Result<bool, StoreError> {
        retry(|| codes::consume(&self.pool, pool_id, sub, purpose, id)).await
    }

    async fn enqueue_delivery(&self, delivery: &NewDelivery) -> Result<i64, StoreError> {
        retry(|| deliveries::enqueue(&self.pool, delivery)).await
    }

    async fn claim_deliveries(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        retry(|| deliveries::claim(&self.pool, now, lease_until, limit)).await
    }

    async fn finish_delivery(
        &self,
        id: i64,
        attempts: u32,
        outcome: &DeliveryOutcome,
        now: Millis,
        record_expires_at: Millis,
    ) -> Result<bool, StoreError> {
        retry(|| deliveries::finish(&self.pool, id, attempts, outcome, now, record_expires_at))
            .await
    }

    async fn list_deliveries(
        &self,
        filter: &DeliveryFilter,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        retry(|| deliveries::list(&self.pool, filter)).await
    }

    async fn insert_outbox(
        &self,
        message: &OutgoingMessage,
        expires_at: Millis,
    ) -> Result<i64, StoreError> {
        retry(|| outbox::insert(&self.pool, message, expires_at)).await
    }

    async fn list_outbox(&self, filter: &OutboxFilter) -> Result<Vec<OutboxEntry>, StoreError> {
        retry(|| outbox::list(&self.pool, filter)).await
    }

    async fn insert_auth_session(&self, session: &AuthSessionRow) -> Result<(), StoreError> {
        self.write_or(
            |c| sessions::insert_now(c, session),
            || sessions::insert(&self.pool, session),
        )
        .await
    }

    async fn reserve_session_attempt(&self, id: &str, max: u32) -> Result<Option<u32>, StoreError> {
        retry(|| sessions::reserve_attempt(&self.pool, id, max)).await
    }

    async fn get_counter(&self, key: &str) -> Result<Option<CounterRow>, StoreError> {
        self.read_or(
            |c| counters::get_now(c, key),
            || counters::get(&self.pool, key),
        )
        .await
    }

    async fn put_counter(
        &self,
        key: &str,
        state: &str,
        expires_at: Millis,
        expected_version: Option<i64>,
    ) -> Result<(), StoreError> {
        self.write_or(
            |c| counters::put_now(c, key, state, expires_at, expected_version),
            || counters::put(&self.pool, key, state, expires_at, expected_version),
        )
        .await
    }

    async fn delete_counter(&self, key: &str) -> Result<(), StoreError> {
        self.write_or(
            |c| counters::delete_now(c, key),
            || counters::delete(&self.pool, key),
        )
        .await
    }

    async fn delete_counters(&self, keys: &[String]) -> Result<(), StoreError> {
        self.write_or(
            |c| counters::delete_many_now(c, keys),
            || counters::delete_many(&self.pool, keys),
        )
        .await
    }

    async fn get_auth_session(&self, id: &str) -> Result<Option<AuthSessionRow>, StoreError> {
        self.read_or(
            |c| sessions::get_now(c, id),
            || sessions::get(&self.pool, id),
        )
        .await
    }

    async fn advance_auth_session(
        &self,
        id: &str,
        expected_version: i64,
        state: &[u8],
        attempts: u32,
        expires_at: Millis,
    ) -> Result<(), StoreError> {
        self.write_or(
            |c| sessions::advance_now(c, id, expected_version, state, attempts, expires_at),
            || {
                sessions::advance(
                    &self.pool,
                    id,
                    expected_version,
                    state,
                    attempts,
                    expires_at,
                )
            },
        )
        .await
    }

    async fn finish_auth_session(
        &self,
        id: &str,
        expected_version: i64,
    ) -> Result<bool, StoreError> {
        self.write_or(
            |c| sessions::finish_now(c, id, expected_version),
            || sessions::finish(&self.pool, id, expected_version),
        )
        .await
    }

    async fn use_once(
        &self,
        scope: &str,
        value: &str,
        expires_at: Millis,
    ) -> Result<bool, StoreError> {
        self.write_or(
            |c| sessions::use_once_now(c, scope, value, expires_at),
            || sessions::use_once(&self.pool, scope, value, expires_at),
        )
        .await
    }

    async fn list_pool_keys(&self, pool_id: &str) -> Result<Vec<PoolKeyRow>, StoreError> {
        retry(|| pool_keys::list(&self.pool, pool_id)).await
    }

    async fn init_pool_keys(
        &self,
        pool_id: &str,
        rows: &[PoolKeyRow],
    ) -> Result<Vec<PoolKeyRow>, StoreError> {
        retry(|| pool_keys::init(&self.pool, pool_id, rows)).await
    }

    async fn rotate_pool_keys(&self, current: i64, next: &PoolKeyRow) -> Result<(), StoreError> {
        retry(|| pool_keys::rotate(&self.pool, current, next)).await
    }

    async fn insert_device(&self, device: &Device) -> Result<(), StoreError> {
        retry(|| devices::insert(&self.pool, device)).await
    }

    async fn get_device(&self, pool_id: &str, key: &str) -> Result<Option<Device>, StoreError> {
        retry(|| devices::get(&self.pool, pool_id, key)).await
    }

    async fn set_device_status(
        &self,
        pool_id: &str,
        key: &str,
        status: DeviceStatus,
        now: Millis,
    ) -> Result<bool, StoreError> {
        retry(|| devices::set_status(&self.pool, pool_id, key, status, now)).await
    }

    async fn device_authenticated(
        &self,
        pool_id: &str,
        key: &str,
        now: Millis,
    ) -> Result<(), StoreError> {
        retry(|| devices::authenticated(&self.pool, pool_id, key, now)).await
    }

    async fn delete_device(&self, pool_id: &str, key: &str) -> Result<bool, StoreError> {
        retry(|| devices::delete(&self.pool, pool_id, key)).await
    }

    async fn list_devices(
        &self,
        pool_id: &str,
        sub: &str,
        remembered_only: bool,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Device>, StoreError> {
        retry(|| devices::list(&self.pool, pool_id, sub, remembered_only, after, limit)).await
    }

    async fn insert_domain(&self, domain: &PoolDomain) -> Result<(), StoreError> {
        retry(|| domains::insert(&self.pool, domain)).await
    }

    async fn get_domain(&self, domain: &str) -> Result<Option<PoolDomain>, StoreError> {
        retry(|| domains::get(&self.pool, domain)).await
    }

    async fn list_pool_domains(&self, pool_id: &str) -> Result<Vec<PoolDomain>, StoreError> {
        retry(|| domains::list(&self.pool, pool_id)).await
    }

    async fn update_domain(&self, domain: &PoolDomain) -> Result<bool, StoreError> {
        retry(|| domains::update(&self.pool, domain)).await
    }

    async fn delete_domain(&self, pool_id: &str, domain: &str) -> Result<bool, StoreError> {
        retry(|| domains::delete(&self.pool, pool_id, domain)).await
    }

    async fn insert_identity_provider(
        &self,
        provider: &IdentityProvider,
        max_per_pool: u32,
    ) -> Result<(), StoreError> {
        retry(|| identity_providers::insert(&self.pool, provider, max_per_pool)).await
    }

    async fn get_identity_provider(
        &self,
        pool_id: &str,
        name: &str,
    ) -> Result<Option<IdentityProvider>, StoreError> {
        retry(|| identity_providers::get(&self.pool, pool_id, name)).await
    }

    async fn get_identity_provider_by_identifier(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<Option<IdentityProvider>, StoreError> {
        retry(|| identity_providers::get_by_identifier(&self.pool, pool_id, identifier)).await
    }

    async fn list_identity_providers(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<IdentityProvider>, StoreError> {
        retry(|| identity_providers::list(&self.pool, pool_id, after, limit)).await
    }

    async fn update_identity_provider(
        &self,
        provider: &IdentityProvider,
    ) -> Result<bool, StoreError> {
        retry(|| identity_providers::update(&self.pool, provider)).await
    }

    async fn delete_identity_provider(
        &self,
        pool_id: &str,
        name: &str,
    ) -> Result<bool, StoreError> {
        retry(|| identity_providers::delete(&self.pool, pool_id, name)).await
    }

    async fn insert_provider_link(
        &self,
        link: &ProviderLink,
        max_per_user: u32,
    ) -> Result<(), StoreError> {
        retry(|| identity_providers::insert_link(&self.pool, link, max_per_user)).await
    }

    async fn get_provider_link(
        &self,
        pool_id: &str,
        provider_name: &str,
        subject: &str,
    ) -> Result<Option<ProviderLink>, StoreError> {
        retry(|| identity_providers::get_link(&self.pool, pool_id, provider_name, subject)).await
    }

    async fn delete_provider_link(
        &self,
        pool_id: &str,
        provider_name: &str,
        subject: &str,
    ) -> Result<bool, StoreError> {
        retry(|| identity_providers::delete_link(&self.pool, pool_id, provider_name, subject)).await
    }

    async fn insert_resource_server(&self, server: &ResourceServer) -> Result<(), StoreError> {
        retry(|| resource_servers::insert(&self.pool, server)).await
    }

    async fn get_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<Option<ResourceServer>, StoreError> {
        retry(|| resource_servers::get(&self.pool, pool_id, identifier)).await
    }

    async fn list_resource_servers(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<ResourceServer>, StoreError> {
        retry(|| resource_servers::list(&self.pool, pool_id, after, limit)).await
    }

    async fn update_resource_server(&self, server: &ResourceServer) -> Result<bool, StoreError> {
        retry(|| resource_servers::update(&self.pool, server)).await
    }

    async fn delete_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<bool, StoreError> {
        retry(|| resource_servers::delete(&self.pool, pool_id, identifier)).await
    }

    async fn insert_passkey(&self, passkey: &StoredPasskey) -> Result<(), StoreError> {
        retry(|| passkeys::insert(&self.pool, passkey)).await
    }

    async fn list_passkeys(
        &self,
        pool_id: &str,
        sub: &str,
    ) -> Result<Vec<StoredPasskey>, StoreError> {
        retry(|| passkeys::list(&self.pool, pool_id, sub)).await
    }

    async fn update_passkey(
        &self,
        pool_id: &str,
        credential_id: &str,
        passkey: &str,
    ) -> Result<(), StoreError> {
        retry(|| passkeys::update(&self.pool, pool_id, credential_id, passkey)).await
    }

    async fn delete_passkey(
        &self,
        pool_id: &str,
        sub: &str,
        credential_id: &str,
    ) -> Result<bool, StoreError> {
        retry(|| passkeys::delete(&self.pool, pool_id, sub, credential_id)).await
    }

    async fn put_passkey_registration(
        &self,
        pending: &PendingRegistration,
    ) -> Result<(), StoreError> {
        retry(|| passkeys::put_registration(&self.pool, pending)).await
    }

    async fn take_passkey_registration(
        &self,
        pool_id: &str,
        sub: &str,
    ) -> Result<Option<PendingRegistration>, StoreError> {
        retry(|| passkeys::take_registration(&self.pool, pool_id, sub)).await
    }

    async fn insert_refresh_token(&self, token: &RefreshTokenRow) -> Result<(), StoreError> {
        self.write_or(
            |c| tokens::insert_now(c, token),
            || tokens::insert(&self.pool, token),
        )
        .await
    }

    async fn get_refresh_token(&self, hash: &[u8]) -> Result<Option<RefreshTokenRow>, StoreError> {
        retry(|| tokens::get(&self.pool, hash)).await
    }

    async fn get_refresh_token_and_user(
        &self,
        hash: &[u8],
    ) -> Result<Option<(RefreshTokenRow, Option<User>)>, StoreError> {
        self.read_or(
            |c| tokens::get_with_user_now(c, hash),
            || tokens::get_with_user(&self.pool, hash),
        )
        .await
    }

    async fn get_client_with_refresh_token(
        &self,
        client_id: &str,
        hash: &[u8],
    ) -> Result<Option<RefreshContext>, StoreError> {
        self.read_or(
            |c| tokens::get_with_client_now(c, client_id, hash),
            || tokens::get_with_client(&self.pool, client_id, hash),
        )
        .await
    }

    async fn insert_oauth_code(&self, code: &OAuthCodeRow) -> Result<(), StoreError> {
        retry(|| oauth::insert_code(&self.pool, code)).await
    }

    async fn take_oauth_code(&self, hash: &[u8]) -> Result<Option<OAuthCodeRow>, StoreError> {
        retry(|| oauth::take_code(&self.pool, hash)).await
    }

    async fn insert_hosted_session(&self, session: &HostedSessionRow) -> Result<(), StoreError> {
        retry(|| oauth::insert_session(&self.pool, session)).await
    }

    async fn get_hosted_session(
        &self,
        hash: &[u8],
    ) -> Result<Option<HostedSessionRow>, StoreError> {
        retry(|| oauth::get_session(&self.pool, hash)).await
    }

    async fn delete_hosted_session(&self, hash: &[u8]) -> Result<bool, StoreError> {
        retry(|| oauth::delete_session(&self.pool, hash)).await
    }

    async fn revoke_refresh_token(&self, hash: &[u8]) -> Result<bool, StoreError> {
        retry(|| tokens::revoke(&self.pool, hash)).await
    }

    async fn revoke_user_refresh_tokens(
        &self,
        pool_id: &str,
        sub: &str,
    ) -> Result<u64, StoreError> {
        retry(|| tokens::revoke_user(&self.pool, pool_id, sub)).await
    }

    async fn get_token_holder(
        &self,
        pool_id: &str,
        sub: &str,
        origin_jti: &str,
    ) -> Result<Option<TokenHolder>, StoreError> {
        self.read_or(
            |c| tokens::holder_now(c, pool_id, sub, origin_jti),
            || tokens::holder(&self.pool, pool_id, sub, origin_jti),
        )
        .await
    }

    async fn insert_import_job(
        &self,
        job: &ImportJob,
        upload_key: &[u8],
    ) -> Result<(), StoreError> {
        retry(|| imports::insert(&self.pool, job, upload_key)).await
    }

    async fn get_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
    ) -> Result<Option<ImportJob>, StoreError> {
        retry(|| imports::get(&self.pool, pool_id, job_id)).await
    }

    async fn list_import_jobs(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<ImportJob>, StoreError> {
        retry(|| imports::list(&self.pool, pool_id, after, limit)).await
    }

    async fn import_upload_open(
        &self,
        pool_id: &str,
        job_id: &str,
        upload_key: &[u8],
        now: Millis,
    ) -> Result<bool, StoreError> {
        retry(|| imports::upload_open(&self.pool, pool_id, job_id, upload_key, now)).await
    }

    async fn put_import_file(
        &self,
        pool_id: &str,
        job_id: &str,
        upload_key: &[u8],
        file: &[u8],
        now: Millis,
    ) -> Result<bool, StoreError> {
        retry(|| imports::put_file(&self.pool, pool_id, job_id, upload_key, file, now)).await
    }

    async fn move_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
        from: ImportStatus,
        to: ImportStatus,
        message: Option<&str>,
        now: Millis,
    ) -> Result<bool, StoreError> {
        retry(|| imports::move_status(&self.pool, pool_id, job_id, from, to, message, now)).await
    }

    async fn claim_import_job(
        &self,
        runner: &str,
        now: Millis,
        lease_until: Millis,
    ) -> Result<Option<(ImportJob, Vec<u8>)>, StoreError> {
        retry(|| imports::claim(&self.pool, runner, now, lease_until)).await
    }

    async fn import_batch(
        &self,
        job: &ImportJob,
        runner: &str,
        batch: &ImportBatch,
    ) -> Result<Option<BatchOutcome>, StoreError> {
        retry(|| imports::import_batch(&self.pool, job, runner, batch)).await
    }

    async fn finish_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
        runner: &str,
        status: ImportStatus,
        message: &str,
        now: Millis,
    ) -> Result<bool, StoreError> {
        retry(|| imports::finish(&self.pool, pool_id, job_id, runner, status, message, now)).await
    }

    async fn expire_import_jobs(
        &self,
        created_before: Millis,
        message: &str,
        now: Millis,
    ) -> Result<u64, StoreError> {
        retry(|| imports::expire(&self.pool, created_before, message, now)).await
    }

    async fn put_ui_customization(&self, c: &UiCustomization) -> Result<(), StoreError> {
        retry(|| ui_customizations::put(&self.pool, c)).await
    }

    async fn get_ui_customization(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<Option<UiCustomization>, StoreError> {
        retry(|| ui_customizations::get(&self.pool, pool_id, client_id)).await
    }

    async fn record_auth_event(
        &self,
        event: &AuthEvent,
        expires_at: Millis,
    ) -> Result<(), StoreError> {
        retry(|| auth_events::record(&self.pool, event, expires_at)).await
    }

    async fn record_auth_events(&self, events: &[(AuthEvent, Millis)]) -> Result<(), StoreError> {
        self.write_or(
            |c| auth_events::record_many_now(c, events),
            || auth_events::record_many(&self.pool, events),
        )
        .await
    }

    async fn list_auth_events(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<AuthEvent>, StoreError> {
        retry(|| auth_events::list(&self.pool, pool_id, sub, after, limit)).await
    }

    async fn set_auth_event_feedback(
        &self,
        pool_id: &str,
        sub: &str,
        event_id: &str,
        feedback: &Feedback,
    ) -> Result<bool, StoreError> {
        retry(|| auth_events::set_feedback(&self.pool, pool_id, sub, event_id, feedback)).await
    }

    async fn rotate_refresh_token(
        &self,
        old_hash: &[u8],
        now: Millis,
        grace_until: Millis,
        next: &RefreshTokenRow,
    ) -> Result<bool, StoreError> {
        retry(|| tokens::rotate(&self.pool, old_hash, now, grace_until, next)).await
    }

    async fn list_token_sessions(
        &self,
        pool_id: &str,
        sub: &str,
        now: Millis,
        limit: u32,
    ) -> Result<Vec<TokenSession>, StoreError> {
        retry(|| tokens::sessions(&self.pool, pool_id, sub, now, limit)).await
    }

    async fn touch_refresh_token(&self, hash: &[u8], now: Millis) -> Result<(), StoreError> {
        retry(|| tokens::touch(&self.pool, hash, now)).await
    }

    async fn revoke_sign_in(
        &self,
        pool_id: &str,
        sub: &str,
        origin_jti: &str,
    ) -> Result<bool, StoreError> {
        retry(|| tokens::revoke_sign_in(&self.pool, pool_id, sub, origin_jti)).await
    }

    async fn purge_expired(&self, now: Millis, batch: u32) -> Result<u64, StoreError> {
        retry(|| housekeeping::purge_expired(&self.pool, now, batch)).await
    }

    async fn get_secret(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        retry(|| housekeeping::get_secret(&self.pool, name)).await
    }

    async fn put_secret_if_absent(&self, name: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        retry(|| housekeeping::put_secret_if_absent(&self.pool, name, value)).await
    }

    async fn check_ready(&self, now: Millis) -> Result<(), StoreError> {
        retry(|| housekeeping::check_ready(&self.pool, now)).await
    }

    fn stats(&self) -> StoreStats {
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        crate::meter::METER.stats(self.pool.size(), idle)
    }
}
