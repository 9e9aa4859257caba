//! The reads the UI needs. All parameterized; ID numbers leave only masked, except through
//! `reveal_id_number`, which is audited.

use crate::audit;
use crate::codes::{from_code, to_code};
use crate::db::Store;
use crate::decide::DecisionRecord;
use crate::error::StoreError;
use crate::import::flag_bit;
use chrono::{DateTime, NaiveDate, Utc};
use jxjy_core::filekind::{sniff, FileKind};
use jxjy_core::idnumber::mask;
use jxjy_core::{
    Category, Declaration, DeclarationResult, Flag, Form, Hours, LedgerEntry, ReviewState, Status,
    TitleLevel,
};
use rusqlite::{params, types::Value, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Sort orders of the queue; each maps to a fixed SQL expression, never to input text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    EndDate,
    StaffName,
    ClaimedHours,
    CreditedHours,
    Id,
}

impl SortKey {
    fn sql(self) -> &'static str {
        match self {
            SortKey::EndDate => "d.end_date",
            SortKey::StaffName => "d.staff_name",
            SortKey::ClaimedHours => "d.claimed_centi",
            SortKey::CreditedHours => "d.credited_centi",
            SortKey::Id => "d.id",
        }
    }
}

/// The review queue's filter, sort and page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct QueueFilter {
    pub status: Option<Status>,
    pub review_state: Option<ReviewState>,
    pub form: Option<Form>,
    pub category: Option<Category>,
    pub flag: Option<Flag>,
    /// Only items with (`true`) or without (`false`) any flag.
    pub flagged: Option<bool>,
    /// A fragment of the staff name, the digits the ID mask shows, the whole ID number, or the
    /// start of a declaration id.
    pub search: Option<String>,
    pub staff_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
    /// Leave the total out (it comes back as -1): a list that already knows it, fetching
    /// more pages while scrolling, spares a count over the whole filter.
    pub skip_total: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueueRow {
    pub id: String,
    pub version: u64,
    pub staff_id: String,
    pub staff_name: Option<String>,
    pub id_number_masked: Option<String>,
    pub form: Form,
    pub category: Category,
    pub status: Status,
    pub review_state: ReviewState,
    pub title: String,
    pub organizer: String,
    pub start_date: String,
    pub end_date: String,
    /// None when the declarant claims nothing (a deemed form).
    pub claimed_hours: Option<Hours>,
    pub credited_hours: Option<Hours>,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffView {
    pub id: String,
    pub name: String,
    pub id_number_masked: String,
    pub unit_id: String,
    pub title_series: String,
    pub title_level: Option<TitleLevel>,
    pub applying_promotion: bool,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceView {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    /// missing | partial | present
    pub state: String,
    pub bytes_stored: u64,
    /// What the stored bytes are, by their first bytes; None until present, or when the file
    /// is of a kind the viewer refuses (SVG, HTML, unknown).
    pub kind: Option<FileKind>,
}

/// One declaration with everything the detail screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeclarationView {
    pub declaration: Declaration,
    pub review_state: ReviewState,
    pub withdrawn: bool,
    /// Why this declaration cannot be decided here now (in Chinese), or None when it can:
    /// the core's answer, so the page carries no rule of its own.
    pub cannot_decide: Option<String>,
    pub evaluation: Option<DeclarationResult>,
    pub staff: Option<StaffView>,
    pub evidence: Vec<EvidenceView>,
    pub decisions: Vec<DecisionRecord>,
    pub ledger: Option<LedgerEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    pub total: i64,
    pub by_status: Vec<(Status, i64)>,
    /// Pending unit review and not yet decided here.
    pub to_review: i64,
    /// Of those, with at least one flag.
    pub to_review_flagged: i64,
    /// Decided here, waiting to be sent.
    pub pending_upload: i64,
    pub conflicts: i64,
}

/// Escapes LIKE wildcards so a search for `50%` finds the text `50%`.
pub(crate) fn like_fragment(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The condition "this staff row matches the search", for the staff table under alias `s`
/// (`""` for none): the name anywhere; the ID number only by the digits its mask shows (the
/// first and the last four of a number longer than eight) or whole. A fragment of hidden digits
/// finds nothing, so no run of searches can unmask a number. `like` and `exact` are the
/// placeholders of `like_fragment(q)` and of `q`.
pub(crate) fn staff_search_sql(s: &str, like: &str, exact: &str) -> String {
    format!(
        "({s}name LIKE {like} ESCAPE '\\'
          OR (length({s}id_number) > 8
              AND (substr({s}id_number, 1, 4) LIKE {like} ESCAPE '\\'
                   OR substr({s}id_number, -4) LIKE {like} ESCAPE '\\'))
          OR upper({s}id_number) = upper({exact}))"
    )
}

pub(crate) fn staff_view(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<StaffView> {
    let level: Option<String> = r.get(at + 5)?;
    let number: String = r.get(at + 2)?;
    Ok(StaffView {
        id: r.get(at)?,
        name: r.get(at + 1)?,
        id_number_masked: mask(&number),
        unit_id: r.get(at + 3)?,
        title_series: r.get(at + 4)?,
        title_level: level.and_then(|l| from_code(&l).ok()),
        applying_promotion: r.get(at + 6)?,
        active: r.get(at + 7)?,
    })
}

fn code_of<T: serde::de::DeserializeOwned>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    from_code(&s).map_err(|e| rusqlite::Error::InvalidColumnName(e.to_string()))
}

impl Store {
    /// The review queue: filtered, sorted, one page, and the total matching.
    pub fn queue(&self, f: &QueueFilter) -> Result<QueuePage, StoreError> {
        let mut conds = vec!["d.deleted = 0".to_owned()];
        let mut args: Vec<Value> = Vec::new();
        // Binds a value and gives its placeholder.
        let mut p = |v: Value| {
            args.push(v);
            format!("?{}", args.len())
        };
        if let Some(s) = f.status {
            conds.push(format!("d.status = {}", p(Value::Text(to_code(&s)))));
        }
        if let Some(s) = &f.review_state {
            conds.push(format!(
                "d.review_state = {}",
                p(Value::Text(s.code().into()))
            ));
        }
        if let Some(x) = f.form {
            conds.push(format!("d.form = {}", p(Value::Text(to_code(&x)))));
        }
        if let Some(x) = f.category {
            conds.push(format!("d.category = {}", p(Value::Text(to_code(&x)))));
        }
        if let Some(x) = f.flag {
            conds.push(format!(
                "(d.flag_mask & {}) != 0",
                p(Value::Integer(flag_bit(x)))
            ));
        }
        match f.flagged {
            Some(true) => conds.push("d.flag_mask != 0".into()),
            Some(false) => conds.push("d.flag_mask = 0".into()),
            None => {}
        }
        if let Some(x) = &f.staff_id {
            conds.push(format!("d.staff_id = {}", p(Value::Text(x.clone()))));
        }
        if let Some(x) = f.from {
            conds.push(format!("d.end_date >= {}", p(Value::Text(x.to_string()))));
        }
        if let Some(x) = f.to {
            conds.push(format!("d.start_date <= {}", p(Value::Text(x.to_string()))));
        }
        if let Some(q) = f.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            // Staff first (10,000 rows), then their declarations by index; a declaration id
            // matches by prefix, as a range the primary key can serve.
            let like = p(Value::Text(like_fragment(q)));
            let lo = p(Value::Text(q.to_owned()));
            let hi = p(Value::Text(format!("{q}\u{10FFFF}")));
            let staff = staff_search_sql("", &like, &lo);
            conds.push(format!(
                "(d.staff_id IN (SELECT id FROM staff WHERE {staff})
                  OR (d.id >= {lo} AND d.id < {hi}))"
            ));
        }
        let filter = conds.join(" AND ");
        let total: i64 = if f.skip_total {
            -1
        } else {
            let sql = format!("SELECT count(*) FROM declarations d WHERE {filter}");
            let key = format!("{sql} {args:?}");
            self.counts.borrow_mut().get(&self.conn, key, || {
                self.conn
                    .query_row(&sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))
            })?
        };
        let dir = if f.descending { "DESC" } else { "ASC" };
        let limit = if f.limit == 0 { 50 } else { f.limit.min(500) };
        // The page is chosen on the narrow table alone; only its rows meet the staff table.
        let sql = format!(
            "SELECT d.id, d.version, d.staff_id, s.name, s.id_number, d.form, d.category, d.status,
                    d.review_state, d.title, d.organizer, d.start_date, d.end_date,
                    CASE WHEN d.claimed_absent THEN NULL ELSE d.claimed_centi END,
                    d.credited_centi, d.flags
             FROM (SELECT d.id FROM declarations d WHERE {filter}
                   ORDER BY {sort} {dir}, d.id {dir} LIMIT {limit} OFFSET {offset}) page
             JOIN declarations d ON d.id = page.id
             LEFT JOIN staff s ON s.id = d.staff_id
             ORDER BY {sort} {dir}, d.id {dir}",
            sort = f.sort.sql(),
            offset = f.offset
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                let number: Option<String> = r.get(4)?;
                let flags: String = r.get(15)?;
                Ok(QueueRow {
                    id: r.get(0)?,
                    version: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    staff_id: r.get(2)?,
                    staff_name: r.get(3)?,
                    id_number_masked: number.as_deref().map(mask),
                    form: code_of(r, 5)?,
                    category: code_of(r, 6)?,
                    status: code_of(r, 7)?,
                    review_state: code_of(r, 8)?,
                    title: r.get(9)?,
                    organizer: r.get(10)?,
                    start_date: r.get(11)?,
                    end_date: r.get(12)?,
                    claimed_hours: r.get::<_, Option<i64>>(13)?.map(Hours::from_centi),
                    credited_hours: r.get::<_, Option<i64>>(14)?.map(Hours::from_centi),
                    flags: serde_json::from_str(&flags).unwrap_or_default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(QueuePage { rows, total })
    }

    /// One declaration with its evaluation, evidence, decisions and the staff member's ledger.
    pub fn declaration(&self, id: &str) -> Result<DeclarationView, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT doc.doc, d.review_state, d.deleted, d.credited_centi, d.computed_centi, d.year,
                        d.deemed, d.clause, doc.explanation, d.flags
                 FROM declarations d JOIN declaration_docs doc ON doc.id = d.id WHERE d.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, bool>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                        r.get::<_, Option<i32>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<String>>(8)?,
                        r.get::<_, String>(9)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "declaration",
                id: id.to_owned(),
            })?;
        let (
            doc,
            review_state,
            withdrawn,
            credited,
            computed,
            year,
            deemed,
            clause,
            explanation,
            flags,
        ) = row;
        let declaration: Declaration =
            serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let review_state: ReviewState = from_code(&review_state)?;
        let evaluation = credited.map(|c| DeclarationResult {
            id: declaration.id.clone(),
            staff_id: declaration.staff_id.clone(),
            category: declaration.category,
            year: year.unwrap_or_default(),
            computed_hours: Hours::from_centi(computed.unwrap_or(c)),
            credited_hours: Hours::from_centi(c),
            deemed: deemed.and_then(|d| from_code(&d).ok()),
            clause: clause.unwrap_or_default(),
            explanation: explanation.unwrap_or_default(),
            flags: serde_json::from_str(&flags).unwrap_or_default(),
        });
        let staff = self.staff(&declaration.staff_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT de.evidence_id, de.file_name, e.media_type, e.size, e.sha256, e.state, e.bytes_stored,
                    CASE WHEN e.state = 'present' THEN
                      (SELECT substr(c.data, 1, 16) FROM evidence_chunks c WHERE c.sha256 = e.sha256 AND c.offset = 0)
                    END
             FROM declaration_evidence de JOIN evidence e ON e.sha256 = de.sha256
             WHERE de.declaration_id = ?1 ORDER BY de.evidence_id",
        )?;
        let evidence = stmt
            .query_map([id], |r| {
                Ok(EvidenceView {
                    id: r.get(0)?,
                    file_name: r.get(1)?,
                    media_type: r.get(2)?,
                    size: u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                    sha256: r.get(4)?,
                    state: r.get(5)?,
                    bytes_stored: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
                    kind: r.get::<_, Option<Vec<u8>>>(7)?.as_deref().and_then(sniff),
                })
            })?
            .collect::<Result<_, _>>()?;
        let ledger_year = evaluation.as_ref().map(|e| e.year);
        let ledger = match ledger_year {
            Some(y) => self.ledger(&declaration.staff_id, y)?,
            None => None,
        };
        let cannot_decide =
            jxjy_core::decision::cannot_decide(declaration.status, withdrawn, evaluation.is_some());
        Ok(DeclarationView {
            decisions: self.decisions_for(id)?,
            declaration,
            review_state,
            withdrawn,
            cannot_decide,
            evaluation,
            staff,
            evidence,
            ledger,
        })
    }

    /// A staff member, ID number masked.
    pub fn staff(&self, id: &str) -> Result<Option<StaffView>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, id_number, unit_id, title_series, title_level, applying_promotion, active
                 FROM staff WHERE id = ?1",
                [id],
                |r| staff_view(r, 0),
            )
            .optional()?)
    }

    /// A staff member's ledger entry for a year.
    pub fn ledger(&self, staff_id: &str, year: i32) -> Result<Option<LedgerEntry>, StoreError> {
        let entry: Option<String> = self
            .conn
            .query_row(
                "SELECT entry FROM ledger WHERE staff_id = ?1 AND year = ?2",
                params![staff_id, year],
                |r| r.get(0),
            )
            .optional()?;
        entry
            .map(|e| serde_json::from_str(&e).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }

    /// Counts for the dashboard and the sync bar.
    pub fn dashboard(&self) -> Result<Dashboard, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT status, count(*) FROM declarations WHERE deleted = 0 GROUP BY status ORDER BY status")?;
        let by_status: Vec<(Status, i64)> = stmt
            .query_map([], |r| Ok((code_of(r, 0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let one = |sql: &str| -> Result<i64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
        };
        Ok(Dashboard {
            total: by_status.iter().map(|(_, n)| n).sum(),
            to_review: one(
                "SELECT count(*) FROM declarations WHERE deleted = 0 AND status = 'pending_unit_review' AND review_state = 'open'",
            )?,
            to_review_flagged: one(
                "SELECT count(*) FROM declarations WHERE deleted = 0 AND status = 'pending_unit_review' AND review_state = 'open' AND flag_mask != 0",
            )?,
            pending_upload: one("SELECT count(*) FROM outbox")?,
            conflicts: one("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL")?,
            by_status,
        })
    }

    /// The full ID number, for a reviewer who must see it; the reading is audited.
    pub fn reveal_id_number(
        &mut self,
        staff_id: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let tx = self.conn.transaction()?;
        let number: String = tx
            .query_row(
                "SELECT id_number FROM staff WHERE id = ?1",
                [staff_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "staff",
                id: staff_id.to_owned(),
            })?;
        audit::append(
            &tx,
            now,
            actor,
            "reveal_id_number",
            &format!("staff:{staff_id}"),
            None,
            None,
        )?;
        tx.commit()?;
        Ok(number)
    }

    /// The audit history of a declaration, oldest first.
    pub fn history(&self, declaration_id: &str) -> Result<Vec<audit::AuditEntry>, StoreError> {
        audit::history(&self.conn, &format!("declaration:{declaration_id}"))
    }

    /// Verifies the whole audit chain.
    pub fn verify_audit(&self) -> Result<audit::AuditReport, StoreError> {
        audit::verify(&self.conn)
    }

    /// Exports the audit log as JSON Lines.
    pub fn export_audit(&self, out: &mut dyn std::io::Write) -> Result<i64, StoreError> {
        audit::export_jsonl(&self.conn, out)
    }
}
