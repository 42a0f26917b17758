//! The fixture each server is attacked with, built and kept in shape through the API: a
//! plain username pool and an e-mail-as-username pool with MFA (each with a public app
//! client, one with a secret, and a scratch client), a group per pool, users in several
//! states (`accounts.rs`), and a scratch pool for the operations that change or delete
//! whole pools.
//!
//! Valid requests change the fixture (a user deleted, a client updated, a password
//! changed), so a refresh repairs it: whatever drifted from what was built is deleted and
//! built again, entities the requests created beyond a few are deleted, and new tokens and
//! sessions are obtained. Durable data is read through the `Store` port; every change is
//! made through the API.

use std::collections::BTreeSet;

use keystep_core::pool::AliasKind;
use keystep_core::ports::Store;
use keystep_core::user::alias_key;
use serde_json::{json, Value};

use super::accounts::{self, Role, UserFix};
use super::picks::scratch_name;
use super::server::Target;
use super::signin::{Challenge, Client, Code, Tokens, TotpSetup};
use super::wire::{CallError, Wire};

/// The password of every fixture user.
pub const PASSWORD: &str = "Fuzz-Horse-9!x";
/// The password valid answers to `NEW_PASSWORD_REQUIRED` set.
pub const NEW_PASSWORD: &str = "Fuzz-Horse-9!y";

/// Scratch users a pool keeps before a refresh deletes them.
const MAX_SCRATCH_USERS: usize = 30;
/// Scratch app clients a pool keeps before a refresh deletes them.
const MAX_SCRATCH_CLIENTS: usize = 4;
/// Scratch groups a pool keeps before a refresh deletes them.
const MAX_SCRATCH_GROUPS: usize = 6;
/// Scratch users a refresh makes sure exist (`fz-0` ..).
const SCRATCH_SEEDED: u32 = 4;

/// The two kinds of fixture pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolKind {
    /// Usernames, `email` as an alias, optional TOTP that nobody has set up.
    Plain,
    /// `email` is the username; MFA required (SMS and TOTP).
    EmailMfa,
}

/// A fixture pool and what lives in it.
#[derive(Debug, Clone)]
pub struct PoolFix {
    /// Which kind.
    pub kind: PoolKind,
    /// The pool id.
    pub id: String,
    /// `[0]` without a secret, `[1]` with one.
    pub clients: Vec<Client>,
    /// A client the templates may update and delete.
    pub scratch_client: Option<String>,
    /// The fixture group.
    pub group: String,
    /// The fixture users.
    pub users: Vec<UserFix>,
    /// Tokens of signed-in fixture users.
    pub tokens: Vec<Tokens>,
    /// Challenges waiting for an answer.
    pub challenges: Vec<Challenge>,
    /// Codes asked for and not entered yet.
    pub codes: Vec<Code>,
    /// TOTP secrets associated and not verified yet.
    pub totp: Vec<TotpSetup>,
    /// The pool's and fixture clients' settings as built, to tell drift.
    baseline: Vec<String>,
}

/// Everything a server's requests are made from.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Prefix of the names this fixture gives (`fz0`, ...).
    pub prefix: String,
    /// `[0]` plain, `[1]` e-mail with MFA.
    pub pools: Vec<PoolFix>,
    /// A pool the templates may update and delete, and a client of it.
    pub scratch: Option<(String, String)>,
    /// Pools that were in the database before the run (never deleted).
    preexisting: BTreeSet<String>,
}

impl Fixture {
    /// Every set of tokens the fixture holds.
    pub fn tokens(&self) -> Vec<Tokens> {
        self.pools.iter().flat_map(|p| p.tokens.clone()).collect()
    }
}

/// The `UserPool.Id` / `UserPoolClient.ClientId` style string at `path` of `v`.
pub fn text_at(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_string)
}

fn missing(op: &str, what: &str) -> String {
    format!("{op} answered without {what}")
}

/// Builds the fixture on `target`.
pub async fn build(target: &Target, wire: &Wire, prefix: &str) -> Result<Fixture, String> {
    let store = &*target.state.keystep.store;
    let preexisting = pool_ids(store).await?;
    let mut warnings = Vec::new();
    let mut pools = Vec::new();
    for kind in [PoolKind::Plain, PoolKind::EmailMfa] {
        let mut pool = build_pool(wire, store, prefix, kind).await?;
        seed_scratch(wire, store, prefix, &pool).await?;
        accounts::renew(wire, store, &mut pool, &mut warnings).await;
        pools.push(pool);
    }
    let mut fixture = Fixture {
        prefix: prefix.to_string(),
        pools,
        scratch: None,
        preexisting,
    };
    fixture.scratch = Some(scratch_pool(wire, store, &fixture).await?);
    if let Some(w) = warnings.first() {
        return Err(format!("signing the fixture users in: {w}"));
    }
    Ok(fixture)
}

/// Repairs the fixture, trims what the requests created, and renews tokens and sessions;
/// with `clear`, first forgets the fixture users' abuse counters. Problems that do not
/// stop the run are returned as warnings.
pub async fn refresh(
    target: &Target,
    wire: &Wire,
    old: &Fixture,
    clear: bool,
) -> (Fixture, Vec<String>) {
    let store = &*target.state.keystep.store;
    let mut warnings = Vec::new();
    let mut fixture = old.clone();
    for pool in &mut fixture.pools {
        if clear {
            accounts::clear_counters(store, pool).await;
        }
        let drifted = match baseline(store, pool).await {
            Ok(now) => now != pool.baseline,
            Err(e) => {
                warnings.push(e);
                true
            }
        };
        if drifted {
            delete_pool(wire, &pool.id).await;
            match build_pool(wire, store, &old.prefix, pool.kind).await {
                Ok(p) => *pool = p,
                Err(e) => {
                    warnings.push(format!("rebuilding pool {}: {e}", pool.id));
                    continue;
                }
            }
        } else {
            if let Err(e) = repair_pool(wire, store, pool).await {
                warnings.push(e);
            }
            accounts::repair(wire, store, pool, &mut warnings).await;
        }
        if let Err(e) = seed_scratch(wire, store, &old.prefix, pool).await {
            warnings.push(e);
        }
        accounts::renew(wire, store, pool, &mut warnings).await;
    }
    if let Err(e) = delete_foreign_pools(wire, store, &fixture).await {
        warnings.push(e);
    }
    match scratch_pool(wire, store, &fixture).await {
        Ok(s) => fixture.scratch = Some(s),
        Err(e) => warnings.push(format!("scratch pool: {e}")),
    }
    (fixture, warnings)
}

async fn pool_ids(store: &dyn Store) -> Result<BTreeSet<String>, String> {
    let mut ids = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_pools(after.as_deref(), 60)
            .await
            .map_err(|e| format!("listing pools: {e}"))?;
        ids.extend(page.items.into_iter().map(|p| p.id));
        match page.next {
            Some(n) => after = Some(n),
            None => return Ok(ids),
        }
    }
}

fn create_pool_body(prefix: &str, kind: PoolKind) -> Value {
    match kind {
        PoolKind::Plain => json!({"PoolName": format!("{prefix}-plain"),
            "DeletionProtection": "ACTIVE", "AliasAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"], "MfaConfiguration": "OFF",
            "UsernameConfiguration": {"CaseSensitive": false}}),
        PoolKind::EmailMfa => json!({"PoolName": format!("{prefix}-email-mfa"),
            "DeletionProtection": "ACTIVE", "UsernameAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"], "MfaConfiguration": "OFF"}),
    }
}

async fn create_client(
    wire: &Wire,
    pool_id: &str,
    name: &str,
    secret: bool,
) -> Result<Client, CallError> {
    let v = wire
        .call(
            "CreateUserPoolClient",
            &json!({"UserPoolId": pool_id, "ClientName": name, "GenerateSecret": secret,
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
                    "ALLOW_CUSTOM_AUTH"],
                "PreventUserExistenceErrors": if secret { "LEGACY" } else { "ENABLED" },
                "EnableTokenRevocation": true}),
        )
        .await?;
    Ok(Client {
        id: text_at(&v, &["UserPoolClient", "ClientId"]).unwrap_or_default(),
        secret: text_at(&v, &["UserPoolClient", "ClientSecret"]),
    })
}

async fn create_group(wire: &Wire, pool_id: &str, name: &str) -> Result<(), CallError> {
    wire.call(
        "CreateGroup",
        &json!({"UserPoolId": pool_id, "GroupName": name, "Precedence": 1,
            "Description": "the fuzzer's fixture group"}),
    )
    .await
    .map(|_| ())
}

async fn build_pool(
    wire: &Wire,
    store: &dyn Store,
    prefix: &str,
    kind: PoolKind,
) -> Result<PoolFix, String> {
    let v = wire
        .call("CreateUserPool", &create_pool_body(prefix, kind))
        .await
        .map_err(|e| e.to_string())?;
    let id = text_at(&v, &["UserPool", "Id"]).ok_or_else(|| missing("CreateUserPool", "Id"))?;
    // The plain pool offers TOTP as an option (nobody has it until a request sets it
    // up); the e-mail pool requires MFA by SMS or TOTP.
    let mfa = match kind {
        PoolKind::Plain => json!({"UserPoolId": id, "MfaConfiguration": "OPTIONAL",
            "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
        PoolKind::EmailMfa => json!({"UserPoolId": id, "MfaConfiguration": "ON",
            "SmsMfaConfiguration": {"SmsConfiguration":
                {"SnsCallerArn": "arn:aws:iam::000000000000:role/fuzz-sns"}},
            "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    };
    wire.call("SetUserPoolMfaConfig", &mfa)
        .await
        .map_err(|e| e.to_string())?;
    let mut clients = Vec::new();
    for (name, secret) in [("public", false), ("secret", true)] {
        clients.push(
            create_client(wire, &id, name, secret)
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    let scratch_client = create_client(wire, &id, "scratch", false)
        .await
        .map_err(|e| e.to_string())?
        .id;
    let group = format!("{prefix}-group");
    create_group(wire, &id, &group)
        .await
        .map_err(|e| e.to_string())?;
    let mut pool = PoolFix {
        kind,
        id,
        clients,
        scratch_client: Some(scratch_client),
        group,
        users: Vec::new(),
        tokens: Vec::new(),
        challenges: Vec::new(),
        codes: Vec::new(),
        totp: Vec::new(),
        baseline: Vec::new(),
    };
    for spec in accounts::specs(prefix, kind) {
        let user = accounts::create(wire, &pool, spec)
            .await
            .map_err(|e| format!("fixture user: {e}"))?;
        pool.users.push(user);
    }
    pool.baseline = baseline(store, &pool).await?;
    Ok(pool)
}

/// The pool's settings, its fixture clients' settings and its group, as JSON: what must
/// not drift.
async fn baseline(store: &dyn Store, pool: &PoolFix) -> Result<Vec<String>, String> {
    let e = |e: keystep_core::StoreError| format!("reading pool {}: {e}", pool.id);
    let mut out = Vec::new();
    let settings = store
        .get_pool(&pool.id)
        .await
        .map_err(e)?
        .map(|p| serde_json::to_string(&(p.name, p.settings)).unwrap_or_default());
    out.push(settings.unwrap_or_else(|| "gone".into()));
    for c in &pool.clients {
        let client = store.get_client(&c.id).await.map_err(e)?;
        out.push(client.map_or_else(
            || "gone".into(),
            |c| {
                serde_json::to_string(&(c.name, c.settings, c.secret.is_some())).unwrap_or_default()
            },
        ));
    }
    Ok(out)
}

/// Puts back the scratch client and the group; deletes surplus scratch entities.
async fn repair_pool(wire: &Wire, store: &dyn Store, pool: &mut PoolFix) -> Result<(), String> {
    let e = |e: keystep_core::StoreError| format!("reading pool {}: {e}", pool.id);
    let scratch_ok = match &pool.scratch_client {
        Some(id) => store.get_client(id).await.map_err(e)?.is_some(),
        None => false,
    };
    if !scratch_ok {
        pool.scratch_client = create_client(wire, &pool.id, "scratch", false)
            .await
            .ok()
            .map(|c| c.id);
    }
    let group = store.get_group(&pool.id, &pool.group).await.map_err(e)?;
    let intact = group.is_some_and(|g| {
        g.precedence == Some(1)
            && g.description.as_deref() == Some("the fuzzer's fixture group")
            && g.role_arn.is_none()
    });
    if !intact {
        let _ = wire
            .call(
                "DeleteGroup",
                &json!({"UserPoolId": pool.id, "GroupName": pool.group}),
            )
            .await;
        create_group(wire, &pool.id, &pool.group)
            .await
            .map_err(|e| e.to_string())?;
    }

    let fixture_subs: BTreeSet<&str> = pool.users.iter().map(|u| u.sub.as_str()).collect();
    let users = store
        .list_users(&pool.id, None, None, 200)
        .await
        .map_err(e)?;
    let extra: Vec<_> = users
        .items
        .iter()
        .filter(|u| !fixture_subs.contains(u.sub.as_str()))
        .collect();
    if extra.len() > MAX_SCRATCH_USERS || users.next.is_some() {
        for u in extra {
            let _ = wire
                .call(
                    "AdminDeleteUser",
                    &json!({"UserPoolId": pool.id, "Username": u.username}),
                )
                .await;
        }
    }
    let mut keep: BTreeSet<&str> = pool.clients.iter().map(|c| c.id.as_str()).collect();
    keep.extend(pool.scratch_client.as_deref());
    let clients = store.list_clients(&pool.id, None, 60).await.map_err(e)?;
    let extra: Vec<_> = clients
        .items
        .iter()
        .filter(|c| !keep.contains(c.client_id.as_str()))
        .collect();
    if extra.len() > MAX_SCRATCH_CLIENTS || clients.next.is_some() {
        for c in extra {
            let _ = wire
                .call(
                    "DeleteUserPoolClient",
                    &json!({"UserPoolId": pool.id, "ClientId": c.client_id}),
                )
                .await;
        }
    }
    let groups = store.list_groups(&pool.id, None, 60).await.map_err(e)?;
    let extra: Vec<_> = groups
        .items
        .iter()
        .filter(|g| g.name != pool.group)
        .collect();
    if extra.len() > MAX_SCRATCH_GROUPS || groups.next.is_some() {
        for g in extra {
            let _ = wire
                .call(
                    "DeleteGroup",
                    &json!({"UserPoolId": pool.id, "GroupName": g.name}),
                )
                .await;
        }
    }
    Ok(())
}

/// Makes sure the first scratch users and the first scratch group exist, so that the
/// operations aimed at scratch entities find some.
async fn seed_scratch(
    wire: &Wire,
    store: &dyn Store,
    prefix: &str,
    pool: &PoolFix,
) -> Result<(), String> {
    let e = |e: keystep_core::StoreError| format!("reading pool {}: {e}", pool.id);
    let Some(stored) = store.get_pool(&pool.id).await.map_err(e)? else {
        return Ok(());
    };
    for n in 0..SCRATCH_SEEDED {
        let name = scratch_name(pool.kind, prefix, n);
        let exists = match pool.kind {
            PoolKind::Plain => store
                .get_user(&pool.id, &stored.username_key(&name))
                .await
                .map_err(e)?
                .is_some(),
            PoolKind::EmailMfa => {
                let key = alias_key(&stored, AliasKind::Email, &name);
                store
                    .get_user_by_alias(&pool.id, AliasKind::Email, &key)
                    .await
                    .map_err(e)?
                    .is_some()
            }
        };
        if exists {
            continue;
        }
        let mut body = json!({"UserPoolId": pool.id, "Username": name,
            "MessageAction": "SUPPRESS", "TemporaryPassword": PASSWORD});
        if pool.kind == PoolKind::EmailMfa {
            body["UserAttributes"] = json!([{"Name": "email", "Value": name}, {"Name": "email_verified", "Value": "true"}]);
        }
        if wire.call("AdminCreateUser", &body).await.is_ok() && n % 2 == 0 {
            let _ = wire
                .call(
                    "AdminSetUserPassword",
                    &json!({"UserPoolId": pool.id, "Username": name, "Password": PASSWORD,
                        "Permanent": true}),
                )
                .await;
        }
    }
    if store
        .get_group(&pool.id, "fzg-0")
        .await
        .map_err(e)?
        .is_none()
    {
        let _ = wire
            .call(
                "CreateGroup",
                &json!({"UserPoolId": pool.id, "GroupName": "fzg-0"}),
            )
            .await;
    }
    Ok(())
}

/// Deletes a pool, switching its deletion protection off first.
async fn delete_pool(wire: &Wire, pool_id: &str) {
    let _ = wire
        .call(
            "UpdateUserPool",
            &json!({"UserPoolId": pool_id, "DeletionProtection": "INACTIVE"}),
        )
        .await;
    let _ = wire
        .call("DeleteUserPool", &json!({"UserPoolId": pool_id}))
        .await;
}

/// Deletes every pool made during the run (on a database the caller keeps).
pub async fn remove(target: &Target, wire: &Wire, fixture: &Fixture) -> Result<(), String> {
    let store = &*target.state.keystep.store;
    for id in pool_ids(store).await? {
        if !fixture.preexisting.contains(&id) {
            delete_pool(wire, &id).await;
        }
    }
    Ok(())
}

/// Deletes the pools the requests created (all but the fixture's, the scratch pool and
/// what was there before the run).
async fn delete_foreign_pools(
    wire: &Wire,
    store: &dyn Store,
    fixture: &Fixture,
) -> Result<(), String> {
    let mut keep: BTreeSet<String> = fixture.preexisting.clone();
    keep.extend(fixture.pools.iter().map(|p| p.id.clone()));
    keep.extend(fixture.scratch.iter().map(|(p, _)| p.clone()));
    for id in pool_ids(store).await? {
        if !keep.contains(&id) {
            delete_pool(wire, &id).await;
        }
    }
    Ok(())
}

/// The scratch pool and its client: the existing ones while they are there and small,
/// else new ones.
async fn scratch_pool(
    wire: &Wire,
    store: &dyn Store,
    fixture: &Fixture,
) -> Result<(String, String), String> {
    if let Some((pool_id, client_id)) = &fixture.scratch {
        let pool = store.get_pool(pool_id).await.map_err(|e| e.to_string())?;
        let client = store
            .get_client(client_id)
            .await
            .map_err(|e| e.to_string())?;
        let users = store
            .count_users(pool_id)
            .await
            .map_err(|e| e.to_string())?;
        if pool.is_some() && client.is_some() && users <= MAX_SCRATCH_USERS as u64 {
            return Ok((pool_id.clone(), client_id.clone()));
        }
        delete_pool(wire, pool_id).await;
    }
    let v = wire
        .call(
            "CreateUserPool",
            &json!({"PoolName": format!("{}-scratch", fixture.prefix),
                "AliasAttributes": ["email", "phone_number", "preferred_username"]}),
        )
        .await
        .map_err(|e| e.to_string())?;
    let pool_id =
        text_at(&v, &["UserPool", "Id"]).ok_or_else(|| missing("CreateUserPool", "Id"))?;
    let client = create_client(wire, &pool_id, "scratch", false)
        .await
        .map_err(|e| e.to_string())?;
    Ok((pool_id, client.id))
}

/// Whether `role` users are members of the fixture group.
pub fn in_group(role: Role) -> bool {
    matches!(role, Role::Confirmed | Role::SmsMfa)
}
