//! `TagResource`, `UntagResource`, `ListTagsForResource` on user pools: the pool's
//! `UserPoolTags`, changed by compare-and-swap so that concurrent taggers neither lose
//! each other's tags nor together pass the 50-tag limit.

use std::collections::BTreeMap;

use crate::error::AuthError;
use crate::pool::UserPool;

use super::Keystep;

/// The most tags a pool has (Cognito's limit).
pub const MAX_TAGS: usize = 50;

/// How often a tag change is retried after losing a race.
const ATTEMPTS: usize = 16;

fn invalid(message: String) -> AuthError {
    AuthError::InvalidParameter(message)
}

/// Tag keys and values: Unicode letters, digits, white space and `_ . : / = + - @`.
fn tag_text_ok(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
}

/// Checks one tag key (1–128) or, with `value`, a value (0–256).
pub fn check_tag(key: &str, value: Option<&str>) -> Result<(), AuthError> {
    if key.is_empty() || key.chars().count() > 128 || !tag_text_ok(key) {
        return Err(invalid(format!(
            "1 validation error detected: Value '{key}' at 'tags' failed to satisfy constraint: \
             Member must have length between 1 and 128 and match [\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*"
        )));
    }
    if let Some(v) = value {
        if v.chars().count() > 256 || !tag_text_ok(v) {
            return Err(invalid(format!(
                "1 validation error detected: Value at 'tags.{key}' failed to satisfy constraint: \
                 Member must have length at most 256 and match [\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*"
            )));
        }
    }
    Ok(())
}

impl Keystep {
    /// The pool a resource ARN names: `arn:aws:cognito-idp:<region>:<account>:userpool/<id>`
    /// of this server's account.
    async fn pool_of_arn(&self, arn: &str) -> Result<UserPool, AuthError> {
        let not_found = || AuthError::ResourceNotFound(format!("Resource {arn} does not exist."));
        let pool_id = arn
            .strip_prefix("arn:aws:cognito-idp:")
            .and_then(|rest| rest.split_once(":userpool/"))
            .filter(|(region_account, _)| {
                region_account
                    .split_once(':')
                    .is_some_and(|(_, account)| account == self.config.account_id)
            })
            .map(|(_, id)| id)
            .filter(|id| crate::ids::is_pool_id(id))
            .ok_or_else(not_found)?;
        let pool = self.load_pool(pool_id).await.map_err(|e| match e {
            AuthError::ResourceNotFound(_) => not_found(),
            other => other,
        })?;
        if pool.arn(&self.config.account_id) != arn {
            return Err(not_found());
        }
        Ok(pool)
    }

    /// Changes a pool's tags with `change`, by compare-and-swap, retrying lost races.
    async fn change_tags(
        &self,
        arn: &str,
        change: impl Fn(&mut BTreeMap<String, String>) -> Result<(), AuthError>,
    ) -> Result<(), AuthError> {
        for _ in 0..ATTEMPTS {
            let mut pool = self.pool_of_arn(arn).await?;
            change(&mut std::sync::Arc::make_mut(&mut pool.settings).tags)?;
            if pool.settings.tags.len() > MAX_TAGS {
                return Err(invalid(format!(
                    "A user pool can have at most {MAX_TAGS} tags."
                )));
            }
            let before = pool.touch(self.clock.now());
            if self.store.update_pool_if(&pool, before).await? {
                return Ok(());
            }
        }
        Err(super::pools::pool_changed_concurrently())
    }

    /// `TagResource`: adds or replaces tags.
    pub async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), AuthError> {
        for (k, v) in tags {
            check_tag(k, Some(v))?;
        }
        self.change_tags(arn, |current| {
            current.extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
            Ok(())
        })
        .await
    }

    /// `UntagResource`: removes tags (keys it does not have are ignored).
    pub async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), AuthError> {
        for k in keys {
            check_tag(k, None)?;
        }
        self.change_tags(arn, |current| {
            for k in keys {
                current.remove(k);
            }
            Ok(())
        })
        .await
    }

    /// `ListTagsForResource`.
    pub async fn list_tags_for_resource(
        &self,
        arn: &str,
    ) -> Result<BTreeMap<String, String>, AuthError> {
        Ok(self.pool_of_arn(arn).await?.settings.tags.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_the_model() {
        assert!(check_tag("env", Some("prod")).is_ok());
        assert!(check_tag("a:b/c=d+e-f@g", Some("")).is_ok());
        assert!(check_tag("", Some("x")).is_err());
        assert!(check_tag(&"k".repeat(129), None).is_err());
        assert!(check_tag("k", Some(&"v".repeat(257))).is_err());
        assert!(check_tag("semi;colon", None).is_err());
    }
}
