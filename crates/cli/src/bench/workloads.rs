//! The setup phase (a fresh pool, an app client and a user population) and one operation
//! of each workload.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::api::{now_secs, Api, CallError};
use super::args::{RefreshFlow, Workload};

/// The password of every user the bench creates (meets Cognito's default policy).
pub const PASSWORD: &str = "Bench-Horse-9!x";

/// The pool and app client the bench created for itself.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// `<region>_<id>`.
    pub pool_id: String,
    /// The part of the pool id after `_`, which SRP hashes.
    pub pool_name: String,
    /// The app client (no secret; SRP, password and refresh flows allowed).
    pub client_id: String,
    /// What the `refresh` workload calls.
    pub refresh_flow: RefreshFlow,
}

impl Fixture {
    /// The fixture of a pool and client (the bench's own, or `--pool-id`/`--client-id`).
    pub fn new(pool_id: &str, client_id: &str) -> Result<Fixture, String> {
        let pool_name = keystep_srp::pool_name_from_pool_id(pool_id)
            .ok_or_else(|| format!("pool id {pool_id:?} has no '_'"))?
            .to_string();
        Ok(Fixture {
            pool_id: pool_id.to_string(),
            pool_name,
            client_id: client_id.to_string(),
            refresh_flow: RefreshFlow::GetTokens,
        })
    }
}

/// `count` user numbers spread evenly over `0..existing`, so that the users a bench signs
/// in are scattered through the whole username index rather than bunched at its start.
pub fn spread(count: u32, existing: u32) -> Vec<u32> {
    let count = count.min(existing);
    (0..count)
        .map(|k| (u64::from(k) * u64::from(existing) / u64::from(count.max(1))) as u32)
        .collect()
}

/// A user of the population, with the tokens of its setup sign-in when the workload needs
/// them.
#[derive(Debug, Clone)]
pub struct BenchUser {
    /// The username.
    pub username: String,
    /// For `refresh`.
    pub refresh_token: Option<String>,
    /// For `getuser`.
    pub access_token: Option<String>,
}

/// What one task carries from operation to operation.
pub struct Worker {
    /// The task's number.
    pub id: u32,
    /// This task's share of the population (no other task signs these users in, so an
    /// SMS code in the outbox belongs to this task's sign-in).
    pub users: Vec<BenchUser>,
    next_user: usize,
    next_signup: u64,
    /// When the bench started (seconds), to keep sign-up names unique across runs.
    started: i64,
    srp: SrpClient,
}

/// The client's SRP secret `a` and public `A`. Drawn once per task: the server draws a
/// fresh `b` for every sign-in, and skipping the client's `g^a` keeps the load generator's
/// share of the CPU smaller.
pub struct SrpClient {
    a: [u8; 32],
    a_pub: Vec<u8>,
    a_hex: String,
}

impl SrpClient {
    /// A client with a fresh secret.
    pub fn new() -> Result<SrpClient, String> {
        let a: [u8; 32] = rand::random();
        let a_pub = keystep_srp::client_public(&a).map_err(|e| format!("SRP: {e}"))?;
        let a_hex = keystep_srp::to_hex(&a_pub);
        Ok(SrpClient { a, a_pub, a_hex })
    }
}

impl Worker {
    /// Task `id` with its users.
    pub fn new(id: u32, users: Vec<BenchUser>) -> Result<Worker, String> {
        Ok(Worker {
            id,
            users,
            next_user: 0,
            next_signup: 0,
            started: now_secs(),
            srp: SrpClient::new()?,
        })
    }

    /// A name no user has yet, for workloads that make users. The start time keeps names
    /// unique across runs on a kept or existing pool.
    fn new_username(&mut self, workload: &str) -> String {
        let name = format!(
            "bench-{workload}-{}-{}-{}",
            self.started, self.id, self.next_signup
        );
        self.next_signup += 1;
        name
    }

    fn user(&mut self) -> Result<usize, CallError> {
        if self.users.is_empty() {
            return Err(CallError::new("NoUsers", "this task has no users"));
        }
        let i = self.next_user % self.users.len();
        self.next_user = self.next_user.wrapping_add(1);
        Ok(i)
    }
}

/// Whether the workload signs in users of a population made in the setup phase.
pub fn needs_users(workload: Workload) -> bool {
    !matches!(workload, Workload::Signup | Workload::Create)
}

/// Creates the pool and the app client.
pub async fn create_fixture(api: &Api, workload: Workload) -> Result<Fixture, String> {
    let name = format!("keystep-bench-{}-{}", workload.name(), now_secs());
    let pool = api
        .admin(
            "CreateUserPool",
            &json!({"PoolName": name, "MfaConfiguration": "OFF"}),
        )
        .await
        .map_err(|e| format!("CreateUserPool: {e}"))?;
    let pool_id =
        str_at(&pool, &["UserPool", "Id"]).ok_or("CreateUserPool answered without UserPool.Id")?;
    let fixture = Fixture::new(pool_id, "")?;
    match finish_fixture(api, workload, fixture.clone()).await {
        Ok(f) => Ok(f),
        Err(e) => {
            delete_pool(api, &fixture.pool_id).await;
            Err(e)
        }
    }
}

async fn finish_fixture(
    api: &Api,
    workload: Workload,
    mut fixture: Fixture,
) -> Result<Fixture, String> {
    if workload == Workload::SrpMfa {
        api.admin(
            "SetUserPoolMfaConfig",
            &json!({"UserPoolId": fixture.pool_id, "MfaConfiguration": "ON",
                "SmsMfaConfiguration": {"SmsConfiguration":
                    {"SnsCallerArn": "arn:aws:iam::000000000000:role/keystep-bench-sns"}}}),
        )
        .await
        .map_err(|e| format!("SetUserPoolMfaConfig: {e}"))?;
    }
    let client = api
        .admin(
            "CreateUserPoolClient",
            &json!({"UserPoolId": fixture.pool_id, "ClientName": "keystep-bench",
                "GenerateSecret": false,
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .await
        .map_err(|e| format!("CreateUserPoolClient: {e}"))?;
    fixture.client_id = str_at(&client, &["UserPoolClient", "ClientId"])
        .ok_or("CreateUserPoolClient answered without UserPoolClient.ClientId")?
        .to_string();
    Ok(fixture)
}

/// Deletes the bench's pool (and with it its users); a failure is only reported.
pub async fn delete_pool(api: &Api, pool_id: &str) {
    if let Err(e) = api
        .admin("DeleteUserPool", &json!({"UserPoolId": pool_id}))
        .await
    {
        eprintln!("keystep bench: could not delete the bench pool {pool_id}: {e}");
    }
}

/// Makes the users numbered `numbers` ready, `concurrency` at a time: creates them
/// (AdminCreateUser + AdminSetUserPassword) when `create`, and signs each in once when the
/// workload needs its tokens.
pub async fn prepare_users(
    api: &Arc<Api>,
    fixture: &Fixture,
    workload: Workload,
    numbers: Vec<u32>,
    concurrency: u32,
    create: bool,
) -> Result<Vec<BenchUser>, String> {
    let numbers = Arc::new(numbers);
    let count = numbers.len();
    let lanes = (concurrency.clamp(1, 32) as usize).min(count.max(1));
    let mut tasks = tokio::task::JoinSet::new();
    for lane in 0..lanes {
        let api = api.clone();
        let fixture = fixture.clone();
        let numbers = numbers.clone();
        tasks.spawn(async move {
            let mut made = Vec::new();
            let mut k = lane;
            while k < count {
                let i = numbers[k];
                made.push((k, prepare_user(&api, &fixture, workload, i, create).await?));
                k += lanes;
            }
            Ok::<_, String>(made)
        });
    }
    let mut users = Vec::with_capacity(count);
    while let Some(joined) = tasks.join_next().await {
        let made = joined.map_err(|e| format!("a setup task failed: {e}"))??;
        users.extend(made);
    }
    users.sort_by_key(|(i, _)| *i);
    Ok(users.into_iter().map(|(_, u)| u).collect())
}

/// The name of population member `i` (what `keystep seed-users` creates, too).
pub fn username(i: u32) -> String {
    format!("bench-user-{i}")
}

async fn prepare_user(
    api: &Api,
    fixture: &Fixture,
    workload: Workload,
    i: u32,
    create: bool,
) -> Result<BenchUser, String> {
    let username = username(i);
    if create {
        create_user(api, fixture, workload, i, &username).await?;
    }
    let mut user = BenchUser {
        username,
        refresh_token: None,
        access_token: None,
    };
    if matches!(workload, Workload::Refresh | Workload::Getuser) {
        let result = password_sign_in(api, fixture, &user.username)
            .await
            .map_err(|e| format!("InitiateAuth {}: {e}", user.username))?;
        user.refresh_token = result["RefreshToken"].as_str().map(str::to_string);
        user.access_token = result["AccessToken"].as_str().map(str::to_string);
        if user.refresh_token.is_none() || user.access_token.is_none() {
            return Err(format!(
                "InitiateAuth {}: no RefreshToken or AccessToken",
                user.username
            ));
        }
    }
    Ok(user)
}

async fn create_user(
    api: &Api,
    fixture: &Fixture,
    workload: Workload,
    i: u32,
    username: &str,
) -> Result<(), String> {
    let attributes = if workload == Workload::SrpMfa {
        json!([{"Name": "phone_number", "Value": format!("+1555{:07}", i % 10_000_000)},
               {"Name": "phone_number_verified", "Value": "true"}])
    } else {
        json!([])
    };
    api.admin(
        "AdminCreateUser",
        &json!({"UserPoolId": fixture.pool_id, "Username": username,
            "UserAttributes": attributes, "MessageAction": "SUPPRESS"}),
    )
    .await
    .map_err(|e| format!("AdminCreateUser {username}: {e}"))?;
    api.admin(
        "AdminSetUserPassword",
        &json!({"UserPoolId": fixture.pool_id, "Username": username,
            "Password": PASSWORD, "Permanent": true}),
    )
    .await
    .map_err(|e| format!("AdminSetUserPassword {username}: {e}"))?;
    Ok(())
}

/// One operation of `workload`.
pub async fn run_once(
    api: &Api,
    fixture: &Fixture,
    workload: Workload,
    worker: &mut Worker,
) -> Result<(), CallError> {
    match workload {
        Workload::Signup => signup(api, fixture, worker).await,
        Workload::Create => create(api, fixture, worker).await,
        Workload::Password => {
            let i = worker.user()?;
            password_sign_in(api, fixture, &worker.users[i].username)
                .await
                .map(|_| ())
        }
        Workload::Srp => {
            let i = worker.user()?;
            let answer = srp_sign_in(api, fixture, &worker.srp, &worker.users[i].username).await?;
            authentication_result(&answer).map(|_| ())
        }
        Workload::SrpMfa => {
            let i = worker.user()?;
            srp_mfa_sign_in(api, fixture, &worker.srp, &worker.users[i].username).await
        }
        Workload::Refresh => {
            let i = worker.user()?;
            refresh(api, fixture, &mut worker.users[i]).await
        }
        Workload::Getuser => {
            let i = worker.user()?;
            get_user(api, &worker.users[i]).await
        }
    }
}

async fn signup(api: &Api, fixture: &Fixture, worker: &mut Worker) -> Result<(), CallError> {
    let username = worker.new_username("signup");
    api.call(
        "SignUp",
        &json!({"ClientId": fixture.client_id, "Username": username, "Password": PASSWORD}),
    )
    .await?;
    api.admin(
        "AdminConfirmSignUp",
        &json!({"UserPoolId": fixture.pool_id, "Username": username}),
    )
    .await?;
    Ok(())
}

async fn create(api: &Api, fixture: &Fixture, worker: &mut Worker) -> Result<(), CallError> {
    let username = worker.new_username("create");
    api.admin(
        "AdminCreateUser",
        &json!({"UserPoolId": fixture.pool_id, "Username": username, "MessageAction": "SUPPRESS"}),
    )
    .await?;
    api.admin(
        "AdminSetUserPassword",
        &json!({"UserPoolId": fixture.pool_id, "Username": username, "Password": PASSWORD,
            "Permanent": true}),
    )
    .await?;
    Ok(())
}

/// `InitiateAuth` `USER_PASSWORD_AUTH`; returns the `AuthenticationResult`.
async fn password_sign_in(
    api: &Api,
    fixture: &Fixture,
    username: &str,
) -> Result<Value, CallError> {
    let answer = api
        .call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": fixture.client_id,
                "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}}),
        )
        .await?;
    authentication_result(&answer).cloned()
}

/// `InitiateAuth` `USER_SRP_AUTH`, then the `PASSWORD_VERIFIER` answer computed with
/// keystep-srp's client role. Returns the answer to the latter.
async fn srp_sign_in(
    api: &Api,
    fixture: &Fixture,
    srp: &SrpClient,
    username: &str,
) -> Result<Value, CallError> {
    let challenge = srp_challenge(api, fixture, srp, username).await?;
    let answer = srp_answer(fixture, srp, &challenge, PASSWORD)?;
    api.call("RespondToAuthChallenge", &answer).await
}

/// `InitiateAuth` `USER_SRP_AUTH`: the `PASSWORD_VERIFIER` challenge.
pub async fn srp_challenge(
    api: &Api,
    fixture: &Fixture,
    srp: &SrpClient,
    username: &str,
) -> Result<Value, CallError> {
    let challenge = api
        .call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": fixture.client_id,
                "AuthParameters": {"USERNAME": username, "SRP_A": srp.a_hex}}),
        )
        .await?;
    expect_challenge(&challenge, "PASSWORD_VERIFIER")?;
    Ok(challenge)
}

/// The `RespondToAuthChallenge` body answering `challenge` with `password`'s proof.
pub fn srp_answer(
    fixture: &Fixture,
    srp: &SrpClient,
    challenge: &Value,
    password: &str,
) -> Result<Value, CallError> {
    let p = &challenge["ChallengeParameters"];
    let field = |name: &str| {
        p[name]
            .as_str()
            .ok_or_else(|| unexpected(format!("PASSWORD_VERIFIER without {name}")))
    };
    let user_id = field("USER_ID_FOR_SRP")?;
    let block_b64 = field("SECRET_BLOCK")?;
    let salt = keystep_srp::from_hex(field("SALT")?).map_err(|e| srp_error(&e))?;
    let b_pub = keystep_srp::from_hex(field("SRP_B")?).map_err(|e| srp_error(&e))?;
    let block = STANDARD
        .decode(block_b64)
        .map_err(|_| unexpected("SECRET_BLOCK is not base64".into()))?;
    let key = keystep_srp::client_session_key(
        &srp.a,
        &srp.a_pub,
        &b_pub,
        &salt,
        &fixture.pool_name,
        user_id,
        password,
    )
    .map_err(|e| srp_error(&e))?;
    let timestamp = keystep_srp::format_timestamp(now_secs());
    let signature =
        keystep_srp::claim_signature(&key, &fixture.pool_name, user_id, &block, &timestamp);
    let mut body = json!({"ClientId": fixture.client_id, "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": {"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": block_b64,
            "TIMESTAMP": timestamp, "PASSWORD_CLAIM_SIGNATURE": STANDARD.encode(signature)}});
    if let Some(session) = challenge.get("Session").filter(|s| s.is_string()) {
        body["Session"] = session.clone();
    }
    Ok(body)
}

async fn srp_mfa_sign_in(
    api: &Api,
    fixture: &Fixture,
    srp: &SrpClient,
    username: &str,
) -> Result<(), CallError> {
    let challenge = srp_sign_in(api, fixture, srp, username).await?;
    expect_challenge(&challenge, "SMS_MFA")?;
    let session = challenge["Session"]
        .as_str()
        .ok_or_else(|| unexpected("SMS_MFA without a Session".into()))?;
    let user_id = challenge["ChallengeParameters"]["USER_ID_FOR_SRP"]
        .as_str()
        .unwrap_or(username);
    let code = api.last_code(&fixture.pool_id, username).await?;
    let answer = api
        .call(
            "RespondToAuthChallenge",
            &json!({"ClientId": fixture.client_id, "ChallengeName": "SMS_MFA",
                "Session": session,
                "ChallengeResponses": {"USERNAME": user_id, "SMS_MFA_CODE": code}}),
        )
        .await?;
    authentication_result(&answer).map(|_| ())
}

async fn refresh(api: &Api, fixture: &Fixture, user: &mut BenchUser) -> Result<(), CallError> {
    let token = user
        .refresh_token
        .as_deref()
        .ok_or_else(|| CallError::new("NoToken", "the user has no refresh token"))?;
    let answer = match fixture.refresh_flow {
        RefreshFlow::GetTokens => {
            api.call(
                "GetTokensFromRefreshToken",
                &json!({"ClientId": fixture.client_id, "RefreshToken": token}),
            )
            .await?
        }
        RefreshFlow::InitiateAuth => {
            api.call(
                "InitiateAuth",
                &json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": fixture.client_id,
                    "AuthParameters": {"REFRESH_TOKEN": token}}),
            )
            .await?
        }
    };
    let result = authentication_result(&answer)?;
    // With refresh-token rotation the old token stops working: keep the new one.
    if let Some(new) = result["RefreshToken"].as_str() {
        user.refresh_token = Some(new.to_string());
    }
    Ok(())
}

async fn get_user(api: &Api, user: &BenchUser) -> Result<(), CallError> {
    let token = user
        .access_token
        .as_deref()
        .ok_or_else(|| CallError::new("NoToken", "the user has no access token"))?;
    let answer = api.call("GetUser", &json!({"AccessToken": token})).await?;
    if answer["Username"].is_string() {
        Ok(())
    } else {
        Err(unexpected("GetUser answered without Username".into()))
    }
}

fn authentication_result(answer: &Value) -> Result<&Value, CallError> {
    let result = &answer["AuthenticationResult"];
    if result["AccessToken"].is_string() {
        return Ok(result);
    }
    match answer["ChallengeName"].as_str() {
        Some(name) => Err(CallError::new(
            "UnexpectedChallenge",
            format!("got the challenge {name} instead of tokens"),
        )),
        None => Err(unexpected("no AuthenticationResult".into())),
    }
}

fn expect_challenge(answer: &Value, name: &str) -> Result<(), CallError> {
    match answer["ChallengeName"].as_str() {
        Some(n) if n == name => Ok(()),
        Some(other) => Err(CallError::new(
            "UnexpectedChallenge",
            format!("expected {name}, got {other}"),
        )),
        None if answer["AuthenticationResult"].is_object() => Err(CallError::new(
            "UnexpectedChallenge",
            format!("expected {name}, got tokens"),
        )),
        None => Err(unexpected(format!("expected the challenge {name}"))),
    }
}

fn unexpected(detail: String) -> CallError {
    CallError::new("UnexpectedResponse", detail)
}

fn srp_error(e: &keystep_srp::SrpError) -> CallError {
    CallError::new("SrpError", e.to_string())
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn spread_covers_the_population_evenly() {
        assert_eq!(spread(4, 4), vec![0, 1, 2, 3]);
        assert_eq!(spread(4, 1000), vec![0, 250, 500, 750]);
        assert_eq!(spread(3, 10), vec![0, 3, 6]);
        // Never more users than exist, never past the end.
        assert_eq!(spread(5, 2), vec![0, 1]);
        let wide = spread(1000, 1_000_000);
        assert_eq!(wide.len(), 1000);
        assert_eq!(wide[999], 999_000);
        assert!(wide.windows(2).all(|w| w[0] < w[1]));
    }
}
