"""Resource servers through boto3 (the first part of OAuth 2.0 support): create, describe,
list with pagination, update, delete, and the validation and error names Cognito uses."""

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
