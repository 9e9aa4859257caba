//! The annual ledger (年度完成情况): per staff member and year, hours against Y1's minimums,
//! deemed completions, and what is still missing.

use crate::flags::Flag;
use crate::hours::Hours;
use crate::idnumber;
use crate::model::{Category, DeclarationResult, Deemed, Input, LedgerEntry, Shortfall};
use crate::ruleset::RuleSet;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;

#[derive(Default)]
struct Acc {
    public: Hours,
    professional: Hours,
    deemed_by: BTreeSet<String>,
    deemed_all: bool,
    deemed_professional: bool,
    face_to_face: bool,
}

/// Builds the ledger from counted results. `counted[i]` says whether `results[i]` counts.
pub fn build(
    input: &Input,
    rules: &RuleSet,
    results: &[DeclarationResult],
    counted: &[bool],
) -> Vec<LedgerEntry> {
    let mut acc: FxHashMap<(&str, i32), Acc> = FxHashMap::default();
    for s in &input.staff {
        acc.entry((s.id.as_str(), input.year)).or_default();
    }
    for ((r, d), &counts) in results.iter().zip(&input.declarations).zip(counted) {
        let a = acc.entry((r.staff_id.as_str(), r.year)).or_default();
        if !counts {
            continue;
        }
        match r.category {
            Category::Public => a.public += r.credited_hours,
            Category::Professional => a.professional += r.credited_hours,
        }
        if let Some(deemed) = r.deemed {
            a.deemed_by.insert(r.clause.clone());
            a.deemed_professional = true;
            a.deemed_all |= deemed == Deemed::All;
        }
        if rules.promotion.face_to_face_forms.contains(&d.form) {
            a.face_to_face = true;
        }
    }

    let staff: FxHashMap<&str, _> = input.staff.iter().map(|s| (s.id.as_str(), s)).collect();
    let cycle = i32::try_from(rules.promotion.cycle_years).unwrap_or(1);
    let face_to_face_years: FxHashSet<(&str, i32)> = acc
        .iter()
        .filter(|(_, a)| a.face_to_face)
        .map(|(k, _)| *k)
        .collect();

    let mut entries: Vec<_> = acc.into_iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_iter()
        .map(|((staff_id, year), a)| {
            let public_min = rules.annual.public_min_hours;
            let prof_min = rules.annual.professional_min_hours;
            let public_satisfied = a.deemed_all || a.public >= public_min;
            let professional_satisfied = a.deemed_professional || a.professional >= prof_min;
            let mut flags = Vec::new();
            if let Some(s) = staff.get(staff_id) {
                if !idnumber::is_valid(&s.id_number) {
                    flags.push(Flag::InvalidIdNumber);
                }
                let had_face_to_face =
                    (year - cycle + 1..=year).any(|y| face_to_face_years.contains(&(staff_id, y)));
                if s.applying_promotion && year == input.year && !had_face_to_face {
                    flags.push(Flag::PromotionNeedsFaceToFace);
                }
            }
            let shortfall = Shortfall {
                public: if public_satisfied {
                    Hours::ZERO
                } else {
                    public_min.saturating_sub(a.public)
                },
                professional: if professional_satisfied {
                    Hours::ZERO
                } else {
                    prof_min.saturating_sub(a.professional)
                },
            };
            LedgerEntry {
                staff_id: staff_id.to_owned(),
                year,
                public_hours: a.public,
                professional_hours: a.professional,
                public_satisfied,
                professional_satisfied,
                complete: public_satisfied && professional_satisfied,
                deemed_by: a.deemed_by.into_iter().collect(),
                shortfall,
                flags,
            }
        })
        .collect()
}
