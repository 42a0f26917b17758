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

/// Which pools a request's `Host` may serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPools {
    /// Any pool: the public URL (or any host that is no pool's domain); the client id
    /// decides the pool.
    Any,
    /// Only this pool: the host is its custom domain, or its prefix under the suffix.
    Only(String),
    /// None: a prefix under the suffix that no pool has.
    Nobody,
}

impl HostPools {
    /// Whether a request for `pool_id` may be served on this host.
    pub fn allows(&self, pool_id: &str) -> bool {
        match self {
            HostPools::Any => true,
            HostPools::Only(p) => p == pool_id,
            HostPools::Nobody => false,
        }
    }
}

impl Keystep {
    /// The pools `host` (a `Host` header, port and all) serves.
    pub async fn pools_of_host(&self, host: &str) -> Result<HostPools, AuthError> {
        let name = host
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(host, |(name, _)| name)
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if name.is_empty() || name.len() > 253 {
            return Ok(HostPools::Any);
        }
        if let Some(suffix) = &self.config.domain_suffix {
            if let Some(prefix) = name.strip_suffix(&format!(".{suffix}")) {
                return Ok(match self.store.get_domain(prefix).await? {
                    Some(d) if !d.is_custom() => HostPools::Only(d.pool_id),
                    _ => HostPools::Nobody,
                });
            }
        }
        Ok(match self.store.get_domain(&name).await? {
            Some(d) if d.is_custom() => HostPools::Only(d.pool_id),
            _ => HostPools::Any,
        })
    }

    /// The base URL of a pool's hosted pages and OAuth endpoints, for its discovery
    /// document: `https://<custom domain>`, else `https://<prefix>.<suffix>` when a suffix
    /// is configured, else the public URL.
    pub async fn pool_endpoint_base(&self, pool_id: &str) -> Result<String, AuthError> {
        let domains = self.store.list_pool_domains(pool_id).await?;
        if let Some(custom) = domains.iter().find(|d| d.is_custom()) {
            return Ok(format!("https://{}", custom.domain));
        }
        if let (Some(prefix), Some(suffix)) = (
            domains.iter().find(|d| !d.is_custom()),
            &self.config.domain_suffix,
        ) {
            return Ok(format!("https://{}.{suffix}", prefix.domain));
        }
        Ok(self.config.public_url.trim_end_matches('/').to_string())
    }
}
