//! Engine tests: the first factor, the MFA decision, every (state, answer) pair, and the
//! details of each challenge. Fixed instants, no sleeps, no store.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::mfa_policy::{decide, MfaStep};
use super::*;
use crate::message::Medium;
use crate::password_policy::PasswordPolicy;
use crate::pool::MfaConfiguration;
use crate::service::passwords::PasswordVerifier;
use crate::user::{MfaFactor, UserStatus};
use crate::{AuthError, Millis};

const POOL_ID: &str = "us-east-1_XaMpLe123";
const PASSWORD: &str = "Correct-Horse-9!";
const SALT_HEX: &str = "8bb7dcf905f418bf27b6623aa4d2f58f";
/// Tue Mar 3 07:05:09 UTC 2026, the instant of the SRP known-answer vector.
const NOW_SECS: i64 = 1_772_521_509;
const SENT_CODE: &str = "123456";

fn now() -> Millis {
    Millis(NOW_SECS * 1000)
}

fn rules(mfa: MfaConfiguration, sms: bool, totp: bool, email: bool) -> PoolRules {
    PoolRules {
        pool_id: POOL_ID.into(),
        srp_pool_name: "XaMpLe123".into(),
        mfa,
        sms_mfa: sms,
        totp_mfa: totp,
        email_mfa: email,
        password_policy: PasswordPolicy::default(),
        required_attributes: Vec::new(),
        first_factors: vec![
            crate::pool::AuthFactor::Password,
            crate::pool::AuthFactor::EmailOtp,
            crate::pool::AuthFactor::SmsOtp,
        ],
        devices: None,
        passkey_rp: None,
    }
}

fn verifier_for(password: &str) -> PasswordVerifier {
    let salt = hex::decode(SALT_HEX).unwrap_or_default();
    PasswordVerifier {
        verifier: keystep_srp::verifier(&salt, "XaMpLe123", "alice", password),
        salt,
    }
}

/// The user's enrolled authenticator secret; the setup secret below differs.
const USER_TOTP: &[u8] = b"user-totp-secret-20b";
const SETUP_TOTP: &[u8] = b"setup-totp-secret-20";

fn user() -> UserSnapshot {
    UserSnapshot {
        sub: "11111111-2222-4333-8444-555555555555".into(),
        username: "alice".into(),
        status: UserStatus::Confirmed,
        enabled: true,
        password_set_at: Some(now().plus_secs(-3600)),
        attributes: [
            ("email", "alice@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+15555551234"),
            ("phone_number_verified", "true"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        password: Some(verifier_for(PASSWORD)),
        mfa_enabled: Vec::new(),
        mfa_preferred: None,
        totp_secret: Some(USER_TOTP.to_vec()),
        totp_device_name: Some("Phone".into()),
        last_totp_step: None,
        passkeys: Vec::new(),
    }
}

fn fresh() -> Fresh {
    Fresh {
        code: SENT_CODE.into(),
        srp_b: vec![0x3c; 32],
        totp_secret: SETUP_TOTP.to_vec(),
        block_id: "block-1".into(),
        passkey_assertion: None,
    }
}

/// Test code hashing: deterministic and distinct per code, like the keyed hash.
fn test_hash(code: &str) -> Vec<u8> {
    format!("hash:{code}").into_bytes()
}

struct Fixture {
    pool: PoolRules,
    user: UserSnapshot,
    fresh: Fresh,
    attempts: u32,
    now: Millis,
    device: Option<DeviceSnapshot>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            pool: rules(MfaConfiguration::Off, true, true, true),
            user: user(),
            fresh: fresh(),
            attempts: 0,
            now: now(),
            device: None,
        }
    }

    fn ctx(&self) -> StepContext<'_> {
        StepContext {
            now: self.now,
            pool: &self.pool,
            user: &self.user,
            session_attempts: self.attempts,
            session_validity_secs: 180,
            fresh: &self.fresh,
            code_hash: &test_hash,
            device: self.device.as_ref(),
        }
    }
}

fn flow(auth_flow: AuthFlow) -> Flow {
    Flow {
        pool_id: POOL_ID.into(),
        client_id: "client1".into(),
        sub: "11111111-2222-4333-8444-555555555555".into(),
        username: "alice".into(),
        typed_username: "alice@example.com".into(),
        auth_flow,
        admin: false,
        started_at: now(),
        device_key: None,
        user_not_found: false,
        hosted: false,
        id: String::new(),
    }
}

fn signin(state: SignInState) -> SignIn {
    SignIn {
        flow: flow(AuthFlow::UserSrpAuth),
        state,
    }
}

fn sent_code() -> StoredOtp {
    StoredOtp {
        hash: test_hash(SENT_CODE),
        expires_at: now().plus_secs(180),
    }
}

/// A short description of an outcome, for table-driven assertions.
fn kind(result: &Result<Transition, Rejection>) -> String {
    match result {
        Ok(Transition::Continue { reply, .. }) => match reply {
            Reply::Challenge(c) => format!("continue:{}", c.name.as_str()),
            Reply::SoftwareTokenAssociated { .. } => "continue:associated".into(),
            Reply::SoftwareTokenVerified => "continue:verified".into(),
        },
        Ok(Transition::Authenticated { .. }) => "auth".into(),
        Ok(Transition::Consult { question, .. }) => match question {
            custom::Question::Define { .. } => "consult:define".into(),
            custom::Question::Create { .. } => "consult:create".into(),
            custom::Question::Verify { .. } => "consult:verify".into(),
        },
        Err(r) => {
            let name = match &r.error {
                AuthError::InvalidParameter(_) => "InvalidParameter",
                AuthError::NotAuthorized(_) => "NotAuthorized",
                AuthError::CodeMismatch(_) => "CodeMismatch",
                AuthError::ExpiredCode(_) => "ExpiredCode",
                AuthError::InvalidPassword(_) => "InvalidPassword",
                AuthError::UserNotConfirmed(_) => "UserNotConfirmed",
                AuthError::PasswordResetRequired(_) => "PasswordResetRequired",
                other => return format!("err:{other:?}"),
            };
            let fate = match r.session {
                SessionFate::Retry => "retry",
                SessionFate::Destroy => "destroy",
            };
            format!("err:{name}:{fate}")
        }
    }
}

fn challenge_of(result: &Result<Transition, Rejection>) -> Challenge {
    match result {
        Ok(Transition::Continue {
            reply: Reply::Challenge(c),
            ..
        }) => c.clone(),
        other => panic!("expected a challenge, got {}", kind(other)),
    }
}

fn effects_of(result: &Result<Transition, Rejection>) -> Vec<Effect> {
    match result {
        Ok(Transition::Continue { effects, .. })
        | Ok(Transition::Authenticated { effects, .. })
        | Ok(Transition::Consult { effects, .. }) => effects.clone(),
        Err(r) => r.effects.clone(),
    }
}

fn next_of(result: Result<Transition, Rejection>) -> SignInState {
    match result {
        Ok(Transition::Continue { next, .. }) => next,
        other => panic!("expected a next state, got {}", kind(&other)),
    }
}

/// The error's message (`AuthError` is not `Clone`; kinds are checked by `kind`).
fn error_of(result: &Result<Transition, Rejection>) -> String {
    match result {
        Err(r) => r.error.to_string(),
        other => panic!("expected an error, got {}", kind(other)),
    }
}

// ---------------------------------------------------------------- first factor

#[test]
fn correct_password_without_mfa_authenticates_and_resets_failures() {
    let f = Fixture::new();
    let r = start(
        &flow(AuthFlow::UserPasswordAuth),
        FirstFactor::Password(PASSWORD.into()),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "auth");
    assert_eq!(effects_of(&r), vec![Effect::ResetPasswordFailures]);
    let Ok(Transition::Authenticated { proof, .. }) = r else {
        panic!()
    };
    assert_eq!(proof.sub(), "11111111-2222-4333-8444-555555555555");
    assert_eq!(proof.username(), "alice");
    assert_eq!(proof.auth_time(), now());
    assert_eq!(proof.origin_jti(), None);
}

#[test]
fn wrong_password_is_fatal_and_clears_nothing() {
    let f = Fixture::new();
    let r = start(
        &flow(AuthFlow::UserPasswordAuth),
        FirstFactor::Password("wrong".into()),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "err:NotAuthorized:destroy");
    assert_eq!(error_of(&r), incorrect_credentials().to_string());
    assert_eq!(effects_of(&r), Vec::<Effect>::new());
}

#[test]
fn checks_before_the_password_follow_the_decision_order() {
    type Setup = fn(&mut UserSnapshot);
    let cases: [(&str, Setup, &str, &str); 5] = [
        (
            "disabled",
            |u| u.enabled = false,
            PASSWORD,
            "User is disabled.",
        ),
        (
            "reset required",
            |u| u.status = UserStatus::ResetRequired,
            "wrong",
            "Password reset required for the user",
        ),
        (
            "unconfirmed, right password",
            |u| u.status = UserStatus::Unconfirmed,
            PASSWORD,
            "User is not confirmed.",
        ),
        (
            "unconfirmed, wrong password",
            |u| u.status = UserStatus::Unconfirmed,
            "wrong",
            "Incorrect username or password.",
        ),
        (
            "no password at all",
            |u| u.password = None,
            PASSWORD,
            "Incorrect username or password.",
        ),
    ];
    for (what, setup, password, message) in cases {
        let mut f = Fixture::new();
        setup(&mut f.user);
        let r = start(
            &flow(AuthFlow::UserPasswordAuth),
            FirstFactor::Password(password.into()),
            &f.ctx(),
        );
        assert_eq!(error_of(&r), message, "{what}");
    }
}

#[test]
fn temporary_password_leads_to_new_password_required_until_it_expires() {
    let mut f = Fixture::new();
    f.user.status = UserStatus::ForceChangePassword;
    f.user.attributes.remove("phone_number_verified");
    f.pool.required_attributes = vec!["name".into(), "email".into()];
    let r = start(
        &flow(AuthFlow::AdminUserPasswordAuth),
        FirstFactor::Password(PASSWORD.into()),
        &f.ctx(),
    );
    let c = challenge_of(&r);
    assert_eq!(c.name, ChallengeName::NewPasswordRequired);
    assert_eq!(c.parameters["USER_ID_FOR_SRP"], "alice");
    assert_eq!(
        c.parameters["requiredAttributes"],
        r#"["userAttributes.name"]"#
    );
    let attrs: BTreeMap<String, String> =
        serde_json::from_str(&c.parameters["userAttributes"]).unwrap();
    assert_eq!(attrs["email"], "alice@example.com");
    assert_eq!(
        next_of(r),
        SignInState::AwaitingNewPassword {
            required_attributes: vec!["name".into()]
        }
    );

    f.user.password_set_at = Some(now().plus_secs(-7 * 86_400));
    let r = start(
        &flow(AuthFlow::AdminUserPasswordAuth),
        FirstFactor::Password(PASSWORD.into()),
        &f.ctx(),
    );
    assert_eq!(
        error_of(&r),
        "Temporary password has expired and must be reset by an administrator."
    );
}

// ---------------------------------------------------------------- SRP

fn client_a() -> Vec<u8> {
    keystep_srp::client_public(&[0x7a; 32]).unwrap()
}

/// The protocol notes' end-to-end vector (§4.8): b = 0x3c×32, a = 0x7a×32, the secret
/// block 0x01..0x30 and TIMESTAMP "Tue Mar 3 07:05:09 UTC 2026" give this signature.
#[test]
fn srp_known_answer_vector_signs_in() {
    let f = Fixture::new();
    let r = start(
        &flow(AuthFlow::UserSrpAuth),
        FirstFactor::SrpA(client_a()),
        &f.ctx(),
    );
    let c = challenge_of(&r);
    assert_eq!(c.name, ChallengeName::PasswordVerifier);
    assert_eq!(c.parameters["SALT"], SALT_HEX);
    assert_eq!(c.parameters["USER_ID_FOR_SRP"], "alice");
    assert_eq!(c.parameters["USERNAME"], "alice");
    assert!(
        !c.parameters.contains_key("SECRET_BLOCK"),
        "the service seals it"
    );
    let state = next_of(r);
    let SignInState::AwaitingPasswordVerifier { srp } = &state else {
        panic!("{state:?}")
    };
    assert_eq!(
        hex::encode(&srp.session_key),
        "99db2c23ca5d47145bdbcb6a5f7420bd"
    );
    assert_eq!(srp.block_id, "block-1");
    assert_eq!(srp.expires_at, now().plus_secs(180));

    let block: Vec<u8> = (1..=0x30).collect();
    let timestamp = "Tue Mar 3 07:05:09 UTC 2026";
    assert_eq!(keystep_srp::parse_timestamp(timestamp), Ok(NOW_SECS));
    let signature = STANDARD
        .decode("qIdxYJroi+3PhBC52TvFNnJ2W94bDvOXvVC22vZObkM=")
        .unwrap();
    let r = step(
        &signin(state),
        ChallengeAnswer::PasswordVerifier {
            secret_block: block,
            signature,
            timestamp: timestamp.into(),
        },
        &f.ctx(),
    );
    assert_eq!(kind(&r), "auth");
    assert_eq!(effects_of(&r), vec![Effect::ResetPasswordFailures]);
}

fn srp_state(key: [u8; 16]) -> SignInState {
    SignInState::AwaitingPasswordVerifier {
        srp: SrpServerState {
            block_id: "b".into(),
            session_key: key.to_vec(),
            issued_at: now(),
            expires_at: now().plus_secs(180),
        },
    }
}

fn proof_answer(key: [u8; 16], timestamp: &str) -> ChallengeAnswer {
    let block = b"sealed block".to_vec();
    let signature = keystep_srp::claim_signature(&key, "XaMpLe123", "alice", &block, timestamp);
    ChallengeAnswer::PasswordVerifier {
        secret_block: block,
        signature: signature.to_vec(),
        timestamp: timestamp.into(),
    }
}

#[test]
fn srp_proof_failures() {
    let key = [9u8; 16];
    let good_ts = keystep_srp::format_timestamp(NOW_SECS);
    let mut f = Fixture::new();

    // A proof made with another key is a wrong password, counted.
    let r = step(
        &signin(srp_state(key)),
        proof_answer([8; 16], &good_ts),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "err:NotAuthorized:destroy");
    assert_eq!(effects_of(&r), Vec::<Effect>::new());

    // The signature covers the TIMESTAMP text.
    let mut answer = proof_answer(key, &good_ts);
    if let ChallengeAnswer::PasswordVerifier { timestamp, .. } = &mut answer {
        *timestamp = keystep_srp::format_timestamp(NOW_SECS + 1);
    }
    assert_eq!(
        kind(&step(&signin(srp_state(key)), answer, &f.ctx())),
        "err:NotAuthorized:destroy"
    );

    // Five minutes of skew either way is fine; more is refused, uncounted.
    for (offset, ok) in [(-300, true), (300, true), (-301, false), (301, false)] {
        let ts = keystep_srp::format_timestamp(NOW_SECS + offset);
        let r = step(&signin(srp_state(key)), proof_answer(key, &ts), &f.ctx());
        assert_eq!(kind(&r) == "auth", ok, "offset {offset}");
        if !ok {
            assert!(effects_of(&r).is_empty());
        }
    }
    let r = step(
        &signin(srp_state(key)),
        proof_answer(key, "yesterday"),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "err:NotAuthorized:destroy");

    // Too late.
    f.now = now().plus_secs(180);
    let r = step(
        &signin(srp_state(key)),
        proof_answer(key, &keystep_srp::format_timestamp(f.now.as_secs())),
        &f.ctx(),
    );
    assert_eq!(error_of(&r), session_expired().to_string());

    // Disabled between the two requests.
    let mut f = Fixture::new();
    f.user.enabled = false;
    let r = step(
        &signin(srp_state(key)),
        proof_answer(key, &good_ts),
        &f.ctx(),
    );
    assert_eq!(error_of(&r), "User is disabled.");
}

#[test]
fn srp_a_congruent_to_zero_is_refused() {
    let f = Fixture::new();
    let r = start(
        &flow(AuthFlow::UserSrpAuth),
        FirstFactor::SrpA(vec![0]),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "err:InvalidParameter:destroy");
    let n = keystep_srp::n().to_bytes_be();
    let r = start(&flow(AuthFlow::UserSrpAuth), FirstFactor::SrpA(n), &f.ctx());
    assert_eq!(kind(&r), "err:InvalidParameter:destroy");
}

// ---------------------------------------------------------------- MFA decision

#[test]
fn mfa_decision_matrix() {
    use MfaConfiguration::{Off, On, Optional};
    use MfaFactor::{Email, Sms, Totp};
    struct Case {
        pool: MfaConfiguration,
        enabled: &'static [MfaFactor],
        preferred: Option<MfaFactor>,
        expected: MfaStep,
    }
    let cases = [
        Case {
            pool: Off,
            enabled: &[Sms, Totp],
            preferred: Some(Totp),
            expected: MfaStep::None,
        },
        Case {
            pool: Optional,
            enabled: &[],
            preferred: None,
            expected: MfaStep::None,
        },
        Case {
            pool: Optional,
            enabled: &[Totp],
            preferred: None,
            expected: MfaStep::Challenge(Totp),
        },
        Case {
            pool: Optional,
            enabled: &[Sms, Totp],
            preferred: None,
            expected: MfaStep::Select(vec![Sms, Totp]),
        },
        Case {
            pool: Optional,
            enabled: &[Sms, Totp, Email],
            preferred: Some(Email),
            expected: MfaStep::Challenge(Email),
        },
        Case {
            pool: On,
            enabled: &[Email],
            preferred: None,
            expected: MfaStep::Challenge(Email),
        },
        Case {
            pool: On,
            enabled: &[Sms, Email],
            preferred: Some(Totp),
            expected: MfaStep::Select(vec![Sms, Email]),
        },
    ];
    for (i, case) in cases.iter().enumerate() {
        let pool = rules(case.pool, true, true, true);
        let mut u = user();
        u.mfa_enabled = case.enabled.to_vec();
        u.mfa_preferred = case.preferred;
        assert_eq!(decide(&pool, &u), case.expected, "case {i}");
    }

    // Factors the pool does not offer, or that cannot reach the user, do not count.
    let mut u = user();
    u.mfa_enabled = vec![Sms, Totp];
    assert_eq!(
        decide(&rules(Optional, false, true, false), &u),
        MfaStep::Challenge(Totp)
    );
    u.totp_secret = None;
    assert_eq!(
        decide(&rules(Optional, true, true, false), &u),
        MfaStep::Challenge(Sms)
    );

    // ON with nothing enabled: a verified phone (then e-mail) counts; else setup.
    let u = user();
    assert_eq!(
        decide(&rules(On, true, true, true), &u),
        MfaStep::Challenge(Sms)
    );
    assert_eq!(
        decide(&rules(On, false, true, true), &u),
        MfaStep::Challenge(Email)
    );
    let mut bare = user();
    bare.attributes.clear();
    assert_eq!(
        decide(&rules(On, true, true, true), &bare),
        MfaStep::Setup(vec![Sms, Totp, Email])
    );
    assert_eq!(
        decide(&rules(On, false, true, false), &bare),
        MfaStep::Setup(vec![Totp])
    );
}

#[test]
fn mfa_challenges_carry_the_parameters_clients_read() {
    let mut f = Fixture::new();
    f.pool.mfa = MfaConfiguration::Optional;
    let pw = || FirstFactor::Password(PASSWORD.into());
    let fl = flow(AuthFlow::UserPasswordAuth);

    f.user.mfa_enabled = vec![MfaFactor::Sms];
    let r = start(&fl, pw(), &f.ctx());
    let c = challenge_of(&r);
    assert_eq!(c.name, ChallengeName::SmsMfa);
    assert_eq!(c.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS");
    assert_eq!(c.parameters["CODE_DELIVERY_DESTINATION"], "+*******1234");
    assert_eq!(c.parameters["USER_ID_FOR_SRP"], "alice");
    assert_eq!(
        effects_of(&r),
        vec![
            Effect::ResetPasswordFailures,
            Effect::SendMfaCode {
                medium: Medium::Sms,
                destination: "+15555551234".into(),
                code: SENT_CODE.into()
            }
        ]
    );
    assert_eq!(
        next_of(r),
        SignInState::AwaitingSmsCode { code: sent_code() }
    );

    f.user.mfa_enabled = vec![MfaFactor::Email];
    let r = start(&fl, pw(), &f.ctx());
    let c = challenge_of(&r);
    assert_eq!(c.name, ChallengeName::EmailOtp);
    assert_eq!(c.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    assert_eq!(c.parameters["CODE_DELIVERY_DESTINATION"], "a***@e***");

    f.user.mfa_enabled = vec![MfaFactor::Totp];
    let r = start(&fl, pw(), &f.ctx());
    let c = challenge_of(&r);
    assert_eq!(c.name, ChallengeName::SoftwareTokenMfa);
    assert_eq!(c.parameters["FRIENDLY_DEVICE_NAME"], "Phone");
    assert_eq!(effects_of(&r), vec![Effect::ResetPasswordFailures]);

    f.user.mfa_enabled = vec![MfaFactor::Sms, MfaFactor::Totp];
    let c = challenge_of(&start(&fl, pw(), &f.ctx()));
    assert_eq!(c.name, ChallengeName::SelectMfaType);
    assert_eq!(
        c.parameters["MFAS_CAN_CHOOSE"],
        r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#
    );

    f.pool = rules(MfaConfiguration::On, false, true, true);
    f.user.mfa_enabled.clear();
    f.user.attributes.clear();
    let r = start(&fl, pw(), &f.ctx());
    let c = challenge_of(&r);
    assert_eq!(c.name, ChallengeName::MfaSetup);
    assert_eq!(
        c.parameters["MFAS_CAN_SETUP"],
        r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#
    );
    assert_eq!(
        next_of(r),
        SignInState::AwaitingMfaSetup {
            allowed: vec![MfaFactor::Totp, MfaFactor::Email],
            totp: TotpSetupStage::NotStarted
        }
    );
}

// ---------------------------------------------------------------- every (state, answer)

fn totp_now(secret: &[u8]) -> String {
    crate::totp::code_at_step(secret, crate::totp::step_at(now()))
}

fn matrix_states() -> Vec<(&'static str, SignInState)> {
    let setup = |totp| SignInState::AwaitingMfaSetup {
        allowed: vec![MfaFactor::Totp, MfaFactor::Email],
        totp,
    };
    vec![
        ("verifier", srp_state([9; 16])),
        (
            "new_password",
            SignInState::AwaitingNewPassword {
                required_attributes: vec![],
            },
        ),
        (
            "selection",
            SignInState::AwaitingMfaSelection {
                allowed: vec![MfaFactor::Sms, MfaFactor::Totp],
            },
        ),
        ("sms", SignInState::AwaitingSmsCode { code: sent_code() }),
        (
            "email",
            SignInState::AwaitingEmailCode {
                code: sent_code(),
                enroll_email: None,
            },
        ),
        ("totp", SignInState::AwaitingTotpCode),
        ("setup", setup(TotpSetupStage::NotStarted)),
        (
            "setup_associated",
            setup(TotpSetupStage::Associated {
                secret: SETUP_TOTP.to_vec(),
            }),
        ),
        ("setup_verified", setup(TotpSetupStage::Verified)),
        (
            "custom",
            SignInState::AwaitingCustomAnswer {
                round: custom_round(),
            },
        ),
    ]
}

fn custom_round() -> custom::CustomRound {
    custom::CustomRound {
        history: vec![],
        private_parameters: [("answer".to_string(), "4".to_string())].into(),
        metadata: Some("Q1".into()),
    }
}

/// Answers that are right for the state they belong to.
fn matrix_answers() -> Vec<(&'static str, ChallengeAnswer)> {
    vec![
        (
            "verifier",
            proof_answer([9; 16], &keystep_srp::format_timestamp(NOW_SECS)),
        ),
        (
            "new_password",
            ChallengeAnswer::NewPassword {
                password: "N3w-Passw0rd!".into(),
                attributes: vec![],
            },
        ),
        ("select", ChallengeAnswer::SelectMfa(MfaFactor::Sms)),
        ("sms", ChallengeAnswer::SmsCode(SENT_CODE.into())),
        ("totp", ChallengeAnswer::TotpCode(totp_now(USER_TOTP))),
        ("email", ChallengeAnswer::EmailCode(SENT_CODE.into())),
        ("setup_done", ChallengeAnswer::MfaSetup { email: None }),
        (
            "setup_email",
            ChallengeAnswer::MfaSetup {
                email: Some("new@example.com".into()),
            },
        ),
        ("associate", ChallengeAnswer::AssociateSoftwareToken),
        (
            "verify",
            ChallengeAnswer::VerifySoftwareToken {
                code: totp_now(SETUP_TOTP),
                friendly_device_name: Some("Phone".into()),
            },
        ),
        ("custom", ChallengeAnswer::CustomAnswer("4".into())),
    ]
}

const IP: &str = "err:InvalidParameter:retry";
const CM: &str = "err:CodeMismatch:retry";

/// The expected outcome of every (state, answer) pair. Rows: states; columns in the
/// order of `matrix_answers`: verifier, new_password, select, sms, totp, email,
/// setup_done, setup_email, associate, verify, custom.
const MATRIX: [(&str, [&str; 11]); 10] = [
    ("verifier", ["auth", IP, IP, IP, IP, IP, IP, IP, IP, IP, IP]),
    (
        "new_password",
        [IP, "auth", IP, IP, IP, IP, IP, IP, IP, IP, IP],
    ),
    (
        "selection",
        [IP, IP, "continue:SMS_MFA", IP, IP, IP, IP, IP, IP, IP, IP],
    ),
    ("sms", [IP, IP, IP, "auth", CM, CM, IP, IP, IP, IP, IP]),
    ("email", [IP, IP, IP, CM, CM, "auth", IP, IP, IP, IP, IP]),
    ("totp", [IP, IP, IP, CM, "auth", CM, IP, IP, IP, IP, IP]),
    (
        "setup",
        [
            IP,
            IP,
            IP,
            IP,
            IP,
            IP,
            IP,
            "continue:EMAIL_OTP",
            "continue:associated",
            IP,
            IP,
        ],
    ),
    (
        "setup_associated",
        [
            IP,
            IP,
            IP,
            IP,
            IP,
            IP,
            IP,
            "continue:EMAIL_OTP",
            "continue:associated",
            "continue:verified",
            IP,
        ],
    ),
    (
        "setup_verified",
        [
            IP,
            IP,
            IP,
            IP,
            IP,
            IP,
            "auth",
            "continue:EMAIL_OTP",
            "continue:associated",
            IP,
            IP,
        ],
    ),
    (
        "custom",
        [IP, IP, IP, IP, IP, IP, IP, IP, IP, IP, "consult:verify"],
    ),
];

#[test]
fn every_state_answer_pair() {
    let f = Fixture::new();
    let states = matrix_states();
    let answers = matrix_answers();
    assert_eq!(states.len(), MATRIX.len());
    let mut failures = Vec::new();
    for ((state_name, state), (row_name, expected_row)) in states.iter().zip(MATRIX) {
        assert_eq!(*state_name, row_name);
        for ((answer_name, answer), expected) in answers.iter().zip(expected_row) {
            let got = kind(&step(&signin(state.clone()), answer.clone(), &f.ctx()));
            if got != expected {
                failures.push(format!(
                    "{state_name} x {answer_name}: expected {expected}, got {got}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn wrong_order_errors_name_the_awaited_challenge() {
    let f = Fixture::new();
    let r = step(
        &signin(SignInState::AwaitingTotpCode),
        ChallengeAnswer::NewPassword {
            password: "x".into(),
            attributes: vec![],
        },
        &f.ctx(),
    );
    assert_eq!(
        error_of(&r),
        "This sign-in is waiting for the SOFTWARE_TOKEN_MFA challenge, not NEW_PASSWORD_REQUIRED."
    );
    let r = step(
        &signin(SignInState::AwaitingTotpCode),
        ChallengeAnswer::SmsCode(SENT_CODE.into()),
        &f.ctx(),
    );
    assert_eq!(error_of(&r), code_mismatch().to_string());
}

// ---------------------------------------------------------------- codes and attempts

#[test]
fn wrong_codes_are_retried_until_the_session_runs_out() {
    let mut f = Fixture::new();
    let state = signin(SignInState::AwaitingSmsCode { code: sent_code() });
    for attempts in 0..MAX_SESSION_ATTEMPTS - 1 {
        f.attempts = attempts;
        let r = step(&state, ChallengeAnswer::SmsCode("654321".into()), &f.ctx());
        assert_eq!(kind(&r), CM, "attempt {attempts}");
        assert_eq!(error_of(&r), "Invalid code or auth state for the user.");
    }
    f.attempts = MAX_SESSION_ATTEMPTS - 1;
    let r = step(&state, ChallengeAnswer::SmsCode("654321".into()), &f.ctx());
    assert_eq!(kind(&r), "err:NotAuthorized:destroy");
    assert_eq!(error_of(&r), session_expired().to_string());
    // Wrong-order answers count against the same limit.
    let r = step(&state, ChallengeAnswer::SelectMfa(MfaFactor::Sms), &f.ctx());
    assert_eq!(error_of(&r), session_expired().to_string());
}

#[test]
fn codes_expire_and_tolerate_whitespace() {
    let mut f = Fixture::new();
    let state = signin(SignInState::AwaitingEmailCode {
        code: sent_code(),
        enroll_email: None,
    });
    let r = step(
        &state,
        ChallengeAnswer::EmailCode(" 123456 ".into()),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "auth");
    assert!(effects_of(&r).is_empty());
    f.now = now().plus_secs(180);
    let r = step(
        &state,
        ChallengeAnswer::EmailCode(SENT_CODE.into()),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "err:ExpiredCode:destroy");
}

#[test]
fn totp_codes_record_their_step_and_are_not_accepted_twice() {
    let mut f = Fixture::new();
    let state = signin(SignInState::AwaitingTotpCode);
    let step_now = crate::totp::step_at(now());
    let r = step(
        &state,
        ChallengeAnswer::TotpCode(totp_now(USER_TOTP)),
        &f.ctx(),
    );
    assert_eq!(effects_of(&r), vec![Effect::RecordTotpStep(step_now)]);
    f.user.last_totp_step = Some(step_now);
    let r = step(
        &state,
        ChallengeAnswer::TotpCode(totp_now(USER_TOTP)),
        &f.ctx(),
    );
    assert_eq!(kind(&r), CM);
    // The previous step's code is still accepted once, if unused.
    f.user.last_totp_step = Some(step_now - 2);
    let previous = crate::totp::code_at_step(USER_TOTP, step_now - 1);
    let r = step(&state, ChallengeAnswer::TotpCode(previous), &f.ctx());
    assert_eq!(effects_of(&r), vec![Effect::RecordTotpStep(step_now - 1)]);
    // No enrolled secret: nothing matches.
    f.user.totp_secret = None;
    let r = step(
        &state,
        ChallengeAnswer::TotpCode(totp_now(USER_TOTP)),
        &f.ctx(),
    );
    assert_eq!(kind(&r), CM);
}

#[test]
fn selection_sends_the_chosen_code_and_refuses_unoffered_factors() {
    let f = Fixture::new();
    let state = signin(SignInState::AwaitingMfaSelection {
        allowed: vec![MfaFactor::Sms, MfaFactor::Totp],
    });
    let r = step(
        &state,
        ChallengeAnswer::SelectMfa(MfaFactor::Totp),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "continue:SOFTWARE_TOKEN_MFA");
    assert_eq!(next_of(r), SignInState::AwaitingTotpCode);
    let r = step(&state, ChallengeAnswer::SelectMfa(MfaFactor::Sms), &f.ctx());
    assert!(matches!(
        effects_of(&r)[..],
        [Effect::SendMfaCode {
            medium: Medium::Sms,
            ..
        }]
    ));
    let r = step(
        &state,
        ChallengeAnswer::SelectMfa(MfaFactor::Email),
        &f.ctx(),
    );
    assert_eq!(kind(&r), IP);
}

// ---------------------------------------------------------------- new password

#[test]
fn new_password_checks_attributes_and_policy_then_goes_on_to_mfa() {
    let mut f = Fixture::new();
    let state = signin(SignInState::AwaitingNewPassword {
        required_attributes: vec!["name".into()],
    });
    let answer = |password: &str, attrs: &[(&str, &str)]| ChallengeAnswer::NewPassword {
        password: password.into(),
        attributes: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    let r = step(&state, answer("N3w-Passw0rd!", &[]), &f.ctx());
    assert_eq!(error_of(&r), "Invalid attributes given, name is missing");
    assert_eq!(kind(&r), IP);
    let r = step(&state, answer("N3w-Passw0rd!", &[("name", "")]), &f.ctx());
    assert_eq!(kind(&r), IP);
    let r = step(&state, answer("short", &[("name", "Alice")]), &f.ctx());
    assert_eq!(kind(&r), "err:InvalidPassword:retry");

    let r = step(
        &state,
        answer("N3w-Passw0rd!", &[("name", "Alice")]),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "auth");
    assert_eq!(
        effects_of(&r),
        vec![Effect::SetPassword {
            password: "N3w-Passw0rd!".into(),
            attributes: vec![("name".into(), "Alice".into())]
        }]
    );

    f.pool.mfa = MfaConfiguration::On;
    let r = step(
        &state,
        answer("N3w-Passw0rd!", &[("name", "Alice")]),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "continue:SMS_MFA");
    assert_eq!(effects_of(&r).len(), 2, "password set and code sent");
}

// ---------------------------------------------------------------- MFA setup

#[test]
fn totp_setup_inside_the_sign_in() {
    let f = Fixture::new();
    let mut state = signin(SignInState::AwaitingMfaSetup {
        allowed: vec![MfaFactor::Totp],
        totp: TotpSetupStage::NotStarted,
    });
    let r = step(&state, ChallengeAnswer::AssociateSoftwareToken, &f.ctx());
    let Ok(Transition::Continue {
        reply: Reply::SoftwareTokenAssociated { secret_code },
        next,
        ..
    }) = r
    else {
        panic!("{}", kind(&r))
    };
    assert_eq!(
        crate::totp::base32_decode(&secret_code).as_deref(),
        Some(SETUP_TOTP)
    );
    state.state = next;

    let wrong = ChallengeAnswer::VerifySoftwareToken {
        code: totp_now(USER_TOTP),
        friendly_device_name: None,
    };
    let r = step(&state, wrong, &f.ctx());
    assert_eq!(
        error_of(&r),
        "Code mismatch and fail enable Software Token MFA"
    );

    let r = step(
        &state,
        ChallengeAnswer::VerifySoftwareToken {
            code: totp_now(SETUP_TOTP),
            friendly_device_name: Some("My phone".into()),
        },
        &f.ctx(),
    );
    assert_eq!(
        effects_of(&r),
        vec![Effect::EnableTotp {
            secret: SETUP_TOTP.to_vec(),
            friendly_device_name: Some("My phone".into()),
            step: crate::totp::step_at(now()),
        }]
    );
    state.state = next_of(r);
    let r = step(&state, ChallengeAnswer::MfaSetup { email: None }, &f.ctx());
    assert_eq!(kind(&r), "auth");

    // TOTP not offered: no secret is handed out; e-mail not offered: refused too.
    let only_email = signin(SignInState::AwaitingMfaSetup {
        allowed: vec![MfaFactor::Email],
        totp: TotpSetupStage::NotStarted,
    });
    assert_eq!(
        kind(&step(
            &only_email,
            ChallengeAnswer::AssociateSoftwareToken,
            &f.ctx()
        )),
        IP
    );
    let only_totp = signin(SignInState::AwaitingMfaSetup {
        allowed: vec![MfaFactor::Totp],
        totp: TotpSetupStage::NotStarted,
    });
    let email = ChallengeAnswer::MfaSetup {
        email: Some("a@example.com".into()),
    };
    assert_eq!(kind(&step(&only_totp, email, &f.ctx())), IP);
}

#[test]
fn email_setup_sends_a_code_and_enrolls_on_success() {
    let f = Fixture::new();
    let state = signin(SignInState::AwaitingMfaSetup {
        allowed: vec![MfaFactor::Email],
        totp: TotpSetupStage::NotStarted,
    });
    let bad = ChallengeAnswer::MfaSetup {
        email: Some("not-an-address".into()),
    };
    assert_eq!(kind(&step(&state, bad, &f.ctx())), IP);

    let r = step(
        &state,
        ChallengeAnswer::MfaSetup {
            email: Some("new@example.com".into()),
        },
        &f.ctx(),
    );
    let c = challenge_of(&r);
    assert_eq!(c.parameters["CODE_DELIVERY_DESTINATION"], "n***@e***");
    assert_eq!(
        effects_of(&r),
        vec![Effect::SendMfaCode {
            medium: Medium::Email,
            destination: "new@example.com".into(),
            code: SENT_CODE.into()
        }]
    );
    let next = signin(next_of(r));
    let r = step(
        &next,
        ChallengeAnswer::EmailCode(SENT_CODE.into()),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "auth");
    assert_eq!(
        effects_of(&r),
        vec![Effect::EnrollEmailMfa {
            email: "new@example.com".into()
        }]
    );
}

// ---------------------------------------------------------------- parsing and persistence

fn responses(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn challenge_responses_parse_into_answers() {
    let r = ChallengeResponse::parse(
        "NEW_PASSWORD_REQUIRED",
        &responses(&[
            ("USERNAME", "alice"),
            ("NEW_PASSWORD", "N3w!"),
            ("userAttributes.name", "Alice"),
            ("PASSWORD_CLAIM_SIGNATURE", "ignored"),
            ("SECRET_HASH", "h"),
        ]),
    )
    .unwrap();
    assert_eq!(r.username, "alice");
    assert_eq!(r.secret_hash.as_deref(), Some("h"));
    assert_eq!(
        r.answer,
        ChallengeAnswer::NewPassword {
            password: "N3w!".into(),
            attributes: vec![("name".into(), "Alice".into())]
        }
    );
    assert!(!format!("{:?}", r.answer).contains("N3w!"));

    let parse =
        |name: &str, pairs: &[(&str, &str)]| ChallengeResponse::parse(name, &responses(pairs));
    assert_eq!(
        parse(
            "SELECT_MFA_TYPE",
            &[("USERNAME", "a"), ("ANSWER", "EMAIL_MFA")]
        )
        .unwrap()
        .answer,
        ChallengeAnswer::SelectMfa(MfaFactor::Email)
    );
    assert!(parse("SELECT_MFA_TYPE", &[("USERNAME", "a"), ("ANSWER", "SMS")]).is_err());
    assert_eq!(
        parse("SMS_MFA", &[("SMS_MFA_CODE", "1")])
            .unwrap_err()
            .to_string(),
        "Missing required parameter USERNAME"
    );
    assert_eq!(
        parse("SOFTWARE_TOKEN_MFA", &[("USERNAME", "a")])
            .unwrap_err()
            .to_string(),
        "Missing required parameter SOFTWARE_TOKEN_MFA_CODE"
    );
    assert_eq!(
        parse("MFA_SETUP", &[("USERNAME", "a")]).unwrap().answer,
        ChallengeAnswer::MfaSetup { email: None }
    );
    let pv = parse(
        "PASSWORD_VERIFIER",
        &[
            ("USERNAME", "a"),
            ("PASSWORD_CLAIM_SECRET_BLOCK", "AQID"),
            ("PASSWORD_CLAIM_SIGNATURE", "BAU="),
            ("TIMESTAMP", "Tue Mar 3 07:05:09 UTC 2026"),
            ("DEVICE_KEY", "dk"),
        ],
    )
    .unwrap();
    assert_eq!(pv.device_key.as_deref(), Some("dk"));
    assert_eq!(
        pv.answer,
        ChallengeAnswer::PasswordVerifier {
            secret_block: vec![1, 2, 3],
            signature: vec![4, 5],
            timestamp: "Tue Mar 3 07:05:09 UTC 2026".into()
        }
    );
    assert!(matches!(
        parse(
            "PASSWORD_VERIFIER",
            &[
                ("USERNAME", "a"),
                ("PASSWORD_CLAIM_SECRET_BLOCK", "!!"),
                ("PASSWORD_CLAIM_SIGNATURE", "AA=="),
                ("TIMESTAMP", "t")
            ]
        ),
        Err(AuthError::InvalidParameter(_))
    ));
    assert!(matches!(
        parse("CUSTOM_CHALLENGE", &[("USERNAME", "a")]),
        Err(AuthError::InvalidParameter(m)) if m.contains("ANSWER")
    ));
    assert!(matches!(
        parse("CUSTOM_CHALLENGE", &[("USERNAME", "a"), ("ANSWER", "")]),
        Ok(ChallengeResponse { answer: ChallengeAnswer::CustomAnswer(a), .. }) if a.is_empty()
    ));
    assert!(matches!(
        parse("DEVICE_SRP_AUTH", &[("USERNAME", "a")]),
        Err(AuthError::InvalidParameter(m)) if m.contains("SRP_A")
    ));
    assert!(matches!(
        parse("WEB_AUTHN", &[("USERNAME", "a")]),
        Err(AuthError::InvalidParameter(m)) if m.contains("CREDENTIAL")
    ));
    // A valid challenge name Keystep never answers is named as such.
    assert!(matches!(
        parse("ADMIN_NO_SRP_AUTH", &[("USERNAME", "a")]),
        Err(AuthError::UnsupportedOperation(_))
    ));
    assert!(parse("NOPE", &[("USERNAME", "a")])
        .unwrap_err()
        .to_string()
        .starts_with("1 validation error detected: Value 'NOPE' at 'challengeName'"));
}

#[test]
fn states_survive_serialisation_and_hide_secrets_in_debug() {
    for (_, state) in matrix_states() {
        let s = signin(state);
        let bytes = serde_json::to_vec(&s).unwrap();
        assert_eq!(serde_json::from_slice::<SignIn>(&bytes).unwrap(), s);
    }
    let shown = format!(
        "{:?}",
        SignInState::AwaitingMfaSetup {
            allowed: vec![],
            totp: TotpSetupStage::Associated {
                secret: SETUP_TOTP.to_vec()
            }
        }
    );
    assert!(!shown.contains("setup-totp"));
    assert!(!format!("{:?}", srp_state([0xab; 16])).contains("171"));
    assert!(!format!("{:?}", fresh()).contains(SENT_CODE));
}

#[test]
fn auth_flows_parse_with_aliases_and_respect_the_client() {
    use crate::app_client::{AppClient, ClientSettings, ExplicitAuthFlow};
    assert_eq!(
        AuthFlow::parse("ADMIN_NO_SRP_AUTH"),
        Ok(AuthFlow::AdminUserPasswordAuth)
    );
    assert_eq!(
        AuthFlow::parse("REFRESH_TOKEN"),
        Ok(AuthFlow::RefreshTokenAuth)
    );
    assert_eq!(AuthFlow::parse("CUSTOM_AUTH"), Ok(AuthFlow::CustomAuth));
    assert_eq!(AuthFlow::parse("USER_AUTH"), Ok(AuthFlow::UserAuth));
    assert!(matches!(
        AuthFlow::parse("bogus"),
        Err(AuthError::InvalidParameter(_))
    ));

    let mut client = AppClient {
        pool_id: POOL_ID.into(),
        client_id: "c".into(),
        name: "c".into(),
        secret: None,
        created_at: now(),
        modified_at: now(),
        settings: ClientSettings::default().into(),
        secret_rotation: Default::default(),
    };
    assert!(AuthFlow::UserSrpAuth.check_allowed(&client, false).is_ok());
    assert_eq!(
        AuthFlow::UserPasswordAuth.check_allowed(&client, false),
        Err(AuthError::InvalidParameter(
            "USER_PASSWORD_AUTH flow not enabled for this client".into()
        ))
    );
    assert!(AuthFlow::UserPasswordAuth
        .check_allowed(&client, true)
        .is_err());
    assert!(AuthFlow::AdminUserPasswordAuth
        .check_allowed(&client, false)
        .is_err());
    std::sync::Arc::make_mut(&mut client.settings).explicit_auth_flows =
        vec![ExplicitAuthFlow::AdminNoSrpAuth];
    assert!(AuthFlow::AdminUserPasswordAuth
        .check_allowed(&client, true)
        .is_ok());
    assert!(AuthFlow::RefreshTokenAuth
        .check_allowed(&client, false)
        .is_err());
}

// ---------------------------------------------------------------- CUSTOM_AUTH

fn define(challenge: Option<&str>, issue: bool, fail: bool) -> custom::TriggerAnswer {
    custom::TriggerAnswer::Define {
        challenge_name: challenge.map(str::to_string),
        issue_tokens: issue,
        fail_authentication: fail,
    }
}

fn consult(r: Result<Transition, Rejection>) -> (custom::Question, custom::Pending) {
    match r {
        Ok(Transition::Consult {
            question, pending, ..
        }) => (question, pending),
        other => panic!("expected a consult, got {}", kind(&other)),
    }
}

#[test]
fn custom_rounds_go_define_create_verify_define() {
    let f = Fixture::new();
    let fl = flow(AuthFlow::CustomAuth);
    let (q, pending) = consult(start(&fl, FirstFactor::Custom { srp_a: None }, &f.ctx()));
    assert_eq!(q, custom::Question::Define { history: vec![] });

    let (q, pending) = consult(custom::resume(
        &fl,
        pending,
        define(Some("CUSTOM_CHALLENGE"), false, false),
        &f.ctx(),
    ));
    assert!(matches!(q, custom::Question::Create { .. }));
    let r = custom::resume(
        &fl,
        pending,
        custom::TriggerAnswer::Create {
            public_parameters: [("question".to_string(), "2+2?".to_string())].into(),
            private_parameters: [("answer".to_string(), "4".to_string())].into(),
            metadata: Some("Q1".into()),
        },
        &f.ctx(),
    );
    let c = challenge_of(&r);
    assert_eq!(c.name, ChallengeName::CustomChallenge);
    assert_eq!(c.parameters["question"], "2+2?");
    assert_eq!(c.parameters["USERNAME"], "alice");
    assert!(!c.parameters.contains_key("answer"));
    let state = next_of(r);

    let (q, pending) = consult(step(
        &SignIn {
            flow: fl.clone(),
            state,
        },
        ChallengeAnswer::CustomAnswer("5".into()),
        &f.ctx(),
    ));
    assert_eq!(
        q,
        custom::Question::Verify {
            private_parameters: [("answer".to_string(), "4".to_string())].into(),
            answer: "5".into(),
        }
    );
    let (q, pending) = consult(custom::resume(
        &fl,
        pending,
        custom::TriggerAnswer::Verify {
            answer_correct: false,
        },
        &f.ctx(),
    ));
    let custom::Question::Define { history } = q else {
        panic!("{q:?}")
    };
    assert_eq!(history.len(), 1);
    assert!(!history[0].challenge_result);
    assert_eq!(history[0].challenge_metadata.as_deref(), Some("Q1"));

    let failed = custom::resume(&fl, pending.clone(), define(None, false, true), &f.ctx());
    assert_eq!(kind(&failed), "err:NotAuthorized:destroy");
    let done = custom::resume(&fl, pending.clone(), define(None, true, false), &f.ctx());
    assert_eq!(kind(&done), "auth");
    let nonsense = custom::resume(&fl, pending, define(None, false, false), &f.ctx());
    assert!(matches!(
        nonsense.map_err(|r| r.error),
        Err(AuthError::InvalidLambdaResponse(_))
    ));
}

#[test]
fn custom_with_srp_puts_the_password_verifier_first() {
    let f = Fixture::new();
    let fl = flow(AuthFlow::CustomAuth);
    let (q, pending) = consult(start(
        &fl,
        FirstFactor::Custom {
            srp_a: Some(client_a()),
        },
        &f.ctx(),
    ));
    let custom::Question::Define { history } = q else {
        panic!("{q:?}")
    };
    assert_eq!(history[0].challenge_name, "SRP_A");
    let r = custom::resume(
        &fl,
        pending,
        define(Some("PASSWORD_VERIFIER"), false, false),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "continue:PASSWORD_VERIFIER");
    let SignInState::AwaitingPasswordVerifier { srp } = next_of(r) else {
        panic!("not waiting for the verifier")
    };
    // The right proof goes back to Define, not to MFA or tokens.
    let key: [u8; 16] = srp.session_key.clone().try_into().unwrap();
    let (q, _) = consult(step(
        &SignIn {
            flow: fl.clone(),
            state: SignInState::AwaitingPasswordVerifier { srp },
        },
        proof_answer(key, &keystep_srp::format_timestamp(NOW_SECS)),
        &f.ctx(),
    ));
    let custom::Question::Define { history } = q else {
        panic!("{q:?}")
    };
    let names: Vec<&str> = history.iter().map(|h| h.challenge_name.as_str()).collect();
    assert_eq!(names, ["SRP_A", "PASSWORD_VERIFIER"]);

    // PASSWORD_VERIFIER without SRP_A is a Define bug.
    let (_, pending) = consult(start(&fl, FirstFactor::Custom { srp_a: None }, &f.ctx()));
    let r = custom::resume(
        &fl,
        pending,
        define(Some("PASSWORD_VERIFIER"), false, false),
        &f.ctx(),
    );
    assert!(matches!(
        r.map_err(|r| r.error),
        Err(AuthError::InvalidLambdaResponse(_))
    ));
}

#[test]
fn custom_rounds_are_capped_and_disabled_users_never_reach_define() {
    let f = Fixture::new();
    let fl = flow(AuthFlow::CustomAuth);
    let wrong = custom::ChallengeResult {
        challenge_name: "CUSTOM_CHALLENGE".into(),
        challenge_result: false,
        challenge_metadata: None,
    };
    let pending = custom::Pending::AfterDefine {
        history: vec![wrong; custom::MAX_CUSTOM_ROUNDS],
        srp_a: None,
    };
    let r = custom::resume(
        &fl,
        pending,
        define(Some("CUSTOM_CHALLENGE"), false, false),
        &f.ctx(),
    );
    assert_eq!(kind(&r), "err:NotAuthorized:destroy");

    let mut f = Fixture::new();
    f.user.enabled = false;
    let r = start(&fl, FirstFactor::Custom { srp_a: None }, &f.ctx());
    assert_eq!(error_of(&r), "User is disabled.");
}

mod choice;
mod device;
