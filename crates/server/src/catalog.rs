//! The catalogue of Cognito user-pool operations (from the AWS service model,
//! `cognito-idp` 2016-04-18, as botocore 1.44 has it), and which of them are sent unsigned.

/// Every operation of the `cognito-idp` service model, sorted.
pub const KNOWN_OPERATIONS: &[&str] = &[
    "AddCustomAttributes",
    "AddUserPoolClientSecret",
    "AdminAddUserToGroup",
    "AdminConfirmSignUp",
    "AdminCreateUser",
    "AdminDeleteSoftwareToken",
    "AdminDeleteUser",
    "AdminDeleteUserAttributes",
    "AdminDisableProviderForUser",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminForgetDevice",
    "AdminGetDevice",
    "AdminGetUser",
    "AdminGetUserAuthFactors",
    "AdminInitiateAuth",
    "AdminLinkProviderForUser",
    "AdminListDevices",
    "AdminListGroupsForUser",
    "AdminListUserAuthEvents",
    "AdminListUserSessions",
    "AdminRemoveUserFromGroup",
    "AdminResetUserPassword",
    "AdminRespondToAuthChallenge",
    "AdminRevokeUserSession",
    "AdminSetUserMFAPreference",
    "AdminSetUserPassword",
    "AdminSetUserSettings",
    "AdminUpdateAuthEventFeedback",
    "AdminUpdateDeviceStatus",
    "AdminUpdateUserAttributes",
    "AdminUserGlobalSignOut",
    "AssociateSoftwareToken",
    "CancelPointInTimeRecovery",
    "ChangePassword",
    "CompleteWebAuthnRegistration",
    "ConfirmDevice",
    "ConfirmForgotPassword",
    "ConfirmSignUp",
    "CreateCIMDPolicy",
    "CreateGroup",
    "CreateIdentityProvider",
    "CreateManagedLoginBranding",
    "CreateResourceServer",
    "CreateTerms",
    "CreateUserImportJob",
    "CreateUserPool",
    "CreateUserPoolClient",
    "CreateUserPoolDomain",
    "CreateUserPoolReplica",
    "DeleteCIMDPolicy",
    "DeleteGroup",
    "DeleteIdentityProvider",
    "DeleteManagedLoginBranding",
    "DeleteResourceServer",
    "DeleteTerms",
    "DeleteUser",
    "DeleteUserAttributes",
    "DeleteUserPool",
    "DeleteUserPoolClient",
    "DeleteUserPoolClientSecret",
    "DeleteUserPoolDomain",
    "DeleteUserPoolReplica",
    "DeleteWebAuthnCredential",
    "DescribeCIMDPolicy",
    "DescribeIdentityProvider",
    "DescribeManagedLoginBranding",
    "DescribeManagedLoginBrandingByClient",
    "DescribePointInTimeRecovery",
    "DescribeResourceServer",
    "DescribeRiskConfiguration",
    "DescribeTerms",
    "DescribeTermsByClient",
    "DescribeUserImportJob",
    "DescribeUserPool",
    "DescribeUserPoolClient",
    "DescribeUserPoolDomain",
    "ForgetDevice",
    "ForgotPassword",
    "GetCSVHeader",
    "GetClientToken",
    "GetDerivedToken",
    "GetDevice",
    "GetGroup",
    "GetIdentityProviderByIdentifier",
    "GetLogDeliveryConfiguration",
    "GetProvisionedLimit",
    "GetSigningCertificate",
    "GetTokensFromRefreshToken",
    "GetUICustomization",
    "GetUser",
    "GetUserAttributeVerificationCode",
    "GetUserAuthFactors",
    "GetUserPoolClientSessionConfiguration",
    "GetUserPoolMfaConfig",
    "GetUserPoolSessionConfiguration",
    "GlobalSignOut",
    "InitiateAuth",
    "InitiatePointInTimeRecovery",
    "ListCIMDPolicies",
    "ListClientMetadataURLs",
    "ListDevices",
    "ListGroups",
    "ListIdentityProviders",
    "ListPointInTimeRecoveries",
    "ListResourceServers",
    "ListTagsForResource",
    "ListTerms",
    "ListUserImportJobs",
    "ListUserPoolClientSecrets",
    "ListUserPoolClients",
    "ListUserPoolReplicas",
    "ListUserPools",
    "ListUserSessions",
    "ListUsers",
    "ListUsersInGroup",
    "ListWebAuthnCredentials",
    "ResendConfirmationCode",
    "RespondToAuthChallenge",
    "RevokeToken",
    "RevokeUserSession",
    "SetLogDeliveryConfiguration",
    "SetRiskConfiguration",
    "SetUICustomization",
    "SetUserMFAPreference",
    "SetUserPoolClientSessionConfiguration",
    "SetUserPoolMfaConfig",
    "SetUserPoolSessionConfiguration",
    "SetUserSettings",
    "SignUp",
    "StartPointInTimeRecovery",
    "StartUserImportJob",
    "StartWebAuthnRegistration",
    "StopUserImportJob",
    "TagResource",
    "UntagResource",
    "UpdateAuthEventFeedback",
    "UpdateCIMDPolicy",
    "UpdateClientMetadataURLState",
    "UpdateDeviceStatus",
    "UpdateGroup",
    "UpdateIdentityProvider",
    "UpdateManagedLoginBranding",
    "UpdateProvisionedLimit",
    "UpdateResourceServer",
    "UpdateTerms",
    "UpdateUserAttributes",
    "UpdateUserPool",
    "UpdateUserPoolClient",
    "UpdateUserPoolDomain",
    "UpdateUserPoolReplica",
    "VerifySoftwareToken",
    "VerifyUserAttribute",
];

/// The operations the model marks `authtype: none` (protocol §1.4): SDKs send them
/// unsigned and they authenticate with a client id, session or token instead. Sorted.
pub const UNSIGNED_OPERATIONS: &[&str] = &[
    "AssociateSoftwareToken",
    "ChangePassword",
    "CompleteWebAuthnRegistration",
    "ConfirmDevice",
    "ConfirmForgotPassword",
    "ConfirmSignUp",
    "DeleteUser",
    "DeleteUserAttributes",
    "DeleteWebAuthnCredential",
    "ForgetDevice",
    "ForgotPassword",
    "GetDevice",
    "GetTokensFromRefreshToken",
    "GetUser",
    "GetUserAttributeVerificationCode",
    "GetUserAuthFactors",
    "GlobalSignOut",
    "InitiateAuth",
    "ListDevices",
    "ListUserSessions",
    "ListWebAuthnCredentials",
    "ResendConfirmationCode",
    "RespondToAuthChallenge",
    "RevokeToken",
    "RevokeUserSession",
    "SetUserMFAPreference",
    "SetUserSettings",
    "SignUp",
    "StartWebAuthnRegistration",
    "UpdateAuthEventFeedback",
    "UpdateDeviceStatus",
    "UpdateUserAttributes",
    "VerifySoftwareToken",
    "VerifyUserAttribute",
];

/// The operations Keystep refuses with `UnsupportedOperationException`, sorted, each with
/// why (the exception's message says it; `docs/compatibility.md` lists it). Every other
/// known operation is built; the compatibility test checks both through HTTP.
pub const REFUSED: &[(&str, &str)] = &[
    (
        "CancelPointInTimeRecovery",
        "Point-in-time recovery is AWS infrastructure; use `keystep backup` and the database's own recovery (docs/operations.md).",
    ),
    (
        "CreateCIMDPolicy",
        "Client ID metadata documents (CIMD) are not built.",
    ),
    (
        "CreateManagedLoginBranding",
        "Managed login (version 2) branding is not built; the hosted pages are Keystep's own.",
    ),
    (
        "CreateTerms",
        "Terms documents of managed login are not built.",
    ),
    (
        "CreateUserPoolReplica",
        "Multi-Region replicas are AWS infrastructure; run several Keystep nodes on one PostgreSQL database instead (docs/deployment.md).",
    ),
    (
        "DeleteCIMDPolicy",
        "Client ID metadata documents (CIMD) are not built.",
    ),
    (
        "DeleteManagedLoginBranding",
        "Managed login (version 2) branding is not built; the hosted pages are Keystep's own.",
    ),
    (
        "DeleteTerms",
        "Terms documents of managed login are not built.",
    ),
    (
        "DeleteUserPoolReplica",
        "Multi-Region replicas are AWS infrastructure; run several Keystep nodes on one PostgreSQL database instead (docs/deployment.md).",
    ),
    (
        "DescribeCIMDPolicy",
        "Client ID metadata documents (CIMD) are not built.",
    ),
    (
        "DescribeManagedLoginBranding",
        "Managed login (version 2) branding is not built; the hosted pages are Keystep's own.",
    ),
    (
        "DescribeManagedLoginBrandingByClient",
        "Managed login (version 2) branding is not built; the hosted pages are Keystep's own.",
    ),
    (
        "DescribePointInTimeRecovery",
        "Point-in-time recovery is AWS infrastructure; use `keystep backup` and the database's own recovery (docs/operations.md).",
    ),
    (
        "DescribeTerms",
        "Terms documents of managed login are not built.",
    ),
    (
        "DescribeTermsByClient",
        "Terms documents of managed login are not built.",
    ),
    (
        "GetClientToken",
        "Client and derived tokens are not built.",
    ),
    (
        "GetDerivedToken",
        "Client and derived tokens are not built.",
    ),
    (
        "GetLogDeliveryConfiguration",
        "Log delivery to CloudWatch, S3 or Firehose does not apply; Keystep writes JSON logs to stdout and metrics to /metrics.",
    ),
    (
        "GetProvisionedLimit",
        "Provisioned limits are AWS account quotas; Keystep's limits are its configuration ([limits], [rate_limit]).",
    ),
    (
        "GetSigningCertificate",
        "SAML sign-in is not built, so there is no SAML signing certificate.",
    ),
    (
        "InitiatePointInTimeRecovery",
        "Point-in-time recovery is AWS infrastructure; use `keystep backup` and the database's own recovery (docs/operations.md).",
    ),
    (
        "ListCIMDPolicies",
        "Client ID metadata documents (CIMD) are not built.",
    ),
    (
        "ListClientMetadataURLs",
        "Client ID metadata documents (CIMD) are not built.",
    ),
    (
        "ListPointInTimeRecoveries",
        "Point-in-time recovery is AWS infrastructure; use `keystep backup` and the database's own recovery (docs/operations.md).",
    ),
    (
        "ListTerms",
        "Terms documents of managed login are not built.",
    ),
    (
        "ListUserPoolReplicas",
        "Multi-Region replicas are AWS infrastructure; run several Keystep nodes on one PostgreSQL database instead (docs/deployment.md).",
    ),
    (
        "SetLogDeliveryConfiguration",
        "Log delivery to CloudWatch, S3 or Firehose does not apply; Keystep writes JSON logs to stdout and metrics to /metrics.",
    ),
    (
        "StartPointInTimeRecovery",
        "Point-in-time recovery is AWS infrastructure; use `keystep backup` and the database's own recovery (docs/operations.md).",
    ),
    (
        "UpdateAuthEventFeedback",
        "Its FeedbackToken comes in threat-protection notification e-mails, which Keystep does not send; administrators give feedback with AdminUpdateAuthEventFeedback.",
    ),
    (
        "UpdateCIMDPolicy",
        "Client ID metadata documents (CIMD) are not built.",
    ),
    (
        "UpdateClientMetadataURLState",
        "Client ID metadata documents (CIMD) are not built.",
    ),
    (
        "UpdateManagedLoginBranding",
        "Managed login (version 2) branding is not built; the hosted pages are Keystep's own.",
    ),
    (
        "UpdateProvisionedLimit",
        "Provisioned limits are AWS account quotas; Keystep's limits are its configuration ([limits], [rate_limit]).",
    ),
    (
        "UpdateTerms",
        "Terms documents of managed login are not built.",
    ),
    (
        "UpdateUserPoolReplica",
        "Multi-Region replicas are AWS infrastructure; run several Keystep nodes on one PostgreSQL database instead (docs/deployment.md).",
    ),
];

/// Why Keystep refuses `op`, if it does.
pub fn refusal_reason(op: &str) -> Option<&'static str> {
    REFUSED
        .binary_search_by(|(name, _)| name.cmp(&op))
        .ok()
        .map(|i| REFUSED[i].1)
}

/// Whether `op` is a Cognito user-pool operation at all.
pub fn is_known(op: &str) -> bool {
    KNOWN_OPERATIONS.binary_search(&op).is_ok()
}

/// Whether `op` skips SigV4 (and ignores any `Authorization` header).
pub fn is_unsigned(op: &str) -> bool {
    UNSIGNED_OPERATIONS.binary_search(&op).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_consistent() {
        assert!(KNOWN_OPERATIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(UNSIGNED_OPERATIONS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(KNOWN_OPERATIONS.len(), 153);
        assert_eq!(UNSIGNED_OPERATIONS.len(), 34);
        assert!(UNSIGNED_OPERATIONS.iter().all(|op| is_known(op)));
        assert!(REFUSED.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(REFUSED
            .iter()
            .all(|(op, why)| is_known(op) && !why.is_empty()));
    }

    #[test]
    fn signing_rules() {
        for op in [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "SignUp",
            "GetTokensFromRefreshToken",
        ] {
            assert!(is_unsigned(op), "{op}");
        }
        for op in [
            "AdminInitiateAuth",
            "CreateUserPool",
            "ListUsers",
            "DescribeUserPoolClient",
        ] {
            assert!(is_known(op) && !is_unsigned(op), "{op}");
        }
        assert!(!is_known("Frobnicate"));
        assert!(!is_known("initiateauth"));
    }
}
