//! `keystep bench --existence-timing`: does a name that is no user cost what a user with
//! a wrong password costs? If it answered faster, a timing probe would tell which names
//! are users even where the answers are the same (`PreventUserExistenceErrors`).
//!
//! On a fresh pool whose client prevents user existence errors, for each of `--users`
//! pairs it signs in a real user with a wrong password and a made-up name, one right
//! after the other (the order alternates), through `USER_PASSWORD_AUTH` and through both
//! steps of `USER_SRP_AUTH`, and compares the median latencies. Each name is tried twice
//! (once per flow), under the lockout's five, so no answer is a lockout's shortcut.

use std::time::Instant;

use serde::Serialize;
use serde_json::{json, Value};

use super::api::{Api, CallError};
use super::stats::Latency;
use super::workloads::{self, srp_answer, srp_challenge, Fixture, SrpClient};

/// The wrong password every real user is tried with.
const WRONG: &str = "Wrong-Horse-9!x";

/// One step, real users against made-up names.
#[derive(Debug, Serialize)]
pub struct Comparison {
    /// A real user (with a wrong password).
    pub real: Latency,
    /// A made-up name.
    pub unknown: Latency,
    /// `|real.p50 - unknown.p50| / max(real.p50, unknown.p50)`, in percent.
    pub median_difference_percent: f64,
}

/// What the run measured.
#[derive(Debug, Serialize)]
pub struct ExistenceReport {
    /// Pairs tried.
    pub pairs: u32,
    /// `InitiateAuth` `USER_PASSWORD_AUTH`.
    pub password: Comparison,
    /// `InitiateAuth` `USER_SRP_AUTH` (the challenge, simulated for a made-up name).
    pub srp_challenge: Comparison,
    /// `RespondToAuthChallenge` `PASSWORD_VERIFIER` with a proof that does not verify.
    pub srp_verifier: Comparison,
}

impl Comparison {
    fn of(real: Vec<u64>, unknown: Vec<u64>) -> Comparison {
        let (real, unknown) = (Latency::from_micros(real), Latency::from_micros(unknown));
        let top = real.p50.max(unknown.p50);
        let median_difference_percent = if top > 0.0 {
            (real.p50 - unknown.p50).abs() / top * 100.0
        } else {
            0.0
        };
        Comparison {
            real,
            unknown,
            median_difference_percent,
        }
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name:<14} real p50 {:>7.3} ms (p95 {:>7.3})   unknown p50 {:>7.3} ms (p95 {:>7.3})   difference {:>5.1}%",
            self.real.p50, self.real.p95, self.unknown.p50, self.unknown.p95, self.median_difference_percent
        )
    }
}

impl ExistenceReport {
    /// The report as text.
    pub fn render(&self) -> String {
        [
            format!(
                "keystep bench --existence-timing: {} users with a wrong password against {} made-up names",
                self.pairs, self.pairs
            ),
            self.password.line("password"),
            self.srp_challenge.line("srp challenge"),
            self.srp_verifier.line("srp verifier"),
        ]
        .join("\n")
    }
}

/// Times `call`, which must fail with `NotAuthorizedException` (a wrong password or
/// proof answers nothing else); returns microseconds.
async fn refused(
    call: impl std::future::Future<Output = Result<Value, CallError>>,
) -> Result<u64, String> {
    let started = Instant::now();
    let answer = call.await;
    let micros = started.elapsed().as_micros() as u64;
    match answer {
        Err(e) if e.name == "NotAuthorizedException" => Ok(micros),
        Err(e) => Err(format!("expected NotAuthorizedException, got {e}")),
        Ok(v) => Err(format!(
            "expected NotAuthorizedException, got a success: {v}"
        )),
    }
}

/// Makes the pool, its client and `pairs` users.
pub async fn fixture(api: &std::sync::Arc<Api>, pairs: u32) -> Result<Fixture, String> {
    let pool = api
        .admin(
            "CreateUserPool",
            &json!({"PoolName": format!("keystep-bench-existence-{}", super::api::now_secs())}),
        )
        .await
        .map_err(|e| format!("CreateUserPool: {e}"))?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("CreateUserPool answered without UserPool.Id")?;
    let mut fixture = Fixture::new(pool_id, "")?;
    let client = api
        .admin(
            "CreateUserPoolClient",
            &json!({"UserPoolId": pool_id, "ClientName": "keystep-bench-existence",
                "PreventUserExistenceErrors": "ENABLED",
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .await
        .map_err(|e| format!("CreateUserPoolClient: {e}"))?;
    fixture.client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .ok_or("CreateUserPoolClient answered without a ClientId")?
        .to_string();
    workloads::prepare_users(
        api,
        &fixture,
        super::args::Workload::Password,
        (0..pairs).collect(),
        8,
        true,
    )
    .await?;
    Ok(fixture)
}

/// Runs the pairs one after another and compares.
pub async fn measure(api: &Api, fixture: &Fixture, pairs: u32) -> Result<ExistenceReport, String> {
    let srp = SrpClient::new()?;
    let (mut password, mut challenge, mut verifier) = (
        [Vec::new(), Vec::new()],
        [Vec::new(), Vec::new()],
        [Vec::new(), Vec::new()],
    );
    for i in 0..pairs {
        let names = [workloads::username(i), format!("bench-ghost-{i}")];
        // Alternate which goes first, so that drift and warm caches favour neither.
        let order: [usize; 2] = if i % 2 == 0 { [0, 1] } else { [1, 0] };
        for who in order {
            let name = &names[who];
            password[who].push(
                refused(api.call(
                    "InitiateAuth",
                    &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": fixture.client_id,
                        "AuthParameters": {"USERNAME": name, "PASSWORD": WRONG}}),
                ))
                .await
                .map_err(|e| format!("password, {name}: {e}"))?,
            );
            let started = Instant::now();
            let issued = srp_challenge(api, fixture, &srp, name)
                .await
                .map_err(|e| format!("SRP challenge, {name}: {e}"))?;
            challenge[who].push(started.elapsed().as_micros() as u64);
            let answer = srp_answer(fixture, &srp, &issued, WRONG).map_err(|e| e.to_string())?;
            verifier[who].push(
                refused(api.call("RespondToAuthChallenge", &answer))
                    .await
                    .map_err(|e| format!("SRP verifier, {name}: {e}"))?,
            );
        }
    }
    let [real_pw, ghost_pw] = password;
    let [real_ch, ghost_ch] = challenge;
    let [real_v, ghost_v] = verifier;
    Ok(ExistenceReport {
        pairs,
        password: Comparison::of(real_pw, ghost_pw),
        srp_challenge: Comparison::of(real_ch, ghost_ch),
        srp_verifier: Comparison::of(real_v, ghost_v),
    })
}
