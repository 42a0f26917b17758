"""Adversarial end-to-end tests of the abuse limits, through boto3 and raw HTTP.

Each test re-runs an attack and asserts the refusal at the documented limit, with Cognito's
error names and messages:

* hourly budgets per user: 5 code requests per purpose (ForgotPassword,
  ResendConfirmationCode, GetUserAttributeVerificationCode), 15 code answers per purpose
  across re-issued codes, 5 ChangePassword calls, 20 sign-in codes; rolling windows;
* per code: 4 wrong answers are CodeMismatch, the 5th TooManyFailedAttempts, then
  ExpiredCode; per Session: at most 5 answers are judged;
* lockouts: 5 failed passwords (ChangePassword's wrong PreviousPassword included), 5 failed
  second factors across sessions;
* parallel bursts counted one by one; codes bound to the address they were sent to; no user
  existence leaks; nothing minted for a user disabled, deleted or signed out mid-sign-in.

The server's clock stands still (``e2e_abuse_python.rs``): a burst at one instant meets
exactly the limit, and time passes only through ``ks.advance``. Every test has its own pool,
so one test's counters and clock moves cannot help or hurt another's.
"""

import collections
import http.server
import json
import math
import random
import re
import threading

import pytest
from botocore.exceptions import ClientError

from signin_helpers import (
    ALL_FLOWS,
    INCORRECT,
    NEW_PASSWORD,
    PASSWORD,
    PHONE,
    SESSION_EXPIRED,
    WRONG_PASSWORD,
    admin_password_auth,
    app_client,
    challenge_of,
    latest_code,
    make_user,
    outbox_codes,
    password_auth,
    pool_and_client,
    respond,
    run_together,
    set_mfa,
    sign_in_tokens,
    sms_challenge,
    sms_mfa_setup,
    srp_start,
    sub_of,
    tokens_of,
    totp_user,
)
from support import attrs, cognito_timestamp

HOUR = 3600
LIMIT = ("LimitExceededException", "Attempt limit exceeded, please try after some time.")
LOCKED = ("NotAuthorizedException", "Password attempts exceeded")
WRONG_PW = ("NotAuthorizedException", INCORRECT)
EXPIRED_SESSION = ("NotAuthorizedException", SESSION_EXPIRED)
MISMATCH = ("CodeMismatchException", "Invalid verification code provided, please try again.")
TOO_MANY = ("TooManyFailedAttemptsException",
            "Too many failed attempts. Please request a new code.")
EXPIRED_CODE = ("ExpiredCodeException", "Invalid code provided, please request a code again.")
MFA_MISMATCH = ("CodeMismatchException", "Invalid code or auth state for the user.")
OK = ("ok", "")
EMAIL_POOL = {"AutoVerifiedAttributes": ["email"]}
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# ---- outcomes ---------------------------------------------------------------------------------


def attempt(call, **kwargs):
    """``("ok", "")`` or ``(error code, message)`` of one boto3 call."""
    try:
        call(**kwargs)
    except ClientError as e:
        err = e.response["Error"]
        return (err["Code"], err.get("Message", ""))
    return OK


def wrong_codes(right, n):
    """``n`` distinct six-digit codes, none of them ``right``."""
    candidates = (f"{i:06d}" for i in range(100003, 1000000, 7919))
    return [c for c in candidates if c != right][:n]


def raw_outcome(result):
    """``(HTTP status, __type or "ok", message, body)`` of one ``ks.raw`` answer."""
    if isinstance(result, Exception):
        raise result
    status, _, body = result
    if status == 200:
        return (status, "ok", "", body)
    if isinstance(body, dict):
        return (status, body.get("__type"), body.get("message", ""), body)
    return (status, None, str(body), body)


def burst(ks, target, bodies):
    """Sends the unsigned requests all at once (one thread and connection each, released
    together); returns their outcomes (``raw_outcome``), in order."""
    return [raw_outcome(r) for r in run_together([lambda b=b: ks.raw(target, b) for b in bodies])]


def assert_no_server_errors(outcomes):
    """No 5xx, no dropped connection, no ConcurrentModification leaking out of a race."""
    for status, name, message, _ in outcomes:
        assert status is not None and status < 500, (status, name, message)
        assert name != "ConcurrentModificationException", (status, name, message)


def mask_shape(destination):
    """A masked destination with its letters and digits blanked: ``x***@x***``, ``+*******xxxx``."""
    return re.sub(r"[A-Za-z0-9]", "x", destination)


def delivery_shape(details):
    return (details["DeliveryMedium"], details["AttributeName"], mask_shape(details["Destination"]))


def sms_body(cid, session, code, username="sam"):
    return {"ClientId": cid, "ChallengeName": "SMS_MFA", "Session": session,
            "ChallengeResponses": {"USERNAME": username, "SMS_MFA_CODE": code}}


def password_body(cid, username, password):
    return {"ClientId": cid, "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": username, "PASSWORD": password}}


# ---- the three code families: request a code, answer it ----------------------------------------


class Family:
    """A kind of code a user asks for and answers: ForgotPassword + ConfirmForgotPassword,
    ResendConfirmationCode + ConfirmSignUp, GetUserAttributeVerificationCode +
    VerifyUserAttribute. ``setup`` makes a pool and a user; ``refresh`` is called after the
    clock moved (tokens expire)."""

    purposes = ()
    has_code_at_start = False

    def __init__(self, ks, idp, pools):
        self.ks, self.idp = ks, idp
        self.setup(pools)

    def refresh(self):
        pass

    def code(self):
        entries = [e for e in outbox_codes(self.ks, self.pid, self.user)
                   if e["purpose"] in self.purposes]
        assert entries, f"no {self.purposes} message for {self.user}"
        return entries[-1]["code"]

    def sent(self):
        return len([e for e in outbox_codes(self.ks, self.pid, self.user)
                    if e["purpose"] in self.purposes])


class Forgot(Family):
    purposes = ("forgot_password",)

    def setup(self, pools):
        self.pid, self.cid, _ = pool_and_client(self.idp, pools, pool_kwargs=EMAIL_POOL)
        self.user = "fran"
        make_user(self.idp, self.pid, self.user, email="fran@example.com")

    def request(self):
        return self.idp.forgot_password(ClientId=self.cid, Username=self.user)

    def answer(self, code):
        return self.idp.confirm_forgot_password(ClientId=self.cid, Username=self.user,
                                                ConfirmationCode=code, Password=NEW_PASSWORD)

    def done(self):
        """Whether the new password is set. Asked with the old password: while that is still
        right, asking leaves no failure on the lockout behind."""
        outcome = attempt(password_auth, idp=self.idp, client_id=self.cid,
                          username=self.user, password=PASSWORD)
        assert outcome in (OK, WRONG_PW), outcome
        return outcome == WRONG_PW


class SignUp(Family):
    purposes = ("sign_up", "resend_code")
    has_code_at_start = True

    def setup(self, pools):
        self.pid, self.cid, _ = pool_and_client(self.idp, pools, pool_kwargs=EMAIL_POOL)
        self.user = "sue"
        answer = self.idp.sign_up(ClientId=self.cid, Username=self.user, Password=PASSWORD,
                                  UserAttributes=[{"Name": "email", "Value": "sue@example.com"}])
        assert answer["UserConfirmed"] is False
        assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"

    def request(self):
        return self.idp.resend_confirmation_code(ClientId=self.cid, Username=self.user)

    def answer(self, code):
        return self.idp.confirm_sign_up(ClientId=self.cid, Username=self.user,
                                        ConfirmationCode=code)

    def done(self):
        user = self.idp.admin_get_user(UserPoolId=self.pid, Username=self.user)
        return user["UserStatus"] == "CONFIRMED"


class Attribute(Family):
    purposes = ("verify_user_attribute",)

    def setup(self, pools):
        self.pid, self.cid, _ = pool_and_client(self.idp, pools)
        self.user = "vic"
        make_user(self.idp, self.pid, self.user,
                  extra=[{"Name": "email", "Value": "vic@example.com"}])
        self.refresh()

    def refresh(self):
        self.access = sign_in_tokens(self.idp, self.cid, self.user)["AccessToken"]

    def request(self):
        return self.idp.get_user_attribute_verification_code(AccessToken=self.access,
                                                             AttributeName="email")

    def answer(self, code):
        return self.idp.verify_user_attribute(AccessToken=self.access, AttributeName="email",
                                              Code=code)

    def done(self):
        return attrs(self.idp.get_user(AccessToken=self.access)).get("email_verified") == "true"


FAMILIES = [Forgot, SignUp, Attribute]
FAMILY_IDS = ["forgot_password", "sign_up", "attribute"]


@pytest.mark.parametrize("family", FAMILIES, ids=FAMILY_IDS)
def test_code_requests_thirty_in_a_row(ks, idp, pools, family):
    """Thirty requests at one instant: five codes are sent, the rest are refused and send
    nothing; an hour after them the budget is back."""
    f = family(ks, idp, pools)
    before = f.sent()
    outcomes = []
    for _ in range(30):
        try:
            details = f.request()["CodeDeliveryDetails"]
            assert details["DeliveryMedium"] == "EMAIL", details
            assert details["AttributeName"] == "email", details
            assert mask_shape(details["Destination"]) == "x***@x***", details
            outcomes.append(OK)
        except ClientError as e:
            outcomes.append((e.response["Error"]["Code"], e.response["Error"]["Message"]))
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert outcomes == [OK] * 5 + [LIMIT] * 25, outcomes
    assert f.sent() == before + 5, "a refused request must send nothing"
    last = f.code()

    ks.advance(HOUR - 1)
    f.refresh()
    assert attempt(f.request) == LIMIT, "the budget came back before the hour was over"
    ks.advance(1)
    f.refresh()
    assert [attempt(f.request) for _ in range(6)] == [OK] * 5 + [LIMIT]
    assert f.sent() == before + 10
    newest = f.code()
    if newest != last:
        assert attempt(f.answer, code=last) in (MISMATCH, EXPIRED_CODE), \
            "a code replaced by a newer one must not work"
    f.answer(newest)
    assert f.done()


def test_forgot_password_budget_returns_one_at_a_time(ks, idp, pools):
    """Requests spread over 40 minutes: each use comes back exactly an hour after it was
    made, not all at once, and refused requests do not count."""
    f = Forgot(ks, idp, pools)
    for i in range(5):
        if i:
            ks.advance(600)
        assert attempt(f.request) == OK
    assert [attempt(f.request) for _ in range(3)] == [LIMIT] * 3  # t0+40m
    ks.advance(20 * 60 - 1)  # t0+60m-1s
    assert attempt(f.request) == LIMIT
    ks.advance(1)  # t0+60m: the first use left the window, only it
    assert [attempt(f.request) for _ in range(2)] == [OK, LIMIT]
    ks.advance(600)  # t0+70m: the second use left
    assert [attempt(f.request) for _ in range(2)] == [OK, LIMIT]
    assert f.sent() == 7


@pytest.mark.parametrize("family", FAMILIES, ids=FAMILY_IDS)
def test_code_guessing_across_reissued_codes(ks, idp, pools, family):
    """Per code: 4 wrong answers are CodeMismatch, the 5th TooManyFailedAttempts, then
    ExpiredCode until a new code. Across codes: 15 answers an hour, then LimitExceeded even
    for the right code (which keeps its last attempt: a refused answer is not judged)."""
    f = family(ks, idp, pools)
    # t0: the first code; 6 answers.
    if not f.has_code_at_start:
        f.request()
    code = f.code()
    guesses = wrong_codes(code, 5)
    seq = [attempt(f.answer, code=g) for g in guesses] + [attempt(f.answer, code=code)]
    assert seq == [MISMATCH] * 4 + [TOO_MANY, EXPIRED_CODE], seq

    # t0+10m: a new code; 5 more answers (11).
    ks.advance(600)
    f.refresh()
    f.request()
    code = f.code()
    seq = [attempt(f.answer, code=g) for g in wrong_codes(code, 5)]
    assert seq == [MISMATCH] * 4 + [TOO_MANY], seq

    # t0+20m: a third code; 4 wrong answers (15), then the right one is refused.
    ks.advance(600)
    f.refresh()
    f.request()
    code = f.code()
    seq = [attempt(f.answer, code=g) for g in wrong_codes(code, 4)]
    assert seq == [MISMATCH] * 4, seq
    assert attempt(f.answer, code=code) == LIMIT, "the 16th answer in the hour was judged"
    assert attempt(f.answer, code=wrong_codes(code, 1)[0]) == LIMIT
    assert not f.done()

    # t0+60m: the six answers of t0 left the window; the code still has its fifth attempt.
    ks.advance(40 * 60)
    f.refresh()
    assert attempt(f.answer, code=code) == OK
    assert f.done()


# ---- ChangePassword ---------------------------------------------------------------------------


def test_change_password_five_per_hour(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "cora", email="cora@example.com")
    access = sign_in_tokens(idp, cid, "cora")["AccessToken"]
    current = PASSWORD
    for _ in range(5):
        proposed = NEW_PASSWORD if current == PASSWORD else PASSWORD
        idp.change_password(AccessToken=access, PreviousPassword=current,
                            ProposedPassword=proposed)
        current = proposed
    proposed = NEW_PASSWORD if current == PASSWORD else PASSWORD
    assert attempt(idp.change_password, AccessToken=access, PreviousPassword=current,
                   ProposedPassword=proposed) == LIMIT
    # Past the budget a wrong previous password is refused unjudged: it does not count
    # toward the lockout either.
    for _ in range(5):
        assert attempt(idp.change_password, AccessToken=access, PreviousPassword=WRONG_PASSWORD,
                       ProposedPassword=proposed) == LIMIT
    tokens_of(password_auth(idp, cid, "cora", current))

    ks.advance(HOUR)
    access = sign_in_tokens(idp, cid, "cora", current)["AccessToken"]
    idp.change_password(AccessToken=access, PreviousPassword=current, ProposedPassword=proposed)
    tokens_of(password_auth(idp, cid, "cora", proposed))


def test_wrong_previous_password_counts_toward_the_lockout(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    # One wrong PreviousPassword and four wrong sign-ins: five failures.
    make_user(idp, pid, "lena", email="lena@example.com")
    access = sign_in_tokens(idp, cid, "lena")["AccessToken"]
    assert attempt(idp.change_password, AccessToken=access, PreviousPassword=WRONG_PASSWORD,
                   ProposedPassword=NEW_PASSWORD) == WRONG_PW
    for _ in range(4):
        assert attempt(password_auth, idp=idp, client_id=cid, username="lena",
                       password=WRONG_PASSWORD) == WRONG_PW
    assert attempt(password_auth, idp=idp, client_id=cid, username="lena") == LOCKED
    # ChangePassword with the right previous password is refused during the lock as well.
    assert attempt(idp.change_password, AccessToken=access, PreviousPassword=PASSWORD,
                   ProposedPassword=NEW_PASSWORD) == LOCKED
    ks.advance(1)
    tokens_of(password_auth(idp, cid, "lena"))

    # Five wrong PreviousPasswords alone lock the sign-in; the sixth call is over budget.
    make_user(idp, pid, "lars", email="lars@example.com")
    access = sign_in_tokens(idp, cid, "lars")["AccessToken"]
    seq = [attempt(idp.change_password, AccessToken=access, PreviousPassword=WRONG_PASSWORD,
                   ProposedPassword=NEW_PASSWORD) for _ in range(6)]
    assert seq == [WRONG_PW] * 5 + [LIMIT], seq
    assert attempt(password_auth, idp=idp, client_id=cid, username="lars") == LOCKED
    assert attempt(admin_password_auth, idp=idp, pool_id=pid, client_id=cid,
                   username="lars") == LOCKED
    ks.advance(1)
    tokens_of(password_auth(idp, cid, "lars"))


# ---- parallel bursts ----------------------------------------------------------------------------


def test_sixty_parallel_wrong_sms_codes_on_one_session(ks, idp, pools):
    pid, cid, _ = sms_mfa_setup(idp, pools)
    session = sms_challenge(idp, cid)["Session"]
    code = latest_code(ks, pid, "sam", "authentication")
    wrong = wrong_codes(code, 1)[0]
    outcomes = burst(ks, "RespondToAuthChallenge", [sms_body(cid, session, wrong)] * 60)
    assert_no_server_errors(outcomes)
    names = collections.Counter((name, message) for _, name, message, _ in outcomes)
    assert set(names) <= {MFA_MISMATCH, EXPIRED_SESSION}, names
    assert 1 <= names[MFA_MISMATCH] <= 4, names
    assert names[EXPIRED_SESSION] == 60 - names[MFA_MISMATCH], names
    assert all(status == 400 for status, *_ in outcomes)

    # The session is over: the right code is refused, and nothing was minted.
    assert attempt(respond, idp=idp, client_id=cid, challenge="SMS_MFA", session=session,
                   answers={"USERNAME": "sam", "SMS_MFA_CODE": code}) == EXPIRED_SESSION
    # Five answers were judged wrong: five second-factor failures for the user, so the
    # right code of a new sign-in is refused until the lock passes.
    session = sms_challenge(idp, cid)["Session"]
    code = latest_code(ks, pid, "sam", "authentication")
    answers = {"USERNAME": "sam", "SMS_MFA_CODE": code}
    assert attempt(respond, idp=idp, client_id=cid, challenge="SMS_MFA", session=session,
                   answers=answers) == LOCKED
    ks.advance(1)
    tokens_of(respond(idp, cid, "SMS_MFA", session, answers))


def test_parallel_wrong_sms_codes_with_the_right_one(ks, idp, pools):
    """The right code sent among wrong ones either gets tokens or loses the race exactly as
    a wrong answer would: never an error of its own, never two sets of tokens."""
    pid, cid, _ = sms_mfa_setup(idp, pools)
    rng = random.Random(7)
    for _ in range(3):
        session = sms_challenge(idp, cid)["Session"]
        code = latest_code(ks, pid, "sam", "authentication")
        bodies = [sms_body(cid, session, w) for w in wrong_codes(code, 20)]
        right_at = rng.randrange(len(bodies) + 1)
        bodies.insert(right_at, sms_body(cid, session, code))
        outcomes = burst(ks, "RespondToAuthChallenge", bodies)
        assert_no_server_errors(outcomes)
        right = outcomes.pop(right_at)
        wrong = {(name, message) for _, name, message, _ in outcomes}
        assert all(status == 400 for status, *_ in outcomes), outcomes
        assert wrong <= {MFA_MISMATCH, EXPIRED_SESSION}, wrong
        if right[0] == 200:
            tokens_of(right[3])
        else:
            assert (right[1], right[2]) in wrong, (right, wrong)
        # Fifteen quiet minutes: whatever the burst counted against the user is forgotten.
        ks.advance(16 * 60)


FACTORS = ["sms", "totp"]


class SecondFactor:
    """Sign-ins of one user whose second factor is an SMS code or a TOTP code."""

    def __init__(self, ks, idp, pools, kind):
        self.ks, self.idp, self.kind = ks, idp, kind
        if kind == "sms":
            self.pid, self.cid, _ = sms_mfa_setup(idp, pools)
            self.user, self.challenge, self.key = "sam", "SMS_MFA", "SMS_MFA_CODE"
        else:
            self.pid, self.cid, _ = pool_and_client(idp, pools)
            set_mfa(idp, self.pid, "OPTIONAL", totp=True)
            self.user, self.challenge, self.key = "tom", "SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE"
            make_user(idp, self.pid, self.user, email="tom@example.com")
            # The clock stands still: a TOTP step passes when the test moves it.
            self.totp, access = totp_user(ks, idp, self.cid, self.user,
                                          wait=lambda s: ks.advance(math.ceil(s)))
            idp.set_user_mfa_preference(
                AccessToken=access,
                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})

    def start(self):
        """A sign-in with the right password, up to the second factor: its Session."""
        resp = password_auth(self.idp, self.cid, self.user)
        return challenge_of(resp, self.challenge)["Session"]

    def right(self):
        if self.kind == "sms":
            return latest_code(self.ks, self.pid, self.user, "authentication")
        return self.totp.code()

    def wrong(self):
        if self.kind == "sms":
            return wrong_codes(self.right(), 1)[0]
        return self.totp.wrong_code()

    def answer(self, session, code):
        return respond(self.idp, self.cid, self.challenge, session,
                       {"USERNAME": self.user, self.key: code})


@pytest.mark.parametrize("kind", FACTORS)
def test_second_factor_failures_count_across_sessions(ks, idp, pools, kind):
    f = SecondFactor(ks, idp, pools, kind)
    # Five sign-ins, each with the right password and one wrong code.
    for _ in range(5):
        session = f.start()
        assert attempt(f.answer, session=session, code=f.wrong()) == MFA_MISMATCH
    # The sixth: the right password still gets its challenge (a right password does not
    # forgive second-factor failures) but the right code is refused during the lock.
    session = f.start()
    right = f.right()
    assert attempt(f.answer, session=session, code=right) == LOCKED
    assert attempt(f.answer, session=session, code=right) == LOCKED
    # Refused unjudged: the lock is not extended, the code not used, the session kept.
    ks.advance(1)
    tokens_of(f.answer(session, right))
    # That completed sign-in cleared the count: four more failures do not lock the fifth.
    for _ in range(4):
        session = f.start()
        assert attempt(f.answer, session=session, code=f.wrong()) == MFA_MISMATCH
    tokens_of(f.answer(f.start(), f.right()))


def test_twenty_parallel_wrong_passwords(ks, idp, pools):
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "brute", email="brute@example.com")
    outcomes = burst(ks, "InitiateAuth", [password_body(cid, "brute", WRONG_PASSWORD)] * 20)
    assert_no_server_errors(outcomes)
    names = collections.Counter((name, message) for _, name, message, _ in outcomes)
    assert names == {WRONG_PW: 5, LOCKED: 15}, names
    assert attempt(password_auth, idp=idp, client_id=cid, username="brute") == LOCKED
    ks.advance(1)
    tokens_of(password_auth(idp, cid, "brute"))


def test_parallel_wrong_passwords_across_flows_share_one_lock(ks, idp, pools):
    """USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and SRP proofs sent together: five are
    judged in all, whatever the flow."""
    pid, cid, _ = pool_and_client(idp, pools)
    make_user(idp, pid, "mixed", email="mixed@example.com")
    srp_answers = []
    for _ in range(8):
        srp, start = srp_start(idp, pid, cid, "mixed", password=WRONG_PASSWORD)
        srp_answers.append({"ClientId": cid, "ChallengeName": "PASSWORD_VERIFIER",
                            "ChallengeResponses": srp.answer(start["ChallengeParameters"],
                                                             ks.server_now())})
    admin_body = {"UserPoolId": pid, "ClientId": cid, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                  "AuthParameters": {"USERNAME": "mixed", "PASSWORD": WRONG_PASSWORD}}
    calls = [lambda b=b: ks.raw("RespondToAuthChallenge", b) for b in srp_answers]
    calls += [lambda: ks.raw("InitiateAuth", password_body(cid, "mixed", WRONG_PASSWORD))] * 8
    calls += [lambda: ks.signed_raw("AdminInitiateAuth", admin_body)] * 8
    outcomes = [raw_outcome(r) for r in run_together(calls)]
    assert_no_server_errors(outcomes)
    names = collections.Counter((name, message) for _, name, message, _ in outcomes)
    assert names == {WRONG_PW: 5, LOCKED: 19}, names
    ks.advance(1)
    tokens_of(password_auth(idp, cid, "mixed"))


# ---- sign-in codes ----------------------------------------------------------------------------


def test_sign_in_codes_twenty_per_hour(ks, idp, pools):
    pid, cid, _ = sms_mfa_setup(idp, pools)
    for _ in range(20):
        sms_challenge(idp, cid)
    assert len(outbox_codes(ks, pid, "sam", "authentication")) == 20
    assert attempt(password_auth, idp=idp, client_id=cid, username="sam") == LIMIT
    assert len(outbox_codes(ks, pid, "sam", "authentication")) == 20
    ks.advance(HOUR)
    session = sms_challenge(idp, cid)["Session"]
    tokens_of(respond(idp, cid, "SMS_MFA", session,
                      {"USERNAME": "sam", "SMS_MFA_CODE": latest_code(ks, pid, "sam",
                                                                     "authentication")}))


def test_right_password_over_the_sign_in_code_budget_is_not_a_failure(ks, idp, pools):
    pid, cid, _ = sms_mfa_setup(idp, pools)
    for _ in range(20):
        sms_challenge(idp, cid)
    seq = [attempt(password_auth, idp=idp, client_id=cid, username="sam") for _ in range(7)]
    assert seq == [LIMIT] * 7, seq
    # And a right password never adds to the lockout: one wrong password is just wrong.
    assert attempt(password_auth, idp=idp, client_id=cid, username="sam",
                   password=WRONG_PASSWORD) == WRONG_PW


# ---- codes belong to what they were sent to ---------------------------------------------------


@pytest.mark.parametrize("auto_verify", [False, True], ids=["plain", "auto_verified"])
def test_code_belongs_to_the_address_it_was_sent_to(ks, idp, pools, auto_verify):
    pid, cid, _ = pool_and_client(idp, pools, pool_kwargs=EMAIL_POOL if auto_verify else None)
    make_user(idp, pid, "ada", extra=[{"Name": "email", "Value": "ada@example.com"}])
    access = sign_in_tokens(idp, cid, "ada")["AccessToken"]
    idp.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")
    entry = outbox_codes(ks, pid, "ada", "verify_user_attribute")[-1]
    assert entry["destination"] == "ada@example.com"
    old_code = entry["code"]

    idp.admin_update_user_attributes(UserPoolId=pid, Username="ada", UserAttributes=[
        {"Name": "email", "Value": "ada@evil.example.net"}])
    outcome = attempt(idp.verify_user_attribute, AccessToken=access, AttributeName="email",
                      Code=old_code)
    assert outcome[0] in ("ExpiredCodeException", "CodeMismatchException"), outcome
    now = attrs(idp.get_user(AccessToken=access))
    assert now["email"] == "ada@evil.example.net"
    assert now.get("email_verified") != "true"

    # Back to the address the code was sent to: the code was discarded, it stays dead.
    idp.admin_update_user_attributes(UserPoolId=pid, Username="ada", UserAttributes=[
        {"Name": "email", "Value": "ada@example.com"}])
    outcome = attempt(idp.verify_user_attribute, AccessToken=access, AttributeName="email",
                      Code=old_code)
    assert outcome[0] in ("ExpiredCodeException", "CodeMismatchException"), outcome
    assert attrs(idp.get_user(AccessToken=access)).get("email_verified") != "true"


# ---- no user existence leaks --------------------------------------------------------------------


def hidden_pool(idp, pools, **pool_kwargs):
    """A pool (``pool_kwargs``) and an app client that prevents user existence errors."""
    return pool_and_client(idp, pools, pool_kwargs=pool_kwargs,
                           PreventUserExistenceErrors="ENABLED")


def test_unknown_user_wrong_passwords_answer_like_a_real_user(ks, idp, pools):
    pid, cid, _ = hidden_pool(idp, pools)
    make_user(idp, pid, "erin", email="erin@example.com")

    def seven(name):
        return [attempt(password_auth, idp=idp, client_id=cid, username=name,
                        password=WRONG_PASSWORD) for _ in range(7)]

    real, made_up = seven("erin"), seven("ghost")
    assert real == [WRONG_PW] * 5 + [LOCKED] * 2, real
    assert made_up == real


# Where a real user's code goes, per kind of pool: the pool, the real user, a made-up name.
LEAK_POOLS = {
    "username": (dict(AutoVerifiedAttributes=["email"]),
                 dict(username="rita", email="rita@example.com"), "ghost"),
    "email": (dict(UsernameAttributes=["email"], AutoVerifiedAttributes=["email"]),
              dict(username="rita@example.com", email="rita@example.com"), "ghost@example.com"),
    "phone": (dict(UsernameAttributes=["phone_number"],
                   AutoVerifiedAttributes=["phone_number"]),
              dict(username="+15555550100", phone="+15555550100"), "+15555550177"),
}


def forgot_then_guess(ks, idp, pid, cid, name, guesses):
    """ForgotPassword ×6, then ConfirmForgotPassword with each guess: the outcomes and the
    delivery shapes."""
    shapes, seq = [], []
    for _ in range(6):
        try:
            shapes.append(delivery_shape(
                idp.forgot_password(ClientId=cid, Username=name)["CodeDeliveryDetails"]))
            seq.append(OK)
        except ClientError as e:
            seq.append((e.response["Error"]["Code"], e.response["Error"]["Message"]))
    for g in guesses:
        seq.append(attempt(idp.confirm_forgot_password, ClientId=cid, Username=name,
                           ConfirmationCode=g, Password=NEW_PASSWORD))
    return seq, shapes


@pytest.mark.parametrize("kind", list(LEAK_POOLS))
def test_unknown_user_code_requests_and_answers_look_real(ks, idp, pools, kind):
    """ForgotPassword ×6 (five deliveries, then LimitExceeded) with deliveries of the same
    shape, then ConfirmForgotPassword: CodeMismatch ×4, TooManyFailedAttempts, ExpiredCode."""
    pool_kwargs, real_user, made_up = LEAK_POOLS[kind]
    pid, cid, _ = hidden_pool(idp, pools, **pool_kwargs)
    real = real_user["username"]
    make_user(idp, pid, **real_user)
    stored_name = idp.admin_get_user(UserPoolId=pid, Username=real)["Username"]

    real_seq, real_shapes = forgot_then_guess(ks, idp, pid, cid, real, [])
    live = latest_code(ks, pid, stored_name, "forgot_password")
    guesses = wrong_codes(live, 6)
    for g in guesses:
        real_seq.append(attempt(idp.confirm_forgot_password, ClientId=cid, Username=real,
                                ConfirmationCode=g, Password=NEW_PASSWORD))
    made_seq, made_shapes = forgot_then_guess(ks, idp, pid, cid, made_up, guesses)

    expected = [OK] * 5 + [LIMIT] + [MISMATCH] * 4 + [TOO_MANY, EXPIRED_CODE]
    assert real_seq == expected, real_seq
    assert made_seq == real_seq, made_seq
    assert len(real_shapes) == len(made_shapes) == 5
    assert set(made_shapes) == set(real_shapes), (made_shapes, real_shapes)
    assert len(set(real_shapes)) == 1, real_shapes
    # A made-up name is "sent" nothing.
    assert {e["username"] for e in ks.outbox(pid)} == {stored_name}


def test_unknown_user_sign_up_codes_answer_like_a_real_user(ks, idp, pools):
    """ResendConfirmationCode ×6 and ConfirmSignUp guesses: an unconfirmed user and a name
    that is no user get the same answers."""
    pid, cid, _ = hidden_pool(idp, pools, AutoVerifiedAttributes=["email"])
    idp.sign_up(ClientId=cid, Username="una", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "una@example.com"}])

    def run(name, guesses):
        shapes, seq = [], []
        for _ in range(6):
            try:
                shapes.append(delivery_shape(idp.resend_confirmation_code(
                    ClientId=cid, Username=name)["CodeDeliveryDetails"]))
                seq.append(OK)
            except ClientError as e:
                seq.append((e.response["Error"]["Code"], e.response["Error"]["Message"]))
        seq += [attempt(idp.confirm_sign_up, ClientId=cid, Username=name, ConfirmationCode=g)
                for g in guesses]
        return seq, shapes

    real_seq, real_shapes = run("una", [])
    guesses = wrong_codes(latest_code(ks, pid, "una"), 6)
    real_seq += [attempt(idp.confirm_sign_up, ClientId=cid, Username="una", ConfirmationCode=g)
                 for g in guesses]
    made_seq, made_shapes = run("ghost", guesses)
    assert real_seq == [OK] * 5 + [LIMIT] + [MISMATCH] * 4 + [TOO_MANY, EXPIRED_CODE], real_seq
    assert made_seq == real_seq, made_seq
    assert set(made_shapes) == set(real_shapes), (made_shapes, real_shapes)


# A pool whose recovery order prefers the channel that is *not* the username: where a real
# user's reset code goes is decided by AccountRecoverySetting, not by the name's shape.
RECOVERY_POOLS = {
    "phone_username_email_first": (
        dict(UsernameAttributes=["phone_number"], AutoVerifiedAttributes=["email"],
             AccountRecoverySetting={"RecoveryMechanisms": [
                 {"Priority": 1, "Name": "verified_email"},
                 {"Priority": 2, "Name": "verified_phone_number"}]}),
        dict(username="+15555550100", phone="+15555550100", email="rita@example.com"),
        "+15555550177"),
    "email_username_phone_first": (
        dict(UsernameAttributes=["email"], AutoVerifiedAttributes=["phone_number"],
             AccountRecoverySetting={"RecoveryMechanisms": [
                 {"Priority": 1, "Name": "verified_phone_number"},
                 {"Priority": 2, "Name": "verified_email"}]}),
        dict(username="rita@example.com", email="rita@example.com", phone="+15555550100"),
        "ghost@example.com"),
}


@pytest.mark.parametrize("kind", list(RECOVERY_POOLS))
def test_unknown_user_delivery_follows_the_recovery_setting(ks, idp, pools, kind):
    pool_kwargs, real_user, made_up = RECOVERY_POOLS[kind]
    pid, cid, _ = hidden_pool(idp, pools, **pool_kwargs)
    make_user(idp, pid, **real_user)
    real = delivery_shape(idp.forgot_password(ClientId=cid, Username=real_user["username"])
                          ["CodeDeliveryDetails"])
    made = delivery_shape(idp.forgot_password(ClientId=cid, Username=made_up)
                          ["CodeDeliveryDetails"])
    assert made == real, (made, real)


def test_unknown_user_confirm_forgot_password_without_a_request(ks, idp, pools):
    """No code was ever asked for: ExpiredCode for both, and the answers count the same."""
    pid, cid, _ = hidden_pool(idp, pools, AutoVerifiedAttributes=["email"])
    make_user(idp, pid, "rex", email="rex@example.com")

    def answers(name):
        return [attempt(idp.confirm_forgot_password, ClientId=cid, Username=name,
                        ConfirmationCode=g, Password=NEW_PASSWORD)
                for g in wrong_codes("", 16)]

    real, made = answers("rex"), answers("ghost")
    assert real == [EXPIRED_CODE] * 15 + [LIMIT], real
    assert made == real, made


def test_unknown_user_srp_lockout_like_a_real_user(ks, idp, pools):
    """Six wrong SRP proofs: five judged, then the lock, for a real user and a made-up name."""
    pid, cid, _ = hidden_pool(idp, pools)
    make_user(idp, pid, "erin", email="erin@example.com")

    def six(name):
        out = []
        for _ in range(6):
            srp, start = srp_start(idp, pid, cid, name, password=WRONG_PASSWORD)
            out.append(attempt(idp.respond_to_auth_challenge, ClientId=cid,
                               ChallengeName="PASSWORD_VERIFIER",
                               ChallengeResponses=srp.answer(start["ChallengeParameters"],
                                                             ks.server_now())))
        return out

    real, made = six("erin"), six("ghost")
    assert real == [WRONG_PW] * 5 + [LOCKED], real
    assert made == real, made


def test_unknown_user_srp_name_is_normalised_like_a_real_one(ks, idp, pools):
    pid, cid, _ = hidden_pool(idp, pools, UsernameConfiguration={"CaseSensitive": False})
    make_user(idp, pid, "erin", email="erin@example.com")
    _, real = srp_start(idp, pid, cid, "ERIN")
    _, made = srp_start(idp, pid, cid, "GHOST")
    assert real["ChallengeParameters"]["USER_ID_FOR_SRP"] == "erin"
    assert made["ChallengeParameters"]["USER_ID_FOR_SRP"] == "ghost"


def test_forgot_password_budget_is_the_users_whatever_name_is_used(ks, idp, pools):
    """The username, another case of it, an alias and the sub all draw on one budget; a
    made-up name's case variants share one budget too."""
    pid, cid, _ = hidden_pool(idp, pools, AliasAttributes=["email"],
                              AutoVerifiedAttributes=["email"],
                              UsernameConfiguration={"CaseSensitive": False})
    make_user(idp, pid, "alice", email="alice@example.com")
    names = ["alice", "ALICE", "alice@example.com", "Alice", sub_of(idp, pid, "alice"), "alice"]
    real = [attempt(idp.forgot_password, ClientId=cid, Username=n) for n in names]
    assert real == [OK] * 5 + [LIMIT], real
    made = [attempt(idp.forgot_password, ClientId=cid, Username=n)
            for n in ["ghost", "GHOST", "Ghost", "gHoSt", "ghost", "GHOST"]]
    assert made == real, made


def test_attribute_updates_that_send_codes_share_the_budget(ks, idp, pools):
    """UpdateUserAttributes that sends a code draws on the same budget as
    GetUserAttributeVerificationCode; an update refused for it changes nothing."""
    pid, cid, _ = pool_and_client(idp, pools, pool_kwargs=EMAIL_POOL)
    make_user(idp, pid, "upd", email="upd@example.com")
    access = sign_in_tokens(idp, cid, "upd")["AccessToken"]
    for i in range(3):
        idp.update_user_attributes(AccessToken=access, UserAttributes=[
            {"Name": "email", "Value": f"upd{i}@example.com"}])
    for _ in range(2):
        idp.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")
    assert attempt(idp.get_user_attribute_verification_code, AccessToken=access,
                   AttributeName="email") == LIMIT
    assert attempt(idp.update_user_attributes, AccessToken=access, UserAttributes=[
        {"Name": "email", "Value": "upd-late@example.com"},
        {"Name": "name", "Value": "Late"}]) == LIMIT
    now = attrs(idp.get_user(AccessToken=access))
    assert now["email"] == "upd2@example.com", now
    assert "name" not in now, now
    # An update that sends no code is not limited.
    idp.update_user_attributes(AccessToken=access, UserAttributes=[{"Name": "name", "Value": "N"}])
    # The live code is the last one sent, to the address the user has now.
    entry = ks.outbox(pid, "upd")[-1]
    assert entry["destination"] == "upd2@example.com"
    idp.verify_user_attribute(AccessToken=access, AttributeName="email", Code=entry["code"])
    assert attrs(idp.get_user(AccessToken=access))["email_verified"] == "true"


def srp_probe(ks, idp, pid, cid, name, password):
    """The simulated-or-real PASSWORD_VERIFIER for ``name``: its parameters, and the answers
    to it with a wrong USERNAME and with a TIMESTAMP ten minutes off."""
    srp, start = srp_start(idp, pid, cid, name, password=password)
    assert start["ChallengeName"] == "PASSWORD_VERIFIER", start
    params = start["ChallengeParameters"]
    answer = srp.answer(params, ks.server_now())
    answer["USERNAME"] = "someone-else"
    wrong_name = attempt(idp.respond_to_auth_challenge, ClientId=cid,
                         ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer)
    srp, start = srp_start(idp, pid, cid, name, password=password)
    late = srp.answer(start["ChallengeParameters"], ks.server_now(),
                      timestamp=cognito_timestamp(ks.server_now() + 600))
    off_time = attempt(idp.respond_to_auth_challenge, ClientId=cid,
                       ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=late)
    return params, wrong_name, off_time


@pytest.mark.parametrize("kind", ["username", "email"])
def test_unknown_user_srp_verifier_answers_like_a_real_user(ks, idp, pools, kind):
    if kind == "username":
        pid, cid, _ = hidden_pool(idp, pools)
        real, made_up = "erin", "ghost"
        make_user(idp, pid, real, email="erin@example.com")
    else:
        pid, cid, _ = hidden_pool(idp, pools, UsernameAttributes=["email"])
        real, made_up = "erin@example.com", "ghost@example.com"
        make_user(idp, pid, real, email=real)
    real_params, real_name, real_time = srp_probe(ks, idp, pid, cid, real, PASSWORD)
    made_params, made_name, made_time = srp_probe(ks, idp, pid, cid, made_up, PASSWORD)
    assert set(made_params) == set(real_params), (made_params, real_params)
    assert made_name == real_name, (made_name, real_name)
    assert real_name[0] == "NotAuthorizedException", real_name
    assert made_time == real_time, (made_time, real_time)
    assert real_time[0] == "NotAuthorizedException", real_time
    if kind == "username":
        assert real_params["USER_ID_FOR_SRP"] == real
        assert made_params["USER_ID_FOR_SRP"] == made_up
    else:
        assert real_params["USER_ID_FOR_SRP"] == sub_of(idp, pid, real)
        assert UUID_RE.fullmatch(made_params["USER_ID_FOR_SRP"]), made_params
        _, again = srp_start(idp, pid, cid, made_up)
        assert again["ChallengeParameters"]["USER_ID_FOR_SRP"] == made_params["USER_ID_FOR_SRP"]
    # The real user still signs in: neither probe locked them (one failure each).
    tokens_of(password_auth(idp, cid, real))


class Hooks:
    """A DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse webhook as
    permissive as can be: every answer is correct and a correct answer issues tokens. So
    only the server stands between a made-up name and tokens."""

    def __init__(self):
        self.events = []
        hooks = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                hooks.events.append((self.path, event))
                session = event["request"].get("session") or []
                if self.path == "/define":
                    if session and session[-1].get("challengeResult"):
                        event["response"] = {"issueTokens": True, "failAuthentication": False}
                    else:
                        event["response"] = {"challengeName": "CUSTOM_CHALLENGE",
                                             "issueTokens": False, "failAuthentication": False}
                elif self.path == "/create":
                    event["response"] = {"publicChallengeParameters": {"question": "anything?"},
                                         "privateChallengeParameters": {"answer": "x"},
                                         "challengeMetadata": "ANY"}
                else:
                    event["response"] = {"answerCorrect": True}
                body = json.dumps(event).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def lambda_config(self):
        return {"DefineAuthChallenge": f"{self.url}/define",
                "CreateAuthChallenge": f"{self.url}/create",
                "VerifyAuthChallengeResponse": f"{self.url}/verify"}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooks():
    h = Hooks()
    yield h
    h.close()


def custom_sign_in(idp, cid, name):
    """CUSTOM_AUTH up to the custom challenge, then any answer: the final outcome."""
    start = idp.initiate_auth(ClientId=cid, AuthFlow="CUSTOM_AUTH",
                              AuthParameters={"USERNAME": name})
    challenge_of(start, "CUSTOM_CHALLENGE")
    return idp.respond_to_auth_challenge(
        ClientId=cid, ChallengeName="CUSTOM_CHALLENGE", Session=start["Session"],
        ChallengeResponses={"USERNAME": start["ChallengeParameters"].get("USERNAME", name),
                            "ANSWER": "anything"}), start


def test_unknown_user_custom_auth_asks_the_triggers_and_never_gets_tokens(ks, idp, pools, hooks):
    pid = pools(LambdaConfig=hooks.lambda_config())["Id"]
    cid = app_client(idp, pid, flows=ALL_FLOWS + ["ALLOW_CUSTOM_AUTH"],
                     PreventUserExistenceErrors="ENABLED")["ClientId"]
    make_user(idp, pid, "cleo", email="cleo@example.com")
    # The real user: the permissive triggers let them in.
    done, real_start = custom_sign_in(idp, cid, "cleo")
    tokens_of(done)
    real_events = [(p, e["request"].get("userNotFound")) for p, e in hooks.events]
    assert ("/define", False) in real_events and ("/create", False) in real_events, real_events
    hooks.events.clear()

    # A made-up name: the same challenge, the triggers asked with userNotFound, no tokens.
    start = idp.initiate_auth(ClientId=cid, AuthFlow="CUSTOM_AUTH",
                              AuthParameters={"USERNAME": "ghost"})
    challenge_of(start, "CUSTOM_CHALLENGE")
    assert set(start["ChallengeParameters"]) == set(real_start["ChallengeParameters"])
    outcomes = []
    session = start["Session"]
    for _ in range(3):
        try:
            resp = idp.respond_to_auth_challenge(
                ClientId=cid, ChallengeName="CUSTOM_CHALLENGE", Session=session,
                ChallengeResponses={"USERNAME": "ghost", "ANSWER": "anything"})
        except ClientError as e:
            outcomes.append(e.response["Error"]["Code"])
            break
        assert "AuthenticationResult" not in resp, "tokens for a user that does not exist"
        session = challenge_of(resp, "CUSTOM_CHALLENGE")["Session"]
        outcomes.append(resp["ChallengeName"])
    assert outcomes and outcomes[-1] == "NotAuthorizedException", outcomes
    paths = [p for p, _ in hooks.events]
    assert "/define" in paths and "/create" in paths, paths
    for path, event in hooks.events:
        if path in ("/define", "/create"):
            assert event["request"].get("userNotFound") is True, (path, event["request"])


# ---- nothing minted after the user is gone -----------------------------------------------------


def _disable(idp, pid):
    idp.admin_disable_user(UserPoolId=pid, Username="sam")


def _delete(idp, pid):
    idp.admin_delete_user(UserPoolId=pid, Username="sam")


def _sign_out(idp, pid):
    idp.admin_user_global_sign_out(UserPoolId=pid, Username="sam")


def _recreate(idp, pid):
    idp.admin_delete_user(UserPoolId=pid, Username="sam")
    make_user(idp, pid, "sam", phone=PHONE)
    idp.admin_set_user_mfa_preference(UserPoolId=pid, Username="sam",
                                      SMSMfaSettings={"Enabled": True, "PreferredMfa": True})


GONE = {"disable": _disable, "delete": _delete, "global_sign_out": _sign_out,
        "delete_and_recreate": _recreate}


def gone_mid_sign_in(ks, idp, pools, action, pause):
    """An SMS-MFA sign-in started, ``pause`` seconds of server time, ``action``, then the
    right code: the outcome."""
    pid, cid, _ = sms_mfa_setup(idp, pools)
    session = sms_challenge(idp, cid)["Session"]
    code = latest_code(ks, pid, "sam", "authentication")
    if pause:
        ks.advance(pause)
    GONE[action](idp, pid)
    return attempt(respond, idp=idp, client_id=cid, challenge="SMS_MFA", session=session,
                   answers={"USERNAME": "sam", "SMS_MFA_CODE": code})


@pytest.mark.parametrize("action", list(GONE))
def test_nothing_minted_after_the_user_is_gone(ks, idp, pools, action):
    """A second later (a sign-in typed by a person)."""
    outcome = gone_mid_sign_in(ks, idp, pools, action, pause=1)
    assert outcome[0] == "NotAuthorizedException", outcome


@pytest.mark.parametrize("action", [
    "disable", "delete", "delete_and_recreate",
    "global_sign_out",
])
def test_nothing_minted_after_the_user_is_gone_at_once(ks, idp, pools, action):
    """In the same instant of server time (a script racing the administrator)."""
    outcome = gone_mid_sign_in(ks, idp, pools, action, pause=0)
    assert outcome[0] == "NotAuthorizedException", outcome
