"""Passkey (WebAuthn) operations through boto3: the pool settings that enable them, the shape
of the creation options, and every modelled error a client can run into — without a browser
(the ceremony itself runs in Chromium in tests/js/08-passkeys.test.mjs).
"""

import json

from signin_helpers import PASSWORD, app_client, expect_error, make_user, tokens_of

PASSKEY_POLICY = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
FLOWS = ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def passkey_pool(idp, pools, rp="localhost", policy=PASSKEY_POLICY):
    pool = pools(UserPoolTier="ESSENTIALS", Policies=policy)
    if rp is not None:
        idp.set_user_pool_mfa_config(UserPoolId=pool["Id"],
                                     WebAuthnConfiguration={"RelyingPartyId": rp})
    cid = app_client(idp, pool["Id"], FLOWS)["ClientId"]
    return pool["Id"], cid


def access_token(idp, cid, username):
    resp = idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    return tokens_of(resp)["AccessToken"]


def test_webauthn_configuration_round_trips_and_is_validated(idp, pools):
    pool_id, _ = passkey_pool(idp, pools)
    config = idp.get_user_pool_mfa_config(UserPoolId=pool_id)["WebAuthnConfiguration"]
    assert config["RelyingPartyId"] == "localhost"
    assert config["UserVerification"] == "preferred"
    for bad in [{"RelyingPartyId": "https://example.com"}, {"RelyingPartyId": "example.com:443"},
                {"RelyingPartyId": "example.com", "UserVerification": "sometimes"}]:
        expect_error(idp.set_user_pool_mfa_config, "InvalidParameterException", UserPoolId=pool_id,
                     WebAuthnConfiguration=bad)
    expect_error(idp.set_user_pool_mfa_config, "UnsupportedOperationException",
                 UserPoolId=pool_id, WebAuthnConfiguration={
                     "RelyingPartyId": "example.com",
                     "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION"})
    lite = pools(UserPoolTier="LITE")
    expect_error(idp.set_user_pool_mfa_config, "FeatureUnavailableInTierException",
                 UserPoolId=lite["Id"], WebAuthnConfiguration={"RelyingPartyId": "example.com"})


def test_creation_options_have_what_browsers_and_amplify_need(idp, pools):
    pool_id, cid = passkey_pool(idp, pools)
    make_user(idp, pool_id, "ada")
    token = access_token(idp, cid, "ada")
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    assert isinstance(options, dict), "a JSON object, not a string"
    assert options["rp"]["id"] == "localhost"
    assert options["user"]["name"] == "ada"
    assert options["challenge"] and "=" not in options["challenge"]
    algorithms = {p["alg"] for p in options["pubKeyCredParams"]}
    assert -7 in algorithms
    assert options["authenticatorSelection"]["userVerification"] == "required"
    # Nothing registered yet.
    assert idp.list_web_authn_credentials(AccessToken=token)["Credentials"] == []


def test_registration_errors(idp, pools):
    pool_id, cid = passkey_pool(idp, pools)
    make_user(idp, pool_id, "bea")
    token = access_token(idp, cid, "bea")
    bogus = {"id": "AQID", "rawId": "AQID", "type": "public-key",
             "response": {"clientDataJSON": "e30", "attestationObject": "oA"}}
    # No registration started.
    expect_error(idp.complete_web_authn_registration, "WebAuthnChallengeNotFoundException",
                 AccessToken=token, Credential=bogus)
    # A credential that does not verify; and the challenge is used up by the attempt.
    idp.start_web_authn_registration(AccessToken=token)
    expect_error(idp.complete_web_authn_registration, "InvalidParameterException",
                 AccessToken=token, Credential=bogus)
    expect_error(idp.complete_web_authn_registration, "WebAuthnChallengeNotFoundException",
                 AccessToken=token, Credential=bogus)
    # Started by one app client, completed with another's token.
    other = app_client(idp, pool_id, FLOWS)["ClientId"]
    idp.start_web_authn_registration(AccessToken=token)
    expect_error(idp.complete_web_authn_registration, "WebAuthnClientMismatchException",
                 AccessToken=access_token(idp, other, "bea"), Credential=bogus)
    expect_error(idp.delete_web_authn_credential, "ResourceNotFoundException", AccessToken=token,
                 CredentialId="AQID")
    expect_error(idp.list_web_authn_credentials, "InvalidParameterException", AccessToken=token,
                 MaxResults=21)
    expect_error(idp.start_web_authn_registration, "NotAuthorizedException",
                 AccessToken=token[:-4] + "AAAA")


def test_passkeys_need_the_pool_to_allow_them(idp, pools):
    no_factor, cid = passkey_pool(idp, pools, policy={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]}})
    make_user(idp, no_factor, "cy")
    expect_error(idp.start_web_authn_registration, "WebAuthnNotEnabledException",
                 AccessToken=access_token(idp, cid, "cy"))
    no_config, cid = passkey_pool(idp, pools, rp=None)
    make_user(idp, no_config, "cy")
    expect_error(idp.start_web_authn_registration, "WebAuthnNotEnabledException",
                 AccessToken=access_token(idp, cid, "cy"))
    idp.set_user_pool_mfa_config(UserPoolId=no_config, WebAuthnConfiguration={"UserVerification": "required"})
    expect_error(idp.start_web_authn_registration, "WebAuthnConfigurationMissingException",
                 AccessToken=access_token(idp, cid, "cy"))


def test_a_user_without_passkeys_is_not_offered_web_authn(idp, pools):
    pool_id, cid = passkey_pool(idp, pools)
    make_user(idp, pool_id, "dot")
    start = idp.initiate_auth(ClientId=cid, AuthFlow="USER_AUTH",
                              AuthParameters={"USERNAME": "dot", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
    assert start["ChallengeName"] == "SELECT_CHALLENGE"
    assert "WEB_AUTHN" not in start["AvailableChallenges"]
    # An answer with a made-up credential to a WEB_AUTHN pick that was not offered.
    expect_error(idp.respond_to_auth_challenge, "InvalidParameterException", ClientId=cid,
                 ChallengeName="SELECT_CHALLENGE", Session=start["Session"],
                 ChallengeResponses={"USERNAME": "dot", "ANSWER": "WEB_AUTHN"})
    expect_error(idp.respond_to_auth_challenge, "InvalidParameterException", ClientId=cid,
                 ChallengeName="WEB_AUTHN", Session=start["Session"],
                 ChallengeResponses={"USERNAME": "dot", "CREDENTIAL": json.dumps({"id": "x"})})
