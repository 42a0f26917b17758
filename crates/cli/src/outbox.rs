//! `keystep outbox`: prints the development outbox of a running server.

use keystep_server::outbox::OutboxMessage;

/// Arguments of `keystep outbox`.
#[derive(Debug, clap::Args)]
pub struct OutboxArgs {
    /// The server's URL (also KEYSTEP_ENDPOINT, else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
    /// as `keystep serve` prints it, else http://127.0.0.1:9229).
    #[arg(long = "endpoint", visible_alias = "url", env = "KEYSTEP_ENDPOINT")]
    endpoint: Option<String>,
    /// Only messages of this pool.
    #[arg(long)]
    pool_id: Option<String>,
    /// Only messages to this user: the username, or the e-mail address or phone number
    /// the message went to (in pools where the e-mail is the username, the stored
    /// username is an opaque id).
    #[arg(long)]
    username: Option<String>,
    /// At most this many (the newest).
    #[arg(long)]
    limit: Option<u32>,
    /// Admin access key id (printed by `keystep serve`).
    #[arg(long, env = "AWS_ACCESS_KEY_ID")]
    access_key_id: Option<String>,
    /// Admin secret access key.
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    secret_access_key: Option<String>,
    /// Print the raw JSON.
    #[arg(long)]
    json: bool,
}

/// Fetches and prints the outbox.
pub async fn run(args: OutboxArgs) -> Result<(), String> {
    let (Some(id), Some(secret)) = (&args.access_key_id, &args.secret_access_key) else {
        return Err(
            "admin credentials needed: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (printed by `keystep serve`) or pass --access-key-id/--secret-access-key"
                .into(),
        );
    };
    let mut query: Vec<(&str, String)> = Vec::new();
    if let Some(p) = &args.pool_id {
        query.push(("pool_id", p.clone()));
    }
    if let Some(u) = &args.username {
        query.push(("username", u.clone()));
    }
    if let Some(l) = args.limit {
        query.push(("limit", l.to_string()));
    }
    let base = crate::user::default_endpoint(args.endpoint);
    let url = format!("{}/admin/outbox", base.trim_end_matches('/'));
    let resp = reqwest::Client::new()
        .get(&url)
        .query(&query)
        .basic_auth(id, Some(secret))
        .send()
        .await
        .map_err(|e| format!("cannot reach {url}: {e}"))?;
    let status = resp.status();
    let text = resp
        .text()
        .await
        .map_err(|e| format!("reading the answer: {e}"))?;
    if !status.is_success() {
        return Err(format!("{url} answered {status}: {text}"));
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    // `keystep outbox | head` closes the pipe early: stop quietly instead of panicking.
    if args.json {
        let _ = writeln!(stdout, "{text}");
        return Ok(());
    }
    let messages: Vec<OutboxMessage> =
        serde_json::from_str(&text).map_err(|e| format!("unexpected answer from {url}: {e}"))?;
    if messages.is_empty() {
        let _ = writeln!(stdout, "The outbox is empty.");
    }
    for m in &messages {
        if writeln!(stdout, "{}", render(m)).is_err() {
            break;
        }
    }
    Ok(())
}

fn render(m: &OutboxMessage) -> String {
    let code = m
        .code
        .as_deref()
        .map(|c| format!("  code: {c}\n"))
        .unwrap_or_default();
    let subject = m
        .subject
        .as_deref()
        .map(|s| format!("  subject: {s}\n"))
        .unwrap_or_default();
    format!(
        "#{} {} to {} (pool {}, user {}, {}, at {})\n{code}{subject}  {}\n",
        m.id,
        m.medium,
        m.destination,
        m.pool_id,
        m.username,
        m.purpose,
        m.created_at,
        m.body.trim().replace('\n', "\n  ")
    )
}
