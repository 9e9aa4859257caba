//! Spot-check packs in the store: draw a sample of the year's approved declarations (the core
//! decides which), keep it, record a finding per item offline, and hand findings to the sync.

use crate::audit;
use crate::codes::{from_code, to_code};
use crate::db::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use jxjy_core::idnumber::mask;
use jxjy_core::spotcheck::{sample, Candidate, Picked, RiskReason, SampleSpec, Stratum};
use jxjy_core::{Flag, Form, Hours, Status, UploadState};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A finding on one sampled item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// 核实无误
    Confirmed,
    /// 存在问题 (a note is required)
    Problem,
}

impl Finding {
    pub const ALL: [Finding; 2] = [Finding::Confirmed, Finding::Problem];

    /// The reviewer's word for it.
    pub fn zh(self) -> &'static str {
        match self {
            Finding::Confirmed => "核实无误",
            Finding::Problem => "存在问题",
        }
    }
}

/// A pack as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PackSummary {
    pub id: String,
    pub year: i32,
    pub seed: String,
    pub spec: SampleSpec,
    pub candidates: i64,
    pub items: i64,
    pub recorded: i64,
    pub problems: i64,
    pub created_at: String,
    pub created_by: String,
}

/// One sampled item with what the checker needs on paper.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PackItem {
    pub rank: i64,
    pub declaration_id: String,
    pub staff_id: String,
    pub staff_name: Option<String>,
    pub id_number_masked: Option<String>,
    pub form: Form,
    pub status: Status,
    pub title: String,
    pub organizer: String,
    pub start_date: String,
    pub end_date: String,
    pub credited_hours: Option<Hours>,
    pub clause: Option<String>,
    pub flags: Vec<Flag>,
    pub weight: u32,
    pub reasons: Vec<RiskReason>,
    pub stratum: Stratum,
    pub evidence: Vec<PackEvidence>,
    pub finding: Option<Finding>,
    pub note: Option<String>,
    pub recorded_at: Option<String>,
    pub upload: UploadState,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PackEvidence {
    pub sha256: String,
    pub file_name: String,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PackView {
    pub pack: PackSummary,
    pub items: Vec<PackItem>,
}

/// A finding waiting for upload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingOut {
    pub key: String,
    pub pack_id: String,
    pub declaration_id: String,
    pub finding: Finding,
    pub note: Option<String>,
    pub recorded_at: String,
}

/// The longest note kept with a finding.
pub const MAX_NOTE_CHARS: usize = 500;

const PACK_COLUMNS: &str = "p.id, p.year, p.seed, p.spec, p.candidates, p.created_at, p.created_by,
    (SELECT count(*) FROM spotcheck_items i WHERE i.pack_id = p.id),
    (SELECT count(*) FROM spotcheck_items i WHERE i.pack_id = p.id AND i.finding IS NOT NULL),
    (SELECT count(*) FROM spotcheck_items i WHERE i.pack_id = p.id AND i.finding = 'problem')";

fn pack_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PackSummary> {
    let spec: String = r.get(3)?;
    Ok(PackSummary {
        id: r.get(0)?,
        year: r.get(1)?,
        seed: r.get(2)?,
        spec: serde_json::from_str(&spec)
            .map_err(|e| rusqlite::Error::InvalidColumnName(e.to_string()))?,
        candidates: r.get(4)?,
        created_at: r.get(5)?,
        created_by: r.get(6)?,
        items: r.get(7)?,
        recorded: r.get(8)?,
        problems: r.get(9)?,
    })
}

impl Store {
    /// The year's declarations approved on the platform (by the unit or the industry
    /// department) and not yet spot-checked: what a sample is drawn from.
    pub fn spotcheck_candidates(&self, year: i32) -> Result<Vec<Candidate>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, form, credited_centi, flags, deemed FROM declarations
             WHERE deleted = 0 AND year = ?1 AND status IN ('unit_approved', 'industry_approved')
             ORDER BY id",
        )?;
        let rows = stmt
            .query_map([year], |r| {
                let form: String = r.get(1)?;
                let flags: String = r.get(3)?;
                Ok(Candidate {
                    id: r.get(0)?,
                    form: from_code(&form).unwrap_or(Form::Other),
                    credited_hours: Hours::from_centi(r.get::<_, Option<i64>>(2)?.unwrap_or(0)),
                    flags: serde_json::from_str(&flags).unwrap_or_default(),
                    deemed: r.get::<_, Option<String>>(4)?.is_some(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Draws and keeps a pack. Its id is the caller's (a UUIDv7).
    pub fn create_spotcheck(
        &mut self,
        id: &str,
        year: i32,
        spec: &SampleSpec,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<PackSummary, StoreError> {
        let candidates = self.spotcheck_candidates(year)?;
        let picked: Vec<Picked> = sample(&candidates, spec);
        let spec_json =
            serde_json::to_string(spec).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO spotcheck_packs (id, year, seed, spec, candidates, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                year,
                spec.seed.to_string(),
                spec_json,
                candidates.len() as i64,
                now.to_rfc3339(),
                actor
            ],
        )?;
        for (rank, p) in picked.iter().enumerate() {
            tx.execute(
                "INSERT INTO spotcheck_items (pack_id, declaration_id, rank, weight, reasons, stratum)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    p.id,
                    rank as i64 + 1,
                    p.weight,
                    serde_json::to_string(&p.reasons)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    to_code(&p.stratum)
                ],
            )?;
        }
        audit::append(
            &tx,
            now,
            actor,
            "spotcheck_create",
            &format!("spotcheck:{id}"),
            None,
            Some(&serde_json::json!({
                "year": year, "spec": spec, "candidates": candidates.len(),
                "items": picked.iter().map(|p| &p.id).collect::<Vec<_>>(),
            })),
        )?;
        tx.commit()?;
        self.spotcheck_pack(id).map(|v| v.pack)
    }

    /// Every pack, newest first.
    pub fn spotcheck_packs(&self) -> Result<Vec<PackSummary>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {PACK_COLUMNS} FROM spotcheck_packs p ORDER BY p.created_at DESC, p.id DESC"
        ))?;
        let rows = stmt
            .query_map([], pack_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A pack with its items in sample order.
    pub fn spotcheck_pack(&self, id: &str) -> Result<PackView, StoreError> {
        let pack = self
            .conn
            .query_row(
                &format!("SELECT {PACK_COLUMNS} FROM spotcheck_packs p WHERE p.id = ?1"),
                [id],
                pack_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "spotcheck",
                id: id.to_owned(),
            })?;
        let mut stmt = self.conn.prepare(
            "SELECT i.rank, i.declaration_id, d.staff_id, d.staff_name, s.id_number, d.form, d.status,
                    d.title, d.organizer, d.start_date, d.end_date, d.credited_centi, d.clause,
                    d.flags, i.weight, i.reasons, i.stratum, i.finding, i.note, i.recorded_at, i.upload
             FROM spotcheck_items i
             JOIN declarations d ON d.id = i.declaration_id
             LEFT JOIN staff s ON s.id = d.staff_id
             WHERE i.pack_id = ?1 ORDER BY i.rank",
        )?;
        let mut items: Vec<PackItem> = stmt
            .query_map([id], |r| {
                let bad = |e: StoreError| rusqlite::Error::InvalidColumnName(e.to_string());
                let form: String = r.get(5)?;
                let status: String = r.get(6)?;
                let flags: String = r.get(13)?;
                let reasons: String = r.get(15)?;
                let stratum: String = r.get(16)?;
                let finding: Option<String> = r.get(17)?;
                Ok(PackItem {
                    rank: r.get(0)?,
                    declaration_id: r.get(1)?,
                    staff_id: r.get(2)?,
                    staff_name: r.get(3)?,
                    id_number_masked: r.get::<_, Option<String>>(4)?.as_deref().map(mask),
                    form: from_code(&form).map_err(bad)?,
                    status: from_code(&status).map_err(bad)?,
                    title: r.get(7)?,
                    organizer: r.get(8)?,
                    start_date: r.get(9)?,
                    end_date: r.get(10)?,
                    credited_hours: r.get::<_, Option<i64>>(11)?.map(Hours::from_centi),
                    clause: r.get(12)?,
                    flags: serde_json::from_str(&flags).unwrap_or_default(),
                    weight: r.get(14)?,
                    reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                    stratum: from_code(&stratum).map_err(bad)?,
                    evidence: Vec::new(),
                    finding: finding.map(|f| from_code(&f)).transpose().map_err(bad)?,
                    note: r.get(18)?,
                    recorded_at: r.get(19)?,
                    upload: from_code(&r.get::<_, String>(20)?)
                        .map_err(|e| rusqlite::Error::InvalidColumnName(e.to_string()))?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut ev = self.conn.prepare(
            "SELECT de.sha256, de.file_name, e.state = 'present' FROM declaration_evidence de
             LEFT JOIN evidence e ON e.sha256 = de.sha256
             WHERE de.declaration_id = ?1 ORDER BY de.evidence_id",
        )?;
        for item in &mut items {
            item.evidence = ev
                .query_map([&item.declaration_id], |r| {
                    Ok(PackEvidence {
                        sha256: r.get(0)?,
                        file_name: r.get(1)?,
                        present: r.get::<_, Option<bool>>(2)?.unwrap_or(false),
                    })
                })?
                .collect::<Result<_, _>>()?;
        }
        Ok(PackView { pack, items })
    }

    /// Records (or changes) the finding on one item; it is queued for upload under a new key.
    #[allow(clippy::too_many_arguments)]
    pub fn record_finding(
        &mut self,
        pack_id: &str,
        declaration_id: &str,
        finding: Finding,
        note: Option<&str>,
        actor: &str,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<PackItem, StoreError> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if finding == Finding::Problem && note.is_none() {
            return Err(StoreError::Invalid("存在问题时须填写问题说明".into()));
        }
        if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
            return Err(StoreError::Invalid(format!(
                "问题说明最长{MAX_NOTE_CHARS}字"
            )));
        }
        let tx = self.conn.transaction()?;
        let before: Option<(Option<String>, Option<String>)> = tx
            .query_row(
                "SELECT finding, note FROM spotcheck_items WHERE pack_id = ?1 AND declaration_id = ?2",
                params![pack_id, declaration_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((old_finding, old_note)) = before else {
            return Err(StoreError::NotFound {
                what: "spotcheck item",
                id: format!("{pack_id}/{declaration_id}"),
            });
        };
        tx.execute(
            "UPDATE spotcheck_items SET finding = ?3, note = ?4, recorded_at = ?5, recorded_by = ?6,
                    finding_key = ?7, upload = 'pending', upload_note = NULL
             WHERE pack_id = ?1 AND declaration_id = ?2",
            params![
                pack_id,
                declaration_id,
                to_code(&finding),
                note,
                now.to_rfc3339(),
                actor,
                key
            ],
        )?;
        audit::append(
            &tx,
            now,
            actor,
            "spotcheck_finding",
            &format!("declaration:{declaration_id}"),
            Some(&serde_json::json!({ "finding": old_finding, "note": old_note })),
            Some(&serde_json::json!({
                "pack": pack_id, "finding": finding, "note": note, "key": key,
            })),
        )?;
        tx.commit()?;
        self.spotcheck_pack(pack_id)?
            .items
            .into_iter()
            .find(|i| i.declaration_id == declaration_id)
            .ok_or_else(|| StoreError::Corrupt("finding vanished".into()))
    }

    /// Findings waiting for upload, oldest first.
    pub fn findings_to_push(&self, limit: usize) -> Result<Vec<FindingOut>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT finding_key, pack_id, declaration_id, finding, note, recorded_at
             FROM spotcheck_items WHERE upload = 'pending' ORDER BY recorded_at, finding_key LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                let f: String = r.get(3)?;
                Ok(FindingOut {
                    key: r.get(0)?,
                    pack_id: r.get(1)?,
                    declaration_id: r.get(2)?,
                    finding: from_code(&f)
                        .map_err(|e| rusqlite::Error::InvalidColumnName(e.to_string()))?,
                    note: r.get(4)?,
                    recorded_at: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The platform's answer for one finding key: `sent`, or `rejected` with its reason. A
    /// key that has since been replaced by a newer finding is left alone.
    pub fn record_finding_result(
        &mut self,
        key: &str,
        accepted: bool,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE spotcheck_items SET upload = ?2, upload_note = ?3 WHERE finding_key = ?1",
            params![
                key,
                if accepted {
                    UploadState::Sent
                } else {
                    UploadState::Rejected
                }
                .code(),
                note
            ],
        )?;
        Ok(())
    }
}
