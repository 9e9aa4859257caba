//! The platform's own check of an approval's credit: it evaluates the declaration with the
//! person's other declarations, as the app does, and holds the reviewer's figure to the rule
//! (`Decision::validate_credit` of the core, the same check the app makes before it stores one).

use super::decisions::PushItem;
use crate::problem::Problem;
use chrono::Datelike;
use jxjy_core::decision::{Decision, DecisionError};
use jxjy_core::engine::annually_limited;
use jxjy_core::{evaluate, Declaration, Hours, Input, RuleSet, Staff};
use rusqlite::{OptionalExtension, Transaction};

/// Why the approval's credit is refused, or None when it stands. `declaration` is the one on
/// file at the version the decision names, of `unit_id`.
pub fn refusal(
    tx: &Transaction<'_>,
    declaration: &Declaration,
    unit_id: &str,
    item: &PushItem,
    reviewer: &str,
) -> Result<Option<Problem>, Problem> {
    // Hours are hundredths: a figure with more decimals is refused, not rounded.
    let given = item
        .credited_hours
        .and_then(|h| Hours::from_f64(h).filter(|g| (g.as_f64() - h).abs() < 1e-9));
    let Some(given) = given else {
        return Ok(Some(Problem::unprocessable(
            "credited_hours must be a number from 0 with at most two decimals",
        )));
    };
    // The rule set of the year under review, as the app fetches it from /api/v1/rules (a
    // declaration dated outside that year is still reviewed under it); without one on file,
    // the declaration's own year.
    let year: Option<String> = tx
        .query_row(
            "SELECT value FROM meta WHERE key = 'review_year'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let year = year
        .and_then(|y| y.parse::<i32>().ok())
        .unwrap_or_else(|| declaration.end_date.year());
    let Ok(rules) = RuleSet::for_year(year) else {
        return Ok(Some(Problem::unprocessable(
            "no rule set covers the declaration's year, so no credit can be approved",
        )));
    };
    let input = person_input(tx, declaration, unit_id, year)?;
    // The day matters only to the future-date flag, never to a credit.
    let evaluation = evaluate(&input, &rules, chrono::Utc::now().date_naive());
    let Some(evaluated) = evaluation
        .declarations
        .iter()
        .find(|r| r.id == declaration.id)
    else {
        return Err(Problem::internal("the evaluated declaration is missing"));
    };
    let decision = Decision {
        declaration_id: declaration.id.clone(),
        declaration_version: declaration.version,
        outcome: item.outcome,
        credited_hours: Some(given),
        category: item.category,
        reason: item.reason.clone(),
        reviewer: reviewer.to_owned(),
        decided_at: chrono::Utc::now(),
        idempotency_key: item.idempotency_key.clone(),
    };
    let order_dependent = annually_limited(declaration, &rules);
    // The client's own figure is not echoed back; the rule's is the reviewer's unit's data.
    Ok(match decision.validate_credit(evaluated, order_dependent) {
        Ok(()) => None,
        Err(DecisionError::CreditAboveRule { computed, .. }) => Some(Problem::unprocessable(
            format!("credited_hours is more than the rule gives this declaration ({computed} hours)"),
        )),
        Err(DecisionError::CreditChangeNeedsReason { computed, .. }) => {
            Some(Problem::unprocessable(format!(
                "credited_hours differs from the rule's result ({computed} hours) and needs a reason"
            )))
        }
        Err(e) => Some(Problem::unprocessable(e.to_string())),
    })
}

/// The person of `declaration` with all their live declarations in the unit: what their
/// yearly limits are counted over.
fn person_input(
    tx: &Transaction<'_>,
    declaration: &Declaration,
    unit_id: &str,
    year: i32,
) -> Result<Input, Problem> {
    let staff: Option<String> = tx
        .query_row(
            "SELECT doc FROM staff WHERE id = ?1 AND unit_id = ?2 AND deleted = 0",
            [&declaration.staff_id, unit_id],
            |r| r.get(0),
        )
        .optional()?;
    let staff: Vec<Staff> = staff
        .map(|doc| serde_json::from_str(&doc))
        .transpose()
        .map_err(|e| Problem::internal(format!("stored staff: {e}")))?
        .into_iter()
        .collect();
    let mut stmt = tx.prepare(
        "SELECT doc FROM declarations WHERE staff_id = ?1 AND unit_id = ?2 AND deleted = 0 ORDER BY id",
    )?;
    let declarations = stmt
        .query_map([&declaration.staff_id, unit_id], |r| r.get::<_, String>(0))?
        .map(|doc| {
            let doc = doc?;
            serde_json::from_str::<Declaration>(&doc)
                .map_err(|e| Problem::internal(format!("stored declaration: {e}")))
        })
        .collect::<Result<Vec<_>, Problem>>()?;
    Ok(Input {
        year,
        rules: None,
        staff,
        declarations,
    })
}
