//! `CreateUserPoolDomain`, `DescribeUserPoolDomain`, `UpdateUserPoolDomain`,
//! `DeleteUserPoolDomain`. The domains are recorded and shown; the hosted pages and OAuth
//! endpoints that will answer on them are not built yet.

use crate::domain::{self, PoolDomain};
use crate::error::AuthError;

use super::Keystep;

/// What `CreateUserPoolDomain` / `UpdateUserPoolDomain` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainAnswer {
    /// `CloudFrontDomain`: for a custom domain, the host its DNS name should point at
    /// (this server's public host).
    pub cloud_front_domain: Option<String>,
    /// `ManagedLoginVersion`.
    pub managed_login_version: i64,
}

fn check_version(version: Option<i64>) -> Result<i64, AuthError> {
    match version.unwrap_or(1) {
        v @ (1 | 2) => Ok(v),
        _ => Err(AuthError::InvalidParameter(
            "ManagedLoginVersion must be 1 (classic hosted UI) or 2 (managed login).".into(),
        )),
    }
}

impl Keystep {
    fn public_host(&self) -> Option<String> {
        let url = &self.config.public_url;
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        (!host.is_empty()).then(|| host.to_string())
    }

    /// `CreateUserPoolDomain`: a prefix domain, or a custom domain with
    /// `CustomDomainConfig.CertificateArn`; at most one of each per pool.
    pub async fn create_user_pool_domain(
        &self,
        pool_id: &str,
        name: &str,
        certificate_arn: Option<&str>,
        managed_login_version: Option<i64>,
    ) -> Result<DomainAnswer, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        match certificate_arn {
            Some(arn) => {
                domain::check_custom(name)?;
                domain::check_certificate(arn)?;
            }
            None => domain::check_prefix(name)?,
        }
        let version = check_version(managed_login_version)?;
        let custom = certificate_arn.is_some();
        let existing = self.store.list_pool_domains(&pool.id).await?;
        if existing.iter().any(|d| d.is_custom() == custom) {
            return Err(AuthError::InvalidParameter(format!(
                "The user pool already has a {} domain.",
                if custom { "custom" } else { "prefix" }
            )));
        }
        let record = PoolDomain {
            domain: name.to_string(),
            pool_id: pool.id,
            certificate_arn: certificate_arn.map(str::to_string),
            managed_login_version: version,
            created_at: self.clock.now(),
        };
        match self.store.insert_domain(&record).await {
            Ok(()) => Ok(DomainAnswer {
                cloud_front_domain: custom.then(|| self.public_host()).flatten(),
                managed_login_version: version,
            }),
            Err(crate::StoreError::Conflict(_)) => Err(AuthError::InvalidParameter(
                "Domain already associated with another user pool.".into(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// `DescribeUserPoolDomain`: `None` for a domain no pool has (Cognito answers an empty
    /// `DomainDescription`, not an error).
    pub async fn describe_user_pool_domain(
        &self,
        name: &str,
    ) -> Result<Option<PoolDomain>, AuthError> {
        Ok(self.store.get_domain(name).await?)
    }

    /// `UpdateUserPoolDomain`: the certificate of a custom domain and the managed-login
    /// version.
    pub async fn update_user_pool_domain(
        &self,
        pool_id: &str,
        name: &str,
        certificate_arn: Option<&str>,
        managed_login_version: Option<i64>,
    ) -> Result<DomainAnswer, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let mut record = self
            .store
            .get_domain(name)
            .await?
            .filter(|d| d.pool_id == pool.id)
            .ok_or_else(no_such_domain)?;
        if let Some(arn) = certificate_arn {
            if !record.is_custom() {
                return Err(AuthError::InvalidParameter(
                    "A prefix domain has no certificate to update.".into(),
                ));
            }
            domain::check_certificate(arn)?;
            record.certificate_arn = Some(arn.to_string());
        }
        if managed_login_version.is_some() {
            record.managed_login_version = check_version(managed_login_version)?;
        }
        if !self.store.update_domain(&record).await? {
            return Err(no_such_domain());
        }
        Ok(DomainAnswer {
            cloud_front_domain: record.is_custom().then(|| self.public_host()).flatten(),
            managed_login_version: record.managed_login_version,
        })
    }

    /// `DeleteUserPoolDomain`.
    pub async fn delete_user_pool_domain(
        &self,
        pool_id: &str,
        name: &str,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        if !self.store.delete_domain(&pool.id, name).await? {
            return Err(no_such_domain());
        }
        Ok(())
    }
}

fn no_such_domain() -> AuthError {
    AuthError::InvalidParameter("No such domain or user pool exists.".into())
}
