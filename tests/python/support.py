"""Small helpers shared by the boto3 end-to-end tests."""

import base64
import hashlib
import hmac
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
