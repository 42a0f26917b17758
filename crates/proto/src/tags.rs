//! Resource tags on user pools.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `TagResource` request: add or replace tags of a user pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TagResourceRequest {
    /// The pool's ARN.
    #[serde(rename = "ResourceArn")]
    pub resource_arn: String,
    /// Tags to set.
    #[serde(rename = "Tags")]
    pub tags: BTreeMap<String, String>,
}

/// `TagResource` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TagResourceResponse {}

/// `UntagResource` request: remove tags of a user pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UntagResourceRequest {
    /// The pool's ARN.
    #[serde(rename = "ResourceArn")]
    pub resource_arn: String,
    /// Keys to remove.
    #[serde(rename = "TagKeys")]
    pub tag_keys: Vec<String>,
}

/// `UntagResource` response: empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UntagResourceResponse {}

/// `ListTagsForResource` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListTagsForResourceRequest {
    /// The pool's ARN.
    #[serde(rename = "ResourceArn")]
    pub resource_arn: String,
}

/// `ListTagsForResource` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListTagsForResourceResponse {
    /// The pool's tags.
    #[serde(rename = "Tags")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
}
