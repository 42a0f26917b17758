//! Groups of users; their names end up in the `cognito:groups` claim.

use serde::{Deserialize, Serialize};

use crate::Millis;

/// A group in a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The pool.
    pub pool_id: String,
    /// `GroupName`, unique in the pool.
    pub name: String,
    /// `Description`.
    pub description: Option<String>,
    /// `Precedence` (lower wins).
    pub precedence: Option<i64>,
    /// `RoleArn`.
    pub role_arn: Option<String>,
    /// When it was created.
    pub created_at: Millis,
    /// When it was last changed.
    pub modified_at: Millis,
}
