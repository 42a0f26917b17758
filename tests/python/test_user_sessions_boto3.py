"""User sessions through boto3: session configuration of the pool and of a client (defaults,
feature plan, checks), token sessions listed by the user and by an administrator (one per
sign-in, the caller's marked current, most recently active first), MaxPerUser evicting the
least recently active, and revocation of one session (its refresh and access tokens stop
working; the caller's own session cannot be revoked).

The server's clock is stopped (KEYSTEP_CLOCK_URL) and moved by the tests."""

import re

from signin_helpers import (ALL_FLOWS, app_client, expect_error, make_user, password_auth,
                            tokens_of)

SESSION_ID = re.compile(r"tkn[a-z0-9]{25}")


def raw_error(ks, target, body, signed=True):
    """Inputs botocore refuses before sending, sent anyway: the server's own checks."""
    call = ks.signed_raw if signed else ks.raw
    status, _, answer = call(target, body)
    assert status == 400, (status, answer)
    return answer["__type"]


def sign_in(ks, idp, cid, username):
    ks.advance(1)
    return tokens_of(password_auth(idp, cid, username))


def refresh(idp, cid, token):
    return idp.get_tokens_from_refresh_token(ClientId=cid, RefreshToken=token)[
        "AuthenticationResult"]


def test_configuration_defaults_and_checks(ks, idp, pools):
    pid = pools()["Id"]
    cid = app_client(idp, pid)["ClientId"]
    got = idp.get_user_pool_session_configuration(UserPoolId=pid)
    assert got["UserSessionTracking"] == "DISABLED" and got["TokenSession"] == {"MaxPerUser": 20}
    client = idp.get_user_pool_client_session_configuration(UserPoolId=pid, ClientId=cid)
    assert client["SSOSession"] == {"MaxValidityMinutes": 60}
    expect_error(idp.set_user_pool_client_session_configuration, "OperationNotEnabledException",
                 UserPoolId=pid, ClientId=cid, SSOSession={"MaxValidityMinutes": 5})
    make_user(idp, pid, "ned")
    expect_error(idp.admin_list_user_sessions, "OperationNotEnabledException",
                 UserPoolId=pid, Username="ned")

    for bad in (0, 101):
        assert raw_error(ks, "SetUserPoolSessionConfiguration", {
            "UserPoolId": pid, "UserSessionTracking": "ENABLED",
            "TokenSession": {"MaxPerUser": bad}}) == "InvalidParameterException"
    assert raw_error(ks, "SetUserPoolSessionConfiguration", {
        "UserPoolId": pid, "UserSessionTracking": "MAYBE",
        "TokenSession": {"MaxPerUser": 5}}) == "InvalidParameterException"
    set_ = idp.set_user_pool_session_configuration(UserPoolId=pid, UserSessionTracking="ENABLED",
                                                   TokenSession={"MaxPerUser": 7})
    assert set_["UserSessionTracking"] == "ENABLED" and set_["TokenSession"]["MaxPerUser"] == 7
    assert idp.get_user_pool_session_configuration(UserPoolId=pid)["TokenSession"] == \
        {"MaxPerUser": 7}
    idp.set_user_pool_client_session_configuration(UserPoolId=pid, ClientId=cid,
                                                   SSOSession={"MaxValidityMinutes": 0})
    client = idp.get_user_pool_client_session_configuration(UserPoolId=pid, ClientId=cid)
    assert client["SSOSession"] == {"MaxValidityMinutes": 0}
    assert raw_error(ks, "SetUserPoolClientSessionConfiguration", {
        "UserPoolId": pid, "ClientId": cid,
        "SSOSession": {"MaxValidityMinutes": 129601}}) == "InvalidParameterException"
    lite = pools(UserPoolTier="LITE")["Id"]
    expect_error(idp.set_user_pool_session_configuration, "FeatureUnavailableInTierException",
                 UserPoolId=lite, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 5})


def test_sessions_are_listed_evicted_and_revoked(ks, idp, pools):
    pid = pools()["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    other = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    idp.set_user_pool_session_configuration(UserPoolId=pid, UserSessionTracking="ENABLED",
                                            TokenSession={"MaxPerUser": 2})
    make_user(idp, pid, "sia")
    oldest = sign_in(ks, idp, cid, "sia")
    middle = sign_in(ks, idp, other, "sia")
    listed = idp.admin_list_user_sessions(UserPoolId=pid, Username="sia")["Sessions"]
    assert len(listed) == 2
    assert all(SESSION_ID.fullmatch(s["SessionId"]) for s in listed)
    assert all(s["SessionType"] == "TOKEN" and not s["IsCurrentSession"] for s in listed)
    assert [s["ClientId"] for s in listed] == [other, cid], "most recently active first"

    # The oldest session is refreshed, so it is no longer the least recently active.
    ks.advance(1)
    refresh(idp, cid, oldest["RefreshToken"])
    listed = idp.admin_list_user_sessions(UserPoolId=pid, Username="sia")["Sessions"]
    assert [s["ClientId"] for s in listed] == [cid, other]
    assert listed[0]["LastActiveDate"] > listed[0]["CreateDate"]

    # A third sign-in evicts the least recently active (the middle one).
    newest = sign_in(ks, idp, cid, "sia")
    expect_error(refresh, "NotAuthorizedException", "revoked", idp=idp, cid=other,
                 token=middle["RefreshToken"])
    mine = idp.list_user_sessions(AccessToken=newest["AccessToken"])["Sessions"]
    assert len(mine) == 2
    current = [s for s in mine if s["IsCurrentSession"]]
    assert len(current) == 1
    rest = [s for s in mine if not s["IsCurrentSession"]][0]

    expect_error(idp.revoke_user_session, "InvalidParameterException", "calling access token",
                 AccessToken=newest["AccessToken"], SessionId=current[0]["SessionId"])
    assert raw_error(ks, "RevokeUserSession", {
        "AccessToken": newest["AccessToken"], "SessionId": "tkn-not-a-session-id"},
        signed=False) == "InvalidParameterException"
    idp.revoke_user_session(AccessToken=newest["AccessToken"], SessionId=rest["SessionId"],
                            RevokeAssociatedSessions="LINKED")
    expect_error(refresh, "NotAuthorizedException", "revoked", idp=idp, cid=cid,
                 token=oldest["RefreshToken"])
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=oldest["AccessToken"])
    idp.get_user(AccessToken=newest["AccessToken"])
    expect_error(idp.revoke_user_session, "ResourceNotFoundException",
                 AccessToken=newest["AccessToken"], SessionId=rest["SessionId"])

    # An administrator revokes by the owner's name only.
    make_user(idp, pid, "tom")
    expect_error(idp.admin_revoke_user_session, "ResourceNotFoundException", UserPoolId=pid,
                 Username="tom", SessionId=current[0]["SessionId"])
    idp.admin_revoke_user_session(UserPoolId=pid, Username="sia",
                                  SessionId=current[0]["SessionId"])
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=newest["AccessToken"])
    assert idp.admin_list_user_sessions(UserPoolId=pid, Username="sia")["Sessions"] == []
