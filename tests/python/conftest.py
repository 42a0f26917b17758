"""Shared fixtures for the boto3 end-to-end suite.

The suite talks to a running Keystep server. It reads from the environment:

* ``KEYSTEP_URL``             base URL, e.g. ``http://127.0.0.1:9229``
* ``AWS_ACCESS_KEY_ID``       admin access key id printed by the server
* ``AWS_SECRET_ACCESS_KEY``   admin secret printed by the server
* ``AWS_REGION``              region to sign for (default ``us-east-1``)
* ``KEYSTEP_DEV_POOL_ID`` / ``KEYSTEP_DEV_CLIENT_ID`` (optional) the dev pool and client
* ``KEYSTEP_CLOCK_URL``       (optional) the test server's clock control: ``POST /advance?seconds=N``
  moves the server's clock forward and answers its new time in milliseconds. Tests that use it
  are marked ``advances_clock`` and run last (see ``pytest_collection_modifyitems``).

``crates/server/tests/e2e_boto3.rs`` and ``e2e_signin_python.rs`` start an in-process server and
run these suites with those variables set; ``scripts/test`` runs them.
"""

import base64
import datetime
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.config
import pytest

from support import sigv4_headers, unique

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON_CT = "application/x-amz-json-1.1"


def _require_env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"environment variable {name} is not set: run this suite through "
            "`scripts/test` (or `cargo test -p keystep-server --test e2e_boto3`)",
            pytrace=False,
        )
    return value


class Keystep:
    """Where the server is and how to reach its non-AWS parts (outbox, raw HTTP)."""

    def __init__(self):
        self.url = _require_env("KEYSTEP_URL").rstrip("/")
        self.access_key = _require_env("AWS_ACCESS_KEY_ID")
        self.secret_key = _require_env("AWS_SECRET_ACCESS_KEY")
        self.region = os.environ.get("AWS_REGION") or "us-east-1"
        self.dev_pool_id = os.environ.get("KEYSTEP_DEV_POOL_ID")
        self.dev_client_id = os.environ.get("KEYSTEP_DEV_CLIENT_ID")
        self.clock_url = (os.environ.get("KEYSTEP_CLOCK_URL") or "").rstrip("/") or None
        parsed = urllib.parse.urlsplit(self.url)
        self.host = parsed.hostname
        self.port = parsed.port or 80

    # ---- boto3 -------------------------------------------------------------------------

    def client(self, access_key=None, secret_key=None):
        session = boto3.session.Session(
            aws_access_key_id=access_key or self.access_key,
            aws_secret_access_key=secret_key or self.secret_key,
            region_name=self.region,
        )
        return session.client(
            "cognito-idp",
            endpoint_url=self.url,
            region_name=self.region,
            config=botocore.config.Config(
                # Exactly one attempt: botocore's `max_attempts` counts *retries*, and the
                # standard mode retries throttling errors such as LimitExceededException,
                # which would send a refused request twice (and count it twice).
                retries={"total_max_attempts": 1, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    # ---- the server's clock -----------------------------------------------------------

    def _clock(self, seconds):
        if self.clock_url is None:
            pytest.fail(
                "KEYSTEP_CLOCK_URL is not set: run this suite through "
                "`cargo test -p keystep-server --test e2e_signin_python`",
                pytrace=False,
            )
        req = urllib.request.Request(f"{self.clock_url}/advance?seconds={int(seconds)}", method="POST")
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200, resp.status
            return int(resp.read()) / 1000.0

    def server_now(self):
        """The server's time in (fractional) Unix seconds; the wall clock without a clock URL."""
        if self.clock_url is None:
            return time.time()
        return self._clock(0)

    def advance(self, seconds):
        """Moves the server's clock forward; answers its new time in seconds."""
        return self._clock(seconds)

    # ---- outbox ------------------------------------------------------------------------

    def outbox(self, pool_id, username=None):
        """The outbox entries of a pool (and user), oldest first."""
        query = {"pool_id": pool_id}
        if username is not None:
            query["username"] = username
        req = urllib.request.Request(
            f"{self.url}/admin/outbox?{urllib.parse.urlencode(query)}", method="GET"
        )
        token = base64.b64encode(f"{self.access_key}:{self.secret_key}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200, resp.status
            entries = json.loads(resp.read())
        assert isinstance(entries, list), entries
        return entries

    def outbox_status(self, auth_header):
        """HTTP status of an outbox read with the given Authorization header (or none)."""
        req = urllib.request.Request(f"{self.url}/admin/outbox", method="GET")
        if auth_header is not None:
            req.add_header("Authorization", auth_header)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status
        except urllib.error.HTTPError as e:
            return e.code

    # ---- raw HTTP ----------------------------------------------------------------------

    def raw(self, target, body, headers=None):
        """POST ``body`` (bytes or a JSON-able value) to ``/`` with ``X-Amz-Target: <target>``.

        ``target=None`` omits the header. Returns ``(status, headers, parsed JSON or raw text)``.
        """
        if not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body).encode()
        hdrs = {"Content-Type": JSON_CT}
        if target is not None:
            hdrs["X-Amz-Target"] = TARGET_PREFIX + target
        hdrs.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            try:
                conn.request("POST", "/", body=body, headers=hdrs)
            except (ConnectionResetError, BrokenPipeError):
                # A server may answer an oversized body (and close) before reading it all;
                # its answer can still be waiting in the socket.
                pass
            try:
                resp = conn.getresponse()
                data = resp.read()
            except (ConnectionResetError, BrokenPipeError, http.client.HTTPException) as e:
                return (None, {}, repr(e))
            status = resp.status
            rheaders = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data.decode("utf-8", "replace")
        return (status, rheaders, parsed)

    def signed_raw(self, target, body, when=None, secret_key=None, body_sent=None):
        """Like ``raw`` but SigV4-signed with the admin key at ``when`` (default: now).

        ``body_sent`` (bytes) replaces the body after signing, to test tampering.
        """
        if not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body).encode()
        when = when or datetime.datetime.now(datetime.timezone.utc)
        headers = sigv4_headers(
            f"{self.host}:{self.port}",
            self.region,
            self.access_key,
            secret_key or self.secret_key,
            target,
            body,
            when,
        )
        return self.raw(target, body if body_sent is None else body_sent, headers)


@pytest.fixture(scope="session")
def ks():
    return Keystep()


@pytest.fixture(scope="session")
def idp(ks):
    return ks.client()


@pytest.fixture
def pools(idp):
    """Factory: ``pools(**CreateUserPool kwargs)`` -> pool dict; deletes them afterwards."""
    created = []

    def make(**kwargs):
        kwargs.setdefault("PoolName", unique("pool"))
        pool = idp.create_user_pool(**kwargs)["UserPool"]
        created.append(pool["Id"])
        return pool

    yield make
    for pool_id in created:
        try:
            idp.delete_user_pool(UserPoolId=pool_id)
        except idp.exceptions.ResourceNotFoundException:
            pass


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "advances_clock: moves the server's clock forward (through KEYSTEP_CLOCK_URL); run last",
    )


def pytest_collection_modifyitems(session, config, items):
    """Tests that move the server's clock run after all others: the clock never goes back, so
    anything a later test computes from the wall clock (SRP TIMESTAMPs, TOTP codes made by a
    third-party client) would otherwise be off."""
    items.sort(key=lambda item: item.get_closest_marker("advances_clock") is not None)
