//! The import file, in Cognito's own CSV dialect: UTF-8 without a byte-order mark, a
//! header naming every column of [`header_for`] in any order, values never quoted, a
//! comma inside a value written `\,`, white space around values trimmed, rows of at
//! most 16,000 characters.
//!
//! A file that breaks the file rules fails the whole job ([`FileError`]); a row that
//! breaks a row rule fails alone ([`RowError`]) and the job goes on.

use std::collections::HashSet;

use crate::pool::{AliasKind, MfaConfiguration, UserPool};

/// The column holding the username (or, in username-attribute pools, the e-mail or phone).
pub const USERNAME_COLUMN: &str = "cognito:username";
/// The column saying whether the user has (SMS) MFA on.
pub const MFA_COLUMN: &str = "cognito:mfa_enabled";
/// The longest row, in characters.
pub const MAX_ROW_CHARS: usize = 16_000;

/// The standard attributes of the header, in Cognito's order (which is not the order
/// `DescribeUserPool` lists the schema in); `sub` and `identities` are not imported.
const STANDARD_COLUMNS: [&str; 19] = [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
];

/// `GetCSVHeader`: the standard attributes, the pool's custom ones in schema order, then
/// `cognito:mfa_enabled` and `cognito:username`.
pub fn header_for(pool: &UserPool) -> Vec<String> {
    let custom = pool
        .settings
        .schema
        .iter()
        .filter(|a| a.name.starts_with("custom:"))
        .map(|a| a.name.as_str());
    STANDARD_COLUMNS
        .into_iter()
        .chain(custom)
        .chain([MFA_COLUMN, USERNAME_COLUMN])
        .map(str::to_string)
        .collect()
}

/// Why a whole file cannot be imported. The texts become the job's
/// `CompletionMessage`, so each stays under Cognito's 128 characters and names no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Nothing was uploaded, or only white space.
    #[error("The CSV file is empty.")]
    Empty,
    /// The file starts with a UTF-8 byte-order mark.
    #[error("The CSV file must be UTF-8 without a byte order mark.")]
    ByteOrderMark,
    /// The header line is not UTF-8 text.
    #[error("The CSV header is not UTF-8 text.")]
    HeaderNotUtf8,
    /// A column of the pool is missing from the header.
    #[error("The CSV header lacks the column {0}.")]
    MissingColumn(String),
    /// The header names a column the pool does not have.
    #[error("The CSV header has a column the user pool does not have: {0}.")]
    UnknownColumn(String),
    /// The header names a column twice.
    #[error("The CSV header names the column {0} twice.")]
    DuplicateColumn(String),
    /// More rows than one job imports.
    #[error("The CSV file has more than {0} rows.")]
    TooManyRows(u64),
}

/// Why one row is not imported (logged as `[FAILED] Line Number N - <this>`; never a
/// value of the row).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    /// Longer than [`MAX_ROW_CHARS`].
    #[error("The row is longer than 16000 characters.")]
    TooLong,
    /// Not UTF-8 text.
    #[error("The row is not UTF-8 text.")]
    NotUtf8,
    /// Not as many values as the header has columns.
    #[error("The row has {found} values; the header has {expected} columns.")]
    FieldCount {
        /// Columns in the header.
        expected: usize,
        /// Values in the row.
        found: usize,
    },
    /// `cognito:username` is empty.
    #[error("The row has no cognito:username.")]
    NoUsername,
    /// The username holds a space or a tab.
    #[error("cognito:username cannot contain spaces or tabs.")]
    UsernameWhitespace,
    /// A Boolean column holds something other than true, false or nothing.
    #[error("{0} must be true or false.")]
    NotBoolean(String),
    /// No auto-verified attribute is marked verified (Cognito's wording).
    #[error(
        "The User Record does not set any of the auto verified attributes to true. \
         (Example: email_verified to true)."
    )]
    NoVerifiedAttribute,
    /// `cognito:mfa_enabled` contradicts the pool's MFA configuration.
    #[error("cognito:mfa_enabled must match the user pool's MFA configuration.")]
    MfaMismatch,
    /// The pool's rules refused the attributes or the username (the pool's message).
    #[error("{0}")]
    Invalid(String),
}

/// A header that passed the file rules: every column of the pool, each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    columns: Vec<String>,
}

/// One row, ready to become a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// `cognito:username` as written.
    pub username: String,
    /// The non-empty attribute values, Booleans as `true` / `false`.
    pub attributes: Vec<(String, String)>,
    /// `cognito:mfa_enabled`, when given.
    pub mfa_enabled: Option<bool>,
}

/// Checks the header line against the pool's columns.
pub fn read_header(pool: &UserPool, line: &[u8]) -> Result<Header, FileError> {
    if line.starts_with(b"\xEF\xBB\xBF") {
        return Err(FileError::ByteOrderMark);
    }
    let text = std::str::from_utf8(line).map_err(|_| FileError::HeaderNotUtf8)?;
    let columns = split_fields(text);
    if columns.iter().all(String::is_empty) {
        return Err(FileError::Empty);
    }
    let expected = header_for(pool);
    let mut seen = HashSet::new();
    for c in &columns {
        if !expected.contains(c) {
            return Err(FileError::UnknownColumn(printable(c)));
        }
        if !seen.insert(c.as_str()) {
            return Err(FileError::DuplicateColumn(c.clone()));
        }
    }
    if let Some(missing) = expected.iter().find(|c| !seen.contains(c.as_str())) {
        return Err(FileError::MissingColumn(missing.clone()));
    }
    Ok(Header { columns })
}

/// A header cell as it may appear in a message: at most 40 characters.
fn printable(s: &str) -> String {
    s.chars().take(40).collect()
}

impl Header {
    /// Reads one data line against the pool's rules.
    pub fn row(&self, pool: &UserPool, line: &[u8]) -> Result<ImportRow, RowError> {
        let text = std::str::from_utf8(line).map_err(|_| RowError::NotUtf8)?;
        if text.chars().count() > MAX_ROW_CHARS {
            return Err(RowError::TooLong);
        }
        let values = split_fields(text);
        if values.len() != self.columns.len() {
            return Err(RowError::FieldCount {
                expected: self.columns.len(),
                found: values.len(),
            });
        }
        let mut row = ImportRow {
            username: String::new(),
            attributes: Vec::new(),
            mfa_enabled: None,
        };
        for (column, value) in self.columns.iter().zip(values) {
            if value.is_empty() {
                continue;
            }
            match column.as_str() {
                USERNAME_COLUMN => row.username = value,
                MFA_COLUMN => row.mfa_enabled = Some(boolean(column, &value)?),
                _ if is_boolean(pool, column) => {
                    let b = boolean(column, &value)?;
                    row.attributes.push((column.clone(), b.to_string()));
                }
                _ => row.attributes.push((column.clone(), value)),
            }
        }
        if row.username.is_empty() {
            return Err(RowError::NoUsername);
        }
        if row.username.contains([' ', '\t']) {
            return Err(RowError::UsernameWhitespace);
        }
        check_verified(pool, &row)?;
        check_mfa(pool, row.mfa_enabled)?;
        Ok(row)
    }
}

fn is_boolean(pool: &UserPool, column: &str) -> bool {
    pool.settings
        .schema
        .iter()
        .any(|a| a.name == column && a.data_type == crate::pool::AttributeDataType::Boolean)
}

/// `true` / `false` in any case (Cognito's own sample file writes `TRUE`).
fn boolean(column: &str, value: &str) -> Result<bool, RowError> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(RowError::NotBoolean(column.to_string()))
    }
}

/// At least one of the pool's auto-verified attributes is marked verified.
fn check_verified(pool: &UserPool, row: &ImportRow) -> Result<(), RowError> {
    let verified = |kind: AliasKind| {
        let flag = format!("{}_verified", kind.attribute());
        row.attributes
            .iter()
            .any(|(k, v)| *k == flag && v == "true")
    };
    if pool.settings.auto_verified.iter().any(|&k| verified(k)) {
        Ok(())
    } else {
        Err(RowError::NoVerifiedAttribute)
    }
}

/// `cognito:mfa_enabled` must agree with a pool whose MFA is on or off.
fn check_mfa(pool: &UserPool, mfa_enabled: Option<bool>) -> Result<(), RowError> {
    match (pool.settings.mfa, mfa_enabled) {
        (MfaConfiguration::On, Some(false)) | (MfaConfiguration::Off, Some(true)) => {
            Err(RowError::MfaMismatch)
        }
        _ => Ok(()),
    }
}

/// Splits a line at the commas that are not escaped as `\,`, trimming each value.
pub fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                current.push(',');
                chars.next();
            }
            ',' => fields.push(std::mem::take(&mut current).trim().to_string()),
            c => current.push(c),
        }
    }
    fields.push(current.trim().to_string());
    fields
}

/// The lines of a file with their line numbers (the header is line 1), without line
/// ends (`\n` or `\r\n`); blank lines are left out.
pub fn lines(body: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    body.split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::{AttributeDataType, SchemaAttribute};

    fn pool() -> UserPool {
        let mut pool = UserPool {
            id: "eu-west-1_Test".into(),
            name: "t".into(),
            created_at: crate::Millis(0),
            modified_at: crate::Millis(0),
            settings: Default::default(),
        };
        let settings = std::sync::Arc::make_mut(&mut pool.settings);
        settings.auto_verified = vec![AliasKind::Email];
        settings.schema.push(SchemaAttribute {
            name: "custom:team".into(),
            data_type: AttributeDataType::String,
            developer_only: false,
            mutable: true,
            required: false,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
        });
        pool
    }

    fn csv_line(pool: &UserPool, values: &[(&str, &str)]) -> String {
        header_for(pool)
            .iter()
            .map(|c| {
                values
                    .iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn the_header_is_cognitos_order_with_custom_columns_before_the_cognito_ones() {
        let h = header_for(&pool());
        assert_eq!(h.first().map(String::as_str), Some("name"));
        assert!(!h.contains(&"sub".to_string()));
        assert!(!h.contains(&"identities".to_string()));
        let tail: Vec<&str> = h.iter().rev().take(4).rev().map(String::as_str).collect();
        assert_eq!(
            tail,
            ["updated_at", "custom:team", MFA_COLUMN, USERNAME_COLUMN]
        );
        assert_eq!(h.len(), 22);
    }

    #[test]
    fn a_default_pool_has_cognitos_21_columns() {
        let mut p = pool();
        std::sync::Arc::make_mut(&mut p.settings)
            .schema
            .retain(|a| !a.name.starts_with("custom:"));
        let expected = "name,given_name,family_name,middle_name,nickname,preferred_username,\
                        profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,\
                        locale,phone_number,phone_number_verified,address,updated_at,\
                        cognito:mfa_enabled,cognito:username";
        assert_eq!(header_for(&p).join(","), expected);
    }

    #[test]
    fn values_split_at_unescaped_commas_and_are_trimmed() {
        assert_eq!(split_fields(" a , b\\, c ,"), ["a", "b, c", ""]);
        assert_eq!(split_fields("x\\y"), ["x\\y"]);
        assert_eq!(split_fields(""), [""]);
    }

    #[test]
    fn header_rules() {
        let p = pool();
        let good = header_for(&p).join(",");
        assert!(read_header(&p, good.as_bytes()).is_ok());
        let mut reversed = header_for(&p);
        reversed.reverse();
        assert!(read_header(&p, reversed.join(",").as_bytes()).is_ok());
        let bom = format!("\u{feff}{good}");
        assert_eq!(
            read_header(&p, bom.as_bytes()),
            Err(FileError::ByteOrderMark)
        );
        let missing = good.replace(",custom:team", "");
        assert_eq!(
            read_header(&p, missing.as_bytes()),
            Err(FileError::MissingColumn("custom:team".into()))
        );
        let unknown = format!("{good},custom:other");
        assert_eq!(
            read_header(&p, unknown.as_bytes()),
            Err(FileError::UnknownColumn("custom:other".into()))
        );
        let twice = format!("{good},email");
        assert_eq!(
            read_header(&p, twice.as_bytes()),
            Err(FileError::DuplicateColumn("email".into()))
        );
        assert_eq!(read_header(&p, b" "), Err(FileError::Empty));
    }

    #[test]
    fn a_row_becomes_attributes_with_normalised_booleans() {
        let p = pool();
        let header = read_header(&p, header_for(&p).join(",").as_bytes()).unwrap_or_else(|e| {
            unreachable!("{e}");
        });
        let line = csv_line(
            &p,
            &[
                (USERNAME_COLUMN, "jane"),
                ("email", "jane@example.com"),
                ("email_verified", "TRUE"),
                ("custom:team", "a\\, b"),
            ],
        );
        let row = header.row(&p, line.as_bytes());
        let row = row.unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(row.username, "jane");
        assert_eq!(row.mfa_enabled, None);
        assert!(row
            .attributes
            .contains(&("email_verified".into(), "true".into())));
        assert!(row
            .attributes
            .contains(&("custom:team".into(), "a, b".into())));
    }

    #[test]
    fn row_rules() {
        let mut p = pool();
        let header = read_header(&p, header_for(&p).join(",").as_bytes())
            .unwrap_or_else(|e| unreachable!("{e}"));
        let verified = [("email", "j@example.com"), ("email_verified", "true")];
        fn with<'a>(
            verified: &[(&'a str, &'a str)],
            extra: &[(&'a str, &'a str)],
        ) -> Vec<(&'a str, &'a str)> {
            let mut v = verified.to_vec();
            v.extend_from_slice(extra);
            v
        }
        let err = |p: &UserPool, values: &[(&str, &str)]| {
            header.row(p, csv_line(p, values).as_bytes()).err()
        };
        assert_eq!(err(&p, &with(&verified, &[])), Some(RowError::NoUsername));
        assert_eq!(
            err(&p, &with(&verified, &[(USERNAME_COLUMN, "a b")])),
            Some(RowError::UsernameWhitespace)
        );
        assert_eq!(
            err(&p, &[(USERNAME_COLUMN, "j"), ("email_verified", "false")]),
            Some(RowError::NoVerifiedAttribute)
        );
        assert_eq!(
            err(
                &p,
                &with(
                    &verified,
                    &[(USERNAME_COLUMN, "j"), ("phone_number_verified", "yes")]
                )
            ),
            Some(RowError::NotBoolean("phone_number_verified".into()))
        );
        assert_eq!(
            err(
                &p,
                &with(&verified, &[(USERNAME_COLUMN, "j"), (MFA_COLUMN, "true")])
            ),
            Some(RowError::MfaMismatch)
        );
        std::sync::Arc::make_mut(&mut p.settings).mfa = MfaConfiguration::Optional;
        assert_eq!(
            err(
                &p,
                &with(&verified, &[(USERNAME_COLUMN, "j"), (MFA_COLUMN, "true")])
            ),
            None
        );
        assert_eq!(
            header.row(&p, b"a,b").err(),
            Some(RowError::FieldCount {
                expected: 22,
                found: 2
            })
        );
        let long = "x".repeat(MAX_ROW_CHARS + 1);
        assert_eq!(
            header.row(&p, long.as_bytes()).err(),
            Some(RowError::TooLong)
        );
        assert_eq!(header.row(&p, b"\xff,").err(), Some(RowError::NotUtf8));
    }

    #[test]
    fn lines_are_numbered_from_the_header_and_blank_ones_skipped() {
        let got: Vec<(u64, &[u8])> = lines(b"h\r\na\n\n  \nb\n").collect();
        assert_eq!(got, vec![(1, &b"h"[..]), (2, &b"a"[..]), (5, &b"b"[..])]);
    }
}
