//! Redaction helpers: secrets never show up in `Debug` output.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A secret string (password, code, token, session, SRP value): serialised as a plain JSON
/// string, but `Debug` prints `Sensitive(<redacted>)`.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive(pub String);

impl Sensitive {
    /// The secret text; call only where the value is really needed.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

impl Deref for Sensitive {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for Sensitive {
    fn from(value: String) -> Self {
        Sensitive(value)
    }
}

impl From<&str> for Sensitive {
    fn from(value: &str) -> Self {
        Sensitive(value.to_owned())
    }
}

/// `Debug` view of a secret-bearing map that shows its keys and hides its values.
pub struct KeysOnly<'a>(pub &'a BTreeMap<String, String>);

impl fmt::Debug for KeysOnly<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// `KeysOnly` for an optional map, for use in hand-written `Debug` impls.
pub(crate) fn keys_only(map: &Option<BTreeMap<String, String>>) -> Option<KeysOnly<'_>> {
    map.as_ref().map(KeysOnly)
}
