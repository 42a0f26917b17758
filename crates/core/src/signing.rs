//! RS256 signing keys for ID and access tokens, and their JWKS form.
