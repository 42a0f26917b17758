//! Driving a custom sign-in: putting the engine's questions to the pool's Define,
//! Create and Verify triggers until the sign-in waits for the client, completes or
//! fails. A trigger that fails fails the request and changes nothing: the session is
//! claimed only afterwards, in `settle`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::error::AuthError;
use crate::signin::custom::{self, ChallengeResult, Question, TriggerAnswer};
use crate::signin::{Effect, Flow, Rejection, Transition};
use crate::triggers::{self, TriggerSlot};

use super::super::hooks::TriggerCall;
use super::{Inputs, Keystep};

/// The engine's outcome once no trigger needs asking any more.
pub(super) type Driven = Result<Transition, Rejection>;

fn history_json(history: &[ChallengeResult]) -> Value {
    Value::Array(
        history
            .iter()
            .map(|r| {
                let mut v = json!({
                    "challengeName": r.challenge_name,
                    "challengeResult": r.challenge_result,
                });
                if let Some(m) = &r.challenge_metadata {
                    v["challengeMetadata"] = m.clone().into();
                }
                v
            })
            .collect(),
    )
}

/// The error for a custom sign-in on a pool without the challenge triggers.
pub(super) fn not_configured() -> AuthError {
    AuthError::InvalidParameter(
        "Custom auth lambda trigger is not configured for the user pool.".into(),
    )
}

impl Keystep {
    /// Answers the engine's consults with the triggers until it settles. Effects the
    /// consults carried are kept and travel with the final outcome.
    pub(super) async fn drive(
        &self,
        inputs: &Inputs,
        flow: &Flow,
        attempts: u32,
        client_metadata: &BTreeMap<String, String>,
        mut outcome: Driven,
    ) -> Result<Driven, AuthError> {
        let mut carried: Vec<Effect> = Vec::new();
        loop {
            let (question, pending, effects) = match outcome {
                Ok(Transition::Consult {
                    question,
                    pending,
                    effects,
                }) => (question, pending, effects),
                other => return Ok(with_effects(other, carried)),
            };
            carried.extend(effects);
            let answer = self.ask(inputs, flow, client_metadata, question).await?;
            outcome = self.with_context(inputs, attempts, |ctx| {
                custom::resume(flow, pending, answer, ctx)
            });
        }
    }

    /// Puts one question to its trigger and parses the answer.
    async fn ask(
        &self,
        inputs: &Inputs,
        flow: &Flow,
        client_metadata: &BTreeMap<String, String>,
        question: Question,
    ) -> Result<TriggerAnswer, AuthError> {
        let (slot, source, mut request) = match &question {
            Question::Define { history } => (
                TriggerSlot::DefineAuthChallenge,
                "DefineAuthChallenge_Authentication",
                json!({ "session": history_json(history) }),
            ),
            Question::Create { history } => (
                TriggerSlot::CreateAuthChallenge,
                "CreateAuthChallenge_Authentication",
                json!({ "challengeName": "CUSTOM_CHALLENGE", "session": history_json(history) }),
            ),
            Question::Verify {
                private_parameters,
                answer,
            } => (
                TriggerSlot::VerifyAuthChallengeResponse,
                "VerifyAuthChallengeResponse_Authentication",
                json!({ "privateChallengeParameters": private_parameters, "challengeAnswer": answer }),
            ),
        };
        request["userAttributes"] = if flow.user_not_found {
            json!({})
        } else {
            triggers::user_attributes(&inputs.user)
        };
        request["clientMetadata"] = json!(client_metadata);
        request["userNotFound"] = flow.user_not_found.into();
        let call = TriggerCall {
            slot,
            source,
            user_name: &flow.username,
            client_id: Some(&flow.client_id),
            version: "1",
        };
        let response = self
            .call_trigger(&inputs.pool, call, request)
            .await?
            .ok_or_else(not_configured)?;
        Ok(match question {
            Question::Define { .. } => TriggerAnswer::Define {
                challenge_name: triggers::string(slot, &response, "challengeName")?,
                issue_tokens: triggers::flag(slot, &response, "issueTokens")?,
                fail_authentication: triggers::flag(slot, &response, "failAuthentication")?,
            },
            Question::Create { .. } => TriggerAnswer::Create {
                public_parameters: triggers::string_map(
                    slot,
                    &response,
                    "publicChallengeParameters",
                )?,
                private_parameters: triggers::string_map(
                    slot,
                    &response,
                    "privateChallengeParameters",
                )?,
                metadata: triggers::string(slot, &response, "challengeMetadata")?,
            },
            Question::Verify { .. } => TriggerAnswer::Verify {
                answer_correct: triggers::flag(slot, &response, "answerCorrect")?,
            },
        })
    }
}

/// Puts `carried` before the outcome's own effects.
fn with_effects(outcome: Driven, mut carried: Vec<Effect>) -> Driven {
    if carried.is_empty() {
        return outcome;
    }
    match outcome {
        Ok(Transition::Continue {
            next,
            reply,
            effects,
        }) => {
            carried.extend(effects);
            Ok(Transition::Continue {
                next,
                reply,
                effects: carried,
            })
        }
        Ok(Transition::Authenticated { proof, effects }) => {
            carried.extend(effects);
            Ok(Transition::Authenticated {
                proof,
                effects: carried,
            })
        }
        Ok(consult @ Transition::Consult { .. }) => Ok(consult),
        Err(mut rejection) => {
            carried.extend(rejection.effects);
            rejection.effects = carried;
            Err(rejection)
        }
    }
}
