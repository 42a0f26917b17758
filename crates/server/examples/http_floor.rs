//! What HTTP alone costs a server on this machine: the floor under every Keystep request
//! that no handler can go below (`docs/performance.md`, round 8).
//!
//! ```sh
//! cargo build --release -p keystep-server --example http_floor
//! taskset -c 0 target/release/examples/http_floor serve 9500 4000 700 &   # 4 KB answers, 0.7 ms of work each
//! taskset -c 1 target/release/examples/http_floor load 9500 6 $!          # prints the server's CPU per request
//! ```
//!
//! `serve PORT BYTES SPIN_US` answers every `POST /` on the same axum and hyper stack as
//! Keystep, after parsing the body as JSON and spinning `SPIN_US` microseconds (standing
//! in for a sign-in's cryptography). `load PORT SECS PID` sends Cognito-sized JSON bodies
//! from four tasks over kept-alive connections and divides the server's CPU time (from
//! `/proc/PID/stat`) by the requests answered.

use std::error::Error;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::routing::post;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

const BODY: &str = r#"{"ClientId":"4e7c1k2l3m4n5o6p7q8r9s0t1u","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"bench-user-1","PASSWORD":"Bench-password-1!"}}"#;

/// User plus system CPU time of process `pid`, in milliseconds.
fn cpu_ms(pid: &str) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .ok_or("no ')' in stat")?
        .1
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(11).ok_or("short stat")?.parse::<f64>()?
        + fields.get(12).ok_or("short stat")?.parse::<f64>()?;
    // Clock ticks are 10 ms on Linux.
    Ok(ticks * 10.0)
}

async fn serve(port: &str, bytes: usize, spin: Duration) -> Result<()> {
    let answer = Bytes::from(vec![b'a'; bytes]);
    let app = axum::Router::new().route(
        "/",
        post(move |request: Bytes| {
            let answer = answer.clone();
            async move {
                let until = Instant::now() + spin;
                while Instant::now() < until {
                    std::hint::spin_loop();
                }
                let parsed = serde_json::from_slice::<serde_json::Value>(&request).is_ok();
                std::hint::black_box(parsed);
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "application/x-amz-json-1.1",
                    )],
                    answer,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await?;
    Ok(())
}

/// Four tasks sending requests until `until`; how many were answered.
async fn send(url: &str, until: Instant) -> Result<u64> {
    let http = reqwest::Client::builder().build()?;
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (http, url) = (http.clone(), url.to_string());
        tasks.push(tokio::spawn(async move {
            let mut answered = 0u64;
            while Instant::now() < until {
                let sent = http
                    .post(&url)
                    .header("content-type", "application/x-amz-json-1.1")
                    .header(
                        "x-amz-target",
                        "AWSCognitoIdentityProviderService.InitiateAuth",
                    )
                    .body(BODY)
                    .send()
                    .await;
                if let Ok(response) = sent {
                    if response.bytes().await.is_ok() {
                        answered += 1;
                    }
                }
            }
            answered
        }));
    }
    let mut answered = 0;
    for task in tasks {
        answered += task.await?;
    }
    Ok(answered)
}

async fn load(port: &str, secs: u64, pid: &str) -> Result<()> {
    let url = format!("http://127.0.0.1:{port}/");
    send(&url, Instant::now() + Duration::from_secs(1)).await?;
    let before = cpu_ms(pid)?;
    let answered = send(&url, Instant::now() + Duration::from_secs(secs)).await?;
    let spent = cpu_ms(pid)? - before;
    println!(
        "{answered} requests, server {:.4} ms CPU per request",
        spent / answered.max(1) as f64
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize| args.get(i).map(String::as_str).ok_or("missing argument");
    match arg(1)? {
        "serve" => {
            let spin = Duration::from_micros(arg(4).unwrap_or("0").parse()?);
            serve(arg(2)?, arg(3)?.parse()?, spin).await
        }
        "load" => load(arg(2)?, arg(3)?.parse()?, arg(4)?).await,
        _ => Err("usage: http_floor serve PORT BYTES [SPIN_US] | load PORT SECS PID".into()),
    }
}
