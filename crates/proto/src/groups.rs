//! Groups and group membership.

use serde::{Deserialize, Serialize};

use crate::{Group, User};

/// `CreateGroup` request: create a group in a pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateGroupRequest {
    /// Name of the group.
    #[serde(rename = "GroupName")]
    pub group_name: String,
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Free-text description of the group.
    #[serde(rename = "Description")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// IAM role ARN.
    #[serde(rename = "RoleArn")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Rank of the group when a user is in several (lower wins).
    #[serde(rename = "Precedence")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedence: Option<i64>,
}

/// `CreateGroup` response: the group as created.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateGroupResponse {
    /// The group.
    #[serde(rename = "Group")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
}

/// `GetGroup` request: read a group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetGroupRequest {
    /// Name of the group.
    #[serde(rename = "GroupName")]
    pub group_name: String,
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `GetGroup` response: the group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetGroupResponse {
    /// The group.
    #[serde(rename = "Group")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
}

/// `ListGroups` request: list a pool's groups, one page at a time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListGroupsRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Maximum number of items to return.
    #[serde(rename = "Limit")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListGroups` response: one page of groups.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListGroupsResponse {
    /// Groups on this page.
    #[serde(rename = "Groups")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Group>>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `UpdateGroup` request: change a group's description, role or precedence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateGroupRequest {
    /// Name of the group.
    #[serde(rename = "GroupName")]
    pub group_name: String,
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Free-text description of the group.
    #[serde(rename = "Description")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// IAM role ARN.
    #[serde(rename = "RoleArn")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Rank of the group when a user is in several (lower wins).
    #[serde(rename = "Precedence")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedence: Option<i64>,
}

/// `UpdateGroup` response: the group as updated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateGroupResponse {
    /// The group.
    #[serde(rename = "Group")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
}

/// `DeleteGroup` request: delete a group (its members stay in the pool).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteGroupRequest {
    /// Name of the group.
    #[serde(rename = "GroupName")]
    pub group_name: String,
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
}

/// `DeleteGroup` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteGroupResponse {}

/// `AdminAddUserToGroup` request: add a user to a group (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminAddUserToGroupRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Name of the group.
    #[serde(rename = "GroupName")]
    pub group_name: String,
}

/// `AdminAddUserToGroup` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminAddUserToGroupResponse {}

/// `AdminRemoveUserFromGroup` request: remove a user from a group (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminRemoveUserFromGroupRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Name of the group.
    #[serde(rename = "GroupName")]
    pub group_name: String,
}

/// `AdminRemoveUserFromGroup` response: empty (serialises as `{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminRemoveUserFromGroupResponse {}

/// `AdminListGroupsForUser` request: list the groups a user belongs to (admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminListGroupsForUserRequest {
    /// Username or alias of the user.
    #[serde(rename = "Username")]
    pub username: String,
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Maximum number of items to return.
    #[serde(rename = "Limit")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `AdminListGroupsForUser` response: one page of the user's groups.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminListGroupsForUserResponse {
    /// Groups on this page.
    #[serde(rename = "Groups")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Group>>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListUsersInGroup` request: list the members of a group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUsersInGroupRequest {
    /// Id of the user pool (`<region>_<suffix>`).
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// Name of the group.
    #[serde(rename = "GroupName")]
    pub group_name: String,
    /// Maximum number of items to return.
    #[serde(rename = "Limit")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ListUsersInGroup` response: one page of members.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListUsersInGroupResponse {
    /// Users on this page.
    #[serde(rename = "Users")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<User>>,
    /// Token for the next page; absent on the last page.
    #[serde(rename = "NextToken")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
