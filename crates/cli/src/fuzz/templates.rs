//! Valid request bodies: one template per operation Keystep models, built from the
//! `keystep-proto` request shapes (so member names and types are the wire's) and filled
//! from the fixture; administrative ones here, the public flows in `flows.rs`. Operations
//! without a shape get a plausible body from their name.

use std::collections::BTreeMap;

use keystep_proto as p;
use serde::Serialize;
use serde_json::{json, Value};

use super::flows;
use super::picks::Picks;

/// The operations Keystep offers, each with a template built from its proto shape; they
/// get most of the requests. (The device operations have proto shapes and templates too,
/// but Keystep does not offer them, so they are drawn as rarely as the rest.)
pub const MODELLED: &[&str] = &[
    "AddCustomAttributes",
    "AdminAddUserToGroup",
    "AdminConfirmSignUp",
    "AdminCreateUser",
    "AdminDeleteUser",
    "AdminDeleteUserAttributes",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminGetUser",
    "AdminInitiateAuth",
    "AdminListGroupsForUser",
    "AdminRemoveUserFromGroup",
    "AdminResetUserPassword",
    "AdminRespondToAuthChallenge",
    "AdminSetUserMFAPreference",
    "AdminSetUserPassword",
    "AdminUpdateUserAttributes",
    "AdminUserGlobalSignOut",
    "AssociateSoftwareToken",
    "ChangePassword",
    "ConfirmForgotPassword",
    "ConfirmSignUp",
    "CreateGroup",
    "CreateUserPool",
    "CreateUserPoolClient",
    "DeleteGroup",
    "DeleteUser",
    "DeleteUserAttributes",
    "DeleteUserPool",
    "DeleteUserPoolClient",
    "DescribeUserPool",
    "DescribeUserPoolClient",
    "ForgotPassword",
    "GetGroup",
    "GetTokensFromRefreshToken",
    "GetUser",
    "GetUserAttributeVerificationCode",
    "GetUserPoolMfaConfig",
    "GlobalSignOut",
    "InitiateAuth",
    "ListGroups",
    "ListUserPoolClients",
    "ListUserPools",
    "ListUsers",
    "ListUsersInGroup",
    "ResendConfirmationCode",
    "RespondToAuthChallenge",
    "RevokeToken",
    "SetUserMFAPreference",
    "SetUserPoolMfaConfig",
    "SignUp",
    "UpdateGroup",
    "UpdateUserAttributes",
    "UpdateUserPool",
    "UpdateUserPoolClient",
    "VerifySoftwareToken",
    "VerifyUserAttribute",
];

/// Serialises a request shape (a shape always serialises; `{}` is never reached).
pub fn enc<T: Serialize>(request: T) -> Value {
    serde_json::to_value(request).unwrap_or_else(|_| json!({}))
}

/// `[{Name, Value}]` attributes.
pub fn attrs(pairs: Vec<(String, String)>) -> Vec<p::Attribute> {
    pairs
        .into_iter()
        .map(|(name, value)| p::Attribute {
            name,
            value: Some(value),
        })
        .collect()
}

/// A small `ClientMetadata` map, sometimes.
pub fn metadata(k: &mut Picks<'_>) -> Option<BTreeMap<String, String>> {
    k.chance(0.2)
        .then(|| BTreeMap::from([("fuzz".to_string(), k.int(0, 9).to_string())]))
}

/// A valid body for `op`.
pub fn template(op: &str, k: &mut Picks<'_>) -> Value {
    if let Some(v) = flows::template(op, k) {
        return v;
    }
    let pool = k.pool_id();
    match op {
        "CreateUserPool" => enc(p::CreateUserPoolRequest {
            pool_name: format!("{}-t{}", k.fx.prefix, k.int(0, 999)),
            mfa_configuration: k.chance(0.5).then(|| k.one(&["OFF", "OPTIONAL"]).into()),
            alias_attributes: k
                .chance(0.3)
                .then(|| k.some_of(&["email", "phone_number", "preferred_username"])),
            username_attributes: k.chance(0.2).then(|| k.some_of(&["email", "phone_number"])),
            auto_verified_attributes: k.chance(0.3).then(|| vec!["email".into()]),
            policies: k.chance(0.3).then(|| p::UserPoolPolicies {
                password_policy: Some(p::PasswordPolicy {
                    minimum_length: Some(k.int(6, 99)),
                    require_symbols: Some(k.chance(0.5)),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            username_configuration: k.chance(0.3).then(|| p::UsernameConfiguration {
                case_sensitive: k.chance(0.5),
            }),
            schema: k.chance(0.2).then(|| vec![custom_attribute(k)]),
            user_pool_tags: k
                .chance(0.1)
                .then(|| BTreeMap::from([("team".into(), "fuzz".into())])),
            ..Default::default()
        }),
        "DescribeUserPool" | "GetUserPoolMfaConfig" => {
            json!({"UserPoolId": k.any_pool_id()})
        }
        "ListUserPools" => enc(p::ListUserPoolsRequest {
            max_results: k.int(1, 60),
            next_token: k.chance(0.1).then(|| "dXMtZWFzdC0x".into()),
        }),
        "UpdateUserPool" => enc(p::UpdateUserPoolRequest {
            user_pool_id: k.pool_to_change(0.1),
            mfa_configuration: k
                .chance(0.5)
                .then(|| k.one(&["OFF", "OPTIONAL", "ON"]).into()),
            auto_verified_attributes: k.chance(0.5).then(|| k.some_of(&["email", "phone_number"])),
            deletion_protection: k.chance(0.3).then(|| k.one(&["ACTIVE", "INACTIVE"]).into()),
            email_verification_subject: k.chance(0.3).then(|| "Your code".into()),
            email_verification_message: k.chance(0.3).then(|| "Code: {####}".into()),
            ..Default::default()
        }),
        "DeleteUserPool" => json!({"UserPoolId": k.pool_to_change(0.2)}),
        "SetUserPoolMfaConfig" => enc(p::SetUserPoolMfaConfigRequest {
            user_pool_id: k.pool_to_change(0.1),
            mfa_configuration: Some(k.one(&["OFF", "OPTIONAL", "ON"]).into()),
            software_token_mfa_configuration: k.chance(0.6).then(|| p::SoftwareTokenMfaConfig {
                enabled: Some(k.chance(0.7)),
            }),
            sms_mfa_configuration: k.chance(0.5).then(|| p::SmsMfaConfig {
                sms_authentication_message: k.chance(0.3).then(|| "{####}".into()),
                sms_configuration: Some(p::SmsConfiguration {
                    sns_caller_arn: "arn:aws:iam::000000000000:role/fuzz".into(),
                    ..Default::default()
                }),
            }),
            email_mfa_configuration: k.chance(0.3).then(|| p::EmailMfaConfig {
                message: Some("{####}".into()),
                subject: Some("code".into()),
            }),
            ..Default::default()
        }),
        "AddCustomAttributes" => enc(p::AddCustomAttributesRequest {
            user_pool_id: k.pool_to_change(0.05),
            custom_attributes: vec![custom_attribute(k)],
        }),
        "CreateUserPoolClient" => enc(p::CreateUserPoolClientRequest {
            user_pool_id: k.any_pool_id(),
            client_name: format!("fzc-{}", k.int(0, 99)),
            generate_secret: Some(k.chance(0.5)),
            explicit_auth_flows: k.chance(0.7).then(|| {
                k.some_of(&[
                    "ALLOW_USER_SRP_AUTH",
                    "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH",
                    "ALLOW_CUSTOM_AUTH",
                    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                ])
            }),
            prevent_user_existence_errors: k
                .chance(0.5)
                .then(|| k.one(&["ENABLED", "LEGACY"]).into()),
            refresh_token_validity: k.chance(0.3).then(|| k.int(1, 3650)),
            access_token_validity: k.chance(0.3).then(|| k.int(5, 1440)),
            token_validity_units: k.chance(0.2).then(|| p::TokenValidityUnits {
                access_token: Some("minutes".into()),
                id_token: Some("hours".into()),
                refresh_token: Some("days".into()),
            }),
            read_attributes: k.chance(0.2).then(|| vec!["email".into(), "name".into()]),
            write_attributes: k.chance(0.2).then(|| vec!["name".into()]),
            ..Default::default()
        }),
        "DescribeUserPoolClient" => enc(p::DescribeUserPoolClientRequest {
            user_pool_id: pool,
            client_id: k.client_to_change(0.6),
        }),
        "ListUserPoolClients" => enc(p::ListUserPoolClientsRequest {
            user_pool_id: k.any_pool_id(),
            max_results: k.chance(0.5).then(|| k.int(1, 60)),
            next_token: None,
        }),
        "UpdateUserPoolClient" => enc(p::UpdateUserPoolClientRequest {
            user_pool_id: pool,
            client_id: k.client_to_change(0.1),
            client_name: k.chance(0.5).then(|| format!("fzc-{}", k.int(0, 99))),
            explicit_auth_flows: k.chance(0.5).then(|| {
                k.some_of(&[
                    "ALLOW_USER_SRP_AUTH",
                    "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH",
                ])
            }),
            enable_token_revocation: k.chance(0.3).then(|| k.chance(0.5)),
            auth_session_validity: k.chance(0.2).then(|| k.int(3, 15)),
            ..Default::default()
        }),
        "DeleteUserPoolClient" => enc(p::DeleteUserPoolClientRequest {
            user_pool_id: pool,
            client_id: k.client_to_change(0.15),
        }),
        "CreateGroup" => enc(p::CreateGroupRequest {
            group_name: k.scratch_group(),
            user_pool_id: pool,
            description: k.chance(0.5).then(|| "fuzz".into()),
            precedence: k.chance(0.5).then(|| k.int(0, 10)),
            role_arn: k
                .chance(0.2)
                .then(|| "arn:aws:iam::000000000000:role/fz".into()),
        }),
        "GetGroup" => enc(p::GetGroupRequest {
            group_name: k.group(),
            user_pool_id: pool,
        }),
        "ListGroups" => enc(p::ListGroupsRequest {
            user_pool_id: pool,
            limit: k.chance(0.5).then(|| k.int(1, 60)),
            next_token: None,
        }),
        "UpdateGroup" => enc(p::UpdateGroupRequest {
            group_name: if k.chance(0.15) {
                k.pool.group.clone()
            } else {
                k.scratch_group()
            },
            user_pool_id: pool,
            description: k.chance(0.5).then(|| "updated".into()),
            precedence: k.chance(0.5).then(|| k.int(0, 10)),
            role_arn: None,
        }),
        "DeleteGroup" => enc(p::DeleteGroupRequest {
            group_name: if k.chance(0.15) {
                k.pool.group.clone()
            } else {
                k.scratch_group()
            },
            user_pool_id: pool,
        }),
        "AdminAddUserToGroup" => enc(p::AdminAddUserToGroupRequest {
            user_pool_id: pool,
            username: k.user(),
            group_name: k.group(),
        }),
        "AdminRemoveUserFromGroup" => enc(p::AdminRemoveUserFromGroupRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
            group_name: k.group(),
        }),
        "AdminListGroupsForUser" => enc(p::AdminListGroupsForUserRequest {
            username: k.user(),
            user_pool_id: pool,
            limit: k.chance(0.5).then(|| k.int(1, 60)),
            next_token: None,
        }),
        "ListUsersInGroup" => enc(p::ListUsersInGroupRequest {
            user_pool_id: pool,
            group_name: k.group(),
            limit: k.chance(0.5).then(|| k.int(1, 60)),
            next_token: None,
        }),
        _ => users(op, k).unwrap_or_else(|| generic(op, k)),
    }
}

fn custom_attribute(k: &mut Picks<'_>) -> p::SchemaAttribute {
    let number = k.chance(0.3);
    p::SchemaAttribute {
        name: Some(format!("fz{}", k.int(0, 30))),
        attribute_data_type: Some(if number { "Number" } else { "String" }.into()),
        mutable: Some(k.chance(0.8)),
        string_attribute_constraints: (!number && k.chance(0.5)).then(|| {
            p::StringAttributeConstraints {
                min_length: Some("0".into()),
                max_length: Some(k.int(1, 2048).to_string()),
            }
        }),
        number_attribute_constraints: (number && k.chance(0.5)).then(|| {
            p::NumberAttributeConstraints {
                min_value: Some("0".into()),
                max_value: Some("100".into()),
            }
        }),
        ..Default::default()
    }
}

/// The administrative user operations.
fn users(op: &str, k: &mut Picks<'_>) -> Option<Value> {
    let pool = k.pool_id();
    let v = match op {
        "AdminCreateUser" => enc(p::AdminCreateUserRequest {
            user_pool_id: pool,
            username: k.scratch_user(),
            user_attributes: k.chance(0.7).then(|| attrs(k.attributes())),
            temporary_password: k.chance(0.5).then(|| k.password().into()),
            message_action: k
                .chance(0.7)
                .then(|| k.one(&["SUPPRESS", "SUPPRESS", "RESEND"]).into()),
            desired_delivery_mediums: k.chance(0.3).then(|| k.some_of(&["EMAIL", "SMS"])),
            force_alias_creation: k.chance(0.2).then(|| k.chance(0.5)),
            client_metadata: metadata(k),
            ..Default::default()
        }),
        "AdminGetUser" => enc(p::AdminGetUserRequest {
            user_pool_id: pool,
            username: k.user(),
        }),
        "AdminDeleteUser" => enc(p::AdminDeleteUserRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
        }),
        "AdminUpdateUserAttributes" => enc(p::AdminUpdateUserAttributesRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
            user_attributes: attrs(k.attributes()),
            client_metadata: metadata(k),
        }),
        "AdminDeleteUserAttributes" => enc(p::AdminDeleteUserAttributesRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
            user_attribute_names: vec![k.attribute_name()],
        }),
        "AdminDisableUser" => enc(p::AdminDisableUserRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
        }),
        "AdminEnableUser" => enc(p::AdminEnableUserRequest {
            user_pool_id: pool,
            username: k.user(),
        }),
        "AdminResetUserPassword" => enc(p::AdminResetUserPasswordRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
            client_metadata: metadata(k),
        }),
        "AdminSetUserPassword" => enc(p::AdminSetUserPasswordRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
            password: k.password().into(),
            permanent: k.chance(0.8).then(|| k.chance(0.5)),
        }),
        "AdminConfirmSignUp" => enc(p::AdminConfirmSignUpRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
            client_metadata: metadata(k),
        }),
        "AdminUserGlobalSignOut" => enc(p::AdminUserGlobalSignOutRequest {
            user_pool_id: pool,
            username: k.user_to_change(),
        }),
        "AdminSetUserMFAPreference" => enc(p::AdminSetUserMFAPreferenceRequest {
            sms_mfa_settings: k.chance(0.6).then(|| mfa_settings(k)),
            software_token_mfa_settings: k.chance(0.6).then(|| mfa_settings(k)),
            email_mfa_settings: k.chance(0.3).then(|| mfa_settings(k)),
            username: k.user_to_change(),
            user_pool_id: pool,
            ..Default::default()
        }),
        "ListUsers" => {
            let filter = match k.int(0, 6) {
                0 => Some(format!("username = \"{}\"", k.user())),
                1 => Some("username ^= \"fz\"".into()),
                2 => Some(format!("email ^= \"{}\"", k.one(&["a", "fz", "sms"]))),
                3 => Some("cognito:user_status = \"CONFIRMED\"".into()),
                4 => Some("status = \"Enabled\"".into()),
                _ => None,
            };
            enc(p::ListUsersRequest {
                user_pool_id: pool,
                attributes_to_get: k.chance(0.2).then(|| vec!["email".into(), "sub".into()]),
                limit: k.chance(0.5).then(|| k.int(1, 60)),
                pagination_token: None,
                filter,
            })
        }
        _ => return None,
    };
    Some(v)
}

/// `{Enabled, PreferredMfa}`.
pub fn mfa_settings(k: &mut Picks<'_>) -> p::MfaSettings {
    p::MfaSettings {
        enabled: Some(k.chance(0.6)),
        preferred_mfa: k.chance(0.5).then(|| k.chance(0.5)),
    }
}

/// A body for an operation without a modelled shape: the members its name suggests, so
/// that a future implementation would get past decoding.
pub fn generic(op: &str, k: &mut Picks<'_>) -> Value {
    let mut body = json!({"UserPoolId": k.any_pool_id()});
    let mut put = |key: &str, value: Value| {
        if let Some(o) = body.as_object_mut() {
            o.insert(key.to_string(), value);
        }
    };
    let has = |s: &str| op.contains(s);
    if has("Client") {
        put("ClientId", Value::String(k.client().1.id));
    }
    if has("Device") || has("WebAuthn") || has("AuthFactors") {
        put("AccessToken", Value::String(k.access_token()));
        put(
            "DeviceKey",
            Value::String(format!("us-east-1_{}", k.int(0, 9999))),
        );
    }
    if has("WebAuthn") {
        put("CredentialId", Value::String("fz-credential".into()));
        put("Credential", json!({"id": "fz"}));
    }
    if has("IdentityProvider") || has("ProviderForUser") {
        put("ProviderName", Value::String("Google".into()));
        put("ProviderType", Value::String("Google".into()));
        put(
            "ProviderDetails",
            json!({"client_id": "x", "client_secret": "y"}),
        );
        put(
            "SourceUser",
            json!({"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "1"}),
        );
        put(
            "DestinationUser",
            json!({"ProviderName": "Cognito", "ProviderAttributeValue": k.user()}),
        );
        put(
            "User",
            json!({"ProviderName": "Google", "ProviderAttributeValue": "1"}),
        );
        put("IdpIdentifier", Value::String("fz".into()));
    }
    if has("ResourceServer") {
        put("Identifier", Value::String("https://fz.example".into()));
        put("Name", Value::String("fz".into()));
        put(
            "Scopes",
            json!([{"ScopeName": "read", "ScopeDescription": "r"}]),
        );
    }
    if has("Tag") {
        put(
            "ResourceArn",
            Value::String(format!(
                "arn:aws:cognito-idp:us-east-1:000000000000:userpool/{}",
                k.pool_id()
            )),
        );
        put("Tags", json!({"team": "fuzz"}));
        put("TagKeys", json!(["team"]));
    }
    if has("ImportJob") || has("CSVHeader") {
        put("JobName", Value::String("fz".into()));
        put("JobId", Value::String("import-fz".into()));
        put(
            "CloudWatchLogsRoleArn",
            Value::String("arn:aws:iam::000000000000:role/fz".into()),
        );
        put("MaxResults", json!(10));
    }
    if has("Domain") {
        put("Domain", Value::String(format!("fz-{}", k.int(0, 99))));
        put(
            "CustomDomainConfig",
            json!({"CertificateArn": "arn:aws:acm:us-east-1:000000000000:certificate/fz"}),
        );
    }
    if has("Terms") {
        put("TermsId", Value::String("fz-terms".into()));
        put("TermsName", Value::String("fz".into()));
        put("TermsSource", Value::String("LINK".into()));
        put("Enforcement", Value::String("NONE".into()));
    }
    if has("ManagedLoginBranding") {
        put(
            "ManagedLoginBrandingId",
            Value::String("fz-branding".into()),
        );
        put("UseCognitoProvidedValues", json!(true));
    }
    if has("AuthEvent") {
        put("Username", Value::String(k.user()));
        put("EventId", Value::String("fz-event".into()));
        put("FeedbackToken", Value::String("fz-token".into()));
        put("FeedbackValue", Value::String("Valid".into()));
        put("MaxResults", json!(10));
    }
    if has("Risk") || has("UICustomization") || has("LogDelivery") {
        put("ClientId", Value::String(k.client().1.id));
        put("CSS", Value::String(".banner{}".into()));
        put(
            "LogConfigurations",
            json!([{"LogLevel": "ERROR", "EventSource": "userNotification"}]),
        );
        put(
            "RiskExceptionConfiguration",
            json!({"BlockedIPRangeList": ["10.0.0.0/8"]}),
        );
    }
    if has("Secret") {
        put("ClientId", Value::String(k.client().1.id));
        put("ClientSecretId", Value::String("fz-secret".into()));
    }
    if has("SigningCertificate") || has("List") {
        put("MaxResults", json!(k.int(1, 60)));
    }
    body
}
