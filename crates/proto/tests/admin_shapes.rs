//! Pool, client and user administration shapes.

mod common;

use common::{round_trip, to_json};
use keystep_proto::*;
use serde_json::json;

#[test]
fn create_user_pool_with_policies_schema_and_triggers() {
    let req: CreateUserPoolRequest = round_trip(
        r#"{
          "PoolName": "keystep-test",
          "Policies": {"PasswordPolicy": {"MinimumLength": 12, "RequireUppercase": true,
            "RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": false,
            "PasswordHistorySize": 3, "TemporaryPasswordValidityDays": 7},
            "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
          "LambdaConfig": {"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre",
            "DefineAuthChallenge": "arn:aws:lambda:us-east-1:123456789012:function:define",
            "PreTokenGenerationConfig": {"LambdaVersion": "V2_0",
              "LambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:ptg"},
            "CustomSMSSender": {"LambdaVersion": "V1_0",
              "LambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:sms"},
            "KMSKeyID": "arn:aws:kms:us-east-1:123456789012:key/abc"},
          "AutoVerifiedAttributes": ["email"],
          "UsernameAttributes": ["email"],
          "MfaConfiguration": "OPTIONAL",
          "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": false},
          "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": false,
            "InviteMessageTemplate": {"SMSMessage": "{username} {####}", "EmailSubject": "Welcome"}},
          "Schema": [
            {"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true},
            {"Name": "tier", "AttributeDataType": "Number", "Mutable": true,
             "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "10"}},
            {"Name": "nickname2", "AttributeDataType": "String",
             "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"}}
          ],
          "UsernameConfiguration": {"CaseSensitive": false},
          "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
          "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE", "EmailMessage": "Code {####}"},
          "UserPoolTags": {"team": "identity"}
        }"#,
    );
    assert_eq!(req.pool_name, "keystep-test");
    let policy = req
        .policies
        .as_ref()
        .unwrap()
        .password_policy
        .as_ref()
        .unwrap();
    assert_eq!(policy.minimum_length, Some(12));
    assert_eq!(policy.require_symbols, Some(false));
    assert_eq!(policy.temporary_password_validity_days, Some(7));
    let lambda = req.lambda_config.as_ref().unwrap();
    assert!(lambda.pre_sign_up.as_deref().unwrap().ends_with(":pre"));
    assert_eq!(
        lambda
            .pre_token_generation_config
            .as_ref()
            .unwrap()
            .lambda_version,
        "V2_0"
    );
    assert_eq!(
        lambda.custom_sms_sender.as_ref().unwrap().lambda_version,
        "V1_0"
    );
    assert_eq!(lambda.post_confirmation, None);
    assert!(lambda.kms_key_id.is_some());
    let schema = req.schema.as_ref().unwrap();
    assert_eq!(schema.len(), 3);
    assert_eq!(schema[0].required, Some(true));
    assert_eq!(
        schema[1]
            .number_attribute_constraints
            .as_ref()
            .unwrap()
            .max_value
            .as_deref(),
        Some("10")
    );
    assert_eq!(
        schema[2]
            .string_attribute_constraints
            .as_ref()
            .unwrap()
            .max_length
            .as_deref(),
        Some("64")
    );
    assert!(!req.username_configuration.as_ref().unwrap().case_sensitive);
    let recovery = &req
        .account_recovery_setting
        .as_ref()
        .unwrap()
        .recovery_mechanisms
        .as_ref()
        .unwrap()[0];
    assert_eq!(
        (recovery.priority, recovery.name.as_str()),
        (1, "verified_email")
    );
    assert_eq!(req.user_pool_tags.as_ref().unwrap()["team"], "identity");
    assert_eq!(req.alias_attributes, None);
}

#[test]
fn describe_user_pool_response_timestamps_are_numbers() {
    let resp: DescribeUserPoolResponse = round_trip(
        r#"{"UserPool": {"Id": "us-east-1_XaMpLe123", "Name": "keystep-test",
            "Arn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_XaMpLe123",
            "CreationDate": 1772521509.25, "LastModifiedDate": 1772521510.5,
            "MfaConfiguration": "OFF", "EstimatedNumberOfUsers": 0,
            "SchemaAttributes": [{"Name": "sub", "AttributeDataType": "String", "DeveloperOnlyAttribute": false,
              "Mutable": false, "Required": true, "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"}}]}}"#,
    );
    let pool = resp.user_pool.unwrap();
    assert_eq!(pool.creation_date, Some(1772521509.25));
    assert_eq!(pool.estimated_number_of_users, Some(0));

    let whole = DescribeUserPoolResponse {
        user_pool: Some(UserPool {
            id: Some("us-east-1_XaMpLe123".into()),
            creation_date: Some(1772521509.0),
            ..Default::default()
        }),
    };
    let value = to_json(&whole);
    assert!(value["UserPool"]["CreationDate"].is_number());
    assert_eq!(
        value["UserPool"]["CreationDate"].as_f64(),
        Some(1772521509.0)
    );
}

#[test]
fn describe_user_pool_client_response() {
    let resp: DescribeUserPoolClientResponse = round_trip(
        r#"{"UserPoolClient": {
            "UserPoolId": "us-east-1_XaMpLe123", "ClientName": "web",
            "ClientId": "1example23456789abcdefghij",
            "ClientSecret": "s3cr3tVALUEs3cr3tVALUEs3cr3tVALUEs3cr3tVALUE1234567",
            "CreationDate": 1772521509.5, "LastModifiedDate": 1772521600.5,
            "RefreshTokenValidity": 30, "AccessTokenValidity": 60, "IdTokenValidity": 60,
            "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
            "ReadAttributes": ["email", "email_verified"], "WriteAttributes": ["email"],
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "SupportedIdentityProviders": ["COGNITO"],
            "CallbackURLs": ["https://app.example.com/cb"], "LogoutURLs": ["https://app.example.com/"],
            "DefaultRedirectURI": "https://app.example.com/cb",
            "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid", "email"],
            "AllowedOAuthFlowsUserPoolClient": true,
            "PreventUserExistenceErrors": "ENABLED", "EnableTokenRevocation": true,
            "EnablePropagateAdditionalUserContextData": false, "AuthSessionValidity": 3,
            "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
        }}"#,
    );
    let client = resp.user_pool_client.unwrap();
    assert_eq!(
        client.client_id.as_deref(),
        Some("1example23456789abcdefghij")
    );
    assert!(client
        .client_secret
        .as_deref()
        .unwrap()
        .starts_with("s3cr3t"));
    assert_eq!(
        client.token_validity_units.unwrap().access_token.as_deref(),
        Some("minutes")
    );
    assert_eq!(
        client.explicit_auth_flows.unwrap(),
        [
            names::explicit_auth_flows::ALLOW_USER_SRP_AUTH,
            names::explicit_auth_flows::ALLOW_REFRESH_TOKEN_AUTH
        ]
    );
    assert_eq!(
        client.callback_urls.unwrap(),
        ["https://app.example.com/cb"]
    );
    assert_eq!(
        client.default_redirect_uri.as_deref(),
        Some("https://app.example.com/cb")
    );
    assert_eq!(
        client
            .refresh_token_rotation
            .unwrap()
            .retry_grace_period_seconds,
        Some(10)
    );
    assert_eq!(client.analytics_configuration, None);
    assert!(!format!("{:?}", client.client_secret).contains("s3cr3t"));
}

#[test]
fn admin_get_user_and_get_user() {
    let resp: AdminGetUserResponse = round_trip(
        r#"{"Username": "alice", "UserAttributes": [{"Name": "sub", "Value": "6f1c2a3e"},
              {"Name": "email", "Value": "alice@example.com"}],
            "UserCreateDate": 1772521509.5, "UserLastModifiedDate": 1772521509.5,
            "Enabled": true, "UserStatus": "CONFIRMED",
            "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
            "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA", "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"]}"#,
    );
    assert_eq!(resp.username, "alice");
    assert_eq!(
        resp.user_status.as_deref(),
        Some(names::user_status::CONFIRMED)
    );
    assert_eq!(
        resp.mfa_options.unwrap()[0].attribute_name.as_deref(),
        Some("phone_number")
    );
    assert_eq!(resp.user_mfa_setting_list.unwrap(), ["SOFTWARE_TOKEN_MFA"]);

    // GetUser requires Username and UserAttributes even in the response.
    let minimal = GetUserResponse {
        username: "alice".into(),
        user_attributes: vec![Attribute {
            name: "sub".into(),
            value: Some("6f1c2a3e".into()),
        }],
        ..Default::default()
    };
    assert_eq!(
        to_json(&minimal),
        json!({"Username": "alice", "UserAttributes": [{"Name": "sub", "Value": "6f1c2a3e"}]})
    );
}

#[test]
fn sign_up_and_code_delivery() {
    let req: SignUpRequest = round_trip(
        r#"{"ClientId": "c1", "Username": "alice@example.com", "Password": "Correct-Horse-9!",
            "UserAttributes": [{"Name": "email", "Value": "alice@example.com"}],
            "ValidationData": [{"Name": "invite", "Value": "xyz"}]}"#,
    );
    assert_eq!(req.password.as_deref(), Some("Correct-Horse-9!"));
    assert_eq!(req.user_attributes.unwrap()[0].name, "email");

    let resp = SignUpResponse {
        user_confirmed: false,
        user_sub: "6f1c2a3e".into(),
        code_delivery_details: Some(CodeDeliveryDetails {
            destination: Some("a***@e***".into()),
            delivery_medium: Some(names::delivery_medium::EMAIL.into()),
            attribute_name: Some("email".into()),
        }),
        session: None,
    };
    assert_eq!(
        to_json(&resp),
        json!({"UserConfirmed": false, "UserSub": "6f1c2a3e",
               "CodeDeliveryDetails": {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}})
    );
}

#[test]
fn set_user_mfa_preference_wire_names() {
    let req: AdminSetUserMFAPreferenceRequest = round_trip(
        r#"{"UserPoolId": "us-east-1_XaMpLe123", "Username": "alice",
            "SMSMfaSettings": {"Enabled": false},
            "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
            "EmailMfaSettings": {"Enabled": true, "PreferredMfa": false}}"#,
    );
    assert_eq!(req.sms_mfa_settings.unwrap().enabled, Some(false));
    assert_eq!(
        req.software_token_mfa_settings.unwrap().preferred_mfa,
        Some(true)
    );
    assert_eq!(req.web_authn_mfa_settings, None);
}

#[test]
fn devices() {
    let confirm: ConfirmDeviceRequest = round_trip(
        r#"{"AccessToken": "eyJ.a.b", "DeviceKey": "us-east-1_0f1e2d3c",
            "DeviceSecretVerifierConfig": {"PasswordVerifier": "dmVyaWZpZXI=", "Salt": "c2FsdA=="},
            "DeviceName": "iPhone"}"#,
    );
    let config = confirm.device_secret_verifier_config.as_ref().unwrap();
    assert_eq!(config.password_verifier.as_deref(), Some("dmVyaWZpZXI="));
    assert!(!format!("{confirm:?}").contains("dmVyaWZpZXI="));

    let listed: ListDevicesResponse = round_trip(
        r#"{"Devices": [{"DeviceKey": "us-east-1_0f1e2d3c",
            "DeviceAttributes": [{"Name": "device_name", "Value": "iPhone"}],
            "DeviceCreateDate": 1772521509.5, "DeviceLastModifiedDate": 1772521509.5,
            "DeviceLastAuthenticatedDate": 1772521609.5}],
            "PaginationToken": "next"}"#,
    );
    assert_eq!(
        listed.devices.unwrap()[0].device_last_authenticated_date,
        Some(1772521609.5)
    );

    let got = GetDeviceResponse {
        device: Device {
            device_key: Some("k".into()),
            ..Default::default()
        },
    };
    assert_eq!(to_json(&got), json!({"Device": {"DeviceKey": "k"}}));
}
