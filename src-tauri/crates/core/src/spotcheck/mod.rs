//! Spot-check sampling (抽审抽样): which approved declarations a unit puts in its pack.
//!
//! Risk-weighted sampling without replacement (Efraimidis–Spirakis: each item's key is
//! `u^(1/w)`, the largest keys win), with a guaranteed minimum per form of study. Each item's
//! `u` comes from a hash of the seed and its id, so the same seed gives the same sample
//! whatever order the candidates arrive in, and adding one candidate does not reshuffle the rest.

use crate::{Flag, Form, Hours};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A credited amount at or above this is "high hours" for the sample.
pub const HIGH_HOURS: Hours = Hours::whole(40);

/// Why an item weighs more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RiskReason {
    /// The engine flagged it.
    Flagged,
    /// `HIGH_HOURS` or more credited.
    HighHours,
    /// An academic conference that reached the annual cap.
    ConferenceAtCap,
    /// A deemed completion (视同完成).
    Deemed,
}

impl RiskReason {
    pub const ALL: [RiskReason; 4] = [
        RiskReason::Flagged,
        RiskReason::HighHours,
        RiskReason::ConferenceAtCap,
        RiskReason::Deemed,
    ];

    /// Extra weight over the base weight of 1.
    pub fn weight(self) -> u32 {
        match self {
            RiskReason::Flagged => 3,
            RiskReason::HighHours | RiskReason::ConferenceAtCap | RiskReason::Deemed => 2,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            RiskReason::Flagged => "有疑点提示",
            RiskReason::HighHours => "学时较高",
            RiskReason::ConferenceAtCap => "学术会议达年度上限",
            RiskReason::Deemed => "视同完成",
        }
    }
}

/// An approved declaration that may be sampled.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub form: Form,
    pub credited_hours: Hours,
    pub flags: Vec<Flag>,
    pub deemed: bool,
}

impl Candidate {
    pub fn reasons(&self) -> Vec<RiskReason> {
        let mut r = Vec::new();
        if self.flags.iter().any(|f| *f != Flag::ConferenceCapApplied) {
            r.push(RiskReason::Flagged);
        }
        if self.credited_hours >= HIGH_HOURS {
            r.push(RiskReason::HighHours);
        }
        if self.flags.contains(&Flag::ConferenceCapApplied) {
            r.push(RiskReason::ConferenceAtCap);
        }
        if self.deemed {
            r.push(RiskReason::Deemed);
        }
        r
    }

    pub fn weight(&self) -> u32 {
        1 + self.reasons().iter().map(|r| r.weight()).sum::<u32>()
    }
}

/// How many to take.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "by", content = "value")]
pub enum SampleSize {
    Count(u32),
    /// Per mille of the candidates, rounded up (50 = 5%).
    PerMille(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SampleSpec {
    pub size: SampleSize,
    /// At least this many of every form that has candidates (all of a form with fewer).
    pub min_per_form: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
}

/// Whether an item is in for its form's minimum or won its place by weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Stratum {
    FormMinimum,
    Weighted,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Picked {
    pub id: String,
    pub form: Form,
    pub weight: u32,
    pub reasons: Vec<RiskReason>,
    pub stratum: Stratum,
}

/// The number the spec asks for, before form minimums.
pub fn target(size: SampleSize, candidates: usize) -> usize {
    match size {
        SampleSize::Count(n) => n as usize,
        SampleSize::PerMille(pm) => (candidates * pm as usize).div_ceil(1000),
    }
}

/// The sample: form minimums first, then the heaviest keys; at most every candidate, at least
/// the form minimums. Ordered by form, then by key (highest first).
pub fn sample(candidates: &[Candidate], spec: &SampleSpec) -> Vec<Picked> {
    let mut keyed: Vec<(f64, &Candidate)> = candidates
        .iter()
        .map(|c| (key(spec.seed, &c.id, c.weight()), c))
        .collect();
    // Highest key first; ties (never in practice) by id, so the order is total.
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    keyed.dedup_by(|a, b| a.1.id == b.1.id);

    let mut taken = vec![false; keyed.len()];
    let mut per_form: BTreeMap<Form, u32> = BTreeMap::new();
    let mut out: Vec<(usize, Stratum)> = Vec::new();
    for (i, (_, c)) in keyed.iter().enumerate() {
        let n = per_form.entry(c.form).or_insert(0);
        if *n < spec.min_per_form {
            *n += 1;
            taken[i] = true;
            out.push((i, Stratum::FormMinimum));
        }
    }
    let want = target(spec.size, keyed.len()).min(keyed.len());
    for (i, t) in taken.iter_mut().enumerate() {
        if out.len() >= want {
            break;
        }
        if !*t {
            *t = true;
            out.push((i, Stratum::Weighted));
        }
    }
    out.sort_by_key(|(i, _)| (keyed[*i].1.form, *i));
    out.into_iter()
        .map(|(i, stratum)| {
            let c = keyed[i].1;
            Picked {
                id: c.id.clone(),
                form: c.form,
                weight: c.weight(),
                reasons: c.reasons(),
                stratum,
            }
        })
        .collect()
}

/// `u^(1/w)` with `u` in (0, 1) from the seed and the id; compared through its logarithm.
fn key(seed: u64, id: &str, weight: u32) -> f64 {
    let u = unit_interval(mix(seed ^ fnv1a(id.as_bytes())));
    u.ln() / f64::from(weight.max(1))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// SplitMix64's finaliser: a good 64-bit mix of its input.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The top 53 bits as a float strictly between 0 and 1.
fn unit_interval(x: u64) -> f64 {
    ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests;
