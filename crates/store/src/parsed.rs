//! Pool and app client settings parsed once per version, not once per request.
//!
//! Every request reads its pool, and the pool's settings (its schema above all) are a few
//! kilobytes of JSON: parsing them was a tenth of the CPU of a `GetUser`. Sign-in and
//! refresh read their app client too, whose settings were the largest part of that read
//! (round 7 in `docs/performance.md`). The parsed settings are remembered under the pool's
//! or client's id together with the text they came from, and reused only while the stored
//! text is byte-for-byte the same, so a change made by any node is seen at the next read,
//! exactly as without the memo.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use keystep_core::app_client::ClientSettings;
use keystep_core::pool::PoolSettings;

use crate::codec;
use crate::error::Fail;

/// Pools (and, separately, clients) remembered at most; past it the memo starts over (a
/// server with more than this in active use parses more often, and is otherwise
/// unaffected).
const MAX_ENTRIES: usize = 4096;

/// Parsed settings by id, with the text they were parsed from.
type Entries<T> = HashMap<String, (Box<str>, Arc<T>)>;
type Memo<T> = Mutex<Entries<T>>;

static POOLS: LazyLock<Memo<PoolSettings>> = LazyLock::new(Default::default);
static CLIENTS: LazyLock<Memo<ClientSettings>> = LazyLock::new(Default::default);

/// The settings `text` of pool `pool_id` parsed (and lifted, see
/// [`PoolSettings::lift_echo`]): the remembered ones when the text is unchanged.
pub(crate) fn pool_settings(pool_id: &str, text: &str) -> Result<Arc<PoolSettings>, Fail> {
    remembered(&POOLS, pool_id, text, || {
        let mut settings: PoolSettings = codec::from_json(text, "pool settings")?;
        settings.lift_echo();
        Ok(settings)
    })
}

/// The settings `text` of app client `client_id` parsed: the remembered ones when the
/// text is unchanged.
pub(crate) fn client_settings(client_id: &str, text: &str) -> Result<Arc<ClientSettings>, Fail> {
    remembered(&CLIENTS, client_id, text, || {
        codec::from_json(text, "client settings")
    })
}

/// What `memo` holds for `id` if it was parsed from `text`, else `parse()` remembered.
fn remembered<T>(
    memo: &Memo<T>,
    id: &str,
    text: &str,
    parse: impl FnOnce() -> Result<T, Fail>,
) -> Result<Arc<T>, Fail> {
    if let Some((seen, parsed)) = lock(memo).get(id) {
        if **seen == *text {
            return Ok(parsed.clone());
        }
    }
    let parsed = Arc::new(parse()?);
    let mut memo = lock(memo);
    if memo.len() >= MAX_ENTRIES && !memo.contains_key(id) {
        memo.clear();
    }
    memo.insert(id.to_string(), (text.into(), parsed.clone()));
    Ok(parsed)
}

/// A memo; a panic elsewhere while it was held leaves nothing half-written (each change
/// is one insert), so a poisoned lock is taken as it is.
fn lock<T>(memo: &Memo<T>) -> std::sync::MutexGuard<'_, Entries<T>> {
    memo.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_text_is_parsed_again() {
        let a = serde_json::to_string(&PoolSettings::default()).unwrap_or_default();
        let first = pool_settings("us-east-1_memo", &a).unwrap_or_else(|_| panic!("parses"));
        let again = pool_settings("us-east-1_memo", &a).unwrap_or_else(|_| panic!("parses"));
        assert!(Arc::ptr_eq(&first, &again), "unchanged text is reused");
        let mut changed = PoolSettings::default();
        changed.tags.insert("k".into(), "v".into());
        let b = serde_json::to_string(&changed).unwrap_or_default();
        let after = pool_settings("us-east-1_memo", &b).unwrap_or_else(|_| panic!("parses"));
        assert_eq!(after.tags.get("k").map(String::as_str), Some("v"));
        assert!(pool_settings("us-east-1_memo", "{not json").is_err());
        // A failed parse leaves the last good one for its own text.
        let b_again = pool_settings("us-east-1_memo", &b).unwrap_or_else(|_| panic!("parses"));
        assert!(Arc::ptr_eq(&after, &b_again));
    }

    #[test]
    fn a_clients_settings_are_reused_only_while_their_text_is_unchanged() {
        let a = serde_json::to_string(&ClientSettings::default()).unwrap_or_default();
        let first = client_settings("memo-client", &a).unwrap_or_else(|_| panic!("parses"));
        let again = client_settings("memo-client", &a).unwrap_or_else(|_| panic!("parses"));
        assert!(Arc::ptr_eq(&first, &again), "unchanged text is reused");
        let changed = ClientSettings {
            prevent_user_existence_errors: !first.prevent_user_existence_errors,
            ..ClientSettings::default()
        };
        let b = serde_json::to_string(&changed).unwrap_or_default();
        let after = client_settings("memo-client", &b).unwrap_or_else(|_| panic!("parses"));
        assert_eq!(*after, changed);
        // Another client with the first text gets its own entry, not this one's.
        let other = client_settings("memo-other", &a).unwrap_or_else(|_| panic!("parses"));
        assert_eq!(*other, ClientSettings::default());
    }
}
