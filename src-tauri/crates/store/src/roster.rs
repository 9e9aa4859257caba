//! The staff view: the unit's roster with each person's ledger for one year (年度完成情况).

use crate::db::Store;
use crate::error::StoreError;
use crate::queries::{like_fragment, staff_search_sql, staff_view, StaffView};
use jxjy_core::LedgerEntry;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

/// Which part of the roster to show.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct RosterFilter {
    pub year: i32,
    /// A fragment of the name, the digits the ID mask shows, or the whole ID number.
    pub search: Option<String>,
    /// Only people whose ledger for the year is (`true`) or is not (`false`) complete.
    pub complete: Option<bool>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RosterRow {
    pub staff: StaffView,
    /// None: nothing declared for the year yet.
    pub ledger: Option<LedgerEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RosterPage {
    pub rows: Vec<RosterRow>,
    pub total: i64,
}

impl Store {
    /// One page of the roster, by name, with the year's ledger of each person.
    pub fn roster(&self, f: &RosterFilter) -> Result<RosterPage, StoreError> {
        let mut conds = vec!["s.deleted = 0".to_owned()];
        let mut args: Vec<Value> = vec![Value::Integer(i64::from(f.year))];
        if let Some(q) = f.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            args.push(Value::Text(like_fragment(q)));
            let like = format!("?{}", args.len());
            args.push(Value::Text(q.to_owned()));
            let exact = format!("?{}", args.len());
            conds.push(staff_search_sql("s.", &like, &exact));
        }
        match f.complete {
            Some(true) => conds.push("l.complete = 1".into()),
            Some(false) => conds.push("coalesce(l.complete, 0) = 0".into()),
            None => {}
        }
        let from = format!(
            "FROM staff s LEFT JOIN ledger l ON l.staff_id = s.id AND l.year = ?1 WHERE {}",
            conds.join(" AND ")
        );
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) {from}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let limit = if f.limit == 0 { 50 } else { f.limit.min(500) };
        let sql = format!(
            "SELECT s.id, s.name, s.id_number, s.unit_id, s.title_series, s.title_level,
                    s.applying_promotion, s.active, l.entry
             {from} ORDER BY s.name, s.id LIMIT {limit} OFFSET {offset}",
            offset = f.offset
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((staff_view(r, 0)?, r.get::<_, Option<String>>(8)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let rows = rows
            .into_iter()
            .map(|(staff, entry)| {
                let ledger = entry
                    .map(|e| serde_json::from_str(&e))
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(RosterRow { staff, ledger })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(RosterPage { rows, total })
    }
}
