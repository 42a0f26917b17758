//! `CUSTOM_AUTH`: the pool's Define, Create and Verify triggers decide the challenges
//! (protocol notes §2.5 c, §7.3).
//!
//! The engine stays pure by *consulting*: where a trigger must decide, a step returns
//! [`Transition::Consult`] with the question to put to the trigger and a [`Pending`]
//! value saying how to go on; the service calls the trigger and feeds the answer to
//! [`resume`], repeating until the sign-in waits for the client, completes or fails.
//! Every decision — which answer is legal, when the rounds run out, what a nonsensical
//! Define answer means — is made here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::AuthError;

use super::challenge::{Challenge, ChallengeName};
use super::effect::Effect;
use super::flow::Flow;
use super::outcome::{Authenticated, Rejection, Reply, Transition};
use super::state::SignInState;
use super::{incorrect_credentials, StepContext};

/// Custom challenges one sign-in may go through before it is refused (Keystep's cap; a
/// Define trigger normally fails the sign-in long before).
pub const MAX_CUSTOM_ROUNDS: usize = 8;

/// One entry of the triggers' `request.session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeResult {
    /// `challengeName`: `SRP_A`, `PASSWORD_VERIFIER` or `CUSTOM_CHALLENGE`.
    pub challenge_name: String,
    /// `challengeResult`.
    pub challenge_result: bool,
    /// `challengeMetadata` (custom challenges only).
    pub challenge_metadata: Option<String>,
}

impl ChallengeResult {
    fn of(name: &str, result: bool, metadata: Option<String>) -> ChallengeResult {
        ChallengeResult {
            challenge_name: name.into(),
            challenge_result: result,
            challenge_metadata: metadata,
        }
    }
}

/// A custom challenge the client must answer.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomRound {
    /// What happened so far.
    pub history: Vec<ChallengeResult>,
    /// `privateChallengeParameters` from Create (never sent to the client).
    pub private_parameters: BTreeMap<String, String>,
    /// `challengeMetadata` from Create.
    pub metadata: Option<String>,
}

impl std::fmt::Debug for CustomRound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomRound")
            .field("history", &self.history)
            .finish_non_exhaustive()
    }
}

/// What a trigger is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// DefineAuthChallenge, with the history.
    Define {
        /// `request.session`.
        history: Vec<ChallengeResult>,
    },
    /// CreateAuthChallenge for a `CUSTOM_CHALLENGE`.
    Create {
        /// `request.session`.
        history: Vec<ChallengeResult>,
    },
    /// VerifyAuthChallengeResponse.
    Verify {
        /// `request.privateChallengeParameters`.
        private_parameters: BTreeMap<String, String>,
        /// `request.challengeAnswer`.
        answer: String,
    },
}

/// How the sign-in goes on once the trigger answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Define answered: follow its decision. `srp_a` is the client's `SRP_A` when the
    /// flow started with SRP and it is still unused.
    AfterDefine {
        /// The history Define saw.
        history: Vec<ChallengeResult>,
        /// `SRP_A`, decoded.
        srp_a: Option<Vec<u8>>,
    },
    /// Create answered: issue its challenge.
    AfterCreate {
        /// The history so far.
        history: Vec<ChallengeResult>,
    },
    /// Verify answered: record the result and ask Define.
    AfterVerify {
        /// The history so far.
        history: Vec<ChallengeResult>,
        /// The round's `challengeMetadata`.
        metadata: Option<String>,
    },
}

/// A trigger's answer, parsed by the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriggerAnswer {
    /// Define's `response`.
    Define {
        /// `challengeName`.
        challenge_name: Option<String>,
        /// `issueTokens`.
        issue_tokens: bool,
        /// `failAuthentication`.
        fail_authentication: bool,
    },
    /// Create's `response`.
    Create {
        /// `publicChallengeParameters`.
        public_parameters: BTreeMap<String, String>,
        /// `privateChallengeParameters`.
        private_parameters: BTreeMap<String, String>,
        /// `challengeMetadata`.
        metadata: Option<String>,
    },
    /// Verify's `response.answerCorrect`.
    Verify {
        /// Whether the answer was right.
        answer_correct: bool,
    },
}

/// The consult that starts a custom sign-in (after the user checks): Define with
/// `[SRP_A]` when the client sent `SRP_A`, else with nothing.
pub fn begin(srp_a: Option<Vec<u8>>, effects: Vec<Effect>) -> Transition {
    let history = match srp_a {
        Some(_) => vec![ChallengeResult::of("SRP_A", true, None)],
        None => Vec::new(),
    };
    Transition::Consult {
        question: Question::Define {
            history: history.clone(),
        },
        pending: Pending::AfterDefine { history, srp_a },
        effects,
    }
}

/// After a correct `PASSWORD_VERIFIER` inside a custom sign-in: ask Define again.
pub fn after_password(effects: Vec<Effect>) -> Transition {
    let history = vec![
        ChallengeResult::of("SRP_A", true, None),
        ChallengeResult::of("PASSWORD_VERIFIER", true, None),
    ];
    Transition::Consult {
        question: Question::Define {
            history: history.clone(),
        },
        pending: Pending::AfterDefine {
            history,
            srp_a: None,
        },
        effects,
    }
}

/// An answer to `CUSTOM_CHALLENGE`: ask Verify.
pub fn answer(round: &CustomRound, answer: String) -> Transition {
    Transition::Consult {
        question: Question::Verify {
            private_parameters: round.private_parameters.clone(),
            answer,
        },
        pending: Pending::AfterVerify {
            history: round.history.clone(),
            metadata: round.metadata.clone(),
        },
        effects: Vec::new(),
    }
}

fn invalid_define(what: &str) -> Rejection {
    Rejection::fatal(AuthError::InvalidLambdaResponse(format!(
        "Invalid DefineAuthChallenge response: {what}"
    )))
}

/// Goes on from `pending` with the trigger's `answer`.
pub fn resume(
    flow: &Flow,
    pending: Pending,
    answer: TriggerAnswer,
    ctx: &StepContext<'_>,
) -> Result<Transition, Rejection> {
    match (pending, answer) {
        (
            Pending::AfterDefine { history, srp_a },
            TriggerAnswer::Define {
                challenge_name,
                issue_tokens,
                fail_authentication,
            },
        ) => {
            if fail_authentication {
                return Err(Rejection::fatal(incorrect_credentials()));
            }
            if issue_tokens {
                // Whatever the triggers say, a name that is no user is never signed in.
                if flow.user_not_found {
                    return Err(Rejection::fatal(incorrect_credentials()));
                }
                return Ok(Transition::Authenticated {
                    proof: Authenticated::signed_in(flow, ctx.now),
                    effects: Vec::new(),
                });
            }
            match challenge_name.as_deref() {
                Some("CUSTOM_CHALLENGE") => {
                    let rounds = history
                        .iter()
                        .filter(|r| r.challenge_name == "CUSTOM_CHALLENGE")
                        .count();
                    if rounds >= MAX_CUSTOM_ROUNDS {
                        return Err(Rejection::fatal(incorrect_credentials()));
                    }
                    Ok(Transition::Consult {
                        question: Question::Create {
                            history: history.clone(),
                        },
                        pending: Pending::AfterCreate { history },
                        effects: Vec::new(),
                    })
                }
                Some("PASSWORD_VERIFIER") => match srp_a {
                    Some(a) if history.len() == 1 => {
                        super::first_factor::srp_challenge(flow, &a, ctx)
                    }
                    _ => Err(invalid_define(
                        "PASSWORD_VERIFIER may only follow SRP_A (the client must start with SRP_A).",
                    )),
                },
                Some(other) => Err(invalid_define(&format!(
                    "challengeName {} is not supported in a custom sign-in.",
                    other.chars().take(64).collect::<String>()
                ))),
                None => Err(invalid_define(
                    "neither issueTokens, failAuthentication nor challengeName was set.",
                )),
            }
        }
        (
            Pending::AfterCreate { history },
            TriggerAnswer::Create {
                public_parameters,
                private_parameters,
                metadata,
            },
        ) => {
            let challenge = Challenge::custom(&flow.username, public_parameters);
            Ok(Transition::Continue {
                next: SignInState::AwaitingCustomAnswer {
                    round: CustomRound {
                        history,
                        private_parameters,
                        metadata,
                    },
                },
                reply: Reply::Challenge(challenge),
                effects: Vec::new(),
            })
        }
        (
            Pending::AfterVerify {
                mut history,
                metadata,
            },
            TriggerAnswer::Verify { answer_correct },
        ) => {
            history.push(ChallengeResult::of(
                ChallengeName::CustomChallenge.as_str(),
                answer_correct,
                metadata,
            ));
            Ok(Transition::Consult {
                question: Question::Define {
                    history: history.clone(),
                },
                pending: Pending::AfterDefine {
                    history,
                    srp_a: None,
                },
                effects: Vec::new(),
            })
        }
        (pending, answer) => Err(Rejection::fatal(AuthError::internal(format!(
            "trigger answer {answer:?} does not fit {pending:?}"
        )))),
    }
}
