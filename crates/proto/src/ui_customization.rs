//! Classic hosted-page branding.

use serde::{Deserialize, Serialize};

/// `SetUICustomization` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SetUiCustomizationRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// An app client, or `ALL` (the default) for the pool.
    #[serde(rename = "ClientId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The style sheet.
    #[serde(rename = "CSS")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub css: Option<String>,
    /// The logo, base64 (a blob on the wire).
    #[serde(rename = "ImageFile")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_file: Option<String>,
}

/// `GetUICustomization` request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUiCustomizationRequest {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    /// An app client; absent: the pool's customization.
    #[serde(rename = "ClientId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// One customization; every member is absent when nothing was set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UiCustomizationType {
    /// The pool.
    #[serde(rename = "UserPoolId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// The client, or `ALL`.
    #[serde(rename = "ClientId")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Where the logo is served.
    #[serde(rename = "ImageUrl")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// The style sheet.
    #[serde(rename = "CSS")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub css: Option<String>,
    /// `yyyyMMddHHmmss` of the last change.
    #[serde(rename = "CSSVersion")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub css_version: Option<String>,
    /// When it last changed.
    #[serde(rename = "LastModifiedDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    /// When it was first set.
    #[serde(rename = "CreationDate")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
}

/// `SetUICustomization` / `GetUICustomization` response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UiCustomizationResponse {
    /// The customization.
    #[serde(rename = "UICustomization")]
    pub ui_customization: UiCustomizationType,
}
