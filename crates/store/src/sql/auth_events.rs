//! Auth events: one row per sign-in, its challenges a text list that each step appends
//! to in the same statement that records it.

use rusqlite::Connection;
use sqlx::Row;

use keystep_core::auth_event::{
    decode_challenges, encode_challenges, AuthEvent, EventResponse, Feedback,
};
use keystep_core::ports::Page;
use keystep_core::Millis;

use super::{query_with, DbPool, DbRow};
use crate::codec;
use crate::error::{corrupt, on_insert, Fail};
use crate::lane;
use crate::params::{params, Param};

const COLUMNS: &str = "pool_id, event_id, sub, client_id, created_at, response, challenges, \
     ip_address, feedback_value, feedback_provider, feedback_at";

fn row(r: &DbRow) -> Result<AuthEvent, Fail> {
    let response: String = r.try_get("response")?;
    let challenges: String = r.try_get("challenges")?;
    let value: Option<String> = r.try_get("feedback_value")?;
    let provider: Option<String> = r.try_get("feedback_provider")?;
    let at: Option<i64> = r.try_get("feedback_at")?;
    Ok(AuthEvent {
        pool_id: r.try_get("pool_id")?,
        event_id: r.try_get("event_id")?,
        sub: r.try_get("sub")?,
        client_id: r.try_get("client_id")?,
        created_at: Millis(r.try_get("created_at")?),
        response: EventResponse::parse(&response)
            .ok_or_else(|| corrupt("event response", &response))?,
        challenges: decode_challenges(&challenges),
        ip_address: r.try_get("ip_address")?,
        feedback: match (value, provider, at) {
            (Some(value), Some(provider), Some(at)) => Some(Feedback {
                value,
                provider,
                at: Millis(at),
            }),
            _ => None,
        },
    })
}

/// The upsert of a step: a new event is inserted; a known one takes the step's response
/// and appends its challenges.
const UPSERT: &str = "ON CONFLICT (pool_id, event_id) DO UPDATE SET response = excluded.response, \
     challenges = CASE \
       WHEN excluded.challenges = '' THEN auth_events.challenges \
       WHEN auth_events.challenges = '' THEN excluded.challenges \
       ELSE auth_events.challenges || ',' || excluded.challenges END";

const INSERT: &str = "INSERT INTO auth_events (pool_id, event_id, sub, client_id, created_at, \
     response, challenges, ip_address, expires_at) VALUES ";

/// Columns bound per event.
const PER_EVENT: usize = 9;

pub(super) async fn record(db: &DbPool, e: &AuthEvent, expires_at: Millis) -> Result<(), Fail> {
    record_many(db, std::slice::from_ref(&(e.clone(), expires_at))).await
}

fn record_many_sql(events: usize) -> String {
    let rows = (0..events)
        .map(|i| {
            let n = i * PER_EVENT;
            let places = (1..=PER_EVENT)
                .map(|k| format!("${}", n + k))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({places})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("{INSERT}{rows} {UPSERT}")
}

/// Each event's step encoded for the upsert, in `events`' order.
fn encoded_challenges(events: &[(AuthEvent, Millis)]) -> Vec<String> {
    events
        .iter()
        .map(|(e, _)| encode_challenges(&e.challenges))
        .collect()
}

/// The values of [`record_many_sql`], [`PER_EVENT`] per event.
fn record_many_params<'a>(
    events: &'a [(AuthEvent, Millis)],
    challenges: &'a [String],
) -> Vec<Param<'a>> {
    let mut params = Vec::with_capacity(events.len() * PER_EVENT);
    for ((e, expires_at), challenges) in events.iter().zip(challenges) {
        params.extend(params![
            &e.pool_id,
            &e.event_id,
            &e.sub,
            &e.client_id,
            e.created_at.0,
            e.response.as_str(),
            challenges,
            &e.ip_address,
            expires_at.0,
        ]);
    }
    params
}

/// [`record_many`] on the fast lane.
pub(super) fn record_many_now(
    conn: &Connection,
    events: &[(AuthEvent, Millis)],
) -> Result<(), Fail> {
    if events.is_empty() {
        return Ok(());
    }
    let challenges = encoded_challenges(events);
    let params = record_many_params(events, &challenges);
    lane::execute(conn, &record_many_sql(events.len()), &params)
        .map_err(on_insert("auth event"))?;
    Ok(())
}

/// Several distinct events' steps in one statement.
pub(super) async fn record_many(db: &DbPool, events: &[(AuthEvent, Millis)]) -> Result<(), Fail> {
    if events.is_empty() {
        return Ok(());
    }
    let sql = record_many_sql(events.len());
    let challenges = encoded_challenges(events);
    let params = record_many_params(events, &challenges);
    query_with(&sql, &params)
        .execute(db)
        .await
        .map_err(on_insert("auth event"))?;
    Ok(())
}

pub(super) async fn list(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    after: Option<&str>,
    limit: u32,
) -> Result<Page<AuthEvent>, Fail> {
    let (created, id) = codec::newest_first_cursor(after);
    let sql = format!(
        "SELECT {COLUMNS} FROM auth_events WHERE pool_id = $1 AND sub = $2 \
         AND (created_at < $3 OR (created_at = $3 AND event_id < $4) OR $5) \
         ORDER BY created_at DESC, event_id DESC LIMIT $6"
    );
    let rows = sqlx::query(&sql)
        .bind(pool_id)
        .bind(sub)
        .bind(created)
        .bind(&id)
        .bind(after.is_none())
        .bind(codec::probe_limit(limit))
        .fetch_all(db)
        .await?;
    let items = rows.iter().map(row).collect::<Result<Vec<_>, _>>()?;
    Ok(codec::page(items, limit, |e| {
        codec::newest_first_key(e.created_at.0, &e.event_id)
    }))
}

pub(super) async fn set_feedback(
    db: &DbPool,
    pool_id: &str,
    sub: &str,
    event_id: &str,
    f: &Feedback,
) -> Result<bool, Fail> {
    let done = sqlx::query(
        "UPDATE auth_events SET feedback_value = $1, feedback_provider = $2, feedback_at = $3 \
         WHERE pool_id = $4 AND sub = $5 AND event_id = $6",
    )
    .bind(&f.value)
    .bind(&f.provider)
    .bind(f.at.0)
    .bind(pool_id)
    .bind(sub)
    .bind(event_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
