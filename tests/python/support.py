"""Small helpers shared by the boto3 end-to-end tests."""

import base64
import hashlib
import hmac
import time
import uuid


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def secret_hash(client_secret, username, client_id):
    mac = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def attrs(user_or_list):
    """``[{Name, Value}]`` (or a user dict holding ``Attributes``/``UserAttributes``) -> dict."""
    if isinstance(user_or_list, dict):
        user_or_list = user_or_list.get("UserAttributes", user_or_list.get("Attributes", []))
    return {a["Name"]: a["Value"] for a in user_or_list}


def strip_meta(response):
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def sigv4_headers(host, region, access_key, secret_key, target, body, when):
    """Headers of a SigV4-signed ``POST /`` (service ``cognito-idp``) at instant ``when``.

    Written out by hand (instead of botocore's signer) so a test can choose the signing
    time and tamper with the request after signing.
    """
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    datestamp = when.strftime("%Y%m%d")
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": host,
        "x-amz-date": amz_date,
        "x-amz-target": "AWSCognitoIdentityProviderService." + target,
    }
    signed = sorted(headers)
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            "".join(f"{name}:{headers[name]}\n" for name in signed),
            ";".join(signed),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{datestamp}/{region}/cognito-idp/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = ("AWS4" + secret_key).encode()
    for part in (datestamp, region, "cognito-idp", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    out = {name.title(): value for name, value in headers.items()}
    out["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
        f"SignedHeaders={';'.join(signed)}, Signature={signature}"
    )
    return out


# ---- sign-in helpers: TOTP and an independent SRP client ------------------------------------
#
# Written from the protocol notes (§4, §6.2), not from any client library, so the sign-in
# tests cross-check the server against a second implementation besides pycognito's.

import os
import struct

TOTP_STEP_SECS = 30

SRP_N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
SRP_G = 2
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def hotp(secret_b32, counter, digits=6):
    """RFC 4226 HOTP over a base32 secret (no padding needed)."""
    s = secret_b32.strip().replace(" ", "").upper()
    key = base64.b32decode(s + "=" * (-len(s) % 8))
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    word = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(word % 10**digits).zfill(digits)


def totp_at(secret_b32, unix_seconds):
    """RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) at a given instant."""
    return hotp(secret_b32, int(unix_seconds // TOTP_STEP_SECS))


class Totp:
    """An authenticator app: codes for one secret, never the same time step twice.

    ``now`` is a function giving the *server's* time in seconds, so codes stay right after
    a test moved the server clock. A code for the next step is accepted by a server that
    allows one step of drift; when even that step is used, this waits for time to pass:
    ``wait(seconds)``, ``time.sleep`` unless given (a server whose clock stands still needs
    its clock moved instead, e.g. ``wait=ks.advance``).
    """

    def __init__(self, secret_b32, now, wait=None):
        self.secret = secret_b32
        self.now = now
        self.wait = wait or time.sleep
        self.last_step = None

    def code(self):
        current = int(self.now() // TOTP_STEP_SECS)
        step = current if self.last_step is None else max(current, self.last_step + 1)
        while step > current + 1:
            self.wait((current + 1) * TOTP_STEP_SECS - self.now() + 0.2)
            current = int(self.now() // TOTP_STEP_SECS)
        self.last_step = step
        return hotp(self.secret, step)

    def wrong_code(self):
        """A 6-digit code that is not the code of any step around now."""
        current = int(self.now() // TOTP_STEP_SECS)
        near = {hotp(self.secret, s) for s in range(current - 3, current + 4)}
        for candidate in ("000000", "123456", "999999", "314159"):
            if candidate not in near:
                return candidate
        raise AssertionError("unreachable")


def cognito_timestamp(unix_seconds):
    """SRP ``TIMESTAMP``: ``EEE MMM d HH:mm:ss UTC yyyy``, English, unpadded day."""
    t = time.gmtime(unix_seconds)
    return (
        f"{_WEEKDAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} UTC {t.tm_year}"
    )


def _pad(n):
    """Java ``BigInteger.toByteArray()`` of a non-negative integer (leading 00 if top bit set)."""
    b = n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
    return b"\x00" + b if b[0] & 0x80 else b


def _h(data):
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


SRP_K = _h(_pad(SRP_N) + _pad(SRP_G))


class SrpClient:
    """The client half of Cognito's SRP-6a (protocol notes §4.3).

    ``srp_a`` goes into ``AuthParameters.SRP_A``; ``answer(challenge_parameters)`` gives the
    ``PASSWORD_VERIFIER`` ``ChallengeResponses``.
    """

    def __init__(self, pool_id, password, a=None):
        self.pool_name = pool_id.split("_", 1)[1]
        self.password = password
        self.a = a if a is not None else int.from_bytes(os.urandom(128), "big") % SRP_N
        self.A = pow(SRP_G, self.a, SRP_N)

    @property
    def srp_a(self):
        return format(self.A, "x")

    def key(self, params, password=None):
        password = self.password if password is None else password
        B = int(params["SRP_B"], 16)
        salt = int(params["SALT"], 16)
        user_id = params["USER_ID_FOR_SRP"]
        u = _h(_pad(self.A) + _pad(B))
        assert u != 0
        inner = hashlib.sha256(f"{self.pool_name}{user_id}:{password}".encode()).digest()
        x = _h(_pad(salt) + inner)
        base = (B - SRP_K * pow(SRP_G, x, SRP_N)) % SRP_N
        S = pow(base, self.a + u * x, SRP_N)
        prk = hmac.new(_pad(u), _pad(S), hashlib.sha256).digest()
        return hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]

    def signature(self, params, timestamp, secret_block=None, password=None):
        block = params["SECRET_BLOCK"] if secret_block is None else secret_block
        msg = (
            self.pool_name.encode()
            + params["USER_ID_FOR_SRP"].encode()
            + base64.b64decode(block)
            + timestamp.encode()
        )
        mac = hmac.new(self.key(params, password), msg, hashlib.sha256).digest()
        return base64.b64encode(mac).decode()

    def answer(self, params, now, timestamp=None, secret_block=None, password=None):
        """``ChallengeResponses`` for ``PASSWORD_VERIFIER``; ``now`` = server time (seconds)."""
        ts = timestamp if timestamp is not None else cognito_timestamp(now)
        block = params["SECRET_BLOCK"] if secret_block is None else secret_block
        return {
            "USERNAME": params.get("USERNAME", params["USER_ID_FOR_SRP"]),
            "PASSWORD_CLAIM_SECRET_BLOCK": block,
            "TIMESTAMP": ts,
            "PASSWORD_CLAIM_SIGNATURE": self.signature(params, ts, block, password),
        }
