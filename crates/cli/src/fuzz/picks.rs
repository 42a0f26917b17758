//! Choosing the values a valid request is made of: ids, names, tokens and sessions of the
//! fixture, scratch names, passwords, codes and attributes.
//!
//! Operations that destroy or reconfigure mostly aim at scratch entities (the scratch
//! pool and client, `fz-N` users, `fzg-N` groups, the victim user's tokens) and now and
//! then at the fixture itself; the refresh repairs what they break.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

use super::accounts::Role;
use super::fixture::{Fixture, PoolFix, PoolKind, NEW_PASSWORD, PASSWORD};
use super::signin::{Challenge, Client, Code, Tokens, TotpSetup};

/// Scratch users per pool (`fz-0` .. `fz-11`); a refresh makes sure the first few exist.
pub const SCRATCH_USERS: u32 = 12;
/// Scratch groups per pool.
const SCRATCH_GROUPS: u32 = 6;

/// What a template is built from: the fixture, the pool it is about, and the generator.
pub struct Picks<'a> {
    /// The fixture.
    pub fx: &'a Fixture,
    /// The pool the request is about.
    pub pool: &'a PoolFix,
    /// The random source.
    pub rng: &'a mut StdRng,
}

impl<'a> Picks<'a> {
    /// Picks for a random pool of `fx`.
    pub fn new(fx: &'a Fixture, rng: &'a mut StdRng) -> Option<Picks<'a>> {
        let pool = fx.pools.choose(rng)?;
        Some(Picks { fx, pool, rng })
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// A number in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.gen_range(lo..=hi)
    }

    /// One of `items` (the default for none).
    pub fn one<T: Clone + Default>(&mut self, items: &[T]) -> T {
        items.choose(self.rng).cloned().unwrap_or_default()
    }

    /// A random subset of `items` (possibly empty), in order.
    pub fn some_of(&mut self, items: &[&str]) -> Vec<String> {
        items
            .iter()
            .filter(|_| self.rng.gen_bool(0.5))
            .map(|s| s.to_string())
            .collect()
    }

    /// The pool's id.
    pub fn pool_id(&self) -> String {
        self.pool.id.clone()
    }

    /// Any pool id: the fixture's, the scratch pool, or one that does not exist.
    pub fn any_pool_id(&mut self) -> String {
        match self.int(0, 9) {
            0..=5 => self.pool_id(),
            6..=8 => self.scratch_pool_id(),
            _ => "us-east-1_NoSuchPool".into(),
        }
    }

    /// A pool that operations changing or deleting whole pools may aim at: usually the
    /// scratch pool, sometimes a fixture pool (deletion protection is on).
    pub fn pool_to_change(&mut self, fixture_share: f64) -> String {
        if self.chance(fixture_share) {
            self.pool_id()
        } else {
            self.scratch_pool_id()
        }
    }

    /// The scratch pool's id.
    pub fn scratch_pool_id(&self) -> String {
        self.fx
            .scratch
            .as_ref()
            .map_or_else(|| self.pool_id(), |(p, _)| p.clone())
    }

    /// One of the pool's fixture clients (index and client).
    pub fn client(&mut self) -> (usize, Client) {
        let i = self.rng.gen_range(0..self.pool.clients.len().max(1));
        let c = self.pool.clients.get(i).cloned().unwrap_or(Client {
            id: "nosuchclient0000000000000".into(),
            secret: None,
        });
        (i, c)
    }

    /// A client that may be updated or deleted: usually the scratch client.
    pub fn client_to_change(&mut self, fixture_share: f64) -> String {
        match &self.pool.scratch_client {
            Some(id) if !self.chance(fixture_share) => id.clone(),
            _ => self.client().1.id,
        }
    }

    /// A user name: a fixture user's or a scratch one.
    pub fn user(&mut self) -> String {
        if self.chance(0.6) {
            self.fixture_user(|_| true)
        } else {
            self.scratch_user()
        }
    }

    /// A user that may be changed or deleted: usually a scratch one.
    pub fn user_to_change(&mut self) -> String {
        if self.chance(0.25) {
            self.fixture_user(|_| true)
        } else {
            self.scratch_user()
        }
    }

    /// A fixture user whose role passes `keep` (any fixture user if none does).
    pub fn fixture_user(&mut self, keep: impl Fn(Role) -> bool) -> String {
        let names: Vec<&str> = self
            .pool
            .users
            .iter()
            .filter(|u| keep(u.role))
            .map(|u| u.name.as_str())
            .collect();
        match names.choose(self.rng) {
            Some(n) => n.to_string(),
            None => self
                .pool
                .users
                .first()
                .map_or_else(|| "alice".into(), |u| u.name.clone()),
        }
    }

    /// A scratch user name (an e-mail address in the e-mail pool).
    pub fn scratch_user(&mut self) -> String {
        let n = self.rng.gen_range(0..SCRATCH_USERS);
        scratch_name(self.pool.kind, &self.fx.prefix, n)
    }

    /// A group: the fixture's or a scratch one.
    pub fn group(&mut self) -> String {
        if self.chance(0.5) {
            self.pool.group.clone()
        } else {
            self.scratch_group()
        }
    }

    /// A scratch group name.
    pub fn scratch_group(&mut self) -> String {
        format!("fzg-{}", self.rng.gen_range(0..SCRATCH_GROUPS))
    }

    /// A password: the fixture's, the new one, or another that meets the policy.
    pub fn password(&mut self) -> String {
        match self.int(0, 5) {
            0..=2 => PASSWORD.into(),
            3 => NEW_PASSWORD.into(),
            4 => format!("Fz-{}-Horse!9", self.int(0, 999)),
            _ => "weak".into(),
        }
    }

    /// Six digits.
    pub fn code(&mut self) -> String {
        format!("{:06}", self.int(0, 999_999))
    }

    /// Tokens of a fixture sign-in (`None` when the fixture has none).
    pub fn tokens(&mut self) -> Option<Tokens> {
        self.pool.tokens.choose(self.rng).cloned()
    }

    /// Tokens that destructive operations may use up: usually the victim's.
    pub fn tokens_to_spend(&mut self) -> Option<Tokens> {
        let victim: Vec<&Tokens> = self
            .pool
            .tokens
            .iter()
            .filter(|t| {
                self.pool
                    .users
                    .iter()
                    .any(|u| u.name == t.user && u.role == Role::Victim)
            })
            .collect();
        match victim.choose(self.rng) {
            Some(t) if self.rng.gen_bool(0.75) => Some((*t).clone()),
            _ => self.tokens(),
        }
    }

    /// An access token (or something that looks like one).
    pub fn access_token(&mut self) -> String {
        match self.tokens() {
            Some(t) if self.rng.gen_bool(0.9) => {
                if self.rng.gen_bool(0.9) {
                    t.access
                } else {
                    t.id
                }
            }
            _ => fake_jwt(self.rng),
        }
    }

    /// A waiting challenge of the pool, answered through the admin operation or not.
    pub fn challenge(&mut self, admin: bool) -> Option<Challenge> {
        let waiting: Vec<&Challenge> = self
            .pool
            .challenges
            .iter()
            .filter(|c| c.admin == admin)
            .collect();
        waiting.choose(self.rng).map(|c| (*c).clone())
    }

    /// A code the fixture asked for, for `op`.
    pub fn code_for(&mut self, op: &str) -> Option<Code> {
        let codes: Vec<&Code> = self.pool.codes.iter().filter(|c| c.op == op).collect();
        codes.choose(self.rng).map(|c| (*c).clone())
    }

    /// A TOTP secret being associated.
    pub fn totp_setup(&mut self) -> Option<TotpSetup> {
        self.pool.totp.choose(self.rng).cloned()
    }

    /// A session value: a waiting challenge's, or a made-up one.
    pub fn session(&mut self) -> String {
        let any: Vec<&Challenge> = self.pool.challenges.iter().collect();
        match any.choose(self.rng).and_then(|c| c.session.clone()) {
            Some(s) if self.rng.gen_bool(0.85) => s,
            _ => random_token(self.rng, 60),
        }
    }

    /// A `SECRET_HASH` for `client` and `username` (right when the client has a secret,
    /// sometimes wrong or present for a client without one).
    pub fn secret_hash(&mut self, client: &Client, username: &str) -> Option<String> {
        let right = client.secret_hash(username);
        match self.int(0, 19) {
            0 => Some(random_token(self.rng, 44)),
            1 => None,
            _ => right,
        }
    }

    /// `(name, value)` attributes for a user of the pool.
    pub fn attributes(&mut self) -> Vec<(String, String)> {
        let prefix = self.fx.prefix.clone();
        let n = self.int(0, 99);
        let choices = [
            ("email", format!("fz{n}@{prefix}.example")),
            ("email_verified", self.one(&["true", "false"]).to_string()),
            ("phone_number", format!("+1555555{:04}", self.int(0, 9999))),
            ("phone_number_verified", "true".to_string()),
            ("name", format!("Fuzz {n}")),
            ("given_name", "Fuzz".to_string()),
            ("preferred_username", format!("pref{n}")),
            ("locale", "en-US".to_string()),
            ("updated_at", "1700000000".to_string()),
            ("custom:tier", "gold".to_string()),
            ("sub", "not-a-changeable-attribute".to_string()),
        ];
        let count = self.int(1, 3) as usize;
        (0..count)
            .map(|_| {
                let (k, v) = self.one(&choices);
                (k.to_string(), v)
            })
            .collect()
    }

    /// An attribute name.
    pub fn attribute_name(&mut self) -> String {
        self.one(&[
            "email",
            "phone_number",
            "name",
            "custom:tier",
            "sub",
            "nickname",
        ])
        .to_string()
    }
}

/// The name of scratch user `n` in a pool of `kind`.
pub fn scratch_name(kind: PoolKind, prefix: &str, n: u32) -> String {
    match kind {
        PoolKind::Plain => format!("fz-{n}"),
        PoolKind::EmailMfa => format!("fz-{n}@{prefix}.example"),
    }
}

/// Something shaped like a JWT that no server signed.
pub fn fake_jwt(rng: &mut StdRng) -> String {
    format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.{}",
        random_token(rng, 40),
        random_token(rng, 40)
    )
}

/// `len` random URL-safe characters.
pub fn random_token(rng: &mut StdRng, len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..len)
        .map(|_| char::from(CHARS[rng.gen_range(0..CHARS.len())]))
        .collect()
}
