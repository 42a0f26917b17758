//! Signing fixture users in through the API, for real tokens and for challenge `Session`s
//! with a valid answer ready (SRP done by hand, codes read from the outbox, TOTP codes
//! computed from the enrolled secret).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use keystep_core::message::OutboxFilter;
use keystep_core::ports::Store;
use serde_json::{json, Value};

use super::accounts::UserFix;
use super::wire::{now_secs, CallError, Wire};

/// An app client of the fixture.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client id.
    pub id: String,
    /// The client secret, for clients that have one.
    pub secret: Option<String>,
}

impl Client {
    /// `SECRET_HASH` for `username`, when the client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<String> {
        self.secret
            .as_deref()
            .map(|s| keystep_srp::secret_hash(s, username, &self.id))
    }
}

/// Tokens from a completed sign-in.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// Who signed in (the name the fixture addresses the user by).
    pub user: String,
    /// The client's index in its pool's clients.
    pub client: usize,
    /// `AccessToken`.
    pub access: String,
    /// `IdToken`.
    pub id: String,
    /// `RefreshToken`.
    pub refresh: String,
}

/// A challenge waiting for an answer.
#[derive(Debug, Clone)]
pub struct Challenge {
    /// `ChallengeName`.
    pub name: String,
    /// `Session` (absent for SRP's `PASSWORD_VERIFIER` when the server sends none).
    pub session: Option<String>,
    /// The client's index in its pool's clients.
    pub client: usize,
    /// A correct `ChallengeResponses` (it works once).
    pub responses: BTreeMap<String, String>,
    /// Whether it came from `AdminInitiateAuth` (answer with
    /// `AdminRespondToAuthChallenge`).
    pub admin: bool,
}

/// A one-time code the fixture asked for, ready to be entered.
#[derive(Debug, Clone)]
pub struct Code {
    /// The operation that takes it (`ConfirmSignUp`, `ConfirmForgotPassword`,
    /// `VerifyUserAttribute`).
    pub op: &'static str,
    /// Whose code (the name the fixture addresses the user by).
    pub user: String,
    /// The client it was asked for through.
    pub client: usize,
    /// The digits.
    pub code: String,
    /// The access token it goes with (`VerifyUserAttribute`).
    pub access_token: Option<String>,
    /// The attribute it verifies (`VerifyUserAttribute`).
    pub attribute: Option<String>,
}

/// A TOTP secret being associated, waiting for `VerifySoftwareToken`.
#[derive(Debug, Clone)]
pub struct TotpSetup {
    /// The `Session` of an `MFA_SETUP` sign-in, or
    pub session: Option<String>,
    /// the access token it was associated with.
    pub access_token: Option<String>,
    /// The secret (base32), to compute codes from.
    pub secret: String,
}

/// The result of an `InitiateAuth`-like call: tokens or a challenge.
pub enum Step {
    /// Signed in.
    Done {
        /// `AccessToken`, `IdToken`, `RefreshToken`.
        tokens: (String, String, String),
    },
    /// A challenge.
    Challenge {
        /// `ChallengeName`.
        name: String,
        /// `Session`.
        session: Option<String>,
    },
}

fn step(op: &str, v: &Value) -> Result<Step, CallError> {
    let text = |k: &str| v["AuthenticationResult"][k].as_str().map(str::to_string);
    if let (Some(a), Some(i)) = (text("AccessToken"), text("IdToken")) {
        return Ok(Step::Done {
            tokens: (a, i, text("RefreshToken").unwrap_or_default()),
        });
    }
    match v["ChallengeName"].as_str() {
        Some(name) => Ok(Step::Challenge {
            name: name.to_string(),
            session: v["Session"].as_str().map(str::to_string),
        }),
        None => Err(CallError {
            op: op.to_string(),
            status: 200,
            name: "NoResult".into(),
            message: "neither tokens nor a challenge".into(),
        }),
    }
}

fn with_secret(mut params: Value, client: &Client, username: &str) -> Value {
    if let Some(h) = client.secret_hash(username) {
        params["SECRET_HASH"] = Value::String(h);
    }
    params
}

/// `InitiateAuth USER_PASSWORD_AUTH`.
pub async fn password(
    wire: &Wire,
    client: &Client,
    username: &str,
    password: &str,
) -> Result<Step, CallError> {
    let params = with_secret(
        json!({"USERNAME": username, "PASSWORD": password}),
        client,
        username,
    );
    let v = wire
        .call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client.id,
                "AuthParameters": params}),
        )
        .await?;
    step("InitiateAuth", &v)
}

/// `AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH`.
pub async fn admin_password(
    wire: &Wire,
    pool_id: &str,
    client: &Client,
    username: &str,
    password: &str,
) -> Result<Step, CallError> {
    let params = with_secret(
        json!({"USERNAME": username, "PASSWORD": password}),
        client,
        username,
    );
    let v = wire
        .call(
            "AdminInitiateAuth",
            &json!({"AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "UserPoolId": pool_id,
                "ClientId": client.id, "AuthParameters": params}),
        )
        .await?;
    step("AdminInitiateAuth", &v)
}

/// `RespondToAuthChallenge` (or the admin one) with `responses`.
pub async fn respond(
    wire: &Wire,
    pool_id: &str,
    client: &Client,
    challenge: &Challenge,
) -> Result<Step, CallError> {
    let mut body = json!({"ClientId": client.id, "ChallengeName": challenge.name,
        "ChallengeResponses": challenge.responses});
    if let Some(s) = &challenge.session {
        body["Session"] = Value::String(s.clone());
    }
    let op = if challenge.admin {
        body["UserPoolId"] = Value::String(pool_id.to_string());
        "AdminRespondToAuthChallenge"
    } else {
        "RespondToAuthChallenge"
    };
    let v = wire.call(op, &body).await?;
    step(op, &v)
}

/// `InitiateAuth USER_SRP_AUTH`, and the correct `PASSWORD_VERIFIER` answer for
/// `password` (computed now; the server accepts its `TIMESTAMP` for a few minutes).
pub async fn srp(
    wire: &Wire,
    pool_id: &str,
    client: &Client,
    client_index: usize,
    username: &str,
    password: &str,
) -> Result<Challenge, String> {
    let a: [u8; 32] = rand::random();
    let a_pub = keystep_srp::client_public(&a).map_err(|e| format!("SRP: {e}"))?;
    let params = with_secret(
        json!({"USERNAME": username, "SRP_A": keystep_srp::to_hex(&a_pub)}),
        client,
        username,
    );
    let v = wire
        .call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client.id, "AuthParameters": params}),
        )
        .await
        .map_err(|e| e.to_string())?;
    let text = |k: &str| {
        v["ChallengeParameters"][k]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("USER_SRP_AUTH answered without {k}"))
    };
    let user_id = text("USER_ID_FOR_SRP")?;
    let salt = keystep_srp::from_hex(&text("SALT")?).map_err(|e| format!("SALT: {e}"))?;
    let b_pub = keystep_srp::from_hex(&text("SRP_B")?).map_err(|e| format!("SRP_B: {e}"))?;
    let block = text("SECRET_BLOCK")?;
    let pool_name = keystep_srp::pool_name_from_pool_id(pool_id).ok_or("pool id without '_'")?;
    let key =
        keystep_srp::client_session_key(&a, &a_pub, &b_pub, &salt, pool_name, &user_id, password)
            .map_err(|e| format!("SRP: {e}"))?;
    let timestamp = keystep_srp::format_timestamp(now_secs());
    let block_bytes = STANDARD
        .decode(&block)
        .map_err(|e| format!("SECRET_BLOCK: {e}"))?;
    let signature =
        keystep_srp::claim_signature(&key, pool_name, &user_id, &block_bytes, &timestamp);
    let mut responses = BTreeMap::from([
        ("USERNAME".to_string(), user_id.clone()),
        ("PASSWORD_CLAIM_SECRET_BLOCK".to_string(), block),
        ("TIMESTAMP".to_string(), timestamp),
        (
            "PASSWORD_CLAIM_SIGNATURE".to_string(),
            STANDARD.encode(signature),
        ),
    ]);
    if let Some(h) = client.secret_hash(&user_id) {
        responses.insert("SECRET_HASH".into(), h);
    }
    Ok(Challenge {
        name: "PASSWORD_VERIFIER".into(),
        session: v["Session"].as_str().map(str::to_string),
        client: client_index,
        responses,
        admin: false,
    })
}

/// The newest code the outbox holds for a user of `pool_id` (messages name the stored
/// username: the `sub` in e-mail-as-username pools, the name elsewhere).
pub async fn outbox_code(store: &dyn Store, pool_id: &str, user: &UserFix) -> Option<String> {
    for username in [&user.sub, &user.name] {
        let filter = OutboxFilter {
            pool_id: Some(pool_id.to_string()),
            username: Some(username.to_string()),
            limit: Some(5),
        };
        let messages = store.list_outbox(&filter).await.ok()?;
        if let Some(code) = messages.into_iter().rev().find_map(|m| m.message.code) {
            return Some(code);
        }
    }
    None
}

/// The TOTP code of `secret` (base32, as `AssociateSoftwareToken` gives it), `ahead`
/// steps from now (a code is accepted once per step; the next step's is still valid).
pub fn totp_code(secret: &str, ahead: i64) -> Option<String> {
    use keystep_core::ports::Clock;
    let bytes = keystep_core::totp::base32_decode(secret)?;
    let step = keystep_core::totp::step_at(keystep_core::ports::SystemClock.now());
    Some(keystep_core::totp::code_at_step(&bytes, step + ahead))
}
