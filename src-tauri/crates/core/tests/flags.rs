//! Every flag of DOMAIN.md, each produced by a scenario, and cleared when the cause is gone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_core::*;
use std::collections::BTreeSet;

/// Where a flag is expected.
enum On {
    Declaration(&'static str),
    Ledger(&'static str, i32),
}

struct Scenario {
    flag: Flag,
    why: &'static str,
    build: fn() -> Input,
    on: &'static [On],
}

fn one(d: Declaration) -> Input {
    input(vec![staff("S1")], vec![d])
}

fn training(id: &str, start: &str, end: &str) -> Declaration {
    let mut d = decl(id, Form::OrganizedTraining, Category::Professional);
    d.start_date = date(start);
    d.end_date = date(end);
    let h = 6 * d.span_days();
    d.certified_hours = Some(hours(h));
    d.claimed_hours = Some(hours(h));
    d
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        flag: Flag::HoursMismatch,
        why: "claimed 20, the base approved 16",
        build: || {
            let mut d = training("D1", "2019-05-10", "2019-05-11");
            d.certified_hours = Some(hours(12));
            d.claimed_hours = Some(hours(20));
            one(d)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::DatesOutsideYear,
        why: "ended in 2018, reviewed year 2019",
        build: || one(training("D1", "2018-12-30", "2018-12-31")),
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::FutureDate,
        why: "ends after today (2020-01-15)",
        build: || {
            let mut i = one(training("D1", "2020-03-01", "2020-03-02"));
            i.year = 2020;
            i
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::OverlappingDates,
        why: "a training 05-10..05-12 and a conference on 05-12, same person",
        build: || {
            let mut c = conference(
                "D2",
                ConferenceLevel::Corps,
                "2019-05-12",
                "2019-05-12",
                false,
            );
            c.claimed_hours = Some(hours(4));
            input(
                vec![staff("S1")],
                vec![training("D1", "2019-05-10", "2019-05-12"), c],
            )
        },
        on: &[On::Declaration("D1"), On::Declaration("D2")],
    },
    Scenario {
        flag: Flag::DuplicateEvidence,
        why: "two people uploaded the same certificate",
        build: || {
            let a = training("D1", "2019-05-10", "2019-05-10");
            let mut b = training("D2", "2019-06-10", "2019-06-10");
            b.staff_id = "S2".into();
            b.evidence[0].sha256 = a.evidence[0].sha256.to_uppercase();
            input(vec![staff("S1"), staff("S2")], vec![a, b])
        },
        on: &[On::Declaration("D1"), On::Declaration("D2")],
    },
    Scenario {
        flag: Flag::DuplicateDeclaration,
        why: "same person, form, organizer and dates declared twice",
        build: || {
            let a = training("D1", "2019-05-10", "2019-05-10");
            let mut b = a.clone();
            b.id = "D2".into();
            b.evidence[0].sha256 = sha("other file");
            input(vec![staff("S1")], vec![a, b])
        },
        on: &[On::Declaration("D1"), On::Declaration("D2")],
    },
    Scenario {
        flag: Flag::TransitionYearNotListed,
        why: "Y4 «已参加 2017、2018 年继续教育面授并取得合格证书»: a 2016 certificate",
        build: || {
            let mut d = decl("D1", Form::TransitionCertificate, Category::Professional);
            d.start_date = date("2016-06-01");
            d.end_date = date("2016-06-03");
            d.certified_hours = Some(hours(24));
            one(d)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::MissingEvidence,
        why: "a training without any certificate",
        build: || {
            let mut d = training("D1", "2019-05-10", "2019-05-10");
            d.evidence.clear();
            one(d)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::ImplausibleDailyHours,
        why: "20 certified hours in one calendar day",
        build: || {
            let mut d = training("D1", "2019-05-10", "2019-05-10");
            d.certified_hours = Some(hours(20));
            d.claimed_hours = Some(hours(20));
            one(d)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::StaffNotInRoster,
        why: "the declarant is not on the unit's roster",
        build: || {
            let mut d = training("D1", "2019-05-10", "2019-05-10");
            d.staff_id = "S9".into();
            one(d)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::StaffInactive,
        why: "the declarant has left the unit",
        build: || {
            let mut s = staff("S1");
            s.active = false;
            input(vec![s], vec![training("D1", "2019-05-10", "2019-05-10")])
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::InvalidIdNumber,
        why: "the GB 11643 check digit is wrong",
        build: || {
            let mut s = staff("S1");
            s.id_number = "650102198001011235".into();
            input(vec![s], vec![])
        },
        on: &[On::Ledger("S1", 2019)],
    },
    Scenario {
        flag: Flag::PublicNotOnline,
        why: "public subject declared as a conference",
        build: || {
            let mut c = conference(
                "D1",
                ConferenceLevel::Corps,
                "2019-05-12",
                "2019-05-12",
                false,
            );
            c.category = Category::Public;
            one(c)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::ConferenceCapApplied,
        why: "48 conference hours in one year",
        build: || {
            let mut c = conference(
                "D1",
                ConferenceLevel::National,
                "2019-05-01",
                "2019-05-08",
                false,
            );
            c.claimed_hours = Some(hours(48));
            one(c)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::ServiceUnderOneYear,
        why: "grassroots service of six months",
        build: || {
            let mut d = decl("D1", Form::GrassrootsService, Category::Professional);
            d.start_date = date("2019-01-01");
            d.end_date = date("2019-06-30");
            one(d)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::MissingConfirmation,
        why: "other form without a confirmation reference",
        build: || {
            let mut d = decl("D1", Form::Other, Category::Professional);
            d.certified_hours = Some(hours(4));
            d.confirmation_ref = Some("  ".into());
            one(d)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::DaysExceedSpan,
        why: "4 days declared for a two-day conference",
        build: || {
            let mut c = conference(
                "D1",
                ConferenceLevel::Corps,
                "2019-05-11",
                "2019-05-12",
                false,
            );
            c.days = Some(4);
            c.claimed_hours = Some(hours(8));
            one(c)
        },
        on: &[On::Declaration("D1")],
    },
    Scenario {
        flag: Flag::PromotionNeedsFaceToFace,
        why: "applying for promotion with only online courses",
        build: || {
            let mut s = staff("S1");
            s.applying_promotion = true;
            input(vec![s], vec![online("D1", Category::Professional, 60)])
        },
        on: &[On::Ledger("S1", 2019)],
    },
];

fn flags_at<'a>(e: &'a Evaluation, on: &On) -> &'a [Flag] {
    match on {
        On::Declaration(id) => &result(e, id).flags,
        On::Ledger(staff_id, year) => &ledger(e, staff_id, *year).flags,
    }
}

#[test]
fn every_flag_is_produced() {
    let mut seen = BTreeSet::new();
    for s in SCENARIOS {
        let e = run(&(s.build)());
        for on in s.on {
            assert!(
                flags_at(&e, on).contains(&s.flag),
                "{:?} expected ({}), got {:?}",
                s.flag,
                s.why,
                flags_at(&e, on)
            );
        }
        seen.insert(s.flag);
    }
    // The flags from reading evidence are raised by the reader (jxjy-evidence's tests), not here.
    let all: BTreeSet<Flag> = Flag::ALL
        .into_iter()
        .filter(|f| !f.is_from_reading())
        .collect();
    assert_eq!(seen, all, "a flag of DOMAIN.md has no scenario");
}

#[test]
fn a_clean_declaration_has_no_flag() {
    let e = run(&one(training("D1", "2019-05-10", "2019-05-12")));
    assert!(result(&e, "D1").flags.is_empty());
    assert!(ledger(&e, "S1", 2019).flags.is_empty());
}

#[test]
fn online_courses_need_no_evidence_and_never_overlap() {
    let a = online("D1", Category::Public, 6);
    let b = online("D2", Category::Public, 6);
    let mut c = b.clone();
    c.id = "D3".into();
    c.organizer = "另一平台".into();
    let e = run(&input(vec![staff("S1")], vec![a, c]));
    assert!(result(&e, "D1").flags.is_empty());
    assert!(result(&e, "D3").flags.is_empty());
}

#[test]
fn adjacent_days_do_not_overlap() {
    let e = run(&input(
        vec![staff("S1")],
        vec![
            training("D1", "2019-05-10", "2019-05-11"),
            training("D2", "2019-05-12", "2019-05-13"),
        ],
    ));
    assert!(!result(&e, "D1").flags.contains(&Flag::OverlappingDates));
    assert!(!result(&e, "D2").flags.contains(&Flag::OverlappingDates));
}

#[test]
fn flags_have_chinese_words() {
    for f in Flag::ALL {
        assert!(!f.badge_zh().is_empty() && !f.explanation_zh().is_empty());
    }
    assert_eq!(Flag::ConferenceCapApplied.badge_zh(), "会议封顶");
    assert_eq!(
        serde_json::to_string(&Flag::PromotionNeedsFaceToFace).unwrap(),
        "\"promotion_needs_face_to_face\""
    );
}

/// `duplicate_declaration` compares the title too: «同一人、同一形式、同一主办单位、同一时间» and
/// the same course. Two courses of one platform on one day are two declarations; one course
/// declared twice (its title spaced or cased differently) is still a duplicate.
#[test]
fn duplicates_are_the_same_course_not_the_same_day() {
    let cases: &[(&str, &str, bool)] = &[
        ("数据分析基础", "机器学习入门", false),
        ("数据分析（一）", "数据分析（二）", false),
        ("Python 数据分析", "python数据分析", true),
        ("数据分析基础", " 数据分析基础 ", true),
    ];
    for (first, second, duplicate) in cases {
        let mut a = training("D1", "2019-05-10", "2019-05-10");
        a.title = (*first).into();
        let mut b = a.clone();
        b.id = "D2".into();
        b.title = (*second).into();
        b.evidence[0].sha256 = sha("other file");
        let e = run(&input(vec![staff("S1")], vec![a, b]));
        for id in ["D1", "D2"] {
            assert_eq!(
                result(&e, id).flags.contains(&Flag::DuplicateDeclaration),
                *duplicate,
                "{first} / {second}"
            );
        }
    }
}

/// «学时不符»: claimed against computed — and nothing claimed is nothing to compare.
#[test]
fn no_claim_means_no_hours_mismatch() {
    for claimed in [None, Some(hours(18))] {
        let mut d = training("D1", "2019-05-10", "2019-05-12");
        d.claimed_hours = claimed;
        let e = run(&one(d));
        assert!(!result(&e, "D1").flags.contains(&Flag::HoursMismatch));
    }
    let mut d = training("D1", "2019-05-10", "2019-05-12");
    d.claimed_hours = Some(hours(30));
    assert!(run(&one(d)).declarations[0]
        .flags
        .contains(&Flag::HoursMismatch));
}

/// The interchange may leave `claimed_hours` out or null (a degree or a year of service claims
/// nothing); a negative claim is still refused.
#[test]
fn claimed_hours_may_be_null_or_absent() {
    let doc = |claimed: &str| {
        format!(
            r#"{{"year": 2019, "staff": [{{"id": "S1", "name": "张三", "id_number": "11010519491231002X",
                "unit_id": "U1", "title_series": "工程", "title_level": "intermediate",
                "applying_promotion": false, "active": true}}],
              "declarations": [{{"id": "D08", "staff_id": "S1", "category": "professional",
                "form": "degree_education", "start_date": "2019-06-30", "end_date": "2019-06-30"
                {claimed}}}]}}"#
        )
    };
    for claimed in ["", r#", "claimed_hours": null"#] {
        let input = parse_input(&doc(claimed)).unwrap();
        assert_eq!(input.declarations[0].claimed_hours, None);
        let e = run(&input);
        assert!(!result(&e, "D08").flags.contains(&Flag::HoursMismatch));
    }
    assert!(parse_input(&doc(r#", "claimed_hours": -3"#)).is_err());
}
