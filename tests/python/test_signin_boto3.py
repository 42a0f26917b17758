"""End-to-end tests of sign-in through boto3's raw operations: every flow, challenge and
error name a client keys on, with a hand-written SRP client (support.SrpClient) and TOTP
codes computed here (support.Totp).

Every test creates its own pool and app client, so MFA settings, lockouts and sign-outs
never leak between tests. Tests marked ``advances_clock`` move the server's clock forward
and run last (conftest.py); time-based values (SRP TIMESTAMP, TOTP) are computed from the
server's clock, read through KEYSTEP_CLOCK_URL.
"""

import base64
import json
import re
import time

import pytest
from botocore.exceptions import ClientError

from signin_helpers import (
    ALL_FLOWS,
    INCORRECT,
    MASKED_PHONE,
    NEW_PASSWORD,
    PASSWORD,
    PHONE,
    SESSION_EXPIRED,
    WRONG_PASSWORD,
    admin_password_auth,
    app_client,
    challenge_of,
    error_of,
    expect_error,
    jwks,
    latest_code,
    make_user,
    outbox_codes,
    password_auth,
    pool_and_client,
    respond,
    run_in_parallel,
    set_mfa,
    sign_in_tokens,
    sms_challenge,
    sms_mfa_setup,
    srp_sign_in,
    srp_start,
    sub_of,
    tokens_of,
    totp_user,
    unverified_claims,
    verify_jwt,
)
from support import SRP_N, SrpClient, Totp, attrs, cognito_timestamp, secret_hash


# ---- the hand-written helpers themselves -------------------------------------------------------


def test_srp_helper_matches_the_protocol_notes_vector():
    """The SRP client used below reproduces the end-to-end vector of protocol notes §4.8, so a
    failing SRP test points at the server, not at the helper."""
    client = SrpClient("us-east-1_XaMpLe123", "Correct-Horse-9!", a=int("7a" * 32, 16))
    params = {
        "SRP_B": (
            "5e371405f564eb3dc7d0e25245863a1ff0db8829ee6813d56a00fc3672afa314ba4e9572d1fb600441b71d"
            "6235b4d3b3bc1ef772d7f9013ae64487c167540963714a09766ec3c7d90b4bd739e30c18840d140e0a28bb"
            "831417b2481fd301674c752710591463c821df678ff9fd529cde393de6bed3e6a1c83c7e90337afea2f0b5"
            "7f11d0d975312702e876b785019044a2411ac73bb89284c1235c9a2291e50a063374ed04ad18dad68bc97f"
            "349b32abd856166222e77fb5bc1bbc2ce7adfe7fe06bc3fca1699cfabd6cd9126ae71e85f8a38e310d2da6"
            "9161b481bdc4f8e3ea688e77f97710f40dadaed79ee8418e98bfca6974c5808d62ece06f9df1285086375c"
            "412abfedbff84aa2ea2dcc032d6dbde0e0cb7101ce1207b80efc5b86e459f6325d46e8ad739ee979d6c4d9"
            "b899240e514999331500d1f76944345557a48002d19263c3def0b3553892622fc26c6b01d44a34c1fd3891"
            "5456199b661b72e357efb73a427a93ea4bbe48e6ad7a3fdb4451dd7d52c5b667046b491bd24220be"
        ),
        "SALT": "8bb7dcf905f418bf27b6623aa4d2f58f",
        "USER_ID_FOR_SRP": "alice",
        "SECRET_BLOCK": base64.b64encode(bytes(range(1, 0x31))).decode(),
    }
    assert client.key(params).hex() == "99db2c23ca5d47145bdbcb6a5f7420bd"
    assert (
        client.signature(params, "Tue Mar 3 07:05:09 UTC 2026")
        == "qIdxYJroi+3PhBC52TvFNnJ2W94bDvOXvVC22vZObkM="
    )
    assert cognito_timestamp(1772521509) == "Tue Mar 3 07:05:09 UTC 2026"


# ---- USER_PASSWORD_AUTH and the admin flow ---------------------------------------------------


def test_user_password_auth_gate_and_tokens(ks, idp, pools):
    pid = pools()["Id"]
    make_user(idp, pid, "alice", email="alice@example.com")

    # Default client flows: SRP, refresh, custom — not USER_PASSWORD_AUTH.
    default = app_client(idp, pid)["ClientId"]
    text = expect_error(password_auth, "InvalidParameterException", idp=idp, client_id=default,
                        username="alice")
    assert "not enabled" in text, text

    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    resp = password_auth(idp, cid, "alice")
    result = tokens_of(resp)
    assert "NewDeviceMetadata" not in result
    id_claims = verify_jwt(ks, pid, result["IdToken"], cid, "id")
    access = verify_jwt(ks, pid, result["AccessToken"], cid, "access")
    assert id_claims["cognito:username"] == "alice"
    assert id_claims["sub"] == access["sub"] == sub_of(idp, pid, "alice")
    assert access["username"] == "alice"
    assert access["scope"] == "aws.cognito.signin.user.admin"

    # Wrong password, missing password, admin-only flow on the public operation.
    expect_error(password_auth, "NotAuthorizedException", INCORRECT, idp=idp, client_id=cid,
                 username="alice", password=WRONG_PASSWORD)
    text = expect_error(idp.initiate_auth, "InvalidParameterException", ClientId=cid,
                        AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "alice"})
    assert "PASSWORD" in text, text
    expect_error(idp.initiate_auth, "InvalidParameterException", ClientId=cid,
                 AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD})
    expect_error(idp.initiate_auth, "InvalidParameterException", ClientId=cid,
                 AuthFlow="NO_SUCH_FLOW",
                 AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD})
    # Unknown client.
    expect_error(password_auth, "ResourceNotFoundException", idp=idp,
                 client_id="nosuchclient0000000000000a", username="alice")


def test_admin_initiate_auth(ks, idp, pools):
    pid = pools()["Id"]
    make_user(idp, pid, "bob", email="bob@example.com")
    cid = app_client(idp, pid, flows=["ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                      "ALLOW_USER_SRP_AUTH",
                                      "ALLOW_REFRESH_TOKEN_AUTH"])["ClientId"]

    for flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
        result = tokens_of(admin_password_auth(idp, pid, cid, "bob", flow=flow))
        assert verify_jwt(ks, pid, result["IdToken"], cid, "id")["cognito:username"] == "bob"

    expect_error(admin_password_auth, "NotAuthorizedException", INCORRECT, idp=idp,
                 pool_id=pid, client_id=cid, username="bob", password=WRONG_PASSWORD)
    # USER_PASSWORD_AUTH is not an admin flow.
    expect_error(admin_password_auth, "InvalidParameterException", idp=idp, pool_id=pid,
                 client_id=cid, username="bob", flow="USER_PASSWORD_AUTH")
    # The flow must be enabled on the client.
    other = app_client(idp, pid, flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    expect_error(admin_password_auth, "InvalidParameterException", idp=idp, pool_id=pid,
                 client_id=other["ClientId"], username="bob")
    # A client of another pool.
    pid2 = pools()["Id"]
    expect_error(admin_password_auth, "ResourceNotFoundException", idp=idp, pool_id=pid2,
                 client_id=cid, username="bob")

    # AdminInitiateAuth USER_SRP_AUTH + AdminRespondToAuthChallenge.
    srp = SrpClient(pid, PASSWORD)
    resp = idp.admin_initiate_auth(UserPoolId=pid, ClientId=cid, AuthFlow="USER_SRP_AUTH",
                                   AuthParameters={"USERNAME": "bob", "SRP_A": srp.srp_a})
    assert resp["ChallengeName"] == "PASSWORD_VERIFIER"
    kwargs = {"Session": resp["Session"]} if resp.get("Session") else {}
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pid, ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp.answer(resp["ChallengeParameters"], ks.server_now()), **kwargs)
    verify_jwt(ks, pid, tokens_of(done)["AccessToken"], cid, "access")


# ---- SRP by hand -------------------------------------------------------------------------------


def test_srp_exchange_by_hand(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "carol", email="carol@example.com")

    srp, resp = srp_start(idp, pid, cid, "carol")
    assert resp["ChallengeName"] == "PASSWORD_VERIFIER"
    params = resp["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == "carol"
    assert params["USERNAME"] == "carol"
    assert re.fullmatch(r"[0-9a-f]+", params["SALT"]), params["SALT"]
    assert re.fullmatch(r"[0-9a-f]+", params["SRP_B"]), "SRP_B is not lowercase hex"
    assert int(params["SRP_B"], 16) != 0
    block = params["SECRET_BLOCK"]
    assert len(block) % 4 == 0, "SECRET_BLOCK must be padded standard base64"
    base64.b64decode(block, validate=True)

    # PASSWORD_VERIFIER without a Session (as pycognito sends it).
    answer = srp.answer(params, ks.server_now())
    result = tokens_of(idp.respond_to_auth_challenge(
        ClientId=cid, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer))
    verify_jwt(ks, pid, result["IdToken"], cid, "id")

    # The same answer again: the secret block is single-use.
    expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", ClientId=cid,
                 ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer)

    # A wrong password gives a wrong proof.
    srp, resp = srp_start(idp, pid, cid, "carol")
    wrong = srp.answer(resp["ChallengeParameters"], ks.server_now(), password=WRONG_PASSWORD)
    expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", INCORRECT,
                 ClientId=cid, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=wrong)

    # A TIMESTAMP ten minutes off (either way), correctly signed, is refused.
    for offset in (600, -600):
        srp, resp = srp_start(idp, pid, cid, "carol")
        ts = cognito_timestamp(ks.server_now() + offset)
        skewed = srp.answer(resp["ChallengeParameters"], ks.server_now(), timestamp=ts)
        expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", ClientId=cid,
                     ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=skewed)

    # A garbled TIMESTAMP is refused too.
    srp, resp = srp_start(idp, pid, cid, "carol")
    garbled = srp.answer(resp["ChallengeParameters"], ks.server_now(), timestamp="yesterday")
    with pytest.raises(ClientError) as excinfo:
        idp.respond_to_auth_challenge(ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
                                      ChallengeResponses=garbled)
    assert error_of(excinfo)[0] in ("NotAuthorizedException", "InvalidParameterException")

    # A tampered secret block (signed over the tampered bytes) is refused.
    srp, resp = srp_start(idp, pid, cid, "carol")
    raw = bytearray(base64.b64decode(resp["ChallengeParameters"]["SECRET_BLOCK"]))
    raw[len(raw) // 2] ^= 0x01
    tampered = base64.b64encode(bytes(raw)).decode()
    bad = srp.answer(resp["ChallengeParameters"], ks.server_now(), secret_block=tampered)
    expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", ClientId=cid,
                 ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=bad)

    # A secret block issued to one app client is no good through another.
    other = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    srp, resp = srp_start(idp, pid, cid, "carol")
    answer = srp.answer(resp["ChallengeParameters"], ks.server_now())
    expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", ClientId=other,
                 ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer)

    # SRP_A = 0 (mod N) — 0, N, 2N — and non-hex SRP_A are refused at InitiateAuth.
    for bad_a in ("0", format(SRP_N, "x"), format(2 * SRP_N, "x"), "zz-not-hex"):
        with pytest.raises(ClientError) as excinfo:
            idp.initiate_auth(ClientId=cid, AuthFlow="USER_SRP_AUTH",
                              AuthParameters={"USERNAME": "carol", "SRP_A": bad_a})
        assert error_of(excinfo)[0] in ("InvalidParameterException", "NotAuthorizedException"), \
            (bad_a[:10], error_of(excinfo))

    # Still fine afterwards (none of that locked the user out beyond the wrong proof).
    tokens_of(srp_sign_in(ks, idp, pid, cid, "carol"))


def test_srp_with_alias_and_case_insensitive_username(ks, idp, pools):
    """In an email-as-username pool USER_ID_FOR_SRP is the sub (the canonical username) and
    the client must hash that, not what the user typed."""
    pid = pools(UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False})["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    idp.admin_create_user(
        UserPoolId=pid, Username="dana@example.com", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "dana@example.com"},
                        {"Name": "email_verified", "Value": "true"}])
    idp.admin_set_user_password(UserPoolId=pid, Username="dana@example.com", Password=PASSWORD,
                                Permanent=True)
    sub = sub_of(idp, pid, "dana@example.com")

    srp, resp = srp_start(idp, pid, cid, "Dana@Example.com")
    params = resp["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == sub
    result = tokens_of(idp.respond_to_auth_challenge(
        ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp.answer(params, ks.server_now())))
    claims = verify_jwt(ks, pid, result["IdToken"], cid, "id")
    assert claims["cognito:username"] == sub
    assert claims["email"] == "dana@example.com"
    assert claims["email_verified"] is True
    tokens_of(password_auth(idp, cid, "DANA@example.com"))


# ---- challenge sessions ----------------------------------------------------------------------


def test_session_is_single_use(ks, idp, pools):
    pid, cid, _ = sms_mfa_setup(idp, pools)
    resp = sms_challenge(idp, cid)
    params = resp["ChallengeParameters"]
    assert params["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    assert params["CODE_DELIVERY_DESTINATION"] == MASKED_PHONE
    entry = outbox_codes(ks, pid, "sam", "authentication")[-1]
    assert (entry["medium"], entry["destination"]) == ("SMS", PHONE)
    code = entry["code"]

    answers = {"USERNAME": "sam", "SMS_MFA_CODE": code}
    tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"], answers))
    expect_error(respond, "NotAuthorizedException", SESSION_EXPIRED, idp=idp, client_id=cid,
                 challenge="SMS_MFA", session=resp["Session"], answers=answers)

    # A made-up session, and a session of another client.
    expect_error(respond, "NotAuthorizedException", SESSION_EXPIRED, idp=idp, client_id=cid,
                 challenge="SMS_MFA", session="A" * 64, answers=answers)
    other = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    with pytest.raises(ClientError) as excinfo:
        respond(idp, other, "SMS_MFA", resp["Session"], {"USERNAME": "sam", "SMS_MFA_CODE": code})
    assert error_of(excinfo)[0] == "NotAuthorizedException"

    # A session answered with the wrong challenge name is not accepted either.
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    with pytest.raises(ClientError):
        respond(idp, cid, "SOFTWARE_TOKEN_MFA", resp["Session"],
                {"USERNAME": "sam", "SOFTWARE_TOKEN_MFA_CODE": code})


def test_wrong_mfa_code_then_retry_with_same_session(ks, idp, pools):
    pid, cid, _ = sms_mfa_setup(idp, pools)
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    wrong = "000000" if code != "000000" else "111111"
    expect_error(respond, "CodeMismatchException", "Invalid code or auth state for the user.",
                 idp=idp, client_id=cid, challenge="SMS_MFA", session=resp["Session"],
                 answers={"USERNAME": "sam", "SMS_MFA_CODE": wrong})
    result = tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"],
                               {"USERNAME": "sam", "SMS_MFA_CODE": code}))
    verify_jwt(ks, pid, result["AccessToken"], cid, "access")

    # A new sign-in sends a new code; the old one no longer works.
    resp = sms_challenge(idp, cid)
    new_code = latest_code(ks, pid, "sam", "authentication")
    if new_code != code:
        expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid, challenge="SMS_MFA",
                     session=resp["Session"], answers={"USERNAME": "sam", "SMS_MFA_CODE": code})
    tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"],
                      {"USERNAME": "sam", "SMS_MFA_CODE": new_code}))


def test_wrong_mfa_codes_exhaust_the_session(ks, idp, pools):
    pid, cid, _ = sms_mfa_setup(idp, pools)
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    wrong = "000000" if code != "000000" else "111111"
    names = []
    for _ in range(5):
        with pytest.raises(ClientError) as excinfo:
            respond(idp, cid, "SMS_MFA", resp["Session"], {"USERNAME": "sam", "SMS_MFA_CODE": wrong})
        names.append(error_of(excinfo)[:2])
    assert names[0][0] == "CodeMismatchException", names
    assert all(n in ("CodeMismatchException", "NotAuthorizedException") for n, _ in names), names
    # The right code is too late now.
    expect_error(respond, "NotAuthorizedException", SESSION_EXPIRED, idp=idp, client_id=cid,
                 challenge="SMS_MFA", session=resp["Session"],
                 answers={"USERNAME": "sam", "SMS_MFA_CODE": code})
    # The password was not locked out: a fresh sign-in gets its code. But five wrong
    # second factors lock the second factor itself (1 s, doubling): even the right code is
    # refused until the lock passes, and the session survives the refusal.
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    expect_error(respond, "NotAuthorizedException", "Password attempts exceeded", idp=idp,
                 client_id=cid, challenge="SMS_MFA", session=resp["Session"],
                 answers={"USERNAME": "sam", "SMS_MFA_CODE": code})
    time.sleep(1.2)
    tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"], {"USERNAME": "sam", "SMS_MFA_CODE": code}))


def test_sms_mfa_with_client_secret_and_admin_respond(ks, idp, pools):
    pid, cid, client = sms_mfa_setup(idp, pools, GenerateSecret=True)
    secret = client["ClientSecret"]
    resp = sms_challenge(idp, cid, client_secret=secret)
    code = latest_code(ks, pid, "sam", "authentication")
    # Without SECRET_HASH the answer is refused.
    expect_error(respond, "NotAuthorizedException", idp=idp, client_id=cid, challenge="SMS_MFA",
                 session=resp["Session"], answers={"USERNAME": "sam", "SMS_MFA_CODE": code})
    answers = {"USERNAME": "sam", "SMS_MFA_CODE": code,
               "SECRET_HASH": secret_hash(secret, "sam", cid)}
    tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"], answers))

    # AdminInitiateAuth -> SMS_MFA -> AdminRespondToAuthChallenge.
    resp = challenge_of(idp.admin_initiate_auth(
        UserPoolId=pid, ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "sam", "PASSWORD": PASSWORD,
                        "SECRET_HASH": secret_hash(secret, "sam", cid)}), "SMS_MFA")
    code = latest_code(ks, pid, "sam", "authentication")
    result = tokens_of(idp.admin_respond_to_auth_challenge(
        UserPoolId=pid, ClientId=cid, ChallengeName="SMS_MFA", Session=resp["Session"],
        ChallengeResponses={"USERNAME": "sam", "SMS_MFA_CODE": code,
                            "SECRET_HASH": secret_hash(secret, "sam", cid)}))
    verify_jwt(ks, pid, result["IdToken"], cid, "id")


# ---- user existence and user states -----------------------------------------------------------


def test_prevent_user_existence_errors_enabled(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools, PreventUserExistenceErrors="ENABLED")
    make_user(idp, pid, "erin", email="erin@example.com")

    expect_error(password_auth, "NotAuthorizedException", INCORRECT, idp=idp, client_id=cid,
                 username="nobody")
    expect_error(password_auth, "NotAuthorizedException", INCORRECT, idp=idp, client_id=cid,
                 username="erin", password=WRONG_PASSWORD)
    expect_error(admin_password_auth, "NotAuthorizedException", INCORRECT, idp=idp,
                 pool_id=pid, client_id=cid, username="nobody")

    # SRP: a simulated PASSWORD_VERIFIER, stable per username, whose answer fails.
    srp, first = srp_start(idp, pid, cid, "nobody")
    assert first["ChallengeName"] == "PASSWORD_VERIFIER"
    params = first["ChallengeParameters"]
    for key in ("SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"):
        assert params.get(key), f"simulated challenge lacks {key}"
    # Where the username is a plain name, a real user's USER_ID_FOR_SRP is that name.
    assert params["USER_ID_FOR_SRP"] == "nobody"
    _, second = srp_start(idp, pid, cid, "nobody")
    assert second["ChallengeParameters"]["SALT"] == params["SALT"]
    assert second["ChallengeParameters"]["USER_ID_FOR_SRP"] == params["USER_ID_FOR_SRP"]
    expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", INCORRECT,
                 ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
                 ChallengeResponses=srp.answer(params, ks.server_now()))

    # The real user still signs in.
    tokens_of(srp_sign_in(ks, idp, pid, cid, "erin"))


def test_legacy_user_existence_errors(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools, PreventUserExistenceErrors="LEGACY")
    expect_error(password_auth, "UserNotFoundException", idp=idp, client_id=cid,
                 username="nobody")
    expect_error(admin_password_auth, "UserNotFoundException", idp=idp, pool_id=pid,
                 client_id=cid, username="nobody")
    expect_error(srp_start, "UserNotFoundException", idp=idp, pool_id=pid, client_id=cid,
                 username="nobody")
    # LEGACY is also the default of a client created without the setting.
    cid2 = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    expect_error(password_auth, "UserNotFoundException", idp=idp, client_id=cid2,
                 username="nobody")


def expect_sign_in_error(ks, idp, pid, cid, username, name, message=None, password=PASSWORD):
    """The error for both USER_PASSWORD_AUTH and a full SRP exchange."""
    expect_error(password_auth, name, message, idp=idp, client_id=cid, username=username,
                 password=password)
    expect_error(srp_sign_in, name, message, ks=ks, idp=idp, pool_id=pid, client_id=cid,
                 username=username, password=password)


def test_disabled_reset_required_and_unconfirmed_users(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools, pool_kwargs={"AutoVerifiedAttributes": ["email"]})

    make_user(idp, pid, "dis", email="dis@example.com")
    session = sign_in_tokens(idp, cid, "dis")
    idp.admin_disable_user(UserPoolId=pid, Username="dis")
    expect_sign_in_error(ks, idp, pid, cid, "dis", "NotAuthorizedException", "User is disabled.")
    expect_error(admin_password_auth, "NotAuthorizedException", "User is disabled.", idp=idp,
                 pool_id=pid, client_id=cid, username="dis")
    # Disabling revokes the user's tokens.
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=session["AccessToken"])
    expect_error(idp.initiate_auth, "NotAuthorizedException", ClientId=cid,
                 AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": session["RefreshToken"]})
    idp.admin_enable_user(UserPoolId=pid, Username="dis")
    tokens_of(password_auth(idp, cid, "dis"))

    make_user(idp, pid, "reset", email="reset@example.com")
    idp.admin_reset_user_password(UserPoolId=pid, Username="reset")
    assert idp.admin_get_user(UserPoolId=pid, Username="reset")["UserStatus"] == "RESET_REQUIRED"
    expect_sign_in_error(ks, idp, pid, cid, "reset", "PasswordResetRequiredException")

    idp.sign_up(ClientId=cid, Username="unconf", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "unconf@example.com"}])
    expect_sign_in_error(ks, idp, pid, cid, "unconf", "UserNotConfirmedException",
                         "User is not confirmed.")
    idp.admin_confirm_sign_up(UserPoolId=pid, Username="unconf")
    tokens_of(password_auth(idp, cid, "unconf"))


# ---- MFA: selection, setup, TOTP ---------------------------------------------------------------


def test_select_mfa_type(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", sms=True, totp=True)
    make_user(idp, pid, "sel", phone=PHONE)
    totp, _ = totp_user(ks, idp, cid, "sel")
    idp.admin_set_user_mfa_preference(
        UserPoolId=pid, Username="sel",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False})
    user = idp.admin_get_user(UserPoolId=pid, Username="sel")
    assert sorted(user["UserMFASettingList"]) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert "PreferredMfaSetting" not in user

    resp = challenge_of(password_auth(idp, cid, "sel"), "SELECT_MFA_TYPE")
    choices = json.loads(resp["ChallengeParameters"]["MFAS_CAN_CHOOSE"])
    assert sorted(choices) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    before = len(outbox_codes(ks, pid, "sel", "authentication"))
    nxt = challenge_of(respond(idp, cid, "SELECT_MFA_TYPE", resp["Session"],
                               {"USERNAME": "sel", "ANSWER": "SOFTWARE_TOKEN_MFA"}),
                       "SOFTWARE_TOKEN_MFA")
    assert nxt["Session"] != resp["Session"]
    assert len(outbox_codes(ks, pid, "sel", "authentication")) == before, "TOTP choice sent a code"
    tokens_of(respond(idp, cid, "SOFTWARE_TOKEN_MFA", nxt["Session"],
                      {"USERNAME": "sel", "SOFTWARE_TOKEN_MFA_CODE": totp.code()}))

    resp = challenge_of(password_auth(idp, cid, "sel"), "SELECT_MFA_TYPE")
    nxt = challenge_of(respond(idp, cid, "SELECT_MFA_TYPE", resp["Session"],
                               {"USERNAME": "sel", "ANSWER": "SMS_MFA"}), "SMS_MFA")
    assert nxt["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == MASKED_PHONE
    code = latest_code(ks, pid, "sel", "authentication")
    tokens_of(respond(idp, cid, "SMS_MFA", nxt["Session"], {"USERNAME": "sel", "SMS_MFA_CODE": code}))

    # With a preference there is no selection.
    idp.admin_set_user_mfa_preference(
        UserPoolId=pid, Username="sel",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    assert idp.admin_get_user(UserPoolId=pid, Username="sel")["PreferredMfaSetting"] == \
        "SOFTWARE_TOKEN_MFA"
    challenge_of(password_auth(idp, cid, "sel"), "SOFTWARE_TOKEN_MFA")


def test_mfa_setup_with_totp(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "ON", totp=True)
    make_user(idp, pid, "setup", email="setup@example.com")

    s1 = challenge_of(password_auth(idp, cid, "setup"), "MFA_SETUP")
    assert json.loads(s1["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    assoc = idp.associate_software_token(Session=s1["Session"])
    secret = assoc["SecretCode"]
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    s2 = assoc.get("Session")
    assert s2 and len(s2) >= 20 and s2 != s1["Session"]
    totp = Totp(secret, ks.server_now)

    # A wrong code is an error (not Status ERROR), and the session survives it.
    with pytest.raises(ClientError) as excinfo:
        idp.verify_software_token(Session=s2, UserCode=totp.wrong_code(),
                                  FriendlyDeviceName="phone")
    assert error_of(excinfo)[0] in ("EnableSoftwareTokenMFAException", "CodeMismatchException")
    verified = idp.verify_software_token(Session=s2, UserCode=totp.code(),
                                         FriendlyDeviceName="phone")
    assert verified["Status"] == "SUCCESS"
    s3 = verified.get("Session")
    assert s3 and len(s3) >= 20 and s3 != s2

    result = tokens_of(respond(idp, cid, "MFA_SETUP", s3, {"USERNAME": "setup"}))
    verify_jwt(ks, pid, result["AccessToken"], cid, "access")
    user = idp.admin_get_user(UserPoolId=pid, Username="setup")
    assert user.get("UserMFASettingList") == ["SOFTWARE_TOKEN_MFA"]

    # From now on sign-in asks for the TOTP code, naming the device.
    resp = challenge_of(password_auth(idp, cid, "setup"), "SOFTWARE_TOKEN_MFA")
    assert resp["ChallengeParameters"].get("FRIENDLY_DEVICE_NAME") == "phone"
    code = totp.code()
    tokens_of(respond(idp, cid, "SOFTWARE_TOKEN_MFA", resp["Session"],
                      {"USERNAME": "setup", "SOFTWARE_TOKEN_MFA_CODE": code}))
    # The same code never works twice.
    resp = challenge_of(password_auth(idp, cid, "setup"), "SOFTWARE_TOKEN_MFA")
    expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid,
                 challenge="SOFTWARE_TOKEN_MFA", session=resp["Session"],
                 answers={"USERNAME": "setup", "SOFTWARE_TOKEN_MFA_CODE": code})
    tokens_of(respond(idp, cid, "SOFTWARE_TOKEN_MFA", resp["Session"],
                      {"USERNAME": "setup", "SOFTWARE_TOKEN_MFA_CODE": totp.code()}))


def test_mfa_setup_sessions_are_chained(ks, idp, pools):
    """MFA_SETUP cannot be completed without the Session VerifySoftwareToken returned."""
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "ON", totp=True)
    make_user(idp, pid, "chain", email="chain@example.com")
    s1 = challenge_of(password_auth(idp, cid, "chain"), "MFA_SETUP")
    with pytest.raises(ClientError):
        respond(idp, cid, "MFA_SETUP", s1["Session"], {"USERNAME": "chain"})
    expect_error(idp.associate_software_token, "NotAuthorizedException", SESSION_EXPIRED,
                 Session="B" * 64)
    s1 = challenge_of(password_auth(idp, cid, "chain"), "MFA_SETUP")
    assoc = idp.associate_software_token(Session=s1["Session"])
    with pytest.raises(ClientError):
        respond(idp, cid, "MFA_SETUP", assoc["Session"], {"USERNAME": "chain"})
    assert not idp.admin_get_user(UserPoolId=pid, Username="chain").get("UserMFASettingList")
    # Once verified, the association's Session is used up.
    s1 = challenge_of(password_auth(idp, cid, "chain"), "MFA_SETUP")
    assoc = idp.associate_software_token(Session=s1["Session"])
    totp = Totp(assoc["SecretCode"], ks.server_now)
    verified = idp.verify_software_token(Session=assoc["Session"], UserCode=totp.code())
    expect_error(idp.verify_software_token, "NotAuthorizedException", SESSION_EXPIRED,
                 Session=assoc["Session"], UserCode=totp.code())
    tokens_of(respond(idp, cid, "MFA_SETUP", verified["Session"], {"USERNAME": "chain"}))
    expect_error(respond, "NotAuthorizedException", SESSION_EXPIRED, idp=idp, client_id=cid,
                 challenge="MFA_SETUP", session=verified["Session"], answers={"USERNAME": "chain"})


def test_totp_with_access_token_and_preferences(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", totp=True)
    make_user(idp, pid, "tina", email="tina@example.com")
    access = sign_in_tokens(idp, cid, "tina")["AccessToken"]

    # Enabling TOTP before a token is verified, or SMS without a phone number: refused.
    expect_error(idp.set_user_mfa_preference, "InvalidParameterException", AccessToken=access,
                 SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})

    assoc = idp.associate_software_token(AccessToken=access)
    secret = assoc["SecretCode"]
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    totp = Totp(secret, ks.server_now)
    with pytest.raises(ClientError) as excinfo:
        idp.verify_software_token(AccessToken=access, UserCode=totp.wrong_code())
    assert error_of(excinfo)[0] in ("EnableSoftwareTokenMFAException", "CodeMismatchException")
    assert idp.verify_software_token(AccessToken=access, UserCode=totp.code(),
                                     FriendlyDeviceName="authy")["Status"] == "SUCCESS"
    # Verified but not enabled yet: OPTIONAL pool signs in without MFA.
    tokens_of(password_auth(idp, cid, "tina"))

    idp.set_user_mfa_preference(AccessToken=access,
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    me = idp.get_user(AccessToken=access)
    assert me["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert me["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    resp = challenge_of(password_auth(idp, cid, "tina"), "SOFTWARE_TOKEN_MFA")
    expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid,
                 challenge="SOFTWARE_TOKEN_MFA", session=resp["Session"],
                 answers={"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": totp.wrong_code()})
    first = totp.code()
    tokens_of(respond(idp, cid, "SOFTWARE_TOKEN_MFA", resp["Session"],
                      {"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": first}))
    # The code just used is refused in the next sign-in; a fresh one is fine.
    resp = challenge_of(password_auth(idp, cid, "tina"), "SOFTWARE_TOKEN_MFA")
    expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid,
                 challenge="SOFTWARE_TOKEN_MFA", session=resp["Session"],
                 answers={"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": first})
    tokens_of(respond(idp, cid, "SOFTWARE_TOKEN_MFA", resp["Session"],
                      {"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": totp.code()}))

    # Switching MFA off again.
    idp.set_user_mfa_preference(AccessToken=access,
                                SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False})
    tokens_of(password_auth(idp, cid, "tina"))

    # SMS preference without a phone number is refused.
    expect_error(idp.set_user_mfa_preference, "InvalidParameterException", AccessToken=access,
                 SMSMfaSettings={"Enabled": True, "PreferredMfa": True})


def test_totp_not_offered_by_the_pool(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)  # MFA off, TOTP not enabled
    make_user(idp, pid, "nototp", email="nototp@example.com")
    access = sign_in_tokens(idp, cid, "nototp")["AccessToken"]
    expect_error(idp.associate_software_token, "SoftwareTokenMFANotFoundException",
                 AccessToken=access)


def test_email_otp_mfa(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", email=True)
    make_user(idp, pid, "emma", email="emma@example.com")
    idp.admin_set_user_mfa_preference(UserPoolId=pid, Username="emma",
                                      EmailMfaSettings={"Enabled": True, "PreferredMfa": True})
    resp = challenge_of(password_auth(idp, cid, "emma"), "EMAIL_OTP")
    params = resp["ChallengeParameters"]
    assert params["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert params["CODE_DELIVERY_DESTINATION"] != "emma@example.com"
    entry = outbox_codes(ks, pid, "emma", "authentication")[-1]
    assert (entry["medium"], entry["destination"]) == ("EMAIL", "emma@example.com")
    expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid, challenge="EMAIL_OTP",
                 session=resp["Session"],
                 answers={"USERNAME": "emma",
                          "EMAIL_OTP_CODE": "000000" if entry["code"] != "000000" else "111111"})
    tokens_of(respond(idp, cid, "EMAIL_OTP", resp["Session"],
                      {"USERNAME": "emma", "EMAIL_OTP_CODE": entry["code"]}))


# ---- NEW_PASSWORD_REQUIRED ------------------------------------------------------------------


def test_new_password_required_with_required_attributes(ks, idp, pools):
    pid = pools(Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True,
                         "Mutable": True}])["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    make_user(idp, pid, "newbie", password="Temp-Pass-1234!", email="newbie@example.com",
              permanent=False)
    assert idp.admin_get_user(UserPoolId=pid, Username="newbie")["UserStatus"] == \
        "FORCE_CHANGE_PASSWORD"

    resp = challenge_of(password_auth(idp, cid, "newbie", "Temp-Pass-1234!"),
                        "NEW_PASSWORD_REQUIRED")
    params = resp["ChallengeParameters"]
    assert json.loads(params["requiredAttributes"]) == ["userAttributes.name"]
    current = json.loads(params["userAttributes"])
    assert current["email"] == "newbie@example.com"
    assert params["USER_ID_FOR_SRP"] == "newbie"

    # Missing the required attribute; a password that breaks the policy.
    with pytest.raises(ClientError) as excinfo:
        respond(idp, cid, "NEW_PASSWORD_REQUIRED", resp["Session"],
                {"USERNAME": "newbie", "NEW_PASSWORD": NEW_PASSWORD})
    assert error_of(excinfo)[0] == "InvalidParameterException", error_of(excinfo)
    # A failed answer may or may not use the session up; start over if it did.
    resp = challenge_of(password_auth(idp, cid, "newbie", "Temp-Pass-1234!"),
                        "NEW_PASSWORD_REQUIRED")
    expect_error(respond, "InvalidPasswordException", idp=idp, client_id=cid,
                 challenge="NEW_PASSWORD_REQUIRED", session=resp["Session"],
                 answers={"USERNAME": "newbie", "NEW_PASSWORD": "short",
                          "userAttributes.name": "Newbie"})
    resp = challenge_of(password_auth(idp, cid, "newbie", "Temp-Pass-1234!"),
                        "NEW_PASSWORD_REQUIRED")
    result = tokens_of(respond(idp, cid, "NEW_PASSWORD_REQUIRED", resp["Session"],
                               {"USERNAME": "newbie", "NEW_PASSWORD": NEW_PASSWORD,
                                "userAttributes.name": "New Bie"}))
    claims = verify_jwt(ks, pid, result["IdToken"], cid, "id")
    assert claims["name"] == "New Bie"
    user = idp.admin_get_user(UserPoolId=pid, Username="newbie")
    assert user["UserStatus"] == "CONFIRMED"
    assert attrs(user)["name"] == "New Bie"
    # The session is used up; the temporary password no longer works; the new one does.
    expect_error(respond, "NotAuthorizedException", SESSION_EXPIRED, idp=idp, client_id=cid,
                 challenge="NEW_PASSWORD_REQUIRED", session=resp["Session"],
                 answers={"USERNAME": "newbie", "NEW_PASSWORD": NEW_PASSWORD,
                          "userAttributes.name": "New Bie"})
    expect_error(password_auth, "NotAuthorizedException", INCORRECT, idp=idp, client_id=cid,
                 username="newbie", password="Temp-Pass-1234!")
    tokens_of(srp_sign_in(ks, idp, pid, cid, "newbie", NEW_PASSWORD))


def test_new_password_required_then_mfa(ks, idp, pools):
    """After the new password, the MFA decision still applies (MFA ON, TOTP only → setup)."""
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "ON", totp=True)
    make_user(idp, pid, "fresh", password="Temp-Pass-1234!", permanent=False)
    resp = challenge_of(password_auth(idp, cid, "fresh", "Temp-Pass-1234!"),
                        "NEW_PASSWORD_REQUIRED")
    assert json.loads(resp["ChallengeParameters"]["requiredAttributes"]) == []
    nxt = respond(idp, cid, "NEW_PASSWORD_REQUIRED", resp["Session"],
                  {"USERNAME": "fresh", "NEW_PASSWORD": NEW_PASSWORD})
    challenge_of(nxt, "MFA_SETUP")


# ---- tokens: refresh, revoke, sign-out ---------------------------------------------------------


def test_refresh_flows(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "ref", email="ref@example.com")
    first = sign_in_tokens(idp, cid, "ref")
    first_claims = verify_jwt(ks, pid, first["AccessToken"], cid, "access")

    for flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        resp = idp.initiate_auth(ClientId=cid, AuthFlow=flow,
                                 AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]})
        result = resp["AuthenticationResult"]
        assert "RefreshToken" not in result, "rotation is off: no new refresh token"
        assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 3600
        claims = verify_jwt(ks, pid, result["AccessToken"], cid, "access")
        id_claims = verify_jwt(ks, pid, result["IdToken"], cid, "id")
        assert claims["jti"] != first_claims["jti"]
        assert claims["origin_jti"] == first_claims["origin_jti"] == id_claims["origin_jti"]
        assert claims["auth_time"] == first_claims["auth_time"]
        assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == "ref"

    got = idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=cid)
    result = got["AuthenticationResult"]
    assert "RefreshToken" not in result
    claims = verify_jwt(ks, pid, result["AccessToken"], cid, "access")
    assert claims["origin_jti"] == first_claims["origin_jti"]
    verify_jwt(ks, pid, result["IdToken"], cid, "id")

    # Garbage, and a refresh token of another client.
    expect_error(idp.get_tokens_from_refresh_token, "NotAuthorizedException",
                 RefreshToken="not-a-refresh-token", ClientId=cid)
    expect_error(idp.initiate_auth, "NotAuthorizedException", ClientId=cid,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": "garbage.x.y"})
    other = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    expect_error(idp.get_tokens_from_refresh_token, "NotAuthorizedException",
                 RefreshToken=first["RefreshToken"], ClientId=other)
    # Refresh is a flow the client must allow.
    no_refresh = app_client(idp, pid, flows=["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    second = sign_in_tokens(idp, no_refresh, "ref")
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(ClientId=no_refresh, AuthFlow="REFRESH_TOKEN_AUTH",
                          AuthParameters={"REFRESH_TOKEN": second["RefreshToken"]})
    assert error_of(excinfo)[0] in ("InvalidParameterException", "NotAuthorizedException")


def test_refresh_with_client_secret(ks, idp, pools):
    pid, cid, client = pool_and_client(idp, pools, GenerateSecret=True)
    secret = client["ClientSecret"]
    make_user(idp, pid, "sec", email="sec@example.com")
    expect_error(password_auth, "NotAuthorizedException", idp=idp, client_id=cid, username="sec")
    expect_error(password_auth, "NotAuthorizedException", idp=idp, client_id=cid, username="sec",
                 client_secret="x" * len(secret))
    first = tokens_of(password_auth(idp, cid, "sec", client_secret=secret))
    sub = sub_of(idp, pid, "sec")

    # REFRESH_TOKEN_AUTH: the SECRET_HASH may be over the username or the sub.
    for name in ("sec", sub):
        resp = idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={
            "REFRESH_TOKEN": first["RefreshToken"], "SECRET_HASH": secret_hash(secret, name, cid)})
        verify_jwt(ks, pid, resp["AuthenticationResult"]["AccessToken"], cid, "access")
    expect_error(idp.initiate_auth, "NotAuthorizedException", ClientId=cid,
                 AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]})

    # GetTokensFromRefreshToken takes the raw secret.
    got = idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=cid,
                                            ClientSecret=secret)
    verify_jwt(ks, pid, got["AuthenticationResult"]["IdToken"], cid, "id")
    expect_error(idp.get_tokens_from_refresh_token, "NotAuthorizedException",
                 RefreshToken=first["RefreshToken"], ClientId=cid)
    expect_error(idp.get_tokens_from_refresh_token, "NotAuthorizedException",
                 RefreshToken=first["RefreshToken"], ClientId=cid, ClientSecret="y" * len(secret))

    # A full SRP sign-in with SECRET_HASH at both steps.
    tokens_of(srp_sign_in(ks, idp, pid, cid, "sec", client_secret=secret))


def test_revoke_token(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "rev", email="rev@example.com")
    a = sign_in_tokens(idp, cid, "rev")
    b = sign_in_tokens(idp, cid, "rev")
    a_refreshed = idp.get_tokens_from_refresh_token(RefreshToken=a["RefreshToken"],
                                                    ClientId=cid)["AuthenticationResult"]

    # Only refresh tokens can be revoked; a token of another client is not revoked.
    expect_error(idp.revoke_token, "UnsupportedTokenTypeException", Token=a["AccessToken"],
                 ClientId=cid)
    other = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    with pytest.raises(ClientError):
        idp.revoke_token(Token=a["RefreshToken"], ClientId=other)
    idp.get_user(AccessToken=a["AccessToken"])

    answer = idp.revoke_token(Token=a["RefreshToken"], ClientId=cid)
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {}

    expect_error(idp.get_tokens_from_refresh_token, "NotAuthorizedException",
                 RefreshToken=a["RefreshToken"], ClientId=cid)
    expect_error(idp.initiate_auth, "NotAuthorizedException", ClientId=cid,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": a["RefreshToken"]})
    # Every access token of that sign-in is refused, the refreshed one included.
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=a["AccessToken"])
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=a_refreshed["AccessToken"])
    # The other sign-in is untouched.
    assert idp.get_user(AccessToken=b["AccessToken"])["Username"] == "rev"
    idp.get_tokens_from_refresh_token(RefreshToken=b["RefreshToken"], ClientId=cid)
    # Revoking again is harmless.
    idp.revoke_token(Token=a["RefreshToken"], ClientId=cid)


def test_global_sign_out(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "gso", email="gso@example.com")
    a = sign_in_tokens(idp, cid, "gso")
    b = sign_in_tokens(idp, cid, "gso")
    answer = idp.global_sign_out(AccessToken=a["AccessToken"])
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {}
    for t in (a, b):
        expect_error(idp.get_user, "NotAuthorizedException", AccessToken=t["AccessToken"])
        expect_error(idp.get_tokens_from_refresh_token, "NotAuthorizedException",
                     RefreshToken=t["RefreshToken"], ClientId=cid)
    expect_error(idp.global_sign_out, "NotAuthorizedException", AccessToken=a["AccessToken"])
    # A new sign-in works.
    c = sign_in_tokens(idp, cid, "gso")
    assert idp.get_user(AccessToken=c["AccessToken"])["Username"] == "gso"


def test_admin_user_global_sign_out(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "agso", email="agso@example.com")
    make_user(idp, pid, "bystander", email="by@example.com")
    a = sign_in_tokens(idp, cid, "agso")
    other = sign_in_tokens(idp, cid, "bystander")
    idp.admin_user_global_sign_out(UserPoolId=pid, Username="agso")
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=a["AccessToken"])
    expect_error(idp.initiate_auth, "NotAuthorizedException", ClientId=cid,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": a["RefreshToken"]})
    assert idp.get_user(AccessToken=other["AccessToken"])["Username"] == "bystander"
    expect_error(idp.admin_user_global_sign_out, "UserNotFoundException", UserPoolId=pid,
                 Username="nobody")
    tokens_of(password_auth(idp, cid, "agso"))


# ---- the signed-in user's own operations -------------------------------------------------------


def test_get_user(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "gina", email="gina@example.com",
              extra=[{"Name": "name", "Value": "Gina"}])
    t = sign_in_tokens(idp, cid, "gina")
    me = idp.get_user(AccessToken=t["AccessToken"])
    assert me["Username"] == "gina"
    a = attrs(me)
    assert a["sub"] == sub_of(idp, pid, "gina")
    assert a["email"] == "gina@example.com"
    assert a["email_verified"] == "true"
    assert a["name"] == "Gina"
    assert not me.get("UserMFASettingList")

    # Not an access token: the ID token, garbage, a token signed for another pool.
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=t["IdToken"])
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken="eyJhbGciOiJub25lIn0.e30.")
    header, payload, sig = t["AccessToken"].split(".")
    claims = unverified_claims(t["AccessToken"])
    claims["username"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=f"{header}.{forged}.{sig}")


def test_update_and_verify_user_attributes(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools, pool_kwargs={"AutoVerifiedAttributes": ["email"]})
    make_user(idp, pid, "uma", email="uma@example.com")
    access = sign_in_tokens(idp, cid, "uma")["AccessToken"]

    answer = idp.update_user_attributes(AccessToken=access, UserAttributes=[
        {"Name": "email", "Value": "uma@new.example.org"}, {"Name": "name", "Value": "Uma"}])
    details = answer["CodeDeliveryDetailsList"]
    assert len(details) == 1, details
    assert details[0]["AttributeName"] == "email"
    assert details[0]["DeliveryMedium"] == "EMAIL"
    assert details[0]["Destination"] != "uma@new.example.org"
    a = attrs(idp.get_user(AccessToken=access))
    assert a["email"] == "uma@new.example.org"
    assert a["email_verified"] == "false"
    assert a["name"] == "Uma"
    entry = outbox_codes(ks, pid, "uma", "update_user_attribute")[-1]
    assert entry["destination"] == "uma@new.example.org"

    wrong = "000000" if entry["code"] != "000000" else "111111"
    expect_error(idp.verify_user_attribute, "CodeMismatchException", AccessToken=access,
                 AttributeName="email", Code=wrong)
    answer = idp.verify_user_attribute(AccessToken=access, AttributeName="email",
                                       Code=entry["code"])
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {}
    assert attrs(idp.get_user(AccessToken=access))["email_verified"] == "true"

    # A name-only change needs no verification.
    answer = idp.update_user_attributes(AccessToken=access,
                                        UserAttributes=[{"Name": "name", "Value": "Uma T."}])
    assert not answer.get("CodeDeliveryDetailsList")

    # GetUserAttributeVerificationCode -> VerifyUserAttribute.
    sent = idp.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")
    assert sent["CodeDeliveryDetails"]["AttributeName"] == "email"
    assert sent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    entry = outbox_codes(ks, pid, "uma", "verify_user_attribute")[-1]
    assert entry["destination"] == "uma@new.example.org"
    idp.verify_user_attribute(AccessToken=access, AttributeName="email", Code=entry["code"])
    # A code works once.
    with pytest.raises(ClientError) as excinfo:
        idp.verify_user_attribute(AccessToken=access, AttributeName="email", Code=entry["code"])
    assert error_of(excinfo)[0] in ("CodeMismatchException", "ExpiredCodeException")

    # DeleteUserAttributes; sub cannot be deleted; an unknown attribute cannot be set.
    idp.delete_user_attributes(AccessToken=access, UserAttributeNames=["name"])
    assert "name" not in attrs(idp.get_user(AccessToken=access))
    with pytest.raises(ClientError) as excinfo:
        idp.delete_user_attributes(AccessToken=access, UserAttributeNames=["sub"])
    assert error_of(excinfo)[0] == "InvalidParameterException"
    expect_error(idp.update_user_attributes, "InvalidParameterException", AccessToken=access,
                 UserAttributes=[{"Name": "custom:nope", "Value": "x"}])
    # The operations need a valid access token.
    expect_error(idp.update_user_attributes, "NotAuthorizedException", AccessToken="x.y.z",
                 UserAttributes=[{"Name": "name", "Value": "Nope"}])


def test_change_password(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "cp", email="cp@example.com")
    access = sign_in_tokens(idp, cid, "cp")["AccessToken"]

    expect_error(idp.change_password, "NotAuthorizedException", INCORRECT, AccessToken=access,
                 PreviousPassword=WRONG_PASSWORD, ProposedPassword=NEW_PASSWORD)
    expect_error(idp.change_password, "InvalidPasswordException", AccessToken=access,
                 PreviousPassword=PASSWORD, ProposedPassword="weak")
    answer = idp.change_password(AccessToken=access, PreviousPassword=PASSWORD,
                                 ProposedPassword=NEW_PASSWORD)
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {}

    expect_error(password_auth, "NotAuthorizedException", INCORRECT, idp=idp, client_id=cid,
                 username="cp", password=PASSWORD)
    tokens_of(password_auth(idp, cid, "cp", NEW_PASSWORD))
    tokens_of(srp_sign_in(ks, idp, pid, cid, "cp", NEW_PASSWORD))
    expect_error(idp.change_password, "NotAuthorizedException", AccessToken="x.y.z",
                 PreviousPassword=NEW_PASSWORD, ProposedPassword=PASSWORD)


def test_delete_user(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "del", email="del@example.com")
    t = sign_in_tokens(idp, cid, "del")
    answer = idp.delete_user(AccessToken=t["AccessToken"])
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {}
    expect_error(idp.admin_get_user, "UserNotFoundException", UserPoolId=pid, Username="del")
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=t["AccessToken"])
    assert error_of(excinfo)[0] in ("NotAuthorizedException", "UserNotFoundException")
    with pytest.raises(ClientError) as excinfo:
        idp.get_tokens_from_refresh_token(RefreshToken=t["RefreshToken"], ClientId=cid)
    assert error_of(excinfo)[0] in ("NotAuthorizedException", "UserNotFoundException")
    expect_error(password_auth, "UserNotFoundException", idp=idp, client_id=cid, username="del")


# ---- failed-password lockout -------------------------------------------------------------------


def test_srp_failures_count_towards_lockout(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "lock2", email="lock2@example.com")
    for _ in range(5):
        expect_error(srp_sign_in, "NotAuthorizedException", ks=ks, idp=idp, pool_id=pid,
                     client_id=cid, username="lock2", password=WRONG_PASSWORD)
    expect_error(password_auth, "NotAuthorizedException", "Password attempts exceeded", idp=idp,
                 client_id=cid, username="lock2")


@pytest.mark.advances_clock
def test_lockout_after_five_wrong_passwords(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "lock", email="lock@example.com")
    make_user(idp, pid, "other", email="other@example.com")
    for _ in range(5):
        expect_error(password_auth, "NotAuthorizedException", INCORRECT, idp=idp, client_id=cid,
                     username="lock", password=WRONG_PASSWORD)
    # Locked: the right password is refused (Cognito locks for 1 s after the 5th failure).
    expect_error(password_auth, "NotAuthorizedException", "Password attempts exceeded", idp=idp,
                 client_id=cid, username="lock")
    # Each further failure doubles the lock (2 s, then 4 s): wait out each lock, fail again.
    for wait in (1.2, 2.2):
        time.sleep(wait)
        expect_error(password_auth, "NotAuthorizedException", idp=idp, client_id=cid,
                     username="lock", password=WRONG_PASSWORD)
    # Within the 4-second lock now: every path refuses the right password.
    expect_error(password_auth, "NotAuthorizedException", "Password attempts exceeded", idp=idp,
                 client_id=cid, username="lock")
    expect_error(srp_sign_in, "NotAuthorizedException", "Password attempts exceeded", ks=ks,
                 idp=idp, pool_id=pid, client_id=cid, username="lock")
    expect_error(admin_password_auth, "NotAuthorizedException", "Password attempts exceeded",
                 idp=idp, pool_id=pid, client_id=cid, username="lock")
    tokens_of(password_auth(idp, cid, "other"))

    ks.advance(20 * 60)
    tokens_of(password_auth(idp, cid, "lock"))
    tokens_of(srp_sign_in(ks, idp, pid, cid, "lock"))


# ---- time passing --------------------------------------------------------------------------------


@pytest.mark.advances_clock
def test_challenge_session_expires(ks, idp, pools):
    pid, cid, _ = sms_mfa_setup(idp, pools, AuthSessionValidity=5)
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    ks.advance(4 * 60)  # within the client's 5 minutes
    tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"], {"USERNAME": "sam", "SMS_MFA_CODE": code}))

    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    ks.advance(6 * 60)
    expect_error(respond, "NotAuthorizedException", SESSION_EXPIRED, idp=idp, client_id=cid,
                 challenge="SMS_MFA", session=resp["Session"],
                 answers={"USERNAME": "sam", "SMS_MFA_CODE": code})

    # Default validity (3 minutes) on a client that does not set it.
    pid2, cid2, _ = sms_mfa_setup(idp, pools)
    resp = sms_challenge(idp, cid2)
    code = latest_code(ks, pid2, "sam", "authentication")
    ks.advance(3 * 60 + 10)
    expect_error(respond, "NotAuthorizedException", SESSION_EXPIRED, idp=idp, client_id=cid2,
                 challenge="SMS_MFA", session=resp["Session"],
                 answers={"USERNAME": "sam", "SMS_MFA_CODE": code})


@pytest.mark.advances_clock
def test_mfa_setup_session_expires(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "ON", totp=True)
    make_user(idp, pid, "slow", email="slow@example.com")
    s1 = challenge_of(password_auth(idp, cid, "slow"), "MFA_SETUP")
    assoc = idp.associate_software_token(Session=s1["Session"])
    ks.advance(3 * 60 + 10)
    totp = Totp(assoc["SecretCode"], ks.server_now)
    expect_error(idp.verify_software_token, "NotAuthorizedException", SESSION_EXPIRED,
                 Session=assoc["Session"], UserCode=totp.code())


@pytest.mark.advances_clock
def test_access_token_expires_but_refresh_works(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "late", email="late@example.com")
    t = sign_in_tokens(idp, cid, "late")
    ks.advance(3600 + 60)
    expect_error(idp.get_user, "NotAuthorizedException", AccessToken=t["AccessToken"])
    fresh = idp.get_tokens_from_refresh_token(RefreshToken=t["RefreshToken"],
                                              ClientId=cid)["AuthenticationResult"]
    assert idp.get_user(AccessToken=fresh["AccessToken"])["Username"] == "late"


# ---- more edges: usernames in answers, races, drift, discovery -----------------------------------


def test_challenge_answers_must_name_the_signing_in_user(ks, idp, pools):
    pid, cid, _ = sms_mfa_setup(idp, pools)
    make_user(idp, pid, "mallory", email="mallory@example.com")
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    with pytest.raises(ClientError) as excinfo:
        respond(idp, cid, "SMS_MFA", resp["Session"], {"USERNAME": "mallory", "SMS_MFA_CODE": code})
    assert error_of(excinfo)[0] in ("NotAuthorizedException", "InvalidParameterException")
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    text = expect_error(respond, "InvalidParameterException", idp=idp, client_id=cid,
                        challenge="SMS_MFA", session=resp["Session"],
                        answers={"SMS_MFA_CODE": code})
    assert "USERNAME" in text, text

    # PASSWORD_VERIFIER answered in another user's name.
    srp, start = srp_start(idp, pid, cid, "mallory")
    answer = srp.answer(start["ChallengeParameters"], ks.server_now())
    answer["USERNAME"] = "sam"
    expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", ClientId=cid,
                 ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer)


def test_alias_accepted_as_username_in_answers(ks, idp, pools):
    """Swift answers PASSWORD_VERIFIER with what the user typed, pycognito answers MFA with
    it: an alias (here the email of an email-as-username pool) must be accepted."""
    pid = pools(UsernameAttributes=["email"])["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    set_mfa(idp, pid, "OPTIONAL", sms=True)
    idp.admin_create_user(
        UserPoolId=pid, Username="ali@example.com", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ali@example.com"},
                        {"Name": "email_verified", "Value": "true"},
                        {"Name": "phone_number", "Value": PHONE},
                        {"Name": "phone_number_verified", "Value": "true"}])
    idp.admin_set_user_password(UserPoolId=pid, Username="ali@example.com", Password=PASSWORD,
                                Permanent=True)
    idp.admin_set_user_mfa_preference(UserPoolId=pid, Username="ali@example.com",
                                      SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    sub = sub_of(idp, pid, "ali@example.com")

    srp, start = srp_start(idp, pid, cid, "ali@example.com")
    answer = srp.answer(start["ChallengeParameters"], ks.server_now())
    answer["USERNAME"] = "ali@example.com"
    kwargs = {"Session": start["Session"]} if start.get("Session") else {}
    resp = challenge_of(idp.respond_to_auth_challenge(
        ClientId=cid, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer, **kwargs),
        "SMS_MFA")
    code = latest_code(ks, pid, sub, "authentication")
    result = tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"],
                               {"USERNAME": "ali@example.com", "SMS_MFA_CODE": code}))
    assert verify_jwt(ks, pid, result["IdToken"], cid, "id")["cognito:username"] == sub


def test_concurrent_answers_to_one_session(ks, idp, pools):
    """A Session (and an SRP secret block) is used once even when answered in parallel."""
    import threading

    pid, cid, _ = sms_mfa_setup(idp, pools)
    resp = sms_challenge(idp, cid)
    code = latest_code(ks, pid, "sam", "authentication")
    clients = [ks.client() for _ in range(6)]
    barrier = threading.Barrier(len(clients))
    outcomes = []

    def answer_sms(c):
        barrier.wait()
        try:
            tokens_of(respond(c, cid, "SMS_MFA", resp["Session"],
                              {"USERNAME": "sam", "SMS_MFA_CODE": code}))
            outcomes.append("tokens")
        except ClientError as e:
            outcomes.append(e.response["Error"]["Code"])

    threads = [threading.Thread(target=answer_sms, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("tokens") == 1, outcomes
    assert set(outcomes) <= {"tokens", "NotAuthorizedException"}, outcomes

    # The same for PASSWORD_VERIFIER replays of one secret block.
    make_user(idp, pid, "racer", email="racer@example.com")
    srp, start = srp_start(idp, pid, cid, "racer")
    answer = srp.answer(start["ChallengeParameters"], ks.server_now())
    barrier = threading.Barrier(len(clients))
    outcomes.clear()

    def answer_srp(c):
        barrier.wait()
        try:
            tokens_of(c.respond_to_auth_challenge(ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
                                                  ChallengeResponses=answer))
            outcomes.append("tokens")
        except ClientError as e:
            outcomes.append(e.response["Error"]["Code"])

    threads = [threading.Thread(target=answer_srp, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("tokens") == 1, outcomes
    assert set(outcomes) <= {"tokens", "NotAuthorizedException"}, outcomes


def test_totp_drift_window(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", totp=True)
    make_user(idp, pid, "drift", email="drift@example.com")
    totp, access = totp_user(ks, idp, cid, "drift")
    idp.set_user_mfa_preference(AccessToken=access,
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    resp = challenge_of(password_auth(idp, cid, "drift"), "SOFTWARE_TOKEN_MFA")
    step = int(ks.server_now() // 30)
    near = {hotp_code(totp.secret, s) for s in range(step - 1, step + 3)}
    for far in (step - 4, step + 4):
        code = hotp_code(totp.secret, far)
        if code in near:
            continue  # a collision of 6-digit codes: nothing to learn from it
        expect_error(respond, "CodeMismatchException", idp=idp, client_id=cid,
                     challenge="SOFTWARE_TOKEN_MFA", session=resp["Session"],
                     answers={"USERNAME": "drift", "SOFTWARE_TOKEN_MFA_CODE": code})
    tokens_of(respond(idp, cid, "SOFTWARE_TOKEN_MFA", resp["Session"],
                      {"USERNAME": "drift", "SOFTWARE_TOKEN_MFA_CODE": totp.code()}))


def hotp_code(secret, step):
    from support import hotp

    return hotp(secret, step)


def test_mfa_on_with_verified_phone_needs_no_setup(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "ON", sms=True)
    make_user(idp, pid, "onsms", phone=PHONE)
    resp = challenge_of(password_auth(idp, cid, "onsms"), "SMS_MFA")
    code = latest_code(ks, pid, "onsms", "authentication")
    tokens_of(respond(idp, cid, "SMS_MFA", resp["Session"], {"USERNAME": "onsms", "SMS_MFA_CODE": code}))


def test_mfa_setup_with_email(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "ON", totp=True, email=True)
    make_user(idp, pid, "mel")  # no email yet: nothing usable, so setup
    s1 = challenge_of(password_auth(idp, cid, "mel"), "MFA_SETUP")
    assert sorted(json.loads(s1["ChallengeParameters"]["MFAS_CAN_SETUP"])) == \
        ["EMAIL_OTP", "SOFTWARE_TOKEN_MFA"]
    nxt = challenge_of(respond(idp, cid, "MFA_SETUP", s1["Session"],
                               {"USERNAME": "mel", "EMAIL": "mel@example.com"}), "EMAIL_OTP")
    entry = outbox_codes(ks, pid, "mel", "authentication")[-1]
    assert (entry["medium"], entry["destination"]) == ("EMAIL", "mel@example.com")
    tokens_of(respond(idp, cid, "EMAIL_OTP", nxt["Session"],
                      {"USERNAME": "mel", "EMAIL_OTP_CODE": entry["code"]}))
    user = idp.admin_get_user(UserPoolId=pid, Username="mel")
    assert attrs(user)["email"] == "mel@example.com"
    assert attrs(user)["email_verified"] == "true"
    assert user.get("UserMFASettingList") == ["EMAIL_OTP"]
    # Next time: straight to EMAIL_OTP.
    challenge_of(password_auth(idp, cid, "mel"), "EMAIL_OTP")


def test_select_mfa_type_refuses_a_type_not_offered(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", sms=True, email=True)
    make_user(idp, pid, "pick", phone=PHONE, email="pick@example.com")
    idp.admin_set_user_mfa_preference(
        UserPoolId=pid, Username="pick",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        EmailMfaSettings={"Enabled": True, "PreferredMfa": False})
    resp = challenge_of(password_auth(idp, cid, "pick"), "SELECT_MFA_TYPE")
    assert sorted(json.loads(resp["ChallengeParameters"]["MFAS_CAN_CHOOSE"])) == \
        ["EMAIL_OTP", "SMS_MFA"]
    with pytest.raises(ClientError):
        respond(idp, cid, "SELECT_MFA_TYPE", resp["Session"],
                {"USERNAME": "pick", "ANSWER": "SOFTWARE_TOKEN_MFA"})
    resp = challenge_of(password_auth(idp, cid, "pick"), "SELECT_MFA_TYPE")
    nxt = challenge_of(respond(idp, cid, "SELECT_MFA_TYPE", resp["Session"],
                               {"USERNAME": "pick", "ANSWER": "EMAIL_OTP"}), "EMAIL_OTP")
    code = latest_code(ks, pid, "pick", "authentication")
    tokens_of(respond(idp, cid, "EMAIL_OTP", nxt["Session"],
                      {"USERNAME": "pick", "EMAIL_OTP_CODE": code}))


def test_successful_sign_in_resets_the_failure_count(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "reset", email="reset@example.com")
    for _ in range(2):
        for _ in range(4):
            expect_error(password_auth, "NotAuthorizedException", INCORRECT, idp=idp,
                         client_id=cid, username="reset", password=WRONG_PASSWORD)
        tokens_of(password_auth(idp, cid, "reset"))
    # Four more: still not locked (the count restarted at the last success).
    for _ in range(4):
        expect_error(password_auth, "NotAuthorizedException", INCORRECT, idp=idp,
                     client_id=cid, username="reset", password=WRONG_PASSWORD)
    tokens_of(password_auth(idp, cid, "reset"))


def test_legacy_explicit_auth_flow_names(ks, idp, pools):
    pid = pools()["Id"]
    make_user(idp, pid, "old", email="old@example.com")
    cid = app_client(idp, pid, flows=["USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"])["ClientId"]
    tokens_of(password_auth(idp, cid, "old"))
    tokens_of(admin_password_auth(idp, pid, cid, "old"))


def test_new_password_required_sets_writable_attributes(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "nina", password="Temp-Pass-1234!", email="nina@example.com",
              permanent=False)
    resp = challenge_of(password_auth(idp, cid, "nina", "Temp-Pass-1234!"),
                        "NEW_PASSWORD_REQUIRED")
    assert json.loads(resp["ChallengeParameters"]["requiredAttributes"]) == []
    result = tokens_of(respond(idp, cid, "NEW_PASSWORD_REQUIRED", resp["Session"],
                               {"USERNAME": "nina", "NEW_PASSWORD": NEW_PASSWORD,
                                "userAttributes.given_name": "Nina"}))
    assert verify_jwt(ks, pid, result["IdToken"], cid, "id")["given_name"] == "Nina"
    assert attrs(idp.admin_get_user(UserPoolId=pid, Username="nina"))["given_name"] == "Nina"


def test_discovery_document_matches_tokens(ks, idp, pools):
    import urllib.request

    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "oidc", email="oidc@example.com")
    result = sign_in_tokens(idp, cid, "oidc")
    with urllib.request.urlopen(f"{ks.url}/{pid}/.well-known/openid-configuration",
                                timeout=10) as r:
        doc = json.loads(r.read())
    claims = verify_jwt(ks, pid, result["IdToken"], cid, "id")
    assert doc["issuer"] == claims["iss"] == f"{ks.url}/{pid}"
    assert doc["jwks_uri"] == f"{ks.url}/{pid}/.well-known/jwks.json"
    kids = {k["kid"] for k in jwks(ks, pid)["keys"]}
    assert unverified_header_kid(result["IdToken"]) in kids
    assert unverified_header_kid(result["AccessToken"]) in kids


def unverified_header_kid(token):
    import jwt

    return jwt.get_unverified_header(token)["kid"]


def test_refreshed_tokens_carry_current_attributes_and_groups(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "rita", email="rita@example.com")
    first = sign_in_tokens(idp, cid, "rita")
    assert "cognito:groups" not in verify_jwt(ks, pid, first["IdToken"], cid, "id")
    idp.create_group(UserPoolId=pid, GroupName="staff")
    idp.admin_add_user_to_group(UserPoolId=pid, Username="rita", GroupName="staff")
    idp.admin_update_user_attributes(UserPoolId=pid, Username="rita",
                                     UserAttributes=[{"Name": "name", "Value": "Rita"}])
    fresh = idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"],
                                              ClientId=cid)["AuthenticationResult"]
    id_claims = verify_jwt(ks, pid, fresh["IdToken"], cid, "id")
    access = verify_jwt(ks, pid, fresh["AccessToken"], cid, "access")
    assert id_claims["name"] == "Rita"
    assert id_claims["cognito:groups"] == ["staff"] == access["cognito:groups"]
    # Each sign-in has its own origin_jti.
    second = sign_in_tokens(idp, cid, "rita")
    assert unverified_claims(second["AccessToken"])["origin_jti"] != \
        unverified_claims(first["AccessToken"])["origin_jti"]


def test_client_read_and_write_attributes(ks, idp, pools):
    pid = pools(Schema=[{"Name": "tier", "AttributeDataType": "Number", "Mutable": True}])["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS,
                     ReadAttributes=["email", "email_verified", "custom:tier"],
                     WriteAttributes=["email"])["ClientId"]
    full = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    make_user(idp, pid, "rw", email="rw@example.com",
              extra=[{"Name": "name", "Value": "Arr Double"},
                     {"Name": "custom:tier", "Value": "42"}])

    t = sign_in_tokens(idp, cid, "rw")
    claims = verify_jwt(ks, pid, t["IdToken"], cid, "id")
    assert claims["email"] == "rw@example.com"
    assert claims["custom:tier"] == "42", "custom attributes are strings in tokens"
    assert "name" not in claims, "the client may not read name"
    full_claims = verify_jwt(ks, pid, sign_in_tokens(idp, full, "rw")["IdToken"], full, "id")
    assert full_claims["name"] == "Arr Double"
    assert full_claims["custom:tier"] == "42"

    # Writing an attribute the client may not write.
    expect_error(idp.update_user_attributes, "NotAuthorizedException", AccessToken=t["AccessToken"],
                 UserAttributes=[{"Name": "name", "Value": "Changed"}])
    assert attrs(idp.admin_get_user(UserPoolId=pid, Username="rw"))["name"] == "Arr Double"


def test_token_validity_settings(ks, idp, pools):
    pid, cid, _ = pool_and_client(
        idp, pools, AccessTokenValidity=5, IdTokenValidity=10,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"})
    make_user(idp, pid, "val", email="val@example.com")
    result = password_auth(idp, cid, "val")["AuthenticationResult"]
    assert result["ExpiresIn"] == 300
    access = verify_jwt(ks, pid, result["AccessToken"], cid, "access")
    id_claims = verify_jwt(ks, pid, result["IdToken"], cid, "id")
    assert access["exp"] - access["iat"] == 300
    assert id_claims["exp"] - id_claims["iat"] == 600


def test_admin_refresh_and_secret_hash_checks(ks, idp, pools):
    pid, cid, client = pool_and_client(idp, pools, GenerateSecret=True)
    secret = client["ClientSecret"]
    make_user(idp, pid, "adm", email="adm@example.com")
    first = tokens_of(password_auth(idp, cid, "adm", client_secret=secret))
    resp = idp.admin_initiate_auth(
        UserPoolId=pid, ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"],
                        "SECRET_HASH": secret_hash(secret, "adm", cid)})
    verify_jwt(ks, pid, resp["AuthenticationResult"]["AccessToken"], cid, "access")

    # SRP: a wrong SECRET_HASH at InitiateAuth; none at PASSWORD_VERIFIER.
    expect_error(srp_start, "NotAuthorizedException", idp=idp, pool_id=pid, client_id=cid,
                 username="adm", client_secret="z" * len(secret))
    srp, start = srp_start(idp, pid, cid, "adm", client_secret=secret)
    answer = srp.answer(start["ChallengeParameters"], ks.server_now())
    kwargs = {"Session": start["Session"]} if start.get("Session") else {}
    expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", ClientId=cid,
                 ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer, **kwargs)


def test_tokens_of_a_deleted_user(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "gone", email="gone@example.com")
    t = sign_in_tokens(idp, cid, "gone")
    idp.admin_delete_user(UserPoolId=pid, Username="gone")
    # Same username again: the old tokens must not reach the new user.
    make_user(idp, pid, "gone", email="gone@example.com")
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=t["AccessToken"])
    assert error_of(excinfo)[0] in ("NotAuthorizedException", "UserNotFoundException")
    with pytest.raises(ClientError) as excinfo:
        idp.get_tokens_from_refresh_token(RefreshToken=t["RefreshToken"], ClientId=cid)
    assert error_of(excinfo)[0] in ("NotAuthorizedException", "UserNotFoundException")


@pytest.mark.advances_clock
def test_refresh_token_validity(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools, RefreshTokenValidity=60,
                                  TokenValidityUnits={"RefreshToken": "minutes"})
    make_user(idp, pid, "short", email="short@example.com")
    t = sign_in_tokens(idp, cid, "short")
    ks.advance(50 * 60)
    idp.get_tokens_from_refresh_token(RefreshToken=t["RefreshToken"], ClientId=cid)
    ks.advance(11 * 60)
    expect_error(idp.get_tokens_from_refresh_token, "NotAuthorizedException",
                 RefreshToken=t["RefreshToken"], ClientId=cid)


def test_parallel_wrong_passwords_all_count(ks, idp, pools):
    """Failures sent at the same moment must all be counted, or lockout is bypassed by
    sending guesses in parallel."""
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "brute", email="brute@example.com")
    clients = [ks.client() for _ in range(8)]
    outcomes = run_in_parallel([
        (lambda c=c: password_auth(c, cid, "brute", WRONG_PASSWORD)) for c in clients])
    assert set(outcomes) == {"NotAuthorizedException"}, outcomes
    expect_error(password_auth, "NotAuthorizedException", "Password attempts exceeded", idp=idp,
                 client_id=cid, username="brute")


def test_parallel_reuse_of_one_totp_code(ks, idp, pools):
    """Two sign-ins answered at the same moment with the same TOTP code: one wins."""
    pid, cid, _ = pool_and_client(idp, pools)
    set_mfa(idp, pid, "OPTIONAL", totp=True)
    make_user(idp, pid, "twin", email="twin@example.com")
    totp, access = totp_user(ks, idp, cid, "twin")
    idp.set_user_mfa_preference(AccessToken=access,
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    sessions = [challenge_of(password_auth(idp, cid, "twin"), "SOFTWARE_TOKEN_MFA")["Session"]
                for _ in range(4)]
    code = totp.code()
    clients = [ks.client() for _ in sessions]
    outcomes = run_in_parallel([
        (lambda c=c, s=s: tokens_of(respond(c, cid, "SOFTWARE_TOKEN_MFA", s,
                                            {"USERNAME": "twin", "SOFTWARE_TOKEN_MFA_CODE": code})))
        for c, s in zip(clients, sessions)])
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) <= {"ok", "CodeMismatchException"}, outcomes


def test_unicode_password(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    pw = "Pässwörd-Ünïcode-9€"
    make_user(idp, pid, "uni", password=pw, email="uni@example.com")
    tokens_of(password_auth(idp, cid, "uni", pw))
    tokens_of(srp_sign_in(ks, idp, pid, cid, "uni", pw))
    expect_error(srp_sign_in, "NotAuthorizedException", INCORRECT, ks=ks, idp=idp, pool_id=pid,
                 client_id=cid, username="uni", password=pw.encode().decode("latin-1"))


def test_sign_in_with_alias_attributes(ks, idp, pools):
    pid = pools(AliasAttributes=["email", "preferred_username"])["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS)["ClientId"]
    make_user(idp, pid, "zed", email="zed@example.com",
              extra=[{"Name": "preferred_username", "Value": "zeddy"}])
    make_user(idp, pid, "yul", extra=[{"Name": "email", "Value": "yul@example.com"}])  # unverified

    for typed in ("zed", "zed@example.com", "zeddy"):
        result = tokens_of(password_auth(idp, cid, typed))
        assert verify_jwt(ks, pid, result["IdToken"], cid, "id")["cognito:username"] == "zed"
        srp, start = srp_start(idp, pid, cid, typed)
        assert start["ChallengeParameters"]["USER_ID_FOR_SRP"] == "zed"
        tokens_of(idp.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=srp.answer(start["ChallengeParameters"], ks.server_now())))
    # An unverified email is not an alias.
    expect_error(password_auth, "UserNotFoundException", idp=idp, client_id=cid,
                 username="yul@example.com")
    tokens_of(password_auth(idp, cid, "yul"))


def test_email_change_kept_until_verified(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools, pool_kwargs={
        "AutoVerifiedAttributes": ["email"],
        "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]}})
    described = idp.describe_user_pool(UserPoolId=pid)["UserPool"]
    assert described.get("UserAttributeUpdateSettings") == {
        "AttributesRequireVerificationBeforeUpdate": ["email"]}, described.get(
            "UserAttributeUpdateSettings")
    make_user(idp, pid, "kept", email="kept@example.com")
    access = sign_in_tokens(idp, cid, "kept")["AccessToken"]
    answer = idp.update_user_attributes(AccessToken=access, UserAttributes=[
        {"Name": "email", "Value": "kept@new.example.org"}])
    assert answer["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    a = attrs(idp.get_user(AccessToken=access))
    assert a["email"] == "kept@example.com"
    assert a["email_verified"] == "true"
    entry = outbox_codes(ks, pid, "kept", "update_user_attribute")[-1]
    assert entry["destination"] == "kept@new.example.org"
    idp.verify_user_attribute(AccessToken=access, AttributeName="email", Code=entry["code"])
    a = attrs(idp.get_user(AccessToken=access))
    assert a["email"] == "kept@new.example.org"
    assert a["email_verified"] == "true"


def test_srp_values_with_leading_zero_bytes(ks, idp, pools):
    """Sign in over and over with fresh salts and B values until a salt and an SRP_B whose
    top byte is zero have both come up (1 in 256 each): PAD() must treat them as integers.
    Bounded in time; every sign-in on the way must succeed."""
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "pad", email="pad@example.com")
    seen_salt = seen_b = False
    deadline = time.monotonic() + 60
    n = 0
    while not (seen_salt and seen_b) and time.monotonic() < deadline:
        n += 1
        pw = f"{PASSWORD}{n}"
        idp.admin_set_user_password(UserPoolId=pid, Username="pad", Password=pw, Permanent=True)
        srp, start = srp_start(idp, pid, cid, "pad", pw)
        params = start["ChallengeParameters"]
        salt, b = params["SALT"], params["SRP_B"]
        if int(salt, 16) < 1 << 120:  # the top byte of a 16-byte salt is zero
            seen_salt = True
        if int(b, 16) < 1 << (3072 - 8):  # the top byte of a 384-byte B is zero
            seen_b = True
        result = idp.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=srp.answer(params, ks.server_now()))
        assert "AuthenticationResult" in result, (n, salt, len(b))
    print(f"leading-zero probe: {n} sign-ins, zero-led salt seen={seen_salt}, B seen={seen_b}")
