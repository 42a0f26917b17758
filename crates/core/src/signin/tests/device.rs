//! Device authentication after the first factor: when it is asked, the protocol notes'
//! device-SRP known-answer vector (§12.5), and whether it replaces MFA.

use super::*;
use crate::pool::DevicePolicy;

const GROUP_KEY: &str = "-F2zOAzAd";
const DEVICE_KEY: &str = "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const DEVICE_PASSWORD: &str = "ZGV2aWNlLXJhbmRvbS1wYXNzd29yZC0wMTIzNDU2Nzg5YWJjZA==";

fn device(remembered: bool) -> DeviceSnapshot {
    let salt = vec![0xe1; 16];
    DeviceSnapshot {
        key: DEVICE_KEY.into(),
        group_key: GROUP_KEY.into(),
        remembered,
        verifier: PasswordVerifier {
            verifier: keystep_srp::device_verifier(&salt, GROUP_KEY, DEVICE_KEY, DEVICE_PASSWORD),
            salt,
        },
    }
}

/// A pool that requires SMS MFA, tracks devices, and a user with SMS MFA.
fn tracking(challenge_required_on_new_device: bool, remembered: bool) -> Fixture {
    let mut f = Fixture::new();
    f.pool = rules(MfaConfiguration::On, true, false, false);
    f.pool.devices = Some(DevicePolicy {
        challenge_required_on_new_device,
        only_remembered_on_user_prompt: true,
    });
    f.user.mfa_enabled = vec![MfaFactor::Sms];
    f.device = Some(device(remembered));
    f
}

fn password(f: &Fixture) -> Result<Transition, Rejection> {
    start(
        &flow(AuthFlow::UserPasswordAuth),
        FirstFactor::Password(PASSWORD.into()),
        &f.ctx(),
    )
}

fn vector_answer() -> ChallengeAnswer {
    ChallengeAnswer::DevicePasswordVerifier {
        secret_block: (1..=0x30).collect(),
        signature: STANDARD
            .decode("4oiysbcALxDKTWRyDin+0/Ij7qNcTIOEjdufBhYar/o=")
            .unwrap_or_default(),
        timestamp: "Tue Mar 3 07:05:09 UTC 2026".into(),
    }
}

/// Runs `DEVICE_SRP_AUTH` with the vector's `a`; the state waiting for the proof.
fn device_srp(f: &Fixture) -> SignInState {
    let asked = password(f);
    assert_eq!(kind(&asked), "continue:DEVICE_SRP_AUTH");
    let srp = step(
        &signin(next_of(asked)),
        ChallengeAnswer::DeviceSrp(client_a()),
        &f.ctx(),
    );
    let c = challenge_of(&srp);
    assert_eq!(c.name, ChallengeName::DevicePasswordVerifier);
    assert_eq!(c.parameters["SALT"], "e1".repeat(16));
    assert!(c.parameters["SRP_B"]
        .starts_with("242b3795ddd5c97916dfbfdb08178bb7ad1b2296fe92336dbe9ba3d7041836df"));
    assert_eq!(
        c.parameters["USERNAME"], "alice",
        "the user, not the device"
    );
    assert_eq!(c.parameters["DEVICE_KEY"], DEVICE_KEY);
    next_of(srp)
}

#[test]
fn the_known_answer_vector_proves_the_device_and_skips_mfa() {
    let f = tracking(true, true);
    let waiting = device_srp(&f);
    let SignInState::AwaitingDevicePasswordVerifier { srp } = &waiting else {
        panic!("{waiting:?}")
    };
    assert_eq!(
        hex::encode(&srp.session_key),
        "14f3f22e7d624c6d0624c35885f9307e"
    );
    let done = step(&signin(waiting.clone()), vector_answer(), &f.ctx());
    assert_eq!(kind(&done), "auth");
    assert_eq!(
        effects_of(&done),
        vec![Effect::DeviceAuthenticated {
            key: DEVICE_KEY.into()
        }]
    );
}

#[test]
fn without_challenge_required_on_new_device_mfa_follows_the_device() {
    let f = tracking(false, true);
    let waiting = device_srp(&f);
    let after = step(&signin(waiting), vector_answer(), &f.ctx());
    assert_eq!(kind(&after), "continue:SMS_MFA");
}

#[test]
fn a_device_that_is_not_remembered_gets_mfa_and_no_device_srp() {
    let f = tracking(true, false);
    assert_eq!(kind(&password(&f)), "continue:SMS_MFA");
}

#[test]
fn a_wrong_device_proof_fails_the_sign_in() {
    let f = tracking(true, true);
    let waiting = device_srp(&f);
    let ChallengeAnswer::DevicePasswordVerifier {
        secret_block,
        mut signature,
        timestamp,
    } = vector_answer()
    else {
        unreachable!()
    };
    signature[0] ^= 1;
    let wrong = ChallengeAnswer::DevicePasswordVerifier {
        secret_block,
        signature,
        timestamp,
    };
    assert_eq!(
        kind(&step(&signin(waiting), wrong, &f.ctx())),
        "err:NotAuthorized:destroy"
    );
}

#[test]
fn no_device_named_or_no_tracking_means_the_usual_mfa() {
    let mut f = tracking(true, true);
    f.device = None;
    assert_eq!(kind(&password(&f)), "continue:SMS_MFA");
    let mut f = tracking(true, true);
    f.pool.devices = None;
    assert_eq!(kind(&password(&f)), "continue:SMS_MFA");
}
