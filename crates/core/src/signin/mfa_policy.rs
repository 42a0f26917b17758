//! Which MFA step follows a correct first factor (protocol notes §2.6 step 12): the
//! pool's `MfaConfiguration` and factors crossed with the user's enabled and preferred
//! factors and the attributes a code can be sent to.

use crate::pool::MfaConfiguration;
use crate::user::MfaFactor;

use super::context::{PoolRules, UserSnapshot};

/// The factors in the order Cognito lists them.
const ORDER: [MfaFactor; 3] = [MfaFactor::Sms, MfaFactor::Totp, MfaFactor::Email];

/// What comes after the first factor, as far as MFA is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaStep {
    /// No MFA: tokens.
    None,
    /// Ask for this factor's code.
    Challenge(MfaFactor),
    /// Let the user choose (`SELECT_MFA_TYPE`).
    Select(Vec<MfaFactor>),
    /// MFA is required and nothing usable is set up (`MFA_SETUP`).
    Setup(Vec<MfaFactor>),
}

/// Whether the pool offers `factor`.
pub fn pool_offers(pool: &PoolRules, factor: MfaFactor) -> bool {
    match factor {
        MfaFactor::Sms => pool.sms_mfa,
        MfaFactor::Totp => pool.totp_mfa,
        MfaFactor::Email => pool.email_mfa,
    }
}

/// Whether a code for `factor` can reach the user: a phone number for SMS, an e-mail
/// address for e-mail, a verified secret for TOTP.
pub fn reachable(user: &UserSnapshot, factor: MfaFactor) -> bool {
    match factor {
        MfaFactor::Sms => user.attr("phone_number").is_some(),
        MfaFactor::Email => user.attr("email").is_some(),
        MfaFactor::Totp => user.totp_secret.is_some(),
    }
}

/// The user's enabled factors that the pool offers and that can reach the user.
pub fn usable_factors(pool: &PoolRules, user: &UserSnapshot) -> Vec<MfaFactor> {
    ORDER
        .into_iter()
        .filter(|f| user.mfa_enabled.contains(f) && pool_offers(pool, *f) && reachable(user, *f))
        .collect()
}

/// The decision.
///
/// * `OFF`: nothing.
/// * Usable factors: the preferred one if usable, else the only one, else a choice.
/// * None usable, `OPTIONAL`: nothing.
/// * None usable, `ON`: a verified phone number (SMS) or e-mail address (e-mail) counts
///   as set up when the pool offers that factor — a user who set the attribute and signed
///   in again, as the AWS docs tell SDK users to do; otherwise `MFA_SETUP` listing what
///   the pool offers.
pub fn decide(pool: &PoolRules, user: &UserSnapshot) -> MfaStep {
    if pool.mfa == MfaConfiguration::Off {
        return MfaStep::None;
    }
    let usable = usable_factors(pool, user);
    if let Some(preferred) = user.mfa_preferred.filter(|p| usable.contains(p)) {
        return MfaStep::Challenge(preferred);
    }
    match usable.as_slice() {
        [only] => return MfaStep::Challenge(*only),
        [_, _, ..] => return MfaStep::Select(usable),
        [] => {}
    }
    if pool.mfa == MfaConfiguration::Optional {
        return MfaStep::None;
    }
    if pool.sms_mfa && user.has_verified("phone_number") {
        return MfaStep::Challenge(MfaFactor::Sms);
    }
    if pool.email_mfa && user.has_verified("email") {
        return MfaStep::Challenge(MfaFactor::Email);
    }
    MfaStep::Setup(
        ORDER
            .into_iter()
            .filter(|f| pool_offers(pool, *f))
            .collect(),
    )
}
