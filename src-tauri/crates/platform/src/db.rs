//! The platform's database: one SQLite file in WAL mode. Every change bumps a global sequence
//! number, which is what delta-pull cursors point into.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS units (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    unit_id       TEXT NOT NULL REFERENCES units(id),
    display_name  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    username   TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS staff (
    id      TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL,
    doc     TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS staff_unit_seq ON staff(unit_id, seq);
CREATE TABLE IF NOT EXISTS declarations (
    id       TEXT PRIMARY KEY,
    unit_id  TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    version  INTEGER NOT NULL,
    status   TEXT NOT NULL,
    doc      TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS declarations_unit_seq ON declarations(unit_id, seq);
CREATE INDEX IF NOT EXISTS declarations_staff ON declarations(staff_id);
CREATE TABLE IF NOT EXISTS evidence (
    sha256     TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    data       BLOB NOT NULL
);
-- What each seeded certificate was made to show (seed --evidence): its format, layout and the
-- one discrepancy it carries on purpose, if any. Ground truth for tests and the demo.
CREATE TABLE IF NOT EXISTS evidence_truth (
    sha256         TEXT PRIMARY KEY,
    declaration_id TEXT NOT NULL,
    format         TEXT NOT NULL,
    layout         TEXT NOT NULL,
    discrepancy    TEXT
);
CREATE TABLE IF NOT EXISTS evidence_units (
    sha256  TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    PRIMARY KEY (sha256, unit_id)
);
CREATE TABLE IF NOT EXISTS decisions (
    idempotency_key     TEXT PRIMARY KEY,
    declaration_id      TEXT NOT NULL,
    declaration_version INTEGER NOT NULL,
    unit_id             TEXT NOT NULL,
    outcome             TEXT NOT NULL,
    credited_hours      REAL,
    category            TEXT,
    reason              TEXT,
    reviewer            TEXT NOT NULL,
    decided_at          TEXT,
    received_at         TEXT NOT NULL,
    result              TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS spotcheck_findings (
    idempotency_key TEXT PRIMARY KEY,
    pack_id         TEXT NOT NULL,
    declaration_id  TEXT NOT NULL,
    unit_id         TEXT NOT NULL,
    finding         TEXT NOT NULL,
    note            TEXT,
    reviewer        TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    received_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- The last audit-chain head each reviewer profile pushed: the anchor outside the PC.
CREATE TABLE IF NOT EXISTS audit_heads (
    username   TEXT NOT NULL,
    profile    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (username, profile)
);
";

/// A login session: its tokens are rotated on refresh, all end with it, and it ends at the
/// latest at `ends_at` however often it is refreshed.
const SESSIONS: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id       TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    ends_at  INTEGER NOT NULL,
    revoked  INTEGER NOT NULL DEFAULT 0
);
";

/// Opens (and creates) the database; a database made before sessions existed gains them.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(SESSIONS)?;
    let has_session: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('tokens') WHERE name = 'session'",
        [],
        |r| r.get(0),
    )?;
    if has_session == 0 {
        // Tokens of before carry no session: they are dropped, their holders log in again.
        conn.execute_batch(
            "DELETE FROM tokens;
             ALTER TABLE tokens ADD COLUMN session TEXT NOT NULL DEFAULT '';
             ALTER TABLE tokens ADD COLUMN used INTEGER NOT NULL DEFAULT 0;
             CREATE INDEX IF NOT EXISTS tokens_session ON tokens(session);",
        )?;
    }
    Ok(conn)
}

/// The next change sequence number.
pub fn next_seq(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    let cur: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = 'seq'", [], |r| r.get(0))
        .optional()?;
    let next = cur.and_then(|v| v.parse::<i64>().ok()).unwrap_or(0) + 1;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('seq', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![next.to_string()],
    )?;
    Ok(next)
}
