//! What one declaration is worth on its own, by its form (annex §2) — before the annual
//! limits that depend on the person's other declarations.

use crate::flags::Flag;
use crate::hours::Hours;
use crate::labels::{conference_level_zh, exam_level_zh, form_zh};
use crate::model::{Category, ConferenceLevel, Declaration, Deemed, Form};
use crate::ruleset::{RuleSet, YearBy};
use chrono::{Datelike, Months, NaiveDate};

/// Which annual limit a declaration's hours are subject to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    None,
    /// A4: the yearly conference cap; `capped` is the part that counts against it.
    Conference {
        capped: Hours,
    },
    /// A7: once per kind per year.
    OncePerYear(Form),
}

/// The stand-alone credit of a declaration.
#[derive(Debug, Clone)]
pub struct Base {
    pub clause: &'static str,
    pub year: i32,
    pub computed: Hours,
    pub deemed: Option<Deemed>,
    pub limit: Limit,
    pub explanation: String,
    pub flags: Vec<Flag>,
}

impl Base {
    fn new(clause: &'static str, year: i32, computed: Hours, explanation: String) -> Base {
        Base {
            clause,
            year,
            computed,
            deemed: None,
            limit: Limit::None,
            explanation,
            flags: Vec::new(),
        }
    }
}

/// The actual days of a declaration: `days` when given, never more than the calendar span.
pub fn actual_days(d: &Declaration) -> (i64, bool) {
    let span = d.span_days();
    match d.days {
        Some(days) if i64::from(days) > span => (span, true),
        Some(days) => (i64::from(days), false),
        None => (span, false),
    }
}

/// Whether a service from `start` to `end` (inclusive) lasted at least `months` months.
fn lasted_months(start: NaiveDate, end: NaiveDate, months: u32) -> bool {
    start
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .is_some_and(|last_needed| end >= last_needed)
}

fn certified(d: &Declaration, clause: &'static str, year: i32, basis: &str) -> Base {
    match d.certified_hours {
        Some(h) => Base::new(
            clause,
            year,
            h,
            format!("{}，{basis} {h}学时", form_zh(d.form)),
        ),
        None => Base::new(
            clause,
            year,
            Hours::ZERO,
            format!("{}，尚无{basis}，暂计0学时", form_zh(d.form)),
        ),
    }
}

/// Credits one declaration by its form. Y2 (public subjects online only) comes first.
pub fn credit(d: &Declaration, rules: &RuleSet) -> Base {
    let year = d.end_date.year();
    let deems_all = matches!(d.form, Form::GrassrootsService | Form::AidXinjiang);
    if d.category == Category::Public && !deems_all && !rules.public_online_forms.contains(&d.form)
    {
        let mut b = Base::new(
            "Y2",
            year,
            Hours::ZERO,
            format!(
                "公需科目须通过网络学习完成，本项以“{}”形式申报公需科目，不计学时 = 0学时",
                form_zh(d.form)
            ),
        );
        b.flags.push(Flag::PublicNotOnline);
        return b;
    }
    match d.form {
        Form::OnlineCourse => certified(d, "O1", year, "按平台课程记录"),
        Form::BaseTraining => certified(d, "A1", year, "按基地审批部门确定的学时"),
        Form::OrganizedTraining => certified(d, "A2", year, "按主办单位确定的学时"),
        Form::DegreeEducation => {
            let mut b = Base::new(
                "A3",
                year,
                Hours::ZERO,
                format!("取得学历、学位，视同完成{year}年度专业科目学习任务（不另计学时）"),
            );
            b.deemed = Some(Deemed::Professional);
            b
        }
        Form::AcademicConference => conference(d, rules, year),
        Form::QualificationExam => {
            let Some(level) = d.exam_level else {
                return Base::new(
                    "A5",
                    year,
                    Hours::ZERO,
                    "全国专业技术资格考试未填写考试级别，暂计0学时".to_owned(),
                );
            };
            let h = rules.exams.qualification.for_level(level);
            Base::new(
                "A5",
                year,
                h,
                format!(
                    "通过全国{}专业技术资格考试，计专业科目{h}学时",
                    exam_level_zh(level)
                ),
            )
        }
        Form::PracticeQualificationExam => {
            let h = rules.exams.practice_qualification;
            Base::new(
                "A5",
                year,
                h,
                format!("通过全国执业资格或职业水平考试，计专业科目{h}学时"),
            )
        }
        Form::TitleLanguageExam | Form::ComputerExam => {
            let h = if d.form == Form::TitleLanguageExam {
                rules.exams.title_language
            } else {
                rules.exams.computer
            };
            let mut b = Base::new(
                "A7",
                year,
                h,
                format!("通过{}，计专业科目{h}学时", form_zh(d.form)),
            );
            if rules.exams.language_computer_once_per_year {
                b.limit = Limit::OncePerYear(d.form);
            }
            b
        }
        Form::GrassrootsService | Form::AidXinjiang => service(d, rules),
        Form::TransitionCertificate => {
            if rules.transition.certificate_years.contains(&year) {
                match d.certified_hours {
                    Some(h) => Base::new(
                        "Y4",
                        year,
                        h,
                        format!(
                            "{year}年度面授合格证书（过渡年补录），计入{year}年度专业科目 {h}学时"
                        ),
                    ),
                    None => Base::new(
                        "Y4",
                        year,
                        Hours::ZERO,
                        format!("{year}年度面授合格证书（过渡年补录），证书未载明学时，暂计0学时"),
                    ),
                }
            } else {
                let years: Vec<String> = rules
                    .transition
                    .certificate_years
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                let mut base = Base::new(
                    "Y4",
                    year,
                    Hours::ZERO,
                    format!(
                        "过渡年补录仅限{}年度面授合格证书，本证书为{year}年度，不计学时 = 0学时",
                        years.join("、")
                    ),
                );
                base.flags.push(Flag::TransitionYearNotListed);
                base
            }
        }
        Form::Other => match d.confirmation_ref.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => {
                let mut b = certified(d, "A8", year, "按认定学时");
                b.explanation.push_str(&format!("（认定文号：{r}）"));
                b
            }
            _ => {
                let mut b = Base::new(
                    "A8",
                    year,
                    Hours::ZERO,
                    "其他形式学时须经师市人社局或兵团业务主管部门认定，缺少认定文号，暂计0学时"
                        .to_owned(),
                );
                b.flags.push(Flag::MissingConfirmation);
                b
            }
        },
    }
}

/// A4: per actual day by level, plus the paper bonus.
fn conference(d: &Declaration, rules: &RuleSet, year: i32) -> Base {
    let Some(level) = d.level else {
        return Base::new(
            "A4",
            year,
            Hours::ZERO,
            "学术会议未填写级别（国家级或兵团（省）级），暂计0学时".to_owned(),
        );
    };
    let rule = match level {
        ConferenceLevel::National => &rules.conference.national,
        ConferenceLevel::Corps => &rules.conference.corps,
    };
    let (days, _) = actual_days(d);
    let by_days = rule.hours_per_day * days;
    let bonus = if d.presented_paper {
        rule.paper_bonus
    } else {
        Hours::ZERO
    };
    let total = by_days + bonus;
    let mut text = format!(
        "{}学术会议 {days}天×{}学时",
        conference_level_zh(level),
        rule.hours_per_day
    );
    if d.presented_paper {
        text.push_str(&format!(" + 宣读论文{bonus}学时"));
    }
    text.push_str(&format!(" = {total}学时"));
    let capped = if rules.conference.cap_includes_bonus {
        total
    } else {
        by_days
    };
    let mut b = Base::new("A4", year, total, text);
    b.limit = Limit::Conference { capped };
    b
}

/// A6: deemed completion of the whole year for long enough service, or for aid-Xinjiang staff.
fn service(d: &Declaration, rules: &RuleSet) -> Base {
    let year = match rules.service.year_by {
        YearBy::EndDate => d.end_date.year(),
        YearBy::StartDate => d.start_date.year(),
    };
    let needs_duration = rules.service.min_service_forms.contains(&d.form);
    let months = rules.service.min_months;
    if needs_duration && !lasted_months(d.start_date, d.end_date, months) {
        let mut b = Base::new(
            "A6",
            year,
            Hours::ZERO,
            format!(
                "{} {}至{} 不满{months}个月，不能视同完成当年度学习任务，不计学时 = 0学时",
                form_zh(d.form),
                d.start_date,
                d.end_date
            ),
        );
        b.flags.push(Flag::ServiceUnderOneYear);
        return b;
    }
    let why = if needs_duration {
        format!(
            "{} {}至{} 满{months}个月",
            form_zh(d.form),
            d.start_date,
            d.end_date
        )
    } else {
        format!("{}在兵团申报专业技术职务任职资格评定", form_zh(d.form))
    };
    let mut b = Base::new(
        "A6",
        year,
        Hours::ZERO,
        format!("{why}，视同完成{year}年度全部公需和专业科目学习任务（不另计学时）"),
    );
    b.deemed = Some(Deemed::All);
    b
}
