"""App-client secret rotation through boto3: AddUserPoolClientSecret (a second secret, its
value shown once), ListUserPoolClientSecrets (never values), DeleteUserPoolClientSecret
(never the last; deleting the primary promotes the other); both secrets sign in during the
rotation; concurrent adds cannot make three."""

import concurrent.futures

import pytest
from botocore.exceptions import ClientError

from signin_helpers import PASSWORD, make_user
from support import secret_hash


def code_of(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    return e.value.response["Error"]["Code"]


def sign_in(idp, client_id, secret):
    return idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "rot", "PASSWORD": PASSWORD,
                        "SECRET_HASH": secret_hash(secret, "rot", client_id)})


def setup(idp, pools):
    pid = pools()["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pid, ClientName="svc", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    make_user(idp, pid, "rot")
    return pid, client["ClientId"], client["ClientSecret"]


def test_rotation_with_two_valid_secrets(idp, pools):
    pid, cid, first = setup(idp, pools)
    listed = idp.list_user_pool_client_secrets(UserPoolId=pid, ClientId=cid)["ClientSecrets"]
    assert len(listed) == 1 and "ClientSecretValue" not in listed[0]
    first_id = listed[0]["ClientSecretId"]

    added = idp.add_user_pool_client_secret(UserPoolId=pid, ClientId=cid)["ClientSecretDescriptor"]
    second = added["ClientSecretValue"]
    assert second != first and added["ClientSecretId"] != first_id
    listed = idp.list_user_pool_client_secrets(UserPoolId=pid, ClientId=cid)["ClientSecrets"]
    assert [s["ClientSecretId"] for s in listed] == [first_id, added["ClientSecretId"]]
    assert all("ClientSecretValue" not in s for s in listed)

    for secret in (first, second):
        assert "AuthenticationResult" in sign_in(idp, cid, secret)
    assert code_of(idp.add_user_pool_client_secret, UserPoolId=pid, ClientId=cid) == "LimitExceededException"

    # The old secret retired: the new one is the client's secret now.
    idp.delete_user_pool_client_secret(UserPoolId=pid, ClientId=cid, ClientSecretId=first_id)
    assert code_of(sign_in, idp=idp, client_id=cid, secret=first) == "NotAuthorizedException"
    assert "AuthenticationResult" in sign_in(idp, cid, second)
    described = idp.describe_user_pool_client(UserPoolId=pid, ClientId=cid)["UserPoolClient"]
    assert described["ClientSecret"] == second
    assert code_of(idp.delete_user_pool_client_secret, UserPoolId=pid, ClientId=cid,
                   ClientSecretId=added["ClientSecretId"]) == "InvalidParameterException"
    assert code_of(idp.delete_user_pool_client_secret, UserPoolId=pid, ClientId=cid,
                   ClientSecretId="no-such-secret") == "ResourceNotFoundException"


def test_given_values_public_clients_and_races(idp, pools):
    pid, cid, _ = setup(idp, pools)
    custom = "a" * 20 + "_custom+value"
    added = idp.add_user_pool_client_secret(UserPoolId=pid, ClientId=cid, ClientSecret=custom)
    assert added["ClientSecretDescriptor"]["ClientSecretValue"] == custom
    assert "AuthenticationResult" in sign_in(idp, cid, custom)

    public = idp.create_user_pool_client(UserPoolId=pid, ClientName="spa")["UserPoolClient"]["ClientId"]
    assert code_of(idp.add_user_pool_client_secret, UserPoolId=pid, ClientId=public) == "InvalidParameterException"
    assert code_of(idp.add_user_pool_client_secret, UserPoolId=pid, ClientId=cid,
                   ClientSecret="x" * 30 + "!bad") == "InvalidParameterException"

    # Six concurrent adds to a client with one secret: exactly one wins.
    pid3, racing, _ = setup(idp, pools)

    def add(_):
        try:
            idp.add_user_pool_client_secret(UserPoolId=pid3, ClientId=racing)
            return "ok"
        except ClientError as e:
            return e.response["Error"]["Code"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as ex:
        results = list(ex.map(add, range(6)))
    assert results.count("ok") == 1, results
    assert len(idp.list_user_pool_client_secrets(UserPoolId=pid3, ClientId=racing)["ClientSecrets"]) == 2
