//! What a trigger webhook can and cannot make the server do: an answer that never ends
//! (or announces a huge length) is cut off at the answer limit while it streams, and a
//! webhook off this machine must be reached over TLS.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use keystep_testkit::TestServer;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The most a webhook could push before the server hung up, were the answer read whole:
/// far beyond the answer limit (256 KiB), far below what 5 seconds of loopback carry.
const CUT_OFF_BEFORE: u64 = 64 * 1024 * 1024;

/// A webhook that answers every call with `head`, then (for a chunked answer) chunks of
/// JSON-ish bytes until the server hangs up; counts the bytes it managed to send.
async fn misbehaving_webhook(head: &'static str, stream_forever: bool) -> (String, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                if !stream_forever {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", "[".repeat(0x10000));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {
                    counter.fetch_add(0x10000, Ordering::Relaxed);
                }
            });
        }
    });
    (url, sent)
}

/// A pool whose PreSignUp trigger is `url`, and a client; returns the client id.
async fn pool_with_pre_sign_up(server: &TestServer, url: &str) -> String {
    let (status, pool) = server
        .json(
            "CreateUserPool",
            &json!({"PoolName": "hooks", "LambdaConfig": {"PreSignUp": url}}),
        )
        .await;
    assert_eq!(status, 200, "{pool}");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap();
    server
        .create_client(&json!({"UserPoolId": pool_id, "ClientName": "web"}))
        .await
}

async fn sign_up(server: &TestServer, client_id: &str) -> (u16, Value) {
    server
        .json(
            "SignUp",
            &json!({"ClientId": client_id, "Username": "bob", "Password": "Correct-Horse-9!"}),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_answer_is_cut_off_while_it_streams() {
    let server = TestServer::start().await;
    let (url, sent) = misbehaving_webhook(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        true,
    )
    .await;
    let client_id = pool_with_pre_sign_up(&server, &url).await;
    let (status, answer) = sign_up(&server, &client_id).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["__type"], "UnexpectedLambdaException", "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains("too large"),
        "{answer}"
    );
    let pushed = sent.load(Ordering::Relaxed);
    assert!(pushed < CUT_OFF_BEFORE, "the webhook pushed {pushed} bytes");
    // Nothing was created, and the server still answers.
    let (status, again) = sign_up(&server, &client_id).await;
    assert_eq!(
        (status, again["__type"].as_str()),
        (400, Some("UnexpectedLambdaException"))
    );
}

#[tokio::test]
async fn an_announced_huge_answer_is_refused_before_it_is_read() {
    let server = TestServer::start().await;
    let (url, _) = misbehaving_webhook(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10000000000\r\n\r\n{",
        false,
    )
    .await;
    let client_id = pool_with_pre_sign_up(&server, &url).await;
    let (status, answer) = sign_up(&server, &client_id).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["__type"], "UnexpectedLambdaException");
    assert!(
        answer["message"].as_str().unwrap().contains("too large"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_webhook_off_this_machine_must_use_tls() {
    let server = TestServer::start().await;
    for url in [
        "http://hooks.example.com/pre",
        "http://10.1.2.3:8080/pre",
        "http://127.0.0.1@hooks.example.com/pre",
    ] {
        let (status, answer) = server
            .json(
                "CreateUserPool",
                &json!({"PoolName": "p", "LambdaConfig": {"PreSignUp": url}}),
            )
            .await;
        assert_eq!(status, 400, "{url}: {answer}");
        assert_eq!(answer["__type"], "InvalidParameterException");
        assert!(
            answer["message"].as_str().unwrap().contains("https://"),
            "{answer}"
        );
    }
    for url in [
        "https://hooks.example.com/pre",
        "http://localhost:9/pre",
        "http://[::1]:9/pre",
    ] {
        let (status, answer) = server
            .json(
                "CreateUserPool",
                &json!({"PoolName": "p", "LambdaConfig": {"PreSignUp": url}}),
            )
            .await;
        assert_eq!(status, 200, "{url}: {answer}");
    }
}
