//! Operator commands: list decisions, amend or withdraw a declaration as its declarant would,
//! and move approved declarations through the later review stages.

use crate::db::next_seq;
use jxjy_core::synth::Rng;
use jxjy_core::{Declaration, Hours, Status};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DecisionRow {
    pub declaration_id: String,
    pub declaration_version: i64,
    pub outcome: String,
    pub credited_hours: Option<f64>,
    pub category: Option<String>,
    pub reason: Option<String>,
    pub idempotency_key: String,
    pub reviewer: String,
    pub decided_at: Option<String>,
    pub received_at: String,
}

pub fn decisions(conn: &Connection) -> rusqlite::Result<Vec<DecisionRow>> {
    let mut stmt = conn.prepare(
        "SELECT declaration_id, declaration_version, outcome, credited_hours, category, reason,
                idempotency_key, reviewer, decided_at, received_at
         FROM decisions ORDER BY received_at, idempotency_key",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(DecisionRow {
                declaration_id: r.get(0)?,
                declaration_version: r.get(1)?,
                outcome: r.get(2)?,
                credited_hours: r.get(3)?,
                category: r.get(4)?,
                reason: r.get(5)?,
                idempotency_key: r.get(6)?,
                reviewer: r.get(7)?,
                decided_at: r.get(8)?,
                received_at: r.get(9)?,
            })
        })?
        .collect();
    rows
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FindingRow {
    pub idempotency_key: String,
    pub pack_id: String,
    pub declaration_id: String,
    pub finding: String,
    pub note: Option<String>,
    pub reviewer: String,
    pub recorded_at: String,
}

/// Spot-check findings the server holds, in the order they arrived.
pub fn findings(conn: &Connection) -> rusqlite::Result<Vec<FindingRow>> {
    let mut stmt = conn.prepare(
        "SELECT idempotency_key, pack_id, declaration_id, finding, note, reviewer, recorded_at
         FROM spotcheck_findings ORDER BY received_at, idempotency_key",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(FindingRow {
                idempotency_key: r.get(0)?,
                pack_id: r.get(1)?,
                declaration_id: r.get(2)?,
                finding: r.get(3)?,
                note: r.get(4)?,
                reviewer: r.get(5)?,
                recorded_at: r.get(6)?,
            })
        })?
        .collect();
    rows
}

fn status_code(s: Status) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Stores a declaration's new version under change sequence `seq`.
fn write_declaration(
    tx: &rusqlite::Transaction<'_>,
    d: &Declaration,
    seq: i64,
) -> anyhow::Result<()> {
    tx.execute(
        "UPDATE declarations SET version = ?2, status = ?3, doc = ?4, seq = ?5 WHERE id = ?1",
        params![
            d.id,
            d.version as i64,
            status_code(d.status),
            serde_json::to_string(d)?,
            seq
        ],
    )?;
    Ok(())
}

/// A new version of a declaration (the claimed hours change by one, the title notes it), back
/// in unit review; or a withdrawal (a tombstone). Returns the new version.
pub fn amend(conn: &mut Connection, id: &str, withdraw: bool) -> anyhow::Result<u64> {
    let tx = conn.transaction()?;
    let doc: Option<String> = tx
        .query_row(
            "SELECT doc FROM declarations WHERE id = ?1 AND deleted = 0",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let doc = doc.ok_or_else(|| anyhow::anyhow!("no live declaration {id}"))?;
    let mut d: Declaration = serde_json::from_str(&doc)?;
    d.version += 1;
    let seq = next_seq(&tx)?;
    if withdraw {
        tx.execute(
            "UPDATE declarations SET deleted = 1, version = ?2, seq = ?3 WHERE id = ?1",
            params![id, d.version as i64, seq],
        )?;
    } else {
        d.claimed_hours = Some(d.claimed_hours.unwrap_or(Hours::ZERO) + Hours::whole(1));
        if !d.title.ends_with("（已修改）") {
            d.title.push_str("（已修改）");
        }
        d.status = Status::PendingUnitReview;
        write_declaration(&tx, &d, seq)?;
    }
    tx.commit()?;
    Ok(d.version)
}

/// Unit-approved declarations become industry-approved; about one in ten of those is then
/// selected for a spot check. Returns (industry approved, spot checked).
pub fn advance(conn: &mut Connection, seed: u64) -> anyhow::Result<(usize, usize)> {
    let mut rng = Rng::new(seed);
    let tx = conn.transaction()?;
    let docs: Vec<String> = tx
        .prepare("SELECT doc FROM declarations WHERE status = 'unit_approved' AND deleted = 0 ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let (mut industry, mut spot) = (0, 0);
    for doc in docs {
        let mut d: Declaration = serde_json::from_str(&doc)?;
        d.status = if rng.chance(10) {
            spot += 1;
            Status::SpotChecked
        } else {
            Status::IndustryApproved
        };
        industry += 1;
        d.version += 1;
        let seq = next_seq(&tx)?;
        write_declaration(&tx, &d, seq)?;
    }
    tx.commit()?;
    Ok((industry, spot))
}
