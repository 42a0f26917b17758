//! Users and groups as the wire shows them.

use keystep_core::group::Group;
use keystep_core::user::User;
use keystep_proto as proto;

/// The `UserType` shape of a stored user (all attributes).
pub fn render_user(user: &User) -> proto::User {
    render_view(&keystep_core::service::users::user_view(user, None))
}

/// The `GroupType` shape.
pub fn render_group(g: &Group) -> proto::Group {
    proto::Group {
        group_name: Some(g.name.clone()),
        user_pool_id: Some(g.pool_id.clone()),
        description: g.description.clone(),
        role_arn: g.role_arn.clone(),
        precedence: g.precedence,
        last_modified_date: Some(g.modified_at.as_secs_f64()),
        creation_date: Some(g.created_at.as_secs_f64()),
    }
}

/// Wire attributes `[{Name, Value}]` as domain name/value pairs (absent values are empty).
pub fn attribute_pairs(list: Option<&[proto::Attribute]>) -> Vec<(String, String)> {
    list.unwrap_or_default()
        .iter()
        .map(|a| (a.name.clone(), a.value.clone().unwrap_or_default()))
        .collect()
}

/// A `CodeDeliveryDetails` from the domain's delivery record.
pub fn render_delivery(
    d: &keystep_core::service::delivery::CodeDelivery,
) -> proto::CodeDeliveryDetails {
    proto::CodeDeliveryDetails {
        destination: Some(d.destination_masked.clone()),
        delivery_medium: Some(d.medium.as_str().into()),
        attribute_name: Some(d.attribute_name.clone()),
    }
}

/// The `UserType` shape from the domain's user view.
pub fn render_view(v: &keystep_core::service::users::UserView) -> proto::User {
    proto::User {
        username: Some(v.username.clone()),
        attributes: Some(view_attributes(v)),
        user_create_date: Some(v.created_at.as_secs_f64()),
        user_last_modified_date: Some(v.modified_at.as_secs_f64()),
        enabled: Some(v.enabled),
        user_status: Some(v.status.as_str().into()),
        mfa_options: view_mfa_options(v),
    }
}

/// The view's attributes as wire attributes.
pub fn view_attributes(v: &keystep_core::service::users::UserView) -> Vec<proto::Attribute> {
    v.attributes
        .iter()
        .map(|(n, val)| proto::Attribute {
            name: n.clone(),
            value: Some(val.clone()),
        })
        .collect()
}

/// Legacy `MFAOptions` from a view.
pub fn view_mfa_options(
    v: &keystep_core::service::users::UserView,
) -> Option<Vec<proto::MfaOption>> {
    v.mfa_enabled
        .contains(&keystep_core::user::MfaFactor::Sms)
        .then(|| {
            vec![proto::MfaOption {
                delivery_medium: Some("SMS".into()),
                attribute_name: Some("phone_number".into()),
            }]
        })
}
