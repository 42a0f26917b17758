//! What a signed-in user does with their access token: `GetUser`,
//! `UpdateUserAttributes`, `DeleteUserAttributes`, `DeleteUser`,
//! `GetUserAttributeVerificationCode`, `VerifyUserAttribute`, `ChangePassword`.

use crate::error::AuthError;
use crate::limits::{Budget, Lock};
use crate::message::MessagePurpose;

use super::delivery::{verification_of, CodeDelivery};
use super::limits::user_subject;
use super::users::{
    apply_attribute_updates, check_update_names, delete_attributes, user_view, AttributeWriter,
    UserView,
};
use super::Keystep;

/// Attribute name/value pairs.
type Updates = Vec<(String, String)>;

/// The code purposes an update by `client` of `user`'s attributes would send a code for:
/// a changed e-mail/phone the pool auto-verifies, and every held one. Worked out on a
/// copy, so that the budget is taken before the update is made.
fn codes_an_update_sends(
    pool: &crate::pool::UserPool,
    user: &crate::user::User,
    updates: &[(String, String)],
    client: &crate::app_client::AppClient,
) -> Result<Vec<crate::code::CodePurpose>, AuthError> {
    let mut probe = user.clone();
    let (now, later) = hold_for_verification(pool, &probe, updates);
    let changes = apply_attribute_updates(pool, &mut probe, &now, AttributeWriter::Client(client))?;
    let mut purposes = Vec::new();
    for medium in changes.unverified {
        let (purpose, _, kind) = verification_of(medium.attribute())?;
        if pool.settings.auto_verified.contains(&kind) {
            purposes.push(purpose);
        }
    }
    for (name, _) in &later {
        purposes.push(verification_of(name)?.0);
    }
    Ok(purposes)
}

/// Splits an update into what applies now and the new `email` / `phone_number` values
/// the pool holds back until they are verified: those of
/// `AttributesRequireVerificationBeforeUpdate`, when the current value is verified and
/// the new one differs. Such a value is the current one until `VerifyUserAttribute`.
fn hold_for_verification(
    pool: &crate::pool::UserPool,
    user: &crate::user::User,
    updates: &[(String, String)],
) -> (Updates, Updates) {
    updates.iter().cloned().partition(|(name, value)| {
        let held = verification_of(name).is_ok_and(|(_, _, kind)| {
            pool.settings
                .attributes_require_verification_before_update
                .contains(&kind)
        }) && user.is_verified(name)
            && user.attr(name) != Some(value.as_str());
        !held
    })
}

impl Keystep {
    /// `GetUser`.
    pub async fn get_user(&self, access_token: &str) -> Result<UserView, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        Ok(user_view(&caller.user, None))
    }

    /// `UpdateUserAttributes`, through the token's app client's write rules. A changed
    /// e-mail/phone becomes unverified and, when the pool auto-verifies it, gets a code;
    /// the deliveries are returned (`CodeDeliveryDetailsList`).
    pub async fn update_user_attributes(
        &self,
        access_token: &str,
        attributes: &[(String, String)],
    ) -> Result<Vec<CodeDelivery>, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let client = caller.client(self).await?;
        let pool = &caller.pool;
        check_update_names(pool, attributes)?;
        // The codes this update would send are paid for before anything changes: an
        // update refused for its budget leaves the user as it was.
        let subject = user_subject(&pool.id, &caller.user.sub);
        for purpose in codes_an_update_sends(pool, &caller.user, attributes, &client)? {
            self.take_budget(Budget::CodeRequests(purpose), &subject)
                .await?;
        }
        let mut unverified = Vec::new();
        let mut held = Vec::new();
        let mut changed = Vec::new();
        let user = self
            .modify_user(pool, &caller.user.sub, |u| {
                let (now, later) = hold_for_verification(pool, u, attributes);
                let changes =
                    apply_attribute_updates(pool, u, &now, AttributeWriter::Client(&client))?;
                // A held value goes through the same write rules, on a copy.
                let mut probe = u.clone();
                apply_attribute_updates(
                    pool,
                    &mut probe,
                    &later,
                    AttributeWriter::Client(&client),
                )?;
                for (name, value) in &later {
                    u.pending_attributes.insert(name.clone(), value.clone());
                }
                unverified = changes.unverified;
                changed = changes.changed;
                changed.extend(later.iter().map(|(name, _)| name.clone()));
                held = later;
                Ok(())
            })
            .await?
            .ok_or_else(super::users::user_not_found)?;
        self.discard_codes_of_changed(pool, &user, &changed).await?;
        let mut deliveries = self
            .send_verification_codes(pool, &user, &unverified)
            .await?;
        for (name, value) in held {
            let (purpose, medium, _) = verification_of(&name)?;
            deliveries.push(
                self.send_code_to(
                    pool,
                    &user,
                    purpose,
                    MessagePurpose::UpdateUserAttribute,
                    medium,
                    &value,
                )
                .await?,
            );
        }
        Ok(deliveries)
    }

    /// `DeleteUserAttributes`, through the token's app client's write rules.
    pub async fn delete_user_attributes(
        &self,
        access_token: &str,
        names: &[String],
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let client = caller.client(self).await?;
        let pool = &caller.pool;
        let mut changed = Vec::new();
        let user = self
            .modify_user(pool, &caller.user.sub, |u| {
                changed =
                    delete_attributes(pool, u, names, AttributeWriter::Client(&client))?.changed;
                Ok(())
            })
            .await?;
        if let Some(user) = user {
            self.discard_codes_of_changed(pool, &user, &changed).await?;
        }
        Ok(())
    }

    /// `DeleteUser`: the user and everything of theirs go; their tokens stop working.
    pub async fn delete_user(&self, access_token: &str) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        self.store
            .revoke_user_refresh_tokens(&caller.pool.id, &caller.user.sub)
            .await?;
        self.store
            .delete_user(&caller.pool.id, &caller.user.sub)
            .await?;
        Ok(())
    }

    /// `GetUserAttributeVerificationCode`: a code to the user's `email` or `phone_number`.
    pub async fn get_user_attribute_verification_code(
        &self,
        access_token: &str,
        attribute: &str,
    ) -> Result<CodeDelivery, AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let (purpose, medium, _) = verification_of(attribute)?;
        let to = caller
            .user
            .pending_attributes
            .get(attribute)
            .map(String::as_str)
            .or(caller.user.attr(attribute))
            .ok_or_else(|| {
                AuthError::InvalidParameter(format!("The user has no {attribute} to verify."))
            })?
            .to_string();
        self.take_budget(
            Budget::CodeRequests(purpose),
            &user_subject(&caller.pool.id, &caller.user.sub),
        )
        .await?;
        self.send_code_to(
            &caller.pool,
            &caller.user,
            purpose,
            MessagePurpose::VerifyUserAttribute,
            medium,
            &to,
        )
        .await
    }

    /// `VerifyUserAttribute`: the code sent for `attribute` marks it verified (taking the
    /// alias from nobody: a verified alias held by someone else is `AliasExists`).
    pub async fn verify_user_attribute(
        &self,
        access_token: &str,
        attribute: &str,
        code: &str,
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let (purpose, _, _) = verification_of(attribute)?;
        let pool = &caller.pool;
        let matched = self.check_code(pool, &caller.user, purpose, code).await?;
        // The code verifies the address it was sent to: a held new value
        // (AttributesRequireVerificationBeforeUpdate) replaces the old one when its code
        // came back; a code sent to the current value verifies that value only.
        let to = matched.destination().to_string();
        let verify = |u: &mut crate::user::User| {
            if u.pending_attributes.get(attribute) == Some(&to) {
                u.pending_attributes.remove(attribute);
                u.attributes.insert(attribute.to_string(), to.clone());
            }
            if u.attr(attribute) == Some(to.as_str()) {
                u.attributes
                    .insert(format!("{attribute}_verified"), "true".into());
            }
        };
        let mut verified = caller.user.clone();
        verify(&mut verified);
        self.claim_aliases(pool, &verified, false).await?;
        self.consume_matched_code(pool, matched).await?;
        self.modify_user(pool, &caller.user.sub, |u| {
            verify(u);
            Ok(())
        })
        .await?;
        Ok(())
    }

    /// `ChangePassword`: limited per user per rolling hour like Cognito's; the previous
    /// password must be right, and is judged under the password lockout (refused during
    /// one; a wrong one counts like a failed sign-in); the new one must satisfy the
    /// policy.
    pub async fn change_password(
        &self,
        access_token: &str,
        previous: Option<&str>,
        proposed: &str,
    ) -> Result<(), AuthError> {
        let caller = self.authenticate_access(access_token).await?;
        let pool = &caller.pool;
        let Some(previous) = previous else {
            return Err(AuthError::InvalidParameter(
                "Missing required parameter PreviousPassword".into(),
            ));
        };
        let subject = user_subject(&pool.id, &caller.user.sub);
        self.take_budget(Budget::ChangePassword, &subject).await?;
        self.refuse_if_locked(Lock::Password, &subject).await?;
        let right = self.check_password(pool, &caller.user, previous);
        self.settle_attempt(Lock::Password, &subject, right).await?;
        if !right {
            return Err(crate::signin::incorrect_credentials());
        }
        pool.settings.password_policy.check(proposed)?;
        let now = self.clock.now();
        self.modify_user(pool, &caller.user.sub, |u| {
            self.set_password(pool, u, proposed, now)?;
            Ok(())
        })
        .await?;
        Ok(())
    }
}
