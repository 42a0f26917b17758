//! The general rules: unknown members ignored, required members enforced, absent members omitted,
//! empty outputs are `{}`, error bodies.

mod common;

use common::{round_trip, to_json};
use keystep_proto::*;
use serde_json::json;

#[test]
fn unknown_members_are_ignored() {
    let req: InitiateAuthRequest = serde_json::from_value(json!({
        "AuthFlow": "USER_SRP_AUTH", "ClientId": "c1",
        "AuthParameters": {"USERNAME": "alice", "SRP_A": "ab"},
        "SomeFutureMember": {"nested": [1, 2, 3]}, "AnotherOne": null
    }))
    .unwrap();
    assert_eq!(req.client_id, "c1");

    let shape: UserPoolClient =
        serde_json::from_value(json!({"ClientId": "c1", "BrandNewSetting": true})).unwrap();
    assert_eq!(shape.client_id.as_deref(), Some("c1"));

    let empty: DeleteUserPoolResponse = serde_json::from_value(json!({"Unexpected": 1})).unwrap();
    assert_eq!(empty, DeleteUserPoolResponse {});
}

#[test]
fn missing_required_member_fails() {
    let no_client =
        serde_json::from_value::<InitiateAuthRequest>(json!({"AuthFlow": "USER_SRP_AUTH"}));
    assert!(no_client.unwrap_err().to_string().contains("ClientId"));

    let no_flow = serde_json::from_value::<InitiateAuthRequest>(json!({"ClientId": "c1"}));
    assert!(no_flow.unwrap_err().to_string().contains("AuthFlow"));

    let no_code = serde_json::from_value::<ConfirmSignUpRequest>(
        json!({"ClientId": "c1", "Username": "alice"}),
    );
    assert!(no_code
        .unwrap_err()
        .to_string()
        .contains("ConfirmationCode"));

    let no_name =
        serde_json::from_value::<CreateUserPoolRequest>(json!({"MfaConfiguration": "OFF"}));
    assert!(no_name.unwrap_err().to_string().contains("PoolName"));

    let no_attr_name = serde_json::from_value::<AdminUpdateUserAttributesRequest>(json!({
        "UserPoolId": "us-east-1_X", "Username": "alice", "UserAttributes": [{"Value": "x"}]
    }));
    assert!(no_attr_name.unwrap_err().to_string().contains("Name"));

    // Optional members may be absent.
    let ok: SignUpRequest =
        serde_json::from_value(json!({"ClientId": "c1", "Username": "alice"})).unwrap();
    assert_eq!(ok.password, None);
}

#[test]
fn wrong_member_type_fails() {
    let bad = serde_json::from_value::<AdminSetUserPasswordRequest>(json!({
        "UserPoolId": "us-east-1_X", "Username": "alice", "Password": "x", "Permanent": "yes"
    }));
    assert!(bad.is_err());
}

#[test]
fn absent_members_are_omitted() {
    assert_eq!(to_json(&InitiateAuthResponse::default()), json!({}));
    assert_eq!(to_json(&UserPool::default()), json!({}));
    assert_eq!(to_json(&UserPoolClient::default()), json!({}));
    assert_eq!(
        to_json(&CreateUserPoolRequest::default()),
        json!({"PoolName": ""})
    );
    assert_eq!(
        to_json(&ListUsersResponse {
            users: Some(vec![User::default()]),
            pagination_token: None
        }),
        json!({"Users": [{}]})
    );
}

#[test]
fn empty_outputs_serialise_as_empty_objects() {
    assert_eq!(to_json(&DeleteUserPoolResponse {}), json!({}));
    assert_eq!(to_json(&AdminDeleteUserResponse {}), json!({}));
    assert_eq!(to_json(&DeleteUserResponse {}), json!({}));
    assert_eq!(to_json(&ForgetDeviceResponse {}), json!({}));
    assert_eq!(to_json(&GlobalSignOutResponse {}), json!({}));
    assert_eq!(to_json(&ConfirmForgotPasswordResponse {}), json!({}));
    assert_eq!(to_json(&AdminAddUserToGroupResponse {}), json!({}));
    let parsed: RevokeTokenResponse = serde_json::from_str("{}").unwrap();
    assert_eq!(parsed, RevokeTokenResponse {});
}

#[test]
fn error_body() {
    let body = ErrorBody::new(
        names::error::NOT_AUTHORIZED,
        "Incorrect username or password.",
    );
    assert_eq!(
        to_json(&body),
        json!({"__type": "NotAuthorizedException", "message": "Incorrect username or password."})
    );
    let parsed: ErrorBody =
        round_trip(r#"{"__type":"CodeMismatchException","message":"Invalid code provided."}"#);
    assert_eq!(parsed.type_, names::error::CODE_MISMATCH);
    let parsed: ErrorBody = serde_json::from_str(
        r#"{"__type":"UserNotFoundException","Message":"User does not exist."}"#,
    )
    .unwrap();
    assert_eq!(parsed.type_, names::error::USER_NOT_FOUND);
    assert_eq!(parsed.message, "User does not exist.");
}

#[test]
fn target_prefix() {
    let target = format!("{}InitiateAuth", names::TARGET_PREFIX);
    assert_eq!(target, "AWSCognitoIdentityProviderService.InitiateAuth");
    assert!(names::auth_flow::ALL.contains(&"ADMIN_NO_SRP_AUTH"));
    assert_eq!(names::challenge_name::ALL.len(), 16);
}
