//! The sign-in exchanges of the protocol notes (§2.2, §2.5), member for member.

mod common;

use common::{round_trip, to_json};
use keystep_proto::names::{auth_flow, challenge_name, param};
use keystep_proto::*;
use serde_json::json;

#[test]
fn user_srp_auth_exchange() {
    let req: InitiateAuthRequest = round_trip(
        r#"{"AuthFlow":"USER_SRP_AUTH","ClientId":"1example23456789abcdefghij",
            "AuthParameters":{"USERNAME":"alice@example.com","SRP_A":"270944ea67a4"},
            "ClientMetadata":{}}"#,
    );
    assert_eq!(req.auth_flow, auth_flow::USER_SRP_AUTH);
    assert_eq!(req.client_id, "1example23456789abcdefghij");
    let params = req.auth_parameters.as_ref().unwrap();
    assert_eq!(params[param::USERNAME], "alice@example.com");
    assert_eq!(params[param::SRP_A], "270944ea67a4");
    assert_eq!(req.client_metadata, Some(Default::default()));
    assert_eq!(req.session, None);

    let resp: InitiateAuthResponse = round_trip(
        r#"{"ChallengeName":"PASSWORD_VERIFIER",
            "ChallengeParameters":{"SALT":"8bb7dcf905f418bf27b6623aa4d2f58f","SRP_B":"5e371405f564",
              "SECRET_BLOCK":"AQIDBAUG...MA==","USER_ID_FOR_SRP":"alice","USERNAME":"alice"}}"#,
    );
    assert_eq!(
        resp.challenge_name.as_deref(),
        Some(challenge_name::PASSWORD_VERIFIER)
    );
    assert_eq!(
        resp.challenge_parameters.as_ref().unwrap()[param::USER_ID_FOR_SRP],
        "alice"
    );
    assert!(resp.session.is_none() && resp.authentication_result.is_none());

    let answer: RespondToAuthChallengeRequest = round_trip(
        r#"{"ChallengeName":"PASSWORD_VERIFIER","ClientId":"1example23456789abcdefghij",
            "ChallengeResponses":{"USERNAME":"alice","PASSWORD_CLAIM_SECRET_BLOCK":"AQIDBAUG...MA==",
              "TIMESTAMP":"Tue Mar 3 07:05:09 UTC 2026",
              "PASSWORD_CLAIM_SIGNATURE":"qIdxYJroi+3PhBC52TvFNnJ2W94bDvOXvVC22vZObkM="}}"#,
    );
    assert_eq!(answer.challenge_name, challenge_name::PASSWORD_VERIFIER);
    let responses = answer.challenge_responses.as_ref().unwrap();
    assert_eq!(responses[param::TIMESTAMP], "Tue Mar 3 07:05:09 UTC 2026");
    assert_eq!(answer.session, None);
}

#[test]
fn authentication_result() {
    let resp: RespondToAuthChallengeResponse = round_trip(
        r#"{"ChallengeParameters":{},
            "AuthenticationResult":{"AccessToken":"eyJraWQiOi.access","ExpiresIn":3600,"TokenType":"Bearer",
              "RefreshToken":"eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.refresh",
              "IdToken":"eyJraWQiOi.id",
              "NewDeviceMetadata":{"DeviceKey":"us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                "DeviceGroupKey":"-F2zOAzAd"}}}"#,
    );
    assert_eq!(resp.challenge_name, None);
    assert_eq!(resp.challenge_parameters, Some(Default::default()));
    let result = resp.authentication_result.as_ref().unwrap();
    assert_eq!(result.access_token.as_deref(), Some("eyJraWQiOi.access"));
    assert_eq!(result.id_token.as_deref(), Some("eyJraWQiOi.id"));
    assert_eq!(result.expires_in, Some(3600));
    assert_eq!(result.token_type.as_deref(), Some("Bearer"));
    let device = result.new_device_metadata.as_ref().unwrap();
    assert_eq!(device.device_group_key.as_deref(), Some("-F2zOAzAd"));

    // A server-built result without a refresh token omits the member.
    let refreshed = InitiateAuthResponse {
        challenge_parameters: Some(Default::default()),
        authentication_result: Some(AuthenticationResult {
            access_token: Some("a.b.c".into()),
            id_token: Some("d.e.f".into()),
            expires_in: Some(3600),
            token_type: Some("Bearer".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        to_json(&refreshed),
        json!({"ChallengeParameters":{},
               "AuthenticationResult":{"AccessToken":"a.b.c","ExpiresIn":3600,"TokenType":"Bearer","IdToken":"d.e.f"}})
    );
}

#[test]
fn user_password_auth_and_admin_variant() {
    let req: InitiateAuthRequest = round_trip(
        r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c1",
            "AuthParameters":{"USERNAME":"alice","PASSWORD":"Correct-Horse-9!"}}"#,
    );
    assert_eq!(
        req.auth_parameters.unwrap()[param::PASSWORD],
        "Correct-Horse-9!"
    );

    let admin: AdminInitiateAuthRequest = round_trip(
        r#"{"UserPoolId":"us-east-1_XaMpLe123","AuthFlow":"ADMIN_USER_PASSWORD_AUTH","ClientId":"c1",
            "AuthParameters":{"USERNAME":"alice","PASSWORD":"Correct-Horse-9!"},
            "ContextData":{"IpAddress":"192.0.2.1","ServerName":"app.example.com","ServerPath":"/login",
              "HttpHeaders":[{"headerName":"User-Agent","headerValue":"curl/8"}]}}"#,
    );
    assert_eq!(admin.user_pool_id, "us-east-1_XaMpLe123");
    assert_eq!(admin.auth_flow, auth_flow::ADMIN_USER_PASSWORD_AUTH);
    let context = admin.context_data.unwrap();
    assert_eq!(
        context.http_headers[0].header_name.as_deref(),
        Some("User-Agent")
    );
    assert_eq!(context.encoded_data, None);
}

#[test]
fn select_mfa_then_sms() {
    let select: InitiateAuthResponse = round_trip(
        r#"{"ChallengeName":"SELECT_MFA_TYPE","Session":"AYABxxxxxxxxxxxxxxxxxxxx",
            "ChallengeParameters":{"MFAS_CAN_CHOOSE":"[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}}"#,
    );
    assert_eq!(select.session.as_deref(), Some("AYABxxxxxxxxxxxxxxxxxxxx"));
    assert_eq!(
        select.challenge_parameters.unwrap()[param::MFAS_CAN_CHOOSE],
        r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#
    );

    let answer: AdminRespondToAuthChallengeRequest = round_trip(
        r#"{"UserPoolId":"us-east-1_XaMpLe123","ChallengeName":"SMS_MFA","Session":"AYACxxxxxxxxxxxxxxxxxxxx",
            "ClientId":"c1","ChallengeResponses":{"USERNAME":"alice","SMS_MFA_CODE":"123456"}}"#,
    );
    assert_eq!(answer.challenge_name, challenge_name::SMS_MFA);
    assert_eq!(
        answer.challenge_responses.unwrap()[param::SMS_MFA_CODE],
        "123456"
    );
}

#[test]
fn totp_setup_chain() {
    let associate: AssociateSoftwareTokenRequest = round_trip(r#"{"Session":"S1"}"#);
    assert_eq!(associate.session.as_deref(), Some("S1"));
    assert_eq!(associate.access_token, None);
    let secret: AssociateSoftwareTokenResponse =
        round_trip(r#"{"SecretCode":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","Session":"S2"}"#);
    assert_eq!(
        secret.secret_code.as_deref(),
        Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    );

    let verify: VerifySoftwareTokenRequest =
        round_trip(r#"{"Session":"S2","UserCode":"123456","FriendlyDeviceName":"My phone"}"#);
    assert_eq!(&*verify.user_code, "123456");
    assert_eq!(verify.friendly_device_name.as_deref(), Some("My phone"));
    let verified: VerifySoftwareTokenResponse =
        round_trip(r#"{"Status":"SUCCESS","Session":"S3"}"#);
    assert_eq!(verified.status.as_deref(), Some("SUCCESS"));
}

#[test]
fn refresh_both_ways() {
    let initiate: InitiateAuthRequest = round_trip(
        r#"{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"c1",
            "AuthParameters":{"REFRESH_TOKEN":"eyJjdHki.x","DEVICE_KEY":"us-east-1_abc"}}"#,
    );
    assert_eq!(initiate.auth_flow, auth_flow::REFRESH_TOKEN_AUTH);

    let req: GetTokensFromRefreshTokenRequest = round_trip(
        r#"{"ClientId":"c1","RefreshToken":"eyJjdHki.x","DeviceKey":"us-east-1_abc","ClientMetadata":{}}"#,
    );
    assert_eq!(&*req.refresh_token, "eyJjdHki.x");
    assert_eq!(req.client_secret, None);
    let resp: GetTokensFromRefreshTokenResponse = round_trip(
        r#"{"AuthenticationResult":{"AccessToken":"a","IdToken":"i","ExpiresIn":3600,"TokenType":"Bearer"}}"#,
    );
    assert_eq!(resp.authentication_result.unwrap().refresh_token, None);
}

#[test]
fn user_auth_select_challenge() {
    let resp: InitiateAuthResponse = round_trip(
        r#"{"ChallengeName":"SELECT_CHALLENGE","Session":"S1","ChallengeParameters":{},
            "AvailableChallenges":["PASSWORD_SRP","PASSWORD","EMAIL_OTP"]}"#,
    );
    assert_eq!(
        resp.available_challenges.unwrap(),
        [
            challenge_name::PASSWORD_SRP,
            challenge_name::PASSWORD,
            challenge_name::EMAIL_OTP
        ]
    );
}

#[test]
fn new_password_required() {
    let answer: RespondToAuthChallengeRequest = round_trip(
        r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"S1","ClientId":"c1",
            "ChallengeResponses":{"USERNAME":"alice","NEW_PASSWORD":"N3w-Passw0rd!","userAttributes.name":"Alice"}}"#,
    );
    let responses = answer.challenge_responses.unwrap();
    assert_eq!(responses[param::NEW_PASSWORD], "N3w-Passw0rd!");
    assert_eq!(
        responses[&format!("{}name", param::USER_ATTRIBUTES_PREFIX)],
        "Alice"
    );
}
