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
