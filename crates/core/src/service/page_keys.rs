//! Pagination tokens that carry a store's page key sealed: opaque to the caller, and bound
//! to the list they came from (a token of one pool's or user's list opens in no other).

use base64::Engine;

use crate::error::AuthError;

use super::Keystep;

impl Keystep {
    /// Seals the store's page key `key` for the list named by `context`.
    pub(crate) fn seal_page_key(&self, context: &str, key: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(self.keys.seal_block(context, key.as_bytes()))
    }

    /// Opens a token [`Keystep::seal_page_key`] made for `context`.
    pub(crate) fn open_page_key(&self, context: &str, token: &str) -> Result<String, AuthError> {
        let bad = || AuthError::InvalidParameter("Invalid pagination token.".into());
        let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| bad())?;
        let plain = self.keys.open_block(context, &sealed).map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }
}
