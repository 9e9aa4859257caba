//! Writing what the platform sent: roster and declarations (a page at a time, with its cursor),
//! tombstones, and the engine's evaluation of the whole unit.

use crate::codes::to_code;
use crate::db::Store;
use crate::error::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use jxjy_core::{evaluate, Declaration, Flag, Input, RuleSet, Staff, SyncScope};
use rusqlite::{params, OptionalExtension, Transaction};

/// One page of a delta pull; it commits together with its cursor, so an interrupted pull
/// resumes after the last whole page.
#[derive(Debug, Clone)]
pub struct PullPage {
    pub scope: SyncScope,
    pub staff: Vec<Staff>,
    pub declarations: Vec<Declaration>,
    /// Ids of withdrawn or deleted items of this scope.
    pub tombstones: Vec<String>,
    pub cursor: String,
    pub server_count: Option<i64>,
    pub server_checksum: Option<String>,
}

impl PullPage {
    /// A page of `scope` with nothing on it yet.
    pub fn empty(scope: SyncScope) -> PullPage {
        PullPage {
            scope,
            staff: Vec::new(),
            declarations: Vec::new(),
            tombstones: Vec::new(),
            cursor: String::new(),
            server_count: None,
            server_checksum: None,
        }
    }
}

/// What a re-evaluation touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalSummary {
    pub declarations: usize,
    pub ledger_entries: usize,
}

/// Bit of a flag in `declarations.flag_mask`.
pub fn flag_bit(flag: Flag) -> i64 {
    let index = Flag::ALL.iter().position(|f| *f == flag).unwrap_or(0);
    1i64 << index
}

fn upsert_staff(tx: &Transaction<'_>, s: &Staff) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO staff (id, name, id_number, unit_id, title_series, title_level, applying_promotion, active, deleted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, id_number = excluded.id_number,
           unit_id = excluded.unit_id, title_series = excluded.title_series,
           title_level = excluded.title_level, applying_promotion = excluded.applying_promotion,
           active = excluded.active, deleted = 0",
        params![
            s.id,
            s.name,
            s.id_number,
            s.unit_id,
            s.title_series,
            s.title_level.map(|l| to_code(&l)),
            s.applying_promotion,
            s.active
        ],
    )?;
    tx.execute(
        "UPDATE declarations SET staff_name = ?2 WHERE staff_id = ?1 AND staff_name IS NOT ?2",
        params![s.id, s.name],
    )?;
    Ok(())
}

fn upsert_declaration(tx: &Transaction<'_>, d: &Declaration) -> Result<(), StoreError> {
    // An evidence record names a URL and sizes a download: checked before anything is
    // written, for every way a declaration arrives (a pull, a snapshot, an interchange file).
    for e in &d.evidence {
        jxjy_core::evidence_record::check_evidence(e).map_err(|problem| {
            StoreError::BadEvidenceRecord {
                declaration: d.id.chars().filter(|c| !c.is_control()).take(64).collect(),
                problem,
            }
        })?;
    }
    let doc = serde_json::to_string(d).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO declarations (id, staff_id, version, status, form, category, title, organizer,
                                   start_date, end_date, claimed_centi, claimed_absent, deleted,
                                   staff_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0,
                 (SELECT name FROM staff WHERE id = ?2))
         ON CONFLICT(id) DO UPDATE SET staff_id = excluded.staff_id, version = excluded.version,
           status = excluded.status, form = excluded.form, category = excluded.category,
           title = excluded.title, organizer = excluded.organizer, start_date = excluded.start_date,
           end_date = excluded.end_date, claimed_centi = excluded.claimed_centi,
           claimed_absent = excluded.claimed_absent, deleted = 0,
           staff_name = excluded.staff_name",
        params![
            d.id,
            d.staff_id,
            i64::try_from(d.version).unwrap_or(i64::MAX),
            to_code(&d.status),
            to_code(&d.form),
            to_code(&d.category),
            d.title,
            d.organizer,
            d.start_date.to_string(),
            d.end_date.to_string(),
            d.claimed_hours.map_or(0, |h| h.centi()),
            d.claimed_hours.is_none()
        ],
    )?;
    tx.execute(
        "INSERT INTO declaration_docs (id, doc) VALUES (?1, ?2)
         ON CONFLICT(id) DO UPDATE SET doc = excluded.doc",
        params![d.id, doc],
    )?;
    tx.execute(
        "DELETE FROM declaration_evidence WHERE declaration_id = ?1",
        [&d.id],
    )?;
    for e in &d.evidence {
        let sha = e.sha256.to_ascii_lowercase();
        tx.execute(
            "INSERT INTO declaration_evidence (declaration_id, evidence_id, sha256, file_name)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            params![d.id, e.id, sha, e.file_name],
        )?;
        tx.execute(
            "INSERT INTO evidence (sha256, size, media_type) VALUES (?1, ?2, ?3)
             ON CONFLICT(sha256) DO NOTHING",
            params![sha, i64::try_from(e.size).unwrap_or(i64::MAX), e.media_type],
        )?;
    }
    Ok(())
}

/// Writes staff and declarations (new or newer versions) in the caller's transaction.
fn upsert_all(
    tx: &Transaction<'_>,
    staff: &[Staff],
    declarations: &[Declaration],
) -> Result<(), StoreError> {
    upsert(tx, staff, declarations, false)
}

/// Like `upsert_all`, but a declaration this profile holds at a newer version is kept: a
/// snapshot may be older than what a later sync brought.
pub(crate) fn upsert_all_newer(
    tx: &Transaction<'_>,
    staff: &[Staff],
    declarations: &[Declaration],
) -> Result<(), StoreError> {
    upsert(tx, staff, declarations, true)
}

fn upsert(
    tx: &Transaction<'_>,
    staff: &[Staff],
    declarations: &[Declaration],
    keep_newer: bool,
) -> Result<(), StoreError> {
    for s in staff {
        upsert_staff(tx, s)?;
    }
    let mut version = tx.prepare_cached("SELECT version FROM declarations WHERE id = ?1")?;
    for d in declarations {
        if keep_newer {
            let have: Option<i64> = version.query_row([&d.id], |r| r.get(0)).optional()?;
            if have.is_some_and(|v| v > i64::try_from(d.version).unwrap_or(i64::MAX)) {
                continue;
            }
        }
        upsert_declaration(tx, d)?;
    }
    Ok(())
}

impl Store {
    /// Stores a whole interchange document (roster and declarations) in one transaction,
    /// without touching the sync cursors: for benchmarks, demos and offline data sets.
    pub fn import_input(&mut self, input: &Input) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        upsert_all(&tx, &input.staff, &input.declarations)?;
        tx.commit()?;
        Ok(())
    }

    /// Applies one page of a pull and its cursor in one transaction.
    pub fn apply_page(&mut self, page: &PullPage, now: DateTime<Utc>) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        upsert_all(&tx, &page.staff, &page.declarations)?;
        let tombstone = match page.scope {
            SyncScope::Staff => "UPDATE staff SET deleted = 1 WHERE id = ?1",
            SyncScope::Declarations => "UPDATE declarations SET deleted = 1 WHERE id = ?1",
        };
        for id in &page.tombstones {
            // Kept, not deleted: a decision may still refer to it.
            tx.execute(tombstone, [id])?;
        }
        tx.execute(
            "INSERT INTO sync_cursors (scope, cursor, server_count, server_checksum, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(scope) DO UPDATE SET cursor = excluded.cursor,
               server_count = excluded.server_count, server_checksum = excluded.server_checksum,
               updated_at = excluded.updated_at",
            params![
                page.scope.code(),
                page.cursor,
                page.server_count,
                page.server_checksum,
                now.to_rfc3339()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The stored cursor of a scope.
    pub fn cursor(&self, scope: SyncScope) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT cursor FROM sync_cursors WHERE scope = ?1",
                [scope.code()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Runs the engine over the whole unit and stores each declaration's evaluation and the
    /// ledger, in one transaction.
    pub fn reevaluate(
        &mut self,
        rules: &RuleSet,
        year: i32,
        today: NaiveDate,
    ) -> Result<EvalSummary, StoreError> {
        let input = self.load_input(year)?;
        let mut evaluation = evaluate(&input, rules, today);
        // The engine knows nothing of evidence readings: their flags are kept as they are.
        let reading = self.current_reading_flags()?;
        for r in &mut evaluation.declarations {
            if let Some(flags) = reading.get(&r.id) {
                r.flags = crate::readings::merge_reading_flags(&r.flags, flags);
            }
        }
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare(
                "UPDATE declarations SET year = ?2, computed_centi = ?3, credited_centi = ?4,
                   deemed = ?5, clause = ?6, flags = ?7, flag_mask = ?8
                 WHERE id = ?1",
            )?;
            let mut explain =
                tx.prepare("UPDATE declaration_docs SET explanation = ?2 WHERE id = ?1")?;
            for r in &evaluation.declarations {
                let flags = serde_json::to_string(&r.flags)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let mask: i64 = r.flags.iter().map(|f| flag_bit(*f)).fold(0, |a, b| a | b);
                update.execute(params![
                    r.id,
                    r.year,
                    r.computed_hours.centi(),
                    r.credited_hours.centi(),
                    r.deemed.map(|d| to_code(&d)),
                    r.clause,
                    flags,
                    mask
                ])?;
                explain.execute(params![r.id, r.explanation])?;
            }
            tx.execute("DELETE FROM ledger", [])?;
            let mut insert = tx.prepare(
                "INSERT INTO ledger (staff_id, year, entry, complete) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for l in &evaluation.ledger {
                let entry =
                    serde_json::to_string(l).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                insert.execute(params![l.staff_id, l.year, entry, l.complete])?;
            }
        }
        tx.commit()?;
        // Fresh statistics let the planner pick the right index for each queue filter.
        self.conn
            .execute_batch("PRAGMA analysis_limit = 2000; ANALYZE;")?;
        Ok(EvalSummary {
            declarations: evaluation.declarations.len(),
            ledger_entries: evaluation.ledger.len(),
        })
    }

    /// The unit as the engine's input: the live roster and declarations.
    pub fn load_input(&self, year: i32) -> Result<Input, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, id_number, unit_id, title_series, title_level, applying_promotion, active
             FROM staff WHERE deleted = 0 ORDER BY id",
        )?;
        let staff = stmt
            .query_map([], |r| {
                let level: Option<String> = r.get(5)?;
                Ok(Staff {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    id_number: r.get(2)?,
                    unit_id: r.get(3)?,
                    title_series: r.get(4)?,
                    title_level: level.and_then(|l| crate::codes::from_code(&l).ok()),
                    applying_promotion: r.get(6)?,
                    active: r.get(7)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT doc.doc FROM declarations d JOIN declaration_docs doc ON doc.id = d.id
             WHERE d.deleted = 0 ORDER BY d.id",
        )?;
        let docs = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let declarations = docs
            .iter()
            .map(|doc| {
                serde_json::from_str::<Declaration>(doc)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Input {
            year,
            rules: None,
            staff,
            declarations,
        })
    }
}
