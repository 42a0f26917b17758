"""Hosted UI branding through boto3: SetUICustomization / GetUICustomization for the pool
(ALL) and for one client, Cognito's rules (a domain first, the template's classes only, a
PNG or JPEG logo), clearing, and the hosted sign-in page linking the style sheet and the
logo, which Keystep serves from its own origin."""

import base64
import re
import urllib.error
import urllib.parse
import urllib.request
import zlib
import struct

from signin_helpers import expect_error
from support import unique

CSS = (".logo-customizable { max-width: 60%; max-height: 30%; }\n"
       ".submitButton-customizable { background-color: #c0392b; color: #fff; }")


def png(width=2, height=2):
    """A real (tiny) PNG."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def pool_with_domain(idp, pools):
    pool = pools()
    idp.create_user_pool_domain(UserPoolId=pool["Id"], Domain=unique("brand").lower())
    return pool["Id"]


def oauth_client(idp, pid):
    return idp.create_user_pool_client(
        UserPoolId=pid, ClientName=unique("web"), AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"], AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=["https://app.example.com/cb"], SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]["ClientId"]


def test_a_pool_needs_a_domain_first(idp, pools):
    pid = pools()["Id"]
    for call, kwargs in [(idp.get_ui_customization, {}),
                         (idp.set_ui_customization, {"CSS": CSS})]:
        expect_error(call, "InvalidParameterException",
                     "There has to be an existing domain associated with this user pool",
                     UserPoolId=pid, **kwargs)


def test_pool_branding_and_client_branding(ks, idp, pools):
    pid = pool_with_domain(idp, pools)
    cid = oauth_client(idp, pid)
    assert idp.get_ui_customization(UserPoolId=pid)["UICustomization"] == {}

    logo = png()
    pool_level = idp.set_ui_customization(UserPoolId=pid, ClientId="ALL", CSS=CSS,
                                          ImageFile=logo)["UICustomization"]
    assert pool_level["UserPoolId"] == pid and pool_level["ClientId"] == "ALL"
    assert pool_level["CSS"] == CSS
    assert re.fullmatch(r"[0-9]{14}", pool_level["CSSVersion"])
    assert pool_level["ImageUrl"].endswith(
        f"/{pid}/ALL/{pool_level['CSSVersion']}/assets/images/image.jpg")
    assert pool_level["CreationDate"] and pool_level["LastModifiedDate"]
    # The client has nothing of its own: it shows the pool's.
    assert idp.get_ui_customization(UserPoolId=pid, ClientId=cid)["UICustomization"]["CSS"] == CSS
    assert idp.get_ui_customization(UserPoolId=pid)["UICustomization"]["ClientId"] == "ALL"

    status, headers, body = get(pool_level["ImageUrl"])
    assert status == 200 and body == logo
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"

    own_css = ".background-customizable { background-color: #eeeeee; }"
    own = idp.set_ui_customization(UserPoolId=pid, ClientId=cid, CSS=own_css)["UICustomization"]
    assert own["ClientId"] == cid and "ImageUrl" not in own
    assert idp.get_ui_customization(UserPoolId=pid, ClientId=cid)["UICustomization"]["CSS"] == own_css
    assert idp.get_ui_customization(UserPoolId=pid)["UICustomization"]["CSS"] == CSS

    # The client's hosted sign-in page links its own sheet; another client's, the pool's.
    query = urllib.parse.urlencode({"client_id": cid, "response_type": "code",
                                    "redirect_uri": "https://app.example.com/cb"})
    status, headers, page = get(f"{ks.url}/login?{query}")
    assert status == 200, page
    page = page.decode()
    sheet = re.search(r'<link rel="stylesheet" href="(/ui/[^"]+/custom\.css)">', page)
    assert sheet and f"/{cid}/" in sheet.group(1), page
    assert 'class="logo-customizable"' not in page, "the client's own branding has no logo"
    assert "style-src 'self'" in headers["Content-Security-Policy"]
    status, headers, body = get(ks.url + sheet.group(1))
    assert status == 200 and body.decode() == own_css
    assert headers["Content-Type"].startswith("text/css")

    other = oauth_client(idp, pid)
    query = urllib.parse.urlencode({"client_id": other, "response_type": "code",
                                    "redirect_uri": "https://app.example.com/cb"})
    page = get(f"{ks.url}/login?{query}")[2].decode()
    logo_src = re.search(r'<img class="logo-customizable" src="([^"]+)"', page)
    assert logo_src and "/ALL/" in logo_src.group(1)
    assert get(ks.url + logo_src.group(1))[2] == logo

    # An old version's URL is gone once the branding changes.
    newer = idp.set_ui_customization(UserPoolId=pid, ClientId="ALL", CSS=CSS)["UICustomization"]
    if newer["CSSVersion"] != pool_level["CSSVersion"]:
        assert get(pool_level["ImageUrl"])[0] == 404

    # Clearing: a Set with neither CSS nor logo.
    cleared = idp.set_ui_customization(UserPoolId=pid, ClientId=cid)["UICustomization"]
    assert "CSS" not in cleared and "ImageUrl" not in cleared and "CreationDate" not in cleared
    assert cleared["ClientId"] == cid and "CSSVersion" in cleared


def test_cognitos_rules(idp, pools):
    pid = pool_with_domain(idp, pools)
    for bad in ["body { color: red; }", "@import 'x.css';",
                ".logo-customizable { background: url(https://evil.example/x.png); }",
                ".banner-customizable { color: red; } </style><script>alert(1)</script>",
                ".label-customizable { color red }"]:
        expect_error(idp.set_ui_customization, "InvalidParameterException",
                     UserPoolId=pid, CSS=bad)
    expect_error(idp.set_ui_customization, "InvalidParameterException",
                 "The uploaded image must", UserPoolId=pid, ImageFile=b"GIF89a....")
    expect_error(idp.set_ui_customization, "InvalidParameterException",
                 "The uploaded image must", UserPoolId=pid,
                 ImageFile=png() + b"\x00" * (100 * 1024))
    expect_error(idp.set_ui_customization, "ResourceNotFoundException",
                 UserPoolId=pid, ClientId="unknownclient123", CSS=CSS)
    other = pools()["Id"]
    cid_of_other = idp.create_user_pool_client(UserPoolId=other,
                                               ClientName="x")["UserPoolClient"]["ClientId"]
    expect_error(idp.set_ui_customization, "ResourceNotFoundException",
                 UserPoolId=pid, ClientId=cid_of_other, CSS=CSS)
    expect_error(idp.get_ui_customization, "ResourceNotFoundException",
                 UserPoolId=pid.split("_")[0] + "_Nope12345")
    assert idp.get_ui_customization(UserPoolId=pid)["UICustomization"] == {}
