//! The options of `keystep bench`.

use std::time::Duration;

/// What each operation of the measured phase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Workload {
    /// `SignUp` of a new user, then `AdminConfirmSignUp`.
    Signup,
    /// `InitiateAuth` with `USER_PASSWORD_AUTH`.
    Password,
    /// `InitiateAuth` with `USER_SRP_AUTH`, then `RespondToAuthChallenge` `PASSWORD_VERIFIER`.
    Srp,
    /// `srp`, then `SMS_MFA` with the code read from `GET /admin/outbox`.
    SrpMfa,
    /// `GetTokensFromRefreshToken`.
    Refresh,
    /// `GetUser` with an access token.
    Getuser,
    /// `AdminCreateUser` of a new user (no invitation), then `AdminSetUserPassword`
    /// (permanent): what provisioning from a back office costs.
    Create,
}

impl Workload {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Signup => "signup",
            Workload::Password => "password",
            Workload::Srp => "srp",
            Workload::SrpMfa => "srp-mfa",
            Workload::Refresh => "refresh",
            Workload::Getuser => "getuser",
            Workload::Create => "create",
        }
    }
}

/// Arguments of `keystep bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// The Cognito-compatible endpoint (Keystep, Cognito, another emulator).
    #[arg(long, default_value = "http://127.0.0.1:9229")]
    pub endpoint: String,
    /// Admin access key id (printed by `keystep serve`); signs the setup's admin calls.
    #[arg(long, env = "AWS_ACCESS_KEY_ID")]
    pub access_key_id: Option<String>,
    /// Admin secret access key.
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub secret_access_key: Option<String>,
    /// The region admin calls are signed for.
    #[arg(long, env = "AWS_REGION", default_value = "us-east-1")]
    pub region: String,
    /// What to measure.
    #[arg(long, value_enum, default_value = "password")]
    pub workload: Workload,
    /// Operations in flight at once (one task each).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub concurrency: u32,
    /// How long to measure, e.g. `10s`, `500ms`, `2m` (default 10s unless --count is given).
    #[arg(long, value_parser = parse_duration, conflicts_with = "count")]
    pub duration: Option<Duration>,
    /// Measure exactly this many operations instead of a duration.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Users created in the setup phase (at least --concurrency for the sign-in workloads,
    /// so that no two tasks sign in the same user at once).
    #[arg(long, default_value_t = 100)]
    pub users: u32,
    /// Print the report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// The server's process id (same machine): report its CPU time per operation and its
    /// peak resident memory.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Keep the bench's user pool afterwards instead of deleting it.
    #[arg(long)]
    pub keep_pool: bool,
    /// Use this existing pool instead of making one (with --client-id). Its users must be
    /// `bench-user-0` .. `bench-user-<N-1>` (N = --existing-users) with the bench's
    /// password, as a `--keep-pool` run or `keystep seed-users` leaves them. The pool is
    /// never deleted.
    #[arg(long, requires = "client_id")]
    pub pool_id: Option<String>,
    /// The app client of --pool-id (no secret; SRP, password and refresh flows allowed).
    #[arg(long, requires = "pool_id")]
    pub client_id: Option<String>,
    /// How many `bench-user-N` the existing pool holds; the bench spreads its --users
    /// evenly over them (default: --users).
    #[arg(long, requires = "pool_id")]
    pub existing_users: Option<u32>,
    /// Measure only what each workload's cryptography costs on this machine (in this
    /// process, no server needed) and print that floor.
    #[arg(long)]
    pub crypto_floor: bool,
    /// Measure the crypto floor, then the workload, and print the server's CPU per
    /// operation against the floor: the ratio, the CPU above it, and whether the target
    /// (0.10 ms per writing request, 0.05 ms per reading one) holds. Needs --server-pid.
    #[arg(long, requires = "server_pid", conflicts_with = "crypto_floor")]
    pub vs_floor: bool,
    /// Compare what a made-up name and a user with a wrong password cost to sign in
    /// (`USER_PASSWORD_AUTH` and both SRP steps, one after another, `--users` of each).
    #[arg(long)]
    pub existence_timing: bool,
    /// How the `refresh` workload refreshes: `GetTokensFromRefreshToken`, or `InitiateAuth`
    /// `REFRESH_TOKEN_AUTH` (for emulators without the newer operation).
    #[arg(long, value_enum, default_value = "get-tokens")]
    pub refresh_flow: RefreshFlow,
}

/// The operation the `refresh` workload calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RefreshFlow {
    /// `GetTokensFromRefreshToken`.
    GetTokens,
    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`.
    InitiateAuth,
}

/// The measured phase ends after a time or after a number of operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Run for this long.
    After(Duration),
    /// Run exactly this many operations.
    Count(u64),
}

impl BenchArgs {
    /// When the measured phase ends.
    pub fn stop(&self) -> Stop {
        match (self.count, self.duration) {
            (Some(n), _) => Stop::Count(n),
            (None, Some(d)) => Stop::After(d),
            (None, None) => Stop::After(Duration::from_secs(10)),
        }
    }
}

/// `10s`, `250ms`, `2m`, `1h` or a plain number of seconds (fractions allowed).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("not a duration: {s:?} (try 10s, 500ms, 2m)"))?;
    let secs = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        other => return Err(format!("unknown unit {other:?} in {s:?} (ms, s, m or h)")),
    };
    if !(secs.is_finite() && secs > 0.0) {
        return Err(format!("the duration must be positive: {s:?}"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("3d").is_err());
    }
}
