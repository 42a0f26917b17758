//! What counts as misbehaviour, and how a violation is reported.

use serde_json::Value;

use super::wire::{Answer, Shot};

/// The kinds of violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Kind {
    /// An HTTP status of 500 or more.
    ServerError,
    /// An answer that is not what the protocol allows: an error without a JSON
    /// `__type` and `message`, a success that is not a JSON object, a 1xx/3xx status.
    Shape,
    /// No HTTP answer at all (the connection failed, or 60 seconds passed).
    Connection,
    /// The server closed a keep-alive connection after answering without saying so.
    SilentClose,
    /// A panic in the process.
    Panic,
    /// Stored data changed on a rejected request (or on a read-only one).
    DataChanged,
    /// A request to a signed operation succeeded without a valid signature.
    Unauthenticated,
}

impl Kind {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ServerError => "5xx",
            Kind::Shape => "shape",
            Kind::Connection => "connection",
            Kind::SilentClose => "silent-close",
            Kind::Panic => "panic",
            Kind::DataChanged => "data",
            Kind::Unauthenticated => "unauthenticated",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [
            Kind::ServerError,
            Kind::Shape,
            Kind::Connection,
            Kind::SilentClose,
            Kind::Panic,
            Kind::DataChanged,
            Kind::Unauthenticated,
        ]
        .into_iter()
        .find(|k| k.name() == s)
    }
}

/// Judges one answer by itself (the stored-data check is the runner's).
pub fn judge(answer: &Answer) -> Result<(), (Kind, String)> {
    let status = answer.status;
    if answer.closed_silently {
        return Err((
            Kind::SilentClose,
            format!(
                "after answering {status} the server closed the keep-alive connection without `Connection: close`: the next request a client sends on it fails"
            ),
        ));
    }
    if status >= 500 {
        return Err((Kind::ServerError, format!("HTTP {status}")));
    }
    if !(200..500).contains(&status) || (300..400).contains(&status) {
        return Err((Kind::Shape, format!("unexpected HTTP status {status}")));
    }
    let value: Value = match serde_json::from_slice(&answer.body) {
        Ok(v) => v,
        Err(e) => {
            return Err((
                Kind::Shape,
                format!("HTTP {status} with a non-JSON body: {e}"),
            ))
        }
    };
    let Some(object) = value.as_object() else {
        return Err((
            Kind::Shape,
            format!("HTTP {status} with a JSON body that is no object"),
        ));
    };
    if status >= 400 {
        let has_type = object
            .get("__type")
            .and_then(Value::as_str)
            .is_some_and(|t| !t.is_empty());
        let has_message = object.get("message").is_some_and(Value::is_string);
        if !has_type || !has_message {
            return Err((
                Kind::Shape,
                format!("HTTP {status} error without a string `__type` and `message`"),
            ));
        }
    }
    Ok(())
}

/// The `__type` of an error answer, without any namespace prefix.
pub fn error_type(answer: &Answer) -> Option<String> {
    if answer.status < 400 {
        return None;
    }
    let value: Value = serde_json::from_slice(&answer.body).ok()?;
    let t = value.get("__type")?.as_str()?;
    Some(t.rsplit('#').next().unwrap_or(t).to_string())
}

/// A violation with what is needed to reproduce it.
#[derive(Debug, Clone)]
pub struct Violation {
    /// What went wrong.
    pub kind: Kind,
    /// The operation the server was asked for (the one the request was made for when the
    /// target names none).
    pub op: String,
    /// The request's number in the run (0-based).
    pub request: u64,
    /// Which server.
    pub server: &'static str,
    /// The details.
    pub detail: String,
    /// The request (headers, mutation and body, truncated).
    pub shot: String,
    /// The answer (status and body, truncated), if there was one.
    pub answer: String,
    /// The answer's HTTP status, if there was one.
    pub status: Option<u16>,
}

impl Violation {
    /// A violation of `kind` by `shot` (answered by `answer`, if it was).
    pub fn new(
        kind: Kind,
        detail: String,
        request: u64,
        server: &'static str,
        shot: &Shot,
        answer: Option<&Answer>,
    ) -> Violation {
        Violation {
            kind,
            op: shot.op.clone(),
            request,
            server,
            detail,
            shot: describe_shot(shot),
            answer: answer.map_or_else(
                || "(no answer)".to_string(),
                |a| format!("HTTP {} {}", a.status, clip(&a.body, 1500)),
            ),
            status: answer.map(|a| a.status),
        }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "  {} violation on {} (request {}, {} server)",
            self.kind.name(),
            self.op,
            self.request,
            self.server
        )?;
        writeln!(f, "  what:     {}", self.detail)?;
        writeln!(f, "  request:  {}", self.shot)?;
        write!(f, "  response: {}", self.answer)
    }
}

/// One line describing a request, its body truncated.
pub fn describe_shot(shot: &Shot) -> String {
    let header = |h: &Option<Vec<u8>>| {
        h.as_ref()
            .map_or_else(|| "(none)".to_string(), |v| clip(v, 120))
    };
    format!(
        "made for {} target={} content-type={} signing={:?} mutation=[{}] body({} bytes)={}",
        shot.op,
        header(&shot.target),
        header(&shot.content_type),
        shot.signing,
        shot.mutation,
        shot.body.len(),
        clip(&shot.body, 1500)
    )
}

/// At most `max` bytes of `bytes` as an escaped string (control characters, NULs and
/// invalid UTF-8 stay visible).
pub fn clip(bytes: &[u8], max: usize) -> String {
    let cut = bytes.len().min(max);
    let text = String::from_utf8_lossy(&bytes[..cut]);
    let mut out = format!("{text:?}");
    if bytes.len() > max {
        out.push_str(&format!("... ({} more bytes)", bytes.len() - max));
    }
    out
}

/// Known violations that are counted instead of stopping the run.
#[derive(Debug, Clone, Default)]
pub struct Allowed(Vec<(String, Option<Kind>)>);

impl Allowed {
    /// Parses `--allow-known` values: `OP` or `OP:KIND`.
    pub fn parse(values: &[String]) -> Result<Allowed, String> {
        let mut out = Vec::new();
        for v in values {
            let (op, kind) = match v.split_once(':') {
                Some((op, kind)) => {
                    let k = Kind::parse(kind).ok_or_else(|| {
                        format!(
                            "--allow-known {v}: unknown kind {kind:?} (5xx, shape, connection, silent-close, panic, data, unauthenticated)"
                        )
                    })?;
                    (op, Some(k))
                }
                None => (v.as_str(), None),
            };
            if op.is_empty() {
                return Err(format!("--allow-known {v}: no operation"));
            }
            out.push((op.to_string(), kind));
        }
        Ok(Allowed(out))
    }

    /// The `--allow-known` value that covers a violation of `kind` by `op`, if one does
    /// (`*` stands for any operation).
    pub fn covering(&self, op: &str, kind: Kind) -> Option<String> {
        self.0
            .iter()
            .find(|(o, k)| (o == op || o == "*") && k.is_none_or(|k| k == kind))
            .map(|(o, k)| match k {
                Some(k) => format!("{o}:{}", k.name()),
                None => o.clone(),
            })
    }

    /// Whether a violation of `kind` by `op` is a known one.
    #[cfg(test)]
    pub fn covers(&self, op: &str, kind: Kind) -> bool {
        self.covering(op, kind).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            body: body.as_bytes().to_vec(),
            closed_silently: false,
        }
    }

    #[test]
    fn server_errors_are_violations_whatever_the_body() {
        let body = r#"{"__type":"InternalErrorException","message":"x"}"#;
        for status in [500, 502, 503, 599] {
            assert_eq!(
                judge(&answer(status, body)).unwrap_err().0,
                Kind::ServerError
            );
        }
    }

    #[test]
    fn errors_need_a_type_and_a_message() {
        assert!(judge(&answer(400, r#"{"__type":"X","message":"m"}"#)).is_ok());
        assert!(judge(&answer(413, r#"{"__type":"T","message":""}"#)).is_ok());
        for body in [
            r#"{"message":"m"}"#,
            r#"{"__type":"","message":"m"}"#,
            r#"{"__type":"X"}"#,
            r#"{"__type":"X","message":null}"#,
            r#"["__type"]"#,
            "Bad request",
            "",
        ] {
            assert_eq!(
                judge(&answer(400, body)).unwrap_err().0,
                Kind::Shape,
                "{body}"
            );
        }
    }

    #[test]
    fn a_silent_close_is_a_violation_even_after_a_good_answer() {
        let mut a = answer(413, r#"{"__type":"T","message":"m"}"#);
        assert!(judge(&a).is_ok());
        a.closed_silently = true;
        assert_eq!(judge(&a).unwrap_err().0, Kind::SilentClose);
    }

    #[test]
    fn successes_are_json_objects() {
        assert!(judge(&answer(200, "{}")).is_ok());
        assert_eq!(judge(&answer(200, "")).unwrap_err().0, Kind::Shape);
        assert_eq!(judge(&answer(200, "[1]")).unwrap_err().0, Kind::Shape);
        assert_eq!(judge(&answer(302, "{}")).unwrap_err().0, Kind::Shape);
    }

    #[test]
    fn allowed_lists_parse_and_match() {
        let a = Allowed::parse(&["ListUsers:5xx".into(), "SignUp".into()]).unwrap();
        assert!(a.covers("ListUsers", Kind::ServerError));
        assert!(!a.covers("ListUsers", Kind::DataChanged));
        assert!(a.covers("SignUp", Kind::DataChanged));
        assert!(!a.covers("GetUser", Kind::ServerError));
        let any = Allowed::parse(&["*:silent-close".into()]).unwrap();
        assert!(any.covers("SignUp", Kind::SilentClose));
        assert!(!any.covers("SignUp", Kind::ServerError));
        assert!(Allowed::parse(&["X:nope".into()]).is_err());
        assert!(Allowed::parse(&[":5xx".into()]).is_err());
    }

    #[test]
    fn clipped_bodies_show_nuls_and_length() {
        let s = clip(b"a\0b", 10);
        assert_eq!(s, "\"a\\0b\"");
        assert!(clip(&[b'x'; 20], 5).ends_with("(15 more bytes)"));
    }
}
