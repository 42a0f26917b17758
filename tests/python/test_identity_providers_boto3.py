"""Identity providers through boto3: create/describe/list/update/delete, lookup by
identifier, the validation and error names Cognito uses (DuplicateProviderException,
InvalidParameterException, ResourceNotFoundException, LimitExceededException), app clients
naming the pool's providers, and linking identities to users (AdminLinkProviderForUser,
AdminDisableProviderForUser)."""

import datetime

from signin_helpers import app_client, expect_error, make_user

OIDC = {
    "client_id": "corp-client",
    "client_secret": "corp-secret",
    "authorize_scopes": "openid email",
    "oidc_issuer": "https://idp.corp.example.com",
    "attributes_request_method": "GET",
}
GOOGLE = {"client_id": "g-id", "client_secret": "g-secret",
          "authorize_scopes": "openid email profile"}


def create_oidc(idp, pool_id, provider_name="Corp", **kwargs):
    return idp.create_identity_provider(UserPoolId=pool_id, ProviderName=provider_name,
                                        ProviderType="OIDC", ProviderDetails=dict(OIDC),
                                        **kwargs)["IdentityProvider"]


def test_identity_provider_lifecycle(idp, pools):
    pool_id = pools()["Id"]
    created = create_oidc(idp, pool_id, AttributeMapping={"email": "email"},
                          IdpIdentifiers=["corp.example.com", "corp"])
    assert created["UserPoolId"] == pool_id
    assert created["ProviderName"] == "Corp" and created["ProviderType"] == "OIDC"
    # Describe shows the secret (Cognito does) and adds attributes_url_add_attributes.
    assert created["ProviderDetails"] == dict(OIDC, attributes_url_add_attributes="false")
    assert created["AttributeMapping"] == {"email": "email", "username": "sub"}
    assert created["IdpIdentifiers"] == ["corp.example.com", "corp"]
    assert isinstance(created["CreationDate"], datetime.datetime)
    assert isinstance(created["LastModifiedDate"], datetime.datetime)

    described = idp.describe_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    assert described["IdentityProvider"] == created
    by_id = idp.get_identity_provider_by_identifier(UserPoolId=pool_id, IdpIdentifier="corp")
    assert by_id["IdentityProvider"]["ProviderName"] == "Corp"

    # Update replaces what it is given and keeps the rest.
    details = dict(OIDC, authorize_scopes="openid profile")
    updated = idp.update_identity_provider(UserPoolId=pool_id, ProviderName="Corp",
                                           ProviderDetails=details,
                                           IdpIdentifiers=["corp.example.org"])["IdentityProvider"]
    assert updated["ProviderDetails"]["authorize_scopes"] == "openid profile"
    assert updated["IdpIdentifiers"] == ["corp.example.org"]
    assert updated["AttributeMapping"] == created["AttributeMapping"]
    assert updated["CreationDate"] == created["CreationDate"]
    assert updated["LastModifiedDate"] >= created["LastModifiedDate"]
    # The identifiers an update drops are free again.
    expect_error(idp.get_identity_provider_by_identifier, "ResourceNotFoundException",
                 UserPoolId=pool_id, IdpIdentifier="corp")

    idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    for call, kwargs in [
        (idp.describe_identity_provider, {"ProviderName": "Corp"}),
        (idp.delete_identity_provider, {"ProviderName": "Corp"}),
        (idp.update_identity_provider, {"ProviderName": "Corp", "IdpIdentifiers": []}),
        (idp.get_identity_provider_by_identifier, {"IdpIdentifier": "corp.example.org"}),
    ]:
        expect_error(call, "ResourceNotFoundException", UserPoolId=pool_id, **kwargs)
    expect_error(idp.describe_identity_provider, "ResourceNotFoundException",
                 UserPoolId="us-east-1_Nothere00", ProviderName="Corp")


def test_list_identity_providers_pages(idp, pools):
    pool_id = pools()["Id"]
    for name in ["Delta", "Alpha", "Charlie", "Bravo"]:
        create_oidc(idp, pool_id, provider_name=name)
    idp.create_identity_provider(UserPoolId=pool_id, ProviderName="Google",
                                 ProviderType="Google", ProviderDetails=GOOGLE)
    page = idp.list_identity_providers(UserPoolId=pool_id, MaxResults=2)
    assert [p["ProviderName"] for p in page["Providers"]] == ["Alpha", "Bravo"]
    assert set(page["Providers"][0]) == {"ProviderName", "ProviderType", "LastModifiedDate",
                                         "CreationDate"}
    rest = idp.list_identity_providers(UserPoolId=pool_id, MaxResults=60,
                                       NextToken=page["NextToken"])
    assert "NextToken" not in rest
    assert [(p["ProviderName"], p["ProviderType"]) for p in rest["Providers"]] == [
        ("Charlie", "OIDC"), ("Delta", "OIDC"), ("Google", "Google")]
    everything = idp.list_identity_providers(UserPoolId=pool_id)
    assert len(everything["Providers"]) == 5
    expect_error(idp.list_identity_providers, "InvalidParameterException", UserPoolId=pool_id,
                 MaxResults=0)


def test_duplicates_are_refused(idp, pools):
    pool_id = pools()["Id"]
    create_oidc(idp, pool_id, IdpIdentifiers=["corp.example.com"])
    expect_error(create_oidc, "DuplicateProviderException", "Corp", idp=idp, pool_id=pool_id)
    expect_error(create_oidc, "DuplicateProviderException", "corp.example.com", idp=idp,
                 pool_id=pool_id, provider_name="Other", IdpIdentifiers=["corp.example.com"])
    # The refused create left nothing behind.
    expect_error(idp.describe_identity_provider, "ResourceNotFoundException",
                 UserPoolId=pool_id, ProviderName="Other")
    create_oidc(idp, pool_id, provider_name="Other", IdpIdentifiers=["other.example.com"])
    expect_error(idp.update_identity_provider, "DuplicateProviderException",
                 UserPoolId=pool_id, ProviderName="Other", IdpIdentifiers=["corp.example.com"])
    # Another pool may use the same name and identifier.
    other_pool = pools()["Id"]
    create_oidc(idp, other_pool, IdpIdentifiers=["corp.example.com"])


def test_details_are_validated(idp, pools):
    pool_id = pools()["Id"]
    bad_oidc = [
        {k: v for k, v in OIDC.items() if k != "client_id"},
        dict(OIDC, authorize_scopes="email profile"),
        dict(OIDC, oidc_issuer="http://idp.corp.example.com"),
        dict(OIDC, attributes_request_method="PUT"),
        dict(OIDC, clientid="typo"),
    ]
    for details in bad_oidc:
        expect_error(idp.create_identity_provider, "InvalidParameterException",
                     UserPoolId=pool_id, ProviderName="Corp", ProviderType="OIDC",
                     ProviderDetails=details)
    # HTTP is fine for a provider on the local machine.
    idp.create_identity_provider(UserPoolId=pool_id, ProviderName="Local", ProviderType="OIDC",
                                 ProviderDetails=dict(OIDC, oidc_issuer="http://127.0.0.1:9/r"))
    for name, ptype, details, extra in [
        ("MyGoogle", "Google", GOOGLE, {}),  # a social provider is named after its type
        ("Google", "Google", {"client_id": "x", "authorize_scopes": "email"}, {}),
        ("ab", "OIDC", OIDC, {}),  # too short for the model's pattern
        ("_Corp", "OIDC", OIDC, {}),
        ("Corp", "OIDC", OIDC, {"AttributeMapping": {"no_such_attribute": "x"}}),
        ("Corp", "OIDC", OIDC, {"IdpIdentifiers": ["bad/identifier"]}),
        ("Corp", "SAML", {"MetadataURL": "https://a.example/m", "MetadataFile": "<x/>"}, {}),
    ]:
        expect_error(idp.create_identity_provider, "InvalidParameterException",
                     UserPoolId=pool_id, ProviderName=name, ProviderType=ptype,
                     ProviderDetails=details, **extra)
    expect_error(idp.update_identity_provider, "InvalidParameterException", UserPoolId=pool_id,
                 ProviderName="Local", ProviderDetails=dict(OIDC, authorize_scopes="email"))


def test_social_and_saml_providers_are_described(idp, pools):
    pool_id = pools()["Id"]
    google = idp.create_identity_provider(UserPoolId=pool_id, ProviderName="Google",
                                          ProviderType="Google",
                                          ProviderDetails=GOOGLE)["IdentityProvider"]
    details = google["ProviderDetails"]
    assert details["client_secret"] == "g-secret"
    assert details["authorize_url"] == "https://accounts.google.com/o/oauth2/v2/auth"
    assert details["token_url"] == "https://www.googleapis.com/oauth2/v4/token"
    assert details["oidc_issuer"] == "https://accounts.google.com"
    assert details["token_request_method"] == "POST"
    assert google["AttributeMapping"] == {"username": "sub"}
    # Sending Describe's map back (read-modify-write) is accepted.
    idp.update_identity_provider(UserPoolId=pool_id, ProviderName="Google",
                                 ProviderDetails=details)
    facebook = idp.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Facebook", ProviderType="Facebook",
        ProviderDetails=dict(GOOGLE, api_version="v19.0"))["IdentityProvider"]
    assert facebook["ProviderDetails"]["authorize_url"] == \
        "https://www.facebook.com/v19.0/dialog/oauth"
    assert facebook["AttributeMapping"] == {"username": "id"}
    saml = idp.create_identity_provider(
        UserPoolId=pool_id, ProviderName="CorpSaml", ProviderType="SAML",
        ProviderDetails={"MetadataURL": "https://sso.corp.example.com/metadata"},
        AttributeMapping={"email": "http://schemas.xmlsoap.org/claims/EmailAddress"},
    )["IdentityProvider"]
    assert saml["ProviderDetails"] == {"MetadataURL": "https://sso.corp.example.com/metadata"}


def test_app_clients_name_the_pools_providers(idp, pools):
    pool_id = pools()["Id"]
    oauth = {"AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthFlows": ["code"],
             "AllowedOAuthScopes": ["openid"], "CallbackURLs": ["https://app.example.com/cb"]}
    expect_error(app_client, "InvalidParameterException", "Corp", idp=idp, pool_id=pool_id,
                 SupportedIdentityProviders=["COGNITO", "Corp"], **oauth)
    create_oidc(idp, pool_id)
    client = app_client(idp, pool_id, SupportedIdentityProviders=["COGNITO", "Corp"], **oauth)
    assert client["SupportedIdentityProviders"] == ["COGNITO", "Corp"]
    expect_error(idp.update_user_pool_client, "InvalidParameterException", UserPoolId=pool_id,
                 ClientId=client["ClientId"], SupportedIdentityProviders=["Google"], **oauth)


def test_provider_limit(idp, pools):
    pool_id = pools()["Id"]
    for i in range(300):
        create_oidc(idp, pool_id, provider_name=f"P{i:03}")
    expect_error(create_oidc, "LimitExceededException", idp=idp, pool_id=pool_id, provider_name="P300")


def link(idp, pool_id, username, subject, provider="Corp", attribute="Cognito_Subject"):
    return idp.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": username},
        SourceUser={"ProviderName": provider, "ProviderAttributeName": attribute,
                    "ProviderAttributeValue": subject})


def test_link_and_disable_provider_for_user(idp, pools):
    pool_id = pools()["Id"]
    create_oidc(idp, pool_id)
    idp.create_identity_provider(UserPoolId=pool_id, ProviderName="Google",
                                 ProviderType="Google", ProviderDetails=GOOGLE)
    make_user(idp, pool_id, "alice")
    make_user(idp, pool_id, "bob")
    link(idp, pool_id, "alice", "ext-1")
    link(idp, pool_id, "alice", "g-123", provider="Google")
    # One identity signs in as one user.
    expect_error(link, "AliasExistsException", idp=idp, pool_id=pool_id, username="bob",
                 subject="ext-1")
    expect_error(link, "AliasExistsException", idp=idp, pool_id=pool_id, username="alice",
                 subject="ext-1")
    # The destination must exist; the source must be one of the pool's providers.
    expect_error(link, "UserNotFoundException", idp=idp, pool_id=pool_id, username="nobody",
                 subject="ext-2")
    expect_error(link, "ResourceNotFoundException", idp=idp, pool_id=pool_id, username="bob",
                 subject="x", provider="Nowhere")
    expect_error(link, "InvalidParameterException", idp=idp, pool_id=pool_id, username="bob",
                 subject="x", provider="Cognito")
    # Social providers identify users by Cognito_Subject only.
    expect_error(link, "InvalidParameterException", idp=idp, pool_id=pool_id, username="bob",
                 subject="a@b.c", provider="Google", attribute="email")
    expect_error(idp.admin_link_provider_for_user, "InvalidParameterException",
                 UserPoolId=pool_id,
                 DestinationUser={"ProviderName": "Google", "ProviderAttributeValue": "bob"},
                 SourceUser={"ProviderName": "Corp", "ProviderAttributeName": "Cognito_Subject",
                             "ProviderAttributeValue": "ext-3"})
    # An identity that signed up on its own cannot be merged.
    make_user(idp, pool_id, "Corp_ext-9")
    expect_error(link, "InvalidParameterException", "Merging is not currently supported",
                 idp=idp, pool_id=pool_id, username="bob", subject="ext-9")
    # Five links per user.
    for i in range(3):
        link(idp, pool_id, "alice", f"more-{i}")
    expect_error(link, "LimitExceededException", idp=idp, pool_id=pool_id, username="alice",
                 subject="more-3")

    # Disabling unlinks: the identity can be linked elsewhere afterwards.
    user = {"ProviderName": "Corp", "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "ext-1"}
    idp.admin_disable_provider_for_user(UserPoolId=pool_id, User=user)
    link(idp, pool_id, "bob", "ext-1")
    # Nothing linked and no federated user: UserNotFoundException.
    expect_error(idp.admin_disable_provider_for_user, "UserNotFoundException",
                 UserPoolId=pool_id, User=dict(user, ProviderAttributeValue="never-linked"))
    # A federated user of that identity is disabled.
    idp.admin_disable_provider_for_user(UserPoolId=pool_id,
                                        User=dict(user, ProviderAttributeValue="ext-9"))
    assert idp.admin_get_user(UserPoolId=pool_id, Username="Corp_ext-9")["Enabled"] is False
    expect_error(idp.admin_disable_provider_for_user, "UnsupportedOperationException",
                 UserPoolId=pool_id,
                 User={"ProviderName": "Cognito", "ProviderAttributeName": "Cognito_Subject",
                       "ProviderAttributeValue": "alice"})
    # Deleting the provider removes its links.
    idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    create_oidc(idp, pool_id)
    link(idp, pool_id, "alice", "ext-1")
