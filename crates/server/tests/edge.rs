//! The HTTP edge through real HTTP against the in-process server: routing on
//! `X-Amz-Target`, SigV4, errors, limits, CORS, the outbox and the well-known documents.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use keystep_core::message::{Medium, MessagePurpose, OutgoingMessage};
use keystep_core::pool::{PoolSettings, UserPool};
use keystep_core::ports::Clock;
use keystep_testkit::{TestOptions, TestServer};
use serde_json::{json, Value};

const TARGET: &str = "AWSCognitoIdentityProviderService.";
/// A Cognito operation Keystep is not going to build soon.
const UNSUPPORTED_SIGNED: &str = "DescribeManagedLoginBranding";
/// An unsigned Cognito operation Keystep is not going to build soon.
const UNSUPPORTED_UNSIGNED: &str = "UpdateAuthEventFeedback";

async fn error_of(resp: reqwest::Response) -> (u16, String, String) {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    assert_eq!(
        headers["content-type"], "application/x-amz-json-1.1",
        "errors are amz-json"
    );
    assert!(headers.contains_key("x-amzn-requestid"));
    let body: Value = resp.json().await.unwrap();
    let name = body["__type"].as_str().unwrap().to_string();
    assert_eq!(
        headers["x-amzn-errortype"],
        name.as_str(),
        "header repeats __type"
    );
    (
        status,
        name,
        body["message"].as_str().unwrap_or("").to_string(),
    )
}

/// A server without the development pool, and one pool put straight into its store, so
/// these tests depend on the edge alone.
async fn start() -> (TestServer, String) {
    let server = TestServer::start_with(TestOptions {
        dev_pool: false,
        ..TestOptions::default()
    })
    .await;
    let now = server.clock().now();
    let pool = UserPool {
        id: "us-east-1_EdgeTest1".into(),
        name: "edge".into(),
        created_at: now,
        modified_at: now,
        settings: PoolSettings::default().into(),
    };
    server.keystep().store.insert_pool(&pool).await.unwrap();
    (server, pool.id)
}

fn post(server: &TestServer) -> reqwest::RequestBuilder {
    server
        .http()
        .post(format!("{}/", server.url()))
        .header("content-type", "application/x-amz-json-1.1")
}

#[tokio::test]
async fn health_and_envelope_headers() {
    let (server, _) = start().await;
    let resp = server
        .http()
        .get(format!("{}/health", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let id = resp.headers()["x-amzn-requestid"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 36, "a uuid: {id}");
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    assert!(resp.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("x-amzn-RequestId"));
    assert_eq!(resp.json::<Value>().await.unwrap(), json!({"status": "ok"}));
}

#[tokio::test]
async fn cors_preflight() {
    let (server, _) = start().await;
    let resp = server
        .http()
        .request(reqwest::Method::OPTIONS, format!("{}/", server.url()))
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target,x-amz-user-agent",
        )
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let h = resp.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    let allowed = h["access-control-allow-headers"].to_str().unwrap();
    for name in [
        "content-type",
        "x-amz-target",
        "x-amz-user-agent",
        "cache-control",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
    ] {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }
    let exposed = h["access-control-expose-headers"].to_str().unwrap();
    for name in [
        "x-amzn-RequestId",
        "x-amzn-ErrorType",
        "x-amzn-ErrorMessage",
        "Date",
    ] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }
}

#[tokio::test]
async fn unknown_and_unsupported_operations() {
    let (server, _) = start().await;
    for target in [
        format!("{TARGET}Frobnicate"),
        "SomeOtherService.ListUserPools".to_string(),
        String::new(),
    ] {
        let resp = post(&server)
            .header("x-amz-target", &target)
            .body("{}")
            .send()
            .await
            .unwrap();
        let (status, name, _) = error_of(resp).await;
        assert_eq!(
            (status, name.as_str()),
            (400, "UnknownOperationException"),
            "{target:?}"
        );
    }
    // No X-Amz-Target at all.
    let resp = post(&server).body("{}").send().await.unwrap();
    assert_eq!(error_of(resp).await.1, "UnknownOperationException");

    // A known operation Keystep lacks, correctly signed: named in the message.
    let resp = server.call_signed(UNSUPPORTED_SIGNED, &json!({})).await;
    let (status, name, message) = error_of(resp).await;
    assert_eq!(
        (status, name.as_str()),
        (400, "UnsupportedOperationException")
    );
    assert!(
        message.starts_with(&format!("Keystep does not support {UNSUPPORTED_SIGNED}: ")),
        "{message}"
    );

    // An unsigned one needs no signature and ignores a bogus Authorization header.
    let resp = post(&server)
        .header("x-amz-target", format!("{TARGET}{UNSUPPORTED_UNSIGNED}"))
        .header("authorization", "garbage")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(resp).await.1, "UnsupportedOperationException");
}

/// The identity-provider operations are dispatched (an empty body is refused for its
/// missing `UserPoolId`), no longer answered as unsupported.
#[tokio::test]
async fn identity_provider_operations_are_offered() {
    let (server, _) = start().await;
    for op in [
        "CreateIdentityProvider",
        "DescribeIdentityProvider",
        "ListIdentityProviders",
        "UpdateIdentityProvider",
        "DeleteIdentityProvider",
        "GetIdentityProviderByIdentifier",
        "AdminLinkProviderForUser",
        "AdminDisableProviderForUser",
    ] {
        let resp = server.call_signed(op, &json!({})).await;
        let (status, name, message) = error_of(resp).await;
        assert_eq!(
            (status, name.as_str()),
            (400, "InvalidParameterException"),
            "{op}: {message}"
        );
        assert!(message.contains("userPoolId"), "{op}: {message}");
    }
}

#[tokio::test]
async fn signed_operations_need_a_valid_signature() {
    let (server, _) = start().await;
    let resp = server.call(UNSUPPORTED_SIGNED, &json!({})).await;
    assert_eq!(
        error_of(resp).await,
        (
            403,
            "MissingAuthenticationTokenException".into(),
            "Missing Authentication Token".into()
        )
    );

    let ak = server.access_key_id().to_string();
    let resp = server
        .call_signed_as(UNSUPPORTED_SIGNED, &json!({}), &ak, "not-the-secret")
        .await;
    let (status, name, message) = error_of(resp).await;
    assert_eq!((status, name.as_str()), (403, "InvalidSignatureException"));
    assert!(message.starts_with("The request signature we calculated does not match"));

    let sk = server.secret_access_key().to_string();
    let resp = server
        .call_signed_as(UNSUPPORTED_SIGNED, &json!({}), "AKIAUNKNOWNKEY000000", &sk)
        .await;
    assert_eq!(
        error_of(resp).await,
        (
            403,
            "UnrecognizedClientException".into(),
            "The security token included in the request is invalid.".into()
        )
    );

    // A signature from an hour ago.
    let host = server.url().trim_start_matches("http://").to_string();
    let target = format!("{TARGET}{UNSUPPORTED_SIGNED}");
    let headers = [("host", host.as_str()), ("x-amz-target", target.as_str())];
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let req = keystep_server::sigv4::Request {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: b"{}",
    };
    let old = keystep_server::sigv4::sign(&req, now - 3600, &ak, &sk, "us-east-1");
    let resp = post(&server)
        .header("x-amz-target", &target)
        .header("x-amz-date", old.x_amz_date)
        .header("authorization", old.authorization)
        .body("{}")
        .send()
        .await
        .unwrap();
    let (status, name, message) = error_of(resp).await;
    assert_eq!((status, name.as_str()), (403, "InvalidSignatureException"));
    assert!(message.starts_with("Signature expired"), "{message}");
}

#[tokio::test]
async fn bad_bodies_are_client_errors() {
    let (server, _) = start().await;
    for body in ["{", "not json", "{\"a\":1} trailing"] {
        let resp = post(&server)
            .header("x-amz-target", format!("{TARGET}{UNSUPPORTED_UNSIGNED}"))
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, name, _) = error_of(resp).await;
        assert_eq!(
            (status, name.as_str()),
            (400, "SerializationException"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_the_server_keeps_serving() {
    let server = TestServer::start_with(TestOptions {
        dev_pool: false,
        max_body_bytes: 4096,
        ..TestOptions::default()
    })
    .await;
    let big = format!("{{\"Pad\":\"{}\"}}", "x".repeat(16 * 1024));
    let resp = post(&server)
        .header("x-amz-target", format!("{TARGET}InitiateAuth"))
        .body(big.clone())
        .send()
        .await
        .unwrap();
    // The body was refused unread: the connection is closed, and the answer says so
    // (a keep-alive client must not send its next request on it).
    assert_eq!(resp.headers()["connection"], "close");
    let (status, name, _) = error_of(resp).await;
    assert_eq!(
        (status, name.as_str()),
        (413, "RequestEntityTooLargeException")
    );
    let resp = server
        .http()
        .get(format!("{}/health", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    // So is an unknown operation's; an answer to a body that was read keeps the
    // connection open.
    let resp = post(&server)
        .header("x-amz-target", format!("{TARGET}NoSuchOperation"))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["connection"], "close");
    let resp = post(&server)
        .header("x-amz-target", format!("{TARGET}InitiateAuth"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("connection").is_none());
}

#[tokio::test]
async fn unknown_paths_and_methods_are_json_errors() {
    let (server, _) = start().await;
    let resp = server
        .http()
        .get(format!("{}/nope", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(resp).await.0, 404);
    let resp = server
        .http()
        .get(format!("{}/", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(resp).await.0, 405);
}

#[tokio::test]
async fn outbox_records_messages_and_serves_them_to_the_admin() {
    let (server, pool) = start().await;
    let message = OutgoingMessage {
        pool_id: pool.clone(),
        username: "alice".into(),
        medium: Medium::Sms,
        destination: "+15555550100".into(),
        purpose: MessagePurpose::SignUp,
        code: Some("123456".into()),
        subject: None,
        body: "Your verification code is 123456".into(),
        created_at: server.clock().now(),
    };
    server
        .keystep()
        .delivery
        .outbox
        .as_ref()
        .expect("the test server records messages in the outbox")
        .send(&message)
        .await
        .unwrap();
    assert_eq!(
        server.last_code(&pool, "alice").await.as_deref(),
        Some("123456")
    );

    let url = format!("{}/admin/outbox", server.url());
    let resp = server
        .http()
        .get(&url)
        .query(&[("pool_id", pool.as_str()), ("username", "alice")])
        .basic_auth(server.access_key_id(), Some(server.secret_access_key()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let list: Value = resp.json().await.unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["code"], "123456");
    assert_eq!(list[0]["medium"], "SMS");
    assert_eq!(list[0]["purpose"], "sign_up");
    assert_eq!(list[0]["destination"], "+15555550100");
    assert!(list[0]["created_at"].as_i64().unwrap() > 1_700_000_000);

    // Other users' messages are filtered out.
    let resp = server
        .http()
        .get(&url)
        .query(&[("pool_id", pool.as_str()), ("username", "bob")])
        .basic_auth(server.access_key_id(), Some(server.secret_access_key()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap(), json!([]));

    // Wrong or missing credentials.
    let resp = server
        .http()
        .get(&url)
        .basic_auth(server.access_key_id(), Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(resp).await.0, 403);
    let resp = server.http().get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert!(resp.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));

    // SigV4 works too.
    let host = server.url().trim_start_matches("http://").to_string();
    let query = format!("pool_id={pool}&username=alice");
    let signed = keystep_testkit::sign(
        "GET",
        "/admin/outbox",
        &query,
        &[("host", host.as_str())],
        b"",
        server.access_key_id(),
        server.secret_access_key(),
    );
    let resp = server
        .http()
        .get(format!("{url}?{query}"))
        .header("x-amz-date", signed.x_amz_date)
        .header("authorization", signed.authorization)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn jwks_and_openid_configuration() {
    let (server, pool) = start().await;
    let resp = server
        .http()
        .get(format!("{}/{pool}/.well-known/jwks.json", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let jwks: Value = resp.json().await.unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    let keystep = &server.state().keystep;
    let own = keystep
        .pool_keys(&keystep.load_pool(&pool).await.unwrap())
        .await
        .unwrap();
    assert_eq!(keys[0]["kid"], own.signing().id.kid());
    assert_eq!(keys[1]["kid"], own.signing().access.kid());
    for k in keys {
        assert_eq!(
            (k["kty"].as_str(), k["alg"].as_str()),
            (Some("RSA"), Some("RS256"))
        );
        assert_eq!(k["e"], "AQAB");
    }

    let resp = server
        .http()
        .get(format!(
            "{}/{pool}/.well-known/openid-configuration",
            server.url()
        ))
        .send()
        .await
        .unwrap();
    let doc: Value = resp.json().await.unwrap();
    let issuer = format!("{}/{pool}", server.url());
    assert_eq!(doc["issuer"], issuer.as_str());
    assert_eq!(
        doc["jwks_uri"],
        format!("{issuer}/.well-known/jwks.json").as_str()
    );
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );

    for missing in ["us-east-1_NoSuchPoo", "garbage"] {
        let resp = server
            .http()
            .get(format!("{}/{missing}/.well-known/jwks.json", server.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(resp).await.0, 404, "{missing}");
    }
}
