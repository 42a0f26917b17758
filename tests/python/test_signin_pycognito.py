"""End-to-end tests of sign-in with pycognito, unmodified: its SRP client, its challenge
exceptions, its MFA and refresh helpers, and its own token verification (RS256 against
``<endpoint_url>/<poolId>/.well-known/jwks.json``, ``iss == <endpoint_url>/<poolId>``,
``aud`` on ID tokens only, ``token_use``).

Every test makes its own pool and app client; codes come from the server's outbox and TOTP
codes are computed here (support.Totp).
"""

import re

import boto3
import botocore.config
import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.exceptions import (
    ForceChangePasswordException,
    SMSMFAChallengeException,
    SoftwareTokenMFAChallengeException,
    TokenVerificationException,
)

from signin_helpers import (
    ALL_FLOWS,
    INCORRECT,
    NEW_PASSWORD,
    PASSWORD,
    WRONG_PASSWORD,
    app_client,
    error_of,
    latest_code,
    make_user,
    outbox_codes,
    set_mfa,
    sub_of,
)
from support import Totp, attrs

PHONE = "+15555550199"


def cognito(ks, pool_id, client_id, username, client_secret=None, **kwargs):
    """A pycognito ``Cognito`` pointed at the test server (its endpoint is also the issuer
    and JWKS base it verifies tokens against)."""
    session = boto3.session.Session(
        aws_access_key_id=ks.access_key,
        aws_secret_access_key=ks.secret_key,
        region_name=ks.region,
    )
    return Cognito(
        pool_id,
        client_id,
        username=username,
        user_pool_region="us-east-1",
        client_secret=client_secret,
        session=session,
        botocore_config=botocore.config.Config(
            retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30
        ),
        boto3_client_kwargs={"endpoint_url": ks.url},
        **kwargs,
    )


def expect_client_error(call, name, message=None):
    with pytest.raises(ClientError) as excinfo:
        call()
    code, text, status = error_of(excinfo)
    assert code == name, f"expected {name}, got {code}: {text}"
    assert status == 400
    if message is not None:
        assert message in text, f"{name} message {text!r} lacks {message!r}"
    return text


def setup(idp, pools, flows=ALL_FLOWS, pool_kwargs=None, **client_kwargs):
    pid = pools(**(pool_kwargs or {}))["Id"]
    client = app_client(idp, pid, flows=flows, **client_kwargs)
    return pid, client["ClientId"], client


# ---- SRP ---------------------------------------------------------------------------------------


def test_srp_authenticate_and_token_claims(ks, idp, pools):
    pid, cid, _ = setup(idp, pools)
    make_user(idp, pid, "alice", email="alice@example.com",
              extra=[{"Name": "name", "Value": "Alice"}])
    idp.create_group(UserPoolId=pid, GroupName="admins")
    idp.admin_add_user_to_group(UserPoolId=pid, Username="alice", GroupName="admins")
    sub = sub_of(idp, pid, "alice")

    u = cognito(ks, pid, cid, "alice")
    u.authenticate(password=PASSWORD)  # pycognito verifies both tokens itself
    assert u.token_type == "Bearer"
    assert u.refresh_token and re.fullmatch(r"[A-Za-z0-9\-_=.]+", u.refresh_token)

    idc, acc = u.id_claims, u.access_claims
    issuer = f"{ks.url}/{pid}"
    assert idc["iss"] == acc["iss"] == issuer
    assert idc["aud"] == cid
    assert idc["token_use"] == "id" and acc["token_use"] == "access"
    assert idc["sub"] == acc["sub"] == sub
    assert idc["cognito:username"] == "alice"
    assert idc["email"] == "alice@example.com"
    assert idc["email_verified"] is True
    assert idc["name"] == "Alice"
    assert idc["cognito:groups"] == ["admins"] == acc["cognito:groups"]
    assert acc["client_id"] == cid
    assert "aud" not in acc
    assert acc["username"] == "alice"
    assert acc["scope"] == "aws.cognito.signin.user.admin"
    for claims in (idc, acc):
        for key in ("iat", "exp", "auth_time"):
            assert isinstance(claims[key], int), f"{key} is not an integer"
        assert claims["exp"] - claims["iat"] == 3600
        assert claims["jti"] and claims["origin_jti"]
    assert idc["jti"] != acc["jti"]
    assert idc["origin_jti"] == acc["origin_jti"]
    assert jwt.get_unverified_header(u.access_token)["alg"] == "RS256"

    # GetUser through pycognito.
    user = u.get_user()
    assert user.sub == sub
    assert user.email == "alice@example.com"
    assert user.email_verified is True

    # pycognito really verifies: a token with a forged payload is rejected.
    header, payload, signature = u.id_token.split(".")
    with pytest.raises(TokenVerificationException):
        u.verify_token(f"{header}.{u.access_token.split('.')[1]}.{signature}", "id_token", "id")
    # ...and an ID token for another app client fails the audience check.
    other = cognito(ks, pid, app_client(idp, pid, flows=ALL_FLOWS)["ClientId"], "alice")
    with pytest.raises(TokenVerificationException):
        other.verify_token(u.id_token, "id_token", "id")


def test_srp_wrong_password_and_unknown_user(ks, idp, pools):
    pid, cid, _ = setup(idp, pools)
    make_user(idp, pid, "bob", email="bob@example.com")
    u = cognito(ks, pid, cid, "bob")
    expect_client_error(lambda: u.authenticate(password=WRONG_PASSWORD),
                        "NotAuthorizedException", INCORRECT)
    assert u.access_token is None
    nobody = cognito(ks, pid, cid, "nobody")
    expect_client_error(lambda: nobody.authenticate(password=PASSWORD), "UserNotFoundException")
    # Still signs in with the right password.
    u.authenticate(password=PASSWORD)
    assert u.access_claims["username"] == "bob"


def test_srp_email_alias_and_case(ks, idp, pools):
    """Email-as-username pool: USER_ID_FOR_SRP is the sub, and pycognito must still sign in
    with the address (typed in another case in a case-insensitive pool)."""
    pid, cid, _ = setup(idp, pools, pool_kwargs={
        "UsernameAttributes": ["email"], "UsernameConfiguration": {"CaseSensitive": False}})
    idp.admin_create_user(
        UserPoolId=pid, Username="carol@example.com", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "carol@example.com"},
                        {"Name": "email_verified", "Value": "true"}])
    idp.admin_set_user_password(UserPoolId=pid, Username="carol@example.com", Password=PASSWORD,
                                Permanent=True)
    sub = sub_of(idp, pid, "carol@example.com")
    u = cognito(ks, pid, cid, "Carol@Example.com")
    u.authenticate(password=PASSWORD)
    assert u.id_claims["cognito:username"] == sub
    assert u.access_claims["username"] == sub


def test_force_change_password(ks, idp, pools):
    pid, cid, _ = setup(idp, pools)
    temp = "Temp-Pass-1234!"
    make_user(idp, pid, "dave", password=temp, email="dave@example.com", permanent=False)
    u = cognito(ks, pid, cid, "dave")
    with pytest.raises(ForceChangePasswordException):
        u.authenticate(password=temp)
    u.new_password_challenge(password=temp, new_password=NEW_PASSWORD)
    assert u.id_claims["cognito:username"] == "dave"
    assert idp.admin_get_user(UserPoolId=pid, Username="dave")["UserStatus"] == "CONFIRMED"

    again = cognito(ks, pid, cid, "dave")
    expect_client_error(lambda: again.authenticate(password=temp), "NotAuthorizedException",
                        INCORRECT)
    again.authenticate(password=NEW_PASSWORD)
    assert again.access_claims["username"] == "dave"


# ---- MFA -----------------------------------------------------------------------------------------


def test_sms_mfa(ks, idp, pools):
    pid, cid, _ = setup(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", sms=True)
    make_user(idp, pid, "erin", phone=PHONE)
    idp.admin_set_user_mfa_preference(UserPoolId=pid, Username="erin",
                                      SMSMfaSettings={"Enabled": True, "PreferredMfa": True})

    u = cognito(ks, pid, cid, "erin")
    with pytest.raises(SMSMFAChallengeException) as excinfo:
        u.authenticate(password=PASSWORD)
    challenge = excinfo.value.get_tokens()
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0199"
    entry = outbox_codes(ks, pid, "erin", "authentication")[-1]
    assert (entry["medium"], entry["destination"]) == ("SMS", PHONE)

    # A wrong code, then the right one with the same challenge.
    wrong = "000000" if entry["code"] != "000000" else "111111"
    expect_client_error(lambda: u.respond_to_sms_mfa_challenge(wrong, u.mfa_tokens),
                        "CodeMismatchException")
    u.respond_to_sms_mfa_challenge(entry["code"], u.mfa_tokens)
    assert u.access_claims["username"] == "erin"
    assert u.get_user().phone_number == PHONE


def test_software_token_mfa(ks, idp, pools):
    pid, cid, _ = setup(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", totp=True)
    make_user(idp, pid, "fay", email="fay@example.com")

    u = cognito(ks, pid, cid, "fay")
    u.authenticate(password=PASSWORD)  # no MFA yet
    secret = u.associate_software_token()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    totp = Totp(secret, ks.server_now)
    assert u.verify_software_token(totp.code(), "fay's phone") is True
    u.set_user_mfa_preference(sms_mfa=False, software_token_mfa=True, preferred="SOFTWARE_TOKEN")
    me = idp.get_user(AccessToken=u.access_token)
    assert me["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert me["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    v = cognito(ks, pid, cid, "fay")
    with pytest.raises(SoftwareTokenMFAChallengeException) as excinfo:
        v.authenticate(password=PASSWORD)
    params = excinfo.value.get_tokens()["ChallengeParameters"]
    assert params.get("FRIENDLY_DEVICE_NAME") == "fay's phone"
    expect_client_error(lambda: v.respond_to_software_token_mfa_challenge(totp.wrong_code()),
                        "CodeMismatchException")
    v.respond_to_software_token_mfa_challenge(totp.code())
    assert v.access_claims["username"] == "fay"


def test_sms_mfa_with_client_secret(ks, idp, pools):
    pid, cid, client = setup(idp, pools, GenerateSecret=True)
    set_mfa(idp, pid, "OPTIONAL", sms=True)
    make_user(idp, pid, "gus", phone=PHONE)
    idp.admin_set_user_mfa_preference(UserPoolId=pid, Username="gus",
                                      SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    u = cognito(ks, pid, cid, "gus", client_secret=client["ClientSecret"])
    with pytest.raises(SMSMFAChallengeException):
        u.authenticate(password=PASSWORD)
    u.respond_to_sms_mfa_challenge(latest_code(ks, pid, "gus", "authentication"))
    assert u.id_claims["cognito:username"] == "gus"


# ---- refresh, admin flow, client secret, sign-out -------------------------------------------------


def test_renew_access_token(ks, idp, pools):
    pid, cid, _ = setup(idp, pools)
    make_user(idp, pid, "hal", email="hal@example.com")
    u = cognito(ks, pid, cid, "hal")
    u.authenticate(password=PASSWORD)
    old_access, old_refresh, old_claims = u.access_token, u.refresh_token, u.access_claims
    u.renew_access_token()  # REFRESH_TOKEN_AUTH; verifies the new tokens
    assert u.access_token != old_access
    assert u.refresh_token == old_refresh
    assert u.access_claims["jti"] != old_claims["jti"]
    assert u.access_claims["origin_jti"] == old_claims["origin_jti"]
    assert u.access_claims["auth_time"] == old_claims["auth_time"]
    assert u.id_claims["cognito:username"] == "hal"
    assert u.check_token(renew=False) is False
    assert idp.get_user(AccessToken=u.access_token)["Username"] == "hal"


def test_admin_authenticate(ks, idp, pools):
    pid, cid, _ = setup(idp, pools, flows=["ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                          "ALLOW_REFRESH_TOKEN_AUTH"])
    make_user(idp, pid, "ivy", email="ivy@example.com")
    u = cognito(ks, pid, cid, "ivy")
    u.admin_authenticate(password=PASSWORD)  # ADMIN_NO_SRP_AUTH, signed with admin creds
    assert u.access_claims["username"] == "ivy"
    u.renew_access_token()
    expect_client_error(lambda: u.admin_authenticate(password=WRONG_PASSWORD),
                        "NotAuthorizedException", INCORRECT)
    # SRP is not enabled on this client.
    expect_client_error(lambda: cognito(ks, pid, cid, "ivy").authenticate(password=PASSWORD),
                        "InvalidParameterException")


def test_client_with_secret(ks, idp, pools):
    pid, cid, client = setup(idp, pools, GenerateSecret=True)
    secret = client["ClientSecret"]
    make_user(idp, pid, "jay", email="jay@example.com")

    u = cognito(ks, pid, cid, "jay", client_secret=secret)
    u.authenticate(password=PASSWORD)
    assert u.access_claims["client_id"] == cid
    u.renew_access_token()
    assert u.id_claims["aud"] == cid

    expect_client_error(lambda: cognito(ks, pid, cid, "jay").authenticate(password=PASSWORD),
                        "NotAuthorizedException")
    wrong = cognito(ks, pid, cid, "jay", client_secret="x" * len(secret))
    expect_client_error(lambda: wrong.authenticate(password=PASSWORD), "NotAuthorizedException")


def test_logout_and_change_password(ks, idp, pools):
    pid, cid, _ = setup(idp, pools)
    make_user(idp, pid, "kim", email="kim@example.com")
    u = cognito(ks, pid, cid, "kim")
    u.authenticate(password=PASSWORD)
    u.change_password(PASSWORD, NEW_PASSWORD)
    v = cognito(ks, pid, cid, "kim")
    expect_client_error(lambda: v.authenticate(password=PASSWORD), "NotAuthorizedException",
                        INCORRECT)
    v.authenticate(password=NEW_PASSWORD)

    access, refresh = v.access_token, v.refresh_token
    v.logout()  # GlobalSignOut
    expect_client_error(lambda: idp.get_user(AccessToken=access), "NotAuthorizedException")
    w = cognito(ks, pid, cid, "kim", refresh_token=refresh)
    expect_client_error(w.renew_access_token, "NotAuthorizedException")
    # The first session was signed out too (global).
    expect_client_error(u.get_user, "NotAuthorizedException")


def test_update_profile_and_verify_email(ks, idp, pools):
    pid, cid, _ = setup(idp, pools, pool_kwargs={"AutoVerifiedAttributes": ["email"]})
    make_user(idp, pid, "lee", email="lee@example.com")
    u = cognito(ks, pid, cid, "lee")
    u.authenticate(password=PASSWORD)
    u.update_profile({"email": "lee@new.example.org", "name": "Lee"})
    user = u.get_user()
    assert user.email == "lee@new.example.org"
    assert user.email_verified is False
    code = latest_code(ks, pid, "lee", "update_user_attribute")
    u.validate_verification(code, "email")
    assert u.get_user().email_verified is True
    assert attrs(idp.admin_get_user(UserPoolId=pid, Username="lee"))["name"] == "Lee"
    u.delete_user()
    expect_client_error(lambda: idp.admin_get_user(UserPoolId=pid, Username="lee"),
                        "UserNotFoundException")


def test_force_change_password_with_client_secret(ks, idp, pools):
    pid, cid, client = setup(idp, pools, GenerateSecret=True)
    temp = "Temp-Pass-1234!"
    make_user(idp, pid, "mo", password=temp, email="mo@example.com", permanent=False)
    u = cognito(ks, pid, cid, "mo", client_secret=client["ClientSecret"])
    with pytest.raises(ForceChangePasswordException):
        u.authenticate(password=temp)
    u.new_password_challenge(password=temp, new_password=NEW_PASSWORD)
    assert u.id_claims["cognito:username"] == "mo"
    u.renew_access_token()


def test_email_username_pool_with_client_secret(ks, idp, pools):
    """pycognito hashes SECRET_HASH over the typed email at InitiateAuth and refresh, and over
    ChallengeParameters.USERNAME (the sub) at PASSWORD_VERIFIER: all must be accepted."""
    pid, cid, client = setup(idp, pools, pool_kwargs={"UsernameAttributes": ["email"]},
                             GenerateSecret=True)
    idp.admin_create_user(
        UserPoolId=pid, Username="nia@example.com", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "nia@example.com"},
                        {"Name": "email_verified", "Value": "true"}])
    idp.admin_set_user_password(UserPoolId=pid, Username="nia@example.com", Password=PASSWORD,
                                Permanent=True)
    u = cognito(ks, pid, cid, "nia@example.com", client_secret=client["ClientSecret"])
    u.authenticate(password=PASSWORD)
    sub = sub_of(idp, pid, "nia@example.com")
    assert u.access_claims["username"] == sub
    u.renew_access_token()
    assert u.id_claims["email"] == "nia@example.com"


def test_case_insensitive_username_pool(ks, idp, pools):
    pid, cid, _ = setup(idp, pools, pool_kwargs={"UsernameConfiguration": {"CaseSensitive": False}})
    make_user(idp, pid, "Olga", email="olga@example.com")
    canonical = idp.admin_get_user(UserPoolId=pid, Username="olga")["Username"]
    for typed in ("OLGA", "olga", "Olga"):
        u = cognito(ks, pid, cid, typed)
        u.authenticate(password=PASSWORD)
        assert u.access_claims["username"] == canonical
