//! Groups and memberships.

use crate::error::{AuthError, StoreError};
use crate::group::Group;
use crate::ports::Page;
use crate::user::User;

use super::{decode_page_token, encode_page_token, Keystep};

fn group_not_found() -> AuthError {
    AuthError::ResourceNotFound("Group not found.".into())
}

/// Checks a group name: 1–128 characters of `[\p{L}\p{M}\p{S}\p{N}\p{P}]`, no whitespace.
pub fn check_group_name(name: &str) -> Result<(), AuthError> {
    if name.is_empty() || name.chars().count() > 128 || name.chars().any(char::is_whitespace) {
        return Err(AuthError::InvalidParameter(
            "1 validation error detected: Value at 'groupName' failed to satisfy constraint: Member must have length between 1 and 128 and contain no whitespace".into(),
        ));
    }
    Ok(())
}

/// What `CreateGroup` / `UpdateGroup` set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupFields {
    /// `Description` (at most 2048 characters).
    pub description: Option<String>,
    /// `Precedence` (0 or more).
    pub precedence: Option<i64>,
    /// `RoleArn`.
    pub role_arn: Option<String>,
}

fn check_fields(f: &GroupFields) -> Result<(), AuthError> {
    if f.description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 2048)
    {
        return Err(AuthError::InvalidParameter(
            "Description must be at most 2048 characters.".into(),
        ));
    }
    if f.precedence.is_some_and(|p| p < 0) {
        return Err(AuthError::InvalidParameter(
            "Precedence must be 0 or more.".into(),
        ));
    }
    if f.role_arn
        .as_ref()
        .is_some_and(|a| !a.starts_with("arn:") || a.len() > 2048)
    {
        return Err(AuthError::InvalidParameter(
            "RoleArn must be an IAM role ARN.".into(),
        ));
    }
    Ok(())
}

fn check_limit(limit: Option<i64>) -> Result<u32, AuthError> {
    match limit {
        None => Ok(60),
        Some(l) if (0..=60).contains(&l) => Ok(if l == 0 { 60 } else { l as u32 }),
        Some(_) => Err(AuthError::InvalidParameter(
            "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 0 and 60".into(),
        )),
    }
}

impl Keystep {
    /// `CreateGroup`.
    pub async fn create_group(
        &self,
        pool_id: &str,
        name: &str,
        fields: GroupFields,
    ) -> Result<Group, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        check_group_name(name)?;
        check_fields(&fields)?;
        let now = self.clock.now();
        let group = Group {
            pool_id: pool.id,
            name: name.to_string(),
            description: fields.description,
            precedence: fields.precedence,
            role_arn: fields.role_arn,
            created_at: now,
            modified_at: now,
        };
        match self.store.insert_group(&group).await {
            Ok(()) => Ok(group),
            Err(StoreError::Conflict(_)) => Err(AuthError::GroupExists(
                "A group with the name already exists.".into(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// `GetGroup`.
    pub async fn get_group(&self, pool_id: &str, name: &str) -> Result<Group, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        self.store
            .get_group(&pool.id, name)
            .await?
            .ok_or_else(group_not_found)
    }

    /// `ListGroups`.
    pub async fn list_groups(
        &self,
        pool_id: &str,
        limit: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<(Vec<Group>, Option<String>), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let limit = check_limit(limit)?;
        let after = next_token.map(decode_page_token).transpose()?;
        let Page { items, next } = self
            .store
            .list_groups(&pool.id, after.as_deref(), limit)
            .await?;
        Ok((items, next.map(|k| encode_page_token(&k))))
    }

    /// `UpdateGroup`: members given replace the stored ones; absent members are kept.
    pub async fn update_group(
        &self,
        pool_id: &str,
        name: &str,
        fields: GroupFields,
    ) -> Result<Group, AuthError> {
        check_fields(&fields)?;
        let mut group = self.get_group(pool_id, name).await?;
        if fields.description.is_some() {
            group.description = fields.description;
        }
        if fields.precedence.is_some() {
            group.precedence = fields.precedence;
        }
        if fields.role_arn.is_some() {
            group.role_arn = fields.role_arn;
        }
        group.modified_at = self.clock.now();
        self.store.update_group(&group).await.map_err(|e| match e {
            StoreError::NotFound => group_not_found(),
            other => other.into(),
        })?;
        Ok(group)
    }

    /// `DeleteGroup`.
    pub async fn delete_group(&self, pool_id: &str, name: &str) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        if self.store.delete_group(&pool.id, name).await? {
            Ok(())
        } else {
            Err(group_not_found())
        }
    }

    /// `AdminAddUserToGroup`.
    pub async fn admin_add_user_to_group(
        &self,
        pool_id: &str,
        username: &str,
        group: &str,
    ) -> Result<(), AuthError> {
        let group = self.get_group(pool_id, group).await?;
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.store
            .add_to_group(&pool.id, &group.name, &user.sub)
            .await?;
        Ok(())
    }

    /// `AdminRemoveUserFromGroup`.
    pub async fn admin_remove_user_from_group(
        &self,
        pool_id: &str,
        username: &str,
        group: &str,
    ) -> Result<(), AuthError> {
        let group = self.get_group(pool_id, group).await?;
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        self.store
            .remove_from_group(&pool.id, &group.name, &user.sub)
            .await?;
        Ok(())
    }

    /// `AdminListGroupsForUser` (one page; Cognito pages this too, by name).
    pub async fn admin_list_groups_for_user(
        &self,
        pool_id: &str,
        username: &str,
        limit: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<(Vec<Group>, Option<String>), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let limit = check_limit(limit)? as usize;
        let user = self.require_user(&pool, username).await?;
        let after = next_token.map(decode_page_token).transpose()?;
        let all = self.store.groups_of_user(&pool.id, &user.sub).await?;
        let rest: Vec<Group> = all
            .into_iter()
            .filter(|g| after.as_ref().is_none_or(|a| g.name.as_str() > a.as_str()))
            .collect();
        let more = rest.len() > limit;
        let page: Vec<Group> = rest.into_iter().take(limit).collect();
        let next = more
            .then(|| page.last().map(|g| encode_page_token(&g.name)))
            .flatten();
        Ok((page, next))
    }

    /// `ListUsersInGroup`.
    pub async fn list_users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        limit: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<(Vec<User>, Option<String>), AuthError> {
        let group = self.get_group(pool_id, group).await?;
        let limit = check_limit(limit)?;
        let after = next_token.map(decode_page_token).transpose()?;
        let Page { items, next } = self
            .store
            .users_in_group(&group.pool_id, &group.name, after.as_deref(), limit)
            .await?;
        Ok((items, next.map(|k| encode_page_token(&k))))
    }

    /// The group names of a user, for the `cognito:groups` claim, ordered by precedence
    /// (lowest first), then name.
    pub async fn group_names_of(&self, pool_id: &str, sub: &str) -> Result<Vec<String>, AuthError> {
        let mut groups = self.store.groups_of_user(pool_id, sub).await?;
        groups.sort_by(|a, b| {
            a.precedence
                .unwrap_or(i64::MAX)
                .cmp(&b.precedence.unwrap_or(i64::MAX))
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(groups.into_iter().map(|g| g.name).collect())
    }
}
