//! Valid bodies for the public operations: sign-up, password recovery, sign-in and its
//! challenges, tokens, the signed-in user's own account, MFA and devices. Built from the
//! `keystep-proto` shapes with the fixture's clients, tokens and waiting challenges.

use std::collections::BTreeMap;

use keystep_proto as p;
use serde_json::Value;

use super::accounts::Role;
use super::picks::{fake_jwt, random_token, Picks};
use super::templates::{attrs, enc, metadata, mfa_settings};

/// A valid body for `op` if it is one of the public operations.
pub fn template(op: &str, k: &mut Picks<'_>) -> Option<Value> {
    let v = match op {
        "SignUp" => {
            let (_, client) = k.client();
            let username = k.scratch_user();
            enc(p::SignUpRequest {
                secret_hash: k.secret_hash(&client, &username).map(Into::into),
                client_id: client.id,
                username,
                password: Some(k.password().into()),
                user_attributes: k.chance(0.7).then(|| attrs(k.attributes())),
                validation_data: k.chance(0.1).then(|| attrs(vec![("k".into(), "v".into())])),
                client_metadata: metadata(k),
                ..Default::default()
            })
        }
        "ConfirmSignUp" => {
            let (_, mut client) = k.client();
            let (username, code) = match k.code_for(op) {
                Some(c) if k.chance(0.7) => {
                    client = k.pool.clients.get(c.client).cloned().unwrap_or(client);
                    (c.user, c.code)
                }
                _ if k.chance(0.6) => (k.fixture_user(|r| r == Role::Unconfirmed), k.code()),
                _ => (k.scratch_user(), k.code()),
            };
            enc(p::ConfirmSignUpRequest {
                secret_hash: k.secret_hash(&client, &username).map(Into::into),
                client_id: client.id,
                username,
                confirmation_code: code.into(),
                force_alias_creation: k.chance(0.2).then(|| k.chance(0.5)),
                ..Default::default()
            })
        }
        "ResendConfirmationCode" | "ForgotPassword" => {
            let (_, client) = k.client();
            let username = k.user();
            let secret_hash = k.secret_hash(&client, &username).map(Into::into);
            if op == "ForgotPassword" {
                enc(p::ForgotPasswordRequest {
                    client_id: client.id,
                    secret_hash,
                    username,
                    client_metadata: metadata(k),
                    ..Default::default()
                })
            } else {
                enc(p::ResendConfirmationCodeRequest {
                    client_id: client.id,
                    secret_hash,
                    username,
                    client_metadata: metadata(k),
                    ..Default::default()
                })
            }
        }
        "ConfirmForgotPassword" => {
            let (_, mut client) = k.client();
            let (username, code) = match k.code_for(op) {
                Some(c) if k.chance(0.7) => {
                    client = k.pool.clients.get(c.client).cloned().unwrap_or(client);
                    (c.user, c.code)
                }
                _ => (k.user(), k.code()),
            };
            enc(p::ConfirmForgotPasswordRequest {
                secret_hash: k.secret_hash(&client, &username).map(Into::into),
                client_id: client.id,
                username,
                confirmation_code: code.into(),
                password: k.password().into(),
                ..Default::default()
            })
        }
        "ChangePassword" => enc(p::ChangePasswordRequest {
            previous_password: k.chance(0.9).then(|| k.password().into()),
            proposed_password: k.password().into(),
            access_token: spend_access(k).into(),
        }),
        "InitiateAuth" | "AdminInitiateAuth" => initiate(op == "AdminInitiateAuth", k),
        "RespondToAuthChallenge" | "AdminRespondToAuthChallenge" => {
            respond(op == "AdminRespondToAuthChallenge", k)
        }
        "GetTokensFromRefreshToken" | "RevokeToken" => {
            let tokens = if op == "RevokeToken" {
                k.tokens_to_spend()
            } else {
                k.tokens()
            };
            let (refresh, client) = match tokens {
                Some(t) => (t.refresh, k.pool.clients.get(t.client).cloned()),
                None => (random_token(k.rng, 80), None),
            };
            let client = client.unwrap_or_else(|| k.client().1);
            let secret = client.secret.clone().filter(|_| k.chance(0.9));
            if op == "RevokeToken" {
                enc(p::RevokeTokenRequest {
                    token: refresh.into(),
                    client_id: client.id,
                    client_secret: secret.map(Into::into),
                })
            } else {
                enc(p::GetTokensFromRefreshTokenRequest {
                    refresh_token: refresh.into(),
                    client_id: client.id,
                    client_secret: secret.map(Into::into),
                    client_metadata: metadata(k),
                    ..Default::default()
                })
            }
        }
        "GlobalSignOut" => enc(p::GlobalSignOutRequest {
            access_token: spend_access(k).into(),
        }),
        "GetUser" => enc(p::GetUserRequest {
            access_token: k.access_token().into(),
        }),
        "UpdateUserAttributes" => enc(p::UpdateUserAttributesRequest {
            user_attributes: attrs(k.attributes()),
            access_token: spend_access(k).into(),
            client_metadata: metadata(k),
        }),
        "DeleteUserAttributes" => enc(p::DeleteUserAttributesRequest {
            user_attribute_names: vec![k.attribute_name()],
            access_token: spend_access(k).into(),
        }),
        "DeleteUser" => enc(p::DeleteUserRequest {
            access_token: spend_access(k).into(),
        }),
        "GetUserAttributeVerificationCode" => enc(p::GetUserAttributeVerificationCodeRequest {
            access_token: k.access_token().into(),
            attribute_name: k.one(&["email", "phone_number", "name"]).into(),
            client_metadata: metadata(k),
        }),
        "VerifyUserAttribute" => match k.code_for(op) {
            Some(c) if k.chance(0.7) => enc(p::VerifyUserAttributeRequest {
                access_token: c.access_token.unwrap_or_default().into(),
                attribute_name: c.attribute.unwrap_or_default(),
                code: c.code.into(),
            }),
            _ => enc(p::VerifyUserAttributeRequest {
                access_token: k.access_token().into(),
                attribute_name: k.one(&["email", "phone_number"]).into(),
                code: k.code().into(),
            }),
        },
        "AssociateSoftwareToken" => {
            if k.chance(0.5) {
                enc(p::AssociateSoftwareTokenRequest {
                    access_token: Some(spend_access(k).into()),
                    session: None,
                })
            } else {
                enc(p::AssociateSoftwareTokenRequest {
                    access_token: None,
                    session: Some(k.session().into()),
                })
            }
        }
        "VerifySoftwareToken" => match k.totp_setup() {
            Some(t) if k.chance(0.7) => enc(p::VerifySoftwareTokenRequest {
                access_token: t.access_token.map(Into::into),
                session: t.session.map(Into::into),
                user_code: super::signin::totp_code(&t.secret, 0)
                    .unwrap_or_default()
                    .into(),
                friendly_device_name: k.chance(0.5).then(|| "fuzz phone".into()),
            }),
            _ => {
                let by_token = k.chance(0.5);
                enc(p::VerifySoftwareTokenRequest {
                    access_token: by_token.then(|| spend_access(k).into()),
                    session: (!by_token).then(|| k.session().into()),
                    user_code: k.code().into(),
                    friendly_device_name: k.chance(0.5).then(|| "fuzz phone".into()),
                })
            }
        },
        "SetUserMFAPreference" => enc(p::SetUserMFAPreferenceRequest {
            sms_mfa_settings: k.chance(0.6).then(|| mfa_settings(k)),
            software_token_mfa_settings: k.chance(0.6).then(|| mfa_settings(k)),
            email_mfa_settings: k.chance(0.3).then(|| mfa_settings(k)),
            access_token: spend_access(k).into(),
            ..Default::default()
        }),
        "ConfirmDevice" => enc(p::ConfirmDeviceRequest {
            access_token: k.access_token().into(),
            device_key: device_key(k),
            device_secret_verifier_config: Some(p::DeviceSecretVerifierConfig {
                password_verifier: Some(random_token(k.rng, 40).into()),
                salt: Some(random_token(k.rng, 16).into()),
            }),
            device_name: Some("fuzz".into()),
        }),
        "GetDevice" => enc(p::GetDeviceRequest {
            device_key: device_key(k),
            access_token: Some(k.access_token().into()),
        }),
        "ListDevices" => enc(p::ListDevicesRequest {
            access_token: k.access_token().into(),
            limit: k.chance(0.5).then(|| k.int(1, 60)),
            pagination_token: None,
        }),
        "ForgetDevice" => enc(p::ForgetDeviceRequest {
            access_token: Some(k.access_token().into()),
            device_key: device_key(k),
        }),
        "UpdateDeviceStatus" => enc(p::UpdateDeviceStatusRequest {
            access_token: k.access_token().into(),
            device_key: device_key(k),
            device_remembered_status: Some(k.one(&["remembered", "not_remembered"]).into()),
        }),
        _ => return None,
    };
    Some(v)
}

/// An access token that may be used up (signed out, deleted, password changed).
fn spend_access(k: &mut Picks<'_>) -> String {
    match k.tokens_to_spend() {
        Some(t) if k.chance(0.95) => t.access,
        _ => fake_jwt(k.rng),
    }
}

fn device_key(k: &mut Picks<'_>) -> String {
    format!("us-east-1_{}", random_token(k.rng, 12))
}

/// `InitiateAuth` / `AdminInitiateAuth` with one of the flows.
fn initiate(admin: bool, k: &mut Picks<'_>) -> Value {
    let (client_index, client) = k.client();
    let username = k.user();
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    let flows: &[&str] = if admin {
        &[
            "ADMIN_USER_PASSWORD_AUTH",
            "ADMIN_NO_SRP_AUTH",
            "REFRESH_TOKEN_AUTH",
            "REFRESH_TOKEN",
            "USER_SRP_AUTH",
            "CUSTOM_AUTH",
            "USER_AUTH",
        ]
    } else {
        &[
            "USER_PASSWORD_AUTH",
            "USER_SRP_AUTH",
            "REFRESH_TOKEN_AUTH",
            "REFRESH_TOKEN",
            "CUSTOM_AUTH",
            "USER_AUTH",
        ]
    };
    let flow = k.one(flows).to_string();
    let mut client_id = client.id.clone();
    match flow.as_str() {
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            let token = k
                .tokens()
                .filter(|t| t.client == client_index || k.chance(0.2));
            let value = token.map_or_else(|| random_token(k.rng, 80), |t| t.refresh);
            params.insert("REFRESH_TOKEN".into(), value);
        }
        "USER_SRP_AUTH" => {
            params.insert("USERNAME".into(), username.clone());
            let a = match k.int(0, 4) {
                0 => "0".to_string(),
                1 => "FFFF".to_string(),
                _ => srp_a(k),
            };
            params.insert("SRP_A".into(), a);
        }
        "CUSTOM_AUTH" | "USER_AUTH" => {
            params.insert("USERNAME".into(), username.clone());
            if k.chance(0.5) {
                params.insert(
                    "PREFERRED_CHALLENGE".into(),
                    k.one(&["PASSWORD", "EMAIL_OTP", "SMS_OTP"]).into(),
                );
            }
            if k.chance(0.3) {
                params.insert("PASSWORD".into(), k.password());
            }
        }
        _ => {
            // Mostly a user who can sign in, with the right password.
            let (name, password) = if k.chance(0.6) {
                (
                    k.fixture_user(|r| !matches!(r, Role::Unconfirmed | Role::Disabled)),
                    super::fixture::PASSWORD.to_string(),
                )
            } else {
                (username.clone(), k.password())
            };
            params.insert("USERNAME".into(), name);
            params.insert("PASSWORD".into(), password);
        }
    }
    let signing_in = params.get("USERNAME").cloned().unwrap_or(username);
    if let Some(h) = k.secret_hash(&client, &signing_in) {
        params.insert("SECRET_HASH".into(), h);
    }
    if k.chance(0.05) {
        client_id = k.client_to_change(0.0);
    }
    let client_metadata = metadata(k);
    if admin {
        enc(p::AdminInitiateAuthRequest {
            user_pool_id: k.pool_id(),
            client_id,
            auth_flow: flow,
            auth_parameters: Some(params),
            client_metadata,
            ..Default::default()
        })
    } else {
        enc(p::InitiateAuthRequest {
            auth_flow: flow,
            auth_parameters: Some(params),
            client_metadata,
            client_id,
            user_context_data: k.chance(0.1).then(|| p::UserContextData {
                ip_address: Some("192.0.2.1".into()),
                encoded_data: Some("e30".into()),
            }),
            ..Default::default()
        })
    }
}

/// A valid SRP `A`: `g^a mod N` for a random `a`.
fn srp_a(k: &mut Picks<'_>) -> String {
    let a: [u8; 32] = rand::Rng::gen(k.rng);
    keystep_srp::client_public(&a).map_or_else(|_| "02".to_string(), |v| keystep_srp::to_hex(&v))
}

/// An answer to a waiting challenge (right most of the time), or to an invented one.
fn respond(admin: bool, k: &mut Picks<'_>) -> Value {
    let (client_id, name, session, responses) = match k.challenge(admin) {
        Some(c) if k.chance(0.85) => {
            let client = k
                .pool
                .clients
                .get(c.client)
                .map_or_else(|| k.client().1.id, |cl| cl.id.clone());
            let mut responses = c.responses.clone();
            if k.chance(0.3) {
                // A wrong code or password where the answer has one.
                for key in ["SMS_MFA_CODE", "SOFTWARE_TOKEN_MFA_CODE", "NEW_PASSWORD"] {
                    if let Some(v) = responses.get_mut(key) {
                        *v = if key == "NEW_PASSWORD" {
                            "weak".into()
                        } else {
                            k.code()
                        };
                    }
                }
            }
            (client, c.name, c.session, responses)
        }
        _ => {
            let (_, client) = k.client();
            let name = k
                .one(&[
                    "SMS_MFA",
                    "SOFTWARE_TOKEN_MFA",
                    "EMAIL_OTP",
                    "SELECT_MFA_TYPE",
                    "MFA_SETUP",
                    "PASSWORD_VERIFIER",
                    "CUSTOM_CHALLENGE",
                    "NEW_PASSWORD_REQUIRED",
                    "DEVICE_SRP_AUTH",
                    "DEVICE_PASSWORD_VERIFIER",
                    "SELECT_CHALLENGE",
                    "PASSWORD",
                ])
                .to_string();
            let user = k.user();
            let responses = BTreeMap::from([
                ("USERNAME".to_string(), user),
                ("ANSWER".to_string(), k.code()),
                ("SMS_MFA_CODE".to_string(), k.code()),
            ]);
            (client.id, name, Some(k.session()), responses)
        }
    };
    if admin {
        enc(p::AdminRespondToAuthChallengeRequest {
            user_pool_id: k.pool_id(),
            client_id,
            challenge_name: name,
            challenge_responses: Some(responses),
            session: session.map(Into::into),
            ..Default::default()
        })
    } else {
        enc(p::RespondToAuthChallengeRequest {
            client_id,
            challenge_name: name,
            session: session.map(Into::into),
            challenge_responses: Some(responses),
            ..Default::default()
        })
    }
}
