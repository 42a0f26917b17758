//! Choice-based sign-in (`USER_AUTH`): what is offered, what each pick leads to, the
//! first-factor code, and auto sign-in.

use super::*;
use crate::pool::AuthFactor;
use crate::signin::choice::{self as engine, FirstChallenge, FirstFactorPick};

fn user_auth() -> Flow {
    flow(AuthFlow::UserAuth)
}

fn begin(fx: &Fixture, preferred: Option<FirstFactorPick>) -> Result<Transition, Rejection> {
    engine::begin(&user_auth(), preferred, &fx.ctx())
}

fn offered(fx: &Fixture) -> Vec<&'static str> {
    engine::available(&fx.ctx())
        .into_iter()
        .map(FirstChallenge::as_str)
        .collect()
}

#[test]
fn offered_factors_are_the_pools_that_the_user_can_use() {
    let mut fx = Fixture::new();
    assert_eq!(
        offered(&fx),
        ["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP", "SMS_OTP"]
    );

    fx.pool.first_factors = vec![AuthFactor::Password, AuthFactor::EmailOtp];
    assert_eq!(offered(&fx), ["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"]);

    // An unverified address receives no sign-in code.
    fx.pool.first_factors = vec![
        AuthFactor::Password,
        AuthFactor::EmailOtp,
        AuthFactor::SmsOtp,
    ];
    fx.user
        .attributes
        .insert("email_verified".into(), "false".into());
    assert_eq!(offered(&fx), ["PASSWORD_SRP", "PASSWORD", "SMS_OTP"]);

    // An unconfirmed user proves the password first, then hears "not confirmed".
    fx.user.status = UserStatus::Unconfirmed;
    assert_eq!(offered(&fx), ["PASSWORD_SRP", "PASSWORD"]);

    // No password: only codes.
    fx.user.status = UserStatus::Confirmed;
    fx.user.password = None;
    assert_eq!(offered(&fx), ["SMS_OTP"]);

    // A passkey is offered with a relying party and a registered passkey, not before.
    fx.pool.first_factors.push(AuthFactor::WebAuthn);
    assert_eq!(offered(&fx), ["SMS_OTP"]);
    fx.pool.passkey_rp = Some("localhost".into());
    assert_eq!(offered(&fx), ["SMS_OTP"]);
    fx.user.passkeys.push(StoredCredential {
        credential_id: "AQID".into(),
        passkey: "{}".into(),
    });
    assert_eq!(offered(&fx), ["SMS_OTP", "WEB_AUTHN"]);
}

#[test]
fn without_a_preference_the_user_selects() {
    let fx = Fixture::new();
    let result = begin(&fx, None);
    let challenge = challenge_of(&result);
    assert_eq!(challenge.name, ChallengeName::SelectChallenge);
    assert!(challenge.parameters.is_empty());
    assert_eq!(challenge.available.len(), 4);
    assert!(
        effects_of(&result).is_empty(),
        "nothing is sent before a choice"
    );
    assert!(matches!(
        next_of(result),
        SignInState::AwaitingFirstFactorChoice { .. }
    ));
}

#[test]
fn a_preference_the_user_cannot_meet_gets_the_list() {
    let mut fx = Fixture::new();
    fx.user.attributes.remove("phone_number");
    let result = begin(&fx, Some(FirstFactorPick::SmsOtp));
    assert_eq!(kind(&result), "continue:SELECT_CHALLENGE");
    assert!(!challenge_of(&result)
        .available
        .contains(&FirstChallenge::SmsOtp));
}

#[test]
fn preferred_email_code_is_sent_and_signs_in_without_mfa() {
    let mut fx = Fixture::new();
    // MFA is required and the user has SMS MFA: a code as the first factor skips it.
    fx.pool = rules(MfaConfiguration::On, true, true, true);
    fx.user.mfa_enabled = vec![MfaFactor::Sms];
    let result = begin(&fx, Some(FirstFactorPick::EmailOtp));
    let challenge = challenge_of(&result);
    assert_eq!(challenge.name, ChallengeName::EmailOtp);
    assert_eq!(
        challenge.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "EMAIL"
    );
    assert_eq!(challenge.parameters["USERNAME"], "alice");
    assert_ne!(
        challenge.parameters["CODE_DELIVERY_DESTINATION"],
        "alice@example.com"
    );
    assert!(matches!(
        effects_of(&result).as_slice(),
        [Effect::SendMfaCode { medium: Medium::Email, destination, code }]
            if destination == "alice@example.com" && code == SENT_CODE
    ));
    let state = SignIn {
        flow: user_auth(),
        state: next_of(result),
    };

    let wrong = step(
        &state,
        ChallengeAnswer::EmailCode("000000".into()),
        &fx.ctx(),
    );
    assert_eq!(kind(&wrong), "err:CodeMismatch:retry");
    // The SMS answer does not fit an e-mail code.
    let other = step(
        &state,
        ChallengeAnswer::SmsOtpCode(SENT_CODE.into()),
        &fx.ctx(),
    );
    assert_eq!(kind(&other), "err:CodeMismatch:retry");
    let right = step(
        &state,
        ChallengeAnswer::EmailCode(SENT_CODE.into()),
        &fx.ctx(),
    );
    assert_eq!(kind(&right), "auth");
}

#[test]
fn sms_code_is_its_own_challenge_and_expires() {
    let mut fx = Fixture::new();
    let result = begin(&fx, Some(FirstFactorPick::SmsOtp));
    assert_eq!(kind(&result), "continue:SMS_OTP");
    let state = SignIn {
        flow: user_auth(),
        state: next_of(result),
    };
    fx.now = fx.now.plus_secs(181);
    let late = step(
        &state,
        ChallengeAnswer::SmsOtpCode(SENT_CODE.into()),
        &fx.ctx(),
    );
    assert_eq!(kind(&late), "err:ExpiredCode:destroy");
}

#[test]
fn a_password_pick_is_checked_and_leads_into_mfa() {
    let mut fx = Fixture::new();
    let state = SignIn {
        flow: user_auth(),
        state: next_of(begin(&fx, None)),
    };
    let pick = |p: &str| ChallengeAnswer::SelectFirstFactor(FirstFactorPick::Password(p.into()));

    let wrong = step(&state, pick("Wrong-Horse-9!"), &fx.ctx());
    assert_eq!(kind(&wrong), "err:NotAuthorized:destroy");
    let right = step(&state, pick(PASSWORD), &fx.ctx());
    assert_eq!(kind(&right), "auth");
    assert_eq!(effects_of(&right), vec![Effect::ResetPasswordFailures]);

    fx.pool = rules(MfaConfiguration::On, true, true, true);
    fx.user.mfa_enabled = vec![MfaFactor::Totp];
    let with_mfa = step(&state, pick(PASSWORD), &fx.ctx());
    assert_eq!(kind(&with_mfa), "continue:SOFTWARE_TOKEN_MFA");
}

#[test]
fn an_srp_pick_gets_the_password_verifier() {
    let fx = Fixture::new();
    let state = SignIn {
        flow: user_auth(),
        state: next_of(begin(&fx, None)),
    };
    let a = client_a();
    let result = step(
        &state,
        ChallengeAnswer::SelectFirstFactor(FirstFactorPick::PasswordSrp(a)),
        &fx.ctx(),
    );
    let challenge = challenge_of(&result);
    assert_eq!(challenge.name, ChallengeName::PasswordVerifier);
    assert_eq!(challenge.parameters["USER_ID_FOR_SRP"], "alice");
}

#[test]
fn a_pick_that_was_not_offered_is_refused_and_may_be_corrected() {
    let mut fx = Fixture::new();
    fx.user.attributes.remove("phone_number");
    let state = SignIn {
        flow: user_auth(),
        state: next_of(begin(&fx, None)),
    };
    let sms = step(
        &state,
        ChallengeAnswer::SelectFirstFactor(FirstFactorPick::SmsOtp),
        &fx.ctx(),
    );
    assert_eq!(kind(&sms), "err:InvalidParameter:retry");
    // A code answer before any code was sent is the wrong order.
    let code = step(
        &state,
        ChallengeAnswer::EmailCode(SENT_CODE.into()),
        &fx.ctx(),
    );
    assert_eq!(kind(&code), "err:InvalidParameter:retry");
}

#[test]
fn a_disabled_user_gets_nothing_sent() {
    let mut fx = Fixture::new();
    fx.user.enabled = false;
    let result = begin(&fx, Some(FirstFactorPick::EmailOtp));
    assert_eq!(kind(&result), "err:NotAuthorized:destroy");
    assert!(effects_of(&result).is_empty());
}

#[test]
fn auto_sign_in_signs_a_confirmed_user_in_and_its_session_answers_nothing() {
    let mut fx = Fixture::new();
    fx.pool = rules(MfaConfiguration::On, true, true, true);
    fx.user.mfa_enabled = vec![MfaFactor::Sms];
    assert_eq!(kind(&engine::auto_sign_in(&user_auth(), &fx.ctx())), "auth");

    fx.user.enabled = false;
    assert_eq!(
        kind(&engine::auto_sign_in(&user_auth(), &fx.ctx())),
        "err:NotAuthorized:destroy"
    );

    let ready = SignIn {
        flow: user_auth(),
        state: SignInState::AwaitingAutoSignIn,
    };
    let answer = step(
        &ready,
        ChallengeAnswer::EmailCode(SENT_CODE.into()),
        &fx.ctx(),
    );
    assert_eq!(kind(&answer), "err:NotAuthorized:destroy");
}

#[test]
fn answers_parse_from_the_wire() {
    let responses = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let parsed = ChallengeResponse::parse(
        "SELECT_CHALLENGE",
        &responses(&[
            ("USERNAME", "alice"),
            ("ANSWER", "PASSWORD"),
            ("PASSWORD", "pw"),
        ]),
    );
    assert!(matches!(
        parsed.map(|r| r.answer),
        Ok(ChallengeAnswer::SelectFirstFactor(FirstFactorPick::Password(p))) if p == "pw"
    ));
    let missing = ChallengeResponse::parse(
        "SELECT_CHALLENGE",
        &responses(&[("USERNAME", "alice"), ("ANSWER", "PASSWORD_SRP")]),
    );
    assert!(matches!(missing, Err(AuthError::InvalidParameter(m)) if m.contains("SRP_A")));
    let bogus = ChallengeResponse::parse(
        "SELECT_CHALLENGE",
        &responses(&[("USERNAME", "alice"), ("ANSWER", "SOFTWARE_TOKEN_MFA")]),
    );
    assert!(matches!(bogus, Err(AuthError::InvalidParameter(_))));
    let shortcut = ChallengeResponse::parse(
        "PASSWORD_SRP",
        &responses(&[("USERNAME", "alice"), ("SRP_A", "0a0b")]),
    );
    assert!(matches!(
        shortcut.map(|r| r.answer),
        Ok(ChallengeAnswer::SelectFirstFactor(FirstFactorPick::PasswordSrp(a))) if a == [10, 11]
    ));
    let sms = ChallengeResponse::parse(
        "SMS_OTP",
        &responses(&[("USERNAME", "alice"), ("SMS_OTP_CODE", "123")]),
    );
    assert!(matches!(sms.map(|r| r.answer), Ok(ChallengeAnswer::SmsOtpCode(c)) if c == "123"));
}

#[test]
fn a_passkey_deleted_after_the_choice_was_offered_is_refused_not_an_error() {
    let mut fx = Fixture::new();
    fx.pool.first_factors.push(AuthFactor::WebAuthn);
    fx.pool.passkey_rp = Some("localhost".into());
    fx.user.passkeys.push(StoredCredential {
        credential_id: "AQID".into(),
        passkey: "{}".into(),
    });
    let state = SignIn {
        flow: user_auth(),
        state: next_of(begin(&fx, None)),
    };
    // The step that answers finds no passkey, so none was drawn.
    fx.user.passkeys.clear();
    let pick = step(
        &state,
        ChallengeAnswer::SelectFirstFactor(FirstFactorPick::WebAuthn),
        &fx.ctx(),
    );
    assert_eq!(kind(&pick), "err:InvalidParameter:retry");
}
