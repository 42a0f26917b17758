//! PKCE (RFC 7636), `S256` only: Cognito refuses `plain`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Whether `challenge` can be an `S256` challenge: the base64url (unpadded) of 32 bytes.
pub fn is_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && URL_SAFE_NO_PAD
            .decode(challenge)
            .is_ok_and(|bytes| bytes.len() == 32)
}

/// Whether `verifier` is a well-formed verifier (43–128 unreserved characters) whose
/// `S256` transform is `challenge`, compared in constant time.
pub fn verifies(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !well_formed {
        return false;
    }
    let computed = URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        verifier.as_bytes(),
    ));
    aws_lc_rs::constant_time::verify_slices_are_equal(computed.as_bytes(), challenge.as_bytes())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn the_rfc_example_verifies() {
        assert!(is_challenge(CHALLENGE));
        assert!(verifies(VERIFIER, CHALLENGE));
    }

    #[test]
    fn other_verifiers_and_plain_do_not() {
        assert!(!verifies(&VERIFIER.replace('d', "e"), CHALLENGE));
        // `plain`: the verifier sent as its own challenge.
        assert!(!verifies(VERIFIER, VERIFIER));
        assert!(!is_challenge("too-short"));
        assert!(!is_challenge(&format!("{CHALLENGE}A")));
        assert!(!verifies("short", CHALLENGE));
        assert!(!verifies(&format!("{VERIFIER}!"), CHALLENGE));
    }
}
