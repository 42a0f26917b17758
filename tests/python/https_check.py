"""boto3 over HTTPS against `keystep serve` with a test CA (verify=CA_FILE): creates a
user with a permanent password as an administrator would, then signs in with it.

Usage: https_check.py ENDPOINT CA_FILE POOL_ID CLIENT_ID USERNAME PASSWORD
(admin credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
"""

import sys

import boto3


def main() -> int:
    endpoint, ca_file, pool_id, client_id, username, password = sys.argv[1:7]
    idp = boto3.client(
        "cognito-idp", endpoint_url=endpoint, region_name="us-east-1", verify=ca_file
    )
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": username},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=password, Permanent=True
    )
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]
    assert tokens["AccessToken"], tokens
    user = idp.get_user(AccessToken=tokens["AccessToken"])
    assert user["Username"], user
    print("boto3 over HTTPS: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
