"""Refresh-token rotation through boto3: RefreshTokenRotation on the app client (echoed by
DescribeUserPoolClient); GetTokensFromRefreshToken then answers a new refresh token, the
replaced one works for the grace period and is RefreshTokenReuseException after it; rotation
never extends a sign-in; revoking any token of the sign-in revokes them all; REFRESH_TOKEN_AUTH
is refused on a rotating client; the feature plan is checked.

The server's clock is stopped (KEYSTEP_CLOCK_URL) and moved by the tests."""

from signin_helpers import (ALL_FLOWS, app_client, expect_error, make_user, password_auth,
                            tokens_of)


def rotating_client(idp, pid, grace=0, **kwargs):
    return app_client(idp, pid, flows=ALL_FLOWS,
                      RefreshTokenRotation={"Feature": "ENABLED",
                                            "RetryGracePeriodSeconds": grace},
                      **kwargs)["ClientId"]


def refresh(idp, cid, token):
    return idp.get_tokens_from_refresh_token(ClientId=cid, RefreshToken=token)[
        "AuthenticationResult"]


def test_rotation_replaces_the_refresh_token_and_refuses_the_old_one(ks, idp, pools):
    pid = pools()["Id"]
    cid = rotating_client(idp, pid)
    described = idp.describe_user_pool_client(UserPoolId=pid, ClientId=cid)["UserPoolClient"]
    assert described["RefreshTokenRotation"] == {"Feature": "ENABLED",
                                                 "RetryGracePeriodSeconds": 0}
    make_user(idp, pid, "rae")
    first = tokens_of(password_auth(idp, cid, "rae"))["RefreshToken"]

    second = refresh(idp, cid, first)
    assert second["RefreshToken"] and second["RefreshToken"] != first
    assert second["AccessToken"] and second["IdToken"]
    expect_error(refresh, "RefreshTokenReuseException", idp=idp, cid=cid, token=first)
    expect_error(refresh, "NotAuthorizedException", "Invalid Refresh Token.", idp=idp, cid=cid,
                 token="eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.not-a-token")
    third = refresh(idp, cid, second["RefreshToken"])
    assert third["RefreshToken"] not in (first, second["RefreshToken"])

    expect_error(idp.initiate_auth, "NotAuthorizedException", "GetTokensFromRefreshToken",
                 ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": third["RefreshToken"]})

    # A client without rotation keeps its refresh token and answers none.
    plain = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    described = idp.describe_user_pool_client(UserPoolId=pid, ClientId=plain)["UserPoolClient"]
    assert described["RefreshTokenRotation"]["Feature"] == "DISABLED"
    token = tokens_of(password_auth(idp, plain, "rae"))["RefreshToken"]
    again = refresh(idp, plain, token)
    assert "RefreshToken" not in again
    refresh(idp, plain, token)


def test_the_grace_period_and_the_sign_ins_expiry(ks, idp, pools):
    pid = pools()["Id"]
    cid = rotating_client(idp, pid, grace=30, RefreshTokenValidity=60,
                          TokenValidityUnits={"RefreshToken": "minutes"})
    make_user(idp, pid, "gil")
    first = tokens_of(password_auth(idp, cid, "gil"))["RefreshToken"]
    ks.advance(20 * 60)
    second = refresh(idp, cid, first)["RefreshToken"]
    # Within the grace period the replaced token still refreshes (a retried request).
    ks.advance(10)
    retried = refresh(idp, cid, first)["RefreshToken"]
    assert retried not in (first, second)
    ks.advance(21)
    expect_error(refresh, "RefreshTokenReuseException", idp=idp, cid=cid, token=first)
    # Rotation does not extend the sign-in: its tokens expire when the first would have.
    ks.advance(39 * 60)
    refresh(idp, cid, second)
    ks.advance(61)
    expect_error(refresh, "NotAuthorizedException", "Refresh Token has expired", idp=idp,
                 cid=cid, token=second)


def test_revoking_one_token_revokes_the_sign_in(ks, idp, pools):
    pid = pools()["Id"]
    cid = rotating_client(idp, pid, grace=60)
    make_user(idp, pid, "ron")
    first = tokens_of(password_auth(idp, cid, "ron"))["RefreshToken"]
    second = refresh(idp, cid, first)["RefreshToken"]
    idp.revoke_token(Token=second, ClientId=cid)
    expect_error(refresh, "NotAuthorizedException", "revoked", idp=idp, cid=cid, token=first)
    expect_error(refresh, "NotAuthorizedException", "revoked", idp=idp, cid=cid, token=second)


def test_settings_are_checked(idp, pools):
    pid = pools()["Id"]
    expect_error(idp.create_user_pool_client, "InvalidParameterException", UserPoolId=pid,
                 ClientName="x", RefreshTokenRotation={"Feature": "ENABLED",
                                                       "RetryGracePeriodSeconds": 61})
    expect_error(idp.create_user_pool_client, "InvalidParameterException", UserPoolId=pid,
                 ClientName="x", RefreshTokenRotation={"Feature": "SOMETIMES"})
    lite = pools(UserPoolTier="LITE")["Id"]
    expect_error(idp.create_user_pool_client, "FeatureUnavailableInTierException",
                 UserPoolId=lite, ClientName="x",
                 RefreshTokenRotation={"Feature": "ENABLED"})
    # Turning it off again is an update like any other.
    cid = rotating_client(idp, pid)
    idp.update_user_pool_client(UserPoolId=pid, ClientId=cid,
                                RefreshTokenRotation={"Feature": "DISABLED"})
    described = idp.describe_user_pool_client(UserPoolId=pid, ClientId=cid)["UserPoolClient"]
    assert described["RefreshTokenRotation"]["Feature"] == "DISABLED"
