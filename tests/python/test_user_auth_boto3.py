"""Choice-based sign-in (``AuthFlow=USER_AUTH``) and auto sign-in through boto3: the raw wire
shapes (``AvailableChallenges``, ``SELECT_CHALLENGE``, ``EMAIL_OTP``/``SMS_OTP`` as first
factors, the ``Session`` of ``SignUp``/``ConfirmSignUp``), the error names, the pool settings
that gate it, and an attacker's view: guessing first-factor codes, probing for which names
exist, replaying a sign-up session.
"""

import pytest

from signin_helpers import (
    INCORRECT,
    PASSWORD,
    SESSION_EXPIRED,
    WRONG_PASSWORD,
    app_client,
    challenge_of,
    expect_error,
    latest_code,
    make_user,
    outbox_codes,
    respond,
    run_together,
    tokens_of,
)
from support import SrpClient, unique

FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]
PHONE = "+15555550199"
SMS_CONFIG = {"SnsCallerArn": "arn:aws:iam::123456789012:role/keystep-sms", "ExternalId": "ext"}


def choice_pool(idp, pools, factors=FACTORS, prevent=False, **pool_kwargs):
    pool = pools(
        UserPoolTier="ESSENTIALS",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": factors}},
        SmsConfiguration=SMS_CONFIG,
        **pool_kwargs,
    )
    client = app_client(
        idp,
        pool["Id"],
        ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED" if prevent else "LEGACY",
    )
    return pool["Id"], client["ClientId"]


def user_auth(idp, cid, username, **params):
    return idp.initiate_auth(
        ClientId=cid, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": username, **params}
    )


def test_pool_settings_round_trip_and_are_validated(idp, pools):
    pool_id, _ = choice_pool(idp, pools)
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["UserPoolTier"] == "ESSENTIALS"
    assert described["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"] == FACTORS

    plain = pools()
    described = idp.describe_user_pool(UserPoolId=plain["Id"])["UserPool"]
    assert described["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"] == ["PASSWORD"]

    expect_error(
        idp.create_user_pool,
        "FeatureUnavailableInTierException",
        PoolName=unique("lite"),
        UserPoolTier="LITE",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )
    expect_error(
        idp.create_user_pool,
        "InvalidParameterException",
        PoolName=unique("bad"),
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "SOFTWARE_TOKEN"]}},
    )
    expect_error(
        idp.create_user_pool,
        "InvalidParameterException",
        PoolName=unique("bad"),
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSKEY"]}},
    )


def test_select_challenge_then_email_code(ks, idp, pools):
    pool_id, cid = choice_pool(idp, pools)
    make_user(idp, pool_id, "bob", email="bob@example.com", phone=PHONE)

    start = user_auth(idp, cid, "bob")
    assert start["ChallengeName"] == "SELECT_CHALLENGE"
    assert start["ChallengeParameters"] == {}
    assert start["AvailableChallenges"] == ["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP", "SMS_OTP"]
    assert 20 <= len(start["Session"]) <= 2048

    sent = respond(idp, cid, "SELECT_CHALLENGE", start["Session"], {"USERNAME": "bob", "ANSWER": "EMAIL_OTP"})
    challenge_of(sent, "EMAIL_OTP")
    params = sent["ChallengeParameters"]
    assert params["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert params["CODE_DELIVERY_DESTINATION"] != "bob@example.com"
    code = latest_code(ks, pool_id, "bob", "authentication")

    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid, challenge="EMAIL_OTP",
                 session=sent["Session"], answers={"USERNAME": "bob", "EMAIL_OTP_CODE": wrong})
    # The same Session is answered again after a wrong code, as Amplify does.
    done = respond(idp, cid, "EMAIL_OTP", sent["Session"], {"USERNAME": "bob", "EMAIL_OTP_CODE": code})
    tokens_of(done)
    # A used Session moves nothing forward again.
    expect_error(respond, "NotAuthorizedException", SESSION_EXPIRED, idp=idp, client_id=cid,
                 challenge="EMAIL_OTP", session=sent["Session"],
                 answers={"USERNAME": "bob", "EMAIL_OTP_CODE": code})


def test_preferred_sms_and_password_and_srp(ks, idp, pools):
    pool_id, cid = choice_pool(idp, pools)
    make_user(idp, pool_id, "carol", email="carol@example.com", phone=PHONE)

    sms = user_auth(idp, cid, "carol", PREFERRED_CHALLENGE="SMS_OTP")
    challenge_of(sms, "SMS_OTP")
    assert sms["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    code = latest_code(ks, pool_id, "carol", "authentication")
    # An SMS_OTP answer carries SMS_OTP_CODE; an EMAIL_OTP one does not fit.
    expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid, challenge="EMAIL_OTP",
                 session=sms["Session"], answers={"USERNAME": "carol", "EMAIL_OTP_CODE": code})
    tokens_of(respond(idp, cid, "SMS_OTP", sms["Session"], {"USERNAME": "carol", "SMS_OTP_CODE": code}))

    tokens_of(user_auth(idp, cid, "carol", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD))
    expect_error(user_auth, "NotAuthorizedException", INCORRECT, idp=idp, cid=cid, username="carol",
                 PREFERRED_CHALLENGE="PASSWORD", PASSWORD=WRONG_PASSWORD)
    expect_error(user_auth, "InvalidParameterException", "PASSWORD", idp=idp, cid=cid,
                 username="carol", PREFERRED_CHALLENGE="PASSWORD")
    # Passkeys are not among this pool's first factors: the preference gets the list.
    no_passkey = user_auth(idp, cid, "carol", PREFERRED_CHALLENGE="WEB_AUTHN")
    assert no_passkey["ChallengeName"] == "SELECT_CHALLENGE"
    assert "WEB_AUTHN" not in no_passkey["AvailableChallenges"]

    srp = SrpClient(pool_id, PASSWORD)
    verifier = user_auth(idp, cid, "carol", PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=srp.srp_a)
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    answer = srp.answer(verifier["ChallengeParameters"], ks.server_now())
    tokens_of(idp.respond_to_auth_challenge(
        ClientId=cid, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer))


def test_password_typed_after_selection_uses_the_same_session(ks, idp, pools):
    pool_id, cid = choice_pool(idp, pools)
    make_user(idp, pool_id, "dave", email="dave@example.com")
    start = user_auth(idp, cid, "dave")
    assert "SMS_OTP" not in start["AvailableChallenges"]
    # Not offered: refused, and the session may still be answered.
    expect_error(respond, "InvalidParameterException", idp=idp, client_id=cid,
                 challenge="SELECT_CHALLENGE", session=start["Session"],
                 answers={"USERNAME": "dave", "ANSWER": "SMS_OTP"})
    done = respond(idp, cid, "SELECT_CHALLENGE", start["Session"],
                   {"USERNAME": "dave", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD})
    tokens_of(done)

    # The documented shortcut: ChallengeName PASSWORD on a SELECT_CHALLENGE session.
    again = user_auth(idp, cid, "dave")
    tokens_of(respond(idp, cid, "PASSWORD", again["Session"], {"USERNAME": "dave", "PASSWORD": PASSWORD}))


def test_parallel_guesses_at_a_first_factor_code_are_counted_one_by_one(ks, idp, pools):
    pool_id, cid = choice_pool(idp, pools)
    make_user(idp, pool_id, "erin", email="erin@example.com")
    sent = user_auth(idp, cid, "erin", PREFERRED_CHALLENGE="EMAIL_OTP")
    code = latest_code(ks, pool_id, "erin", "authentication")
    wrong = [str((int(code) + i) % 1_000_000).zfill(6) for i in range(1, 13)]

    def guess(value):
        return lambda: respond(idp, cid, "EMAIL_OTP", sent["Session"],
                               {"USERNAME": "erin", "EMAIL_OTP_CODE": value})

    results = run_together([guess(w) for w in wrong])
    names = sorted(r.response["Error"]["Code"] for r in results)
    # At most five answers are ever judged per Session: the rest are refused unread.
    assert names.count("CodeMismatchException") <= 4, names
    assert all(n in ("CodeMismatchException", "NotAuthorizedException") for n in names), names
    expect_error(respond, "NotAuthorizedException", idp=idp, client_id=cid, challenge="EMAIL_OTP",
                 session=sent["Session"], answers={"USERNAME": "erin", "EMAIL_OTP_CODE": code})


def test_unknown_names_look_like_users_when_existence_errors_are_prevented(ks, idp, pools):
    pool_id, cid = choice_pool(idp, pools, prevent=True, UsernameAttributes=["email"])
    make_user(idp, pool_id, "frank@example.com", email="frank@example.com")

    real = user_auth(idp, cid, "frank@example.com")
    ghost = user_auth(idp, cid, "nobody@example.com")
    assert real["ChallengeName"] == ghost["ChallengeName"] == "SELECT_CHALLENGE"
    assert real["AvailableChallenges"] == ghost["AvailableChallenges"]

    sent = respond(idp, cid, "SELECT_CHALLENGE", ghost["Session"],
                   {"USERNAME": "nobody@example.com", "ANSWER": "EMAIL_OTP"})
    challenge_of(sent, "EMAIL_OTP")
    assert outbox_codes(ks, pool_id, "nobody@example.com") == [], "a stand-in's code goes nowhere"
    expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid, challenge="EMAIL_OTP",
                 session=sent["Session"],
                 answers={"USERNAME": "nobody@example.com", "EMAIL_OTP_CODE": "123456"})
    expect_error(user_auth, "NotAuthorizedException", INCORRECT, idp=idp, cid=cid,
                 username="nobody@example.com", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)

    legacy_pool, legacy_cid = choice_pool(idp, pools)
    expect_error(user_auth, "UserNotFoundException", idp=idp, cid=legacy_cid, username="nobody")


def test_sign_up_sessions_sign_in_once(ks, idp, pools):
    pool_id, cid = choice_pool(idp, pools, AutoVerifiedAttributes=["email"])
    up = idp.sign_up(ClientId=cid, Username="gina", Password=PASSWORD,
                     UserAttributes=[{"Name": "email", "Value": "gina@example.com"}])
    assert up["UserConfirmed"] is False
    sign_up_session = up["Session"]
    # The SignUp session proves nothing: a sign-in with it runs as if it had none.
    plain = idp.initiate_auth(ClientId=cid, AuthFlow="USER_AUTH", Session=sign_up_session,
                              AuthParameters={"USERNAME": "gina"})
    assert plain["ChallengeName"] == "SELECT_CHALLENGE"

    confirmed = idp.confirm_sign_up(ClientId=cid, Username="gina",
                                    ConfirmationCode=latest_code(ks, pool_id, "gina", "sign_up"))
    session = confirmed["Session"]
    # Not a challenge session: answering it ends it.
    expect_error(respond, "NotAuthorizedException", idp=idp, client_id=cid, challenge="EMAIL_OTP",
                 session=session, answers={"USERNAME": "gina", "EMAIL_OTP_CODE": "123456"})

    up2 = idp.sign_up(ClientId=cid, Username="hank", Password=PASSWORD,
                      UserAttributes=[{"Name": "email", "Value": "hank@example.com"}])
    assert up2["Session"]
    confirmed2 = idp.confirm_sign_up(ClientId=cid, Username="hank",
                                     ConfirmationCode=latest_code(ks, pool_id, "hank", "sign_up"))

    def auto():
        return idp.initiate_auth(ClientId=cid, AuthFlow="USER_AUTH", Session=confirmed2["Session"],
                                 AuthParameters={"USERNAME": "hank"})

    outcomes = run_together([auto for _ in range(6)])
    signed_in = [o for o in outcomes if isinstance(o, dict)]
    assert len(signed_in) == 1, outcomes
    tokens_of(signed_in[0])
    assert all(o.response["Error"]["Code"] == "NotAuthorizedException"
               for o in outcomes if not isinstance(o, dict))


def test_classic_clients_get_no_sign_up_session(ks, idp, pools):
    pool = pools(AutoVerifiedAttributes=["email"])
    cid = app_client(idp, pool["Id"], ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["ClientId"]
    up = idp.sign_up(ClientId=cid, Username="ivy", Password=PASSWORD,
                     UserAttributes=[{"Name": "email", "Value": "ivy@example.com"}])
    assert "Session" not in up
    confirmed = idp.confirm_sign_up(ClientId=cid, Username="ivy",
                                    ConfirmationCode=latest_code(ks, pool["Id"], "ivy", "sign_up"))
    assert "Session" not in confirmed
    expect_error(user_auth, "InvalidParameterException", "USER_AUTH", idp=idp, cid=cid, username="ivy")


@pytest.mark.parametrize("tier", ["ESSENTIALS", "PLUS"])
def test_tiers_with_user_auth(idp, pools, tier):
    pool = pools(UserPoolTier=tier)
    cid = app_client(idp, pool["Id"], ["ALLOW_USER_AUTH"])["ClientId"]
    make_user(idp, pool["Id"], "jo")
    start = user_auth(idp, cid, "jo")
    assert start["AvailableChallenges"] == ["PASSWORD_SRP", "PASSWORD"]


def test_lite_pools_refuse_user_auth(idp, pools):
    pool = pools(UserPoolTier="LITE")
    cid = app_client(idp, pool["Id"], ["ALLOW_USER_AUTH"])["ClientId"]
    expect_error(user_auth, "FeatureUnavailableInTierException", idp=idp, cid=cid, username="kim")


def test_user_auth_factors_name_what_user_auth_offers(idp, pools):
    pool_id, cid = choice_pool(idp, pools)
    make_user(idp, pool_id, "lou", email="lou@example.com")
    expected = ["PASSWORD", "EMAIL_OTP"]
    admin_view = idp.admin_get_user_auth_factors(UserPoolId=pool_id, Username="lou")
    assert admin_view["Username"] == "lou"
    assert admin_view["ConfiguredUserAuthFactors"] == expected
    token = tokens_of(user_auth(idp, cid, "lou", PREFERRED_CHALLENGE="PASSWORD",
                                PASSWORD=PASSWORD))["AccessToken"]
    own = idp.get_user_auth_factors(AccessToken=token)
    assert own["ConfiguredUserAuthFactors"] == expected
    expect_error(idp.admin_get_user_auth_factors, "UserNotFoundException", UserPoolId=pool_id,
                 Username="nobody")


def test_admin_initiate_auth_runs_the_same_choice(ks, idp, pools):
    pool_id, cid = choice_pool(idp, pools)
    make_user(idp, pool_id, "max", email="max@example.com")
    start = idp.admin_initiate_auth(UserPoolId=pool_id, ClientId=cid, AuthFlow="USER_AUTH",
                                    AuthParameters={"USERNAME": "max"})
    assert start["ChallengeName"] == "SELECT_CHALLENGE"
    assert start["AvailableChallenges"] == ["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"]
    sent = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=cid, ChallengeName="SELECT_CHALLENGE", Session=start["Session"],
        ChallengeResponses={"USERNAME": "max", "ANSWER": "EMAIL_OTP"})
    challenge_of(sent, "EMAIL_OTP")
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=cid, ChallengeName="EMAIL_OTP", Session=sent["Session"],
        ChallengeResponses={"USERNAME": "max",
                            "EMAIL_OTP_CODE": latest_code(ks, pool_id, "max", "authentication")})
    tokens_of(done)
