//! The unit's review figures for a year, for the printed summary (单位初审情况汇总).

use crate::codes::from_code;
use crate::db::Store;
use crate::error::StoreError;
use jxjy_core::{Hours, Status};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnitFigures {
    pub unit_name: String,
    pub year: i32,
    pub staff_total: i64,
    pub staff_complete: i64,
    pub by_status: Vec<(Status, i64)>,
    pub approved_here: i64,
    pub returned_here: i64,
    pub rejected_here: i64,
    pub waiting_upload: i64,
    pub open_flagged: i64,
    pub credited_hours: Hours,
}

impl Store {
    pub fn unit_figures(&self, year: i32) -> Result<UnitFigures, StoreError> {
        let one = |sql: &str| -> Result<i64, StoreError> {
            Ok(self.conn.query_row(sql, [year], |r| r.get(0))?)
        };
        let mut stmt = self.conn.prepare(
            "SELECT status, count(*) FROM declarations WHERE deleted = 0 AND year = ?1
             GROUP BY status ORDER BY status",
        )?;
        let mut by_status: Vec<(Status, i64)> = stmt
            .query_map([year], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?
            .collect::<Result<Vec<(String, i64)>, _>>()?
            .into_iter()
            .filter_map(|(s, n)| from_code::<Status>(&s).ok().map(|s| (s, n)))
            .collect();
        by_status.sort_by_key(|(s, _)| Status::ALL.iter().position(|x| x == s));
        let outcome = |o: &str| -> Result<i64, StoreError> {
            Ok(self.conn.query_row(
                "SELECT count(*) FROM decisions d JOIN declarations x ON x.id = d.declaration_id
                 WHERE d.outcome = ?1 AND d.state IN ('pending', 'applied') AND x.year = ?2",
                rusqlite::params![o, year],
                |r| r.get(0),
            )?)
        };
        Ok(UnitFigures {
            unit_name: self.profile_meta()?.unit_name.unwrap_or_default(),
            year,
            staff_total: self.conn.query_row(
                "SELECT count(*) FROM staff WHERE deleted = 0",
                [],
                |r| r.get(0),
            )?,
            staff_complete: one(
                "SELECT count(*) FROM ledger l JOIN staff s ON s.id = l.staff_id
                 WHERE s.deleted = 0 AND l.year = ?1 AND l.complete = 1",
            )?,
            by_status,
            approved_here: outcome("approve")?,
            returned_here: outcome("return")?,
            rejected_here: outcome("reject")?,
            waiting_upload: self
                .conn
                .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?,
            open_flagged: one(
                "SELECT count(*) FROM declarations WHERE deleted = 0 AND year = ?1
                 AND status = 'pending_unit_review' AND review_state = 'open' AND flag_mask != 0",
            )?,
            credited_hours: Hours::from_centi(one(
                "SELECT coalesce(sum(credited_centi), 0) FROM declarations WHERE deleted = 0
                 AND year = ?1 AND status IN ('unit_approved', 'industry_approved', 'spot_checked')",
            )?),
        })
    }
}

impl Store {
    /// Every row the queue filter matches, for exports (pages of 500 behind the scenes).
    pub fn queue_all(
        &self,
        f: &crate::queries::QueueFilter,
    ) -> Result<Vec<crate::queries::QueueRow>, StoreError> {
        let mut f = f.clone();
        f.limit = 500;
        f.offset = 0;
        f.skip_total = true;
        let mut out = Vec::new();
        loop {
            let rows = self.queue(&f)?.rows;
            let n = rows.len();
            out.extend(rows);
            if n < 500 {
                return Ok(out);
            }
            f.offset += 500;
        }
    }

    /// The whole roster with the year's ledger, for exports.
    pub fn roster_all(&self, year: i32) -> Result<Vec<crate::roster::RosterRow>, StoreError> {
        let mut f = crate::roster::RosterFilter {
            year,
            limit: 500,
            ..Default::default()
        };
        let mut out = Vec::new();
        loop {
            let rows = self.roster(&f)?.rows;
            let n = rows.len();
            out.extend(rows);
            if n < 500 {
                return Ok(out);
            }
            f.offset += 500;
        }
    }
}

/// A person's hours certificate (学时证明): the year's ledger as the engine computes it over the
/// declarations approved by the unit or later only (a pending declaration certifies nothing),
/// and those declarations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certificate {
    pub staff: crate::queries::StaffView,
    pub ledger: jxjy_core::LedgerEntry,
    pub rows: Vec<crate::queries::QueueRow>,
    /// The year's requirements (公需, 专业) from the rule set.
    pub public_min: Hours,
    pub professional_min: Hours,
}

impl Store {
    /// The rule set the last sync stored for `year`, else the built-in one.
    pub fn stored_rules(&self, year: i32) -> Result<jxjy_core::RuleSet, StoreError> {
        let rules = match self.meta(&format!("rules_{year}"))? {
            Some(text) => jxjy_core::RuleSet::from_json(&text),
            None => jxjy_core::RuleSet::for_year(year),
        };
        rules.map_err(|e| StoreError::Corrupt(format!("rule set for {year}: {e}")))
    }

    pub fn certificate(
        &self,
        staff_id: &str,
        year: i32,
        today: chrono::NaiveDate,
    ) -> Result<Option<Certificate>, StoreError> {
        let Some(staff) = self.staff(staff_id)? else {
            return Ok(None);
        };
        let rows = certified_rows(self, staff_id, year)?;
        let mut input = self.load_input(year)?;
        input.staff.retain(|s| s.id == staff_id);
        input.declarations.retain(|d| {
            d.staff_id == staff_id
                && matches!(
                    d.status,
                    Status::UnitApproved | Status::IndustryApproved | Status::SpotChecked
                )
        });
        let rules = self.stored_rules(year)?;
        let evaluation = jxjy_core::evaluate(&input, &rules, today);
        let ledger = evaluation
            .ledger
            .into_iter()
            .find(|l| l.staff_id == staff_id && l.year == year)
            .ok_or_else(|| StoreError::Corrupt(format!("no ledger for {staff_id} in {year}")))?;
        Ok(Some(Certificate {
            staff,
            ledger,
            rows,
            public_min: rules.annual.public_min_hours,
            professional_min: rules.annual.professional_min_hours,
        }))
    }
}

/// A person's declarations of the year that count on a certificate: approved by the unit or
/// later, in date order.
pub fn certified_rows(
    store: &Store,
    staff_id: &str,
    year: i32,
) -> Result<Vec<crate::queries::QueueRow>, StoreError> {
    let ids: Vec<String> = store
        .conn
        .prepare(
            "SELECT id FROM declarations WHERE staff_id = ?1 AND year = ?2 AND deleted = 0
             AND status IN ('unit_approved', 'industry_approved', 'spot_checked')",
        )?
        .query_map(rusqlite::params![staff_id, year], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut rows = store.queue_all(&crate::queries::QueueFilter {
        staff_id: Some(staff_id.to_owned()),
        ..crate::queries::QueueFilter::default()
    })?;
    rows.retain(|r| ids.contains(&r.id));
    rows.sort_by(|a, b| a.start_date.cmp(&b.start_date).then(a.id.cmp(&b.id)));
    Ok(rows)
}
