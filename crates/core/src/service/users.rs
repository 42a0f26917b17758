//! Users as the services see them: finding one by any name it answers to, saving it
//! with its alias claims, building new ones, the rules for writing attributes, and the
//! view the server renders.

use crate::app_client::AppClient;
use crate::attributes::{check_attribute, looks_like_email, looks_like_phone, Attributes};
use crate::error::{AuthError, StoreError};
use crate::message::Medium;
use crate::pool::{AliasKind, UserPool};
use crate::user::{alias_key, MfaFactor, MfaSettings, User, UserStatus};
use crate::Millis;

use super::Keystep;

/// The error for a user that does not exist.
pub fn user_not_found() -> AuthError {
    AuthError::UserNotFound("User does not exist.".into())
}

/// The error for an alias that another user holds.
pub fn alias_exists(kind: AliasKind) -> AuthError {
    AuthError::AliasExists(format!(
        "An account with the {} already exists.",
        kind.attribute()
    ))
}

/// The alias named by a store conflict (`alias:<kind>`).
fn conflicting_alias(what: &str) -> Option<AliasKind> {
    what.strip_prefix("alias:")
        .and_then(AliasKind::from_attribute)
}

/// How many times a write is retried when another request changed the same user.
const SAVE_ATTEMPTS: usize = 3;

/// How many rounds [`Keystep::modify_user`] competes for a busy user.
const MODIFY_ATTEMPTS: usize = 32;

impl Keystep {
    /// Finds the user `name` refers to: by username, then by the aliases the pool allows
    /// (`email`, `phone_number`, `preferred_username`), then by `sub`.
    pub async fn find_user(&self, pool: &UserPool, name: &str) -> Result<Option<User>, AuthError> {
        if name.is_empty() {
            return Ok(None);
        }
        if let Some(user) = self
            .store
            .get_user(&pool.id, &pool.username_key(name))
            .await?
        {
            return Ok(Some(user));
        }
        let ids = &pool.settings.identifiers;
        for kind in [
            AliasKind::Email,
            AliasKind::PhoneNumber,
            AliasKind::PreferredUsername,
        ] {
            let allowed =
                ids.username_attributes.contains(&kind) || ids.alias_attributes.contains(&kind);
            // Skip lookups that cannot match: an e-mail alias always has an `@`.
            let plausible = match kind {
                AliasKind::Email => looks_like_email(name),
                AliasKind::PhoneNumber => looks_like_phone(name),
                AliasKind::PreferredUsername => true,
            };
            if !allowed || !plausible {
                continue;
            }
            let key = alias_key(pool, kind, name);
            if let Some(user) = self.store.get_user_by_alias(&pool.id, kind, &key).await? {
                return Ok(Some(user));
            }
        }
        if looks_like_uuid(name) {
            return Ok(self
                .store
                .get_user_by_sub(&pool.id, &name.to_ascii_lowercase())
                .await?);
        }
        Ok(None)
    }

    /// [`Keystep::find_user`], answering `UserNotFound` "User does not exist." when no
    /// user matches.
    pub async fn require_user(&self, pool: &UserPool, name: &str) -> Result<User, AuthError> {
        self.find_user(pool, name).await?.ok_or_else(user_not_found)
    }

    /// Writes `user` with the aliases it claims, if nobody changed it since it was read.
    /// An alias held by another user is `AliasExists`; a lost race is the retry-able
    /// `ConcurrentModification`. The caller sets `modified_at`. On success the local
    /// copy's version follows the store's.
    pub async fn save_user(&self, pool: &UserPool, user: &mut User) -> Result<(), AuthError> {
        self.save_user_over(pool, user, None).await
    }

    /// [`Keystep::save_user`], given the aliases the user claimed as it was read (and as
    /// they are stored with its version): when the change leaves them as they were, the
    /// write is the user's row alone.
    pub(crate) async fn save_user_over(
        &self,
        pool: &UserPool,
        user: &mut User,
        claimed: Option<&[(AliasKind, String)]>,
    ) -> Result<(), AuthError> {
        let claims = user.alias_claims(pool);
        let written = if claimed == Some(claims.as_slice()) {
            self.store.update_user_keeping_aliases(user).await
        } else {
            self.store.update_user(user, &claims).await
        };
        match written {
            Ok(()) => {
                user.version += 1;
                Ok(())
            }
            Err(StoreError::Conflict(what)) => match conflicting_alias(&what) {
                Some(kind) => Err(alias_exists(kind)),
                None => Err(AuthError::internal(format!(
                    "update_user conflict on {what}"
                ))),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// Reads the user `sub`, lets `change` edit it and writes it back, re-reading and
    /// re-applying when another request changed the user in between. `Ok(None)` when the
    /// user is gone; an error from `change` is returned as is and nothing is written.
    pub async fn modify_user<F>(
        &self,
        pool: &UserPool,
        sub: &str,
        mut change: F,
    ) -> Result<Option<User>, AuthError>
    where
        F: FnMut(&mut User) -> Result<(), AuthError>,
    {
        // Each round one of the competing writers wins, so N writers need at most N
        // rounds. Failure counts (lockout) go through here and must not be lost to a
        // burst of parallel guesses.
        for _ in 0..MODIFY_ATTEMPTS {
            let Some(mut user) = self.store.get_user_by_sub(&pool.id, sub).await? else {
                return Ok(None);
            };
            let claimed = user.alias_claims(pool);
            change(&mut user)?;
            user.modified_at = self.clock.now();
            match self.save_user_over(pool, &mut user, Some(&claimed)).await {
                Err(AuthError::ConcurrentModification(_)) => continue,
                Err(e) => return Err(e),
                Ok(()) => return Ok(Some(user)),
            }
        }
        Err(StoreError::Stale.into())
    }

    /// Inserts a new user with its aliases. A taken username is `UsernameExists` with
    /// `taken_message` (SignUp and AdminCreateUser word it differently); a taken e-mail or
    /// phone that *is* the username (username-attribute pools) is `UsernameExists` too;
    /// any other alias is `AliasExists`.
    pub(crate) async fn insert_new_user(
        &self,
        pool: &UserPool,
        user: &User,
        taken_message: &str,
    ) -> Result<(), AuthError> {
        let claims = user.alias_claims(pool);
        match self.store.insert_user(user, &claims).await {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict(what)) if what == "username" => {
                Err(AuthError::UsernameExists(taken_message.into()))
            }
            Err(StoreError::Conflict(what)) => match conflicting_alias(&what) {
                Some(kind)
                    if pool
                        .settings
                        .identifiers
                        .username_attributes
                        .contains(&kind) =>
                {
                    Err(AuthError::UsernameExists(format!(
                        "An account with the given {} already exists.",
                        kind.attribute()
                    )))
                }
                Some(kind) => Err(alias_exists(kind)),
                None => Err(AuthError::internal(format!(
                    "insert_user conflict on {what}"
                ))),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// Makes sure every alias `user` is about to claim is free, or, with `force`
    /// (`ForceAliasCreation`), takes it from the user holding it by marking that user's
    /// attribute unverified. Only verified e-mail/phone aliases of alias pools can move.
    pub(crate) async fn claim_aliases(
        &self,
        pool: &UserPool,
        user: &User,
        force: bool,
    ) -> Result<(), AuthError> {
        for (kind, key) in user.alias_claims(pool) {
            let Some(holder) = self.store.get_user_by_alias(&pool.id, kind, &key).await? else {
                continue;
            };
            // In username-attribute pools the value is the holder's sign-in name: it
            // never moves, and the store's uniqueness rule reports it on insert.
            if holder.sub == user.sub
                || pool
                    .settings
                    .identifiers
                    .username_attributes
                    .contains(&kind)
            {
                continue;
            }
            let movable = kind != AliasKind::PreferredUsername;
            if !force || !movable {
                return Err(alias_exists(kind));
            }
            self.release_alias(pool, holder, kind).await?;
        }
        Ok(())
    }

    /// Marks `holder`'s e-mail or phone unverified so it stops claiming the alias,
    /// re-reading the user when another request changed it meanwhile.
    async fn release_alias(
        &self,
        pool: &UserPool,
        mut holder: User,
        kind: AliasKind,
    ) -> Result<(), AuthError> {
        for _ in 0..SAVE_ATTEMPTS {
            holder
                .attributes
                .insert(format!("{}_verified", kind.attribute()), "false".into());
            holder.modified_at = self.clock.now();
            match self.save_user(pool, &mut holder).await {
                Err(AuthError::ConcurrentModification(_)) => {
                    match self.store.get_user_by_sub(&pool.id, &holder.sub).await? {
                        Some(fresh) => holder = fresh,
                        None => return Ok(()),
                    }
                }
                other => return other,
            }
        }
        Err(StoreError::Stale.into())
    }

    /// Builds (does not store) a new user from the `Username` and attributes given at
    /// creation: checks the username's shape and the pool's username rules, writes the
    /// attributes through `writer`'s rules and, for a public sign-up, checks the
    /// required ones. In
    /// username-attribute pools the username becomes the e-mail/phone attribute and the
    /// canonical username is the new `sub`. No password yet.
    pub(crate) fn new_user(
        &self,
        pool: &UserPool,
        username: &str,
        attributes: &[(String, String)],
        writer: AttributeWriter<'_>,
        status: UserStatus,
        now: Millis,
    ) -> Result<User, AuthError> {
        check_username_shape(username)?;
        let username_attribute = username_attribute_for(pool, username)?;
        let sub = crate::ids::new_uuid(&*self.rng);
        let canonical = match username_attribute {
            Some(_) => sub.clone(),
            None => username.to_string(),
        };
        let mut user = User {
            pool_id: pool.id.clone(),
            username_key: pool.username_key(&canonical),
            username: canonical,
            sub,
            attributes: Attributes::new(),
            status,
            enabled: true,
            created_at: now,
            modified_at: now,
            password: None,
            password_set_at: None,
            mfa: MfaSettings::default(),
            tokens_valid_after: None,
            pending_attributes: Default::default(),
            password_history: Vec::new(),
            version: 0,
        };
        apply_attribute_updates(pool, &mut user, attributes, writer)?;
        if let Some(kind) = username_attribute {
            let name = kind.attribute();
            if user.attributes.get(name).is_some_and(|v| v != username) {
                return Err(AuthError::InvalidParameter(format!(
                    "The {name} attribute must match the username."
                )));
            }
            user.attributes.insert(name.into(), username.into());
            user.attributes
                .entry(format!("{name}_verified"))
                .or_insert_with(|| "false".into());
        }
        // An administrator may leave required attributes out: the user supplies them
        // when answering NEW_PASSWORD_REQUIRED (AdminCreateUser's UserAttributes doc).
        if matches!(writer, AttributeWriter::Client(_)) {
            check_required(pool, &user.attributes)?;
        }
        Ok(user)
    }

    /// Checks a `SecretHash` against every name the client may have hashed: what was
    /// typed and, when the user is known, the canonical username, the `sub` and the
    /// aliases (§4.5).
    pub(crate) fn check_user_secret_hash(
        &self,
        client: &AppClient,
        presented: Option<&str>,
        typed: &str,
        user: Option<&User>,
    ) -> Result<(), AuthError> {
        let mut names = vec![typed];
        if let Some(u) = user {
            names.push(&u.username);
            names.push(&u.sub);
            for attr in ["email", "phone_number", "preferred_username"] {
                if let Some(v) = u.attributes.get(attr) {
                    names.push(v);
                }
            }
        }
        self.check_secret_hash(client, presented, &names)
    }
}

/// Whether `s` has the shape of a `sub` (a hyphenated UUID).
fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Checks a `Username` against Cognito's shape: 1 to 128 characters, no whitespace or
/// control characters (`[\p{L}\p{M}\p{S}\p{N}\p{P}]+`).
pub fn check_username_shape(username: &str) -> Result<(), AuthError> {
    let len = username.chars().count();
    if len == 0 || len > 128 {
        return Err(AuthError::InvalidParameter(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length between 1 and 128".into(),
        ));
    }
    if username
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(AuthError::InvalidParameter(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+".into(),
        ));
    }
    Ok(())
}

/// Which attribute a new user's `Username` is, in username-attribute pools (`None`
/// elsewhere). In alias pools a username may not look like an alias it could collide
/// with, as in Cognito.
pub fn username_attribute_for(
    pool: &UserPool,
    username: &str,
) -> Result<Option<AliasKind>, AuthError> {
    let ids = &pool.settings.identifiers;
    if pool.uses_username_attributes() {
        let email = ids.username_attributes.contains(&AliasKind::Email);
        let phone = ids.username_attributes.contains(&AliasKind::PhoneNumber);
        if email && looks_like_email(username) {
            return Ok(Some(AliasKind::Email));
        }
        if phone && looks_like_phone(username) {
            return Ok(Some(AliasKind::PhoneNumber));
        }
        let msg = match (email, phone) {
            (true, true) => "Username should be either an email or a phone number.",
            (true, false) => "Username should be an email.",
            _ => "Username should be a phone number.",
        };
        return Err(AuthError::InvalidParameter(msg.into()));
    }
    if ids.alias_attributes.contains(&AliasKind::Email) && looks_like_email(username) {
        return Err(AuthError::InvalidParameter(
            "Username cannot be of email format, since user pool is configured for email alias."
                .into(),
        ));
    }
    if ids.alias_attributes.contains(&AliasKind::PhoneNumber) && looks_like_phone(username) {
        return Err(AuthError::InvalidParameter(
            "Username cannot be of phone number format, since user pool is configured for phone_number alias."
                .into(),
        ));
    }
    Ok(None)
}

/// Checks that every required schema attribute (other than `sub`) has a value.
pub fn check_required(pool: &UserPool, attributes: &Attributes) -> Result<(), AuthError> {
    for def in &pool.settings.schema {
        if def.required
            && def.name != "sub"
            && attributes.get(&def.name).is_none_or(|v| v.is_empty())
        {
            return Err(AuthError::InvalidParameter(format!(
                "Attributes did not conform to the schema: {}: The attribute is required",
                def.name
            )));
        }
    }
    Ok(())
}

/// Who writes attributes: an administrator, or an app client on the user's behalf.
#[derive(Debug, Clone, Copy)]
pub enum AttributeWriter<'a> {
    /// Admin operations: any schema attribute, `*_verified` included.
    Admin,
    /// Public operations (SignUp, UpdateUserAttributes) through this client: its
    /// `WriteAttributes` apply; developer-only attributes and the `*_verified` flags are
    /// writable only when listed there explicitly.
    Client(&'a AppClient),
}

impl AttributeWriter<'_> {
    fn may_write(&self, pool: &UserPool, name: &str) -> Result<(), AuthError> {
        let AttributeWriter::Client(client) = self else {
            return Ok(());
        };
        let listed = client.settings.write_attributes.iter().any(|a| a == name);
        let privileged =
            name.ends_with("_verified") || pool.attribute(name).is_some_and(|d| d.developer_only);
        let allowed = if privileged {
            listed
        } else {
            listed || client.settings.write_attributes.is_empty()
        };
        if allowed {
            Ok(())
        } else {
            Err(AuthError::NotAuthorized(format!(
                "A client attempted to write unauthorized attribute {name}"
            )))
        }
    }
}

/// What an attribute write changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeChanges {
    /// Attributes whose value was added, changed or removed.
    pub changed: Vec<String>,
    /// E-mail/phone whose value changed and which are now unverified (await a code).
    pub unverified: Vec<Medium>,
}

fn medium_of(name: &str) -> Option<Medium> {
    match name {
        "email" => Some(Medium::Email),
        "phone_number" => Some(Medium::Sms),
        _ => None,
    }
}

/// Writes `updates` into `user`'s attributes, all or nothing: each name and value must
/// fit the schema and `writer`'s rights; `sub` and set immutable attributes are refused;
/// a changed e-mail/phone becomes unverified unless the same call sets its
/// `*_verified` flag; a flag cannot be set on an absent attribute.
pub fn apply_attribute_updates(
    pool: &UserPool,
    user: &mut User,
    updates: &[(String, String)],
    writer: AttributeWriter<'_>,
) -> Result<AttributeChanges, AuthError> {
    let mut next = user.attributes.clone();
    for (i, (name, value)) in updates.iter().enumerate() {
        if updates[..i].iter().any(|(n, _)| n == name) {
            return Err(AuthError::InvalidParameter(format!(
                "Duplicate attribute name: {name}"
            )));
        }
        check_attribute(pool, name, value)?;
        writer.may_write(pool, name)?;
        let immutable = pool.attribute(name).is_some_and(|d| !d.mutable);
        if immutable && user.attributes.get(name).is_some_and(|old| old != value) {
            return Err(AuthError::InvalidParameter(format!(
                "Cannot modify the non-mutable attribute {name}"
            )));
        }
        next.insert(name.clone(), value.clone());
    }
    let mut changes = AttributeChanges::default();
    for medium in [Medium::Email, Medium::Sms] {
        let name = medium.attribute();
        let flag = format!("{name}_verified");
        let flag_given = updates.iter().any(|(n, _)| *n == flag);
        if flag_given && next.get(&flag).is_some_and(|v| v == "true") && !next.contains_key(name) {
            return Err(AuthError::InvalidParameter(format!(
                "Cannot set {flag} without a value for {name}."
            )));
        }
        if user.attributes.get(name) != next.get(name) && !flag_given {
            next.insert(flag.clone(), "false".into());
        }
        let value_changed = user.attributes.get(name) != next.get(name);
        if value_changed && next.get(&flag).is_none_or(|v| v != "true") {
            changes.unverified.push(medium);
        }
    }
    changes.changed = changed_names(&user.attributes, &next);
    user.attributes = next;
    Ok(changes)
}

/// Checks the names an update (`UpdateUserAttributes`, `AdminUpdateUserAttributes`)
/// writes, in Cognito's wording: one line per attribute that is not in the schema or
/// cannot be updated (immutable, or `sub`).
pub fn check_update_names(pool: &UserPool, updates: &[(String, String)]) -> Result<(), AuthError> {
    let mut problems = String::new();
    for (name, _) in updates {
        match pool.attribute(name) {
            None => problems.push_str(&format!(
                "user.{name}: Attribute does not exist in the schema.\n"
            )),
            Some(def) if name == "sub" || !def.mutable => {
                problems.push_str(&format!("user.{name}: Attribute cannot be updated.\n"))
            }
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AuthError::InvalidParameter(problems))
    }
}

/// Removes attributes from `user`, all or nothing: each must exist in the schema and be
/// neither `sub`, required nor immutable. Removing an e-mail/phone removes its flag.
pub fn delete_attributes(
    pool: &UserPool,
    user: &mut User,
    names: &[String],
    writer: AttributeWriter<'_>,
) -> Result<AttributeChanges, AuthError> {
    let mut next = user.attributes.clone();
    for name in names {
        let Some(def) = pool.attribute(name) else {
            return Err(AuthError::InvalidParameter(format!(
                "Invalid user attributes: user.{name}: Attribute does not exist in the schema.\n"
            )));
        };
        if name == "sub" || !def.mutable {
            return Err(AuthError::InvalidParameter(format!(
                "Cannot modify the non-mutable attribute {name}"
            )));
        }
        if def.required {
            return Err(AuthError::InvalidParameter(format!(
                "Invalid user attributes: {name}: Required attribute cannot be deleted."
            )));
        }
        writer.may_write(pool, name)?;
        next.remove(name);
        if medium_of(name).is_some() {
            next.remove(&format!("{name}_verified"));
        }
    }
    // In username-attribute pools the e-mail/phone is how the user signs in: keep one.
    let sign_in_names = |attrs: &Attributes| {
        pool.settings
            .identifiers
            .username_attributes
            .iter()
            .any(|k| attrs.contains_key(k.attribute()))
    };
    if sign_in_names(&user.attributes) && !sign_in_names(&next) {
        return Err(AuthError::InvalidParameter(
            "Cannot delete the attribute the user signs in with.".into(),
        ));
    }
    let changes = AttributeChanges {
        changed: changed_names(&user.attributes, &next),
        unverified: Vec::new(),
    };
    user.attributes = next;
    Ok(changes)
}

fn changed_names(before: &Attributes, after: &Attributes) -> Vec<String> {
    let mut names: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A user as the server shows it (`UserType`, `AdminGetUser`, `GetUser`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    /// The canonical username.
    pub username: String,
    /// The `sub`.
    pub sub: String,
    /// Name/value pairs, `sub` first, then by name.
    pub attributes: Vec<(String, String)>,
    /// `UserStatus`.
    pub status: UserStatus,
    /// `Enabled`.
    pub enabled: bool,
    /// `UserCreateDate`.
    pub created_at: Millis,
    /// `UserLastModifiedDate`.
    pub modified_at: Millis,
    /// `UserMFASettingList`.
    pub mfa_enabled: Vec<MfaFactor>,
    /// `PreferredMfaSetting`.
    pub preferred_mfa: Option<MfaFactor>,
}

/// Builds the view of `user`. With `attributes_to_get`, only the attributes named there
/// are shown (`sub` included only when named; an empty list shows none).
pub fn user_view(user: &User, attributes_to_get: Option<&[String]>) -> UserView {
    let wanted = |name: &str| attributes_to_get.is_none_or(|list| list.iter().any(|a| a == name));
    let mut attributes = Vec::with_capacity(user.attributes.len() + 1);
    if wanted("sub") {
        attributes.push(("sub".to_string(), user.sub.clone()));
    }
    attributes.extend(
        user.attributes
            .iter()
            .filter(|(k, _)| wanted(k))
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    UserView {
        username: user.username.clone(),
        sub: user.sub.clone(),
        attributes,
        status: user.status,
        enabled: user.enabled,
        created_at: user.created_at,
        modified_at: user.modified_at,
        mfa_enabled: user.mfa.enabled.clone(),
        preferred_mfa: user.mfa.preferred,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::{PoolSettings, SignInIdentifiers};

    fn pool(identifiers: SignInIdentifiers) -> UserPool {
        UserPool {
            id: "us-east-1_test12345".into(),
            name: "t".into(),
            created_at: Millis(0),
            modified_at: Millis(0),
            settings: std::sync::Arc::new(PoolSettings {
                identifiers,
                ..Default::default()
            }),
        }
    }

    fn user() -> User {
        User {
            pool_id: "us-east-1_test12345".into(),
            username: "jane".into(),
            username_key: "jane".into(),
            sub: "0b0c6a7e-0000-4000-8000-000000000001".into(),
            attributes: Attributes::new(),
            status: UserStatus::Confirmed,
            enabled: true,
            created_at: Millis(0),
            modified_at: Millis(0),
            password: None,
            password_set_at: None,
            mfa: MfaSettings::default(),
            tokens_valid_after: None,
            pending_attributes: Default::default(),
            password_history: Vec::new(),
            version: 0,
        }
    }

    fn set(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn changing_email_unverifies_it_unless_the_call_verifies() {
        let p = pool(SignInIdentifiers::default());
        let mut u = user();
        u.attributes.insert("email".into(), "a@x.com".into());
        u.attributes.insert("email_verified".into(), "true".into());
        let c = apply_attribute_updates(
            &p,
            &mut u,
            &set(&[("email", "b@x.com")]),
            AttributeWriter::Admin,
        )
        .unwrap();
        assert_eq!(u.attributes["email_verified"], "false");
        assert_eq!(c.unverified, vec![Medium::Email]);
        assert_eq!(
            c.changed,
            vec!["email".to_string(), "email_verified".to_string()]
        );

        let c = apply_attribute_updates(
            &p,
            &mut u,
            &set(&[("email", "c@x.com"), ("email_verified", "true")]),
            AttributeWriter::Admin,
        )
        .unwrap();
        assert_eq!(u.attributes["email_verified"], "true");
        assert!(c.unverified.is_empty());

        // Writing the same value again changes nothing.
        let c = apply_attribute_updates(
            &p,
            &mut u,
            &set(&[("email", "c@x.com")]),
            AttributeWriter::Admin,
        )
        .unwrap();
        assert_eq!(u.attributes["email_verified"], "true");
        assert!(c.changed.is_empty());
    }

    #[test]
    fn bad_updates_change_nothing() {
        let p = pool(SignInIdentifiers::default());
        let mut u = user();
        let before = u.attributes.clone();
        for bad in [
            set(&[("name", "J"), ("sub", "x")]),
            set(&[("name", "J"), ("nope", "x")]),
            set(&[("name", "J"), ("email", "not-an-email")]),
            set(&[("name", "J"), ("name", "K")]),
            set(&[("email_verified", "true")]),
        ] {
            assert!(matches!(
                apply_attribute_updates(&p, &mut u, &bad, AttributeWriter::Admin),
                Err(AuthError::InvalidParameter(_))
            ));
            assert_eq!(u.attributes, before);
        }
    }

    #[test]
    fn clients_cannot_verify_themselves() {
        let p = pool(SignInIdentifiers::default());
        let client = AppClient {
            pool_id: p.id.clone(),
            client_id: "c".into(),
            name: "c".into(),
            secret: None,
            created_at: Millis(0),
            modified_at: Millis(0),
            settings: Default::default(),
            secret_rotation: Default::default(),
        };
        let mut u = user();
        let r = apply_attribute_updates(
            &p,
            &mut u,
            &set(&[("email", "a@x.com"), ("email_verified", "true")]),
            AttributeWriter::Client(&client),
        );
        assert!(matches!(r, Err(AuthError::NotAuthorized(_))));
        assert!(u.attributes.is_empty());
        apply_attribute_updates(
            &p,
            &mut u,
            &set(&[("email", "a@x.com")]),
            AttributeWriter::Client(&client),
        )
        .unwrap();
        assert_eq!(u.attributes["email_verified"], "false");
    }

    #[test]
    fn deleting_refuses_required_and_sub_and_takes_the_flag_along() {
        let mut p = pool(SignInIdentifiers::default());
        if let Some(a) = std::sync::Arc::make_mut(&mut p.settings)
            .schema
            .iter_mut()
            .find(|a| a.name == "name")
        {
            a.required = true;
        }
        let mut u = user();
        u.attributes.insert("email".into(), "a@x.com".into());
        u.attributes.insert("email_verified".into(), "true".into());
        u.attributes.insert("name".into(), "Jane".into());
        for bad in ["sub", "name", "nope"] {
            assert!(
                delete_attributes(&p, &mut u, &[bad.to_string()], AttributeWriter::Admin).is_err()
            );
        }
        delete_attributes(&p, &mut u, &["email".to_string()], AttributeWriter::Admin).unwrap();
        assert!(!u.attributes.contains_key("email"));
        assert!(!u.attributes.contains_key("email_verified"));
    }

    #[test]
    fn the_sign_in_attribute_cannot_be_deleted() {
        let p = pool(SignInIdentifiers {
            username_attributes: vec![AliasKind::Email, AliasKind::PhoneNumber],
            ..Default::default()
        });
        let mut u = user();
        u.attributes.insert("email".into(), "a@x.com".into());
        u.attributes
            .insert("phone_number".into(), "+15555550100".into());
        delete_attributes(&p, &mut u, &["phone_number".into()], AttributeWriter::Admin).unwrap();
        assert!(delete_attributes(&p, &mut u, &["email".into()], AttributeWriter::Admin).is_err());
        assert_eq!(u.attr("email"), Some("a@x.com"));
    }

    #[test]
    fn username_rules_follow_the_pool() {
        let attr_pool = pool(SignInIdentifiers {
            username_attributes: vec![AliasKind::Email],
            ..Default::default()
        });
        assert_eq!(
            username_attribute_for(&attr_pool, "a@x.com").unwrap(),
            Some(AliasKind::Email)
        );
        assert!(username_attribute_for(&attr_pool, "jane").is_err());
        assert!(username_attribute_for(&attr_pool, "+15555550100").is_err());

        let alias_pool = pool(SignInIdentifiers {
            alias_attributes: vec![AliasKind::Email],
            ..Default::default()
        });
        assert_eq!(
            username_attribute_for(&alias_pool, "a@x.com"),
            Err(AuthError::InvalidParameter(
                "Username cannot be of email format, since user pool is configured for email alias."
                    .into()
            ))
        );
        assert_eq!(username_attribute_for(&alias_pool, "jane").unwrap(), None);
        assert_eq!(
            username_attribute_for(&alias_pool, "+15555550100").unwrap(),
            None
        );

        assert!(check_username_shape("jane doe").is_err());
        assert!(check_username_shape("").is_err());
        assert!(check_username_shape(&"a".repeat(129)).is_err());
        assert!(check_username_shape("jane.doe+1@x").is_ok());
    }

    #[test]
    fn view_puts_sub_first_and_filters() {
        let mut u = user();
        u.attributes.insert("email".into(), "a@x.com".into());
        u.attributes.insert("name".into(), "Jane".into());
        let v = user_view(&u, None);
        assert_eq!(v.attributes[0].0, "sub");
        assert_eq!(v.attributes.len(), 3);
        let only = ["email".to_string()];
        let v = user_view(&u, Some(&only));
        assert_eq!(v.attributes, vec![("email".into(), "a@x.com".into())]);
    }

    #[test]
    fn uuid_shape() {
        assert!(looks_like_uuid("0b0c6a7e-0000-4000-8000-000000000001"));
        assert!(!looks_like_uuid("jane"));
        assert!(!looks_like_uuid("0b0c6a7e-0000-4000-8000-00000000000g"));
    }
}
