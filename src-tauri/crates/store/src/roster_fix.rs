//! Applying roster corrections the reviewer confirmed, each audited with before and after.
//! A later pull that brings a newer record of the person from the platform replaces them.

use crate::audit;
use crate::codes::to_code;
use crate::db::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use jxjy_core::roster_fix::RosterCorrection;
use rusqlite::{params, OptionalExtension};
use std::collections::HashSet;

impl Store {
    /// The ids of the live roster, for checking a corrections sheet.
    pub fn staff_ids(&self) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM staff WHERE deleted = 0")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Applies corrections in one transaction; returns how many people changed.
    pub fn apply_roster_corrections(
        &mut self,
        corrections: &[RosterCorrection],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        for c in corrections {
            let before: Option<serde_json::Value> = tx
                .query_row(
                    "SELECT name, title_series, title_level, applying_promotion, active
                     FROM staff WHERE id = ?1 AND deleted = 0",
                    [&c.staff_id],
                    |r| {
                        Ok(serde_json::json!({
                            "name": r.get::<_, String>(0)?,
                            "title_series": r.get::<_, String>(1)?,
                            "title_level": r.get::<_, Option<String>>(2)?,
                            "applying_promotion": r.get::<_, bool>(3)?,
                            "active": r.get::<_, bool>(4)?,
                        }))
                    },
                )
                .optional()?;
            let Some(before) = before else {
                return Err(StoreError::NotFound {
                    what: "staff",
                    id: c.staff_id.clone(),
                });
            };
            tx.execute(
                "UPDATE staff SET name = coalesce(?2, name), id_number = coalesce(?3, id_number),
                        title_series = coalesce(?4, title_series),
                        title_level = coalesce(?5, title_level),
                        applying_promotion = coalesce(?6, applying_promotion),
                        active = coalesce(?7, active)
                 WHERE id = ?1",
                params![
                    c.staff_id,
                    c.name,
                    c.id_number,
                    c.title_series,
                    c.title_level.map(|l| to_code(&l)),
                    c.applying_promotion,
                    c.active
                ],
            )?;
            if let Some(name) = &c.name {
                tx.execute(
                    "UPDATE declarations SET staff_name = ?2 WHERE staff_id = ?1",
                    params![c.staff_id, name],
                )?;
            }
            // The audit keeps whether the ID number changed, never the number itself.
            let mut after =
                serde_json::to_value(c).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if let Some(obj) = after.as_object_mut() {
                obj.insert(
                    "id_number".into(),
                    serde_json::Value::Bool(c.id_number.is_some()),
                );
            }
            audit::append(
                &tx,
                now,
                actor,
                "roster_correction",
                &format!("staff:{}", c.staff_id),
                Some(&before),
                Some(&after),
            )?;
            changed += 1;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Full ID numbers of the whole roster for an export the reviewer asked for; the reading
    /// is audited once, with what it was for.
    pub fn reveal_all_id_numbers(
        &mut self,
        purpose: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let tx = self.conn.transaction()?;
        let map = tx
            .prepare("SELECT id, id_number FROM staff")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<std::collections::HashMap<String, String>, _>>()?;
        audit::append(
            &tx,
            now,
            actor,
            "reveal_id_numbers_for_export",
            "roster",
            None,
            Some(&serde_json::json!({ "purpose": purpose, "people": map.len() })),
        )?;
        tx.commit()?;
        Ok(map)
    }

    /// Every decision recorded in this profile, newest first (for the decisions export).
    pub fn all_decisions(&self) -> Result<Vec<crate::decide::DecisionRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM decisions ORDER BY decided_at DESC, key",
            crate::decide::DECISION_COLUMNS
        ))?;
        let rows = stmt
            .query_map([], crate::decide::decision_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
