//! Checks across declarations: they flag what a reviewer should look at twice.

use crate::flags::Flag;
use crate::model::Declaration;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;

/// Indices of declarations that share a day with another attendance-type declaration of the
/// same person; both of each pair are returned.
pub fn overlapping(decls: &[Declaration]) -> HashSet<usize> {
    let mut by_staff: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, d) in decls.iter().enumerate() {
        if d.form.is_attendance() {
            by_staff.entry(d.staff_id.as_str()).or_default().push(i);
        }
    }
    let mut out = HashSet::default();
    for mut idx in by_staff.into_values() {
        idx.sort_by_key(|&i| decls[i].start_date);
        for (k, &a) in idx.iter().enumerate() {
            for &b in &idx[k + 1..] {
                if decls[b].start_date > decls[a].end_date {
                    break;
                }
                out.insert(a);
                out.insert(b);
            }
        }
    }
    out
}

/// Indices of declarations whose evidence shares a SHA-256 with another declaration's.
pub fn duplicate_evidence(decls: &[Declaration]) -> HashSet<usize> {
    let mut keyed: Vec<(Cow<'_, str>, usize)> = decls
        .iter()
        .enumerate()
        .flat_map(|(i, d)| d.evidence.iter().map(move |e| (lower_hex(&e.sha256), i)))
        .collect();
    keyed.sort_unstable();
    keyed.dedup();
    let mut out = HashSet::default();
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            out.extend(run.iter().map(|(_, i)| *i));
        }
    }
    out
}

/// Hashes compare case-insensitively; most already arrive in lower case.
fn lower_hex(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// A title as compared for duplicates: spaces of any width and ASCII case do not count, so
/// "Python 数据分析" and "python数据分析" are one course, "数据分析（一）" and "（二）" are two.
fn title_key(title: &str) -> String {
    title
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Indices of declarations with the same person, form, organizer, dates and title as another:
/// two different online courses on one day are two declarations, one course declared twice
/// is a duplicate.
pub fn duplicate_declarations(decls: &[Declaration]) -> HashSet<usize> {
    let mut groups: HashMap<_, Vec<usize>> = HashMap::default();
    for (i, d) in decls.iter().enumerate() {
        let key = (
            d.staff_id.as_str(),
            d.form,
            d.organizer.trim(),
            d.start_date,
            d.end_date,
            title_key(&d.title),
        );
        groups.entry(key).or_default().push(i);
    }
    groups
        .into_values()
        .filter(|g| g.len() > 1)
        .flatten()
        .collect()
}

/// Flags from cross-declaration checks for declaration `i`.
pub struct CrossFlags {
    overlapping: HashSet<usize>,
    duplicate_evidence: HashSet<usize>,
    duplicate_declarations: HashSet<usize>,
}

impl CrossFlags {
    pub fn compute(decls: &[Declaration]) -> CrossFlags {
        CrossFlags {
            overlapping: overlapping(decls),
            duplicate_evidence: duplicate_evidence(decls),
            duplicate_declarations: duplicate_declarations(decls),
        }
    }

    pub fn flags_for(&self, i: usize, out: &mut Vec<Flag>) {
        if self.overlapping.contains(&i) {
            out.push(Flag::OverlappingDates);
        }
        if self.duplicate_evidence.contains(&i) {
            out.push(Flag::DuplicateEvidence);
        }
        if self.duplicate_declarations.contains(&i) {
            out.push(Flag::DuplicateDeclaration);
        }
    }
}
