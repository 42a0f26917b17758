"""The legacy MFA switch (SetUserSettings / AdminSetUserSettings: SMS only) and
AdminDeleteSoftwareToken, through boto3: what the user's MFA settings and next sign-in show."""

from signin_helpers import (PASSWORD, expect_error, make_user, password_auth, pool_and_client,
                            set_mfa, sign_in_tokens, totp_user)

PHONE = "+15555550142"
SMS = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]


def mfa_list(idp, pid, username):
    return idp.admin_get_user(UserPoolId=pid, Username=username).get("UserMFASettingList", [])


def test_admin_set_user_settings_turns_sms_mfa_on_and_off(idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", sms=True)
    make_user(idp, pid, "sam", phone=PHONE)
    assert mfa_list(idp, pid, "sam") == []
    idp.admin_set_user_settings(UserPoolId=pid, Username="sam", MFAOptions=SMS)
    assert mfa_list(idp, pid, "sam") == ["SMS_MFA"]
    assert password_auth(idp, cid, "sam")["ChallengeName"] == "SMS_MFA"
    idp.admin_set_user_settings(UserPoolId=pid, Username="sam", MFAOptions=[])
    assert mfa_list(idp, pid, "sam") == []
    assert "AuthenticationResult" in password_auth(idp, cid, "sam")
    expect_error(idp.admin_set_user_settings, "InvalidParameterException", UserPoolId=pid,
                 Username="sam", MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}])
    expect_error(idp.admin_set_user_settings, "UserNotFoundException", UserPoolId=pid,
                 Username="nobody", MFAOptions=SMS)


def test_set_user_settings_with_the_users_token(idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", sms=True)
    make_user(idp, pid, "sue", phone=PHONE)
    access = sign_in_tokens(idp, cid, "sue")["AccessToken"]
    idp.set_user_settings(AccessToken=access, MFAOptions=SMS)
    assert mfa_list(idp, pid, "sue") == ["SMS_MFA"]
    expect_error(idp.set_user_settings, "NotAuthorizedException", AccessToken="not-a-token",
                 MFAOptions=SMS)


def test_admin_delete_software_token_forgets_the_authenticator(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", totp=True)
    make_user(idp, pid, "tom")
    totp_user(ks, idp, cid, "tom")
    idp.admin_set_user_mfa_preference(UserPoolId=pid, Username="tom",
                                      SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    assert mfa_list(idp, pid, "tom") == ["SOFTWARE_TOKEN_MFA"]
    assert password_auth(idp, cid, "tom")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    idp.admin_delete_software_token(UserPoolId=pid, Username="tom")
    assert mfa_list(idp, pid, "tom") == []
    assert "AuthenticationResult" in password_auth(idp, cid, "tom", PASSWORD)
    # Enabling TOTP again needs a new authenticator: the old secret is gone.
    expect_error(idp.admin_set_user_mfa_preference, "InvalidParameterException", UserPoolId=pid,
                 Username="tom", SoftwareTokenMfaSettings={"Enabled": True})
    # A user without one is unchanged; an unknown one is not found.
    idp.admin_delete_software_token(UserPoolId=pid, Username="tom")
    expect_error(idp.admin_delete_software_token, "UserNotFoundException", UserPoolId=pid,
                 Username="nobody")
