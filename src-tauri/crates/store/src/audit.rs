//! The audit log: who did what, when, with the state before and after. Each entry carries the
//! hash of the previous one, and the chain's head is kept beside it, so an edited, inserted or
//! deleted entry (also at the end) is detected by `verify`.

use crate::error::StoreError;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub prev_hash: String,
    pub hash: String,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditReport {
    pub entries: i64,
    /// `None` when the chain is intact.
    pub problem: Option<String>,
}

impl AuditReport {
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let body = serde_json::json!([seq, at, actor, action, entity, before, after]).to_string();
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A `seq:hash` point of the chain kept in `meta` under `key`.
fn point(conn: &Connection, key: &str) -> Result<Option<(i64, String)>, StoreError> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| {
        let (seq, hash) = v.split_once(':')?;
        Some((seq.parse().ok()?, hash.to_owned()))
    }))
}

/// The chain's head as stored beside it.
fn head(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    point(conn, "audit_head")
}

/// Appends one entry inside the caller's transaction.
pub(crate) fn append(
    tx: &Transaction<'_>,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    entity: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<i64, StoreError> {
    let (prev_seq, prev_hash) = head(tx)?.unwrap_or((0, GENESIS.to_owned()));
    let seq = prev_seq + 1;
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let before = before.map(ToString::to_string);
    let after = after.map(ToString::to_string);
    let hash = entry_hash(
        &prev_hash,
        seq,
        &at,
        actor,
        action,
        entity,
        before.as_deref(),
        after.as_deref(),
    );
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![seq, at, actor, action, entity, before, after, prev_hash, hash],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [format!("{seq}:{hash}")],
    )?;
    Ok(seq)
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn rows(conn: &Connection, entity: Option<&str>) -> Result<Vec<Row>, StoreError> {
    rows_after(conn, entity, 0)
}

/// Entries after `seq` (of one entity, or all), in order.
fn rows_after(conn: &Connection, entity: Option<&str>, seq: i64) -> Result<Vec<Row>, StoreError> {
    let sql = "SELECT seq, at, actor, action, entity, before, after, prev_hash, hash FROM audit_log
               WHERE (?1 IS NULL OR entity = ?1) AND seq > ?2 ORDER BY seq";
    let mut stmt = conn.prepare(sql)?;
    let out = stmt
        .query_map(params![entity, seq], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    Ok(out)
}

/// Walks the whole chain.
pub fn verify(conn: &Connection) -> Result<AuditReport, StoreError> {
    walk(conn, None)
}

/// Where the last verification that found the chain intact ended: `(seq, hash)`.
fn checkpoint(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    point(conn, "audit_checked")
}

/// Verifies what was added since the last verification (the whole chain the first time): the
/// entry verified last must still be there, unchanged, and every later one must follow it. An
/// intact chain moves the checkpoint to the head, so opening a profile stays fast at any length.
/// A profile whose rows and head were both removed still has its checkpoint: found too.
pub fn verify_since_checkpoint(conn: &Connection) -> Result<AuditReport, StoreError> {
    let from = checkpoint(conn)?;
    let report = walk(conn, from)?;
    if report.ok() {
        if let Some((seq, hash)) = head(conn)? {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('audit_checked', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [format!("{seq}:{hash}")],
            )?;
        }
    }
    Ok(report)
}

/// Walks the chain from `from` (a verified entry; None: from the start) to the stored head.
fn walk(conn: &Connection, from: Option<(i64, String)>) -> Result<AuditReport, StoreError> {
    let report = |entries: i64, problem: String| AuditReport {
        entries,
        problem: Some(problem),
    };
    let (mut prev_seq, mut prev_hash) = (0, GENESIS.to_owned());
    if let Some((seq, hash)) = from {
        let known: Option<Row> = rows_after(conn, None, seq - 1)?.into_iter().next();
        let intact = known.as_ref().is_some_and(|r| {
            r.0 == seq
                && r.8 == hash
                && entry_hash(
                    &r.7,
                    r.0,
                    &r.1,
                    &r.2,
                    &r.3,
                    &r.4,
                    r.5.as_deref(),
                    r.6.as_deref(),
                ) == hash
        });
        if !intact {
            return Ok(report(
                seq,
                format!("entry {seq}, verified before, was changed or removed"),
            ));
        }
        (prev_seq, prev_hash) = (seq, hash);
    }
    let all = rows_after(conn, None, prev_seq)?;
    for (seq, at, actor, action, entity, before, after, stored_prev, hash) in &all {
        if *seq != prev_seq + 1 {
            return Ok(report(
                *seq,
                format!("entry {} missing before entry {seq}", prev_seq + 1),
            ));
        }
        if *stored_prev != prev_hash {
            return Ok(report(
                *seq,
                format!("entry {seq} does not follow entry {prev_seq}"),
            ));
        }
        let expected = entry_hash(
            &prev_hash,
            *seq,
            at,
            actor,
            action,
            entity,
            before.as_deref(),
            after.as_deref(),
        );
        if expected != *hash {
            return Ok(report(*seq, format!("entry {seq} was changed")));
        }
        prev_seq = *seq;
        prev_hash = hash.clone();
    }
    match head(conn)? {
        None if prev_seq == 0 => {}
        Some((s, h)) if s == prev_seq && h == prev_hash => {}
        Some((s, _)) => {
            return Ok(report(
                prev_seq,
                format!("entries after {prev_seq} up to {s} were removed"),
            ));
        }
        None => return Ok(report(prev_seq, "the chain head is missing".into())),
    }
    Ok(AuditReport {
        entries: prev_seq,
        problem: None,
    })
}

fn to_entry(r: Row) -> AuditEntry {
    let parse = |s: Option<String>| s.and_then(|t| serde_json::from_str(&t).ok());
    AuditEntry {
        seq: r.0,
        at: r.1,
        actor: r.2,
        action: r.3,
        entity: r.4,
        before: parse(r.5),
        after: parse(r.6),
        prev_hash: r.7,
        hash: r.8,
    }
}

/// The history of one entity (e.g. `declaration:D001`), oldest first.
pub fn history(conn: &Connection, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(rows(conn, Some(entity))?
        .into_iter()
        .map(to_entry)
        .collect())
}

/// Writes every entry as one JSON object per line.
pub fn export_jsonl(conn: &Connection, out: &mut dyn Write) -> Result<i64, StoreError> {
    let mut n = 0;
    for r in rows(conn, None)? {
        let line =
            serde_json::to_string(&to_entry(r)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        writeln!(out, "{line}").map_err(StoreError::Io)?;
        n += 1;
    }
    Ok(n)
}
