//! Choice-based sign-in (`USER_AUTH`, protocol notes §10): the user starts with a name,
//! picks one of the first factors the pool allows and they can use — a password (plain
//! or SRP) or a one-time code by e-mail or SMS — and a code that comes back right signs
//! them in without a second factor. A password leads into the usual MFA decision.
//!
//! Also the one sign-in that needs no factor at all: right after `ConfirmSignUp`, whose
//! code stood in for the first factor (§11).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::attributes::mask_destination;
use crate::error::AuthError;
use crate::message::Medium;
use crate::pool::AuthFactor;
use crate::user::UserStatus;

use super::after_password::new_code;
use super::answer::required;
use super::challenge::Challenge;
use super::effect::Effect;
use super::first_factor::{gate, password_first, srp_challenge};
use super::flow::Flow;
use super::outcome::{Authenticated, Rejection, Reply, Transition};
use super::state::SignInState;
use super::{incorrect_credentials, session_expired, StepContext};

/// A first factor as `AvailableChallenges`, `PREFERRED_CHALLENGE` and `ANSWER` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FirstChallenge {
    /// `PASSWORD_SRP`: the password, proven by SRP.
    PasswordSrp,
    /// `PASSWORD`: the password, sent.
    Password,
    /// `EMAIL_OTP`: a code sent to the verified e-mail address.
    EmailOtp,
    /// `SMS_OTP`: a code sent to the verified phone number.
    SmsOtp,
    /// `WEB_AUTHN`: a passkey.
    WebAuthn,
}

/// Every first factor, in the order `AvailableChallenges` lists them.
const ALL: [FirstChallenge; 5] = [
    FirstChallenge::PasswordSrp,
    FirstChallenge::Password,
    FirstChallenge::EmailOtp,
    FirstChallenge::SmsOtp,
    FirstChallenge::WebAuthn,
];

impl FirstChallenge {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            FirstChallenge::PasswordSrp => "PASSWORD_SRP",
            FirstChallenge::Password => "PASSWORD",
            FirstChallenge::EmailOtp => "EMAIL_OTP",
            FirstChallenge::SmsOtp => "SMS_OTP",
            FirstChallenge::WebAuthn => "WEB_AUTHN",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<FirstChallenge> {
        ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The pool factor that allows it (`PASSWORD` allows both password forms).
    pub fn factor(self) -> AuthFactor {
        match self {
            FirstChallenge::PasswordSrp | FirstChallenge::Password => AuthFactor::Password,
            FirstChallenge::EmailOtp => AuthFactor::EmailOtp,
            FirstChallenge::SmsOtp => AuthFactor::SmsOtp,
            FirstChallenge::WebAuthn => AuthFactor::WebAuthn,
        }
    }
}

/// A picked first factor, with what it needs.
#[derive(Clone, PartialEq, Eq)]
pub enum FirstFactorPick {
    /// The password, checked at once.
    Password(String),
    /// `SRP_A` (decoded): the `PASSWORD_VERIFIER` challenge follows.
    PasswordSrp(Vec<u8>),
    /// Send an e-mail code.
    EmailOtp,
    /// Send an SMS code.
    SmsOtp,
    /// A passkey.
    WebAuthn,
}

impl FirstFactorPick {
    /// Parses a factor named by `ANSWER` or `PREFERRED_CHALLENGE`, taking the parameters
    /// it needs from `params` (`PASSWORD`, `SRP_A`).
    pub fn parse(
        name: &str,
        params: &BTreeMap<String, String>,
    ) -> Result<FirstFactorPick, AuthError> {
        match FirstChallenge::parse(name) {
            Some(FirstChallenge::Password) => Ok(FirstFactorPick::Password(
                required(params, "PASSWORD")?.to_string(),
            )),
            Some(FirstChallenge::PasswordSrp) => keystep_srp::from_hex(required(params, "SRP_A")?)
                .map(FirstFactorPick::PasswordSrp)
                .map_err(|_| AuthError::InvalidParameter("SRP_A is not valid hex.".into())),
            Some(FirstChallenge::EmailOtp) => Ok(FirstFactorPick::EmailOtp),
            Some(FirstChallenge::SmsOtp) => Ok(FirstFactorPick::SmsOtp),
            Some(FirstChallenge::WebAuthn) => Ok(FirstFactorPick::WebAuthn),
            None => Err(AuthError::InvalidParameter(format!(
                "{} is not a first factor: use one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN.",
                name.chars().take(64).collect::<String>()
            ))),
        }
    }

    /// Which first factor this is.
    pub fn challenge(&self) -> FirstChallenge {
        match self {
            FirstFactorPick::Password(_) => FirstChallenge::Password,
            FirstFactorPick::PasswordSrp(_) => FirstChallenge::PasswordSrp,
            FirstFactorPick::EmailOtp => FirstChallenge::EmailOtp,
            FirstFactorPick::SmsOtp => FirstChallenge::SmsOtp,
            FirstFactorPick::WebAuthn => FirstChallenge::WebAuthn,
        }
    }
}

impl std::fmt::Debug for FirstFactorPick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.challenge().as_str())
    }
}

/// What decides which first factors a user can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactorFacts {
    /// The user is `CONFIRMED`.
    pub confirmed: bool,
    /// The user has a password.
    pub has_password: bool,
    /// The user's e-mail address is verified.
    pub email_verified: bool,
    /// The user's phone number is verified.
    pub phone_verified: bool,
    /// The user has a passkey for the pool's relying party.
    pub has_passkey: bool,
}

/// Whether a user can use `factor`: a password needs one; a code needs a confirmed user
/// and a verified address to send it to (an unconfirmed user is offered only the
/// password, which leads to "not confirmed" once it is proven, as in the classic flows);
/// a passkey needs a confirmed user with one registered for the pool's relying party.
/// (`GetUserAuthFactors` answers with the same rule.)
pub fn can_use(factor: AuthFactor, facts: &FactorFacts) -> bool {
    match factor {
        AuthFactor::Password => facts.has_password,
        AuthFactor::EmailOtp => facts.confirmed && facts.email_verified,
        AuthFactor::SmsOtp => facts.confirmed && facts.phone_verified,
        AuthFactor::WebAuthn => facts.confirmed && facts.has_passkey,
    }
}

/// The first factors this pool allows and this user can use ([`can_use`]).
pub fn available(ctx: &StepContext<'_>) -> Vec<FirstChallenge> {
    let user = ctx.user;
    let facts = FactorFacts {
        confirmed: user.status == UserStatus::Confirmed,
        has_password: user.password.is_some(),
        email_verified: user.has_verified("email"),
        phone_verified: user.has_verified("phone_number"),
        has_passkey: ctx.pool.passkey_rp.is_some() && !user.passkeys.is_empty(),
    };
    ALL.into_iter()
        .filter(|c| ctx.pool.first_factors.contains(&c.factor()))
        .filter(|c| can_use(c.factor(), &facts))
        .collect()
}

/// Starts a choice-based sign-in: the preferred factor at once when the user can use it,
/// else `SELECT_CHALLENGE` with what they can (a preference the user cannot meet gets
/// the list, so the app can offer the rest).
pub fn begin(
    flow: &Flow,
    preferred: Option<FirstFactorPick>,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    gate(ctx)?;
    let offered = available(ctx);
    if let Some(pick) = preferred.filter(|p| offered.contains(&p.challenge())) {
        return take(flow, pick, ctx);
    }
    if offered.is_empty() {
        return Err(Rejection::fatal(incorrect_credentials()));
    }
    Ok(Transition::Continue {
        reply: Reply::Challenge(Challenge::select_first_factor(&offered)),
        next: SignInState::AwaitingFirstFactorChoice { available: offered },
        effects: Vec::new(),
    })
}

/// The answer to `SELECT_CHALLENGE`: one of the factors offered.
pub fn choose(
    flow: &Flow,
    offered: &[FirstChallenge],
    pick: FirstFactorPick,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    if !offered.contains(&pick.challenge()) {
        return Err(Rejection::retry(
            AuthError::InvalidParameter(format!(
                "{} is not one of the challenges available to this user.",
                pick.challenge().as_str()
            )),
            ctx,
        ));
    }
    gate(ctx)?;
    take(flow, pick, ctx)
}

/// Runs the picked factor.
fn take(
    flow: &Flow,
    pick: FirstFactorPick,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    let medium = match pick {
        FirstFactorPick::Password(password) => return password_first(flow, &password, ctx),
        FirstFactorPick::PasswordSrp(a_pub) => return srp_challenge(flow, &a_pub, ctx),
        FirstFactorPick::EmailOtp => Medium::Email,
        FirstFactorPick::SmsOtp => Medium::Sms,
        FirstFactorPick::WebAuthn => {
            // No assertion drawn: the user has no passkey any more (deleted since the
            // choice was offered).
            let Some((options, assertion)) = ctx.fresh.passkey_assertion.clone() else {
                return Err(Rejection::retry(
                    AuthError::InvalidParameter(
                        "WEB_AUTHN is not available to this user any more.".into(),
                    ),
                    ctx,
                ));
            };
            return Ok(Transition::Continue {
                reply: Reply::Challenge(Challenge::web_authn(&flow.username, options)),
                next: SignInState::AwaitingPasskey { assertion },
                effects: Vec::new(),
            });
        }
    };
    let Some(destination) = ctx.user.attr(medium.attribute()) else {
        return Err(Rejection::fatal(incorrect_credentials()));
    };
    let (code, effect) = new_code(ctx, medium, destination);
    Ok(Transition::Continue {
        reply: Reply::Challenge(Challenge::sign_in_code(
            &flow.username,
            medium,
            mask_destination(destination),
        )),
        next: SignInState::AwaitingSignInCode { medium, code },
        effects: vec![effect],
    })
}

/// The `WEB_AUTHN` answer: an assertion by one of the user's passkeys, checked by
/// `keystep-passkey` (challenge, origin, RP id hash, user presence and verification,
/// signature, sign counter). A passkey is a whole sign-in: tokens, no second factor.
pub fn passkey(
    flow: &Flow,
    assertion: &crate::passkey::AssertionState,
    credential: &str,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    gate(ctx)?;
    let refused = || Rejection::fatal(incorrect_credentials());
    let rp_id = ctx.pool.passkey_rp.as_deref().ok_or_else(refused)?;
    let credential: serde_json::Value = serde_json::from_str(credential).map_err(|_| {
        Rejection::fatal(AuthError::InvalidParameter(
            "CREDENTIAL is not a JSON object.".into(),
        ))
    })?;
    let id = keystep_passkey::credential_id(&credential)
        .map(|raw| keystep_passkey::base64url(&raw))
        .ok_or_else(refused)?;
    let stored = ctx
        .user
        .passkeys
        .iter()
        .find(|p| p.credential_id == id)
        .ok_or_else(refused)?;
    let rp = keystep_passkey::RelyingParty::new(rp_id).map_err(|_| refused())?;
    let asserted = rp
        .finish_assertion(&credential, &assertion.0, &stored.passkey)
        .map_err(|_| refused())?;
    Ok(Transition::Authenticated {
        proof: Authenticated::signed_in(flow, ctx.now),
        effects: vec![Effect::PasskeyUsed {
            credential_id: id,
            updated: asserted.updated_passkey,
        }],
    })
}

/// `InitiateAuth USER_AUTH` with the `Session` of `ConfirmSignUp`: the confirmation code
/// was the first factor, and a new user's first sign-in asks no second one (§11.1). The
/// user must still be confirmed and allowed to sign in.
pub fn auto_sign_in(flow: &Flow, ctx: &StepContext<'_>) -> Result<Transition, Rejection> {
    gate(ctx)?;
    if ctx.user.status != UserStatus::Confirmed {
        return Err(Rejection::fatal(session_expired()));
    }
    Ok(Transition::Authenticated {
        proof: Authenticated::signed_in(flow, ctx.now),
        effects: Vec::new(),
    })
}
