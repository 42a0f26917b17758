//! Users and groups as the wire shows them.

use keystep_core::group::Group;
use keystep_core::user::User;
use keystep_proto as proto;

/// The user's attributes as `[{Name, Value}]`, `sub` first; `only` restricts the names.
pub fn render_attributes(user: &User, only: Option<&[String]>) -> Vec<proto::Attribute> {
    let wanted = |n: &str| only.is_none_or(|o| o.iter().any(|w| w == n));
    let mut out = Vec::with_capacity(user.attributes.len() + 1);
    if wanted("sub") {
        out.push(proto::Attribute {
            name: "sub".into(),
            value: Some(user.sub.clone()),
        });
    }
    out.extend(
        user.attributes
            .iter()
            .filter(|(n, _)| wanted(n))
            .map(|(n, v)| proto::Attribute {
                name: n.clone(),
                value: Some(v.clone()),
            }),
    );
    out
}

/// Legacy `MFAOptions`: SMS MFA shows as a delivery to `phone_number`.
pub fn mfa_options(user: &User) -> Option<Vec<proto::MfaOption>> {
    user.mfa
        .enabled
        .contains(&keystep_core::user::MfaFactor::Sms)
        .then(|| {
            vec![proto::MfaOption {
                delivery_medium: Some("SMS".into()),
                attribute_name: Some("phone_number".into()),
            }]
        })
}

/// The `UserType` shape (ListUsers, AdminCreateUser, ListUsersInGroup).
pub fn render_user(user: &User, only: Option<&[String]>) -> proto::User {
    proto::User {
        username: Some(user.username.clone()),
        attributes: Some(render_attributes(user, only)),
        user_create_date: Some(user.created_at.as_secs_f64()),
        user_last_modified_date: Some(user.modified_at.as_secs_f64()),
        enabled: Some(user.enabled),
        user_status: Some(user.status.as_str().into()),
        mfa_options: mfa_options(user),
    }
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
