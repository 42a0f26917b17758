"""Auth events through boto3: every sign-in of a user is one event in
AdminListUserAuthEvents (newest first) with its outcome, the challenges it judged (Password /
Mfa, Success / Failure, in order, across steps), and the address it came from;
AdminUpdateAuthEventFeedback records feedback on one; UpdateAuthEventFeedback is refused
with its reason."""

from signin_helpers import (ALL_FLOWS, PASSWORD, PHONE, WRONG_PASSWORD, app_client,
                            challenge_of, expect_error, latest_code, make_user, password_auth,
                            respond, set_mfa, srp_sign_in, tokens_of)


def events(idp, pid, username, **kwargs):
    return idp.admin_list_user_auth_events(UserPoolId=pid, Username=username,
                                           **kwargs)["AuthEvents"]


def challenges(event):
    return [(c["ChallengeName"], c["ChallengeResponse"]) for c in event["ChallengeResponses"]]


def test_password_sign_ins_wrong_and_right(ks, idp, pools):
    pid = pools()["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    make_user(idp, pid, "ana")
    assert events(idp, pid, "ana") == []

    expect_error(password_auth, "NotAuthorizedException", idp=idp, client_id=cid,
                 username="ana", password=WRONG_PASSWORD)
    ks.advance(1)
    tokens_of(password_auth(idp, cid, "ana"))
    got = events(idp, pid, "ana")
    assert [e["EventResponse"] for e in got] == ["Pass", "Fail"], got
    assert challenges(got[0]) == [("Password", "Success")]
    assert challenges(got[1]) == [("Password", "Failure")]
    assert all(e["EventType"] == "SignIn" for e in got)
    assert got[0]["EventContextData"]["IpAddress"] == "127.0.0.1"
    assert got[0]["CreationDate"] > got[1]["CreationDate"]
    assert "EventRisk" not in got[0], "Keystep has no risk engine and claims no assessment"
    assert got[0]["EventId"] != got[1]["EventId"]

    # SRP: the first step judges nothing; PASSWORD_VERIFIER judges the password.
    ks.advance(1)
    srp_sign_in(ks, idp, pid, cid, "ana")
    newest = events(idp, pid, "ana")[0]
    assert newest["EventResponse"] == "Pass" and challenges(newest) == [("Password", "Success")]

    # A name that is nobody leaves no event anywhere; an unknown user cannot be listed.
    expect_error(idp.admin_list_user_auth_events, "UserNotFoundException",
                 UserPoolId=pid, Username="nobody")


def test_one_event_follows_a_sign_in_through_its_mfa_steps(ks, idp, pools):
    pid = pools()["Id"]
    set_mfa(idp, pid, mode="ON", sms=True)
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    make_user(idp, pid, "sam", phone=PHONE)

    resp = challenge_of(password_auth(idp, cid, "sam"), "SMS_MFA")
    first = events(idp, pid, "sam")
    assert len(first) == 1 and first[0]["EventResponse"] == "InProgress"
    assert challenges(first[0]) == [("Password", "Success")]

    wrong = {"USERNAME": "sam", "SMS_MFA_CODE": "000000"}
    code = latest_code(ks, pid, "sam", "authentication")
    if code == "000000":
        wrong["SMS_MFA_CODE"] = "111111"
    expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid, challenge="SMS_MFA",
                 session=resp["Session"], answers=wrong)
    mid = events(idp, pid, "sam")
    assert len(mid) == 1 and mid[0]["EventResponse"] == "Fail"
    assert challenges(mid[0]) == [("Password", "Success"), ("Mfa", "Failure")]

    tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"],
                      {"USERNAME": "sam", "SMS_MFA_CODE": code}))
    done = events(idp, pid, "sam")
    assert len(done) == 1 and done[0]["EventId"] == first[0]["EventId"]
    assert done[0]["EventResponse"] == "Pass"
    assert challenges(done[0]) == [("Password", "Success"), ("Mfa", "Failure"),
                                   ("Mfa", "Success")]


def test_admin_sign_ins_take_the_address_from_context_data(ks, idp, pools):
    pid = pools()["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    make_user(idp, pid, "ada")
    context = {"IpAddress": "203.0.113.9", "ServerName": "app.example.com",
               "ServerPath": "/login", "HttpHeaders": []}
    tokens_of(idp.admin_initiate_auth(
        UserPoolId=pid, ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}, ContextData=context))
    got = events(idp, pid, "ada")
    assert got[0]["EventContextData"]["IpAddress"] == "203.0.113.9"


def test_feedback_and_paging(ks, idp, pools):
    pid = pools()["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    make_user(idp, pid, "fay")
    for _ in range(3):
        ks.advance(1)
        tokens_of(password_auth(idp, cid, "fay"))
    seen, token = [], None
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = idp.admin_list_user_auth_events(UserPoolId=pid, Username="fay", MaxResults=1,
                                               **kwargs)
        assert len(page["AuthEvents"]) <= 1
        seen += page["AuthEvents"]
        token = page.get("NextToken")
        if not token:
            break
    assert len(seen) == 3 and len({e["EventId"] for e in seen}) == 3
    assert [e["CreationDate"] for e in seen] == sorted((e["CreationDate"] for e in seen),
                                                       reverse=True)
    expect_error(idp.admin_list_user_auth_events, "InvalidParameterException",
                 UserPoolId=pid, Username="fay", NextToken="forged-token")

    target = seen[1]["EventId"]
    idp.admin_update_auth_event_feedback(UserPoolId=pid, Username="fay", EventId=target,
                                         FeedbackValue="Invalid")
    fed = {e["EventId"]: e for e in events(idp, pid, "fay")}[target]
    assert fed["EventFeedback"]["FeedbackValue"] == "Invalid"
    assert fed["EventFeedback"]["Provider"] == "Admin" and "FeedbackDate" in fed["EventFeedback"]
    assert "EventFeedback" not in {e["EventId"]: e for e in events(idp, pid, "fay")}[seen[0]["EventId"]]

    expect_error(idp.admin_update_auth_event_feedback, "ResourceNotFoundException",
                 UserPoolId=pid, Username="fay", EventId="no-such-event", FeedbackValue="Valid")
    expect_error(idp.admin_update_auth_event_feedback, "InvalidParameterException",
                 UserPoolId=pid, Username="fay", EventId=target, FeedbackValue="Maybe")
    # Another user's event is not this user's to judge.
    make_user(idp, pid, "gus")
    expect_error(idp.admin_update_auth_event_feedback, "ResourceNotFoundException",
                 UserPoolId=pid, Username="gus", EventId=target, FeedbackValue="Valid")
    expect_error(idp.update_auth_event_feedback, "UnsupportedOperationException",
                 UserPoolId=pid, Username="fay", EventId=target, FeedbackToken="abc",
                 FeedbackValue="Valid")

    # Deleting the user deletes its events.
    idp.admin_delete_user(UserPoolId=pid, Username="fay")
    make_user(idp, pid, "fay")
    assert events(idp, pid, "fay") == []


def test_risk_configuration_blocks_ip_ranges_and_refuses_the_risk_engine_parts(ks, idp, pools):
    pid = pools()["Id"]
    blocked_client = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    other_client = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    make_user(idp, pid, "ida")
    described = idp.describe_risk_configuration(UserPoolId=pid)["RiskConfiguration"]
    assert described == {"UserPoolId": pid}

    # The pool blocks a documentation range; one client also blocks loopback.
    pool_level = idp.set_risk_configuration(
        UserPoolId=pid,
        RiskExceptionConfiguration={"BlockedIPRangeList": ["203.0.113.0/24"],
                                    "SkippedIPRangeList": ["198.51.100.0/24"]},
    )["RiskConfiguration"]
    assert pool_level["RiskExceptionConfiguration"]["BlockedIPRangeList"] == ["203.0.113.0/24"]
    assert "ClientId" not in pool_level and "LastModifiedDate" in pool_level
    client_level = idp.set_risk_configuration(
        UserPoolId=pid, ClientId=blocked_client,
        RiskExceptionConfiguration={"BlockedIPRangeList": ["127.0.0.0/8"]},
    )["RiskConfiguration"]
    assert client_level["ClientId"] == blocked_client

    expect_error(password_auth, "NotAuthorizedException",
                 "Unable to login because of security reasons.", idp=idp,
                 client_id=blocked_client, username="ida")
    tokens_of(password_auth(idp, other_client, "ida"))
    context = {"IpAddress": "203.0.113.77", "ServerName": "app", "ServerPath": "/",
               "HttpHeaders": []}
    expect_error(idp.admin_initiate_auth, "NotAuthorizedException",
                 "Unable to login because of security reasons.", UserPoolId=pid,
                 ClientId=other_client, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "ida", "PASSWORD": PASSWORD},
                 ContextData=context)
    context["IpAddress"] = "198.51.100.7"
    tokens_of(idp.admin_initiate_auth(
        UserPoolId=pid, ClientId=other_client, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ida", "PASSWORD": PASSWORD}, ContextData=context))

    # Describe: the client's own, else the pool's.
    own = idp.describe_risk_configuration(UserPoolId=pid, ClientId=blocked_client)
    assert own["RiskConfiguration"]["RiskExceptionConfiguration"]["BlockedIPRangeList"] == \
        ["127.0.0.0/8"]
    inherited = idp.describe_risk_configuration(UserPoolId=pid, ClientId=other_client)
    assert inherited["RiskConfiguration"]["RiskExceptionConfiguration"][
        "SkippedIPRangeList"] == ["198.51.100.0/24"]

    # Unblocking the client lets its sign-ins through again.
    idp.set_risk_configuration(UserPoolId=pid, ClientId=blocked_client,
                               RiskExceptionConfiguration={})
    tokens_of(password_auth(idp, blocked_client, "ida"))

    expect_error(idp.set_risk_configuration, "UnsupportedOperationException",
                 "CompromisedCredentialsRiskConfiguration", UserPoolId=pid,
                 CompromisedCredentialsRiskConfiguration={"Actions": {"EventAction": "BLOCK"}})
    expect_error(idp.set_risk_configuration, "UnsupportedOperationException",
                 "AccountTakeoverRiskConfiguration", UserPoolId=pid,
                 AccountTakeoverRiskConfiguration={"Actions": {}})
    expect_error(idp.set_risk_configuration, "InvalidParameterException", UserPoolId=pid,
                 RiskExceptionConfiguration={"BlockedIPRangeList": ["10.0.0.1"]})
    expect_error(idp.set_risk_configuration, "ResourceNotFoundException", UserPoolId=pid,
                 ClientId="nosuchclient", RiskExceptionConfiguration={})
