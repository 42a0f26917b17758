//! Drawing one request: an operation of the catalogue, its valid body or a mutation of
//! it, the `X-Amz-Target` and `Content-Type` headers (right or wrong), and how it is
//! signed. The same seed and fixture give the same request.

use rand::rngs::StdRng;
use rand::Rng;
use serde_json::Value;

use keystep_server::catalog::{is_unsigned, KNOWN_OPERATIONS};

use super::fixture::Fixture;
use super::mutate::{self, Raws};
use super::picks::Picks;
use super::templates::{self, MODELLED};
use super::wire::{Shot, Signing, CONTENT_TYPE, TARGET_PREFIX};

/// Draws the next request for `fx` (`swaps` is [`swaps`] of it).
pub fn shot(rng: &mut StdRng, fx: &Fixture, swaps: &[(String, Vec<String>)]) -> Shot {
    // Modelled operations reach deeper, so they get most of the requests; every
    // operation of the catalogue still comes up.
    let op = if rng.gen_bool(0.8) {
        MODELLED[rng.gen_range(0..MODELLED.len())]
    } else {
        KNOWN_OPERATIONS[rng.gen_range(0..KNOWN_OPERATIONS.len())]
    }
    .to_string();
    let template = match Picks::new(fx, rng) {
        Some(mut k) => templates::template(&op, &mut k),
        None => Value::Object(Default::default()),
    };
    let mut notes = Vec::new();
    let mut tree = template;
    let mut raws = Raws::default();
    let mode = rng.gen_range(0..100);
    if (15..90).contains(&mode) {
        for _ in 0..rng.gen_range(1..=3) {
            notes.push(mutate::mutate_tree(&mut tree, rng, &mut raws, swaps));
        }
    }
    let mut body = mutate::render(&tree, &raws);
    if mode >= 80 {
        notes.push(mutate::mangle_bytes(&mut body, rng));
    }

    let mut target = Some(format!("{TARGET_PREFIX}{op}").into_bytes());
    if rng.gen_bool(0.08) {
        let (t, note) = odd_target(rng, &op);
        target = t;
        notes.push(note);
    }
    let mut content_type = Some(CONTENT_TYPE.as_bytes().to_vec());
    if rng.gen_bool(0.07) {
        let (c, note) = odd_content_type(rng);
        content_type = c;
        notes.push(note);
    }
    let signing = signing(rng, &op);
    let usual = if is_unsigned(&op) {
        Signing::Unsigned
    } else {
        Signing::Valid
    };
    if signing != usual {
        notes.push(format!("signing {signing:?}"));
    }
    if notes.is_empty() {
        notes.push("none".into());
    }
    Shot {
        op,
        target,
        content_type,
        body,
        signing,
        mutation: notes.join("; "),
    }
}

/// Signed operations are signed right most of the time so that the handler is reached;
/// unsigned ones are sometimes signed anyway (the signature must be ignored).
fn signing(rng: &mut StdRng, op: &str) -> Signing {
    let r = rng.gen_range(0..100);
    if is_unsigned(op) {
        return match r {
            0..=94 => Signing::Unsigned,
            95..=97 => Signing::Valid,
            _ => Signing::BadSignature,
        };
    }
    match r {
        0..=84 => Signing::Valid,
        85..=88 => Signing::Unsigned,
        89..=91 => Signing::BadSignature,
        92..=93 => Signing::UnknownKey,
        94..=95 => Signing::StaleDate,
        96..=97 => Signing::OtherBody,
        _ => Signing::Garbage,
    }
}

fn odd_target(rng: &mut StdRng, op: &str) -> (Option<Vec<u8>>, String) {
    let other = KNOWN_OPERATIONS[rng.gen_range(0..KNOWN_OPERATIONS.len())];
    let t: Option<String> = match rng.gen_range(0..12) {
        0 => None,
        1 => Some(String::new()),
        2 => Some(TARGET_PREFIX.to_string()),
        3 => Some(format!("{TARGET_PREFIX}Frobnicate")),
        4 => Some(format!("{TARGET_PREFIX}{}", op.to_lowercase())),
        // The body of one operation sent to another.
        5 | 6 => Some(format!("{TARGET_PREFIX}{other}")),
        7 => Some(format!("{TARGET_PREFIX}Extra.{op}")),
        8 => Some(format!("DynamoDB_20120810.{op}")),
        9 => Some(format!("{TARGET_PREFIX}{op} ")),
        10 => Some(format!("{TARGET_PREFIX}{}", "X".repeat(8_000))),
        _ => {
            let mut bytes = format!("{TARGET_PREFIX}{op}").into_bytes();
            bytes.extend_from_slice(&[0xc3, 0xa9, 0xff]);
            return (Some(bytes), "target with non-ASCII bytes".into());
        }
    };
    let note = match &t {
        None => "no target".to_string(),
        Some(s) => format!("target {:?}", s.chars().take(80).collect::<String>()),
    };
    (t.map(String::into_bytes), note)
}

fn odd_content_type(rng: &mut StdRng) -> (Option<Vec<u8>>, String) {
    let c: Option<&[u8]> = match rng.gen_range(0..7) {
        0 => None,
        1 => Some(b"application/json"),
        2 => Some(b"text/plain"),
        3 => Some(b""),
        4 => Some(b"application/x-amz-json-1.0"),
        5 => Some(b"multipart/form-data; boundary=x"),
        _ => Some(&[0xff, 0xfe, b'/', b'x']),
    };
    let note = match c {
        None => "no content-type".to_string(),
        Some(v) => format!("content-type {:?}", String::from_utf8_lossy(v)),
    };
    (c.map(<[u8]>::to_vec), note)
}

/// Each fixture id, name, token and session, with the same kind of value of the other
/// pools (and the scratch pool), for the foreign-id mutation.
pub fn swaps(fx: &Fixture) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (i, pool) in fx.pools.iter().enumerate() {
        let others: Vec<_> = fx
            .pools
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| p)
            .collect();
        let mut pool_ids: Vec<String> = others.iter().map(|p| p.id.clone()).collect();
        pool_ids.extend(fx.scratch.iter().map(|(p, _)| p.clone()));
        out.push((pool.id.clone(), pool_ids));
        let of = |f: &dyn Fn(&super::fixture::PoolFix) -> Vec<String>| -> Vec<String> {
            others.iter().flat_map(|p| f(p)).collect()
        };
        let clients = of(&|p| p.clients.iter().map(|c| c.id.clone()).collect());
        let users = of(&|p| p.users.iter().map(|u| u.name.clone()).collect());
        let access = of(&|p| p.tokens.iter().map(|t| t.access.clone()).collect());
        let refresh = of(&|p| p.tokens.iter().map(|t| t.refresh.clone()).collect());
        let sessions = of(&|p| {
            p.challenges
                .iter()
                .filter_map(|c| c.session.clone())
                .collect()
        });
        for c in &pool.clients {
            out.push((c.id.clone(), clients.clone()));
        }
        for u in &pool.users {
            out.push((u.name.clone(), users.clone()));
        }
        for t in &pool.tokens {
            out.push((t.access.clone(), access.clone()));
            out.push((t.id.clone(), access.clone()));
            out.push((t.refresh.clone(), refresh.clone()));
        }
        for c in &pool.challenges {
            if let Some(s) = &c.session {
                out.push((s.clone(), sessions.clone()));
            }
        }
        out.push((pool.group.clone(), of(&|p| vec![p.group.clone()])));
    }
    out
}
