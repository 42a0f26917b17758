//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`), verification and signing.
//!
//! Pure: the request, the current time and a credentials lookup go in, a verdict comes
//! out. No I/O, no clock, no HTTP types, so every failure mode is unit-tested with fixed
//! instants. The server verifies admin operations with it; the testkit signs with it.
//!
//! The canonical request is rebuilt exactly as the AWS SDKs build it: method, URI-encoded
//! path, sorted query, the *signed* headers only (lowercased names, trimmed values with
//! inner whitespace collapsed, `Host` as received), the signed header list, and the hex
//! SHA-256 of the body.

use aws_lc_rs::{digest, hmac};

/// The only algorithm SigV4 defines for HMAC-SHA256.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The service name Cognito user-pool requests are signed for.
pub const SERVICE: &str = "cognito-idp";
/// How far `X-Amz-Date` may be from the server's clock, either way (AWS allows 15 min).
pub const MAX_SKEW_SECS: i64 = 15 * 60;

/// The parts of an HTTP request that SigV4 covers.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The path as received (still percent-encoded), e.g. `/`.
    pub path: &'a str,
    /// The raw query string without `?` (empty when there is none).
    pub query: &'a str,
    /// Every header as `(name, value)`; names in any case, repeated names allowed.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes.
    pub body: &'a [u8],
}

/// Who signed a request that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key id from the credential scope.
    pub access_key_id: String,
    /// The region from the credential scope (any region is accepted).
    pub region: String,
}

/// Why a request is not authenticated. The server maps each to its wire error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigV4Error {
    /// No `Authorization` header at all.
    #[error("Missing Authentication Token")]
    Missing,
    /// The header is there but incomplete or malformed; the text says what is wrong.
    #[error("{0}")]
    Malformed(String),
    /// The access key id is not one of ours.
    #[error("The security token included in the request is invalid.")]
    UnknownKey,
    /// `X-Amz-Date` is too far from now, or the scope is wrong; the text says which.
    #[error("{0}")]
    Invalid(String),
    /// The signature does not match.
    #[error("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")]
    Mismatch,
}

/// The headers a signer adds to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders {
    /// The `X-Amz-Date` value.
    pub x_amz_date: String,
    /// The `Authorization` value.
    pub authorization: String,
}

/// The parsed `Authorization` header.
struct AuthHeader<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

/// Verifies a SigV4-signed request at `now_secs` (Unix seconds). `secret_for` returns
/// the secret access key of an access key id, or `None` for an unknown one.
pub fn verify(
    req: &Request<'_>,
    now_secs: i64,
    secret_for: impl Fn(&str) -> Option<String>,
) -> Result<Verified, SigV4Error> {
    let authorization = header(req.headers, "authorization").ok_or(SigV4Error::Missing)?;
    let auth = parse_authorization(&authorization)?;
    let secret = secret_for(auth.access_key_id).ok_or(SigV4Error::UnknownKey)?;

    let amz_date = header(req.headers, "x-amz-date").ok_or_else(|| {
        SigV4Error::Malformed(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                .into(),
        )
    })?;
    let signed_at = parse_amz_date(amz_date.trim())
        .ok_or_else(|| SigV4Error::Malformed(format!("Invalid X-Amz-Date: {amz_date}")))?;
    if (now_secs - signed_at).abs() > MAX_SKEW_SECS {
        return Err(SigV4Error::Invalid(skew_message(
            amz_date.trim(),
            now_secs,
            signed_at,
        )));
    }
    if !amz_date.trim().starts_with(auth.date) || auth.date.len() != 8 {
        return Err(SigV4Error::Invalid(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}'",
            auth.date,
            amz_date.trim().get(..8).unwrap_or(""),
        )));
    }
    if auth.service != SERVICE {
        return Err(SigV4Error::Invalid(format!(
            "Credential should be scoped to correct service: '{SERVICE}'."
        )));
    }
    // What a captured signature could otherwise be replayed with: another host, another
    // time, another operation. Every AWS SDK signs all three.
    for (name, shown) in [("host", "Host"), ("x-amz-date", "X-Amz-Date")] {
        if !auth.signed_headers.contains(&name) {
            return Err(SigV4Error::Malformed(format!(
                "'{shown}' must be a signed header."
            )));
        }
    }
    if header(req.headers, "x-amz-target").is_some()
        && !auth.signed_headers.contains(&"x-amz-target")
    {
        return Err(SigV4Error::Malformed(
            "'X-Amz-Target' must be a signed header.".to_string(),
        ));
    }

    let canonical = canonical_request(req, &auth.signed_headers)?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let expected = signature(
        &secret,
        amz_date.trim(),
        &scope,
        auth.date,
        auth.region,
        &canonical,
    );
    // Compare as lowercase hex of equal length, in constant time.
    let given = auth.signature.to_ascii_lowercase();
    if aws_lc_rs::constant_time::verify_slices_are_equal(expected.as_bytes(), given.as_bytes())
        .is_err()
    {
        return Err(SigV4Error::Mismatch);
    }
    Ok(Verified {
        access_key_id: auth.access_key_id.to_string(),
        region: auth.region.to_string(),
    })
}

/// Signs `req` at `now_secs` for `region` with the given credentials: every header of
/// `req` is signed (it must include `host`), plus `x-amz-date`.
pub fn sign(
    req: &Request<'_>,
    now_secs: i64,
    access_key_id: &str,
    secret_access_key: &str,
    region: &str,
) -> SignatureHeaders {
    let amz_date = format_amz_date(now_secs);
    let date = &amz_date[..8];
    let mut headers: Vec<(&str, &str)> = req.headers.to_vec();
    headers.push(("x-amz-date", &amz_date));
    let mut names: Vec<String> = headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let with_date = Request {
        headers: &headers,
        ..*req
    };
    // Every name comes from `headers`, so building the canonical request cannot fail.
    let canonical = canonical_request(&with_date, &names).unwrap_or_default();
    let scope = format!("{date}/{region}/{SERVICE}/aws4_request");
    let sig = signature(
        secret_access_key,
        &amz_date,
        &scope,
        date,
        region,
        &canonical,
    );
    SignatureHeaders {
        authorization: format!(
            "{ALGORITHM} Credential={access_key_id}/{scope}, SignedHeaders={}, Signature={sig}",
            names.join(";")
        ),
        x_amz_date: amz_date,
    }
}

fn parse_authorization(value: &str) -> Result<AuthHeader<'_>, SigV4Error> {
    let value = value.trim();
    let (algorithm, rest) = value.split_once(' ').unwrap_or((value, ""));
    if algorithm != ALGORITHM {
        return Err(SigV4Error::Malformed(format!(
            "Unsupported Authorization Type: {algorithm}"
        )));
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v.trim()),
            Some(("SignedHeaders", v)) => signed = Some(v.trim()),
            Some(("Signature", v)) => signature = Some(v.trim()),
            _ => {}
        }
    }
    let missing = |what: &str| {
        SigV4Error::Malformed(format!(
            "Authorization header requires '{what}' parameter. Authorization={value}"
        ))
    };
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
        return Err(SigV4Error::Malformed(format!(
            "Credential should be scoped to a valid region, service and terminate with 'aws4_request': {credential}"
        )));
    };
    if access_key_id.is_empty() {
        return Err(missing("Credential"));
    }
    Ok(AuthHeader {
        access_key_id,
        date,
        region,
        service,
        signed_headers: signed.split(';').filter(|s| !s.is_empty()).collect(),
        signature,
    })
}

/// The canonical request over `signed` (lowercase names) headers.
fn canonical_request(req: &Request<'_>, signed: &[&str]) -> Result<String, SigV4Error> {
    let mut out = String::with_capacity(256);
    out.push_str(req.method);
    out.push('\n');
    out.push_str(&canonical_path(req.path));
    out.push('\n');
    out.push_str(&canonical_query(req.query));
    out.push('\n');
    for name in signed {
        let value = header(req.headers, name).ok_or_else(|| {
            SigV4Error::Malformed(format!(
                "Signed header '{name}' is missing from the request."
            ))
        })?;
        out.push_str(&name.to_ascii_lowercase());
        out.push(':');
        out.push_str(&collapse_whitespace(&value));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed.join(";"));
    out.push('\n');
    out.push_str(&hex::encode(digest::digest(&digest::SHA256, req.body)));
    Ok(out)
}

fn signature(
    secret: &str,
    amz_date: &str,
    scope: &str,
    date: &str,
    region: &str,
    canonical: &str,
) -> String {
    let hashed = hex::encode(digest::digest(&digest::SHA256, canonical.as_bytes()));
    let string_to_sign = format!("{ALGORITHM}\n{amz_date}\n{scope}\n{hashed}");
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in [date, region, SERVICE, "aws4_request"] {
        key = hmac_sha256(&key, part.as_bytes());
    }
    hex::encode(hmac_sha256(&key, string_to_sign.as_bytes()))
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
        .as_ref()
        .to_vec()
}

/// All values of a header (case-insensitive name), joined with `,` as SigV4 wants.
fn header(headers: &[(&str, &str)], name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Percent-encodes everything but RFC 3986 unreserved characters (and `/` in paths).
fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex_pair = bytes.get(i + 1..i + 3).and_then(|h| {
            std::str::from_utf8(h)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        });
        match (bytes[i], hex_pair) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The SDKs (botocore, the JS and Rust SDKs) encode the already-encoded path once more
/// for every service but S3.
fn canonical_path(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    uri_encode(path, true)
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                uri_encode(&percent_decode(k), false),
                uri_encode(&percent_decode(v), false),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Parses `YYYYMMDDTHHMMSSZ` into Unix seconds.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc().timestamp())
}

/// Formats Unix seconds as `YYYYMMDDTHHMMSSZ`.
pub fn format_amz_date(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn skew_message(given: &str, now: i64, signed_at: i64) -> String {
    if signed_at < now {
        format!(
            "Signature expired: {given} is now earlier than {} ({} - 15 min.)",
            format_amz_date(now - MAX_SKEW_SECS),
            format_amz_date(now)
        )
    } else {
        format!(
            "Signature not yet current: {given} is still later than {} ({} + 15 min.)",
            format_amz_date(now + MAX_SKEW_SECS),
            format_amz_date(now)
        )
    }
}

#[cfg(test)]
mod tests;
