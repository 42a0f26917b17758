//! Wire string constants: enum values, parameter keys and exception names.
//!
//! The wire structs carry enum-valued members as `String`; these constants name the values the
//! server recognises. Each enum module has an `ALL` list in the model's order, handy for
//! validation messages ("Member must satisfy enum value set: [...]").

/// Prefix of the `X-Amz-Target` header; the operation name follows it.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// `AuthFlow` values (`AuthFlowType`).
pub mod auth_flow {
    /// SRP sign-in with username and `SRP_A`.
    pub const USER_SRP_AUTH: &str = "USER_SRP_AUTH";
    /// Refresh with `REFRESH_TOKEN`.
    pub const REFRESH_TOKEN_AUTH: &str = "REFRESH_TOKEN_AUTH";
    /// Alias of `REFRESH_TOKEN_AUTH`.
    pub const REFRESH_TOKEN: &str = "REFRESH_TOKEN";
    /// Lambda-driven custom challenges, optionally preceded by SRP.
    pub const CUSTOM_AUTH: &str = "CUSTOM_AUTH";
    /// Legacy alias of `ADMIN_USER_PASSWORD_AUTH`.
    pub const ADMIN_NO_SRP_AUTH: &str = "ADMIN_NO_SRP_AUTH";
    /// Plain username and password (`InitiateAuth` only).
    pub const USER_PASSWORD_AUTH: &str = "USER_PASSWORD_AUTH";
    /// Plain username and password from a trusted backend (`AdminInitiateAuth` only).
    pub const ADMIN_USER_PASSWORD_AUTH: &str = "ADMIN_USER_PASSWORD_AUTH";
    /// Choice-based sign-in (password, SRP, OTP, passkey).
    pub const USER_AUTH: &str = "USER_AUTH";
    /// Every value, in model order.
    pub const ALL: &[&str] = &[
        USER_SRP_AUTH,
        REFRESH_TOKEN_AUTH,
        REFRESH_TOKEN,
        CUSTOM_AUTH,
        ADMIN_NO_SRP_AUTH,
        USER_PASSWORD_AUTH,
        ADMIN_USER_PASSWORD_AUTH,
        USER_AUTH,
    ];
}

/// `ChallengeName` values (`ChallengeNameType`).
pub mod challenge_name {
    /// Code sent by SMS as a second factor.
    pub const SMS_MFA: &str = "SMS_MFA";
    /// Code sent by email (MFA, or first factor in `USER_AUTH`).
    pub const EMAIL_OTP: &str = "EMAIL_OTP";
    /// Code from an authenticator app.
    pub const SOFTWARE_TOKEN_MFA: &str = "SOFTWARE_TOKEN_MFA";
    /// Pick one of several enabled MFA methods.
    pub const SELECT_MFA_TYPE: &str = "SELECT_MFA_TYPE";
    /// MFA is required but not yet set up.
    pub const MFA_SETUP: &str = "MFA_SETUP";
    /// Second SRP step: prove knowledge of the password.
    pub const PASSWORD_VERIFIER: &str = "PASSWORD_VERIFIER";
    /// Lambda-defined challenge.
    pub const CUSTOM_CHALLENGE: &str = "CUSTOM_CHALLENGE";
    /// Pick a first factor in `USER_AUTH`.
    pub const SELECT_CHALLENGE: &str = "SELECT_CHALLENGE";
    /// First device-SRP step for a remembered device.
    pub const DEVICE_SRP_AUTH: &str = "DEVICE_SRP_AUTH";
    /// Second device-SRP step.
    pub const DEVICE_PASSWORD_VERIFIER: &str = "DEVICE_PASSWORD_VERIFIER";
    /// Only seen as a session entry in custom-auth triggers.
    pub const ADMIN_NO_SRP_AUTH: &str = "ADMIN_NO_SRP_AUTH";
    /// A temporary password was used; a new one must be set.
    pub const NEW_PASSWORD_REQUIRED: &str = "NEW_PASSWORD_REQUIRED";
    /// Code sent by SMS as a first factor in `USER_AUTH`.
    pub const SMS_OTP: &str = "SMS_OTP";
    /// Plain password as a first factor in `USER_AUTH`.
    pub const PASSWORD: &str = "PASSWORD";
    /// Passkey.
    pub const WEB_AUTHN: &str = "WEB_AUTHN";
    /// SRP as a first factor in `USER_AUTH`.
    pub const PASSWORD_SRP: &str = "PASSWORD_SRP";
    /// Every value, in model order.
    pub const ALL: &[&str] = &[
        SMS_MFA,
        EMAIL_OTP,
        SOFTWARE_TOKEN_MFA,
        SELECT_MFA_TYPE,
        MFA_SETUP,
        PASSWORD_VERIFIER,
        CUSTOM_CHALLENGE,
        SELECT_CHALLENGE,
        DEVICE_SRP_AUTH,
        DEVICE_PASSWORD_VERIFIER,
        ADMIN_NO_SRP_AUTH,
        NEW_PASSWORD_REQUIRED,
        SMS_OTP,
        PASSWORD,
        WEB_AUTHN,
        PASSWORD_SRP,
    ];
}

/// `UserStatus` values (`UserStatusType`).
pub mod user_status {
    /// Signed up, not yet confirmed.
    pub const UNCONFIRMED: &str = "UNCONFIRMED";
    /// Confirmed and usable.
    pub const CONFIRMED: &str = "CONFIRMED";
    /// No longer active.
    pub const ARCHIVED: &str = "ARCHIVED";
    /// Disabled because of a potential security threat.
    pub const COMPROMISED: &str = "COMPROMISED";
    /// Unknown.
    pub const UNKNOWN: &str = "UNKNOWN";
    /// Must reset the password before signing in.
    pub const RESET_REQUIRED: &str = "RESET_REQUIRED";
    /// Must replace a temporary password at next sign-in.
    pub const FORCE_CHANGE_PASSWORD: &str = "FORCE_CHANGE_PASSWORD";
    /// Signed in through a federated identity provider.
    pub const EXTERNAL_PROVIDER: &str = "EXTERNAL_PROVIDER";
    /// Every value, in model order.
    pub const ALL: &[&str] = &[
        UNCONFIRMED,
        CONFIRMED,
        ARCHIVED,
        COMPROMISED,
        UNKNOWN,
        RESET_REQUIRED,
        FORCE_CHANGE_PASSWORD,
        EXTERNAL_PROVIDER,
    ];
}

/// `DeliveryMedium` values (`DeliveryMediumType`).
pub mod delivery_medium {
    /// Text message.
    pub const SMS: &str = "SMS";
    /// Email.
    pub const EMAIL: &str = "EMAIL";
    /// Every value, in model order.
    pub const ALL: &[&str] = &[SMS, EMAIL];
}

/// `MfaConfiguration` values of a pool (`UserPoolMfaType`).
pub mod mfa_configuration {
    /// MFA is never asked for.
    pub const OFF: &str = "OFF";
    /// Every user must use MFA.
    pub const ON: &str = "ON";
    /// Users who enabled MFA must use it.
    pub const OPTIONAL: &str = "OPTIONAL";
    /// Every value, in model order.
    pub const ALL: &[&str] = &[OFF, ON, OPTIONAL];
}

/// `ExplicitAuthFlows` values of an app client (`ExplicitAuthFlowsType`).
///
/// The `ALLOW_` values and the legacy ones cannot be mixed in one client.
pub mod explicit_auth_flows {
    /// Legacy: allow `ADMIN_NO_SRP_AUTH`.
    pub const ADMIN_NO_SRP_AUTH: &str = "ADMIN_NO_SRP_AUTH";
    /// Legacy: allow only `CUSTOM_AUTH`.
    pub const CUSTOM_AUTH_FLOW_ONLY: &str = "CUSTOM_AUTH_FLOW_ONLY";
    /// Legacy: allow `USER_PASSWORD_AUTH`.
    pub const USER_PASSWORD_AUTH: &str = "USER_PASSWORD_AUTH";
    /// Allow `ADMIN_USER_PASSWORD_AUTH` (and `ADMIN_NO_SRP_AUTH`).
    pub const ALLOW_ADMIN_USER_PASSWORD_AUTH: &str = "ALLOW_ADMIN_USER_PASSWORD_AUTH";
    /// Allow `CUSTOM_AUTH`.
    pub const ALLOW_CUSTOM_AUTH: &str = "ALLOW_CUSTOM_AUTH";
    /// Allow `USER_PASSWORD_AUTH`.
    pub const ALLOW_USER_PASSWORD_AUTH: &str = "ALLOW_USER_PASSWORD_AUTH";
    /// Allow `USER_SRP_AUTH`.
    pub const ALLOW_USER_SRP_AUTH: &str = "ALLOW_USER_SRP_AUTH";
    /// Allow refreshing tokens.
    pub const ALLOW_REFRESH_TOKEN_AUTH: &str = "ALLOW_REFRESH_TOKEN_AUTH";
    /// Allow the choice-based `USER_AUTH` flow.
    pub const ALLOW_USER_AUTH: &str = "ALLOW_USER_AUTH";
    /// Every value, in model order.
    pub const ALL: &[&str] = &[
        ADMIN_NO_SRP_AUTH,
        CUSTOM_AUTH_FLOW_ONLY,
        USER_PASSWORD_AUTH,
        ALLOW_ADMIN_USER_PASSWORD_AUTH,
        ALLOW_CUSTOM_AUTH,
        ALLOW_USER_PASSWORD_AUTH,
        ALLOW_USER_SRP_AUTH,
        ALLOW_REFRESH_TOKEN_AUTH,
        ALLOW_USER_AUTH,
    ];
}

/// Keys of the `AuthParameters`, `ChallengeParameters` and `ChallengeResponses` maps.
pub mod param {
    /// Username (or alias, or canonical username in challenge answers).
    pub const USERNAME: &str = "USERNAME";
    /// Plain password.
    pub const PASSWORD: &str = "PASSWORD";
    /// HMAC of username + client id keyed with the client secret.
    pub const SECRET_HASH: &str = "SECRET_HASH";
    /// Key of a remembered device.
    pub const DEVICE_KEY: &str = "DEVICE_KEY";
    /// Refresh token (`REFRESH_TOKEN_AUTH`).
    pub const REFRESH_TOKEN: &str = "REFRESH_TOKEN";
    /// Client SRP public value (hex).
    pub const SRP_A: &str = "SRP_A";
    /// Server SRP public value (hex).
    pub const SRP_B: &str = "SRP_B";
    /// SRP salt (hex).
    pub const SALT: &str = "SALT";
    /// Opaque server state the client echoes back.
    pub const SECRET_BLOCK: &str = "SECRET_BLOCK";
    /// Canonical username to use in the SRP computation.
    pub const USER_ID_FOR_SRP: &str = "USER_ID_FOR_SRP";
    /// Echo of `SECRET_BLOCK` in the password claim.
    pub const PASSWORD_CLAIM_SECRET_BLOCK: &str = "PASSWORD_CLAIM_SECRET_BLOCK";
    /// Base64 HMAC proving knowledge of the password.
    pub const PASSWORD_CLAIM_SIGNATURE: &str = "PASSWORD_CLAIM_SIGNATURE";
    /// Time stamp signed in the password claim (`Tue Mar 3 07:05:09 UTC 2026`).
    pub const TIMESTAMP: &str = "TIMESTAMP";
    /// `CUSTOM_AUTH` with `"SRP_A"` here starts with SRP.
    pub const CHALLENGE_NAME: &str = "CHALLENGE_NAME";
    /// First factor asked for in `USER_AUTH`.
    pub const PREFERRED_CHALLENGE: &str = "PREFERRED_CHALLENGE";
    /// Answer to `CUSTOM_CHALLENGE`, `SELECT_MFA_TYPE` or `SELECT_CHALLENGE`.
    pub const ANSWER: &str = "ANSWER";
    /// New password answering `NEW_PASSWORD_REQUIRED`.
    pub const NEW_PASSWORD: &str = "NEW_PASSWORD";
    /// Email address answering an email `MFA_SETUP`.
    pub const EMAIL: &str = "EMAIL";
    /// Code answering `SMS_MFA`.
    pub const SMS_MFA_CODE: &str = "SMS_MFA_CODE";
    /// Code answering `SOFTWARE_TOKEN_MFA`.
    pub const SOFTWARE_TOKEN_MFA_CODE: &str = "SOFTWARE_TOKEN_MFA_CODE";
    /// Code answering `EMAIL_OTP`.
    pub const EMAIL_OTP_CODE: &str = "EMAIL_OTP_CODE";
    /// Code answering `SMS_OTP`.
    pub const SMS_OTP_CODE: &str = "SMS_OTP_CODE";
    /// JSON string array of MFA methods to choose from.
    pub const MFAS_CAN_CHOOSE: &str = "MFAS_CAN_CHOOSE";
    /// JSON string array of MFA methods that can be set up.
    pub const MFAS_CAN_SETUP: &str = "MFAS_CAN_SETUP";
    /// `SMS` or `EMAIL`: where the challenge code went.
    pub const CODE_DELIVERY_DELIVERY_MEDIUM: &str = "CODE_DELIVERY_DELIVERY_MEDIUM";
    /// Masked destination of the challenge code.
    pub const CODE_DELIVERY_DESTINATION: &str = "CODE_DELIVERY_DESTINATION";
    /// Label of the authenticator app (`SOFTWARE_TOKEN_MFA`).
    pub const FRIENDLY_DEVICE_NAME: &str = "FRIENDLY_DEVICE_NAME";
    /// JSON string array of `userAttributes.`-prefixed required attribute names.
    pub const REQUIRED_ATTRIBUTES: &str = "requiredAttributes";
    /// JSON string object of the user's current attributes.
    pub const USER_ATTRIBUTES: &str = "userAttributes";
    /// Prefix of attribute answers to `NEW_PASSWORD_REQUIRED` (`userAttributes.name`).
    pub const USER_ATTRIBUTES_PREFIX: &str = "userAttributes.";
}

/// Exception names sent as `__type` in error bodies.
pub mod error {
    /// An alias (email/phone) already belongs to another user.
    pub const ALIAS_EXISTS: &str = "AliasExistsException";
    /// A code could not be delivered.
    pub const CODE_DELIVERY_FAILURE: &str = "CodeDeliveryFailureException";
    /// Wrong code.
    pub const CODE_MISMATCH: &str = "CodeMismatchException";
    /// Concurrent change to the same resource.
    pub const CONCURRENT_MODIFICATION: &str = "ConcurrentModificationException";
    /// The device key is already confirmed.
    pub const DEVICE_KEY_EXISTS: &str = "DeviceKeyExistsException";
    /// TOTP enrolment failed (wrong code).
    pub const ENABLE_SOFTWARE_TOKEN_MFA: &str = "EnableSoftwareTokenMFAException";
    /// The code has expired.
    pub const EXPIRED_CODE: &str = "ExpiredCodeException";
    /// The feature is not available in the pool's tier.
    pub const FEATURE_UNAVAILABLE_IN_TIER: &str = "FeatureUnavailableInTierException";
    /// Blocked by a web application firewall.
    pub const FORBIDDEN: &str = "ForbiddenException";
    /// The group already exists.
    pub const GROUP_EXISTS: &str = "GroupExistsException";
    /// Internal failure (HTTP 500).
    pub const INTERNAL_ERROR: &str = "InternalErrorException";
    /// The email role cannot be used.
    pub const INVALID_EMAIL_ROLE_ACCESS_POLICY: &str = "InvalidEmailRoleAccessPolicyException";
    /// A Lambda trigger returned an invalid response.
    pub const INVALID_LAMBDA_RESPONSE: &str = "InvalidLambdaResponseException";
    /// The OAuth flow is not allowed.
    pub const INVALID_OAUTH_FLOW: &str = "InvalidOAuthFlowException";
    /// A parameter is missing or invalid.
    pub const INVALID_PARAMETER: &str = "InvalidParameterException";
    /// The password does not satisfy the policy.
    pub const INVALID_PASSWORD: &str = "InvalidPasswordException";
    /// The SMS role cannot be used.
    pub const INVALID_SMS_ROLE_ACCESS_POLICY: &str = "InvalidSmsRoleAccessPolicyException";
    /// The SMS role's trust relationship is wrong.
    pub const INVALID_SMS_ROLE_TRUST_RELATIONSHIP: &str =
        "InvalidSmsRoleTrustRelationshipException";
    /// The pool is configured inconsistently.
    pub const INVALID_USER_POOL_CONFIGURATION: &str = "InvalidUserPoolConfigurationException";
    /// Too many attempts or requests of some kind.
    pub const LIMIT_EXCEEDED: &str = "LimitExceededException";
    /// No usable MFA method.
    pub const MFA_METHOD_NOT_FOUND: &str = "MFAMethodNotFoundException";
    /// Bad credentials, token or session; disabled user.
    pub const NOT_AUTHORIZED: &str = "NotAuthorizedException";
    /// The new password was used recently.
    pub const PASSWORD_HISTORY_POLICY_VIOLATION: &str = "PasswordHistoryPolicyViolationException";
    /// The user must reset the password.
    pub const PASSWORD_RESET_REQUIRED: &str = "PasswordResetRequiredException";
    /// A precondition was not met.
    pub const PRECONDITION_NOT_MET: &str = "PreconditionNotMetException";
    /// A rotated refresh token was reused.
    pub const REFRESH_TOKEN_REUSE: &str = "RefreshTokenReuseException";
    /// Unknown pool, client, group or device.
    pub const RESOURCE_NOT_FOUND: &str = "ResourceNotFoundException";
    /// Unknown OAuth scope.
    pub const SCOPE_DOES_NOT_EXIST: &str = "ScopeDoesNotExistException";
    /// TOTP is not enabled in the pool.
    pub const SOFTWARE_TOKEN_MFA_NOT_FOUND: &str = "SoftwareTokenMFANotFoundException";
    /// The pool's tier cannot be changed like that.
    pub const TIER_CHANGE_NOT_ALLOWED: &str = "TierChangeNotAllowedException";
    /// Too many wrong codes.
    pub const TOO_MANY_FAILED_ATTEMPTS: &str = "TooManyFailedAttemptsException";
    /// Request rate too high (clients retry it).
    pub const TOO_MANY_REQUESTS: &str = "TooManyRequestsException";
    /// The caller is not allowed to do this.
    pub const UNAUTHORIZED: &str = "UnauthorizedException";
    /// A Lambda trigger failed unexpectedly.
    pub const UNEXPECTED_LAMBDA: &str = "UnexpectedLambdaException";
    /// The operation is not supported.
    pub const UNSUPPORTED_OPERATION: &str = "UnsupportedOperationException";
    /// The token type cannot be used here.
    pub const UNSUPPORTED_TOKEN_TYPE: &str = "UnsupportedTokenTypeException";
    /// The user's status does not allow this.
    pub const UNSUPPORTED_USER_STATE: &str = "UnsupportedUserStateException";
    /// A user import is running.
    pub const USER_IMPORT_IN_PROGRESS: &str = "UserImportInProgressException";
    /// A Lambda trigger rejected the request.
    pub const USER_LAMBDA_VALIDATION: &str = "UserLambdaValidationException";
    /// The user has not confirmed the sign-up.
    pub const USER_NOT_CONFIRMED: &str = "UserNotConfirmedException";
    /// No such user.
    pub const USER_NOT_FOUND: &str = "UserNotFoundException";
    /// Tagging the pool failed.
    pub const USER_POOL_TAGGING: &str = "UserPoolTaggingException";
    /// The username is taken.
    pub const USERNAME_EXISTS: &str = "UsernameExistsException";
    /// The `X-Amz-Target` names no known operation (name not confirmed for this service).
    pub const UNKNOWN_OPERATION: &str = "UnknownOperationException";
}
