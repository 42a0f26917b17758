//! What a sign-in asks for next: the server's challenge mapped to a [`SignInStep`] exactly
//! as Amplify JS v6 maps it (`signInHelpers.ts getSignInResult`, protocol notes §3.3).
//!
//! Everything here is pure: no I/O, no state.

use std::collections::BTreeMap;

use crate::error::AuthError;

/// An MFA method, as Amplify names them (`SMS`, `TOTP`, `EMAIL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MfaType {
    /// Codes by text message (`SMS_MFA`).
    Sms,
    /// An authenticator app (`SOFTWARE_TOKEN_MFA`).
    Totp,
    /// Codes by e-mail (`EMAIL_OTP`).
    Email,
}

impl MfaType {
    /// The Amplify name, which is also the answer `confirm_sign_in` takes to pick it:
    /// `"SMS"`, `"TOTP"` or `"EMAIL"`.
    pub fn as_str(self) -> &'static str {
        match self {
            MfaType::Sms => "SMS",
            MfaType::Totp => "TOTP",
            MfaType::Email => "EMAIL",
        }
    }

    /// The wire name (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    pub fn challenge_name(self) -> &'static str {
        match self {
            MfaType::Sms => "SMS_MFA",
            MfaType::Totp => "SOFTWARE_TOKEN_MFA",
            MfaType::Email => "EMAIL_OTP",
        }
    }

    /// The type of a wire name; unknown names give `None` (Amplify drops them).
    pub fn from_challenge_name(name: &str) -> Option<MfaType> {
        match name {
            "SMS_MFA" => Some(MfaType::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(MfaType::Totp),
            "EMAIL_OTP" => Some(MfaType::Email),
            _ => None,
        }
    }

    /// The type an app's answer names: `"SMS"`, `"TOTP"` or `"EMAIL"`.
    pub fn from_answer(answer: &str) -> Option<MfaType> {
        match answer {
            "SMS" => Some(MfaType::Sms),
            "TOTP" => Some(MfaType::Totp),
            "EMAIL" => Some(MfaType::Email),
            _ => None,
        }
    }
}

/// A first factor of choice-based sign-in ([`crate::AuthFlow::UserAuth`]), as Amplify
/// names them in `availableChallenges` and `preferredChallenge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FirstFactor {
    /// `PASSWORD`: the password, sent (over TLS).
    Password,
    /// `PASSWORD_SRP`: the password, proven by SRP.
    PasswordSrp,
    /// `EMAIL_OTP`: a one-time code by e-mail.
    EmailOtp,
    /// `SMS_OTP`: a one-time code by text message.
    SmsOtp,
}

impl FirstFactor {
    /// The wire name, which is also the answer `confirm_sign_in` takes to pick it.
    pub fn as_str(self) -> &'static str {
        match self {
            FirstFactor::Password => "PASSWORD",
            FirstFactor::PasswordSrp => "PASSWORD_SRP",
            FirstFactor::EmailOtp => "EMAIL_OTP",
            FirstFactor::SmsOtp => "SMS_OTP",
        }
    }

    /// The factor a wire name or answer names; others (e.g. `WEB_AUTHN`, which this client
    /// does not do) give `None`.
    pub fn parse(name: &str) -> Option<FirstFactor> {
        [
            FirstFactor::Password,
            FirstFactor::PasswordSrp,
            FirstFactor::EmailOtp,
            FirstFactor::SmsOtp,
        ]
        .into_iter()
        .find(|f| f.as_str() == name)
    }

    /// Whether this factor is the password.
    pub fn is_password(self) -> bool {
        matches!(self, FirstFactor::Password | FirstFactor::PasswordSrp)
    }
}

/// Where a code was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeDelivery {
    /// The masked address, e.g. `+*******0123` or `a***@e***`.
    pub destination: Option<String>,
    /// `SMS` or `EMAIL`.
    pub delivery_medium: Option<String>,
    /// The attribute the code went to (`phone_number`, `email`), when the server says.
    pub attribute_name: Option<String>,
}

impl From<keystep_proto::CodeDeliveryDetails> for CodeDelivery {
    fn from(d: keystep_proto::CodeDeliveryDetails) -> Self {
        CodeDelivery {
            destination: d.destination,
            delivery_medium: d.delivery_medium,
            attribute_name: d.attribute_name,
        }
    }
}

/// The next thing a sign-in needs, one variant per Amplify `signInStep`.
///
/// ```
/// use keystep_client::SignInStep;
/// fn prompt(step: &SignInStep) -> &'static str {
///     match step {
///         SignInStep::ConfirmSignInWithSmsMfaCode { .. } => "Enter the code we texted you",
///         SignInStep::ConfirmSignInWithTotpCode => "Enter the code from your authenticator",
///         SignInStep::ConfirmSignInWithNewPassword { .. } => "Choose a new password",
///         SignInStep::Done => "Welcome!",
///         _ => "Continue",
///     }
/// }
/// assert_eq!(prompt(&SignInStep::Done), "Welcome!");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignInStep {
    /// `CONFIRM_SIGN_IN_WITH_SMS_CODE`: answer with the code sent by SMS.
    ConfirmSignInWithSmsMfaCode {
        /// Where the code went.
        delivery: Option<CodeDelivery>,
    },
    /// `CONFIRM_SIGN_IN_WITH_TOTP_CODE`: answer with the authenticator app's code.
    ConfirmSignInWithTotpCode,
    /// `CONFIRM_SIGN_IN_WITH_EMAIL_CODE`: answer with the code sent by e-mail.
    ConfirmSignInWithEmailCode {
        /// Where the code went.
        delivery: Option<CodeDelivery>,
    },
    /// `CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE`: answer the custom challenge.
    ConfirmSignInWithCustomChallenge {
        /// All the challenge parameters (Amplify's `additionalInfo`).
        info: BTreeMap<String, String>,
    },
    /// `CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED`: answer with a new password, and pass
    /// the missing attributes in `ConfirmSignInOptions::user_attributes`.
    ConfirmSignInWithNewPassword {
        /// Required attributes the user has no value for (without `userAttributes.`).
        missing_attributes: Vec<String>,
    },
    /// `CONTINUE_SIGN_IN_WITH_TOTP_SETUP`: show the secret (or the URI as a QR code), then
    /// answer with a code from the authenticator app.
    ContinueSignInWithTotpSetup {
        /// The base32 shared secret.
        shared_secret: String,
        /// An `otpauth://` URI for the secret (issuer `AWSCognito`); see
        /// [`totp_setup_uri`] for another issuer.
        setup_uri: String,
    },
    /// `CONTINUE_SIGN_IN_WITH_MFA_SELECTION`: answer `"SMS"`, `"TOTP"` or `"EMAIL"`.
    ContinueSignInWithMfaSelection {
        /// The methods the user may pick.
        allowed: Vec<MfaType>,
    },
    /// `CONTINUE_SIGN_IN_WITH_EMAIL_SETUP`: answer with the e-mail address to use.
    ContinueSignInWithEmailMfaSetup,
    /// `CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION`: answer `"TOTP"` or `"EMAIL"`.
    ContinueSignInWithMfaSetupSelection {
        /// The methods the user may set up.
        allowed: Vec<MfaType>,
    },
    /// `CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION`: answer with one of `available`
    /// (its [`FirstFactor::as_str`]).
    ContinueSignInWithFirstFactorSelection {
        /// The first factors this user may pick.
        available: Vec<FirstFactor>,
    },
    /// `CONFIRM_SIGN_IN_WITH_PASSWORD`: a password was picked; answer with it.
    ConfirmSignInWithPassword,
    /// `RESET_PASSWORD`: the password must be reset (`reset_password`) before signing in.
    ResetPassword,
    /// `CONFIRM_SIGN_UP`: the account is not confirmed yet (`confirm_sign_up`).
    ConfirmSignUp,
    /// `DONE`: signed in.
    Done,
}

/// The outcome of `sign_in` and `confirm_sign_in`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInResult {
    /// Whether tokens were issued.
    pub is_signed_in: bool,
    /// What to do next.
    pub next_step: SignInStep,
}

impl SignInResult {
    pub(crate) fn step(next_step: SignInStep) -> SignInResult {
        SignInResult {
            is_signed_in: matches!(next_step, SignInStep::Done),
            next_step,
        }
    }
}

/// What the client does with a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Hand this step to the app and keep the session.
    Ask(SignInStep),
    /// Answer `PASSWORD_VERIFIER` inline.
    PasswordVerifier,
    /// Prove the remembered device inline (`DEVICE_SRP_AUTH`).
    DeviceSrp,
    /// `MFA_SETUP` with TOTP as the only choice: call `AssociateSoftwareToken` first.
    SetUpTotp,
}

/// The action for a challenge and its parameters.
pub(crate) fn classify(
    challenge: &str,
    params: &BTreeMap<String, String>,
    available: &[String],
) -> Result<Action, AuthError> {
    Ok(Action::Ask(match challenge {
        "PASSWORD_VERIFIER" => return Ok(Action::PasswordVerifier),
        "DEVICE_SRP_AUTH" => return Ok(Action::DeviceSrp),
        "SELECT_CHALLENGE" => SignInStep::ContinueSignInWithFirstFactorSelection {
            available: available
                .iter()
                .filter_map(|n| FirstFactor::parse(n))
                .collect(),
        },
        "CUSTOM_CHALLENGE" => SignInStep::ConfirmSignInWithCustomChallenge {
            info: params.clone(),
        },
        "NEW_PASSWORD_REQUIRED" => SignInStep::ConfirmSignInWithNewPassword {
            missing_attributes: missing_attributes(params),
        },
        "SELECT_MFA_TYPE" => SignInStep::ContinueSignInWithMfaSelection {
            allowed: mfa_types(params.get("MFAS_CAN_CHOOSE")),
        },
        "SMS_MFA" | "SMS_OTP" => SignInStep::ConfirmSignInWithSmsMfaCode {
            delivery: delivery(params),
        },
        "SOFTWARE_TOKEN_MFA" => SignInStep::ConfirmSignInWithTotpCode,
        "EMAIL_OTP" => SignInStep::ConfirmSignInWithEmailCode {
            delivery: delivery(params),
        },
        "MFA_SETUP" => {
            let can_set_up: Vec<MfaType> = mfa_types(params.get("MFAS_CAN_SETUP"))
                .into_iter()
                .filter(|t| *t != MfaType::Sms)
                .collect();
            let totp = can_set_up.contains(&MfaType::Totp);
            let email = can_set_up.contains(&MfaType::Email);
            match (totp, email) {
                (true, true) => SignInStep::ContinueSignInWithMfaSetupSelection {
                    allowed: vec![MfaType::Totp, MfaType::Email],
                },
                (false, true) => SignInStep::ContinueSignInWithEmailMfaSetup,
                (true, false) => return Ok(Action::SetUpTotp),
                (false, false) => {
                    return Err(AuthError::bad_response(
                        "SignInException",
                        "Cannot initiate MFA setup from available types",
                    ))
                }
            }
        }
        other => {
            return Err(AuthError::bad_response(
                "SignInException",
                format!(
                    "The challenge {other} returned by the underlying service was not addressed."
                ),
            ))
        }
    }))
}

/// Sign-in errors that are really steps (Amplify's `getSignInResultFromError`).
pub(crate) fn result_from_error(err: AuthError) -> Result<SignInResult, AuthError> {
    match err {
        AuthError::PasswordResetRequired { .. } => {
            Ok(SignInResult::step(SignInStep::ResetPassword))
        }
        AuthError::UserNotConfirmed { .. } => Ok(SignInResult::step(SignInStep::ConfirmSignUp)),
        other => Err(other),
    }
}

/// The `ChallengeResponses` key that carries the code for a code challenge.
pub(crate) fn code_key(challenge: &str) -> Option<&'static str> {
    match challenge {
        "SMS_MFA" => Some("SMS_MFA_CODE"),
        "SMS_OTP" => Some("SMS_OTP_CODE"),
        "SOFTWARE_TOKEN_MFA" => Some("SOFTWARE_TOKEN_MFA_CODE"),
        "EMAIL_OTP" => Some("EMAIL_OTP_CODE"),
        "CUSTOM_CHALLENGE" | "SELECT_MFA_TYPE" => Some("ANSWER"),
        _ => None,
    }
}

/// An `otpauth://` URI for an authenticator app, as Amplify's `getSetupUri(appName,
/// accountName)` builds it.
///
/// ```
/// let uri = keystep_client::totp_setup_uri("MyApp", "alice", "JBSWY3DPEHPK3PXP");
/// assert_eq!(uri, "otpauth://totp/MyApp:alice?secret=JBSWY3DPEHPK3PXP&issuer=MyApp");
/// ```
pub fn totp_setup_uri(app_name: &str, account_name: &str, shared_secret: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}",
        uri_escape(app_name),
        uri_escape(account_name),
        uri_escape(shared_secret),
        uri_escape(app_name)
    )
}

fn uri_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `MFAS_CAN_CHOOSE` / `MFAS_CAN_SETUP` (a JSON array in a string), mapped and deduplicated.
fn mfa_types(json: Option<&String>) -> Vec<MfaType> {
    let names: Vec<String> = json
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let mut out = Vec::new();
    for t in names.iter().filter_map(|n| MfaType::from_challenge_name(n)) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// `requiredAttributes` without the `userAttributes.` prefix.
fn missing_attributes(params: &BTreeMap<String, String>) -> Vec<String> {
    let names: Vec<String> = params
        .get("requiredAttributes")
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    names
        .into_iter()
        .map(|n| match n.strip_prefix("userAttributes.") {
            Some(rest) => rest.to_string(),
            None => n,
        })
        .collect()
}

fn delivery(params: &BTreeMap<String, String>) -> Option<CodeDelivery> {
    let medium = params.get("CODE_DELIVERY_DELIVERY_MEDIUM").cloned();
    let destination = params.get("CODE_DELIVERY_DESTINATION").cloned();
    if medium.is_none() && destination.is_none() {
        return None;
    }
    Some(CodeDelivery {
        destination,
        delivery_medium: medium,
        attribute_name: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn ask(challenge: &str, pairs: &[(&str, &str)]) -> SignInStep {
        match classify(challenge, &params(pairs), &[]).unwrap() {
            Action::Ask(step) => step,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn code_challenges_carry_their_delivery() {
        let sms = ask(
            "SMS_MFA",
            &[
                ("CODE_DELIVERY_DELIVERY_MEDIUM", "SMS"),
                ("CODE_DELIVERY_DESTINATION", "+*******0123"),
                ("USER_ID_FOR_SRP", "carol"),
            ],
        );
        assert_eq!(
            sms,
            SignInStep::ConfirmSignInWithSmsMfaCode {
                delivery: Some(CodeDelivery {
                    destination: Some("+*******0123".into()),
                    delivery_medium: Some("SMS".into()),
                    attribute_name: None,
                })
            }
        );
        assert_eq!(
            ask("SMS_OTP", &[]),
            SignInStep::ConfirmSignInWithSmsMfaCode { delivery: None }
        );
        assert!(matches!(
            ask("EMAIL_OTP", &[("CODE_DELIVERY_DELIVERY_MEDIUM", "EMAIL")]),
            SignInStep::ConfirmSignInWithEmailCode { delivery: Some(_) }
        ));
        assert_eq!(
            ask("SOFTWARE_TOKEN_MFA", &[("FRIENDLY_DEVICE_NAME", "phone")]),
            SignInStep::ConfirmSignInWithTotpCode
        );
    }

    #[test]
    fn custom_challenge_exposes_every_parameter() {
        let step = ask(
            "CUSTOM_CHALLENGE",
            &[("USERNAME", "u"), ("question", "2+2")],
        );
        assert_eq!(
            step,
            SignInStep::ConfirmSignInWithCustomChallenge {
                info: params(&[("USERNAME", "u"), ("question", "2+2")])
            }
        );
    }

    #[test]
    fn new_password_lists_missing_attributes_without_the_prefix() {
        let step = ask(
            "NEW_PASSWORD_REQUIRED",
            &[
                (
                    "requiredAttributes",
                    r#"["userAttributes.name","family_name"]"#,
                ),
                ("userAttributes", r#"{"email":"a@example.com"}"#),
            ],
        );
        assert_eq!(
            step,
            SignInStep::ConfirmSignInWithNewPassword {
                missing_attributes: vec!["name".into(), "family_name".into()]
            }
        );
        assert_eq!(
            ask("NEW_PASSWORD_REQUIRED", &[]),
            SignInStep::ConfirmSignInWithNewPassword {
                missing_attributes: vec![]
            }
        );
    }

    #[test]
    fn mfa_selection_maps_names_and_drops_unknown_ones() {
        let step = ask(
            "SELECT_MFA_TYPE",
            &[(
                "MFAS_CAN_CHOOSE",
                r#"["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP","WEB_AUTHN"]"#,
            )],
        );
        assert_eq!(
            step,
            SignInStep::ContinueSignInWithMfaSelection {
                allowed: vec![MfaType::Sms, MfaType::Totp, MfaType::Email]
            }
        );
    }

    #[test]
    fn mfa_setup_is_decided_after_dropping_sms() {
        let setup = |list: &str| classify("MFA_SETUP", &params(&[("MFAS_CAN_SETUP", list)]), &[]);
        assert_eq!(
            setup(r#"["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#).unwrap(),
            Action::Ask(SignInStep::ContinueSignInWithMfaSetupSelection {
                allowed: vec![MfaType::Totp, MfaType::Email]
            })
        );
        assert_eq!(
            setup(r#"["EMAIL_OTP"]"#).unwrap(),
            Action::Ask(SignInStep::ContinueSignInWithEmailMfaSetup)
        );
        assert_eq!(
            setup(r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#).unwrap(),
            Action::SetUpTotp
        );
        let err = setup(r#"["SMS_MFA"]"#).unwrap_err();
        assert_eq!(err.name(), "SignInException");
        assert!(setup("not json").is_err());
    }

    #[test]
    fn password_verifier_is_answered_inline_and_unknown_challenges_fail() {
        assert_eq!(
            classify("PASSWORD_VERIFIER", &BTreeMap::new(), &[]).unwrap(),
            Action::PasswordVerifier
        );
        for name in ["DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "WHATEVER"] {
            let err = classify(name, &BTreeMap::new(), &[]).unwrap_err();
            assert_eq!(err.name(), "SignInException", "{name}");
        }
    }

    #[test]
    fn two_errors_are_steps() {
        let reset = AuthError::from_service("PasswordResetRequiredException", "x");
        assert_eq!(
            result_from_error(reset).unwrap(),
            SignInResult {
                is_signed_in: false,
                next_step: SignInStep::ResetPassword
            }
        );
        let unconfirmed = AuthError::from_service("UserNotConfirmedException", "x");
        assert_eq!(
            result_from_error(unconfirmed).unwrap().next_step,
            SignInStep::ConfirmSignUp
        );
        let wrong = AuthError::from_service("NotAuthorizedException", "x");
        assert!(matches!(
            result_from_error(wrong),
            Err(AuthError::NotAuthorized { .. })
        ));
    }

    #[test]
    fn answers_and_code_keys() {
        assert_eq!(MfaType::from_answer("TOTP"), Some(MfaType::Totp));
        assert_eq!(MfaType::from_answer("totp"), None);
        assert_eq!(MfaType::Email.challenge_name(), "EMAIL_OTP");
        assert_eq!(code_key("SMS_MFA"), Some("SMS_MFA_CODE"));
        assert_eq!(code_key("EMAIL_OTP"), Some("EMAIL_OTP_CODE"));
        assert_eq!(code_key("NEW_PASSWORD_REQUIRED"), None);
        assert_eq!(
            totp_setup_uri("My App", "a b", "S"),
            "otpauth://totp/My%20App:a%20b?secret=S&issuer=My%20App"
        );
    }
}
