//! The crediting engine: every rule of the notice, applied to one unit's input.
//!
//! Pure: the reviewed day (`today`) is passed in, and the result does not depend on the order
//! of the declarations (annual limits are applied in order of `end_date`, then `id`).

mod checks;
mod credit;
mod ledger;

use crate::flags::Flag;
use crate::hours::Hours;
use crate::input::staff_index;
use crate::labels::{form_zh, status_zh};
use crate::model::{DeclarationResult, Evaluation, Form, Input};
use crate::ruleset::RuleSet;
use chrono::NaiveDate;
use credit::{actual_days, Base, Limit};
use rustc_hash::FxHashMap as HashMap;

pub use checks::{duplicate_declarations, duplicate_evidence, overlapping};

/// Whether a declaration's credit depends on the person's other declarations of its year (A4's
/// conference cap, A7's once per year), so that the order of decisions can change it.
pub fn annually_limited(d: &crate::model::Declaration, rules: &RuleSet) -> bool {
    !matches!(credit::credit(d, rules).limit, Limit::None)
}

/// Evaluates every declaration of `input` and builds the ledger.
pub fn evaluate(input: &Input, rules: &RuleSet, today: NaiveDate) -> Evaluation {
    let decls = &input.declarations;
    let mut bases: Vec<Base> = decls.iter().map(|d| credit::credit(d, rules)).collect();
    let counted: Vec<bool> = decls.iter().map(|d| d.status.counts()).collect();
    let credited = apply_annual_limits(input, rules, &mut bases, &counted);

    let staff = staff_index(&input.staff);
    let cross = checks::CrossFlags::compute(decls);
    let results: Vec<DeclarationResult> = decls
        .iter()
        .zip(bases)
        .zip(credited)
        .enumerate()
        .map(|(i, ((d, base), credited_hours))| {
            let mut flags = base.flags;
            let (_, days_exceed) = actual_days(d);
            if days_exceed {
                flags.push(Flag::DaysExceedSpan);
            }
            // No claim, no mismatch: there is nothing to compare the computed hours with.
            if base.deemed.is_none() && d.claimed_hours.is_some_and(|c| c != base.computed) {
                flags.push(Flag::HoursMismatch);
            }
            if d.form != Form::TransitionCertificate && base.year != input.year {
                flags.push(Flag::DatesOutsideYear);
            }
            if d.end_date > today {
                flags.push(Flag::FutureDate);
            }
            if d.evidence.is_empty() && !rules.evidence.exempt_forms.contains(&d.form) {
                flags.push(Flag::MissingEvidence);
            }
            if rules.plausibility.forms.contains(&d.form) {
                let limit = rules.plausibility.max_hours_per_day * d.span_days();
                if d.certified_hours.is_some_and(|h| h > limit) {
                    flags.push(Flag::ImplausibleDailyHours);
                }
            }
            match staff.get(d.staff_id.as_str()) {
                None => flags.push(Flag::StaffNotInRoster),
                Some(s) if !s.active => flags.push(Flag::StaffInactive),
                Some(_) => {}
            }
            cross.flags_for(i, &mut flags);
            flags.sort();
            flags.dedup();
            let mut explanation = base.explanation;
            if !counted[i] {
                explanation.push_str(&format!(
                    "；当前状态为“{}”，不计入年度学时",
                    status_zh(d.status)
                ));
            }
            DeclarationResult {
                id: d.id.clone(),
                staff_id: d.staff_id.clone(),
                category: d.category,
                year: base.year,
                computed_hours: base.computed,
                credited_hours,
                deemed: if counted[i] { base.deemed } else { None },
                clause: base.clause.to_owned(),
                explanation,
                flags,
            }
        })
        .collect();
    let ledger = ledger::build(input, rules, &results, &counted);
    Evaluation {
        declarations: results,
        ledger,
    }
}

/// A4's yearly conference cap and A7's once-per-year limit, per person and year, in order of
/// `end_date` then `id`. Returns the credited hours; notes and flags go into `bases`.
fn apply_annual_limits(
    input: &Input,
    rules: &RuleSet,
    bases: &mut [Base],
    counted: &[bool],
) -> Vec<Hours> {
    let decls = &input.declarations;
    let mut order: Vec<usize> = (0..decls.len()).collect();
    order.sort_by(|&a, &b| {
        (decls[a].end_date, &decls[a].id).cmp(&(decls[b].end_date, &decls[b].id))
    });
    let mut credited: Vec<Hours> = bases.iter().map(|b| b.computed).collect();
    let mut conference_used: HashMap<(&str, i32), Hours> = HashMap::default();
    let mut once_seen: HashMap<(&str, i32, Form), &str> = HashMap::default();
    let cap = rules.conference.annual_cap;
    for i in order {
        let d = &decls[i];
        let base = &mut bases[i];
        if !counted[i] {
            credited[i] = Hours::ZERO;
            continue;
        }
        let key = (d.staff_id.as_str(), base.year);
        match base.limit {
            Limit::None => {}
            Limit::Conference { capped } => {
                let used = conference_used.entry(key).or_default();
                let before = *used;
                let allowed = capped.min(cap.saturating_sub(before));
                *used += allowed;
                let cut = capped - allowed;
                if !cut.is_zero() {
                    credited[i] = base.computed - cut;
                    base.flags.push(Flag::ConferenceCapApplied);
                    base.explanation.push_str(&format!(
                        "；学术会议年度计入专业科目最多{cap}学时，{}年度此前已计{before}学时，本项计入{}学时",
                        base.year, credited[i]
                    ));
                }
            }
            Limit::OncePerYear(form) => {
                let slot = (d.staff_id.as_str(), base.year, form);
                if let Some(first) = once_seen.get(&slot) {
                    credited[i] = Hours::ZERO;
                    base.explanation.push_str(&format!(
                        "；{}每年限计一次，{}年度已计入申报{first}，本项不计 = 0学时",
                        form_zh(form),
                        base.year
                    ));
                } else {
                    once_seen.insert(slot, d.id.as_str());
                }
            }
        }
    }
    credited
}
