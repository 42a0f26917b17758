//! `CreateResourceServer`, `DescribeResourceServer`, `ListResourceServers`,
//! `UpdateResourceServer`, `DeleteResourceServer`.

use crate::error::AuthError;
use crate::resource_server::{self, ResourceServer, Scope};

use super::Keystep;

/// A page of resource servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceServerPage {
    /// `ResourceServers`.
    pub servers: Vec<ResourceServer>,
    /// `NextToken`: the last identifier of this page, when more follow.
    pub next: Option<String>,
}

fn not_found(identifier: &str) -> AuthError {
    AuthError::ResourceNotFound(format!(
        "Resource server {} does not exist.",
        identifier.chars().take(256).collect::<String>()
    ))
}

impl Keystep {
    /// Every custom scope the pool's resource servers define, as clients name them:
    /// `<identifier>/<scope name>`.
    pub(crate) async fn pool_custom_scopes(&self, pool_id: &str) -> Result<Vec<String>, AuthError> {
        Ok(self
            .store
            .list_resource_servers(pool_id, None, 1000)
            .await?
            .into_iter()
            .flat_map(|s| {
                s.scopes
                    .into_iter()
                    .map(move |scope| format!("{}/{}", s.identifier, scope.name))
            })
            .collect())
    }

    /// The pool's resource server from a create or update request's members, checked.
    async fn checked_server(
        &self,
        pool_id: &str,
        identifier: &str,
        name: &str,
        scopes: Vec<Scope>,
    ) -> Result<ResourceServer, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        resource_server::check(identifier, name, &scopes)?;
        Ok(ResourceServer {
            pool_id: pool.id,
            identifier: identifier.to_string(),
            name: name.to_string(),
            scopes,
        })
    }

    /// `CreateResourceServer`.
    pub async fn create_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
        name: &str,
        scopes: Vec<Scope>,
    ) -> Result<ResourceServer, AuthError> {
        let server = self
            .checked_server(pool_id, identifier, name, scopes)
            .await?;
        match self.store.insert_resource_server(&server).await {
            Ok(()) => Ok(server),
            Err(crate::StoreError::Conflict(_)) => Err(AuthError::InvalidParameter(format!(
                "A resource server with identifier {identifier} already exists in this user pool."
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// `DescribeResourceServer`.
    pub async fn describe_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<ResourceServer, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        self.store
            .get_resource_server(&pool.id, identifier)
            .await?
            .ok_or_else(|| not_found(identifier))
    }

    /// `ListResourceServers`: `MaxResults` 1–50, by identifier.
    pub async fn list_resource_servers(
        &self,
        pool_id: &str,
        max_results: i64,
        next_token: Option<&str>,
    ) -> Result<ResourceServerPage, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        if !(1..=50).contains(&max_results) {
            return Err(AuthError::InvalidParameter(
                "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50".into(),
            ));
        }
        let limit = max_results as u32;
        let mut found = self
            .store
            .list_resource_servers(&pool.id, next_token, limit + 1)
            .await?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        let next = more
            .then(|| found.last().map(|s| s.identifier.clone()))
            .flatten();
        Ok(ResourceServerPage {
            servers: found,
            next,
        })
    }

    /// `UpdateResourceServer`: replaces the name and every scope.
    pub async fn update_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
        name: &str,
        scopes: Vec<Scope>,
    ) -> Result<ResourceServer, AuthError> {
        let server = self
            .checked_server(pool_id, identifier, name, scopes)
            .await?;
        if !self.store.update_resource_server(&server).await? {
            return Err(not_found(identifier));
        }
        Ok(server)
    }

    /// `DeleteResourceServer`.
    pub async fn delete_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        if !self
            .store
            .delete_resource_server(&pool.id, identifier)
            .await?
        {
            return Err(not_found(identifier));
        }
        Ok(())
    }
}
