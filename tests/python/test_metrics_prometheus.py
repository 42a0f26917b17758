"""/metrics read the way Prometheus reads it (prometheus_client's text parser): after a
sign-in with SMS MFA and a wrong password, the counters moved by exactly what happened.

Run by crates/server/tests/e2e_metrics_python.rs against a server of its own (nothing
else runs on it, so the deltas are exact).
"""

import base64
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from support import unique

PASSWORD = "Correct-Horse-9!"


def scrape(ks, auth=True):
    req = urllib.request.Request(f"{ks.url}/metrics")
    if auth:
        token = base64.b64encode(f"{ks.access_key}:{ks.secret_key}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = resp.read().decode()
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_need_credentials(ks):
    with pytest.raises(urllib.error.HTTPError) as e:
        scrape(ks, auth=False)
    assert e.value.code == 401


def test_a_sign_in_with_sms_mfa_moves_the_counters(ks, idp):
    pool_id = idp.create_user_pool(
        PoolName=unique("metrics"),
        MfaConfiguration="OPTIONAL",
        SmsConfiguration={"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"},
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="mia",
        UserAttributes=[
            {"Name": "phone_number", "Value": "+15555550142"},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="mia", Password=PASSWORD, Permanent=True)
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="mia",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )

    before = scrape(ks)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "mia", "PASSWORD": "Wrong-Horse-9!"},
        )
    started = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "mia", "PASSWORD": PASSWORD},
    )
    assert started["ChallengeName"] == "SMS_MFA"
    code = [m for m in ks.outbox(pool_id, "mia") if m["purpose"] == "authentication"][-1]["code"]
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SMS_MFA",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "mia", "SMS_MFA_CODE": code},
    )
    assert "AuthenticationResult" in done
    after = scrape(ks)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "keystep_requests_total"
    assert delta(requests, operation="InitiateAuth", outcome="ok") == 1
    assert delta(requests, operation="InitiateAuth", outcome="NotAuthorizedException") == 1
    assert delta(requests, operation="RespondToAuthChallenge", outcome="ok") == 1
    assert delta("keystep_request_duration_seconds_count", operation="InitiateAuth") == 2
    assert delta("keystep_request_duration_seconds_bucket", operation="InitiateAuth", le="+Inf") == 2
    assert delta("keystep_sign_ins_started_total", flow="USER_PASSWORD_AUTH") == 1
    assert delta("keystep_sign_in_challenges_total", challenge="SMS_MFA") == 1
    assert delta("keystep_sign_ins_completed_total") == 1
    assert delta("keystep_abuse_refusals_total", reason="locked_out") == 0
    assert delta("keystep_store_operation_duration_seconds_count") > 0
    assert value(after, "process_resident_memory_bytes") > 1_000_000
    assert value(after, "process_cpu_seconds_total") > 0
    assert value(after, "keystep_store_connections", state="idle") + value(
        after, "keystep_store_connections", state="busy"
    ) >= 1
