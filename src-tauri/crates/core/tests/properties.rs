//! Invariants of the engine over random units.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_core::*;
use proptest::prelude::*;
use proptest::sample::select;
use std::collections::{BTreeMap, HashMap};

fn arb_declaration(index: usize) -> impl Strategy<Value = Declaration> {
    (
        select(Form::ALL.to_vec()),
        prop::bool::weighted(0.85),
        0u8..3,
        0i64..700,
        0i64..400,
        prop::option::of(1u32..10),
        any::<bool>(),
        0i64..60,
        prop::option::of(0i64..60),
        0u8..40,
        prop::bool::weighted(0.9),
        select(vec![
            Status::PendingUnitReview,
            Status::UnitApproved,
            Status::Rejected,
            Status::Returned,
        ]),
    )
        .prop_map(
            move |(
                form,
                professional,
                staff,
                start_off,
                len,
                days,
                paper,
                claimed,
                certified,
                evidence_pick,
                has_conf,
                status,
            )| {
                let mut d = decl(
                    &format!("D{index:03}"),
                    form,
                    if professional {
                        Category::Professional
                    } else {
                        Category::Public
                    },
                );
                d.staff_id = format!("S{staff}");
                d.start_date = date("2018-06-01") + chrono::Duration::days(start_off);
                let len = if form.is_attendance() { len % 6 } else { len };
                d.end_date = d.start_date + chrono::Duration::days(len);
                d.days = days;
                d.presented_paper = paper;
                d.level = Some(if paper {
                    ConferenceLevel::National
                } else {
                    ConferenceLevel::Corps
                });
                d.exam_level = Some(ExamLevel::Intermediate);
                d.claimed_hours = Some(hours(claimed));
                d.certified_hours = certified.map(hours);
                d.confirmation_ref = has_conf.then(|| "认定〔2019〕1号".to_owned());
                d.organizer = format!("主办{}", evidence_pick % 3);
                // A small pool of files, so duplicates happen.
                d.evidence[0].sha256 = sha(&format!("file{evidence_pick}"));
                d.status = status;
                d
            },
        )
}

fn arb_input() -> impl Strategy<Value = Input> {
    (0usize..40, prop::collection::vec(any::<bool>(), 3))
        .prop_flat_map(|(n, promo)| {
            let decls: Vec<_> = (0..n).map(arb_declaration).collect();
            (decls, Just(promo))
        })
        .prop_map(|(declarations, promo)| {
            let staff_list = promo
                .iter()
                .enumerate()
                .map(|(i, &p)| {
                    let mut s = staff(&format!("S{i}"));
                    s.applying_promotion = p;
                    s
                })
                .collect();
            input(staff_list, declarations)
        })
}

fn by_id(e: &Evaluation) -> BTreeMap<String, DeclarationResult> {
    e.declarations
        .iter()
        .map(|d| (d.id.clone(), d.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn order_of_declarations_does_not_matter(input in arb_input(), seed in any::<u64>()) {
        let base = run(&input);
        let mut shuffled = input.clone();
        let mut rng = synth_rng(seed);
        for i in (1..shuffled.declarations.len()).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            shuffled.declarations.swap(i, j);
        }
        shuffled.staff.reverse();
        let other = run(&shuffled);
        prop_assert_eq!(by_id(&base), by_id(&other));
        prop_assert_eq!(base.ledger, other.ledger);
    }

    #[test]
    fn conference_hours_never_exceed_the_cap(input in arb_input()) {
        let e = run(&input);
        let cap = rules().conference.annual_cap;
        let mut per_person_year: HashMap<(String, i32), Hours> = HashMap::new();
        for r in e.declarations.iter().filter(|r| r.clause == "A4") {
            *per_person_year.entry((r.staff_id.clone(), r.year)).or_default() += r.credited_hours;
        }
        for (key, h) in per_person_year {
            prop_assert!(h <= cap, "{:?} has {} conference hours", key, h);
        }
    }

    #[test]
    fn deemed_completion_always_satisfies(input in arb_input()) {
        let e = run(&input);
        for r in e.declarations.iter().filter(|r| r.deemed.is_some()) {
            let l = ledger(&e, &r.staff_id, r.year);
            prop_assert!(l.professional_satisfied);
            prop_assert_eq!(l.shortfall.professional, Hours::ZERO);
            if r.deemed == Some(Deemed::All) {
                prop_assert!(l.complete);
                prop_assert_eq!(l.shortfall, Shortfall { public: Hours::ZERO, professional: Hours::ZERO });
            }
        }
    }

    #[test]
    fn ledger_hours_are_the_sum_of_credited_hours(input in arb_input()) {
        let e = run(&input);
        let mut sums: HashMap<(String, i32), (Hours, Hours)> = HashMap::new();
        for r in &e.declarations {
            let s = sums.entry((r.staff_id.clone(), r.year)).or_default();
            match r.category {
                Category::Public => s.0 += r.credited_hours,
                Category::Professional => s.1 += r.credited_hours,
            }
        }
        for l in &e.ledger {
            let (public, professional) = sums.get(&(l.staff_id.clone(), l.year)).copied().unwrap_or_default();
            prop_assert_eq!((l.public_hours, l.professional_hours), (public, professional));
        }
        // and every declaration's year has an entry
        for key in sums.keys() {
            prop_assert!(e.ledger.iter().any(|l| (&l.staff_id, l.year) == (&key.0, key.1)));
        }
    }

    #[test]
    fn credited_never_exceeds_computed(input in arb_input()) {
        for r in run(&input).declarations {
            prop_assert!(r.credited_hours <= r.computed_hours);
        }
    }
}

fn synth_rng(seed: u64) -> jxjy_core::synth::Rng {
    jxjy_core::synth::Rng::new(seed)
}
