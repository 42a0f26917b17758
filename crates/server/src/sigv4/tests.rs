//! Fixtures were signed by botocore 1.43 (`botocore.auth.SigV4Auth(Credentials(AK, SK),
//! 'cognito-idp', region).add_auth(AWSRequest(...))` with the clock fixed at
//! 2026-03-03T07:05:09Z), an implementation independent of ours.

use super::*;

const AK: &str = "AKIAIOSFODNN7EXAMPLE";
const SK: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// 2026-03-03T07:05:09Z.
const SIGNED_AT: i64 = 1_772_521_509;
const BODY: &[u8] = br#"{"MaxResults":10}"#;
const TARGET: &str = "AWSCognitoIdentityProviderService.ListUserPools";
const AUTH_POST: &str = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260303/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0ad6547c2c125eaca78ce19a221a9133b0ac09db6f247b17cb3e2bb661db4ba3";
const AUTH_TOKEN: &str = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260303/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=3826f1aa192e82c701c61dd6a82aec94539e270b6a4059e635ac9b0ded7f07cd";
const AUTH_GET: &str = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260303/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=adcb0dfa0a5d764243ac45fe6232e77e1dfe394fded806e8513b044a5d68dd28";

fn lookup(ak: &str) -> Option<String> {
    (ak == AK).then(|| SK.to_string())
}

fn post_headers<'a>(auth: &'a str, host: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("Host", host),
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", TARGET),
        ("X-Amz-Date", "20260303T070509Z"),
        // Unsigned headers do not matter.
        ("User-Agent", "Boto3/1.0"),
        ("Authorization", auth),
    ]
}

fn post<'a>(headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> Request<'a> {
    Request {
        method: "POST",
        path: "/",
        query: "",
        headers,
        body,
    }
}

#[test]
fn botocore_signed_post_verifies() {
    let headers = post_headers(AUTH_POST, "127.0.0.1:9229");
    let v = verify(&post(&headers, BODY), SIGNED_AT + 30, lookup).unwrap();
    assert_eq!(v.access_key_id, AK);
    assert_eq!(v.region, "us-east-1");
}

#[test]
fn security_token_is_just_another_signed_header() {
    let mut headers = post_headers(AUTH_TOKEN, "localhost:9229");
    headers.push(("X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLETOKEN"));
    assert!(verify(&post(&headers, BODY), SIGNED_AT, lookup).is_ok());
    headers.pop();
    headers.push(("X-Amz-Security-Token", "other"));
    assert_eq!(
        verify(&post(&headers, BODY), SIGNED_AT, lookup),
        Err(SigV4Error::Mismatch)
    );
}

#[test]
fn botocore_signed_get_with_query_verifies() {
    let headers = [
        ("host", "127.0.0.1:9229"),
        ("x-amz-date", "20260303T070509Z"),
        ("authorization", AUTH_GET),
    ];
    let req = Request {
        method: "GET",
        path: "/admin/outbox",
        query: "username=alice%20b&pool_id=us-east-1_abc",
        headers: &headers,
        body: b"",
    };
    assert_eq!(verify(&req, SIGNED_AT, lookup).unwrap().region, "eu-west-1");
    let other = Request {
        query: "username=alice&pool_id=us-east-1_abc",
        ..req
    };
    assert_eq!(verify(&other, SIGNED_AT, lookup), Err(SigV4Error::Mismatch));
}

#[test]
fn one_byte_of_body_changes_everything() {
    let headers = post_headers(AUTH_POST, "127.0.0.1:9229");
    let body = br#"{"MaxResults":11}"#;
    assert_eq!(
        verify(&post(&headers, body), SIGNED_AT, lookup),
        Err(SigV4Error::Mismatch)
    );
}

#[test]
fn host_is_signed_as_received() {
    let headers = post_headers(AUTH_POST, "localhost:9229");
    assert_eq!(
        verify(&post(&headers, BODY), SIGNED_AT, lookup),
        Err(SigV4Error::Mismatch)
    );
}

#[test]
fn wrong_secret_fails() {
    let headers = post_headers(AUTH_POST, "127.0.0.1:9229");
    let wrong = |_: &str| Some("not-the-secret".to_string());
    assert_eq!(
        verify(&post(&headers, BODY), SIGNED_AT, wrong),
        Err(SigV4Error::Mismatch)
    );
}

#[test]
fn unknown_key_id_fails() {
    let headers = post_headers(AUTH_POST, "127.0.0.1:9229");
    assert_eq!(
        verify(&post(&headers, BODY), SIGNED_AT, |_| None),
        Err(SigV4Error::UnknownKey)
    );
}

#[test]
fn skewed_dates_fail_both_ways() {
    let headers = post_headers(AUTH_POST, "127.0.0.1:9229");
    let req = post(&headers, BODY);
    assert!(verify(&req, SIGNED_AT + MAX_SKEW_SECS, lookup).is_ok());
    assert!(verify(&req, SIGNED_AT - MAX_SKEW_SECS, lookup).is_ok());
    match verify(&req, SIGNED_AT + MAX_SKEW_SECS + 1, lookup) {
        Err(SigV4Error::Invalid(m)) => {
            assert!(m.starts_with("Signature expired: 20260303T070509Z"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    match verify(&req, SIGNED_AT - 3600, lookup) {
        Err(SigV4Error::Invalid(m)) => assert!(m.starts_with("Signature not yet current"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_and_malformed_headers() {
    let none = [("Host", "x")];
    assert_eq!(
        verify(&post(&none, BODY), SIGNED_AT, lookup),
        Err(SigV4Error::Missing)
    );
    for bad in [
        "Bearer abc",
        "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260303/us-east-1, SignedHeaders=host, Signature=00",
    ] {
        let headers = post_headers(bad, "127.0.0.1:9229");
        assert!(
            matches!(
                verify(&post(&headers, BODY), SIGNED_AT, lookup),
                Err(SigV4Error::Malformed(_))
            ),
            "{bad}"
        );
    }
    // A signed header that is absent from the request.
    let headers: Vec<_> = post_headers(AUTH_POST, "127.0.0.1:9229")
        .into_iter()
        .filter(|(n, _)| *n != "X-Amz-Target")
        .collect();
    assert!(matches!(
        verify(&post(&headers, BODY), SIGNED_AT, lookup),
        Err(SigV4Error::Malformed(_))
    ));
}

/// A signature that leaves out the host, the date or the operation could be replayed
/// with another one of them: each must be among the signed headers.
#[test]
fn host_date_and_target_must_be_signed() {
    for (left_out, shown) in [
        ("host", "'Host'"),
        ("x-amz-date", "'X-Amz-Date'"),
        ("x-amz-target", "'X-Amz-Target'"),
    ] {
        // Sign the request properly, just without that header in the signed list.
        let mut base = vec![
            ("content-type", "application/x-amz-json-1.1"),
            ("host", "127.0.0.1:9229"),
            ("x-amz-target", TARGET),
        ];
        base.retain(|(n, _)| *n != left_out || left_out == "x-amz-date");
        let s = sign(&post(&base, BODY), SIGNED_AT, AK, SK, "us-east-1");
        let authorization = if left_out == "x-amz-date" {
            s.authorization.replace(";x-amz-date", "")
        } else {
            s.authorization.clone()
        };
        let mut headers = base.clone();
        if left_out != "x-amz-date" && left_out != "x-amz-target" {
            headers.push((left_out, "127.0.0.1:9229"));
        }
        if left_out == "x-amz-target" {
            headers.push(("x-amz-target", TARGET));
        }
        headers.push(("x-amz-date", &s.x_amz_date));
        headers.push(("authorization", &authorization));
        match verify(&post(&headers, BODY), SIGNED_AT, lookup) {
            Err(SigV4Error::Malformed(m)) => assert!(m.contains(shown), "{left_out}: {m}"),
            other => panic!("{left_out}: {other:?}"),
        }
    }
    // A request without X-Amz-Target (the admin GET endpoints) needs only the other two.
    let get = [("host", "127.0.0.1:9229")];
    let s = sign(&post(&get, b""), SIGNED_AT, AK, SK, "us-east-1");
    let mut headers = get.to_vec();
    headers.push(("x-amz-date", &s.x_amz_date));
    headers.push(("authorization", &s.authorization));
    assert!(verify(&post(&headers, b""), SIGNED_AT, lookup).is_ok());
}

#[test]
fn other_service_is_refused() {
    let auth = AUTH_POST.replace("/cognito-idp/", "/s3/");
    let headers = post_headers(&auth, "127.0.0.1:9229");
    assert!(matches!(
        verify(&post(&headers, BODY), SIGNED_AT, lookup),
        Err(SigV4Error::Invalid(_))
    ));
}

#[test]
fn our_signer_matches_botocore() {
    let headers = [
        ("content-type", "application/x-amz-json-1.1"),
        ("host", "127.0.0.1:9229"),
        ("x-amz-target", TARGET),
    ];
    let signed = sign(&post(&headers, BODY), SIGNED_AT, AK, SK, "us-east-1");
    assert_eq!(signed.x_amz_date, "20260303T070509Z");
    assert_eq!(signed.authorization, AUTH_POST);
}

#[test]
fn signed_then_verified_round_trip() {
    let base = [("host", "example.test"), ("x-amz-target", TARGET)];
    let s = sign(
        &post(&base, b"{}"),
        1_000_000_000,
        "AKIDTEST",
        "secret",
        "ap-south-1",
    );
    let mut headers = base.to_vec();
    headers.push(("x-amz-date", &s.x_amz_date));
    headers.push(("authorization", &s.authorization));
    let secret = |ak: &str| (ak == "AKIDTEST").then(|| "secret".to_string());
    let v = verify(&post(&headers, b"{}"), 1_000_000_000, secret).unwrap();
    assert_eq!(v.region, "ap-south-1");
}

#[test]
fn amz_dates_round_trip() {
    assert_eq!(parse_amz_date("20260303T070509Z"), Some(SIGNED_AT));
    assert_eq!(format_amz_date(SIGNED_AT), "20260303T070509Z");
    assert_eq!(parse_amz_date("2026-03-03"), None);
}

#[test]
fn canonical_query_sorts_and_encodes() {
    assert_eq!(canonical_query("b=2&a=x%20y&c"), "a=x%20y&b=2&c=");
    assert_eq!(canonical_path("/a b"), "/a%20b");
}
