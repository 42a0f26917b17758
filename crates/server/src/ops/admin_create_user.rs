//! `AdminCreateUser`.

use keystep_core::message::Medium;
use keystep_core::service::admin_users::{AdminCreateUserInput, MessageAction};
use keystep_proto as proto;

use super::shape_pool::enum_error;
use super::shape_user::{attribute_pairs, render_view};
use crate::{ApiError, AppState};

/// Creates a user with a temporary password and sends the invitation.
pub async fn handle(
    state: &AppState,
    req: proto::AdminCreateUserRequest,
) -> Result<proto::AdminCreateUserResponse, ApiError> {
    let message_action = match req.message_action.as_deref() {
        None => None,
        Some("RESEND") => Some(MessageAction::Resend),
        Some("SUPPRESS") => Some(MessageAction::Suppress),
        Some(other) => {
            return Err(enum_error("messageAction", other, &["RESEND", "SUPPRESS"]).into())
        }
    };
    let desired_delivery_mediums = req
        .desired_delivery_mediums
        .iter()
        .flatten()
        .map(|m| match m.as_str() {
            "SMS" => Ok(Medium::Sms),
            "EMAIL" => Ok(Medium::Email),
            other => Err(enum_error(
                "desiredDeliveryMediums.member",
                other,
                &["SMS", "EMAIL"],
            )),
        })
        .collect::<Result<_, _>>()?;
    let out = state
        .keystep
        .admin_create_user(AdminCreateUserInput {
            pool_id: req.user_pool_id,
            username: req.username,
            attributes: attribute_pairs(req.user_attributes.as_deref()),
            validation_data: attribute_pairs(req.validation_data.as_deref()),
            temporary_password: req.temporary_password.map(|p| p.0),
            message_action,
            desired_delivery_mediums,
            force_alias_creation: req.force_alias_creation.unwrap_or(false),
            client_metadata: req.client_metadata.unwrap_or_default(),
        })
        .await?;
    Ok(proto::AdminCreateUserResponse {
        user: Some(render_view(&out.user)),
    })
}
