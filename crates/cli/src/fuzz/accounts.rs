//! The fixture users: one recipe per state (confirmed, must change password, unconfirmed,
//! disabled, reset required, MFA by SMS, MFA to set up, TOTP enrolled), made through the
//! API; a user who changed in any way since the last refresh is made again; and the
//! sign-ins that give the fixture its tokens and waiting challenges.

use std::collections::BTreeMap;

use keystep_core::code::CodePurpose;
use keystep_core::limits::{budget_key, lock_key, Budget, Lock, Subject};
use keystep_core::ports::Store;
use serde_json::{json, Value};

use super::fixture::{in_group, PoolFix, PoolKind, NEW_PASSWORD, PASSWORD};
use super::signin::{self, Challenge, Code, Step, Tokens, TotpSetup};
use super::wire::{CallError, Wire};

/// What state a fixture user is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `CONFIRMED`, in the group; signs in with tokens.
    Confirmed,
    /// `FORCE_CHANGE_PASSWORD`: signing in gives `NEW_PASSWORD_REQUIRED`.
    ForceChange,
    /// `UNCONFIRMED` (signed up, no code entered).
    Unconfirmed,
    /// `CONFIRMED` but disabled.
    Disabled,
    /// `RESET_REQUIRED`.
    ResetRequired,
    /// `CONFIRMED`; the tokens that destructive token operations use.
    Victim,
    /// MFA by SMS (a verified phone number); in the group.
    SmsMfa,
    /// No usable factor in an MFA-required pool: `MFA_SETUP`.
    MfaSetup,
    /// TOTP enrolled: `SOFTWARE_TOKEN_MFA`.
    Totp,
}

/// A fixture user.
#[derive(Debug, Clone)]
pub struct UserFix {
    /// The name requests address it by (the e-mail in the e-mail pool).
    pub name: String,
    /// Its state.
    pub role: Role,
    /// Its `sub`.
    pub sub: String,
    /// Its `email`, if any.
    pub email: Option<String>,
    /// Its `phone_number`, if any.
    pub phone: Option<String>,
    /// The TOTP secret (base32) of a TOTP user.
    pub totp_secret: Option<String>,
    /// The stored version after the last refresh; any other version means it changed.
    pub version: i64,
}

/// The users of a pool of `kind`, not yet created.
pub fn specs(prefix: &str, kind: PoolKind) -> Vec<UserFix> {
    let user = |name: String, role: Role, email: Option<String>, phone: Option<&str>| UserFix {
        name,
        role,
        sub: String::new(),
        email,
        phone: phone.map(str::to_string),
        totp_secret: None,
        version: -1,
    };
    match kind {
        PoolKind::Plain => vec![
            user(
                "alice".into(),
                Role::Confirmed,
                Some(format!("alice@{prefix}.example")),
                None,
            ),
            user("bob".into(), Role::ForceChange, None, None),
            user(
                "carol".into(),
                Role::Unconfirmed,
                Some(format!("carol@{prefix}.example")),
                None,
            ),
            user("dave".into(), Role::Disabled, None, None),
            user("erin".into(), Role::ResetRequired, None, None),
            user("zed".into(), Role::Victim, None, Some("+15555550199")),
        ],
        PoolKind::EmailMfa => ["sms", "setup", "totp", "new"]
            .into_iter()
            .zip([Role::SmsMfa, Role::MfaSetup, Role::Totp, Role::Unconfirmed])
            .map(|(n, role)| {
                let email = format!("{n}@{prefix}.example");
                let phone = (role == Role::SmsMfa).then_some("+15555550100");
                user(email.clone(), role, Some(email), phone)
            })
            .collect(),
    }
}

fn attributes(user: &UserFix) -> Value {
    let mut attrs = Vec::new();
    if let Some(e) = &user.email {
        attrs.push(json!({"Name": "email", "Value": e}));
        if user.role != Role::Unconfirmed {
            attrs.push(json!({"Name": "email_verified", "Value": "true"}));
        }
    }
    if let Some(p) = &user.phone {
        attrs.push(json!({"Name": "phone_number", "Value": p}));
        attrs.push(json!({"Name": "phone_number_verified", "Value": "true"}));
    }
    Value::Array(attrs)
}

fn sub_of(user: &Value) -> Option<String> {
    user["Attributes"]
        .as_array()?
        .iter()
        .find(|a| a["Name"] == "sub")
        .and_then(|a| a["Value"].as_str())
        .map(str::to_string)
}

/// Creates `user` in `pool` in the state its role says.
pub async fn create(wire: &Wire, pool: &PoolFix, mut user: UserFix) -> Result<UserFix, CallError> {
    let pool_id = pool.id.as_str();
    let name = user.name.clone();
    if user.role == Role::Unconfirmed {
        let v = wire
            .call(
                "SignUp",
                &json!({"ClientId": pool.clients[0].id, "Username": name, "Password": PASSWORD,
                    "UserAttributes": attributes(&user)}),
            )
            .await?;
        user.sub = v["UserSub"].as_str().unwrap_or_default().to_string();
        return Ok(user);
    }
    let mut body = json!({"UserPoolId": pool_id, "Username": name,
        "UserAttributes": attributes(&user), "MessageAction": "SUPPRESS"});
    if user.role == Role::ForceChange {
        body["TemporaryPassword"] = Value::String(PASSWORD.into());
    }
    let v = wire.call("AdminCreateUser", &body).await?;
    user.sub = sub_of(&v["User"]).unwrap_or_default();
    let admin = |op: &'static str, extra: Value| {
        let mut body = json!({"UserPoolId": pool_id, "Username": name});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        async move { wire.call(op, &body).await.map(|_| ()) }
    };
    if user.role != Role::ForceChange {
        admin(
            "AdminSetUserPassword",
            json!({"Password": PASSWORD, "Permanent": true}),
        )
        .await?;
    }
    match user.role {
        Role::Disabled => admin("AdminDisableUser", json!({})).await?,
        Role::ResetRequired => admin("AdminResetUserPassword", json!({})).await?,
        Role::Totp => user.totp_secret = Some(enroll_totp(wire, pool, &name).await?),
        _ => {}
    }
    if in_group(user.role) {
        admin("AdminAddUserToGroup", json!({"GroupName": pool.group})).await?;
    }
    Ok(user)
}

/// Walks `MFA_SETUP` with TOTP (associate, verify, answer); returns the secret.
async fn enroll_totp(wire: &Wire, pool: &PoolFix, name: &str) -> Result<String, CallError> {
    let fail = |op: &str, what: &str| CallError {
        op: op.to_string(),
        status: 200,
        name: "Unexpected".into(),
        message: what.to_string(),
    };
    let client = &pool.clients[0];
    let Step::Challenge {
        name: c, session, ..
    } = signin::password(wire, client, name, PASSWORD).await?
    else {
        return Err(fail("InitiateAuth", "tokens instead of MFA_SETUP"));
    };
    if c != "MFA_SETUP" {
        return Err(fail("InitiateAuth", &format!("{c} instead of MFA_SETUP")));
    }
    let v = wire
        .call("AssociateSoftwareToken", &json!({"Session": session}))
        .await?;
    let secret = v["SecretCode"]
        .as_str()
        .ok_or_else(|| fail("AssociateSoftwareToken", "no SecretCode"))?
        .to_string();
    let code = signin::totp_code(&secret, 0)
        .ok_or_else(|| fail("AssociateSoftwareToken", "SecretCode is not base32"))?;
    let v = wire
        .call(
            "VerifySoftwareToken",
            &json!({"Session": v["Session"], "UserCode": code, "FriendlyDeviceName": "fuzz"}),
        )
        .await?;
    let challenge = Challenge {
        name: "MFA_SETUP".into(),
        session: v["Session"].as_str().map(str::to_string),
        client: 0,
        responses: BTreeMap::from([("USERNAME".to_string(), name.to_string())]),
        admin: false,
    };
    match signin::respond(wire, &pool.id, client, &challenge).await? {
        Step::Done { .. } => Ok(secret),
        Step::Challenge { name, .. } => Err(fail("RespondToAuthChallenge", &name)),
    }
}

/// Clears the abuse counters of the pool's fixture users (bookkeeping, written through
/// the `Store` port): the fuzzer's wrong guesses must not lock them out for the rest of
/// the run.
pub async fn clear_counters(store: &dyn Store, pool: &PoolFix) {
    let purposes = [
        CodePurpose::SignUp,
        CodePurpose::ForgotPassword,
        CodePurpose::VerifyEmail,
        CodePurpose::VerifyPhone,
    ];
    let mut budgets = vec![Budget::SignInCodes, Budget::ChangePassword];
    for p in purposes {
        budgets.push(Budget::CodeRequests(p));
        budgets.push(Budget::CodeAttempts(p));
    }
    for user in &pool.users {
        let subject = Subject::User {
            pool_id: &pool.id,
            sub: &user.sub,
        };
        let mut keys: Vec<String> = budgets.iter().map(|b| budget_key(*b, &subject)).collect();
        keys.push(lock_key(Lock::Password, &subject));
        keys.push(lock_key(Lock::SecondFactor, &subject));
        for key in keys {
            let _ = store.delete_counter(&key).await;
        }
    }
}

/// Makes again every fixture user that changed since the last refresh.
pub async fn repair(
    wire: &Wire,
    store: &dyn Store,
    pool: &mut PoolFix,
    warnings: &mut Vec<String>,
) {
    let mut users = std::mem::take(&mut pool.users);
    for user in &mut users {
        let stored = store.get_user_by_sub(&pool.id, &user.sub).await;
        let member = match store.groups_of_user(&pool.id, &user.sub).await {
            Ok(groups) => groups.iter().any(|g| g.name == pool.group),
            Err(_) => false,
        };
        let intact = matches!(&stored, Ok(Some(u)) if u.version == user.version)
            && member == in_group(user.role);
        if intact {
            continue;
        }
        if let Ok(Some(u)) = &stored {
            let _ = wire
                .call(
                    "AdminDeleteUser",
                    &json!({"UserPoolId": pool.id, "Username": u.username}),
                )
                .await;
        }
        // Someone else may hold the name (a request created it after ours was deleted).
        let _ = wire
            .call(
                "AdminDeleteUser",
                &json!({"UserPoolId": pool.id, "Username": user.name}),
            )
            .await;
        match create(wire, pool, user.clone()).await {
            Ok(made) => *user = made,
            Err(e) => warnings.push(format!("re-creating {}: {e}", user.name)),
        }
    }
    pool.users = users;
}

/// New tokens and challenges for the pool's users, then their versions recorded.
pub async fn renew(wire: &Wire, store: &dyn Store, pool: &mut PoolFix, warnings: &mut Vec<String>) {
    let mut tokens = Vec::new();
    let mut challenges = Vec::new();
    let users = pool.users.clone();
    for user in &users {
        if let Err(e) = sign_in(wire, store, pool, user, &mut tokens, &mut challenges).await {
            warnings.push(format!("signing {} in: {e}", user.name));
        }
    }
    pool.tokens = tokens;
    pool.challenges = challenges;
    pool.codes.clear();
    pool.totp.clear();
    if let Err(e) = ask_for_codes(wire, store, pool).await {
        warnings.push(format!("asking for codes: {e}"));
    }
    for user in &mut pool.users {
        if let Ok(Some(u)) = store.get_user_by_sub(&pool.id, &user.sub).await {
            user.version = u.version;
        }
    }
}

/// Codes for the unconfirmed user, a password reset and an attribute verification of the
/// victim, and TOTP secrets being associated (through an `MFA_SETUP` session and through
/// the victim's access token), so that valid requests can enter them.
async fn ask_for_codes(wire: &Wire, store: &dyn Store, pool: &mut PoolFix) -> Result<(), String> {
    let public = pool.clients[0].clone();
    let err = |e: CallError| e.to_string();
    let users = pool.users.clone();
    for user in &users {
        let code = |op: &'static str, code: String| Code {
            op,
            user: user.name.clone(),
            client: 0,
            code,
            access_token: None,
            attribute: None,
        };
        match user.role {
            Role::Unconfirmed => {
                wire.call(
                    "ResendConfirmationCode",
                    &json!({"ClientId": public.id, "Username": user.name}),
                )
                .await
                .map_err(err)?;
                if let Some(c) = signin::outbox_code(store, &pool.id, user).await {
                    pool.codes.push(code("ConfirmSignUp", c));
                }
            }
            Role::Victim => {
                wire.call(
                    "ForgotPassword",
                    &json!({"ClientId": public.id, "Username": user.name}),
                )
                .await
                .map_err(err)?;
                if let Some(c) = signin::outbox_code(store, &pool.id, user).await {
                    pool.codes.push(code("ConfirmForgotPassword", c));
                }
                let Some(token) = pool.tokens.iter().find(|t| t.user == user.name) else {
                    continue;
                };
                let access = token.access.clone();
                wire.call(
                    "GetUserAttributeVerificationCode",
                    &json!({"AccessToken": access, "AttributeName": "phone_number"}),
                )
                .await
                .map_err(err)?;
                if let Some(c) = signin::outbox_code(store, &pool.id, user).await {
                    let mut c = code("VerifyUserAttribute", c);
                    c.access_token = Some(access.clone());
                    c.attribute = Some("phone_number".into());
                    pool.codes.push(c);
                }
                let v = wire
                    .call("AssociateSoftwareToken", &json!({"AccessToken": access}))
                    .await
                    .map_err(err)?;
                if let Some(secret) = v["SecretCode"].as_str() {
                    pool.totp.push(TotpSetup {
                        session: None,
                        access_token: Some(access),
                        secret: secret.to_string(),
                    });
                }
            }
            Role::MfaSetup => {
                let Some(ch) = pool
                    .challenges
                    .iter_mut()
                    .find(|c| c.name == "MFA_SETUP" && c.session.is_some())
                else {
                    continue;
                };
                let v = wire
                    .call("AssociateSoftwareToken", &json!({"Session": ch.session}))
                    .await
                    .map_err(err)?;
                // The association answers with the session the sign-in goes on with.
                ch.session = v["Session"].as_str().map(str::to_string);
                if let Some(secret) = v["SecretCode"].as_str() {
                    pool.totp.push(TotpSetup {
                        session: ch.session.clone(),
                        access_token: None,
                        secret: secret.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn tokens_of(user: &str, client: usize, step: Step) -> Result<Tokens, String> {
    match step {
        Step::Done {
            tokens: (access, id, refresh),
        } => Ok(Tokens {
            user: user.to_string(),
            client,
            access,
            id,
            refresh,
        }),
        Step::Challenge { name, .. } => Err(format!("{name} instead of tokens")),
    }
}

async fn sign_in(
    wire: &Wire,
    store: &dyn Store,
    pool: &PoolFix,
    user: &UserFix,
    tokens: &mut Vec<Tokens>,
    challenges: &mut Vec<Challenge>,
) -> Result<(), String> {
    let (public, secret) = (&pool.clients[0], &pool.clients[1]);
    let name = user.name.as_str();
    let err = |e: CallError| e.to_string();
    let waiting = |step: Step, client: usize, admin: bool| -> Result<Challenge, String> {
        match step {
            Step::Challenge {
                name: c, session, ..
            } => Ok(Challenge {
                name: c,
                session,
                client,
                responses: BTreeMap::from([("USERNAME".to_string(), name.to_string())]),
                admin,
            }),
            Step::Done { .. } => Err("tokens instead of a challenge".into()),
        }
    };
    match user.role {
        Role::Confirmed => {
            let step = signin::password(wire, public, name, PASSWORD)
                .await
                .map_err(err)?;
            tokens.push(tokens_of(name, 0, step)?);
            let step = signin::admin_password(wire, &pool.id, secret, name, PASSWORD)
                .await
                .map_err(err)?;
            tokens.push(tokens_of(name, 1, step)?);
            challenges.push(signin::srp(wire, &pool.id, public, 0, name, PASSWORD).await?);
        }
        Role::Victim => {
            let step = signin::password(wire, public, name, PASSWORD)
                .await
                .map_err(err)?;
            tokens.push(tokens_of(name, 0, step)?);
        }
        Role::ForceChange => {
            for (client, admin) in [(0, false), (1, true)] {
                let c = &pool.clients[client];
                let step = if admin {
                    signin::admin_password(wire, &pool.id, c, name, PASSWORD).await
                } else {
                    signin::password(wire, c, name, PASSWORD).await
                };
                let mut ch = waiting(step.map_err(err)?, client, admin)?;
                ch.responses
                    .insert("NEW_PASSWORD".into(), NEW_PASSWORD.into());
                if let Some(h) = c.secret_hash(name) {
                    ch.responses.insert("SECRET_HASH".into(), h);
                }
                challenges.push(ch);
            }
        }
        Role::SmsMfa => {
            // One sign-in completed for tokens, one left waiting with its code ready.
            for round in 0..2 {
                let step = signin::password(wire, public, name, PASSWORD)
                    .await
                    .map_err(err)?;
                let mut ch = waiting(step, 0, false)?;
                let code = signin::outbox_code(store, &pool.id, user)
                    .await
                    .ok_or("no SMS code in the outbox")?;
                ch.responses.insert("SMS_MFA_CODE".into(), code);
                if round == 0 {
                    let step = signin::respond(wire, &pool.id, public, &ch)
                        .await
                        .map_err(err)?;
                    tokens.push(tokens_of(name, 0, step)?);
                } else {
                    challenges.push(ch);
                }
            }
            let step = signin::admin_password(wire, &pool.id, secret, name, PASSWORD)
                .await
                .map_err(err)?;
            let mut ch = waiting(step, 1, true)?;
            if let Some(code) = signin::outbox_code(store, &pool.id, user).await {
                ch.responses.insert("SMS_MFA_CODE".into(), code);
            }
            if let Some(h) = secret.secret_hash(name) {
                ch.responses.insert("SECRET_HASH".into(), h);
            }
            challenges.push(ch);
        }
        Role::MfaSetup => {
            let step = signin::password(wire, public, name, PASSWORD)
                .await
                .map_err(err)?;
            challenges.push(waiting(step, 0, false)?);
        }
        Role::Totp => {
            let step = signin::password(wire, public, name, PASSWORD)
                .await
                .map_err(err)?;
            let mut ch = waiting(step, 0, false)?;
            if let Some(code) = user
                .totp_secret
                .as_deref()
                .and_then(|s| signin::totp_code(s, 1))
            {
                ch.responses.insert("SOFTWARE_TOKEN_MFA_CODE".into(), code);
            }
            challenges.push(ch);
        }
        Role::Unconfirmed | Role::Disabled | Role::ResetRequired => {}
    }
    Ok(())
}
