//! Token claims, signing, verification and refresh-token rules.

use std::sync::OnceLock;

use serde_json::{json, Value};

use super::*;
use crate::app_client::ClientSettings;
use crate::ports::SystemRng;
use crate::signin::{AuthFlow, Flow};
use crate::user::{MfaSettings, UserStatus};

const POOL: &str = "us-east-1_XaMpLe123";
const PUBLIC_URL: &str = "http://localhost:9229";

fn keys() -> &'static SigningKeys {
    static KEYS: OnceLock<SigningKeys> = OnceLock::new();
    KEYS.get_or_init(|| SigningKeys::generate().unwrap())
}

fn client(read: &[&str]) -> AppClient {
    AppClient {
        pool_id: POOL.into(),
        client_id: "client1".into(),
        name: "web".into(),
        secret: None,
        created_at: Millis(0),
        modified_at: Millis(0),
        settings: ClientSettings {
            read_attributes: read.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
        .into(),
        secret_rotation: Default::default(),
    }
}

fn user() -> User {
    User {
        pool_id: POOL.into(),
        username: "alice".into(),
        username_key: "alice".into(),
        sub: "11111111-2222-4333-8444-555555555555".into(),
        attributes: [
            ("email", "alice@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+15555551234"),
            ("phone_number_verified", "false"),
            ("updated_at", "1700000000"),
            ("custom:tier", "7"),
            ("name", "Alice"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        status: UserStatus::Confirmed,
        enabled: true,
        created_at: Millis(0),
        modified_at: Millis(0),
        password: None,
        password_set_at: None,
        mfa: MfaSettings::default(),
        tokens_valid_after: None,
        pending_attributes: Default::default(),
        password_history: Vec::new(),
        version: 0,
    }
}

fn proof(device_key: Option<&str>) -> Authenticated {
    let flow = Flow {
        pool_id: POOL.into(),
        client_id: "client1".into(),
        sub: user().sub,
        username: "alice".into(),
        typed_username: "alice".into(),
        auth_flow: AuthFlow::UserSrpAuth,
        admin: false,
        started_at: Millis(1_000_000),
        device_key: device_key.map(str::to_string),
        user_not_found: false,
        hosted: false,
        id: String::new(),
    };
    Authenticated::signed_in(&flow, Millis(1_000_500))
}

fn input<'a>(
    client: &'a AppClient,
    user: &'a User,
    groups: &'a [String],
    proof: &'a Authenticated,
    issuer: &'a str,
) -> ClaimsInput<'a> {
    ClaimsInput {
        issuer,
        client,
        user,
        groups,
        proof,
        origin_jti: "origin-1",
        event_id: "event-1",
        now: Millis(2_000_999),
        customization: None,
    }
}

fn keys_of(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn id_token_has_exactly_the_cognito_claims() {
    let (c, u, p) = (client(&[]), user(), proof(None));
    let iss = issuer(PUBLIC_URL, POOL);
    assert_eq!(iss, "http://localhost:9229/us-east-1_XaMpLe123");
    let groups = vec!["admins".to_string()];
    let claims = id_token_claims(&input(&c, &u, &groups, &p, &iss), "jti-1");
    assert_eq!(
        keys_of(&claims),
        [
            "aud",
            "auth_time",
            "cognito:groups",
            "cognito:username",
            "custom:tier",
            "email",
            "email_verified",
            "event_id",
            "exp",
            "iat",
            "iss",
            "jti",
            "name",
            "origin_jti",
            "phone_number",
            "phone_number_verified",
            "sub",
            "token_use",
            "updated_at"
        ]
    );
    assert_eq!(claims["aud"], "client1");
    assert_eq!(claims["token_use"], "id");
    assert_eq!(claims["cognito:username"], "alice");
    assert_eq!(claims["email_verified"], json!(true));
    assert_eq!(claims["phone_number_verified"], json!(false));
    assert_eq!(claims["custom:tier"], json!("7"));
    assert_eq!(claims["updated_at"], json!(1_700_000_000));
    assert_eq!(claims["cognito:groups"], json!(["admins"]));
    assert_eq!(claims["auth_time"], json!(1000));
    assert_eq!(claims["iat"], json!(2000));
    assert_eq!(claims["exp"], json!(2000 + 3600));
    assert_eq!(claims["iss"], iss);
}

#[test]
fn id_token_shows_only_readable_attributes_and_omits_empty_groups() {
    let (c, u, p) = (client(&["email", "email_verified"]), user(), proof(None));
    let claims = id_token_claims(&input(&c, &u, &[], &p, "iss"), "j");
    assert!(claims.get("cognito:groups").is_none());
    assert!(claims.get("phone_number").is_none());
    assert!(claims.get("custom:tier").is_none());
    assert_eq!(claims["email"], "alice@example.com");
}

#[test]
fn access_token_has_client_id_scope_and_no_audience() {
    let (c, u) = (client(&[]), user());
    let p = proof(Some("us-east-1_dev"));
    let claims = access_token_claims(&input(&c, &u, &[], &p, "iss"), "j");
    assert_eq!(
        keys_of(&claims),
        [
            "auth_time",
            "client_id",
            "device_key",
            "event_id",
            "exp",
            "iat",
            "iss",
            "jti",
            "origin_jti",
            "scope",
            "sub",
            "token_use",
            "username"
        ]
    );
    assert_eq!(claims["scope"], API_SCOPE);
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["username"], "alice");
    assert_eq!(claims["device_key"], "us-east-1_dev");
    let p = proof(None);
    assert!(access_token_claims(&input(&c, &u, &[], &p, "iss"), "j")
        .get("device_key")
        .is_none());
}

#[test]
fn signed_access_tokens_verify_and_bad_ones_do_not() {
    let (c, u, p) = (client(&[]), user(), proof(None));
    let iss = issuer(PUBLIC_URL, POOL);
    let groups = vec![];
    let inp = input(&c, &u, &groups, &p, &iss);
    let tokens = sign(keys(), &SystemRng, &inp).unwrap();
    assert_eq!(tokens.expires_in, 3600);
    let now = Millis(2_001_000);
    // The unverified peek names the key and the pool.
    let peek = peek_access_token(&tokens.access_token, PUBLIC_URL).unwrap();
    assert_eq!(peek.kid, keys().access.kid());
    assert_eq!(peek.pool_id, POOL);
    assert_eq!(
        peek_access_token(&tokens.access_token, "http://other"),
        Err(invalid_access_token())
    );
    let claims =
        verify_access_token(&keys().access, &tokens.access_token, PUBLIC_URL, now).unwrap();
    assert_eq!(claims.pool_id, POOL);
    assert_eq!(claims.sub, u.sub);
    assert_eq!(claims.origin_jti, "origin-1");
    assert_eq!(claims.iat, 2000);
    // With a trailing slash in the configured URL too.
    assert!(verify_access_token(
        &keys().access,
        &tokens.access_token,
        "http://localhost:9229/",
        now
    )
    .is_ok());

    let invalid = Err(invalid_access_token());
    // An ID token is not an access token (other key, other use).
    assert_eq!(
        verify_access_token(&keys().access, &tokens.id_token, PUBLIC_URL, now),
        invalid
    );
    // Another issuer.
    assert_eq!(
        verify_access_token(&keys().access, &tokens.access_token, "http://other", now),
        invalid
    );
    // Tampered payload.
    let parts: Vec<&str> = tokens.access_token.split('.').collect();
    let forged_claims = access_token_claims(
        &ClaimsInput {
            now: Millis(9_000_000),
            customization: None,
            ..inp.clone()
        },
        "j",
    );
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged_claims).unwrap()),
        parts[2]
    );
    assert_eq!(
        verify_access_token(&keys().access, &forged, PUBLIC_URL, now),
        invalid
    );
    for garbage in ["", "a.b", "a.b.c", "a.b.c.d"] {
        assert_eq!(
            verify_access_token(&keys().access, garbage, PUBLIC_URL, now),
            invalid
        );
    }
    // Expired.
    assert_eq!(
        verify_access_token(
            &keys().access,
            &tokens.access_token,
            PUBLIC_URL,
            Millis((2000 + 3600) * 1000)
        ),
        Err(AuthError::NotAuthorized("Access Token has expired".into()))
    );
}

#[test]
fn global_sign_out_and_disabling_stop_access_tokens() {
    let claims = AccessClaims {
        pool_id: POOL.into(),
        sub: "s".into(),
        username: "alice".into(),
        client_id: "client1".into(),
        origin_jti: "o".into(),
        jti: "j".into(),
        iat: 2000,
        exp: 5600,
        device_key: None,
        scope: "aws.cognito.signin.user.admin".into(),
    };
    let mut u = user();
    assert!(check_access_user(&claims, &u).is_ok());
    u.tokens_valid_after = Some(Millis(2_000_500));
    assert!(check_access_user(&claims, &u).is_ok(), "same second");
    u.tokens_valid_after = Some(Millis(2_001_000));
    assert_eq!(check_access_user(&claims, &u), Err(revoked_access_token()));
    u.tokens_valid_after = None;
    u.enabled = false;
    assert!(check_access_user(&claims, &u).is_err());
}

#[test]
fn refresh_tokens_are_opaque_url_safe_and_checked() {
    let t = new_refresh_token(&SystemRng);
    assert_eq!(t.len(), 64);
    assert!(t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_ne!(t, new_refresh_token(&SystemRng));
    let ring = KeyRing::new(&[3; 32]).unwrap();
    assert_eq!(refresh_token_hash(&ring, &t), refresh_token_hash(&ring, &t));
    assert_ne!(refresh_token_hash(&ring, &t), t.as_bytes());

    let mut row = RefreshTokenRow {
        hash: refresh_token_hash(&ring, &t),
        pool_id: POOL.into(),
        client_id: "client1".into(),
        sub: "s".into(),
        origin_jti: "origin-1".into(),
        auth_time: Millis(1000),
        created_at: Millis(1000),
        expires_at: Millis(10_000),
        revoked: false,
        device_key: None,
        scope: None,
        rotated_until: None,
    };
    let p = refresh_proof(&row, "client1", "alice", Millis(5000)).unwrap();
    assert_eq!(p.origin_jti(), Some("origin-1"));
    assert_eq!(p.auth_time(), Millis(1000));
    assert_eq!(p.auth_flow(), AuthFlow::RefreshTokenAuth);
    assert_eq!(
        refresh_proof(&row, "other", "alice", Millis(5000)),
        Err(invalid_refresh_token())
    );
    assert_eq!(
        refresh_proof(&row, "client1", "alice", Millis(10_000))
            .unwrap_err()
            .to_string(),
        "Refresh Token has expired"
    );
    row.revoked = true;
    assert_eq!(
        refresh_proof(&row, "client1", "alice", Millis(5000))
            .unwrap_err()
            .to_string(),
        "Refresh Token has been revoked"
    );
}
