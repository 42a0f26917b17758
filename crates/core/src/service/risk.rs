//! `SetRiskConfiguration` / `DescribeRiskConfiguration`, and the block they configure.

use crate::error::AuthError;
use crate::pool::UserPool;
use crate::risk::{check_ranges, RiskConfiguration};
use crate::ui_customization::ALL_CLIENTS;

use super::Keystep;

/// How often a change is retried after losing a race on the pool.
const ATTEMPTS: usize = 16;

/// What `SetRiskConfiguration` asks for.
#[derive(Debug, Clone, Default)]
pub struct RiskChange {
    /// `ClientId`; absent: the pool's (`ALL`).
    pub client_id: Option<String>,
    /// Whether `CompromisedCredentialsRiskConfiguration` was given.
    pub compromised_credentials: bool,
    /// Whether `AccountTakeoverRiskConfiguration` was given.
    pub account_takeover: bool,
    /// `RiskExceptionConfiguration.BlockedIPRangeList`.
    pub blocked: Vec<String>,
    /// `RiskExceptionConfiguration.SkippedIPRangeList`.
    pub skipped: Vec<String>,
}

fn unsupported(part: &str, why: &str) -> AuthError {
    AuthError::UnsupportedOperation(format!("Keystep does not support {part}: {why}"))
}

/// The configuration that applies to `client_id`: its own, else the pool's.
pub fn effective<'a>(
    pool: &'a UserPool,
    client_id: &str,
) -> Option<(&'a str, &'a RiskConfiguration)> {
    let risk = &pool.settings.risk;
    risk.get_key_value(client_id)
        .or_else(|| risk.get_key_value(ALL_CLIENTS))
        .map(|(k, v)| (k.as_str(), v))
}

impl Keystep {
    async fn risk_target(
        &self,
        pool_id: &str,
        client_id: Option<&str>,
    ) -> Result<(UserPool, String), AuthError> {
        match client_id {
            None | Some(ALL_CLIENTS) => Ok((self.load_pool(pool_id).await?, ALL_CLIENTS.into())),
            Some(id) => {
                let (client, pool) = self.load_pool_client(pool_id, id).await?;
                Ok((pool, client.client_id))
            }
        }
    }

    /// `SetRiskConfiguration`: stores the IP exceptions of the pool or a client. The
    /// risk-engine parts are refused, naming them.
    pub async fn set_risk_configuration(
        &self,
        pool_id: &str,
        change: RiskChange,
    ) -> Result<(String, RiskConfiguration), AuthError> {
        if change.compromised_credentials {
            return Err(unsupported(
                "CompromisedCredentialsRiskConfiguration",
                "there is no compromised-credentials database to check passwords against; \
                 only RiskExceptionConfiguration is honoured",
            ));
        }
        if change.account_takeover {
            return Err(unsupported(
                "AccountTakeoverRiskConfiguration",
                "there is no risk engine to score sign-ins; only RiskExceptionConfiguration \
                 is honoured",
            ));
        }
        check_ranges("blockedIPRangeList", &change.blocked).map_err(AuthError::InvalidParameter)?;
        check_ranges("skippedIPRangeList", &change.skipped).map_err(AuthError::InvalidParameter)?;
        for _ in 0..ATTEMPTS {
            let (mut pool, client_id) = self
                .risk_target(pool_id, change.client_id.as_deref())
                .await?;
            let before = pool.touch(self.clock.now());
            let config = RiskConfiguration {
                blocked: change.blocked.clone(),
                skipped: change.skipped.clone(),
                modified_at: pool.modified_at.0,
            };
            std::sync::Arc::make_mut(&mut pool.settings)
                .risk
                .insert(client_id.clone(), config.clone());
            if self.store.update_pool_if(&pool, before).await? {
                return Ok((client_id, config));
            }
        }
        Err(super::pools::pool_changed_concurrently())
    }

    /// `DescribeRiskConfiguration`: the client's configuration, else the pool's; `None`
    /// when neither was set.
    pub async fn describe_risk_configuration(
        &self,
        pool_id: &str,
        client_id: Option<&str>,
    ) -> Result<(UserPool, Option<(String, RiskConfiguration)>), AuthError> {
        let (pool, client_id) = self.risk_target(pool_id, client_id).await?;
        let found = effective(&pool, &client_id).map(|(k, v)| (k.to_string(), v.clone()));
        Ok((pool, found))
    }

    /// Refuses a sign-in step from a blocked range (Cognito's wording for a blocked
    /// sign-in).
    pub(crate) fn check_not_blocked(
        &self,
        pool: &UserPool,
        client_id: &str,
        source_ip: Option<&str>,
    ) -> Result<(), AuthError> {
        let (Some(ip), Some((_, config))) = (source_ip, effective(pool, client_id)) else {
            return Ok(());
        };
        if config.blocks(ip) {
            return Err(AuthError::NotAuthorized(
                "Unable to login because of security reasons.".into(),
            ));
        }
        Ok(())
    }
}
