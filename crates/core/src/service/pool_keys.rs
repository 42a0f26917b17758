//! Each pool's token signing keys: made on first use, kept sealed in the store, cached in
//! memory, rotated on request.
//!
//! Nodes share the store, not the cache: a node learns of a rotation made elsewhere when
//! its cache entry ages out (a minute), or at once when it sees a token whose `kid` it
//! does not know. Until then it still signs with the previous generation, which is fine:
//! that one stays published for a day after it retires.
//!
//! Servers older than per-pool keys signed every pool's tokens with one shared pair. Such
//! a server keeps that pair as generation 0 of the pools it had, retired when it first
//! started with per-pool keys, so the tokens it issued stay valid until they expire.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{AuthError, StoreError};
use crate::keys::Sealed;
use crate::pool::UserPool;
use crate::ports::PoolKeyRow;
use crate::signing::{KeyGeneration, PoolKeys, SigningKeys};
use crate::Millis;

use super::Keystep;

/// How long a node trusts its copy of a pool's keys.
const CACHE_TTL: Duration = Duration::from_secs(60);

/// How soon after a load an unknown `kid` may make a node read the keys again (a forged
/// token must not turn into a database read each).
const RELOAD_AFTER: Duration = Duration::from_secs(1);

/// The pair every pool's tokens were signed with before pools had keys of their own.
pub struct LegacyKeys {
    /// The pair.
    pub keys: SigningKeys,
    /// When this server stopped signing with it.
    pub retired_at: Millis,
}

impl std::fmt::Debug for LegacyKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyKeys")
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

/// The node's copies of pools' keys.
#[derive(Default)]
pub struct PoolKeyCache {
    entries: Mutex<HashMap<String, (Arc<PoolKeys>, Instant)>>,
}

impl std::fmt::Debug for PoolKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PoolKeyCache")
    }
}

impl PoolKeyCache {
    fn get(&self, pool_id: &str, fresh_for: Duration) -> Option<Arc<PoolKeys>> {
        let entries = self.entries.lock().ok()?;
        let (keys, loaded) = entries.get(pool_id)?;
        (loaded.elapsed() < fresh_for).then(|| keys.clone())
    }

    fn put(&self, pool_id: &str, keys: Arc<PoolKeys>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(pool_id.to_string(), (keys, Instant::now()));
        }
    }

    fn forget(&self, pool_id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(pool_id);
        }
    }
}

/// The sealing context of one generation of a pool's keys.
fn context(pool_id: &str, generation: i64) -> String {
    format!("pool-keys:{pool_id}:{generation}")
}

impl Keystep {
    /// The keys of `pool`: the generation that signs and those still published.
    pub async fn pool_keys(&self, pool: &UserPool) -> Result<Arc<PoolKeys>, AuthError> {
        if let Some(keys) = self.pool_key_cache.get(&pool.id, CACHE_TTL) {
            return Ok(keys);
        }
        self.load_pool_keys(pool).await
    }

    /// The keys of the pool `pool_id` that publish the access key `kid`, reading them
    /// again if this node does not know that key (another node may have rotated).
    /// `None` when the pool does not exist or has no such key.
    pub async fn pool_keys_with_access_key(
        &self,
        pool_id: &str,
        kid: &str,
    ) -> Result<Option<Arc<PoolKeys>>, AuthError> {
        let now = self.clock.now();
        if let Some(keys) = self.pool_key_cache.get(pool_id, CACHE_TTL) {
            if keys.access_key(kid, now).is_some() {
                return Ok(Some(keys));
            }
            if self.pool_key_cache.get(pool_id, RELOAD_AFTER).is_some() {
                return Ok(None);
            }
        }
        let Some(pool) = self.store.get_pool(pool_id).await? else {
            return Ok(None);
        };
        let keys = self.load_pool_keys(&pool).await?;
        Ok(keys.access_key(kid, now).is_some().then_some(keys))
    }

    /// The JWKS of `pool`.
    pub async fn pool_jwks(&self, pool: &UserPool) -> Result<serde_json::Value, AuthError> {
        Ok(self.pool_keys(pool).await?.jwks(self.clock.now()))
    }

    /// Makes a new generation of `pool`'s keys the one that signs; the previous one stays
    /// published until its tokens have expired. Returns the new generation's number.
    pub async fn rotate_pool_keys(&self, pool: &UserPool) -> Result<i64, AuthError> {
        let current = self.load_pool_keys(pool).await?.current_generation();
        let now = self.clock.now();
        let next = self.new_generation(&pool.id, current + 1, now, None)?;
        match self.store.rotate_pool_keys(current, &next).await {
            Ok(()) => {}
            Err(StoreError::Stale) => {
                return Err(AuthError::ConcurrentModification(
                    "The pool's keys were rotated at the same time; try again.".into(),
                ))
            }
            Err(e) => return Err(e.into()),
        }
        self.pool_key_cache.forget(&pool.id);
        Ok(current + 1)
    }

    /// Reads (making them on first use) and opens `pool`'s keys, and caches them.
    async fn load_pool_keys(&self, pool: &UserPool) -> Result<Arc<PoolKeys>, AuthError> {
        let mut rows = self.store.list_pool_keys(&pool.id).await?;
        if rows.is_empty() {
            let first = self.first_generations(pool)?;
            rows = match self.store.init_pool_keys(&pool.id, &first).await {
                Ok(rows) => rows,
                Err(StoreError::NotFound) => {
                    return Err(super::context::pool_not_found(&pool.id));
                }
                Err(e) => return Err(e.into()),
            };
        }
        let mut generations = Vec::with_capacity(rows.len());
        for row in rows {
            let plain = self
                .keys
                .open(&context(&row.pool_id, row.generation), &Sealed(row.keys))
                .map_err(AuthError::internal)?;
            generations.push(KeyGeneration {
                generation: row.generation,
                keys: SigningKeys::from_bytes(&plain).map_err(AuthError::internal)?,
                retired_at: row.retired_at,
            });
        }
        let keys = Arc::new(
            PoolKeys::new(generations)
                .ok_or_else(|| AuthError::internal("a pool without signing keys"))?,
        );
        self.pool_key_cache.put(&pool.id, keys.clone());
        Ok(keys)
    }

    /// A pool's first keys: a new pair, after the legacy pair if the pool is older than
    /// per-pool keys on this server.
    fn first_generations(&self, pool: &UserPool) -> Result<Vec<PoolKeyRow>, AuthError> {
        let now = self.clock.now();
        let mut rows = Vec::new();
        if let Some(legacy) = self
            .legacy_keys
            .as_ref()
            .filter(|l| pool.created_at < l.retired_at)
        {
            let plain = legacy.keys.to_bytes().map_err(AuthError::internal)?;
            rows.push(PoolKeyRow {
                pool_id: pool.id.clone(),
                generation: 0,
                keys: self.keys.seal(&context(&pool.id, 0), &plain).0,
                created_at: pool.created_at,
                retired_at: Some(legacy.retired_at),
            });
        }
        rows.push(self.new_generation(&pool.id, 1, now, None)?);
        Ok(rows)
    }

    /// A fresh pair as generation `generation` of `pool_id`, sealed.
    fn new_generation(
        &self,
        pool_id: &str,
        generation: i64,
        now: Millis,
        retired_at: Option<Millis>,
    ) -> Result<PoolKeyRow, AuthError> {
        let plain = SigningKeys::generate()
            .and_then(|k| k.to_bytes())
            .map_err(AuthError::internal)?;
        Ok(PoolKeyRow {
            pool_id: pool_id.to_string(),
            generation,
            keys: self.keys.seal(&context(pool_id, generation), &plain).0,
            created_at: now,
            retired_at,
        })
    }
}
