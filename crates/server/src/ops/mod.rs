//! Operation dispatch: one file per Cognito operation, named after it
//! (`InitiateAuth` -> `initiate_auth.rs`), each with
//!
//! ```ignore
//! pub async fn handle(state: &AppState, req: keystep_proto::XRequest)
//!     -> Result<keystep_proto::XResponse, ApiError>
//! ```
//!
//! and one line in [`dispatch`]. The handler translates wire types to domain calls and
//! back; it never touches the store directly. Decoding the body, encoding the answer
//! and mapping decode failures to Cognito's errors happen here, once.

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::ApiError;
use crate::AppState;

pub use crate::catalog::{is_known, is_unsigned};

mod add_custom_attributes;
mod admin_add_user_to_group;
mod admin_confirm_sign_up;
mod admin_create_user;
mod admin_delete_user;
mod admin_delete_user_attributes;
mod admin_disable_user;
mod admin_enable_user;
mod admin_forget_device;
mod admin_get_device;
mod admin_get_user;
mod admin_initiate_auth;
mod admin_list_devices;
mod admin_list_groups_for_user;
mod admin_remove_user_from_group;
mod admin_reset_user_password;
mod admin_respond_to_auth_challenge;
mod admin_set_user_mfa_preference;
mod admin_set_user_password;
mod admin_update_device_status;
mod admin_update_user_attributes;
mod admin_user_global_sign_out;
mod associate_software_token;
mod auth_events;
mod change_password;
mod client_secrets;
mod complete_web_authn_registration;
mod confirm_device;
mod confirm_forgot_password;
mod confirm_sign_up;
mod create_group;
mod create_user_pool;
mod create_user_pool_client;
mod delete_group;
mod delete_user;
mod delete_user_attributes;
mod delete_user_pool;
mod delete_user_pool_client;
mod delete_web_authn_credential;
mod describe_user_pool;
mod describe_user_pool_client;
mod forget_device;
mod forgot_password;
mod get_device;
mod get_group;
mod get_tokens_from_refresh_token;
mod get_user;
mod get_user_attribute_verification_code;
mod get_user_auth_factors;
mod get_user_pool_mfa_config;
mod global_sign_out;
mod identity_provider;
mod initiate_auth;
mod list_devices;
mod list_groups;
mod list_user_pool_clients;
mod list_user_pools;
mod list_users;
mod list_users_in_group;
mod list_web_authn_credentials;
mod resend_confirmation_code;
mod resource_server;
mod respond_to_auth_challenge;
mod revoke_token;
mod risk;
mod set_user_mfa_preference;
mod set_user_pool_mfa_config;
mod shape_auth;
mod shape_client;
mod shape_device;
mod shape_mfa;
mod shape_pool;
mod shape_user;
mod sign_up;
mod start_web_authn_registration;
mod tags;
mod ui_customization;
mod update_device_status;
mod update_group;
mod update_user_attributes;
mod update_user_pool;
mod update_user_pool_client;
mod user_import;
mod user_pool_domain;
mod user_sessions;
mod user_settings;
mod verify_software_token;
mod verify_user_attribute;

/// Who is calling: set by the edge before dispatch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    /// The request id sent back in `x-amzn-RequestId`.
    pub request_id: String,
    /// The access key id that signed the request (signed operations only).
    pub access_key_id: Option<String>,
    /// The region of the signature's credential scope (signed operations only).
    pub region: Option<String>,
    /// The address the request came from (the configured proxy header's, else the
    /// connection's), recorded in sign-in auth events.
    pub source_ip: Option<String>,
}

/// The end user's address an admin sign-in names in `ContextData` (when it is an
/// address), else the caller's.
fn admin_context_ip(
    context: Option<&keystep_proto::ContextData>,
    caller: &Caller,
) -> Option<String> {
    context
        .and_then(|c| c.ip_address.parse::<std::net::IpAddr>().ok())
        .map(|ip| ip.to_string())
        .or_else(|| caller.source_ip.clone())
}

/// Runs operation `op` on a JSON `body`; `Ok` is the JSON response body.
///
/// Authentication already happened at the edge: `op` is a known operation and, unless
/// it is one of the unsigned ones, `caller` carries the verified signer.
pub async fn dispatch(
    state: &AppState,
    op: &str,
    body: &[u8],
    caller: &Caller,
) -> Result<Vec<u8>, ApiError> {
    let _ = caller;
    validate(op, body)?;
    match op {
        "CreateUserPool" => run(state, body, create_user_pool::handle).await,
        "DescribeUserPool" => run(state, body, describe_user_pool::handle).await,
        "ListUserPools" => run(state, body, list_user_pools::handle).await,
        "UpdateUserPool" => run(state, body, update_user_pool::handle).await,
        "DeleteUserPool" => run(state, body, delete_user_pool::handle).await,
        "SetUserPoolMfaConfig" => run(state, body, set_user_pool_mfa_config::handle).await,
        "GetUserPoolMfaConfig" => run(state, body, get_user_pool_mfa_config::handle).await,
        "AddCustomAttributes" => run(state, body, add_custom_attributes::handle).await,
        "CreateUserPoolClient" => run(state, body, create_user_pool_client::handle).await,
        "DescribeUserPoolClient" => run(state, body, describe_user_pool_client::handle).await,
        "ListUserPoolClients" => run(state, body, list_user_pool_clients::handle).await,
        "UpdateUserPoolClient" => run(state, body, update_user_pool_client::handle).await,
        "DeleteUserPoolClient" => run(state, body, delete_user_pool_client::handle).await,
        "CreateGroup" => run(state, body, create_group::handle).await,
        "GetGroup" => run(state, body, get_group::handle).await,
        "ListGroups" => run(state, body, list_groups::handle).await,
        "UpdateGroup" => run(state, body, update_group::handle).await,
        "DeleteGroup" => run(state, body, delete_group::handle).await,
        "AdminAddUserToGroup" => run(state, body, admin_add_user_to_group::handle).await,
        "AdminRemoveUserFromGroup" => run(state, body, admin_remove_user_from_group::handle).await,
        "AdminListGroupsForUser" => run(state, body, admin_list_groups_for_user::handle).await,
        "ListUsersInGroup" => run(state, body, list_users_in_group::handle).await,
        "SignUp" => run(state, body, sign_up::handle).await,
        "ConfirmSignUp" => run(state, body, confirm_sign_up::handle).await,
        "ResendConfirmationCode" => run(state, body, resend_confirmation_code::handle).await,
        "AdminConfirmSignUp" => run(state, body, admin_confirm_sign_up::handle).await,
        "AdminCreateUser" => run(state, body, admin_create_user::handle).await,
        "AdminGetUser" => run(state, body, admin_get_user::handle).await,
        "AdminDeleteUser" => run(state, body, admin_delete_user::handle).await,
        "AdminSetUserPassword" => run(state, body, admin_set_user_password::handle).await,
        "AdminUpdateUserAttributes" => run(state, body, admin_update_user_attributes::handle).await,
        "AdminDeleteUserAttributes" => run(state, body, admin_delete_user_attributes::handle).await,
        "AdminDisableUser" => run(state, body, admin_disable_user::handle).await,
        "AdminEnableUser" => run(state, body, admin_enable_user::handle).await,
        "AdminResetUserPassword" => run(state, body, admin_reset_user_password::handle).await,
        "ListUsers" => run(state, body, list_users::handle).await,
        "ForgotPassword" => run(state, body, forgot_password::handle).await,
        "ConfirmForgotPassword" => run(state, body, confirm_forgot_password::handle).await,
        "InitiateAuth" => run_with_caller(state, body, caller, initiate_auth::handle).await,
        "AdminInitiateAuth" => {
            run_with_caller(state, body, caller, admin_initiate_auth::handle).await
        }
        "RespondToAuthChallenge" => {
            run_with_caller(state, body, caller, respond_to_auth_challenge::handle).await
        }
        "AdminRespondToAuthChallenge" => {
            run_with_caller(state, body, caller, admin_respond_to_auth_challenge::handle).await
        }
        "GetTokensFromRefreshToken" => {
            run(state, body, get_tokens_from_refresh_token::handle).await
        }
        "RevokeToken" => run(state, body, revoke_token::handle).await,
        "GlobalSignOut" => run(state, body, global_sign_out::handle).await,
        "AdminUserGlobalSignOut" => run(state, body, admin_user_global_sign_out::handle).await,
        "GetUser" => run(state, body, get_user::handle).await,
        "UpdateUserAttributes" => run(state, body, update_user_attributes::handle).await,
        "DeleteUserAttributes" => run(state, body, delete_user_attributes::handle).await,
        "DeleteUser" => run(state, body, delete_user::handle).await,
        "GetUserAttributeVerificationCode" => {
            run(state, body, get_user_attribute_verification_code::handle).await
        }
        "VerifyUserAttribute" => run(state, body, verify_user_attribute::handle).await,
        "ChangePassword" => run(state, body, change_password::handle).await,
        "AssociateSoftwareToken" => run(state, body, associate_software_token::handle).await,
        "VerifySoftwareToken" => run(state, body, verify_software_token::handle).await,
        "SetUserMFAPreference" => run(state, body, set_user_mfa_preference::handle).await,
        "AdminSetUserMFAPreference" => {
            run(state, body, admin_set_user_mfa_preference::handle).await
        }
        "ConfirmDevice" => run(state, body, confirm_device::handle).await,
        "GetDevice" => run(state, body, get_device::handle).await,
        "ListDevices" => run(state, body, list_devices::handle).await,
        "UpdateDeviceStatus" => run(state, body, update_device_status::handle).await,
        "ForgetDevice" => run(state, body, forget_device::handle).await,
        "AdminGetDevice" => run(state, body, admin_get_device::handle).await,
        "AdminListDevices" => run(state, body, admin_list_devices::handle).await,
        "AdminUpdateDeviceStatus" => run(state, body, admin_update_device_status::handle).await,
        "AdminForgetDevice" => run(state, body, admin_forget_device::handle).await,
        "CreateUserPoolDomain" => run(state, body, user_pool_domain::create).await,
        "DescribeUserPoolDomain" => run(state, body, user_pool_domain::describe).await,
        "UpdateUserPoolDomain" => run(state, body, user_pool_domain::update).await,
        "DeleteUserPoolDomain" => run(state, body, user_pool_domain::delete).await,
        "CreateResourceServer" => run(state, body, resource_server::create).await,
        "DescribeResourceServer" => run(state, body, resource_server::describe).await,
        "ListResourceServers" => run(state, body, resource_server::list).await,
        "UpdateResourceServer" => run(state, body, resource_server::update).await,
        "DeleteResourceServer" => run(state, body, resource_server::delete).await,
        "TagResource" => run(state, body, tags::tag).await,
        "AddUserPoolClientSecret" => run(state, body, client_secrets::add).await,
        "ListUserPoolClientSecrets" => run(state, body, client_secrets::list).await,
        "DeleteUserPoolClientSecret" => run(state, body, client_secrets::delete).await,
        "SetUserSettings" => run(state, body, user_settings::set).await,
        "AdminSetUserSettings" => run(state, body, user_settings::admin_set).await,
        "AdminDeleteSoftwareToken" => {
            run(state, body, user_settings::admin_delete_software_token).await
        }
        "UntagResource" => run(state, body, tags::untag).await,
        "AdminListUserAuthEvents" => run(state, body, auth_events::list).await,
        "AdminUpdateAuthEventFeedback" => run(state, body, auth_events::feedback).await,
        "SetRiskConfiguration" => run(state, body, risk::set).await,
        "DescribeRiskConfiguration" => run(state, body, risk::describe).await,
        "GetUserPoolSessionConfiguration" => run(state, body, user_sessions::get_pool).await,
        "SetUserPoolSessionConfiguration" => run(state, body, user_sessions::set_pool).await,
        "GetUserPoolClientSessionConfiguration" => {
            run(state, body, user_sessions::get_client).await
        }
        "SetUserPoolClientSessionConfiguration" => {
            run(state, body, user_sessions::set_client).await
        }
        "AdminListUserSessions" => run(state, body, user_sessions::admin_list).await,
        "ListUserSessions" => run(state, body, user_sessions::list).await,
        "AdminRevokeUserSession" => run(state, body, user_sessions::admin_revoke).await,
        "RevokeUserSession" => run(state, body, user_sessions::revoke).await,
        "SetUICustomization" => run(state, body, ui_customization::set).await,
        "GetUICustomization" => run(state, body, ui_customization::get).await,
        "GetCSVHeader" => run(state, body, user_import::csv_header).await,
        "CreateUserImportJob" => run(state, body, user_import::create).await,
        "StartUserImportJob" => run(state, body, user_import::start).await,
        "StopUserImportJob" => run(state, body, user_import::stop).await,
        "DescribeUserImportJob" => run(state, body, user_import::describe).await,
        "ListUserImportJobs" => run(state, body, user_import::list).await,
        "ListTagsForResource" => run(state, body, tags::list).await,
        "CreateIdentityProvider" => run(state, body, identity_provider::create).await,
        "DescribeIdentityProvider" => run(state, body, identity_provider::describe).await,
        "ListIdentityProviders" => run(state, body, identity_provider::list).await,
        "UpdateIdentityProvider" => run(state, body, identity_provider::update).await,
        "DeleteIdentityProvider" => run(state, body, identity_provider::delete).await,
        "GetIdentityProviderByIdentifier" => {
            run(state, body, identity_provider::by_identifier).await
        }
        "AdminLinkProviderForUser" => run(state, body, identity_provider::link).await,
        "AdminDisableProviderForUser" => run(state, body, identity_provider::disable).await,
        "GetUserAuthFactors" => run(state, body, get_user_auth_factors::handle).await,
        "AdminGetUserAuthFactors" => run(state, body, get_user_auth_factors::admin).await,
        "StartWebAuthnRegistration" => run(state, body, start_web_authn_registration::handle).await,
        "CompleteWebAuthnRegistration" => {
            run(state, body, complete_web_authn_registration::handle).await
        }
        "ListWebAuthnCredentials" => run(state, body, list_web_authn_credentials::handle).await,
        "DeleteWebAuthnCredential" => run(state, body, delete_web_authn_credential::handle).await,
        _ => Err(not_offered(op)),
    }
}

/// The answer for an operation without an arm: Cognito has it but Keystep does not (yet).
pub fn not_offered(op: &str) -> ApiError {
    if is_known(op) {
        ApiError::unsupported_operation(op)
    } else {
        ApiError::unknown_operation(op)
    }
}

/// Decodes the request, runs `handler`, encodes the response.
pub async fn run<'a, Req, Resp, F, Fut>(
    state: &'a AppState,
    body: &[u8],
    handler: F,
) -> Result<Vec<u8>, ApiError>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(&'a AppState, Req) -> Fut,
    Fut: Future<Output = Result<Resp, ApiError>> + 'a,
{
    let req = decode(body)?;
    encode(&handler(state, req).await?)
}

/// Like [`run`], for handlers that want the [`Caller`] (the signer's key id or region).
pub async fn run_with_caller<'a, Req, Resp, F, Fut>(
    state: &'a AppState,
    body: &[u8],
    caller: &'a Caller,
    handler: F,
) -> Result<Vec<u8>, ApiError>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(&'a AppState, &'a Caller, Req) -> Fut,
    Fut: Future<Output = Result<Resp, ApiError>> + 'a,
{
    let req = decode(body)?;
    encode(&handler(state, caller, req).await?)
}

/// Decodes a request body. An empty body counts as `{}` (nothing required is missing
/// only for operations without required members, and the error says which one is).
pub fn decode<Req: DeserializeOwned>(body: &[u8]) -> Result<Req, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    let de = &mut serde_json::Deserializer::from_slice(body);
    let req = serde_path_to_error::deserialize(&mut *de).map_err(|e| ApiError::from_json(&e))?;
    // Trailing garbage after the object is a syntax error too.
    de.end()
        .map_err(|e| ApiError::serialization(format!("Request body is not valid JSON: {e}")))?;
    Ok(req)
}

/// Checks the request against the model's constraints (see `crate::validation`); a body
/// that is not JSON is left to [`decode`], which names the problem.
fn validate(op: &str, body: &[u8]) -> Result<(), ApiError> {
    // A refused operation says so whatever its input.
    if crate::catalog::refusal_reason(op).is_some() {
        return Ok(());
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return crate::validation::check(op, &serde_json::Value::Object(Default::default()))
            .map_err(ApiError::invalid_parameter);
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => crate::validation::check(op, &value).map_err(ApiError::invalid_parameter),
        Err(_) => Ok(()),
    }
}

/// Encodes a response body.
pub fn encode<Resp: Serialize>(resp: &Resp) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(resp).map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct EchoRequest {
        user_pool_id: String,
        max_results: Option<u32>,
    }

    #[test]
    fn decode_ignores_unknown_members_and_names_missing_ones() {
        let req: EchoRequest = decode(br#"{"UserPoolId":"p1","Unknown":1}"#).unwrap();
        assert_eq!((req.user_pool_id.as_str(), req.max_results), ("p1", None));
        let err = decode::<EchoRequest>(b"").unwrap_err();
        assert_eq!(err.type_name(), "InvalidParameterException");
        assert!(err.message().contains("'userPoolId'"));
        let err = decode::<EchoRequest>(br#"{"UserPoolId":"p"} x"#).unwrap_err();
        assert_eq!(err.type_name(), "SerializationException");
        let err = decode::<EchoRequest>(br#"{"UserPoolId":"p","MaxResults":"ten"}"#).unwrap_err();
        assert_eq!(err.type_name(), "SerializationException");
        assert!(err.message().contains("'maxResults'"), "{}", err.message());
    }

    #[test]
    fn fallback_names_the_operation() {
        let err = not_offered("DescribeManagedLoginBranding");
        assert_eq!(err.type_name(), "UnsupportedOperationException");
        assert_eq!(
            err.message(),
            "Keystep does not support DescribeManagedLoginBranding: Managed login (version 2) \
             branding is not built; the hosted pages are Keystep's own."
        );
        assert_eq!(
            not_offered("Frobnicate").type_name(),
            "UnknownOperationException"
        );
    }
}
