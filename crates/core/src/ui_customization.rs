//! Classic hosted-page branding (`SetUICustomization` / `GetUICustomization`): a style
//! sheet limited to Cognito's 18 `*-customizable` classes and a PNG or JPEG logo, for the
//! whole pool (`ALL`) or one app client. The hosted pages link both from Keystep's own
//! origin, so their Content-Security-Policy stays strict.
//!
//! The style sheet is checked strictly (Cognito documents which classes may appear, not
//! how it checks): only those selectors, plain declarations, and values without `url(`,
//! at-rules, escapes or markup, so a stored sheet can neither load anything nor break
//! out of the `<link>`ed file.

use crate::Millis;

/// The client id that stands for every client of the pool.
pub const ALL_CLIENTS: &str = "ALL";
/// The largest style sheet (the model's `CSSType`).
pub const MAX_CSS_CHARS: usize = 131_072;
/// The largest logo (Cognito: 100 KB).
pub const MAX_IMAGE_BYTES: usize = 100 * 1024;

/// The selectors a sheet may style (Cognito's classic branding guide).
pub const CLASSES: [&str; 18] = [
    "background-customizable",
    "banner-customizable",
    "errorMessage-customizable",
    "idpButton-customizable",
    "idpButton-customizable:hover",
    "idpDescription-customizable",
    "inputField-customizable",
    "inputField-customizable:focus",
    "label-customizable",
    "legalText-customizable",
    "logo-customizable",
    "passwordCheck-notValid-customizable",
    "passwordCheck-valid-customizable",
    "redirect-customizable",
    "socialButton-customizable",
    "submitButton-customizable",
    "submitButton-customizable:hover",
    "textDescription-customizable",
];

/// A logo's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
}

impl ImageType {
    /// Recognises a PNG or JPEG by its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageType::Jpeg)
        } else {
            None
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
        }
    }
}

/// One customization: the pool's (`client_id` = [`ALL_CLIENTS`]) or a client's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiCustomization {
    /// The pool.
    pub pool_id: String,
    /// An app client id, or `ALL`.
    pub client_id: String,
    /// The style sheet, checked.
    pub css: Option<String>,
    /// The logo.
    pub image: Option<Vec<u8>>,
    /// `yyyyMMddHHmmss` of the last change: part of the assets' URLs, so a change is
    /// never hidden by a cached copy.
    pub css_version: String,
    /// When it was first set.
    pub created_at: Millis,
    /// When it last changed.
    pub modified_at: Millis,
}

impl UiCustomization {
    /// Whether it styles anything (a `SetUICustomization` with neither clears it).
    pub fn is_empty(&self) -> bool {
        self.css.is_none() && self.image.is_none()
    }
}

/// Why a style sheet is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CssError {
    /// Longer than [`MAX_CSS_CHARS`].
    #[error("The CSS is longer than 131072 characters.")]
    TooLong,
    /// A selector other than the 18 classes.
    #[error(
        "The CSS may only style the classes of the hosted UI template; {0} is not one of them."
    )]
    Selector(String),
    /// An at-rule, markup, an escape, `url(` or a script-like value.
    #[error("The CSS may not contain {0}.")]
    Forbidden(&'static str),
    /// Not `selector { property: value; … }`.
    #[error("The CSS could not be parsed: {0}.")]
    Syntax(&'static str),
}

/// Checks a style sheet: rules of the form `.class { property: value; … }` only.
pub fn check_css(css: &str) -> Result<(), CssError> {
    if css.chars().count() > MAX_CSS_CHARS {
        return Err(CssError::TooLong);
    }
    for (needle, what) in [
        ("@", "at-rules (@import, @media, …)"),
        ("<", "markup"),
        ("\\", "escapes"),
        ("url(", "url() values"),
        ("expression(", "expression() values"),
        ("javascript:", "JavaScript"),
    ] {
        if css.to_ascii_lowercase().contains(needle) {
            return Err(CssError::Forbidden(what));
        }
    }
    let css = strip_comments(css)?;
    let mut rest = css.as_str();
    while !rest.trim().is_empty() {
        let (selector, after) = rest
            .split_once('{')
            .ok_or(CssError::Syntax("a rule has no {"))?;
        let (body, after) = after
            .split_once('}')
            .ok_or(CssError::Syntax("a rule has no }"))?;
        if body.contains('{') {
            return Err(CssError::Syntax("rules cannot nest"));
        }
        for one in selector.split(',') {
            let one = one.trim();
            let known = one
                .strip_prefix('.')
                .is_some_and(|class| CLASSES.contains(&class));
            if !known {
                return Err(CssError::Selector(one.chars().take(60).collect()));
            }
        }
        for declaration in body.split(';').map(str::trim).filter(|d| !d.is_empty()) {
            check_declaration(declaration)?;
        }
        rest = after;
    }
    Ok(())
}

fn strip_comments(css: &str) -> Result<String, CssError> {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start + 2..]
            .find("*/")
            .ok_or(CssError::Syntax("a comment is not closed"))?;
        rest = &rest[start + 2 + end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn check_declaration(d: &str) -> Result<(), CssError> {
    let (property, value) = d
        .split_once(':')
        .ok_or(CssError::Syntax("a declaration has no :"))?;
    let property = property.trim();
    if property.is_empty() || !property.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
        return Err(CssError::Syntax("a property name is not valid"));
    }
    let value = value.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || " #%.,()+-/!'\"".contains(c);
    if value.is_empty() || !value.chars().all(allowed) {
        return Err(CssError::Syntax(
            "a value has characters CSS values here do not use",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognitos_template_rules_pass() {
        let css = ".logo-customizable { max-width: 60%; max-height: 30%; }
            .banner-customizable { padding: 25px 0px 25px 0px; background-color: lightgray; }
            /* the button */
            .submitButton-customizable, .submitButton-customizable:hover {
                font-size: 14px; font-weight: bold; color: #fff; background-color: rgb(51, 122, 183);
            }
            .inputField-customizable:focus { border-color: #66afe9; outline: 0; }";
        assert_eq!(check_css(css), Ok(()));
        assert_eq!(check_css(""), Ok(()));
    }

    #[test]
    fn anything_else_is_refused() {
        let refused = |css: &str| check_css(css).is_err();
        assert!(refused("body { color: red; }"));
        assert!(refused(".logo-customizable div { color: red; }"));
        assert!(refused("@import 'x.css';"));
        assert!(refused(
            ".logo-customizable { background: url(https://evil.example/x); }"
        ));
        assert!(refused(
            ".logo-customizable { color: red; } </style><script>"
        ));
        assert!(refused(".logo-customizable { color: \\72 ed; }"));
        assert!(refused(".logo-customizable { color: red; "));
        assert!(refused(".logo-customizable { x { color: red; } }"));
        assert!(refused(".logo-customizable { color red; }"));
        assert!(refused(".logo-customizable { color: red; } /* open"));
        assert!(refused(
            ".logo-customizable { width: expression(alert(1)); }"
        ));
        assert!(refused(&format!(
            ".logo-customizable {{ color: {}; }}",
            "a".repeat(MAX_CSS_CHARS)
        )));
        assert_eq!(
            check_css(".nope { color: red; }"),
            Err(CssError::Selector(".nope".into()))
        );
    }

    #[test]
    fn images_are_png_or_jpeg() {
        assert_eq!(
            ImageType::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ImageType::Png)
        );
        assert_eq!(
            ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageType::Jpeg)
        );
        assert_eq!(ImageType::sniff(b"<svg/>"), None);
        assert_eq!(ImageType::sniff(b"GIF89a"), None);
    }
}
