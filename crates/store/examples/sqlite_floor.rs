//! What SQLite alone costs on this machine, with Keystep's settings (WAL,
//! `synchronous=NORMAL`, foreign keys, the lane's checkpoint interval): one committed row
//! of a `refresh_tokens`-shaped table, or one point read of a user-sized row
//! (`docs/performance.md`, round 8).
//!
//! ```sh
//! cargo build --release -p keystep-store --example sqlite_floor
//! taskset -c 0 target/release/examples/sqlite_floor /tmp/floor.db insert 1    # rows per commit
//! taskset -c 0 target/release/examples/sqlite_floor /tmp/floor.db read
//! ```

use std::error::Error;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const SCHEMA: &str = "
    CREATE TABLE users (pool_id TEXT NOT NULL, sub TEXT NOT NULL, body TEXT,
        PRIMARY KEY (pool_id, sub)) STRICT;
    CREATE TABLE app_clients (client_id TEXT NOT NULL PRIMARY KEY) STRICT;
    CREATE TABLE refresh_tokens (
        hash       BLOB    NOT NULL PRIMARY KEY,
        pool_id    TEXT    NOT NULL,
        client_id  TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
        sub        TEXT    NOT NULL,
        origin_jti TEXT    NOT NULL,
        auth_time  INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked    INTEGER NOT NULL,
        FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
    ) STRICT;
    CREATE INDEX refresh_tokens_by_client ON refresh_tokens (client_id);
    CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);
    INSERT INTO app_clients VALUES ('client-1');";

const OPERATIONS: u64 = 20_000;

/// CPU time of this thread so far, in milliseconds (`/proc/thread-self/schedstat`).
fn cpu_ms() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat")?;
    let nanos: f64 = stat.split(' ').next().ok_or("empty schedstat")?.parse()?;
    Ok(nanos / 1e6)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (path, mode) = match (args.get(1), args.get(2)) {
        (Some(path), Some(mode)) => (path, mode.as_str()),
        _ => return Err("usage: sqlite_floor DB_PATH insert [ROWS_PER_COMMIT] | read".into()),
    };
    let batch: u64 = args.get(3).map_or(Ok(1), |b| b.parse())?.max(1);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let db = rusqlite::Connection::open(path)?;
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    db.pragma_update(None, "foreign_keys", true)?;
    db.pragma_update(None, "wal_autocheckpoint", 10_000)?;
    db.execute_batch(SCHEMA)?;
    let subs: Vec<String> = (0..100).map(|i| format!("sub-{i:036}")).collect();
    for sub in &subs {
        db.execute(
            "INSERT INTO users VALUES ('us-east-1_pool', ?1, ?2)",
            (sub, "x".repeat(1500)),
        )?;
    }
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let started = cpu_ms()?;
    for i in 0..OPERATIONS {
        let sub = &subs[(i % 100) as usize];
        if mode == "read" {
            let mut read = db.prepare_cached(
                "SELECT body FROM users WHERE pool_id = 'us-east-1_pool' AND sub = ?1",
            )?;
            let body: String = read.query_row([sub], |r| r.get(0))?;
            std::hint::black_box(body);
            continue;
        }
        if batch > 1 && i % batch == 0 {
            db.execute_batch("BEGIN")?;
        }
        // A random 32-byte key, as a token hash is.
        let mut hash = [0u8; 32];
        for b in &mut hash {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            *b = seed as u8;
        }
        let mut insert = db.prepare_cached(
            "INSERT INTO refresh_tokens (hash, pool_id, client_id, sub, origin_jti, auth_time, \
             created_at, expires_at, revoked) \
             VALUES (?1, 'us-east-1_pool', 'client-1', ?2, ?3, 1, 2, ?4, 0)",
        )?;
        insert.execute((&hash[..], sub, format!("origin-{i}"), i as i64))?;
        if batch > 1 && i % batch == batch - 1 {
            db.execute_batch("COMMIT")?;
        }
    }
    let per_op = (cpu_ms()? - started) / OPERATIONS as f64;
    println!("{mode}: {per_op:.4} ms CPU per operation");
    Ok(())
}
