"""End-to-end tests of the foundation operations through boto3 (and raw HTTP for bad input).

Every test creates its own pool(s), so tests are independent of each other and of the
order they run in. Codes and temporary passwords are read from the server's outbox.
"""

import base64
import datetime
import re

import pytest
from botocore.exceptions import ClientError

from support import attrs, secret_hash, strip_meta, unique

PASSWORD = "Correct-Horse-9!"
CODE_RE = re.compile(r"[0-9]{6}")
ARN_ROLE = "arn:aws:iam::123456789012:role/keystep-sms"
ARN_PRE = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"
ARN_POST = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation"


# ---- helpers ---------------------------------------------------------------------------------


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


def app_client(idp, pool_id, **kwargs):
    kwargs.setdefault("ClientName", unique("app"))
    return idp.create_user_pool_client(UserPoolId=pool_id, **kwargs)["UserPoolClient"]


def email_pool(pools, **kwargs):
    kwargs.setdefault("AutoVerifiedAttributes", ["email"])
    return pools(**kwargs)


def sign_up(idp, client_id, username, email=None, password=PASSWORD, extra=None, **kwargs):
    user_attributes = []
    if email is not None:
        user_attributes.append({"Name": "email", "Value": email})
    user_attributes += extra or []
    return idp.sign_up(
        ClientId=client_id,
        Username=username,
        Password=password,
        UserAttributes=user_attributes,
        **kwargs,
    )


def admin_user(idp, pool_id, username, email=None, **kwargs):
    """A user made with AdminCreateUser, invitation suppressed."""
    user_attributes = kwargs.pop("UserAttributes", [])
    if email is not None:
        user_attributes = [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ] + user_attributes
    kwargs.setdefault("MessageAction", "SUPPRESS")
    kwargs.setdefault("TemporaryPassword", "Temp-Pass-1234")
    return idp.admin_create_user(
        UserPoolId=pool_id, Username=username, UserAttributes=user_attributes, **kwargs
    )["User"]


def status_of(idp, pool_id, username):
    return idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"]


def all_pools(idp):
    """{Id: Name} of every pool, walking all pages."""
    found, token = {}, None
    while True:
        kwargs = {"MaxResults": 60}
        if token:
            kwargs["NextToken"] = token
        page = idp.list_user_pools(**kwargs)
        for p in page["UserPools"]:
            assert p["Id"] not in found, "a pool appeared on two pages"
            found[p["Id"]] = p["Name"]
        token = page.get("NextToken")
        if not token:
            return found


def list_all_users(idp, pool_id, limit=60, **kwargs):
    users, token, pages = [], None, 0
    while True:
        call = dict(UserPoolId=pool_id, Limit=limit, **kwargs)
        if token:
            call["PaginationToken"] = token
        page = idp.list_users(**call)
        pages += 1
        assert len(page["Users"]) <= limit
        users += page["Users"]
        token = page.get("PaginationToken")
        if not token:
            return users, pages
        assert pages < 100, "pagination does not end"


def entries_for(ks, pool_id, username, purpose=None):
    entries = ks.outbox(pool_id, username)
    for e in entries:
        assert e["pool_id"] == pool_id
        assert e["username"] == username
    if purpose is not None:
        entries = [e for e in entries if e["purpose"] == purpose]
    return entries


def latest_code(ks, pool_id, username, purpose=None):
    entries = entries_for(ks, pool_id, username, purpose)
    assert entries, f"no outbox entry for {username} ({purpose})"
    code = entries[-1]["code"]
    assert CODE_RE.fullmatch(code), f"code {code!r} is not 6 digits"
    return code


def schema_by_name(pool):
    return {a["Name"]: a for a in pool["SchemaAttributes"]}


# ---- the dev pool and admin authentication ---------------------------------------------------


def test_dev_pool_and_client_are_described(ks, idp):
    if not ks.dev_pool_id or not ks.dev_client_id:
        pytest.skip("KEYSTEP_DEV_POOL_ID / KEYSTEP_DEV_CLIENT_ID not set")
    pool = idp.describe_user_pool(UserPoolId=ks.dev_pool_id)["UserPool"]
    assert pool["Id"] == ks.dev_pool_id
    client = idp.describe_user_pool_client(UserPoolId=ks.dev_pool_id, ClientId=ks.dev_client_id)[
        "UserPoolClient"
    ]
    assert client["ClientId"] == ks.dev_client_id
    assert client["UserPoolId"] == ks.dev_pool_id


def test_admin_call_with_wrong_secret_is_refused(ks, idp):
    name = unique("refused")
    bad = ks.client(secret_key=ks.secret_key + "x")
    with pytest.raises(ClientError) as excinfo:
        bad.create_user_pool(PoolName=name)
    code, _, status = error_of(excinfo)
    assert (code, status) == ("InvalidSignatureException", 403)
    with pytest.raises(ClientError) as excinfo:
        bad.list_user_pools(MaxResults=10)
    assert error_of(excinfo)[0] == "InvalidSignatureException"

    # An access key the server does not know.
    stranger = ks.client(access_key="AKIAZZZZZZZZZZZZZZZZ")
    with pytest.raises(ClientError) as excinfo:
        stranger.list_user_pools(MaxResults=10)
    code, _, status = error_of(excinfo)
    assert (code, status) == ("UnrecognizedClientException", 403)

    # No signature at all on an admin operation.
    status, _, body = ks.raw("CreateUserPool", {"PoolName": name})
    assert status == 403, (status, body)
    assert body["__type"] == "MissingAuthenticationTokenException"

    # Nothing was created by the refused calls; the good credentials still work.
    assert name not in all_pools(idp).values()


def test_hand_signed_requests(ks, idp):
    """The server checks the signature over the body and the signing time."""
    now = datetime.datetime.now(datetime.timezone.utc)
    body = {"MaxResults": 5}
    status, headers, answer = ks.signed_raw("ListUserPools", body, when=now)
    assert status == 200, (status, answer)
    assert "UserPools" in answer
    assert headers["content-type"].startswith("application/x-amz-json-1.1")

    # Body changed after signing.
    status, _, answer = ks.signed_raw(
        "ListUserPools", body, when=now, body_sent=b'{"MaxResults": 6}'
    )
    assert (status, answer["__type"]) == (403, "InvalidSignatureException"), answer

    # Signed an hour ago: outside the 15-minute window.
    status, _, answer = ks.signed_raw("ListUserPools", body, when=now - datetime.timedelta(hours=1))
    assert (status, answer["__type"]) == (403, "InvalidSignatureException"), answer

    # Garbage in the Authorization header.
    status, _, answer = ks.raw(
        "ListUserPools",
        body,
        {"Authorization": "AWS4-HMAC-SHA256 Credential=garbage", "X-Amz-Date": "nonsense"},
    )
    # AWS answers an unparseable Authorization header with 400 IncompleteSignature.
    assert status in (400, 403), (status, answer)
    assert answer["__type"] in ("IncompleteSignatureException", "InvalidSignatureException")
    assert "UserPools" not in answer


def test_outbox_requires_admin_credentials(ks):
    assert ks.outbox_status(None) in (401, 403)
    wrong = base64.b64encode(f"{ks.access_key}:{ks.secret_key}x".encode()).decode()
    assert ks.outbox_status(f"Basic {wrong}") in (401, 403)


# ---- pools -----------------------------------------------------------------------------------

POLICY = {
    "MinimumLength": 10,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": False,
    "TemporaryPasswordValidityDays": 3,
}


def full_pool_kwargs():
    return dict(
        Policies={"PasswordPolicy": dict(POLICY)},
        UsernameAttributes=["email"],
        UsernameConfiguration={"CaseSensitive": False},
        AutoVerifiedAttributes=["email"],
        Schema=[
            {
                "Name": "tier",
                "AttributeDataType": "String",
                "Mutable": True,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "16"},
            },
            {
                "Name": "level",
                "AttributeDataType": "Number",
                "Mutable": True,
                "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "10"},
            },
            {"Name": "email", "AttributeDataType": "String", "Mutable": True, "Required": True},
        ],
        MfaConfiguration="OFF",
        SmsConfiguration={"SnsCallerArn": ARN_ROLE, "ExternalId": "keystep-ext"},
        LambdaConfig={"PreSignUp": ARN_PRE, "PostConfirmation": ARN_POST},
        AdminCreateUserConfig={
            "AllowAdminCreateUserOnly": False,
            "InviteMessageTemplate": {
                "EmailMessage": "Hello {username}, your temporary password is {####}",
                "EmailSubject": "Welcome aboard",
                "SMSMessage": "User {username} password {####}",
            },
        },
        AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        VerificationMessageTemplate={
            "DefaultEmailOption": "CONFIRM_WITH_CODE",
            "EmailMessage": "Your code is {####}",
            "EmailSubject": "Verify your account",
            "SmsMessage": "Code {####}",
        },
    )


def assert_full_pool(pool, name):
    assert pool["Name"] == name
    assert re.fullmatch(r"[a-z0-9-]+_[0-9A-Za-z]+", pool["Id"]), pool["Id"]
    assert pool["Id"].count("_") == 1
    assert pool["Arn"].startswith("arn:aws:cognito-idp:")
    assert pool["Arn"].endswith(f":userpool/{pool['Id']}")
    assert isinstance(pool["CreationDate"], datetime.datetime)
    assert isinstance(pool["LastModifiedDate"], datetime.datetime)
    for key, value in POLICY.items():
        assert pool["Policies"]["PasswordPolicy"][key] == value, key
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["MfaConfiguration"] == "OFF"
    assert pool["SmsConfiguration"]["SnsCallerArn"] == ARN_ROLE
    assert pool["SmsConfiguration"]["ExternalId"] == "keystep-ext"
    assert pool["LambdaConfig"]["PreSignUp"] == ARN_PRE
    assert pool["LambdaConfig"]["PostConfirmation"] == ARN_POST
    admin = pool["AdminCreateUserConfig"]
    assert admin["AllowAdminCreateUserOnly"] is False
    assert admin["InviteMessageTemplate"]["EmailSubject"] == "Welcome aboard"
    assert pool["AccountRecoverySetting"]["RecoveryMechanisms"] == [
        {"Priority": 1, "Name": "verified_email"}
    ]
    vmt = pool["VerificationMessageTemplate"]
    assert vmt["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
    assert vmt["EmailMessage"] == "Your code is {####}"
    assert vmt["EmailSubject"] == "Verify your account"
    schema = schema_by_name(pool)
    assert schema["custom:tier"]["AttributeDataType"] == "String"
    assert schema["custom:tier"]["StringAttributeConstraints"]["MaxLength"] == "16"
    assert schema["custom:level"]["AttributeDataType"] == "Number"
    assert schema["custom:level"]["NumberAttributeConstraints"]["MaxValue"] == "10"
    assert schema["email"]["Required"] is True
    assert schema["sub"]["Mutable"] is False
    for standard in ("given_name", "family_name", "phone_number", "email_verified"):
        assert standard in schema, standard


def test_pool_create_describe_update_delete(idp, pools):
    name = unique("full")
    created = pools(PoolName=name, **full_pool_kwargs())
    assert_full_pool(created, name)

    described = idp.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert_full_pool(described, name)
    assert described["EstimatedNumberOfUsers"] == 0
    assert described["CreationDate"] == created["CreationDate"]

    listed = idp.list_user_pools(MaxResults=60)
    found = [p for p in listed["UserPools"] if p["Id"] == created["Id"]]
    if not found:  # more than 60 pools: walk the pages
        assert created["Id"] in set(all_pools(idp))
    else:
        assert found[0]["Name"] == name

    new_policy = dict(POLICY, MinimumLength=12, RequireSymbols=True)
    idp.update_user_pool(
        UserPoolId=created["Id"],
        Policies={"PasswordPolicy": new_policy},
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="OFF",
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
    )
    updated = idp.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert updated["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert updated["Policies"]["PasswordPolicy"]["RequireSymbols"] is True
    assert updated["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    # What cannot change after creation is kept; what UpdateUserPool omits is reset.
    assert updated["Name"] == name
    assert updated["UsernameAttributes"] == ["email"]
    assert "custom:tier" in schema_by_name(updated)
    assert "PreSignUp" not in updated.get("LambdaConfig", {})
    assert updated["LastModifiedDate"] >= described["LastModifiedDate"]

    idp.delete_user_pool(UserPoolId=created["Id"])
    expect_error(
        idp.describe_user_pool,
        "ResourceNotFoundException",
        f"User pool {created['Id']} does not exist.",
        UserPoolId=created["Id"],
    )
    expect_error(idp.delete_user_pool, "ResourceNotFoundException", UserPoolId=created["Id"])
    assert created["Id"] not in set(all_pools(idp))


def test_pool_errors(idp, pools):
    missing = "us-east-1_NoSuchPoo"
    expect_error(
        idp.describe_user_pool,
        "ResourceNotFoundException",
        f"User pool {missing} does not exist.",
        UserPoolId=missing,
    )
    expect_error(
        idp.update_user_pool,
        "ResourceNotFoundException",
        missing,
        UserPoolId=missing,
        AutoVerifiedAttributes=["email"],
    )
    expect_error(idp.delete_user_pool, "ResourceNotFoundException", UserPoolId=missing)

    before = set(all_pools(idp))
    name = unique("bad")
    expect_error(
        idp.create_user_pool,
        "InvalidParameterException",
        PoolName=name,
        UsernameAttributes=["email"],
        AliasAttributes=["email"],
    )
    expect_error(
        idp.create_user_pool,
        "InvalidParameterException",
        "MinimumLength",
        PoolName=name,
        Policies={"PasswordPolicy": {"MinimumLength": 100}},
    )
    expect_error(
        idp.create_user_pool,
        "InvalidParameterException",
        PoolName="bad name with a / slash",
    )
    # 61 is over the model's maximum; botocore checks only minimums, so the server must.
    expect_error(idp.list_user_pools, "InvalidParameterException", MaxResults=61)
    assert set(all_pools(idp)) == before, "a refused CreateUserPool left a pool behind"

    # A refused update leaves the pool as it was.
    pool = pools(Policies={"PasswordPolicy": dict(POLICY)})
    expect_error(
        idp.update_user_pool,
        "InvalidParameterException",
        UserPoolId=pool["Id"],
        Policies={"PasswordPolicy": dict(POLICY, MinimumLength=200)},
    )
    after = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert after["Policies"]["PasswordPolicy"]["MinimumLength"] == 10


def test_list_user_pools_paginates(idp, pools):
    mine = {pools()["Id"] for _ in range(3)}
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        page = idp.list_user_pools(**kwargs)
        assert len(page["UserPools"]) <= 2
        seen += [p["Id"] for p in page["UserPools"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
        assert pages < 500
    assert len(seen) == len(set(seen)), "a pool appeared on two pages"
    assert mine <= set(seen)
    assert pages >= 2


def test_user_pool_mfa_config(idp, pools):
    pool = pools()
    got = idp.get_user_pool_mfa_config(UserPoolId=pool["Id"])
    assert got["MfaConfiguration"] == "OFF"

    answer = idp.set_user_pool_mfa_config(
        UserPoolId=pool["Id"],
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={
            "SmsAuthenticationMessage": "Your sign-in code is {####}",
            "SmsConfiguration": {"SnsCallerArn": ARN_ROLE, "ExternalId": "ext"},
        },
        MfaConfiguration="OPTIONAL",
    )
    assert answer["MfaConfiguration"] == "OPTIONAL"
    assert answer["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    got = idp.get_user_pool_mfa_config(UserPoolId=pool["Id"])
    assert got["MfaConfiguration"] == "OPTIONAL"
    assert got["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert got["SmsMfaConfiguration"]["SmsAuthenticationMessage"] == "Your sign-in code is {####}"
    described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["MfaConfiguration"] == "OPTIONAL"

    # MFA required with no factor left: refused, nothing changes.
    bare = pools()
    expect_error(
        idp.set_user_pool_mfa_config,
        "InvalidParameterException",
        UserPoolId=bare["Id"],
        SoftwareTokenMfaConfiguration={"Enabled": False},
        MfaConfiguration="ON",
    )
    assert idp.get_user_pool_mfa_config(UserPoolId=bare["Id"])["MfaConfiguration"] == "OFF"

    missing = "us-east-1_NoSuchPoo"
    expect_error(idp.get_user_pool_mfa_config, "ResourceNotFoundException", UserPoolId=missing)
    expect_error(
        idp.set_user_pool_mfa_config,
        "ResourceNotFoundException",
        UserPoolId=missing,
        MfaConfiguration="OFF",
    )


def test_add_custom_attributes(idp, pools):
    pool = pools()
    idp.add_custom_attributes(
        UserPoolId=pool["Id"],
        CustomAttributes=[
            {
                "Name": "plan",
                "AttributeDataType": "String",
                "Mutable": True,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "8"},
            }
        ],
    )
    schema = schema_by_name(idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"])
    assert schema["custom:plan"]["AttributeDataType"] == "String"
    assert schema["custom:plan"]["StringAttributeConstraints"]["MaxLength"] == "8"

    expect_error(
        idp.add_custom_attributes,
        "InvalidParameterException",
        "custom:plan",
        UserPoolId=pool["Id"],
        CustomAttributes=[{"Name": "plan", "AttributeDataType": "String"}],
    )
    expect_error(
        idp.add_custom_attributes,
        "ResourceNotFoundException",
        UserPoolId="us-east-1_NoSuchPoo",
        CustomAttributes=[{"Name": "x", "AttributeDataType": "String"}],
    )

    admin_user(idp, pool["Id"], "olga", UserAttributes=[{"Name": "custom:plan", "Value": "gold"}])
    user = idp.admin_get_user(UserPoolId=pool["Id"], Username="olga")
    assert attrs(user)["custom:plan"] == "gold"
    expect_error(
        admin_user,
        "InvalidParameterException",
        "custom:plan",
        idp=idp,
        pool_id=pool["Id"],
        username="olga2",
        UserAttributes=[{"Name": "custom:plan", "Value": "platinum-plus"}],
    )
    expect_error(
        admin_user,
        "InvalidParameterException",
        "custom:nope",
        idp=idp,
        pool_id=pool["Id"],
        username="olga3",
        UserAttributes=[{"Name": "custom:nope", "Value": "x"}],
    )
    expect_error(
        idp.admin_get_user, "UserNotFoundException", UserPoolId=pool["Id"], Username="olga2"
    )


# ---- app clients -----------------------------------------------------------------------------

FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]
UNITS = {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}


def test_app_clients(idp, pools):
    pool = pools(
        Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}],
    )
    pid = pool["Id"]
    full = app_client(
        idp,
        pid,
        ClientName="full-client",
        GenerateSecret=True,
        ExplicitAuthFlows=FLOWS,
        AccessTokenValidity=2,
        IdTokenValidity=3,
        RefreshTokenValidity=10,
        TokenValidityUnits=UNITS,
        AuthSessionValidity=5,
        PreventUserExistenceErrors="ENABLED",
        ReadAttributes=["email", "custom:tier"],
        WriteAttributes=["email"],
        EnableTokenRevocation=True,
    )

    def assert_full(c, name="full-client"):
        assert c["UserPoolId"] == pid
        assert c["ClientName"] == name
        assert re.fullmatch(r"[\w+]{1,128}", c["ClientId"]), c["ClientId"]
        assert re.fullmatch(r"[\w+]{24,64}", c["ClientSecret"]), "secret shape"
        assert set(c["ExplicitAuthFlows"]) == set(FLOWS)
        assert c["IdTokenValidity"] == 3
        assert c["RefreshTokenValidity"] == 10
        assert c["TokenValidityUnits"] == UNITS
        assert c["AuthSessionValidity"] == 5
        assert c["PreventUserExistenceErrors"] == "ENABLED"
        assert set(c["ReadAttributes"]) == {"email", "custom:tier"}
        assert set(c["WriteAttributes"]) == {"email"}
        assert c["EnableTokenRevocation"] is True
        assert isinstance(c["CreationDate"], datetime.datetime)

    assert_full(full)
    assert full["AccessTokenValidity"] == 2
    described = idp.describe_user_pool_client(UserPoolId=pid, ClientId=full["ClientId"])
    assert_full(described["UserPoolClient"])
    assert described["UserPoolClient"]["ClientSecret"] == full["ClientSecret"]

    plain = app_client(idp, pid, ClientName="plain-client")
    assert "ClientSecret" not in plain
    assert plain["ClientId"] != full["ClientId"]

    seen, token = [], None
    while True:
        kwargs = {"UserPoolId": pid, "MaxResults": 1}
        if token:
            kwargs["NextToken"] = token
        page = idp.list_user_pool_clients(**kwargs)
        assert len(page["UserPoolClients"]) <= 1
        for c in page["UserPoolClients"]:
            assert "ClientSecret" not in c
            assert c["UserPoolId"] == pid
        seen += [(c["ClientId"], c["ClientName"]) for c in page["UserPoolClients"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(seen) == sorted(
        [(full["ClientId"], "full-client"), (plain["ClientId"], "plain-client")]
    )

    idp.update_user_pool_client(
        UserPoolId=pid,
        ClientId=full["ClientId"],
        ClientName="renamed-client",
        ExplicitAuthFlows=FLOWS,
        AccessTokenValidity=1,
        IdTokenValidity=3,
        RefreshTokenValidity=10,
        TokenValidityUnits=UNITS,
        AuthSessionValidity=5,
        PreventUserExistenceErrors="ENABLED",
        ReadAttributes=["email", "custom:tier"],
        WriteAttributes=["email"],
        EnableTokenRevocation=True,
    )
    after = idp.describe_user_pool_client(UserPoolId=pid, ClientId=full["ClientId"])
    assert_full(after["UserPoolClient"], "renamed-client")
    assert after["UserPoolClient"]["AccessTokenValidity"] == 1
    assert after["UserPoolClient"]["ClientSecret"] == full["ClientSecret"], "secret changed"

    # Refused settings: nothing is created or changed.
    bad_settings = [
        ({"AuthSessionValidity": 20}, "uthSessionValidity"),
        ({"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}}, "AccessToken"),
        ({"ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH", "ALLOW_USER_SRP_AUTH"]}, None),
        ({"ReadAttributes": ["custom:nope"]}, "custom:nope"),
    ]
    for settings, text in bad_settings:
        expect_error(
            idp.create_user_pool_client,
            "InvalidParameterException",
            text,
            UserPoolId=pid,
            ClientName="refused",
            **settings,
        )
        expect_error(
            idp.update_user_pool_client,
            "InvalidParameterException",
            text,
            UserPoolId=pid,
            ClientId=plain["ClientId"],
            ClientName="refused",
            **settings,
        )
    names = {c["ClientName"] for c in idp.list_user_pool_clients(UserPoolId=pid)["UserPoolClients"]}
    assert names == {"renamed-client", "plain-client"}

    expect_error(
        idp.describe_user_pool_client,
        "ResourceNotFoundException",
        UserPoolId=pid,
        ClientId="nosuchclient0000000000000",
    )
    expect_error(
        idp.create_user_pool_client,
        "ResourceNotFoundException",
        UserPoolId="us-east-1_NoSuchPoo",
        ClientName="x",
    )
    expect_error(
        idp.update_user_pool_client,
        "ResourceNotFoundException",
        UserPoolId=pid,
        ClientId="nosuchclient0000000000000",
        ClientName="x",
    )

    idp.delete_user_pool_client(UserPoolId=pid, ClientId=plain["ClientId"])
    expect_error(
        idp.describe_user_pool_client,
        "ResourceNotFoundException",
        UserPoolId=pid,
        ClientId=plain["ClientId"],
    )
    expect_error(
        idp.delete_user_pool_client,
        "ResourceNotFoundException",
        UserPoolId=pid,
        ClientId=plain["ClientId"],
    )
    # A deleted client can no longer sign anyone up.
    expect_error(
        sign_up,
        "ResourceNotFoundException",
        idp=idp,
        client_id=plain["ClientId"],
        username="ghost",
    )
    remaining = idp.list_user_pool_clients(UserPoolId=pid)["UserPoolClients"]
    assert [c["ClientId"] for c in remaining] == [full["ClientId"]]


# ---- groups ----------------------------------------------------------------------------------


def test_groups(idp, pools):
    pid = pools()["Id"]
    role = "arn:aws:iam::123456789012:role/readers"
    group = idp.create_group(
        UserPoolId=pid, GroupName="readers", Description="Can read", Precedence=5, RoleArn=role
    )["Group"]
    assert group["GroupName"] == "readers"
    assert group["UserPoolId"] == pid
    assert group["Description"] == "Can read"
    assert group["Precedence"] == 5
    assert group["RoleArn"] == role
    assert isinstance(group["CreationDate"], datetime.datetime)

    expect_error(idp.create_group, "GroupExistsException", UserPoolId=pid, GroupName="readers")
    got = idp.get_group(UserPoolId=pid, GroupName="readers")["Group"]
    assert (got["Description"], got["Precedence"]) == ("Can read", 5)
    expect_error(idp.get_group, "ResourceNotFoundException", UserPoolId=pid, GroupName="nobody")

    idp.create_group(UserPoolId=pid, GroupName="writers")
    idp.create_group(UserPoolId=pid, GroupName="admins", Precedence=0)
    names, token = [], None
    while True:
        kwargs = {"UserPoolId": pid, "Limit": 2}
        if token:
            kwargs["NextToken"] = token
        page = idp.list_groups(**kwargs)
        assert len(page["Groups"]) <= 2
        names += [g["GroupName"] for g in page["Groups"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(names) == ["admins", "readers", "writers"]

    idp.update_group(UserPoolId=pid, GroupName="readers", Description="Reads all", Precedence=7)
    got = idp.get_group(UserPoolId=pid, GroupName="readers")["Group"]
    assert (got["Description"], got["Precedence"]) == ("Reads all", 7)
    expect_error(
        idp.update_group,
        "ResourceNotFoundException",
        UserPoolId=pid,
        GroupName="nobody",
        Description="x",
    )

    admin_user(idp, pid, "paula")
    admin_user(idp, pid, "quinn")
    idp.admin_add_user_to_group(UserPoolId=pid, Username="paula", GroupName="readers")
    idp.admin_add_user_to_group(UserPoolId=pid, Username="paula", GroupName="readers")
    idp.admin_add_user_to_group(UserPoolId=pid, Username="paula", GroupName="writers")
    idp.admin_add_user_to_group(UserPoolId=pid, Username="quinn", GroupName="readers")
    mine = idp.admin_list_groups_for_user(UserPoolId=pid, Username="paula")["Groups"]
    assert sorted(g["GroupName"] for g in mine) == ["readers", "writers"]
    members = idp.list_users_in_group(UserPoolId=pid, GroupName="readers")["Users"]
    assert sorted(u["Username"] for u in members) == ["paula", "quinn"]

    expect_error(
        idp.admin_add_user_to_group,
        "ResourceNotFoundException",
        UserPoolId=pid,
        Username="paula",
        GroupName="nobody",
    )
    expect_error(
        idp.admin_add_user_to_group,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pid,
        Username="nobody",
        GroupName="readers",
    )
    expect_error(
        idp.admin_list_groups_for_user,
        "UserNotFoundException",
        UserPoolId=pid,
        Username="nobody",
    )
    expect_error(
        idp.list_users_in_group,
        "ResourceNotFoundException",
        UserPoolId=pid,
        GroupName="nobody",
    )

    idp.admin_remove_user_from_group(UserPoolId=pid, Username="paula", GroupName="writers")
    mine = idp.admin_list_groups_for_user(UserPoolId=pid, Username="paula")["Groups"]
    assert [g["GroupName"] for g in mine] == ["readers"]
    assert idp.list_users_in_group(UserPoolId=pid, GroupName="writers")["Users"] == []
    expect_error(
        idp.admin_remove_user_from_group,
        "UserNotFoundException",
        UserPoolId=pid,
        Username="nobody",
        GroupName="readers",
    )

    # Deleting a user takes it out of its groups.
    idp.admin_delete_user(UserPoolId=pid, Username="quinn")
    members = idp.list_users_in_group(UserPoolId=pid, GroupName="readers")["Users"]
    assert [u["Username"] for u in members] == ["paula"]

    idp.delete_group(UserPoolId=pid, GroupName="readers")
    expect_error(idp.get_group, "ResourceNotFoundException", UserPoolId=pid, GroupName="readers")
    expect_error(idp.delete_group, "ResourceNotFoundException", UserPoolId=pid, GroupName="readers")
    assert idp.admin_list_groups_for_user(UserPoolId=pid, Username="paula")["Groups"] == []
    expect_error(
        idp.create_group,
        "ResourceNotFoundException",
        UserPoolId="us-east-1_NoSuchPoo",
        GroupName="g",
    )


# ---- sign-up and confirmation ----------------------------------------------------------------


def test_sign_up_confirm_by_email_code(ks, idp, pools):
    pool = email_pool(
        pools,
        VerificationMessageTemplate={
            "DefaultEmailOption": "CONFIRM_WITH_CODE",
            "EmailMessage": "Your code is {####}.",
            "EmailSubject": "Verify me",
        },
    )
    pid = pool["Id"]
    cid = app_client(idp, pid)["ClientId"]

    answer = sign_up(idp, cid, "alice", "alice@example.com")
    assert answer["UserConfirmed"] is False
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", answer["UserSub"]
    )
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert status_of(idp, pid, "alice") == "UNCONFIRMED"

    entries = entries_for(ks, pid, "alice")
    assert len(entries) == 1
    entry = entries[0]
    assert entry["purpose"] == "sign_up"
    assert entry["medium"] == "EMAIL"
    assert entry["destination"] == "alice@example.com"
    assert CODE_RE.fullmatch(entry["code"])
    assert entry["subject"] == "Verify me"
    assert entry["body"] == f"Your code is {entry['code']}."
    code = entry["code"]

    wrong = "000000" if code != "000000" else "111111"
    expect_error(
        idp.confirm_sign_up,
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
        ClientId=cid,
        Username="alice",
        ConfirmationCode=wrong,
    )
    assert status_of(idp, pid, "alice") == "UNCONFIRMED"

    idp.confirm_sign_up(ClientId=cid, Username="alice", ConfirmationCode=code)
    user = idp.admin_get_user(UserPoolId=pid, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    assert user["Enabled"] is True
    a = attrs(user)
    assert a["email"] == "alice@example.com"
    assert a["email_verified"] == "true"
    assert a["sub"] == answer["UserSub"]

    expect_error(
        idp.confirm_sign_up,
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED",
        ClientId=cid,
        Username="alice",
        ConfirmationCode=code,
    )
    expect_error(
        sign_up,
        "UsernameExistsException",
        "User already exists",
        idp=idp,
        client_id=cid,
        username="alice",
        email="other@example.com",
    )


def test_sign_up_errors(ks, idp, pools):
    pool = email_pool(
        pools,
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Mutable": True, "Required": True}
        ],
    )
    pid = pool["Id"]
    cid = app_client(idp, pid)["ClientId"]

    for weak, rule in [
        ("Ab1!", "Password not long enough"),
        ("abcdefgh1!", "uppercase"),
        ("ABCDEFGH1!", "lowercase"),
        ("Abcdefgh!!", "numeric"),
        ("Abcdefgh12", "symbol"),
    ]:
        text = expect_error(
            sign_up,
            "InvalidPasswordException",
            "Password did not conform with policy",
            idp=idp,
            client_id=cid,
            username="weak",
            email="weak@example.com",
            password=weak,
        )
        assert rule in text, text
    expect_error(
        sign_up,
        "InvalidParameterException",
        "email",
        idp=idp,
        client_id=cid,
        username="noemail",
    )
    expect_error(
        sign_up,
        "InvalidParameterException",
        "given_name",
        idp=idp,
        client_id=cid,
        username="longname",
        email="long@example.com",
        extra=[{"Name": "given_name", "Value": "x" * 2049}],
    )
    expect_error(
        sign_up,
        "ResourceNotFoundException",
        idp=idp,
        client_id="nosuchclient0000000000000",
        username="nobody",
        email="n@example.com",
    )
    for name in ("weak", "noemail", "longname"):
        expect_error(idp.admin_get_user, "UserNotFoundException", UserPoolId=pid, Username=name)
    assert ks.outbox(pid) == [], "a refused sign-up sent a message"

    expect_error(
        idp.confirm_sign_up,
        "UserNotFoundException",
        "User does not exist.",
        ClientId=cid,
        Username="nobody",
        ConfirmationCode="123456",
    )
    expect_error(
        idp.resend_confirmation_code,
        "UserNotFoundException",
        ClientId=cid,
        Username="nobody",
    )


def test_resend_confirmation_code(ks, idp, pools):
    pid = email_pool(pools)["Id"]
    cid = app_client(idp, pid)["ClientId"]
    sign_up(idp, cid, "bob", "bob@example.org")
    first = latest_code(ks, pid, "bob", "sign_up")

    resent = idp.resend_confirmation_code(ClientId=cid, Username="bob")
    assert resent["CodeDeliveryDetails"] == {
        "Destination": "b***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    entries = entries_for(ks, pid, "bob")
    assert len(entries) == 2
    assert entries[1]["purpose"] == "resend_code"
    second = entries[1]["code"]
    assert CODE_RE.fullmatch(second)

    if first != second:
        # The new code replaces the old one.
        with pytest.raises(ClientError) as excinfo:
            idp.confirm_sign_up(ClientId=cid, Username="bob", ConfirmationCode=first)
        assert error_of(excinfo)[0] in ("CodeMismatchException", "ExpiredCodeException")
        assert status_of(idp, pid, "bob") == "UNCONFIRMED"
    idp.confirm_sign_up(ClientId=cid, Username="bob", ConfirmationCode=second)
    assert status_of(idp, pid, "bob") == "CONFIRMED"


def test_admin_confirm_sign_up(ks, idp, pools):
    pid = email_pool(pools)["Id"]
    cid = app_client(idp, pid)["ClientId"]
    sign_up(idp, cid, "carl", "carl@example.com")
    assert status_of(idp, pid, "carl") == "UNCONFIRMED"
    idp.admin_confirm_sign_up(UserPoolId=pid, Username="carl")
    assert status_of(idp, pid, "carl") == "CONFIRMED"
    expect_error(
        idp.admin_confirm_sign_up,
        "NotAuthorizedException",
        "Current status is CONFIRMED",
        UserPoolId=pid,
        Username="carl",
    )
    expect_error(
        idp.admin_confirm_sign_up,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pid,
        Username="nobody",
    )
    expect_error(
        idp.admin_confirm_sign_up,
        "ResourceNotFoundException",
        UserPoolId="us-east-1_NoSuchPoo",
        Username="carl",
    )


def test_sign_up_code_by_sms_and_masking(ks, idp, pools):
    pid = pools(AutoVerifiedAttributes=["phone_number"])["Id"]
    cid = app_client(idp, pid)["ClientId"]
    answer = sign_up(idp, cid, "dora", extra=[{"Name": "phone_number", "Value": "+15555551234"}])
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "+*******1234",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    entry = entries_for(ks, pid, "dora")[-1]
    assert (entry["medium"], entry["destination"]) == ("SMS", "+15555551234")
    idp.confirm_sign_up(ClientId=cid, Username="dora", ConfirmationCode=entry["code"])
    user = idp.admin_get_user(UserPoolId=pid, Username="dora")
    assert user["UserStatus"] == "CONFIRMED"
    assert attrs(user)["phone_number_verified"] == "true"

    # Both channels auto-verified: the sign-up code goes by SMS.
    both = pools(AutoVerifiedAttributes=["email", "phone_number"])["Id"]
    cid2 = app_client(idp, both)["ClientId"]
    answer = sign_up(
        idp,
        cid2,
        "ed",
        "ed@example.net",
        extra=[{"Name": "phone_number", "Value": "+447700900123"}],
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "SMS"
    assert answer["CodeDeliveryDetails"]["Destination"] == "+********0123"
    assert entries_for(ks, both, "ed")[-1]["destination"] == "+447700900123"


def test_sign_up_with_client_secret(ks, idp, pools):
    pid = email_pool(pools)["Id"]
    client = app_client(idp, pid, GenerateSecret=True)
    cid, secret = client["ClientId"], client["ClientSecret"]

    text = expect_error(
        sign_up,
        "NotAuthorizedException",
        cid,
        idp=idp,
        client_id=cid,
        username="fay",
        email="fay@example.com",
    )
    assert "secret" in text.lower()
    expect_error(
        sign_up,
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {cid}",
        idp=idp,
        client_id=cid,
        username="fay",
        email="fay@example.com",
        SecretHash=secret_hash(secret, "someone-else", cid),
    )
    expect_error(idp.admin_get_user, "UserNotFoundException", UserPoolId=pid, Username="fay")

    answer = sign_up(idp, cid, "fay", "fay@example.com", SecretHash=secret_hash(secret, "fay", cid))
    assert answer["UserConfirmed"] is False
    code = latest_code(ks, pid, "fay", "sign_up")
    expect_error(
        idp.confirm_sign_up,
        "NotAuthorizedException",
        ClientId=cid,
        Username="fay",
        ConfirmationCode=code,
    )
    expect_error(
        idp.confirm_sign_up,
        "NotAuthorizedException",
        "Unable to verify secret hash",
        ClientId=cid,
        Username="fay",
        ConfirmationCode=code,
        SecretHash=secret_hash(secret + "x", "fay", cid),
    )
    assert status_of(idp, pid, "fay") == "UNCONFIRMED"
    expect_error(
        idp.resend_confirmation_code,
        "NotAuthorizedException",
        ClientId=cid,
        Username="fay",
    )
    idp.confirm_sign_up(
        ClientId=cid,
        Username="fay",
        ConfirmationCode=code,
        SecretHash=secret_hash(secret, "fay", cid),
    )
    assert status_of(idp, pid, "fay") == "CONFIRMED"


def test_email_as_username(ks, idp, pools):
    pid = email_pool(pools, UsernameAttributes=["email"])["Id"]
    cid = app_client(idp, pid)["ClientId"]
    answer = sign_up(idp, cid, "gus@example.com", "gus@example.com")
    sub = answer["UserSub"]
    user = idp.admin_get_user(UserPoolId=pid, Username="gus@example.com")
    assert user["Username"] == sub, "the stored username of an e-mail-username user is its sub"
    assert attrs(user)["email"] == "gus@example.com"

    entry = ks.outbox(pid)[-1]
    assert (entry["username"], entry["destination"]) == (sub, "gus@example.com")
    idp.confirm_sign_up(ClientId=cid, Username="gus@example.com", ConfirmationCode=entry["code"])
    assert status_of(idp, pid, sub) == "CONFIRMED"

    expect_error(
        sign_up,
        "UsernameExistsException",
        idp=idp,
        client_id=cid,
        username="gus@example.com",
        email="gus@example.com",
    )
    expect_error(
        sign_up,
        "InvalidParameterException",
        "Username should be an email.",
        idp=idp,
        client_id=cid,
        username="gus",
        email="gus2@example.com",
    )


def test_alias_attributes(ks, idp, pools):
    pid = email_pool(pools, AliasAttributes=["email", "preferred_username"])["Id"]
    cid = app_client(idp, pid)["ClientId"]
    sign_up(idp, cid, "hana", "hana@example.com")
    idp.confirm_sign_up(
        ClientId=cid, Username="hana", ConfirmationCode=latest_code(ks, pid, "hana")
    )
    by_alias = idp.admin_get_user(UserPoolId=pid, Username="hana@example.com")
    assert by_alias["Username"] == "hana"
    expect_error(
        sign_up,
        "InvalidParameterException",
        "Username cannot be of email format",
        idp=idp,
        client_id=cid,
        username="ian@example.com",
        email="ian@example.com",
    )


def test_username_case_sensitivity(idp, pools):
    loose = pools(UsernameConfiguration={"CaseSensitive": False})["Id"]
    admin_user(idp, loose, "Harry")
    found = idp.admin_get_user(UserPoolId=loose, Username="hARRY")
    assert found["Username"].lower() == "harry"
    expect_error(
        admin_user,
        "UsernameExistsException",
        "already exists",
        idp=idp,
        pool_id=loose,
        username="HARRY",
    )

    strict = pools(UsernameConfiguration={"CaseSensitive": True})["Id"]
    admin_user(idp, strict, "Ivy")
    expect_error(idp.admin_get_user, "UserNotFoundException", UserPoolId=strict, Username="ivy")
    admin_user(idp, strict, "ivy")
    assert idp.admin_get_user(UserPoolId=strict, Username="ivy")["Username"] == "ivy"
    assert idp.admin_get_user(UserPoolId=strict, Username="Ivy")["Username"] == "Ivy"


# ---- admin user management -------------------------------------------------------------------


def admin_pool(pools):
    return pools(
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
            }
        },
        AdminCreateUserConfig={
            "AllowAdminCreateUserOnly": True,
            "InviteMessageTemplate": {
                "EmailMessage": "Hello {username}, your temporary password is {####}",
                "EmailSubject": "Welcome aboard",
                "SMSMessage": "User {username} password {####}",
            },
        },
    )["Id"]


def test_admin_create_user_invitations(ks, idp, pools):
    pid = admin_pool(pools)
    user = idp.admin_create_user(
        UserPoolId=pid,
        Username="jack",
        UserAttributes=[
            {"Name": "email", "Value": "jack@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    assert user["Username"] == "jack"
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["Enabled"] is True
    assert attrs(user)["email"] == "jack@example.com"
    assert "sub" in attrs(user)
    assert isinstance(user["UserCreateDate"], datetime.datetime)

    entries = entries_for(ks, pid, "jack")
    assert len(entries) == 1
    invite = entries[0]
    assert invite["purpose"] == "admin_create_user"
    assert (invite["medium"], invite["destination"]) == ("EMAIL", "jack@example.com")
    temp = invite["code"]
    assert len(temp) >= 12
    assert re.search(r"[a-z]", temp) and re.search(r"[A-Z]", temp) and re.search(r"[0-9]", temp)
    assert re.search(r"[^A-Za-z0-9]", temp), f"{temp!r} has no symbol"
    assert invite["subject"] == "Welcome aboard"
    assert invite["body"] == f"Hello jack, your temporary password is {temp}"

    # RESEND re-sends the invitation; the user stays FORCE_CHANGE_PASSWORD.
    again = idp.admin_create_user(
        UserPoolId=pid, Username="jack", MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"]
    )["User"]
    assert again["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    entries = entries_for(ks, pid, "jack")
    assert len(entries) == 2
    assert entries[1]["purpose"] == "admin_create_user"
    assert len(entries[1]["code"]) >= 12

    # SUPPRESS sends nothing.
    idp.admin_create_user(
        UserPoolId=pid,
        Username="kate",
        TemporaryPassword="Given-Temp-Pass-77",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "kate@example.com"}],
    )
    assert entries_for(ks, pid, "kate") == []
    assert status_of(idp, pid, "kate") == "FORCE_CHANGE_PASSWORD"

    # A given temporary password is what the invitation carries.
    idp.admin_create_user(
        UserPoolId=pid,
        Username="liam",
        TemporaryPassword="Given-Temp-Pass-78",
        UserAttributes=[{"Name": "email", "Value": "liam@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    assert [e["code"] for e in entries_for(ks, pid, "liam")] == ["Given-Temp-Pass-78"]

    # By SMS.
    idp.admin_create_user(
        UserPoolId=pid,
        Username="mia",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
        DesiredDeliveryMediums=["SMS"],
    )
    sms = entries_for(ks, pid, "mia")
    assert [(e["medium"], e["destination"]) for e in sms] == [("SMS", "+15555550100")]
    assert sms[0]["body"] == f"User mia password {sms[0]['code']}"


def test_admin_create_user_errors(ks, idp, pools):
    pid = admin_pool(pools)
    admin_user(idp, pid, "nina", "nina@example.com", TemporaryPassword="Temp-Pass-12345")
    expect_error(
        admin_user,
        "UsernameExistsException",
        "already exists",
        idp=idp,
        pool_id=pid,
        username="nina",
        TemporaryPassword="Temp-Pass-12345",
    )
    expect_error(
        idp.admin_create_user,
        "UserNotFoundException",
        UserPoolId=pid,
        Username="nobody",
        MessageAction="RESEND",
    )
    expect_error(
        admin_user,
        "InvalidPasswordException",
        "Password did not conform with policy",
        idp=idp,
        pool_id=pid,
        username="oscar",
        TemporaryPassword="short",
    )
    expect_error(idp.admin_get_user, "UserNotFoundException", UserPoolId=pid, Username="oscar")
    expect_error(
        admin_user,
        "ResourceNotFoundException",
        idp=idp,
        pool_id="us-east-1_NoSuchPoo",
        username="x",
    )
    idp.admin_set_user_password(
        UserPoolId=pid, Username="nina", Password="Perm-Pass-12345", Permanent=True
    )
    expect_error(
        idp.admin_create_user,
        "UnsupportedUserStateException",
        UserPoolId=pid,
        Username="nina",
        MessageAction="RESEND",
    )
    assert entries_for(ks, pid, "nina") == []


def test_admin_get_and_delete_user(idp, pools):
    pid = pools()["Id"]
    admin_user(idp, pid, "pete", "pete@example.com")
    user = idp.admin_get_user(UserPoolId=pid, Username="pete")
    assert user["Username"] == "pete"
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["Enabled"] is True
    assert attrs(user)["email"] == "pete@example.com"
    assert isinstance(user["UserLastModifiedDate"], datetime.datetime)

    expect_error(
        idp.admin_get_user,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pid,
        Username="nobody",
    )
    expect_error(
        idp.admin_get_user,
        "ResourceNotFoundException",
        "User pool us-east-1_NoSuchPoo does not exist.",
        UserPoolId="us-east-1_NoSuchPoo",
        Username="pete",
    )
    idp.admin_delete_user(UserPoolId=pid, Username="pete")
    expect_error(idp.admin_get_user, "UserNotFoundException", UserPoolId=pid, Username="pete")
    expect_error(idp.admin_delete_user, "UserNotFoundException", UserPoolId=pid, Username="pete")
    assert idp.list_users(UserPoolId=pid)["Users"] == []
    # The name is free again.
    admin_user(idp, pid, "pete")
    assert status_of(idp, pid, "pete") == "FORCE_CHANGE_PASSWORD"


def test_admin_set_user_password(idp, pools):
    pid = admin_pool(pools)
    admin_user(idp, pid, "quentin", TemporaryPassword="Temp-Pass-12345")
    idp.admin_set_user_password(
        UserPoolId=pid, Username="quentin", Password="Perm-Pass-12345", Permanent=True
    )
    assert status_of(idp, pid, "quentin") == "CONFIRMED"
    idp.admin_set_user_password(
        UserPoolId=pid, Username="quentin", Password="Temp-Pass-67890", Permanent=False
    )
    assert status_of(idp, pid, "quentin") == "FORCE_CHANGE_PASSWORD"
    expect_error(
        idp.admin_set_user_password,
        "InvalidPasswordException",
        "Password did not conform with policy",
        UserPoolId=pid,
        Username="quentin",
        Password="weak",
        Permanent=True,
    )
    assert status_of(idp, pid, "quentin") == "FORCE_CHANGE_PASSWORD"
    expect_error(
        idp.admin_set_user_password,
        "UserNotFoundException",
        UserPoolId=pid,
        Username="nobody",
        Password="Perm-Pass-12345",
        Permanent=True,
    )


def test_admin_update_and_delete_user_attributes(idp, pools):
    pid = pools(Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}])["Id"]
    admin_user(idp, pid, "rita", "rita@example.com")
    idp.admin_update_user_attributes(
        UserPoolId=pid,
        Username="rita",
        UserAttributes=[
            {"Name": "given_name", "Value": "Rita"},
            {"Name": "custom:tier", "Value": "gold"},
        ],
    )
    a = attrs(idp.admin_get_user(UserPoolId=pid, Username="rita"))
    assert (a["given_name"], a["custom:tier"]) == ("Rita", "gold")
    assert a["email_verified"] == "true"

    # A new e-mail without the flag is unverified.
    idp.admin_update_user_attributes(
        UserPoolId=pid,
        Username="rita",
        UserAttributes=[{"Name": "email", "Value": "rita@example.org"}],
    )
    a = attrs(idp.admin_get_user(UserPoolId=pid, Username="rita"))
    assert (a["email"], a["email_verified"]) == ("rita@example.org", "false")
    idp.admin_update_user_attributes(
        UserPoolId=pid,
        Username="rita",
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    assert attrs(idp.admin_get_user(UserPoolId=pid, Username="rita"))["email_verified"] == "true"

    before = strip_meta(idp.admin_get_user(UserPoolId=pid, Username="rita"))
    refused = [
        ([{"Name": "given_name", "Value": "x" * 2049}], "given_name"),
        (
            [{"Name": "family_name", "Value": "Ok"}, {"Name": "given_name", "Value": "y" * 4000}],
            "given_name",
        ),
        ([{"Name": "custom:nope", "Value": "x"}], "custom:nope"),
        ([{"Name": "sub", "Value": "00000000-0000-0000-0000-000000000000"}], "sub"),
    ]
    for updates, text in refused:
        expect_error(
            idp.admin_update_user_attributes,
            "InvalidParameterException",
            text,
            UserPoolId=pid,
            Username="rita",
            UserAttributes=updates,
        )
    after = strip_meta(idp.admin_get_user(UserPoolId=pid, Username="rita"))
    assert after == before, "a refused update changed the user"

    idp.admin_delete_user_attributes(
        UserPoolId=pid, Username="rita", UserAttributeNames=["given_name", "custom:tier"]
    )
    a = attrs(idp.admin_get_user(UserPoolId=pid, Username="rita"))
    assert "given_name" not in a and "custom:tier" not in a
    assert a["email"] == "rita@example.org"
    expect_error(
        idp.admin_delete_user_attributes,
        "InvalidParameterException",
        "custom:nope",
        UserPoolId=pid,
        Username="rita",
        UserAttributeNames=["custom:nope"],
    )
    expect_error(
        idp.admin_update_user_attributes,
        "UserNotFoundException",
        UserPoolId=pid,
        Username="nobody",
        UserAttributes=[{"Name": "given_name", "Value": "N"}],
    )
    expect_error(
        idp.admin_delete_user_attributes,
        "UserNotFoundException",
        UserPoolId=pid,
        Username="nobody",
        UserAttributeNames=["given_name"],
    )


def test_admin_disable_enable_user(idp, pools):
    pid = pools()["Id"]
    admin_user(idp, pid, "sam")
    idp.admin_disable_user(UserPoolId=pid, Username="sam")
    assert idp.admin_get_user(UserPoolId=pid, Username="sam")["Enabled"] is False
    idp.admin_enable_user(UserPoolId=pid, Username="sam")
    assert idp.admin_get_user(UserPoolId=pid, Username="sam")["Enabled"] is True
    expect_error(idp.admin_disable_user, "UserNotFoundException", UserPoolId=pid, Username="x")
    expect_error(idp.admin_enable_user, "UserNotFoundException", UserPoolId=pid, Username="x")


def test_admin_reset_user_password(ks, idp, pools):
    pid = pools()["Id"]
    admin_user(idp, pid, "tess", "tess@example.com")
    idp.admin_set_user_password(UserPoolId=pid, Username="tess", Password=PASSWORD, Permanent=True)
    assert status_of(idp, pid, "tess") == "CONFIRMED"
    idp.admin_reset_user_password(UserPoolId=pid, Username="tess")
    assert status_of(idp, pid, "tess") == "RESET_REQUIRED"
    entries = entries_for(ks, pid, "tess")
    assert len(entries) == 1
    assert entries[0]["purpose"] == "forgot_password"
    assert (entries[0]["medium"], entries[0]["destination"]) == ("EMAIL", "tess@example.com")
    assert CODE_RE.fullmatch(entries[0]["code"])
    assert entries[0]["code"] in entries[0]["body"]
    expect_error(
        idp.admin_reset_user_password,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pid,
        Username="nobody",
    )


def test_forgot_password_and_confirm(ks, idp, pools):
    pid = email_pool(pools)["Id"]
    cid = app_client(idp, pid)["ClientId"]
    admin_user(idp, pid, "rosa", "rosa@example.com")
    idp.admin_update_user_attributes(
        UserPoolId=pid,
        Username="rosa",
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    idp.admin_set_user_password(UserPoolId=pid, Username="rosa", Password=PASSWORD, Permanent=True)
    idp.admin_reset_user_password(UserPoolId=pid, Username="rosa")
    assert status_of(idp, pid, "rosa") == "RESET_REQUIRED"
    details = idp.forgot_password(ClientId=cid, Username="rosa")["CodeDeliveryDetails"]
    assert details == {"Destination": "r***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    entries = entries_for(ks, pid, "rosa")
    code = entries[-1]["code"]
    assert CODE_RE.fullmatch(code)
    # The previous (admin reset) code was replaced by the new one.
    old = entries[-2]["code"]
    if old != code:
        expect_error(
            idp.confirm_forgot_password,
            "CodeMismatchException",
            ClientId=cid,
            Username="rosa",
            ConfirmationCode=old,
            Password="N3w-Passw0rd!",
        )
    # A weak password is refused and does not use up the code.
    expect_error(
        idp.confirm_forgot_password,
        "InvalidPasswordException",
        ClientId=cid,
        Username="rosa",
        ConfirmationCode=code,
        Password="short",
    )
    idp.confirm_forgot_password(
        ClientId=cid, Username="rosa", ConfirmationCode=code, Password="N3w-Passw0rd!"
    )
    assert status_of(idp, pid, "rosa") == "CONFIRMED"
    # A code works once.
    expect_error(
        idp.confirm_forgot_password,
        "ExpiredCodeException",
        ClientId=cid,
        Username="rosa",
        ConfirmationCode=code,
        Password="An0ther-Passw0rd!",
    )
    expect_error(idp.forgot_password, "UserNotFoundException", ClientId=cid, Username="nobody")


# ---- ListUsers -------------------------------------------------------------------------------


def test_list_users(ks, idp, pools):
    pid = email_pool(pools)["Id"]
    cid = app_client(idp, pid)["ClientId"]
    people = [
        ("u1", "Alpha", "u1@example.com"),
        ("u2", "Alfred", "u2@example.com"),
        ("u3", "Bravo", "u3@example.com"),
        ("u4", 'O"Neil', "u4@example.com"),
        ("u5", "Charlie", "u5@example.com"),
    ]
    subs = {}
    for username, given, email in people:
        user = admin_user(
            idp,
            pid,
            username,
            email,
            UserAttributes=[{"Name": "given_name", "Value": given}],
        )
        subs[username] = attrs(user)["sub"]
    sign_up(idp, cid, "u6", "u6@example.com")
    idp.admin_disable_user(UserPoolId=pid, Username="u5")

    def names(filter_text, **kwargs):
        users, _ = list_all_users(idp, pid, Filter=filter_text, **kwargs)
        return sorted(u["Username"] for u in users)

    assert names('email = "u3@example.com"') == ["u3"]
    assert names('given_name ^= "Al"') == ["u1", "u2"]
    assert names('username = "u2"') == ["u2"]
    assert names('username ^= "u"') == ["u1", "u2", "u3", "u4", "u5", "u6"]
    assert names('given_name = "O\\"Neil"') == ["u4"]
    assert names('cognito:user_status = "UNCONFIRMED"') == ["u6"]
    assert names('status = "Disabled"') == ["u5"]
    assert names(f'sub = "{subs["u3"]}"') == ["u3"]
    assert names('email = "nobody@example.com"') == []

    everyone, pages = list_all_users(idp, pid, limit=2)
    usernames = [u["Username"] for u in everyone]
    assert sorted(usernames) == ["u1", "u2", "u3", "u4", "u5", "u6"]
    assert pages >= 3
    by_name = {u["Username"]: u for u in everyone}
    assert by_name["u6"]["UserStatus"] == "UNCONFIRMED"
    assert by_name["u1"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert by_name["u5"]["Enabled"] is False
    assert attrs(by_name["u1"]["Attributes"])["given_name"] == "Alpha"

    only_email, _ = list_all_users(idp, pid, AttributesToGet=["email"])
    assert len(only_email) == 6
    for u in only_email:
        assert [a["Name"] for a in u["Attributes"]] == ["email"]

    filtered, pages = list_all_users(idp, pid, limit=1, Filter='given_name ^= "Al"')
    assert sorted(u["Username"] for u in filtered) == ["u1", "u2"]

    for bad in ['email == "x"', "email = x", 'nickname = "x"', "given_name"]:
        expect_error(idp.list_users, "InvalidParameterException", UserPoolId=pid, Filter=bad)
    expect_error(idp.list_users, "InvalidParameterException", UserPoolId=pid, Limit=61)
    expect_error(
        idp.list_users,
        "InvalidParameterException",
        UserPoolId=pid,
        PaginationToken="not-a-real-token",
    )
    expect_error(
        idp.list_users,
        "ResourceNotFoundException",
        "User pool us-east-1_NoSuchPoo does not exist.",
        UserPoolId="us-east-1_NoSuchPoo",
    )


# ---- bad input over raw HTTP -----------------------------------------------------------------


def test_bad_input_is_refused_and_changes_nothing(ks, idp, pools):
    pid = email_pool(pools)["Id"]
    cid = app_client(idp, pid)["ClientId"]
    sign_up(idp, cid, "victim", "victim@example.com", extra=[{"Name": "given_name", "Value": "V"}])

    def snapshot():
        user = strip_meta(idp.admin_get_user(UserPoolId=pid, Username="victim"))
        users = sorted(u["Username"] for u in idp.list_users(UserPoolId=pid)["Users"])
        return user, users, len(ks.outbox(pid))

    before = snapshot()
    good = {
        "ClientId": cid,
        "Username": "newcomer",
        "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": "newcomer@example.com"}],
    }

    cases = [
        (
            "malformed JSON",
            "SignUp",
            b'{"ClientId": "' + cid.encode() + b'", "Username":',
            ["SerializationException"],
        ),
        ("not UTF-8", "SignUp", b'{"ClientId": "\xff\xfe"}', ["SerializationException"]),
        ("empty body", "SignUp", b"", ["SerializationException", "InvalidParameterException"]),
        ("array body", "SignUp", b"[1, 2, 3]", ["SerializationException"]),
        ("deep nesting", "SignUp", b'{"ClientId": ' + b"[" * 100000, ["SerializationException"]),
        (
            "missing Username",
            "SignUp",
            {k: v for k, v in good.items() if k != "Username"},
            ["InvalidParameterException"],
        ),
        (
            "missing ClientId",
            "SignUp",
            {k: v for k, v in good.items() if k != "ClientId"},
            ["InvalidParameterException"],
        ),
        (
            "Username a number",
            "SignUp",
            dict(good, Username=12345),
            ["SerializationException", "InvalidParameterException"],
        ),
        (
            "attributes a string",
            "SignUp",
            dict(good, UserAttributes="email=x"),
            ["SerializationException", "InvalidParameterException"],
        ),
        (
            "attribute value a bool",
            "SignUp",
            dict(good, UserAttributes=[{"Name": "email", "Value": True}]),
            ["SerializationException", "InvalidParameterException"],
        ),
        (
            "over-long attribute",
            "SignUp",
            dict(good, UserAttributes=[{"Name": "given_name", "Value": "z" * 2049}]),
            ["InvalidParameterException"],
        ),
        (
            "unknown client",
            "SignUp",
            dict(good, ClientId="nosuchclient0000000000000"),
            ["ResourceNotFoundException"],
        ),
        ("unknown target", "NoSuchOperation", good, ["UnknownOperationException"]),
        (
            "confirm: code a number",
            "ConfirmSignUp",
            {"ClientId": cid, "Username": "victim", "ConfirmationCode": 123456},
            ["SerializationException", "InvalidParameterException"],
        ),
        (
            "confirm: missing code",
            "ConfirmSignUp",
            {"ClientId": cid, "Username": "victim"},
            ["InvalidParameterException"],
        ),
    ]
    for label, target, body, types in cases:
        status, headers, answer = ks.raw(target, body)
        assert status == 400, f"{label}: HTTP {status} {answer!r}"
        assert isinstance(answer, dict), f"{label}: not a JSON error body: {answer!r}"
        assert answer.get("__type") in types, f"{label}: {answer!r}"
        message = answer.get("message", "")
        assert message and "panic" not in message.lower(), f"{label}: {answer!r}"
        assert headers.get("content-type", "").startswith("application/x-amz-json-1.1"), label
        assert snapshot() == before, f"{label}: the stored data changed"

    # A missing member is named in the message.
    status, _, answer = ks.raw("SignUp", {k: v for k, v in good.items() if k != "Username"})
    assert "username" in answer["message"].lower(), answer

    # No X-Amz-Target at all.
    status, _, answer = ks.raw(None, good)
    assert 400 <= (status or 0) < 500, (status, answer)

    # An oversized body (6 MiB) is refused with a 4xx, not a crash or a 5xx.
    huge = dict(good, UserAttributes=[{"Name": "given_name", "Value": "h" * (6 * 1024 * 1024)}])
    status, _, answer = ks.raw("SignUp", huge)
    assert status is not None and 400 <= status < 500, (status, str(answer)[:200])

    # Signed admin operations with bad members are refused the same way.
    for target, body, types in [
        (
            "AdminCreateUser",
            {"UserPoolId": pid, "Username": ["x"]},
            ["SerializationException", "InvalidParameterException"],
        ),
        ("AdminCreateUser", {"UserPoolId": pid}, ["InvalidParameterException"]),
        (
            "AdminGetUser",
            {"UserPoolId": "us-east-1_NoSuchPoo", "Username": "victim"},
            ["ResourceNotFoundException"],
        ),
        (
            "AdminUpdateUserAttributes",
            {
                "UserPoolId": pid,
                "Username": "victim",
                "UserAttributes": [{"Name": "given_name", "Value": "w" * 2049}],
            },
            ["InvalidParameterException"],
        ),
        (
            "CreateUserPool",
            {"PoolName": 7},
            ["SerializationException", "InvalidParameterException"],
        ),
        (
            "ListUsers",
            {"UserPoolId": pid, "Limit": "ten"},
            ["SerializationException", "InvalidParameterException"],
        ),
    ]:
        status, _, answer = ks.signed_raw(target, body)
        assert status == 400, f"{target} {body}: HTTP {status} {answer!r}"
        assert answer["__type"] in types, f"{target}: {answer!r}"
        assert snapshot() == before, f"{target}: the stored data changed"

    # The server still serves, and a good request still works.
    answer = idp.sign_up(**good)
    assert answer["UserConfirmed"] is False
    user, users, _ = snapshot()
    assert user == before[0]
    assert users == ["newcomer", "victim"]
