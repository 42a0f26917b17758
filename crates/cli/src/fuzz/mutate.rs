//! Mutations of a valid body: on its JSON tree (drop, duplicate, retype and rename
//! members, huge strings and arrays, odd Unicode and control characters, deep nesting,
//! edge numbers, ids of another pool) and on its bytes (invalid JSON, invalid UTF-8, NUL
//! bytes, truncation, random bytes, oversize).
//!
//! What a `serde_json::Value` cannot hold (duplicate keys, numbers beyond `f64`, lone
//! surrogate escapes) is planted as a marker string and spliced into the text when the
//! tree is rendered.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::{Map, Value};

use super::server::MAX_BODY_BYTES;

/// Raw JSON text to splice in for marker strings.
#[derive(Debug, Default)]
pub struct Raws(Vec<String>);

impl Raws {
    /// A marker string standing for `raw` (a JSON value, or a quoted key).
    fn marker(&mut self, raw: String) -> String {
        self.0.push(raw);
        format!("\u{1}RAW{}\u{1}", self.0.len() - 1)
    }
}

/// Renders `v` as JSON text with the raw pieces spliced in.
pub fn render(v: &Value, raws: &Raws) -> Vec<u8> {
    let mut text = serde_json::to_string(v).unwrap_or_default();
    for (i, raw) in raws.0.iter().enumerate().rev() {
        text = text.replace(&format!("\"\\u0001RAW{i}\\u0001\""), raw);
    }
    text.into_bytes()
}

#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Every node's path (root first), at most `limit` of them.
fn paths(v: &Value, limit: usize) -> Vec<Vec<Seg>> {
    let mut out = vec![Vec::new()];
    let mut i = 0;
    while i < out.len() && out.len() < limit {
        let path = out[i].clone();
        if let Some(node) = at(v, &path) {
            match node {
                Value::Object(m) => {
                    for k in m.keys() {
                        let mut p = path.clone();
                        p.push(Seg::Key(k.clone()));
                        out.push(p);
                    }
                }
                Value::Array(a) => {
                    for j in 0..a.len().min(8) {
                        let mut p = path.clone();
                        p.push(Seg::Index(j));
                        out.push(p);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    out
}

fn at<'v>(v: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(v, |cur, seg| match seg {
        Seg::Key(k) => cur.get(k),
        Seg::Index(i) => cur.get(i),
    })
}

fn at_mut<'v>(v: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |cur, seg| match seg {
        Seg::Key(k) => cur.get_mut(k),
        Seg::Index(i) => cur.get_mut(*i),
    })
}

/// A random node other than the root when there is one; `filter` narrows the choice.
fn pick(v: &Value, rng: &mut StdRng, filter: impl Fn(&Value) -> bool) -> Option<Vec<Seg>> {
    let all = paths(v, 200);
    let fit: Vec<Vec<Seg>> = all
        .into_iter()
        .filter(|p| !p.is_empty() && at(v, p).is_some_and(&filter))
        .collect();
    fit.choose(rng).cloned()
}

/// Applies one tree mutation; returns its name.
pub fn mutate_tree(
    v: &mut Value,
    rng: &mut StdRng,
    raws: &mut Raws,
    swaps: &[(String, Vec<String>)],
) -> String {
    match rng.gen_range(0..17) {
        0 | 1 => drop_member(v, rng),
        2 => duplicate_member(v, rng, raws),
        3..=5 => retype(v, rng, raws),
        6 => replace_node(v, rng, "huge-string", |rng, _| {
            Value::String(huge_string(rng))
        }),
        7 => replace_node(v, rng, "huge-array", |rng, _| huge_array(rng)),
        8 => edit_string(v, rng, "unicode", |rng, s| {
            let insert = weird_unicode(rng);
            splice(rng, s, insert)
        }),
        9 => edit_string(v, rng, "control", |rng, s| {
            let insert = control_chars(rng);
            splice(rng, s, insert)
        }),
        10 => {
            let nested = deep(rng, raws);
            replace_node(v, rng, "deep-nesting", move |_, _| nested.clone())
        }
        11 => foreign_ids(v, rng, swaps),
        12 => unknown_member(v, rng),
        13 => edit_string(v, rng, "empty-string", |rng, _| {
            ["", " ", "\t", "   "][rng.gen_range(0..4)].to_string()
        }),
        14 => raw_node(v, rng, raws),
        15 => rename_key(v, rng),
        _ => {
            *v = other_root(rng);
            "non-object-root".into()
        }
    }
}

fn drop_member(v: &mut Value, rng: &mut StdRng) -> String {
    let target = if rng.gen_bool(0.6) {
        Some(Vec::new())
    } else {
        pick(v, rng, |n| n.as_object().is_some_and(|m| !m.is_empty()))
    };
    if let Some(Value::Object(m)) = target.and_then(|p| at_mut(v, &p)) {
        let keys: Vec<String> = m.keys().cloned().collect();
        if let Some(k) = keys.choose(rng) {
            m.remove(k);
            return format!("drop {k}");
        }
    }
    "drop (nothing)".into()
}

fn duplicate_member(v: &mut Value, rng: &mut StdRng, raws: &mut Raws) -> String {
    let path = pick(v, rng, |n| n.as_object().is_some_and(|m| !m.is_empty())).unwrap_or_default();
    if let Some(Value::Object(m)) = at_mut(v, &path) {
        let keys: Vec<String> = m.keys().cloned().collect();
        if let Some(k) = keys.choose(rng) {
            let value = if rng.gen_bool(0.5) {
                m.get(k).cloned().unwrap_or(Value::Null)
            } else {
                scalar(rng)
            };
            let key = raws.marker(serde_json::to_string(k).unwrap_or_default());
            m.insert(key, value);
            return format!("duplicate {k}");
        }
    }
    "duplicate (nothing)".into()
}

fn retype(v: &mut Value, rng: &mut StdRng, raws: &mut Raws) -> String {
    let Some(path) = pick(v, rng, |_| true) else {
        return "retype (nothing)".into();
    };
    let Some(node) = at_mut(v, &path) else {
        return "retype (nothing)".into();
    };
    let was = type_name(node);
    let new = loop {
        let candidate = match rng.gen_range(0..7) {
            0 => Value::String(match &*node {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
            1 => Value::from(rng.gen_range(-5i64..100_000)),
            2 => Value::Bool(rng.gen_bool(0.5)),
            3 => Value::Null,
            4 => Value::Array(vec![node.clone()]),
            5 => {
                let mut m = Map::new();
                m.insert("Value".into(), node.clone());
                Value::Object(m)
            }
            _ => Value::String(raws.marker(edge_number(rng).to_string())),
        };
        if type_name(&candidate) != was || rng.gen_bool(0.1) {
            break candidate;
        }
    };
    let now = type_name(&new);
    *node = new;
    format!("retype {} {was}->{now}", describe(&path))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(s) if s.starts_with('\u{1}') => "raw-number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn describe(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => k.chars().take(30).collect(),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<String>>()
        .join(".")
}

fn replace_node(
    v: &mut Value,
    rng: &mut StdRng,
    name: &str,
    make: impl Fn(&mut StdRng, &Value) -> Value,
) -> String {
    let Some(path) = pick(v, rng, |_| true) else {
        return format!("{name} (nothing)");
    };
    if let Some(node) = at_mut(v, &path) {
        *node = make(rng, node);
    }
    format!("{name} at {}", describe(&path))
}

fn edit_string(
    v: &mut Value,
    rng: &mut StdRng,
    name: &str,
    edit: impl Fn(&mut StdRng, &str) -> String,
) -> String {
    let Some(path) = pick(v, rng, |n| n.is_string()) else {
        return format!("{name} (no string)");
    };
    if let Some(node) = at_mut(v, &path) {
        let old = node.as_str().unwrap_or_default().to_string();
        *node = Value::String(edit(rng, &old));
    }
    format!("{name} in {}", describe(&path))
}

/// `insert` placed at a random character boundary of `s`, or replacing it.
fn splice(rng: &mut StdRng, s: &str, insert: String) -> String {
    if s.is_empty() || rng.gen_bool(0.3) {
        return insert;
    }
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let at = bounds.choose(rng).copied().unwrap_or(0);
    format!("{}{insert}{}", &s[..at], &s[at..])
}

fn huge_string(rng: &mut StdRng) -> String {
    let len = rng.gen_range(10_000..60_000);
    let unit = ["A", "é", "𝕏", "\u{0}", "\"", "\\", "ab\u{301}", "\u{202e}"][rng.gen_range(0..8)];
    unit.repeat(len / unit.len().max(1))
}

fn huge_array(rng: &mut StdRng) -> Value {
    let len = rng.gen_range(1_000..20_000);
    let item = scalar(rng);
    Value::Array(vec![item; len])
}

fn weird_unicode(rng: &mut StdRng) -> String {
    let pieces = [
        "\u{202e}",
        "\u{200b}",
        "\u{feff}",
        "\u{fffd}",
        "\u{10ffff}",
        "😀",
        "👩\u{200d}💻",
        "e\u{301}\u{301}\u{301}",
        "Ω",
        "ß",
        "İ",
        "ﬁ",
        "\u{1d54f}",
        "\u{e000}",
        "中文",
        "\u{2028}",
        "\u{85}",
        "Ǆ",
        "\u{0}",
    ];
    (0..rng.gen_range(1..6))
        .map(|_| pieces[rng.gen_range(0..pieces.len())])
        .collect()
}

fn control_chars(rng: &mut StdRng) -> String {
    (0..rng.gen_range(1..6))
        .map(|_| {
            let c = match rng.gen_range(0..4) {
                0 => 0u32,
                1 => rng.gen_range(1..0x20),
                2 => 0x7f,
                _ => rng.gen_range(0x80..0xa0),
            };
            char::from_u32(c).unwrap_or('\u{0}')
        })
        .collect()
}

/// Nesting as raw text: a tree that deep would overflow this side's stack when it is
/// rendered or dropped, and the server must cope with any depth anyway.
fn deep(rng: &mut StdRng, raws: &mut Raws) -> Value {
    let depth = match rng.gen_range(0..4) {
        0 => rng.gen_range(10..120),
        1 => rng.gen_range(120..140),
        2 => rng.gen_range(140..3_000),
        _ => rng.gen_range(3_000..100_000),
    };
    let (open, close) = if rng.gen_bool(0.5) {
        ("{\"a\":", "}")
    } else {
        ("[", "]")
    };
    let raw = format!("{}\"bottom\"{}", open.repeat(depth), close.repeat(depth));
    Value::String(raws.marker(raw))
}

fn scalar(rng: &mut StdRng) -> Value {
    match rng.gen_range(0..6) {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => Value::from(0),
        3 => Value::String(String::new()),
        4 => Value::String("x".into()),
        _ => Value::Object(Map::new()),
    }
}

fn edge_number(rng: &mut StdRng) -> &'static str {
    [
        "1e400",
        "-1e400",
        "-0",
        "0.5",
        "1E2",
        "18446744073709551616",
        "-9223372036854775809",
        "9223372036854775807",
        "9007199254740993",
        "1.7976931348623157e308",
        "5e-324",
        "0e0",
        "123456789012345678901234567890",
    ][rng.gen_range(0..13)]
}

/// A raw piece no `Value` can hold: an edge number or a string with escapes.
fn raw_node(v: &mut Value, rng: &mut StdRng, raws: &mut Raws) -> String {
    let raw = match rng.gen_range(0..4) {
        0 | 1 => edge_number(rng).to_string(),
        2 => [
            "\"\\ud800\"",
            "\"a\\udfffb\"",
            "\"\\ud83d\\ude00\"",
            "\"\\u0000\"",
        ][rng.gen_range(0..4)]
        .to_string(),
        _ => "\"\\u0041\\/\\b\\f\\n\\r\\t\"".to_string(),
    };
    let marker = raws.marker(raw.clone());
    replace_node(v, rng, &format!("raw {raw}"), move |_, _| {
        Value::String(marker.clone())
    })
}

fn foreign_ids(v: &mut Value, rng: &mut StdRng, swaps: &[(String, Vec<String>)]) -> String {
    let mut swapped = Vec::new();
    let all = paths(v, 200);
    for path in all {
        let Some(node) = at_mut(v, &path) else {
            continue;
        };
        let Some(s) = node.as_str() else { continue };
        if let Some((_, others)) = swaps.iter().find(|(id, _)| id == s) {
            if let Some(other) = others.choose(rng) {
                swapped.push(describe(&path));
                *node = Value::String(other.clone());
            }
        }
    }
    if swapped.is_empty() {
        "foreign-id (none)".into()
    } else {
        format!("foreign-id {}", swapped.join(","))
    }
}

fn unknown_member(v: &mut Value, rng: &mut StdRng) -> String {
    let path = if rng.gen_bool(0.7) {
        Vec::new()
    } else {
        pick(v, rng, Value::is_object).unwrap_or_default()
    };
    let key = [
        "__proto__",
        "constructor",
        "",
        "UserPoolId ",
        "\u{0}",
        "FuzzUnknown",
        "__type",
        "Session",
        "ClientSecret",
    ][rng.gen_range(0..9)]
    .to_string();
    if let Some(Value::Object(m)) = at_mut(v, &path) {
        m.insert(key.clone(), scalar(rng));
    }
    format!("unknown member {key:?}")
}

fn rename_key(v: &mut Value, rng: &mut StdRng) -> String {
    let path = pick(v, rng, |n| n.as_object().is_some_and(|m| !m.is_empty())).unwrap_or_default();
    if let Some(Value::Object(m)) = at_mut(v, &path) {
        let keys: Vec<String> = m.keys().cloned().collect();
        if let Some(k) = keys.choose(rng) {
            let renamed = match rng.gen_range(0..3) {
                0 => k.to_lowercase(),
                1 => {
                    let mut c = k.chars();
                    c.next()
                        .map(|f| f.to_lowercase().chain(c).collect())
                        .unwrap_or_default()
                }
                _ => format!("{k} "),
            };
            if let Some(value) = m.remove(k) {
                m.insert(renamed.clone(), value);
            }
            return format!("rename {k} -> {renamed}");
        }
    }
    "rename (nothing)".into()
}

fn other_root(rng: &mut StdRng) -> Value {
    match rng.gen_range(0..6) {
        0 => Value::Array(Vec::new()),
        1 => Value::String("UserPoolId".into()),
        2 => Value::from(42),
        3 => Value::Null,
        4 => Value::Bool(false),
        _ => Value::Array(vec![Value::Object(Map::new())]),
    }
}

/// Applies one byte-level mutation to a rendered body; returns its name.
pub fn mangle_bytes(body: &mut Vec<u8>, rng: &mut StdRng) -> String {
    let at = |rng: &mut StdRng, len: usize| rng.gen_range(0..=len);
    match rng.gen_range(0..12) {
        0 => {
            body.clear();
            "empty body".into()
        }
        1 => {
            *body = b" \n\t ".to_vec();
            "whitespace body".into()
        }
        2 => {
            let len = rng.gen_range(1..2_000);
            *body = (0..len).map(|_| rng.gen()).collect();
            "random bytes".into()
        }
        3 => {
            let cut = at(rng, body.len());
            body.truncate(cut);
            format!("truncated at {cut}")
        }
        4 | 5 => {
            let i = at(rng, body.len());
            let bad: &[u8] = [
                &[0xff][..],
                &[0xc0, 0x80],
                &[0xed, 0xa0, 0x80],
                &[0xe2, 0x82],
            ][rng.gen_range(0..4)];
            body.splice(i..i, bad.iter().copied());
            format!("invalid UTF-8 at {i}")
        }
        6 => {
            let i = at(rng, body.len());
            body.splice(i..i, [0u8, 0u8]);
            format!("NUL bytes at {i}")
        }
        7 => {
            body.splice(0..0, [0xef, 0xbb, 0xbf]);
            "byte order mark".into()
        }
        8 => {
            let tail: &[u8] = [&b"}"[..], b" x", b"{}", b",", b"\0"][rng.gen_range(0..5)];
            body.extend_from_slice(tail);
            "trailing garbage".into()
        }
        9 => {
            let i = at(rng, body.len());
            body.splice(i..i, b"/* c */".iter().copied());
            format!("comment at {i}")
        }
        10 if rng.gen_bool(0.1) => {
            let target = MAX_BODY_BYTES + rng.gen_range(1..4_096);
            body.resize(target.max(body.len()), b' ');
            format!("oversize {} bytes", body.len())
        }
        _ => {
            let i = at(rng, body.len().saturating_sub(1));
            if let Some(b) = body.get_mut(i) {
                *b ^= 1 << rng.gen_range(0..8);
            }
            format!("bit flip at {i}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use serde_json::json;

    #[test]
    fn raw_pieces_are_spliced_in() {
        let mut raws = Raws::default();
        let mut m = Map::new();
        m.insert("UserPoolId".into(), json!("p"));
        let key = raws.marker("\"UserPoolId\"".into());
        m.insert(key, json!("q"));
        let n = raws.marker("1e400".into());
        m.insert("Limit".into(), Value::String(n));
        let text = String::from_utf8(render(&Value::Object(m), &raws)).unwrap();
        assert_eq!(text.matches("\"UserPoolId\"").count(), 2, "{text}");
        assert!(text.contains("\"Limit\":1e400"), "{text}");
    }

    #[test]
    fn mutations_never_lose_the_body_and_are_reproducible() {
        let template = json!({"UserPoolId": "us-east-1_abc", "Username": "alice",
            "UserAttributes": [{"Name": "email", "Value": "a@b.c"}],
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": "x"}});
        let swaps = vec![("alice".to_string(), vec!["bob".to_string()])];
        let run = |seed: u64| {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut out = Vec::new();
            for _ in 0..300 {
                let mut v = template.clone();
                let mut raws = Raws::default();
                let name = mutate_tree(&mut v, &mut rng, &mut raws, &swaps);
                let mut body = render(&v, &raws);
                if rng.gen_bool(0.3) {
                    mangle_bytes(&mut body, &mut rng);
                }
                out.push((name, body));
            }
            out
        };
        let a = run(7);
        assert_eq!(a, run(7));
        assert_ne!(a, run(8));
        assert!(a
            .iter()
            .any(|(n, _)| n.starts_with("foreign-id ") && !n.contains("(none)")));
    }
}
