use super::*;
use proptest::prelude::*;
use std::collections::HashSet;

fn cand(i: usize, form: Form, hours: i64, flags: Vec<Flag>, deemed: bool) -> Candidate {
    Candidate {
        id: format!("D{i:05}"),
        form,
        credited_hours: Hours::whole(hours),
        flags,
        deemed,
    }
}

fn unit(n: usize) -> Vec<Candidate> {
    let forms = [
        Form::OnlineCourse,
        Form::OrganizedTraining,
        Form::AcademicConference,
        Form::GrassrootsService,
    ];
    (0..n)
        .map(|i| {
            let flags = if i % 7 == 0 {
                vec![Flag::OverlappingDates]
            } else {
                vec![]
            };
            cand(
                i,
                forms[i % forms.len()],
                (i % 50) as i64,
                flags,
                i % 11 == 0,
            )
        })
        .collect()
}

fn spec(size: SampleSize, min: u32, seed: u64) -> SampleSpec {
    SampleSpec {
        size,
        min_per_form: min,
        seed,
    }
}

#[test]
fn risk_reasons_and_weights() {
    // Rows: flags, hours, deemed → reasons, weight.
    type Row = (Vec<Flag>, i64, bool, Vec<RiskReason>, u32);
    let table: &[Row] = &[
        (vec![], 10, false, vec![], 1),
        (
            vec![Flag::MissingEvidence],
            10,
            false,
            vec![RiskReason::Flagged],
            4,
        ),
        (vec![], 40, false, vec![RiskReason::HighHours], 3),
        (
            vec![Flag::ConferenceCapApplied],
            40,
            false,
            vec![RiskReason::HighHours, RiskReason::ConferenceAtCap],
            5,
        ),
        (vec![], 0, true, vec![RiskReason::Deemed], 3),
    ];
    for (flags, hours, deemed, reasons, weight) in table {
        let c = cand(1, Form::Other, *hours, flags.clone(), *deemed);
        assert_eq!(&c.reasons(), reasons);
        assert_eq!(c.weight(), *weight);
    }
}

#[test]
fn the_same_seed_gives_the_same_sample_and_another_seed_another() {
    let c = unit(500);
    let s = spec(SampleSize::Count(30), 2, 20191231);
    let a = sample(&c, &s);
    assert_eq!(a, sample(&c, &s));
    assert_eq!(a.len(), 30);
    let b = sample(&c, &spec(SampleSize::Count(30), 2, 7));
    assert_ne!(a, b);
}

#[test]
fn share_is_rounded_up_and_minimums_can_raise_the_size() {
    let c = unit(101);
    assert_eq!(sample(&c, &spec(SampleSize::PerMille(50), 0, 1)).len(), 6);
    // Four forms with at least three each: 12 even though 5 were asked for.
    assert_eq!(sample(&c, &spec(SampleSize::Count(5), 3, 1)).len(), 12);
    assert_eq!(sample(&c, &spec(SampleSize::Count(5000), 0, 1)).len(), 101);
    assert!(sample(&[], &spec(SampleSize::Count(5), 3, 1)).is_empty());
}

#[test]
fn risky_items_are_picked_more_often() {
    // Deterministic: 200 fixed seeds over a unit where 1 in 7 is flagged.
    let c = unit(700);
    let flagged: HashSet<&str> = c
        .iter()
        .filter(|x| !x.flags.is_empty())
        .map(|x| x.id.as_str())
        .collect();
    let (mut hits, mut total) = (0usize, 0usize);
    for seed in 0..200 {
        let s = sample(&c, &spec(SampleSize::Count(35), 0, seed));
        hits += s.iter().filter(|p| flagged.contains(p.id.as_str())).count();
        total += s.len();
    }
    let share = hits as f64 / total as f64;
    assert!(
        share > 2.0 / 7.0,
        "flagged share {share} should well exceed 1/7"
    );
}

proptest! {
    #[test]
    fn sample_invariants(n in 0usize..300, size in 0u32..80, min in 0u32..5, seed in any::<u64>(),
                         rotate in 0usize..300) {
        let c = unit(n);
        let s = spec(SampleSize::Count(size), min, seed);
        let a = sample(&c, &s);
        // Order of arrival does not matter.
        let mut shuffled = c.clone();
        if n > 0 { shuffled.rotate_left(rotate % n); shuffled.reverse(); }
        prop_assert_eq!(&a, &sample(&shuffled, &s));
        // No duplicates, only candidates.
        let ids: HashSet<&str> = a.iter().map(|p| p.id.as_str()).collect();
        prop_assert_eq!(ids.len(), a.len());
        let all: HashSet<&str> = c.iter().map(|x| x.id.as_str()).collect();
        prop_assert!(ids.is_subset(&all));
        // Every form gets its minimum (or all it has).
        for form in c.iter().map(|x| x.form).collect::<HashSet<_>>() {
            let have = c.iter().filter(|x| x.form == form).count();
            let got = a.iter().filter(|p| p.form == form).count();
            prop_assert!(got >= have.min(min as usize));
        }
        // Size: what was asked, raised to cover minimums, capped by the candidates.
        let minimums: usize = c.iter().map(|x| x.form).collect::<HashSet<_>>().iter()
            .map(|f| c.iter().filter(|x| x.form == *f).count().min(min as usize)).sum();
        prop_assert_eq!(a.len(), (size as usize).max(minimums).min(n));
    }
}
