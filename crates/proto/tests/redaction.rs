//! `Debug` output never contains a secret (`tracing::debug!(?request)` must be safe).

use std::collections::BTreeMap;

use keystep_proto::*;

const PASSWORD: &str = "Correct-Horse-9!";

fn map(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

#[test]
fn initiate_auth_with_password() {
    let req: InitiateAuthRequest = serde_json::from_str(&format!(
        r#"{{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c1",
            "AuthParameters":{{"USERNAME":"alice","PASSWORD":"{PASSWORD}","SECRET_HASH":"hashhashhash"}},
            "Session":"sessionsessionsession"}}"#
    ))
    .unwrap();
    for debug in [format!("{req:?}"), format!("{req:#?}")] {
        assert!(!debug.contains(PASSWORD), "{debug}");
        assert!(!debug.contains("hashhashhash"), "{debug}");
        assert!(!debug.contains("sessionsessionsession"), "{debug}");
        assert!(
            debug.contains("PASSWORD") && debug.contains("USERNAME"),
            "keys are shown: {debug}"
        );
        assert!(debug.contains("USER_PASSWORD_AUTH"), "{debug}");
    }
    let admin = AdminInitiateAuthRequest {
        auth_parameters: map(&[("USERNAME", "alice"), ("PASSWORD", PASSWORD)]),
        ..Default::default()
    };
    assert!(!format!("{admin:?}").contains(PASSWORD));
}

#[test]
fn sign_up_with_password() {
    let req: SignUpRequest = serde_json::from_str(&format!(
        r#"{{"ClientId":"c1","Username":"alice","Password":"{PASSWORD}","SecretHash":"hashhashhash"}}"#
    ))
    .unwrap();
    let debug = format!("{req:?}");
    assert!(!debug.contains(PASSWORD), "{debug}");
    assert!(!debug.contains("hashhashhash"), "{debug}");
    assert!(debug.contains("Sensitive(<redacted>)"), "{debug}");
}

#[test]
fn challenge_maps_show_keys_only() {
    let resp = RespondToAuthChallengeResponse {
        challenge_name: Some("PASSWORD_VERIFIER".into()),
        challenge_parameters: map(&[
            ("SRP_B", "b0b0b0"),
            ("SALT", "5a5a5a"),
            ("SECRET_BLOCK", "c3VwZXI="),
        ]),
        ..Default::default()
    };
    let debug = format!("{resp:?}");
    assert!(
        debug.contains("SRP_B") && debug.contains("SECRET_BLOCK"),
        "{debug}"
    );
    for secret in ["b0b0b0", "5a5a5a", "c3VwZXI="] {
        assert!(!debug.contains(secret), "{debug}");
    }

    let answer = AdminRespondToAuthChallengeRequest {
        challenge_responses: map(&[("USERNAME", "alice"), ("SMS_MFA_CODE", "918273")]),
        ..Default::default()
    };
    assert!(!format!("{answer:?}").contains("918273"));
    let answer = RespondToAuthChallengeRequest {
        challenge_responses: map(&[("NEW_PASSWORD", PASSWORD)]),
        ..Default::default()
    };
    assert!(!format!("{answer:?}").contains(PASSWORD));
    let initiate = InitiateAuthResponse {
        challenge_parameters: map(&[("SRP_B", "b0b0b0")]),
        ..Default::default()
    };
    assert!(!format!("{initiate:?}").contains("b0b0b0"));
    let admin = AdminInitiateAuthResponse {
        challenge_parameters: map(&[("SRP_B", "b0b0b0")]),
        ..Default::default()
    };
    assert!(!format!("{admin:?}").contains("b0b0b0"));
}

#[test]
fn tokens_codes_and_sessions() {
    let result = AuthenticationResult {
        access_token: Some("access.jwt.value".into()),
        id_token: Some("id.jwt.value".into()),
        refresh_token: Some("refresh.jwt.value".into()),
        ..Default::default()
    };
    let debug = format!("{result:?}");
    assert!(!debug.contains("jwt.value"), "{debug}");

    let cases = [
        format!(
            "{:?}",
            ConfirmForgotPasswordRequest {
                confirmation_code: "735102".into(),
                password: PASSWORD.into(),
                ..Default::default()
            }
        ),
        format!(
            "{:?}",
            ChangePasswordRequest {
                previous_password: Some(PASSWORD.into()),
                proposed_password: PASSWORD.into(),
                access_token: "access.jwt.value".into()
            }
        ),
        format!(
            "{:?}",
            AdminCreateUserRequest {
                temporary_password: Some(PASSWORD.into()),
                ..Default::default()
            }
        ),
        format!(
            "{:?}",
            VerifyUserAttributeRequest {
                code: "735102".into(),
                ..Default::default()
            }
        ),
        format!(
            "{:?}",
            RevokeTokenRequest {
                token: "refresh.jwt.value".into(),
                client_secret: Some("clientsecretvalue".into()),
                ..Default::default()
            }
        ),
        format!(
            "{:?}",
            AssociateSoftwareTokenResponse {
                secret_code: Some("JBSWY3DPEHPK3PXP".into()),
                session: Some("sessionsessionsession".into())
            }
        ),
    ];
    for debug in cases {
        for secret in [
            PASSWORD,
            "735102",
            "jwt.value",
            "clientsecretvalue",
            "JBSWY3DPEHPK3PXP",
            "sessionsessionsession",
        ] {
            assert!(!debug.contains(secret), "{debug}");
        }
    }
}

#[test]
fn sensitive_behaves_like_a_string() {
    let secret = Sensitive::from("hunter2");
    assert_eq!(format!("{secret:?}"), "Sensitive(<redacted>)");
    assert_eq!(&*secret, "hunter2");
    assert_eq!(secret.len(), 7);
    assert_eq!(secret.expose(), "hunter2");
    assert_eq!(Sensitive::from(String::from("x")), Sensitive("x".into()));
    assert_eq!(serde_json::to_string(&secret).unwrap(), r#""hunter2""#);
    let back: Sensitive = serde_json::from_str(r#""hunter2""#).unwrap();
    assert_eq!(back, secret);
}
