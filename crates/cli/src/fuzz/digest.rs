//! A snapshot of the durable data, read through the `Store` port, to tell whether a
//! request changed it.
//!
//! Covered: every pool, app client, user (all of `User`: attributes, status, enabled, MFA
//! settings, sealed password, version, ...), who holds each user's e-mail and phone
//! number as an alias (in pools that sign in with them), every group and its members,
//! and, for the tokens the fixture holds, their refresh token rows (the hash is keyed, so
//! only tokens whose value is known can be looked up) and whether the sign-in they came
//! from is revoked. Not covered, because rejected requests may change them legitimately:
//! abuse counters, sign-in sessions, one-time codes, single-use records, the outbox,
//! the delivery queue (its dispatcher works in the background), signing keys.

use std::collections::BTreeMap;
use std::sync::Arc;

use keystep_core::keys::KeyRing;
use keystep_core::pool::{AliasKind, UserPool};
use keystep_core::ports::Store;
use keystep_core::user::alias_key;

use super::signin::Tokens;

/// Page size of the listings.
const PAGE: u32 = 60;

/// The durable data, one entry per thing, as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    entries: BTreeMap<String, String>,
}

impl Snapshot {
    /// A short digest of the whole snapshot, for reports.
    pub fn digest(&self) -> String {
        let mut ctx = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
        for (k, v) in &self.entries {
            ctx.update(k.as_bytes());
            ctx.update(&[0]);
            ctx.update(v.as_bytes());
            ctx.update(&[0]);
        }
        let d = ctx.finish();
        d.as_ref()[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// How many things it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// What differs from `before`, at most `max` lines.
    pub fn diff(&self, before: &Snapshot, max: usize) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in &before.entries {
            match self.entries.get(k) {
                None => out.push(format!("removed {k}: {}", short(v))),
                Some(now) if now != v => out.push(format!("changed {k}: {}", changes(v, now))),
                Some(_) => {}
            }
        }
        for (k, v) in &self.entries {
            if !before.entries.contains_key(k) {
                out.push(format!("added {k}: {}", short(v)));
            }
        }
        let total = out.len();
        out.truncate(max);
        if total > max {
            out.push(format!("... and {} more", total - max));
        }
        out
    }

    /// Replaces the entry `key` (for tests of the checker).
    #[cfg(test)]
    pub fn put(&mut self, key: &str, value: &str) {
        self.entries.insert(key.to_string(), value.to_string());
    }
}

/// The leaves that differ between two JSON texts (`path: before -> after`), or both
/// texts when they are not JSON.
fn changes(before: &str, after: &str) -> String {
    let (Ok(a), Ok(b)) = (
        serde_json::from_str::<serde_json::Value>(before),
        serde_json::from_str::<serde_json::Value>(after),
    ) else {
        return format!("{} -> {}", short(before), short(after));
    };
    let (mut fa, mut fb) = (BTreeMap::new(), BTreeMap::new());
    flatten(&a, String::new(), &mut fa);
    flatten(&b, String::new(), &mut fb);
    let mut keys: Vec<&String> = fa.keys().chain(fb.keys()).collect();
    keys.sort();
    keys.dedup();
    let parts: Vec<String> = keys
        .into_iter()
        .filter(|k| fa.get(*k) != fb.get(*k))
        .map(|k| {
            let show =
                |m: &BTreeMap<String, String>| m.get(k).map_or("(none)".into(), |v| short(v));
            format!("{k}: {} -> {}", show(&fa), show(&fb))
        })
        .collect();
    parts.join("; ")
}

fn flatten(v: &serde_json::Value, path: String, out: &mut BTreeMap<String, String>) {
    match v {
        serde_json::Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(v, p, out);
            }
        }
        other => {
            out.insert(path, other.to_string());
        }
    }
}

fn short(v: &str) -> String {
    if v.len() <= 600 {
        return v.to_string();
    }
    let mut cut = 600;
    while !v.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}... ({} bytes)", &v[..cut], v.len())
}

/// The pool, `sub` and `origin_jti` claims of an access token (read, not verified: the
/// fuzzer holds the tokens the server issued).
fn sign_in_of(access_token: &str) -> Option<(String, String, String)> {
    use base64::Engine;
    let payload = access_token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let text = |k: &str| claims.get(k)?.as_str().map(str::to_string);
    let pool = text("iss")?.rsplit('/').next()?.to_string();
    Some((pool, text("sub")?, text("origin_jti")?))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string(v).map_err(|e| format!("snapshot: {e}"))
}

fn err(what: &str, e: impl std::fmt::Display) -> String {
    format!("reading {what} through the store: {e}")
}

/// Reads the snapshot, with the rows of `tokens`' refresh tokens and whether the sign-ins
/// their access tokens come from are revoked. Each pool is read by a task of its own, so
/// that the reads overlap.
pub async fn take(
    store: &Arc<dyn Store>,
    keys: &KeyRing,
    tokens: &[Tokens],
) -> Result<Snapshot, String> {
    let mut entries = BTreeMap::new();
    let mut after: Option<String> = None;
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let page = store
            .list_pools(after.as_deref(), PAGE)
            .await
            .map_err(|e| err("pools", e))?;
        for pool in page.items {
            let store = store.clone();
            tasks.spawn(async move { read_pool(&*store, pool).await });
        }
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    for t in tokens {
        if !t.refresh.is_empty() {
            let hash = keystep_core::tokens::refresh_token_hash(keys, &t.refresh);
            let row = store
                .get_refresh_token(&hash)
                .await
                .map_err(|e| err("refresh tokens", e))?;
            let name: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
            let value = match row {
                Some(r) => format!(
                    "pool={} client={} sub={} revoked={} expires={} device={:?}",
                    r.pool_id, r.client_id, r.sub, r.revoked, r.expires_at.0, r.device_key
                ),
                None => "-".into(),
            };
            entries.insert(format!("refresh/{name}"), value);
        }
        if let Some((pool_id, sub, origin)) = sign_in_of(&t.access) {
            let holder = store
                .get_token_holder(&pool_id, &sub, &origin)
                .await
                .map_err(|e| err("token holders", e))?;
            let value = holder.map_or_else(
                || "no pool".to_string(),
                |h| format!("revoked={}", h.origin_revoked),
            );
            entries.insert(format!("sign-in/{origin}"), value);
        }
    }
    while let Some(joined) = tasks.join_next().await {
        let pool_entries = joined.map_err(|e| format!("snapshot task: {e}"))??;
        entries.extend(pool_entries);
    }
    Ok(Snapshot { entries })
}

/// Everything of one pool: itself, its clients, users (and who holds their aliases),
/// groups and members.
async fn read_pool(store: &dyn Store, pool: UserPool) -> Result<Vec<(String, String)>, String> {
    let mut entries = vec![(format!("pool/{}", pool.id), json(&pool)?)];
    // Only the kinds the pool signs in with can be claimed as aliases.
    let ids = &pool.settings.identifiers;
    let mut alias_kinds: Vec<AliasKind> = ids
        .username_attributes
        .iter()
        .chain(&ids.alias_attributes)
        .copied()
        .filter(|k| matches!(k, AliasKind::Email | AliasKind::PhoneNumber))
        .collect();
    alias_kinds.sort();
    alias_kinds.dedup();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_clients(&pool.id, after.as_deref(), PAGE)
            .await
            .map_err(|e| err("clients", e))?;
        for c in &page.items {
            entries.push((format!("client/{}/{}", pool.id, c.client_id), json(c)?));
        }
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_users(&pool.id, None, after.as_deref(), PAGE)
            .await
            .map_err(|e| err("users", e))?;
        for u in &page.items {
            entries.push((format!("user/{}/{}", pool.id, u.username_key), json(u)?));
            for kind in &alias_kinds {
                let kind = *kind;
                let Some(value) = u.attr(kind.attribute()) else {
                    continue;
                };
                let key = alias_key(&pool, kind, value);
                let holder = store
                    .get_user_by_alias(&pool.id, kind, &key)
                    .await
                    .map_err(|e| err("aliases", e))?;
                entries.push((
                    format!("alias/{}/{}/{key}", pool.id, kind.attribute()),
                    holder.map_or_else(|| "-".to_string(), |h| h.sub),
                ));
            }
        }
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_groups(&pool.id, after.as_deref(), PAGE)
            .await
            .map_err(|e| err("groups", e))?;
        for g in &page.items {
            entries.push((format!("group/{}/{}", pool.id, g.name), json(g)?));
            let mut members = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let page = store
                    .users_in_group(&pool.id, &g.name, after.as_deref(), PAGE)
                    .await
                    .map_err(|e| err("group members", e))?;
                members.extend(page.items.into_iter().map(|u| u.sub));
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
            entries.push((format!("members/{}/{}", pool.id, g.name), members.join(",")));
        }
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_name_what_changed() {
        let mut a = Snapshot::default();
        a.put("user/p/alice", "{\"v\":1}");
        a.put("user/p/bob", "{}");
        let mut b = a.clone();
        assert_eq!(a.digest(), b.digest());
        assert!(b.diff(&a, 10).is_empty());
        b.put("user/p/alice", "{\"v\":2}");
        b.put("group/p/g", "{}");
        assert_ne!(a.digest(), b.digest());
        let d = b.diff(&a, 10);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0], "changed user/p/alice: v: 1 -> 2", "{d:?}");
        assert!(d[1].starts_with("added group/p/g"), "{d:?}");
        assert_eq!(b.diff(&a, 1).len(), 2);
    }
}
