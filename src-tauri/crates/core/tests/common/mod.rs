//! Builders for small inputs, so each test states only what matters to it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use jxjy_core::*;

pub const TODAY: &str = "2020-01-15";

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn staff(id: &str) -> Staff {
    Staff {
        id: id.into(),
        name: "张三".into(),
        id_number: "650102198001011234".into(),
        unit_id: "U01".into(),
        title_series: "卫生".into(),
        title_level: Some(TitleLevel::Intermediate),
        applying_promotion: false,
        active: true,
    }
}

/// A sha256 that differs per label.
pub fn sha(label: &str) -> String {
    let mut h: u64 = 1469598103934665603;
    for b in label.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(1099511628211);
    }
    format!("{h:016x}").repeat(4)
}

/// A clean declaration of `form` by S1 in 2019 with one evidence file, claimed = what the rule gives.
pub fn decl(id: &str, form: Form, category: Category) -> Declaration {
    Declaration {
        id: id.into(),
        staff_id: "S1".into(),
        category,
        form,
        level: None,
        exam_level: None,
        title: "测试".into(),
        organizer: format!("主办单位{id}"),
        start_date: date("2019-05-10"),
        end_date: date("2019-05-10"),
        days: None,
        presented_paper: false,
        claimed_hours: None,
        certified_hours: None,
        confirmation_ref: None,
        evidence: vec![Evidence {
            id: format!("{id}-E1"),
            file_name: "证书.pdf".into(),
            media_type: "application/pdf".into(),
            size: 1000,
            sha256: sha(id),
        }],
        status: Status::PendingUnitReview,
        version: 1,
    }
}

pub fn hours(h: i64) -> Hours {
    Hours::whole(h)
}

pub fn online(id: &str, category: Category, h: i64) -> Declaration {
    let mut d = decl(id, Form::OnlineCourse, category);
    d.certified_hours = Some(hours(h));
    d.claimed_hours = Some(hours(h));
    d.evidence.clear();
    d.organizer = "专技平台".into();
    d
}

pub fn conference(
    id: &str,
    level: ConferenceLevel,
    start: &str,
    end: &str,
    paper: bool,
) -> Declaration {
    let mut d = decl(id, Form::AcademicConference, Category::Professional);
    d.level = Some(level);
    d.start_date = date(start);
    d.end_date = date(end);
    d.presented_paper = paper;
    d
}

pub fn input(staff_list: Vec<Staff>, declarations: Vec<Declaration>) -> Input {
    Input {
        year: 2019,
        rules: None,
        staff: staff_list,
        declarations,
    }
}

pub fn rules() -> RuleSet {
    RuleSet::builtin("bingtuan-2019").unwrap()
}

pub fn run(input: &Input) -> Evaluation {
    run_with(input, &rules())
}

pub fn run_with(input: &Input, rules: &RuleSet) -> Evaluation {
    evaluate(input, rules, date(TODAY))
}

pub fn result<'a>(e: &'a Evaluation, id: &str) -> &'a DeclarationResult {
    e.declarations
        .iter()
        .find(|d| d.id == id)
        .expect("declaration in result")
}

pub fn ledger<'a>(e: &'a Evaluation, staff_id: &str, year: i32) -> &'a LedgerEntry {
    e.ledger
        .iter()
        .find(|l| l.staff_id == staff_id && l.year == year)
        .expect("ledger entry")
}
