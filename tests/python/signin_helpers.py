"""Helpers shared by the sign-in suites (test_signin_boto3.py, test_signin_pycognito.py)."""

import json
import re
import threading
import urllib.request

import jwt
import pytest
from botocore.exceptions import ClientError

from support import SrpClient, Totp, secret_hash, unique

PASSWORD = "Correct-Horse-9!"
NEW_PASSWORD = "Battery-Staple-7?"
WRONG_PASSWORD = "Wrong-Horse-9!"
PHONE = "+15555551234"
MASKED_PHONE = "+*******1234"
CODE_RE = re.compile(r"[0-9]{6}")
TOKEN_RE = re.compile(r"[A-Za-z0-9\-_=.]+")
ARN_ROLE = "arn:aws:iam::123456789012:role/keystep-sms"
SESSION_EXPIRED = "Invalid session for the user, session is expired."
INCORRECT = "Incorrect username or password."
ALL_FLOWS = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


# ---- errors --------------------------------------------------------------------------------


def error_of(excinfo):
    """(code, message, http status) of a botocore ClientError."""
    err = excinfo.value.response["Error"]
    status = excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]
    return err["Code"], err.get("Message", ""), status


def expect_error(call, name, message=None, status=400, **kwargs):
    """Calls ``call(**kwargs)``, asserts it fails with ``name`` (and ``message`` in its text)."""
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    code, text, http_status = error_of(excinfo)
    assert code == name, f"expected {name}, got {code}: {text}"
    assert http_status == status, f"{name} came with HTTP {http_status}"
    if message is not None:
        assert message in text, f"{name} message {text!r} lacks {message!r}"
    return text


# ---- pools, clients, users -----------------------------------------------------------------


def app_client(idp, pool_id, flows=None, **kwargs):
    kwargs.setdefault("ClientName", unique("app"))
    if flows is not None:
        kwargs["ExplicitAuthFlows"] = flows
    return idp.create_user_pool_client(UserPoolId=pool_id, **kwargs)["UserPoolClient"]


def set_mfa(idp, pool_id, mode="OPTIONAL", sms=False, totp=False, email=False):
    kwargs = {"UserPoolId": pool_id, "MfaConfiguration": mode}
    kwargs["SoftwareTokenMfaConfiguration"] = {"Enabled": bool(totp)}
    if sms:
        kwargs["SmsMfaConfiguration"] = {
            "SmsAuthenticationMessage": "Your sign-in code is {####}",
            "SmsConfiguration": {"SnsCallerArn": ARN_ROLE, "ExternalId": "ext"},
        }
    if email:
        kwargs["EmailMfaConfiguration"] = {
            "Message": "Your sign-in code is {####}",
            "Subject": "Sign-in code",
        }
    return idp.set_user_pool_mfa_config(**kwargs)


def make_user(idp, pool_id, username, password=PASSWORD, email=None, phone=None, extra=None,
              permanent=True):
    """A user made with AdminCreateUser (invitation suppressed), verified email/phone, and a
    permanent password (status CONFIRMED) unless ``permanent=False``."""
    attributes = []
    if email is not None:
        attributes += [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ]
    if phone is not None:
        attributes += [
            {"Name": "phone_number", "Value": phone},
            {"Name": "phone_number_verified", "Value": "true"},
        ]
    attributes += extra or []
    user = idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=attributes,
        MessageAction="SUPPRESS",
        TemporaryPassword=password if not permanent else "Temp-Pass-1234!",
    )["User"]
    if permanent:
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=password, Permanent=True
        )
    return user


def sub_of(idp, pool_id, username):
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}["sub"]


def outbox_codes(ks, pool_id, username, purpose=None):
    entries = ks.outbox(pool_id, username)
    if purpose is not None:
        entries = [e for e in entries if e["purpose"] == purpose]
    return entries


def latest_code(ks, pool_id, username, purpose=None):
    entries = outbox_codes(ks, pool_id, username, purpose)
    assert entries, f"no outbox entry for {username} ({purpose})"
    code = entries[-1]["code"]
    assert CODE_RE.fullmatch(code), f"code {code!r} is not 6 digits"
    return code


# ---- sign-in -------------------------------------------------------------------------------


def password_auth(idp, client_id, username, password=PASSWORD, client_secret=None):
    params = {"USERNAME": username, "PASSWORD": password}
    if client_secret is not None:
        params["SECRET_HASH"] = secret_hash(client_secret, username, client_id)
    return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters=params)


def admin_password_auth(idp, pool_id, client_id, username, password=PASSWORD,
                        flow="ADMIN_USER_PASSWORD_AUTH"):
    return idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow=flow,
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def srp_start(idp, pool_id, client_id, username, password=PASSWORD, client_secret=None):
    """InitiateAuth USER_SRP_AUTH: (SrpClient, response)."""
    srp = SrpClient(pool_id, password)
    params = {"USERNAME": username, "SRP_A": srp.srp_a}
    if client_secret is not None:
        params["SECRET_HASH"] = secret_hash(client_secret, username, client_id)
    resp = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
    return srp, resp


def srp_sign_in(ks, idp, pool_id, client_id, username, password=PASSWORD, client_secret=None):
    """A whole USER_SRP_AUTH exchange with the hand-written client; the final response."""
    srp, resp = srp_start(idp, pool_id, client_id, username, password, client_secret)
    assert resp["ChallengeName"] == "PASSWORD_VERIFIER", resp
    answer = srp.answer(resp["ChallengeParameters"], ks.server_now())
    if client_secret is not None:
        answer["SECRET_HASH"] = secret_hash(client_secret, answer["USERNAME"], client_id)
    kwargs = {}
    if resp.get("Session"):
        kwargs["Session"] = resp["Session"]
    return idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=answer,
        **kwargs,
    )


def respond(idp, client_id, challenge, session, answers):
    return idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName=challenge, Session=session, ChallengeResponses=answers
    )


def tokens_of(resp):
    """The AuthenticationResult of a completed sign-in, checked for its required members."""
    assert "ChallengeName" not in resp, f"expected tokens, got challenge {resp.get('ChallengeName')}"
    result = resp["AuthenticationResult"]
    for key in ("AccessToken", "IdToken", "RefreshToken"):
        assert key in result, f"AuthenticationResult lacks {key}"
        assert TOKEN_RE.fullmatch(result[key]), f"{key} has characters outside TokenModelType"
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    return result


def challenge_of(resp, name):
    """Asserts ``resp`` is challenge ``name`` with a usable Session; returns the response."""
    assert resp.get("ChallengeName") == name, (
        f"expected {name}, got {resp.get('ChallengeName')} "
        f"{'with tokens' if 'AuthenticationResult' in resp else ''}"
    )
    assert "AuthenticationResult" not in resp
    session = resp.get("Session")
    assert session and len(session) >= 20, f"{name} came without a usable Session: {session!r}"
    return resp


# ---- tokens ---------------------------------------------------------------------------------


def jwks(ks, pool_id):
    with urllib.request.urlopen(f"{ks.url}/{pool_id}/.well-known/jwks.json", timeout=10) as r:
        assert r.status == 200
        return json.loads(r.read())


def verify_jwt(ks, pool_id, token, client_id, use, keys=None):
    """Verifies an ID or access token the way pycognito does (RS256 with the served JWKS,
    ``iss``, ``exp``, ``aud`` only on ID tokens, ``token_use``) and returns its claims."""
    keys = keys or jwks(ks, pool_id)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    matching = [k for k in keys["keys"] if k["kid"] == header["kid"]]
    assert len(matching) == 1, f"kid {header['kid']} not in the pool's JWKS"
    key = jwt.PyJWK(matching[0]).key
    claims = jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        audience=client_id if use == "id" else None,
        issuer=f"{ks.url}/{pool_id}",
        options={"require": ["exp", "iat", "iss", "sub", "token_use"], "verify_iat": False},
    )
    assert claims["token_use"] == use
    if use == "access":
        assert "aud" not in claims
        assert claims["client_id"] == client_id
    return claims


def unverified_claims(token):
    return jwt.decode(token, options={"verify_signature": False})


# ---- pools and sign-ins used by several suites -------------------------------------------------


def pool_and_client(idp, pools, flows=ALL_FLOWS, pool_kwargs=None, **client_kwargs):
    pid = pools(**(pool_kwargs or {}))["Id"]
    client = app_client(idp, pid, flows=flows, **client_kwargs)
    return pid, client["ClientId"], client


def sign_in_tokens(idp, cid, username, password=PASSWORD):
    return tokens_of(password_auth(idp, cid, username, password))


def totp_user(ks, idp, cid, username, password=PASSWORD, name="my phone", wait=None):
    """Associates and verifies a TOTP secret with the user's access token; returns the Totp.

    ``wait`` is how the Totp lets time pass (see ``support.Totp``): ``ks.advance`` on a
    server whose clock stands still."""
    access = sign_in_tokens(idp, cid, username, password)["AccessToken"]
    secret = idp.associate_software_token(AccessToken=access)["SecretCode"]
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    totp = Totp(secret, ks.server_now, wait=wait)
    answer = idp.verify_software_token(AccessToken=access, UserCode=totp.code(),
                                       FriendlyDeviceName=name)
    assert answer["Status"] == "SUCCESS"
    return totp, access


def sms_mfa_setup(idp, pools, ks=None, flows=ALL_FLOWS, username="sam", **client_kwargs):
    """A pool with optional SMS MFA and a user who enabled and prefers it."""
    pid, cid, client = pool_and_client(idp, pools, flows=flows, **client_kwargs)
    set_mfa(idp, pid, "OPTIONAL", sms=True)
    make_user(idp, pid, username, phone=PHONE)
    idp.admin_set_user_mfa_preference(
        UserPoolId=pid,
        Username=username,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    return pid, cid, client


def sms_challenge(idp, cid, username="sam", password=PASSWORD, client_secret=None):
    return challenge_of(password_auth(idp, cid, username, password, client_secret), "SMS_MFA")


# ---- parallel calls ------------------------------------------------------------------------------


def run_together(calls):
    """Runs the callables on their own threads, released at the same moment by a barrier;
    returns, in order, each one's return value or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as e:  # noqa: BLE001 - handed back to the caller to judge
            results[i] = e

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def run_in_parallel(calls):
    """Runs the callables at the same moment; returns "ok" or the error code of each."""
    outcomes = []
    for result in run_together(calls):
        if isinstance(result, ClientError):
            outcomes.append(result.response["Error"]["Code"])
        elif isinstance(result, Exception):
            raise result
        else:
            outcomes.append("ok")
    return outcomes
