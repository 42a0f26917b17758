"""Remembered devices through boto3: ``NewDeviceMetadata``, ``ConfirmDevice`` with a device SRP
verifier made here, device SRP at sign-in (``DEVICE_SRP_AUTH`` → ``DEVICE_PASSWORD_VERIFIER``),
the device operations and their ``Admin*`` twins, refresh tokens bound to their device, and an
attacker's view: confirming someone else's key, replaying a device proof, naming a device of
another user.
"""

import base64
import hashlib
import os

from signin_helpers import (
    PASSWORD,
    app_client,
    challenge_of,
    expect_error,
    latest_code,
    make_user,
    respond,
    set_mfa,
    tokens_of,
)
from support import SRP_G, SRP_N, SrpClient, _h, _pad

NOT_FOUND = "Device does not exist."
PHONE = "+15555550177"


def tracking_pool(idp, pools, challenge_required=True, on_prompt=True):
    pool = pools(DeviceConfiguration={
        "ChallengeRequiredOnNewDevice": challenge_required,
        "DeviceOnlyRememberedOnUserPrompt": on_prompt,
    })
    cid = app_client(idp, pool["Id"], ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["ClientId"]
    return pool["Id"], cid


def sign_in(idp, cid, username, device_key=None):
    params = {"USERNAME": username, "PASSWORD": PASSWORD}
    if device_key:
        params["DEVICE_KEY"] = device_key
    return idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)


class Device:
    """The client side of a device: its random password and the verifier ConfirmDevice takes."""

    def __init__(self, metadata):
        self.key = metadata["DeviceKey"]
        self.group = metadata["DeviceGroupKey"]
        self.password = base64.b64encode(os.urandom(40)).decode()
        salt = int.from_bytes(os.urandom(16), "big")
        inner = hashlib.sha256(f"{self.group}{self.key}:{self.password}".encode()).digest()
        x = _h(_pad(salt) + inner)
        self.salt = base64.b64encode(_pad(salt)).decode()
        self.verifier = base64.b64encode(_pad(pow(SRP_G, x, SRP_N))).decode()

    def confirm(self, idp, access_token, name="pytest"):
        return idp.confirm_device(
            AccessToken=access_token,
            DeviceKey=self.key,
            DeviceSecretVerifierConfig={"PasswordVerifier": self.verifier, "Salt": self.salt},
            DeviceName=name,
        )

    def prove(self, ks, idp, cid, username, challenge):
        """Answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER; the final response."""
        srp = SrpClient("x_" + self.group, self.password)
        srp.pool_name = self.group
        step = respond(idp, cid, "DEVICE_SRP_AUTH", challenge["Session"],
                       {"USERNAME": username, "DEVICE_KEY": self.key, "SRP_A": srp.srp_a})
        assert step["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER", step
        params = dict(step["ChallengeParameters"], USER_ID_FOR_SRP=self.key)
        assert step["ChallengeParameters"]["USERNAME"] == username
        answer = srp.answer(params, ks.server_now())
        answer["USERNAME"] = username
        answer["DEVICE_KEY"] = self.key
        kwargs = {"Session": step["Session"]} if step.get("Session") else {}
        return idp.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="DEVICE_PASSWORD_VERIFIER", ChallengeResponses=answer, **kwargs
        ), answer


def test_new_device_metadata_only_where_devices_are_tracked(idp, pools):
    plain = pools()
    cid = app_client(idp, plain["Id"], ["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    make_user(idp, plain["Id"], "amy")
    assert "NewDeviceMetadata" not in tokens_of(sign_in(idp, cid, "amy"))
    expect_error(sign_in, "ResourceNotFoundException", NOT_FOUND, idp=idp, cid=cid, username="amy",
                 device_key="us-east-1_00000000-0000-4000-8000-000000000000")

    pool_id, cid = tracking_pool(idp, pools)
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["DeviceConfiguration"] == {
        "ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}
    make_user(idp, pool_id, "amy")
    result = tokens_of(sign_in(idp, cid, "amy"))
    metadata = result["NewDeviceMetadata"]
    assert metadata["DeviceKey"].startswith("us-east-1_")
    assert ":" not in metadata["DeviceGroupKey"]
    # Confirmed with the access token it was handed with: stored, not remembered (opt-in).
    assert Device(metadata).confirm(idp, result["AccessToken"])["UserConfirmationNecessary"] is True
    listed = idp.admin_list_devices(UserPoolId=pool_id, Username="amy")["Devices"]
    assert [d["DeviceKey"] for d in listed] == [metadata["DeviceKey"]]
    attrs = {a["Name"]: a["Value"] for a in listed[0]["DeviceAttributes"]}
    assert attrs["device_name"] == "pytest"
    assert attrs["dev:device_remembered_status"] == "not_remembered"
    assert idp.list_devices(AccessToken=result["AccessToken"])["Devices"] == []
    expect_error(idp.get_device, "ResourceNotFoundException", NOT_FOUND,
                 AccessToken=result["AccessToken"], DeviceKey=metadata["DeviceKey"])
    # Confirmed once only.
    expect_error(Device(metadata).confirm, "DeviceKeyExistsException", idp=idp,
                 access_token=result["AccessToken"])


def test_confirming_a_key_the_token_was_not_given_is_refused(idp, pools):
    pool_id, cid = tracking_pool(idp, pools)
    make_user(idp, pool_id, "ben")
    make_user(idp, pool_id, "cat")
    ben = tokens_of(sign_in(idp, cid, "ben"))
    cat = tokens_of(sign_in(idp, cid, "cat"))
    # Cat cannot confirm Ben's key with her own token, nor a made-up one.
    expect_error(Device(ben["NewDeviceMetadata"]).confirm, "ResourceNotFoundException", NOT_FOUND,
                 idp=idp, access_token=cat["AccessToken"])
    bogus = {"DeviceKey": "us-east-1_11111111-1111-4111-8111-111111111111", "DeviceGroupKey": "-x"}
    expect_error(Device(bogus).confirm, "ResourceNotFoundException", idp=idp,
                 access_token=cat["AccessToken"])
    device = Device(ben["NewDeviceMetadata"])
    expect_error(idp.confirm_device, "InvalidParameterException", AccessToken=ben["AccessToken"],
                 DeviceKey=device.key, DeviceSecretVerifierConfig={"Salt": device.salt})
    device.confirm(idp, ben["AccessToken"])
    # Cat naming Ben's device at sign-in: no such device (for her).
    expect_error(sign_in, "ResourceNotFoundException", NOT_FOUND, idp=idp, cid=cid, username="cat",
                 device_key=device.key)


def test_a_remembered_device_replaces_mfa_and_its_proof_works_once(ks, idp, pools):
    pool_id, cid = tracking_pool(idp, pools)
    set_mfa(idp, pool_id, "ON", sms=True)
    make_user(idp, pool_id, "dan", phone=PHONE)
    first = sign_in(idp, cid, "dan")
    challenge_of(first, "SMS_MFA")
    tokens = tokens_of(respond(idp, cid, "SMS_MFA", first["Session"],
                               {"USERNAME": "dan", "SMS_MFA_CODE": latest_code(ks, pool_id, "dan", "authentication")}))
    device = Device(tokens["NewDeviceMetadata"])
    device.confirm(idp, tokens["AccessToken"])

    # Not remembered yet: MFA as before, no device SRP.
    challenge_of(sign_in(idp, cid, "dan", device.key), "SMS_MFA")
    idp.update_device_status(AccessToken=tokens["AccessToken"], DeviceKey=device.key,
                             DeviceRememberedStatus="remembered")
    got = idp.get_device(AccessToken=tokens["AccessToken"], DeviceKey=device.key)["Device"]
    assert got["DeviceKey"] == device.key

    asked = sign_in(idp, cid, "dan", device.key)
    challenge_of(asked, "DEVICE_SRP_AUTH")
    done, answer = device.prove(ks, idp, cid, "dan", asked)
    result = tokens_of(done)
    assert "NewDeviceMetadata" not in result, "a known device gets no new key"
    # The same proof again: its secret block was used.
    expect_error(idp.respond_to_auth_challenge, "NotAuthorizedException", ClientId=cid,
                 ChallengeName="DEVICE_PASSWORD_VERIFIER", ChallengeResponses=answer)

    # A proof with the wrong device password fails the sign-in.
    impostor = Device(tokens["NewDeviceMetadata"])
    again = sign_in(idp, cid, "dan", device.key)
    expect_error(impostor.prove, "NotAuthorizedException", ks=ks, idp=idp, cid=cid,
                 username="dan", challenge=again)

    # The refresh token is bound to the device: refreshes with it, not with another key,
    # and not once the device is forgotten.
    refresh = result["RefreshToken"]
    idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                      AuthParameters={"REFRESH_TOKEN": refresh, "DEVICE_KEY": device.key})
    expect_error(idp.initiate_auth, "NotAuthorizedException", ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": refresh,
                                 "DEVICE_KEY": "us-east-1_22222222-2222-4222-8222-222222222222"})
    idp.forget_device(AccessToken=result["AccessToken"], DeviceKey=device.key)
    expect_error(idp.initiate_auth, "NotAuthorizedException", ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": refresh, "DEVICE_KEY": device.key})
    expect_error(idp.update_device_status, "ResourceNotFoundException", NOT_FOUND,
                 AccessToken=result["AccessToken"], DeviceKey=device.key,
                 DeviceRememberedStatus="remembered")
    # And signing in on it again is a new device: MFA.
    expect_error(sign_in, "ResourceNotFoundException", NOT_FOUND, idp=idp, cid=cid, username="dan",
                 device_key=device.key)


def test_admin_device_operations(idp, pools):
    pool_id, cid = tracking_pool(idp, pools, on_prompt=False)
    make_user(idp, pool_id, "eve")
    keys = []
    for _ in range(3):
        tokens = tokens_of(sign_in(idp, cid, "eve"))
        device = Device(tokens["NewDeviceMetadata"])
        assert device.confirm(idp, tokens["AccessToken"])["UserConfirmationNecessary"] is False
        keys.append(device.key)
    page = idp.admin_list_devices(UserPoolId=pool_id, Username="eve", Limit=2)
    assert len(page["Devices"]) == 2 and "PaginationToken" in page
    rest = idp.admin_list_devices(UserPoolId=pool_id, Username="eve", Limit=2,
                                  PaginationToken=page["PaginationToken"])
    assert "PaginationToken" not in rest
    seen = [d["DeviceKey"] for d in page["Devices"] + rest["Devices"]]
    assert sorted(seen) == sorted(keys)
    # Remembered at once in an "always" pool: the user lists them too.
    assert len(idp.list_devices(AccessToken=tokens["AccessToken"])["Devices"]) == 3

    idp.admin_update_device_status(UserPoolId=pool_id, Username="eve", DeviceKey=keys[0],
                                   DeviceRememberedStatus="not_remembered")
    attrs = idp.admin_get_device(UserPoolId=pool_id, Username="eve", DeviceKey=keys[0])["Device"]["DeviceAttributes"]
    assert {"Name": "dev:device_remembered_status", "Value": "not_remembered"} in attrs
    expect_error(idp.admin_update_device_status, "InvalidParameterException", UserPoolId=pool_id,
                 Username="eve", DeviceKey=keys[0], DeviceRememberedStatus="forever")
    idp.admin_forget_device(UserPoolId=pool_id, Username="eve", DeviceKey=keys[0])
    expect_error(idp.admin_get_device, "ResourceNotFoundException", NOT_FOUND, UserPoolId=pool_id,
                 Username="eve", DeviceKey=keys[0])
    expect_error(idp.admin_list_devices, "InvalidParameterException", UserPoolId=pool_id,
                 Username="eve", Limit=61)
    # Deleting the user takes the devices along.
    idp.admin_delete_user(UserPoolId=pool_id, Username="eve")
    make_user(idp, pool_id, "eve")
    assert idp.admin_list_devices(UserPoolId=pool_id, Username="eve")["Devices"] == []


def test_device_operations_outside_tracking_pools(idp, pools):
    plain = pools()
    make_user(idp, plain["Id"], "fay")
    expect_error(idp.admin_list_devices, "InvalidUserPoolConfigurationException",
                 UserPoolId=plain["Id"], Username="fay")
    expect_error(idp.admin_get_device, "ResourceNotFoundException", NOT_FOUND, UserPoolId=plain["Id"],
                 Username="fay", DeviceKey="us-east-1_33333333-3333-4333-8333-333333333333")
