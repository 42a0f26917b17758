//! Pool settings parsed once per version, not once per request.
//!
//! Every request reads its pool, and the pool's settings (its schema above all) are a few
//! kilobytes of JSON: parsing them was a tenth of the CPU of a `GetUser`. The parsed
//! settings are remembered under the pool's id together with the text they came from, and
//! reused only while the stored text is byte-for-byte the same, so a change made by any
//! node is seen at the next read, exactly as without the memo.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use keystep_core::pool::PoolSettings;

use crate::codec;
use crate::error::Fail;

/// Pools remembered at most; past it the memo starts over (a server with more pools
/// than this in active use parses more often, and is otherwise unaffected).
const MAX_POOLS: usize = 4096;

type Memo = HashMap<String, (Box<str>, Arc<PoolSettings>)>;

static MEMO: LazyLock<Mutex<Memo>> = LazyLock::new(Default::default);

/// The settings `text` of pool `pool_id` parsed (and lifted, see
/// [`PoolSettings::lift_echo`]): the remembered ones when the text is unchanged.
pub(crate) fn pool_settings(pool_id: &str, text: &str) -> Result<Arc<PoolSettings>, Fail> {
    if let Some((seen, parsed)) = lock().get(pool_id) {
        if **seen == *text {
            return Ok(parsed.clone());
        }
    }
    let mut settings: PoolSettings = codec::from_json(text, "pool settings")?;
    settings.lift_echo();
    let parsed = Arc::new(settings);
    let mut memo = lock();
    if memo.len() >= MAX_POOLS && !memo.contains_key(pool_id) {
        memo.clear();
    }
    memo.insert(pool_id.to_string(), (text.into(), parsed.clone()));
    Ok(parsed)
}

/// The memo; a panic elsewhere while it was held leaves nothing half-written (each
/// change is one insert), so a poisoned lock is taken as it is.
fn lock() -> std::sync::MutexGuard<'static, Memo> {
    MEMO.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
}
