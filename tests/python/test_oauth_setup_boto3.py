"""The OAuth 2.0 set-up operations through boto3 (the first part of OAuth support): resource
servers (create, describe, list with pagination, update, delete) and user pool domains (prefix
and custom), with the validation and error names Cognito uses."""

from signin_helpers import expect_error

SCOPES = [{"ScopeName": "orders.read", "ScopeDescription": "Read orders"},
          {"ScopeName": "orders.write", "ScopeDescription": "Write orders"}]


def test_resource_server_lifecycle(idp, pools):
    pool_id = pools()["Id"]
    created = idp.create_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com",
                                         Name="Orders API", Scopes=SCOPES)["ResourceServer"]
    assert created == {"UserPoolId": pool_id, "Identifier": "https://api.example.com",
                       "Name": "Orders API", "Scopes": SCOPES}
    described = idp.describe_resource_server(UserPoolId=pool_id,
                                             Identifier="https://api.example.com")
    assert described["ResourceServer"] == created
    expect_error(idp.create_resource_server, "InvalidParameterException", "already exists",
                 UserPoolId=pool_id, Identifier="https://api.example.com", Name="Again")

    for i in range(3):
        idp.create_resource_server(UserPoolId=pool_id, Identifier=f"urn:api:{i}", Name=f"api {i}")
    page = idp.list_resource_servers(UserPoolId=pool_id, MaxResults=2)
    assert len(page["ResourceServers"]) == 2 and "NextToken" in page
    rest = idp.list_resource_servers(UserPoolId=pool_id, MaxResults=50, NextToken=page["NextToken"])
    assert "NextToken" not in rest
    listed = [s["Identifier"] for s in page["ResourceServers"] + rest["ResourceServers"]]
    assert sorted(listed) == sorted(["https://api.example.com", "urn:api:0", "urn:api:1", "urn:api:2"])

    updated = idp.update_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com",
                                         Name="Orders", Scopes=SCOPES[:1])["ResourceServer"]
    assert updated["Name"] == "Orders" and updated["Scopes"] == SCOPES[:1]
    idp.delete_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com")
    expect_error(idp.describe_resource_server, "ResourceNotFoundException", UserPoolId=pool_id,
                 Identifier="https://api.example.com")
    expect_error(idp.delete_resource_server, "ResourceNotFoundException", UserPoolId=pool_id,
                 Identifier="https://api.example.com")
    expect_error(idp.update_resource_server, "ResourceNotFoundException", UserPoolId=pool_id,
                 Identifier="https://api.example.com", Name="x")


def test_resource_server_validation(idp, pools):
    pool_id = pools()["Id"]
    for identifier, name, scopes in [
        ("has space", "n", []),
        ("urn:x", "bad/name", []),
        ("urn:x", "n", [{"ScopeName": "a/b", "ScopeDescription": "d"}]),
        ("urn:x", "n", [SCOPES[0], SCOPES[0]]),
    ]:
        expect_error(idp.create_resource_server, "InvalidParameterException", UserPoolId=pool_id,
                     Identifier=identifier, Name=name, Scopes=scopes)
    expect_error(idp.list_resource_servers, "InvalidParameterException", UserPoolId=pool_id,
                 MaxResults=51)
    expect_error(idp.create_resource_server, "ResourceNotFoundException",
                 UserPoolId="us-east-1_Nothere00", Identifier="urn:x", Name="n")


CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def test_user_pool_domains(idp, pools):
    pool_id = pools()["Id"]
    other = pools()["Id"]
    prefix = "keystep-" + pool_id.split("_")[1].lower()
    created = idp.create_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    assert created.get("ManagedLoginVersion", 1) == 1
    described = idp.describe_user_pool_domain(Domain=prefix)["DomainDescription"]
    assert described["UserPoolId"] == pool_id and described["Status"] == "ACTIVE"
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Domain"] == prefix
    # A prefix belongs to one pool; a pool has one prefix.
    expect_error(idp.create_user_pool_domain, "InvalidParameterException", "another user pool",
                 UserPoolId=other, Domain=prefix)
    expect_error(idp.create_user_pool_domain, "InvalidParameterException", UserPoolId=pool_id,
                 Domain=prefix + "-two")
    for bad in ["My-App", "-x", "my.app", "my-cognito-app"]:
        expect_error(idp.create_user_pool_domain, "InvalidParameterException", UserPoolId=other,
                     Domain=bad)

    custom = f"auth.{prefix}.example.com"
    answer = idp.create_user_pool_domain(UserPoolId=pool_id, Domain=custom,
                                         CustomDomainConfig={"CertificateArn": CERT},
                                         ManagedLoginVersion=2)
    assert answer["CloudFrontDomain"] and answer["ManagedLoginVersion"] == 2
    described = idp.describe_user_pool_domain(Domain=custom)["DomainDescription"]
    assert described["CustomDomainConfig"]["CertificateArn"] == CERT
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["CustomDomain"] == custom
    expect_error(idp.create_user_pool_domain, "InvalidParameterException", UserPoolId=other,
                 Domain="https://auth.example.com", CustomDomainConfig={"CertificateArn": CERT})
    updated = idp.update_user_pool_domain(UserPoolId=pool_id, Domain=custom, ManagedLoginVersion=1,
                                          CustomDomainConfig={"CertificateArn": CERT + "9"})
    assert updated["ManagedLoginVersion"] == 1
    assert idp.describe_user_pool_domain(Domain=custom)["DomainDescription"][
        "CustomDomainConfig"]["CertificateArn"] == CERT + "9"

    idp.delete_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    assert idp.describe_user_pool_domain(Domain=prefix)["DomainDescription"] == {}
    assert "Domain" not in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    expect_error(idp.delete_user_pool_domain, "InvalidParameterException", UserPoolId=pool_id,
                 Domain=prefix)
    # Freed, the prefix can go to another pool; a deleted pool frees its domains.
    idp.create_user_pool_domain(UserPoolId=other, Domain=prefix)
    idp.delete_user_pool(UserPoolId=other)
    assert idp.describe_user_pool_domain(Domain=prefix)["DomainDescription"] == {}


def test_app_client_oauth_settings_are_checked(idp, pools):
    pool_id = pools()["Id"]
    idp.create_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com",
                               Name="Orders", Scopes=SCOPES)

    def client(**kwargs):
        return idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web", **kwargs)

    web = client(AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
                 AllowedOAuthScopes=["openid", "email", "https://api.example.com/orders.read"],
                 CallbackURLs=["https://app.example.com/cb", "http://localhost:3000/"],
                 LogoutURLs=["https://app.example.com/"], SupportedIdentityProviders=["COGNITO"],
                 DefaultRedirectURI="https://app.example.com/cb")["UserPoolClient"]
    assert web["AllowedOAuthFlows"] == ["code"]
    machine = client(GenerateSecret=True, AllowedOAuthFlowsUserPoolClient=True,
                     AllowedOAuthFlows=["client_credentials"],
                     AllowedOAuthScopes=["https://api.example.com/orders.write"])["UserPoolClient"]
    assert machine["AllowedOAuthScopes"] == ["https://api.example.com/orders.write"]

    expect_error(client, "InvalidOAuthFlowException", AllowedOAuthFlowsUserPoolClient=True,
                 AllowedOAuthFlows=["client_credentials"],
                 AllowedOAuthScopes=["https://api.example.com/orders.read"])
    expect_error(client, "InvalidOAuthFlowException", GenerateSecret=True,
                 AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials", "code"],
                 AllowedOAuthScopes=["https://api.example.com/orders.read"],
                 CallbackURLs=["https://app.example.com/cb"])
    expect_error(client, "ScopeDoesNotExistException", AllowedOAuthFlowsUserPoolClient=True,
                 AllowedOAuthFlows=["code"], AllowedOAuthScopes=["https://api.example.com/nope"],
                 CallbackURLs=["https://app.example.com/cb"])
    for bad in [{"CallbackURLs": ["http://app.example.com/cb"]},
                {"CallbackURLs": ["https://app.example.com/cb#frag"]},
                {"CallbackURLs": []},
                {"CallbackURLs": ["https://app.example.com/cb"], "DefaultRedirectURI": "https://x.example/"},
                {"CallbackURLs": ["https://app.example.com/cb"], "SupportedIdentityProviders": ["Google"]}]:
        expect_error(client, "InvalidParameterException", AllowedOAuthFlowsUserPoolClient=True,
                     AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"], **bad)
    # Updates are checked the same way: a public client cannot take client_credentials.
    expect_error(idp.update_user_pool_client, "InvalidOAuthFlowException", UserPoolId=pool_id,
                 ClientId=web["ClientId"], AllowedOAuthFlowsUserPoolClient=True,
                 AllowedOAuthFlows=["client_credentials"],
                 AllowedOAuthScopes=["https://api.example.com/orders.read"])


def token_request(ks, form, basic=None, content_type="application/x-www-form-urlencoded"):
    """POST /oauth2/token: (status, JSON body, headers)."""
    import base64 as b64
    import json as js
    import urllib.error
    import urllib.parse
    import urllib.request

    data = form if isinstance(form, bytes) else urllib.parse.urlencode(form).encode()
    headers = {"Content-Type": content_type}
    if basic:
        headers["Authorization"] = "Basic " + b64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
    req = urllib.request.Request(f"{ks.url}/oauth2/token", data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, js.loads(r.read()), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, js.loads(e.read()), {k.lower(): v for k, v in e.headers.items()}


def test_client_credentials_tokens_carry_the_granted_scopes(ks, idp, pools):
    from signin_helpers import verify_jwt

    pool_id = pools()["Id"]
    idp.create_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com",
                               Name="Orders", Scopes=SCOPES)
    read, write = "https://api.example.com/orders.read", "https://api.example.com/orders.write"
    machine = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="machine", GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[read])["UserPoolClient"]
    cid, secret = machine["ClientId"], machine["ClientSecret"]

    status, body, headers = token_request(ks, {"grant_type": "client_credentials"}, basic=(cid, secret))
    assert status == 200, body
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert "refresh_token" not in body and "id_token" not in body
    assert headers.get("cache-control") == "no-store"
    claims = verify_jwt(ks, pool_id, body["access_token"], cid, "access")
    assert claims["scope"] == read and claims["sub"] == cid

    # client_secret_post, and an explicit scope.
    status, body, _ = token_request(ks, {"grant_type": "client_credentials", "client_id": cid,
                                         "client_secret": secret, "scope": read})
    assert status == 200, body

    def refused(form, basic=None, **kw):
        status, body, _ = token_request(ks, form, basic=basic, **kw)
        assert status == 400, body
        return body["error"]

    assert refused({"grant_type": "client_credentials", "scope": write}, (cid, secret)) == "invalid_scope"
    assert refused({"grant_type": "client_credentials", "scope": "openid"}, (cid, secret)) == "invalid_scope"
    assert refused({"grant_type": "client_credentials"}, (cid, secret + "x")) == "invalid_client"
    assert refused({"grant_type": "client_credentials", "client_id": cid}) == "invalid_client"
    assert refused({"grant_type": "client_credentials"}, ("nosuchclient", "x")) == "invalid_client"
    assert refused({"grant_type": "password"}, (cid, secret)) == "unsupported_grant_type"
    # The machine client may not use the code grant; without redirect_uri the request is malformed.
    assert refused({"grant_type": "authorization_code", "code": "x"}, (cid, secret)) == "invalid_request"
    assert refused({"grant_type": "authorization_code", "code": "x", "redirect_uri": "https://a.example/cb"},
                   (cid, secret)) == "unauthorized_client"
    assert refused({}, (cid, secret)) == "invalid_request"
    assert refused(b"grant_type=client_credentials&grant_type=client_credentials", (cid, secret)) == "invalid_request"
    assert refused({"grant_type": "client_credentials"}, (cid, secret),
                   content_type="application/json") == "invalid_request"

    # A public client, or one not allowed the grant, is unauthorized.
    public = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="spa")["UserPoolClient"]
    assert refused({"grant_type": "client_credentials", "client_id": public["ClientId"]}) == "unauthorized_client"
    plain = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="plain",
                                        GenerateSecret=True)["UserPoolClient"]
    assert refused({"grant_type": "client_credentials"},
                   (plain["ClientId"], plain["ClientSecret"])) == "unauthorized_client"
    # A scope whose resource server is gone is no longer granted.
    idp.delete_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com")
    assert refused({"grant_type": "client_credentials"}, (cid, secret)) == "invalid_scope"
