"""Cognito's validation, message for message (issue 16), where a real Cognito answer is on
public record (spec/cognito-messages.md lists the sources): MFA configuration, ListUsers
filters, password recovery, attribute updates and deletions, schema definitions."""

import pytest
from botocore.exceptions import ClientError


def error_of(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    err = e.value.response["Error"]
    return err["Code"], err["Message"]


def test_mfa_configuration_messages(idp, pools):
    pool_id = pools()["Id"]
    for mode in ("ON", "OPTIONAL"):
        assert error_of(idp.set_user_pool_mfa_config, UserPoolId=pool_id, MfaConfiguration=mode) == (
            "InvalidParameterException",
            "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
        )
    assert error_of(idp.set_user_pool_mfa_config, UserPoolId=pool_id, MfaConfiguration="OFF",
                    SoftwareTokenMfaConfiguration={"Enabled": True}) == (
        "InvalidParameterException",
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
    )


def test_list_users_filter_messages(idp, pools):
    pool_id = pools()["Id"]
    for bad in ('email = ', 'email "x"', 'email ^= "unterminated', '= "x"'):
        assert error_of(idp.list_users, UserPoolId=pool_id, Filter=bad) == (
            "InvalidParameterException", "Error while parsing filter."), bad
    assert error_of(idp.list_users, UserPoolId=pool_id, Filter='custom:foo = "x"') == (
        "InvalidParameterException", "Invalid search attribute: custom:foo")


def test_attribute_update_and_delete_messages(idp, pools):
    pool_id = pools(Schema=[{"Name": "team", "AttributeDataType": "String", "Mutable": False}])["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="u1", MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "custom:team", "Value": "a"}])
    assert error_of(idp.admin_update_user_attributes, UserPoolId=pool_id, Username="u1",
                    UserAttributes=[{"Name": "custom:nope", "Value": "x"}]) == (
        "InvalidParameterException", "user.custom:nope: Attribute does not exist in the schema.\n")
    assert error_of(idp.admin_update_user_attributes, UserPoolId=pool_id, Username="u1",
                    UserAttributes=[{"Name": "custom:team", "Value": "b"}]) == (
        "InvalidParameterException", "user.custom:team: Attribute cannot be updated.\n")
    assert error_of(idp.admin_delete_user_attributes, UserPoolId=pool_id, Username="u1",
                    UserAttributeNames=["custom:nope"]) == (
        "InvalidParameterException",
        "Invalid user attributes: user.custom:nope: Attribute does not exist in the schema.\n")
    # Sign-up keeps its own wording.
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"]["ClientId"]
    code, message = error_of(idp.sign_up, ClientId=client_id, Username="u2", Password="Passw0rd!Long",
                             UserAttributes=[{"Name": "custom:nope", "Value": "x"}])
    assert code == "InvalidParameterException"
    assert message.startswith("Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.")


def test_schema_messages(idp, pools):
    def create(schema):
        return error_of(idp.create_user_pool, PoolName="bad-schema", Schema=schema)

    assert create([{"Name": "email", "AttributeDataType": "Number"}]) == (
        "InvalidParameterException",
        "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email")
    assert create([{"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}]) == (
        "InvalidParameterException",
        "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email")
    assert create([{"Name": "tenant", "AttributeDataType": "String", "Required": True}]) == (
        "InvalidParameterException", "Required custom attributes are not supported currently.")
    assert create([{"Name": "tenant"}]) == (
        "InvalidParameterException",
        "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.")


def test_password_history_is_enforced(idp, pools):
    pool = pools(Policies={"PasswordPolicy": {"MinimumLength": 8, "PasswordHistorySize": 2}})
    pool_id = pool["Id"]
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]["PasswordPolicy"][
        "PasswordHistorySize"] == 2
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="hal", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="hal", Password="First-pass-1", Permanent=True)

    def token(password):
        return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": "hal", "PASSWORD": password}
                                 )["AuthenticationResult"]["AccessToken"]

    def change(old, new):
        idp.change_password(AccessToken=token(old), PreviousPassword=old, ProposedPassword=new)

    change("First-pass-1", "Second-pass-2")
    for reused in ("First-pass-1", "Second-pass-2"):
        code, _ = error_of(idp.change_password, AccessToken=token("Second-pass-2"),
                           PreviousPassword="Second-pass-2", ProposedPassword=reused)
        assert code == "PasswordHistoryPolicyViolationException", reused
    change("Second-pass-2", "Third-pass-3")
    # Two remembered: the current and the one before it; the first is free again.
    code, _ = error_of(idp.admin_set_user_password, UserPoolId=pool_id, Username="hal",
                       Password="Second-pass-2", Permanent=True)
    assert code == "PasswordHistoryPolicyViolationException"
    change("Third-pass-3", "First-pass-1")
    token("First-pass-1")


def test_describe_user_pool_shows_cognitos_schema(idp, pools):
    pool = pools(Schema=[{"Name": "tenant", "AttributeDataType": "String"},
                         {"Name": "level", "AttributeDataType": "Number"}])
    schema = {a["Name"]: a for a in
              idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["SchemaAttributes"]}
    assert schema["sub"]["StringAttributeConstraints"] == {"MinLength": "1", "MaxLength": "2048"}
    assert schema["email"]["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "2048"}
    assert schema["birthdate"]["StringAttributeConstraints"] == {"MinLength": "10", "MaxLength": "10"}
    assert schema["updated_at"]["NumberAttributeConstraints"] == {"MinValue": "0"}
    assert "StringAttributeConstraints" not in schema["email_verified"]
    assert schema["email_verified"]["AttributeDataType"] == "Boolean"
    assert schema["custom:tenant"]["StringAttributeConstraints"] == {}
    assert "NumberAttributeConstraints" not in schema["custom:level"]
    # Unbounded custom strings still take at most 2048 characters.
    idp.admin_create_user(UserPoolId=pool["Id"], Username="long", MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "custom:tenant", "Value": "t" * 2048}])
    code, _ = error_of(idp.admin_create_user, UserPoolId=pool["Id"], Username="longer",
                       MessageAction="SUPPRESS",
                       UserAttributes=[{"Name": "custom:tenant", "Value": "t" * 2049}])
    assert code == "InvalidParameterException"


def test_model_constraints_are_checked_and_worded_as_aws_words_them(ks, idp, pools):
    """Inputs botocore would refuse before sending, sent raw: the server checks every
    operation's members against the service model (required, lengths, ranges, enums)."""
    pid = pools()["Id"]
    status, _, answer = ks.signed_raw("ListUsers", {"Limit": 61})
    assert status == 400 and answer["__type"] == "InvalidParameterException"
    assert answer["message"] == (
        "2 validation errors detected: Value '61' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 60; Value null at 'userPoolId' failed "
        "to satisfy constraint: Member must not be null")
    status, _, answer = ks.signed_raw("CreateUserPoolClient",
                                      {"UserPoolId": pid, "ClientName": ""})
    assert status == 400
    assert answer["message"] == (
        "1 validation error detected: Value '' at 'clientName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1")
    status, _, answer = ks.signed_raw("AdminSetUserPassword", {
        "UserPoolId": pid, "Username": "someone", "Password": "p" * 300, "Permanent": True})
    assert status == 400
    # Sensitive members are named, never repeated.
    assert "Value at 'password' failed to satisfy constraint: Member must have length less " \
        "than or equal to 256" in answer["message"]
    assert "ppp" not in answer["message"]
    status, _, answer = ks.signed_raw("SetUserPoolMfaConfig",
                                      {"UserPoolId": pid, "MfaConfiguration": "SOMETIMES"})
    assert status == 400 and answer["message"] == (
        "1 validation error detected: Value 'SOMETIMES' at 'mfaConfiguration' failed to "
        "satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]")
