//! The PreTokenGeneration trigger: V1 changes the ID token's claims and the groups; V2
//! (event version "2") also the access token's claims and scopes (protocol notes §7.4).

use serde_json::{json, Map, Value};

use crate::app_client::AppClient;
use crate::error::AuthError;
use crate::pool::UserPool;
use crate::signin::Authenticated;
use crate::tokens::{ClaimChanges, TokenCustomization, API_SCOPE};
use crate::triggers::{self, invalid_response, TriggerSlot};
use crate::user::User;

use super::super::hooks::TriggerCall;
use super::Keystep;

const SLOT: TriggerSlot = TriggerSlot::PreTokenGeneration;

fn object<'a>(
    m: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a Map<String, Value>>, AuthError> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(invalid_response(SLOT, &format!("{name} is not an object"))),
    }
}

fn strings(m: &Map<String, Value>, name: &str) -> Result<Vec<String>, AuthError> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| invalid_response(SLOT, &format!("{name} holds a non-string")))
            })
            .collect(),
        Some(_) => Err(invalid_response(SLOT, &format!("{name} is not a list"))),
    }
}

/// V1 claim values must be strings; V2 allows any JSON value.
fn changes(m: Option<&Map<String, Value>>, any_json: bool) -> Result<ClaimChanges, AuthError> {
    let Some(m) = m else {
        return Ok(ClaimChanges::default());
    };
    let add = object(m, "claimsToAddOrOverride")?
        .cloned()
        .unwrap_or_default();
    if !any_json {
        if let Some((k, _)) = add.iter().find(|(_, v)| !v.is_string()) {
            return Err(invalid_response(
                SLOT,
                &format!("claimsToAddOrOverride.{k} is not a string (V1_0 takes strings)"),
            ));
        }
    }
    Ok(ClaimChanges {
        add_or_override: add,
        suppress: strings(m, "claimsToSuppress")?,
    })
}

fn groups(response: &Map<String, Value>) -> Result<Option<Vec<String>>, AuthError> {
    match object(response, "groupOverrideDetails")? {
        Some(g) if g.contains_key("groupsToOverride") => Ok(Some(strings(g, "groupsToOverride")?)),
        _ => Ok(None),
    }
}

impl Keystep {
    /// Calls the pool's PreTokenGeneration trigger, if any, and returns its changes.
    pub(super) async fn pre_token_generation(
        &self,
        pool: &UserPool,
        client: &AppClient,
        user: &User,
        groups_now: &[String],
        proof: &Authenticated,
        client_metadata: &std::collections::BTreeMap<String, String>,
    ) -> Result<Option<TokenCustomization>, AuthError> {
        if !self.has_trigger(pool, SLOT) {
            return Ok(None);
        }
        let v2 = pool.settings.lambda.pre_token_generation_version.as_deref() == Some("V2_0");
        let source = if proof.origin_jti().is_some() {
            "TokenGeneration_RefreshTokens"
        } else if proof.oauth().is_some() {
            "TokenGeneration_HostedAuth"
        } else {
            "TokenGeneration_Authentication"
        };
        let mut request = json!({
            "userAttributes": triggers::user_attributes(user),
            "groupConfiguration": {
                "groupsToOverride": groups_now,
                "iamRolesToOverride": [],
                "preferredRole": null,
            },
            "clientMetadata": client_metadata,
        });
        if v2 {
            request["scopes"] = json!([API_SCOPE]);
        }
        let call = TriggerCall {
            slot: SLOT,
            source,
            user_name: &user.username,
            client_id: Some(&client.client_id),
            version: if v2 { "2" } else { "1" },
        };
        let Some(response) = self.call_trigger(pool, call, request).await? else {
            return Ok(None);
        };
        let custom = if v2 {
            let Some(d) = object(&response, "claimsAndScopeOverrideDetails")? else {
                return Ok(None);
            };
            let access = object(d, "accessTokenGeneration")?;
            TokenCustomization {
                id: changes(object(d, "idTokenGeneration")?, true)?,
                access: changes(access, true)?,
                groups: groups(d)?,
                scopes_to_add: access
                    .map(|a| strings(a, "scopesToAdd"))
                    .transpose()?
                    .unwrap_or_default(),
                scopes_to_suppress: access
                    .map(|a| strings(a, "scopesToSuppress"))
                    .transpose()?
                    .unwrap_or_default(),
            }
        } else {
            let Some(d) = object(&response, "claimsOverrideDetails")? else {
                return Ok(None);
            };
            TokenCustomization {
                id: changes(Some(d), false)?,
                groups: groups(d)?,
                ..TokenCustomization::default()
            }
        };
        Ok(Some(custom))
    }
}
