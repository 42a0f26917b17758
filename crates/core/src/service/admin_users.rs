//! Administrators' user management: AdminCreateUser, AdminGetUser, AdminDeleteUser,
//! AdminSetUserPassword, Admin(Update|Delete)UserAttributes, Admin(Disable|Enable)User,
//! AdminResetUserPassword and ListUsers.

use std::collections::BTreeMap;

use base64::Engine;

use crate::code::CodePurpose;
use crate::error::AuthError;
use crate::limits::Lock;
use crate::message::{Medium, MessagePurpose};
use crate::pool::UserPool;
use crate::ports::UserFilter;
use crate::user::{User, UserStatus};
use crate::Millis;

use super::delivery::{admin_reset_medium, CodeDelivery};
use super::users::{
    apply_attribute_updates, check_update_names, delete_attributes, user_not_found, user_view,
    AttributeWriter, UserView,
};
use super::Keystep;

/// `MessageAction` of AdminCreateUser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAction {
    /// `RESEND`: new temporary password and invitation for an existing
    /// `FORCE_CHANGE_PASSWORD` user.
    Resend,
    /// `SUPPRESS`: send no invitation.
    Suppress,
}

/// `AdminCreateUser`. `Debug` leaves out the temporary password.
#[derive(Clone, Default)]
pub struct AdminCreateUserInput {
    /// `UserPoolId`.
    pub pool_id: String,
    /// `Username` (the e-mail/phone in username-attribute pools).
    pub username: String,
    /// `UserAttributes`; `*_verified` may be set directly.
    pub attributes: Vec<(String, String)>,
    /// `ValidationData` (for the PreSignUp trigger, not invoked yet).
    pub validation_data: Vec<(String, String)>,
    /// `TemporaryPassword`; generated when absent.
    pub temporary_password: Option<String>,
    /// `MessageAction`.
    pub message_action: Option<MessageAction>,
    /// `DesiredDeliveryMediums`; empty means SMS, falling back to e-mail when the user
    /// has no phone number.
    pub desired_delivery_mediums: Vec<Medium>,
    /// `ForceAliasCreation`: take verified e-mail/phone aliases from other users.
    pub force_alias_creation: bool,
    /// `ClientMetadata` (for triggers, not invoked yet).
    pub client_metadata: BTreeMap<String, String>,
}

/// The answer to `AdminCreateUser`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminCreateUserOutput {
    /// `User`.
    pub user: UserView,
    /// Where the invitation went (not on the wire; for logs and tests).
    pub deliveries: Vec<CodeDelivery>,
}

/// `AdminSetUserPassword`. `Debug` leaves out the password.
#[derive(Clone, Default)]
pub struct AdminSetUserPasswordInput {
    /// `UserPoolId`.
    pub pool_id: String,
    /// `Username` (username, alias or sub).
    pub username: String,
    /// `Password`.
    pub password: String,
    /// `Permanent`: `CONFIRMED` when true, else `FORCE_CHANGE_PASSWORD`.
    pub permanent: bool,
}

/// `AdminUpdateUserAttributes`.
#[derive(Debug, Clone, Default)]
pub struct AdminUpdateUserAttributesInput {
    /// `UserPoolId`.
    pub pool_id: String,
    /// `Username` (username, alias or sub).
    pub username: String,
    /// `UserAttributes`.
    pub attributes: Vec<(String, String)>,
    /// `ClientMetadata` (for triggers, not invoked yet).
    pub client_metadata: BTreeMap<String, String>,
}

/// `ListUsers`.
#[derive(Debug, Clone, Default)]
pub struct ListUsersInput {
    /// `UserPoolId`.
    pub pool_id: String,
    /// `AttributesToGet`; `None` shows every attribute.
    pub attributes_to_get: Option<Vec<String>>,
    /// `Limit` (0 to 60; 0 or absent means 60).
    pub limit: Option<i64>,
    /// `PaginationToken` from a previous page.
    pub pagination_token: Option<String>,
    /// `Filter`: `attr = "value"` or `attr ^= "value"`.
    pub filter: Option<String>,
}

/// The answer to `ListUsers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListUsersOutput {
    /// `Users`.
    pub users: Vec<UserView>,
    /// `PaginationToken`, when more users may follow.
    pub pagination_token: Option<String>,
}

impl std::fmt::Debug for AdminCreateUserInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminCreateUserInput")
            .field("pool_id", &self.pool_id)
            .field("username", &self.username)
            .field("attributes", &self.attributes)
            .field("message_action", &self.message_action)
            .field("desired_delivery_mediums", &self.desired_delivery_mediums)
            .field("force_alias_creation", &self.force_alias_creation)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for AdminSetUserPasswordInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminSetUserPasswordInput")
            .field("pool_id", &self.pool_id)
            .field("username", &self.username)
            .field("permanent", &self.permanent)
            .finish_non_exhaustive()
    }
}

/// The attributes ListUsers can filter on.
pub const SEARCHABLE_ATTRIBUTES: [&str; 10] = [
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

/// The largest (and default) ListUsers page.
pub const MAX_LIST_USERS_LIMIT: i64 = 60;

/// How long a ListUsers pagination token works.
const PAGE_TOKEN_LIFETIME_SECS: i64 = 3600;

impl Keystep {
    /// `AdminCreateUser`: a `FORCE_CHANGE_PASSWORD` user with the given or a generated
    /// temporary password, invited by the desired mediums unless suppressed. With
    /// `RESEND`, re-invites an existing `FORCE_CHANGE_PASSWORD` user with a new password.
    pub async fn admin_create_user(
        &self,
        input: AdminCreateUserInput,
    ) -> Result<AdminCreateUserOutput, AuthError> {
        let pool = self.load_pool(&input.pool_id).await?;
        let now = self.clock.now();
        let temporary = match &input.temporary_password {
            Some(given) => {
                pool.settings.password_policy.check(given)?;
                given.clone()
            }
            None => self.generate_temporary_password(&pool.settings.password_policy),
        };
        if input.message_action == Some(MessageAction::Resend) {
            return self.resend_invitation(&pool, &input, &temporary, now).await;
        }
        let mut user = self.new_user(
            &pool,
            &input.username,
            &input.attributes,
            AttributeWriter::Admin,
            UserStatus::ForceChangePassword,
            now,
        )?;
        self.set_password(&pool, &mut user, &temporary, now)?;
        let mediums =
            invitation_mediums(&user, &input.desired_delivery_mediums, input.message_action)?;
        // Refuse a taken username before any alias moves, so a failed create changes
        // nobody.
        if self
            .store
            .get_user(&pool.id, &user.username_key)
            .await?
            .is_some()
        {
            return Err(username_taken());
        }
        // Its auto-confirm and auto-verify answers do not apply to administrators'
        // users; a refusal stops the creation.
        self.pre_sign_up(
            &pool,
            &user,
            "PreSignUp_AdminCreateUser",
            None,
            &input.validation_data,
            &input.client_metadata,
        )
        .await?;
        self.claim_aliases(&pool, &user, input.force_alias_creation)
            .await?;
        self.insert_new_user(&pool, &user, "User account already exists")
            .await?;
        let deliveries = self.invite(&pool, &user, &mediums, &temporary).await?;
        Ok(AdminCreateUserOutput {
            user: user_view(&user, None),
            deliveries,
        })
    }

    async fn resend_invitation(
        &self,
        pool: &UserPool,
        input: &AdminCreateUserInput,
        temporary: &str,
        now: Millis,
    ) -> Result<AdminCreateUserOutput, AuthError> {
        let mut user = self.require_user(pool, &input.username).await?;
        if user.status != UserStatus::ForceChangePassword {
            return Err(AuthError::UnsupportedUserState(format!(
                "Resend not possible. {} status is {}.",
                input.username,
                user.status.as_str()
            )));
        }
        let mediums = invitation_mediums(&user, &input.desired_delivery_mediums, None)?;
        self.set_password(pool, &mut user, temporary, now)?;
        user.modified_at = now;
        self.save_user(pool, &mut user).await?;
        let deliveries = self.invite(pool, &user, &mediums, temporary).await?;
        Ok(AdminCreateUserOutput {
            user: user_view(&user, None),
            deliveries,
        })
    }

    async fn invite(
        &self,
        pool: &UserPool,
        user: &User,
        mediums: &[Medium],
        temporary: &str,
    ) -> Result<Vec<CodeDelivery>, AuthError> {
        let mut out = Vec::with_capacity(mediums.len());
        for &medium in mediums {
            out.push(
                self.deliver(
                    pool,
                    user,
                    medium,
                    MessagePurpose::AdminCreateUser,
                    temporary,
                )
                .await?,
            );
        }
        Ok(out)
    }

    /// `AdminGetUser` (the name may be the username, an alias or the sub).
    pub async fn admin_get_user(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<UserView, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        Ok(user_view(&user, None))
    }

    /// `AdminDeleteUser`: the user, its aliases, codes and memberships.
    pub async fn admin_delete_user(&self, pool_id: &str, username: &str) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let user = self.require_user(&pool, username).await?;
        if self.store.delete_user(&pool.id, &user.sub).await? {
            Ok(())
        } else {
            Err(user_not_found())
        }
    }

    /// `AdminSetUserPassword`: a permanent password confirms the user; a temporary one
    /// puts it in `FORCE_CHANGE_PASSWORD`. Clears the lockout counters.
    pub async fn admin_set_user_password(
        &self,
        input: AdminSetUserPasswordInput,
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(&input.pool_id).await?;
        let mut user = self.require_user(&pool, &input.username).await?;
        // A new password changes no attribute: the aliases stay, and the write is the
        // user's row alone.
        let claimed = user.alias_claims(&pool);
        let now = self.clock.now();
        self.set_password(&pool, &mut user, &input.password, now)?;
        let was = user.status;
        user.status = if input.permanent {
            UserStatus::Confirmed
        } else {
            UserStatus::ForceChangePassword
        };
        user.modified_at = now;
        self.save_user_over(&pool, &mut user, Some(&claimed))
            .await?;
        let subject = super::limits::user_subject(&pool.id, &user.sub);
        self.clear_locks(&[Lock::Password, Lock::SecondFactor], &subject)
            .await?;
        // Codes issued for the state the user just left must not work any more.
        match was {
            UserStatus::Unconfirmed => self.discard_code(&pool, &user, CodePurpose::SignUp).await,
            UserStatus::ResetRequired => {
                self.discard_code(&pool, &user, CodePurpose::ForgotPassword)
                    .await
            }
            _ => Ok(()),
        }
    }

    /// `AdminUpdateUserAttributes`: may set `*_verified` directly; a changed e-mail/phone
    /// becomes unverified unless its flag is in the same call, and gets a verification
    /// code when the pool auto-verifies it. Returns where codes went (not on the wire).
    pub async fn admin_update_user_attributes(
        &self,
        input: AdminUpdateUserAttributesInput,
    ) -> Result<Vec<CodeDelivery>, AuthError> {
        let pool = self.load_pool(&input.pool_id).await?;
        let mut user = self.require_user(&pool, &input.username).await?;
        check_update_names(&pool, &input.attributes)?;
        let changes =
            apply_attribute_updates(&pool, &mut user, &input.attributes, AttributeWriter::Admin)?;
        if changes.changed.is_empty() {
            return Ok(Vec::new());
        }
        user.modified_at = self.clock.now();
        self.save_user(&pool, &mut user).await?;
        self.discard_codes_of_changed(&pool, &user, &changes.changed)
            .await?;
        self.send_verification_codes(&pool, &user, &changes.unverified)
            .await
    }

    /// `AdminDeleteUserAttributes`: never `sub`, required or immutable attributes.
    pub async fn admin_delete_user_attributes(
        &self,
        pool_id: &str,
        username: &str,
        names: &[String],
    ) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let mut user = self.require_user(&pool, username).await?;
        let changes = delete_attributes(&pool, &mut user, names, AttributeWriter::Admin)?;
        if changes.changed.is_empty() {
            return Ok(());
        }
        user.modified_at = self.clock.now();
        self.save_user(&pool, &mut user).await?;
        self.discard_codes_of_changed(&pool, &user, &changes.changed)
            .await
    }

    /// `AdminDisableUser`: refuses sign-in, invalidates issued tokens and revokes the
    /// user's refresh tokens.
    pub async fn admin_disable_user(&self, pool_id: &str, username: &str) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let mut user = self.require_user(&pool, username).await?;
        let now = self.clock.now();
        user.enabled = false;
        user.tokens_valid_after = Some(now);
        user.modified_at = now;
        self.save_user(&pool, &mut user).await?;
        self.store
            .revoke_user_refresh_tokens(&pool.id, &user.sub)
            .await?;
        Ok(())
    }

    /// `AdminEnableUser`.
    pub async fn admin_enable_user(&self, pool_id: &str, username: &str) -> Result<(), AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let mut user = self.require_user(&pool, username).await?;
        if user.enabled {
            return Ok(());
        }
        user.enabled = true;
        user.modified_at = self.clock.now();
        self.save_user(&pool, &mut user).await
    }

    /// `AdminResetUserPassword`: the user must complete a reset with a code
    /// (`RESET_REQUIRED`). The code goes by the recovery rules to a verified channel; a
    /// user with none is still reset, and no code is sent (`None`): the administrator
    /// then sets a password with AdminSetUserPassword. Unconfirmed users cannot be reset.
    pub async fn admin_reset_user_password(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<Option<CodeDelivery>, AuthError> {
        let pool = self.load_pool(pool_id).await?;
        let mut user = self.require_user(&pool, username).await?;
        if user.status == UserStatus::Unconfirmed {
            return Err(AuthError::NotAuthorized(
                "User password cannot be reset in the current state.".into(),
            ));
        }
        user.status = UserStatus::ResetRequired;
        user.modified_at = self.clock.now();
        self.save_user(&pool, &mut user).await?;
        match admin_reset_medium(&pool, &user) {
            Some(medium) => Ok(Some(
                self.send_code(
                    &pool,
                    &user,
                    CodePurpose::ForgotPassword,
                    MessagePurpose::ForgotPassword,
                    medium,
                )
                .await?,
            )),
            None => Ok(None),
        }
    }

    /// `ListUsers`: users in username order, optionally filtered, a page at a time.
    pub async fn list_users(&self, input: ListUsersInput) -> Result<ListUsersOutput, AuthError> {
        let pool = self.load_pool(&input.pool_id).await?;
        let filter = match input.filter.as_deref() {
            Some(f) => parse_user_filter(f)?,
            None => None,
        };
        let limit = list_limit(input.limit)?;
        let now = self.clock.now();
        let after = match input.pagination_token.as_deref() {
            Some(token) => Some(self.open_page_token(&pool.id, token, now)?),
            None => None,
        };
        let page = self
            .store
            .list_users(&pool.id, filter.as_ref(), after.as_deref(), limit)
            .await?;
        let users = page
            .items
            .iter()
            .map(|u| user_view(u, input.attributes_to_get.as_deref()))
            .collect();
        Ok(ListUsersOutput {
            users,
            pagination_token: page
                .next
                .map(|key| self.seal_page_token(&pool.id, &key, now)),
        })
    }

    /// A pagination token: the store's continuation key and the issue time, sealed for
    /// this pool so clients can neither read nor forge it.
    fn seal_page_token(&self, pool_id: &str, key: &str, now: Millis) -> String {
        let plain = format!("{}\n{key}", now.0);
        let sealed = self
            .keys
            .seal_block(&page_token_context(pool_id), plain.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sealed)
    }

    fn open_page_token(
        &self,
        pool_id: &str,
        token: &str,
        now: Millis,
    ) -> Result<String, AuthError> {
        let invalid = || AuthError::InvalidParameter("Invalid pagination token.".into());
        let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| invalid())?;
        let plain = self
            .keys
            .open_block(&page_token_context(pool_id), &sealed)
            .map_err(|_| invalid())?;
        let plain = String::from_utf8(plain).map_err(|_| invalid())?;
        let (issued, key) = plain.split_once('\n').ok_or_else(invalid)?;
        let issued: i64 = issued.parse().map_err(|_| invalid())?;
        if now > Millis(issued).plus_secs(PAGE_TOKEN_LIFETIME_SECS) {
            return Err(AuthError::InvalidParameter(
                "The pagination token has expired.".into(),
            ));
        }
        Ok(key.to_string())
    }
}

fn page_token_context(pool_id: &str) -> String {
    format!("list-users:{pool_id}")
}

fn username_taken() -> AuthError {
    AuthError::UsernameExists("User account already exists".into())
}

/// Which mediums an invitation goes by. Explicit mediums must each have their
/// attribute; by default SMS, or e-mail for a user without a phone number, or nothing
/// for a user with neither (the administrator hands the password over).
pub fn invitation_mediums(
    user: &User,
    desired: &[Medium],
    action: Option<MessageAction>,
) -> Result<Vec<Medium>, AuthError> {
    if action == Some(MessageAction::Suppress) {
        return Ok(Vec::new());
    }
    if desired.is_empty() {
        return Ok([Medium::Sms, Medium::Email]
            .into_iter()
            .find(|m| user.attr(m.attribute()).is_some())
            .into_iter()
            .collect());
    }
    let mut out: Vec<Medium> = Vec::new();
    for &medium in desired {
        if user.attr(medium.attribute()).is_none() {
            return Err(AuthError::InvalidParameter(format!(
                "Cannot send the invitation by {}: the user has no {} attribute.",
                medium.as_str(),
                medium.attribute()
            )));
        }
        if !out.contains(&medium) {
            out.push(medium);
        }
    }
    Ok(out)
}

/// The page size for a `Limit`: absent or 0 means the maximum, 60.
pub fn list_limit(limit: Option<i64>) -> Result<u32, AuthError> {
    match limit {
        None | Some(0) => Ok(MAX_LIST_USERS_LIMIT as u32),
        Some(n) if (1..=MAX_LIST_USERS_LIMIT).contains(&n) => Ok(n as u32),
        Some(n) => Err(AuthError::InvalidParameter(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value between 0 and {MAX_LIST_USERS_LIMIT}"
        ))),
    }
}

/// Parses a ListUsers `Filter`: `attr = "value"` (exact) or `attr ^= "value"`
/// (prefix), spaces around the operator optional, `\"` and `\\` escaped inside the
/// quotes. An empty filter is no filter.
pub fn parse_user_filter(filter: &str) -> Result<Option<UserFilter>, AuthError> {
    let text = filter.trim();
    if text.is_empty() {
        return Ok(None);
    }
    // Cognito's wording (spec/cognito-messages.md §2).
    let malformed = || AuthError::InvalidParameter("Error while parsing filter.".into());
    let name_end = text
        .find(|c: char| c.is_whitespace() || c == '=' || c == '^')
        .ok_or_else(malformed)?;
    let (attribute, rest) = text.split_at(name_end);
    if attribute.is_empty() {
        return Err(malformed());
    }
    let rest = rest.trim_start();
    let (prefix, rest) = if let Some(r) = rest.strip_prefix("^=") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (false, r)
    } else {
        return Err(malformed());
    };
    let mut chars = rest
        .trim_start()
        .strip_prefix('"')
        .ok_or_else(malformed)?
        .chars();
    let mut value = String::new();
    let mut closed = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                closed = true;
                break;
            }
            '\\' => match chars.next() {
                Some(e @ ('"' | '\\')) => value.push(e),
                Some(other) => {
                    value.push('\\');
                    value.push(other);
                }
                None => return Err(malformed()),
            },
            c => value.push(c),
        }
    }
    if !closed || !chars.as_str().trim().is_empty() {
        return Err(malformed());
    }
    if !SEARCHABLE_ATTRIBUTES.contains(&attribute) {
        return Err(AuthError::InvalidParameter(format!(
            "Invalid search attribute: {}",
            attribute.chars().take(64).collect::<String>()
        )));
    }
    Ok(Some(UserFilter {
        attribute: attribute.to_string(),
        prefix,
        value,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(attribute: &str, prefix: bool, value: &str) -> Option<UserFilter> {
        Some(UserFilter {
            attribute: attribute.into(),
            prefix,
            value: value.into(),
        })
    }

    #[test]
    fn filter_grammar() {
        assert_eq!(
            parse_user_filter("email = \"a@x.com\"").unwrap(),
            f("email", false, "a@x.com")
        );
        assert_eq!(
            parse_user_filter("email=\"a@x.com\"").unwrap(),
            f("email", false, "a@x.com")
        );
        assert_eq!(
            parse_user_filter("  name ^= \"Ja\"  ").unwrap(),
            f("name", true, "Ja")
        );
        assert_eq!(
            parse_user_filter("name^=\"Ja\"").unwrap(),
            f("name", true, "Ja")
        );
        assert_eq!(
            parse_user_filter(r#"name = "say \"hi\" \\ now""#).unwrap(),
            f("name", false, r#"say "hi" \ now"#)
        );
        assert_eq!(
            parse_user_filter("cognito:user_status = \"UNCONFIRMED\"").unwrap(),
            f("cognito:user_status", false, "UNCONFIRMED")
        );
        assert_eq!(
            parse_user_filter("status = \"Disabled\"").unwrap(),
            f("status", false, "Disabled")
        );
        assert_eq!(
            parse_user_filter("name = \"\"").unwrap(),
            f("name", false, "")
        );
        assert_eq!(parse_user_filter("").unwrap(), None);
        assert_eq!(parse_user_filter("   ").unwrap(), None);
    }

    #[test]
    fn bad_filters_are_invalid_parameter() {
        for bad in [
            "email",
            "email =",
            "email = a@x.com",
            "email = \"a@x.com",
            "email = \"a\" extra",
            "email == \"a\"",
            "email ~ \"a\"",
            "= \"a\"",
            "email = \"a\\",
            "custom:tier = \"gold\"",
            "locale = \"en\"",
        ] {
            assert!(
                matches!(parse_user_filter(bad), Err(AuthError::InvalidParameter(_))),
                "{bad}"
            );
        }
        let Err(AuthError::InvalidParameter(msg)) = parse_user_filter("locale = \"en\"") else {
            panic!("expected an error");
        };
        assert_eq!(msg, "Invalid search attribute: locale");
        let Err(AuthError::InvalidParameter(msg)) = parse_user_filter("email == \"a\"") else {
            panic!("expected an error");
        };
        assert_eq!(msg, "Error while parsing filter.");
    }

    #[test]
    fn invitation_mediums_default_to_sms_then_email() {
        let mut user = User {
            pool_id: "us-east-1_test12345".into(),
            username: "jane".into(),
            username_key: "jane".into(),
            sub: "s".into(),
            attributes: Default::default(),
            status: UserStatus::ForceChangePassword,
            enabled: true,
            created_at: Millis(0),
            modified_at: Millis(0),
            password: None,
            password_set_at: None,
            mfa: Default::default(),
            tokens_valid_after: None,
            pending_attributes: Default::default(),
            password_history: Vec::new(),
            version: 0,
        };
        assert_eq!(invitation_mediums(&user, &[], None).unwrap(), vec![]);
        assert!(invitation_mediums(&user, &[Medium::Email], None).is_err());
        user.attributes.insert("email".into(), "a@x.com".into());
        assert_eq!(
            invitation_mediums(&user, &[], None).unwrap(),
            vec![Medium::Email]
        );
        user.attributes
            .insert("phone_number".into(), "+15555550100".into());
        assert_eq!(
            invitation_mediums(&user, &[], None).unwrap(),
            vec![Medium::Sms]
        );
        assert_eq!(
            invitation_mediums(&user, &[Medium::Email, Medium::Sms, Medium::Email], None).unwrap(),
            vec![Medium::Email, Medium::Sms]
        );
        assert_eq!(
            invitation_mediums(&user, &[Medium::Email], Some(MessageAction::Suppress)).unwrap(),
            vec![]
        );
    }

    #[test]
    fn limits() {
        assert_eq!(list_limit(None).unwrap(), 60);
        assert_eq!(list_limit(Some(0)).unwrap(), 60);
        assert_eq!(list_limit(Some(1)).unwrap(), 1);
        assert_eq!(list_limit(Some(60)).unwrap(), 60);
        assert!(list_limit(Some(61)).is_err());
        assert!(list_limit(Some(-1)).is_err());
    }
}
