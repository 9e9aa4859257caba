//! Rule sets are data: every number of the notice lives in a JSON file, loaded and validated here.
//! Interpretations marked [I] in DOMAIN.md are fields too, so a bureau can choose differently.

use crate::hours::Hours;
use crate::model::{ExamLevel, Form};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The rule sets shipped with the app, newest last.
const BUILTIN: &[&str] = &[include_str!("../rules/bingtuan-2019.json")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub id: String,
    pub name: String,
    pub source: String,
    /// First reviewed year this set applies to.
    pub first_year: i32,
    /// Last reviewed year, or open-ended.
    pub last_year: Option<i32>,
    pub annual: Annual,
    /// Y2: the forms through which public subjects may be learned.
    pub public_online_forms: Vec<Form>,
    pub promotion: Promotion,
    pub transition: Transition,
    pub conference: Conference,
    pub exams: Exams,
    pub service: Service,
    pub plausibility: Plausibility,
    pub evidence: EvidenceRule,
}

/// Y1: the yearly minimums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annual {
    pub public_min_hours: Hours,
    pub professional_min_hours: Hours,
}

/// Y3: promotion applicants need face-to-face training within one application cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promotion {
    pub face_to_face_forms: Vec<Form>,
    /// [I] length of the application cycle in years, ending with the reviewed year.
    pub cycle_years: u32,
}

/// Y4: the 2019 transition year admits earlier face-to-face certificates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub certificate_years: Vec<i32>,
}

/// A4: per-day hours and the paper bonus of one conference level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConferenceLevelRule {
    pub hours_per_day: Hours,
    pub paper_bonus: Hours,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conference {
    pub national: ConferenceLevelRule,
    pub corps: ConferenceLevelRule,
    /// Most conference hours that count as professional hours in one year.
    pub annual_cap: Hours,
    /// [I] whether paper bonuses count against the cap.
    pub cap_includes_bonus: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualificationHours {
    pub senior: Hours,
    pub intermediate: Hours,
    pub junior: Hours,
}

impl QualificationHours {
    pub fn for_level(&self, level: ExamLevel) -> Hours {
        match level {
            ExamLevel::Senior => self.senior,
            ExamLevel::Intermediate => self.intermediate,
            ExamLevel::Junior => self.junior,
        }
    }
}

/// A5 and A7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exams {
    pub qualification: QualificationHours,
    pub practice_qualification: Hours,
    pub title_language: Hours,
    pub computer: Hours,
    /// [I] language and computer exams count at most once per kind per year.
    pub language_computer_once_per_year: bool,
}

/// Which date decides the year of a deemed service completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearBy {
    StartDate,
    EndDate,
}

/// A6: grassroots service and aid-Xinjiang deemed completions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Shortest service that earns the deemed completion, in calendar months.
    pub min_months: u32,
    /// The forms that must last `min_months`.
    pub min_service_forms: Vec<Form>,
    /// [I] the year a deemed completion belongs to.
    pub year_by: YearBy,
}

/// The daily-hours plausibility check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plausibility {
    pub max_hours_per_day: Hours,
    pub forms: Vec<Form>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRule {
    /// Forms whose record on the platform is the evidence.
    pub exempt_forms: Vec<Form>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RuleSetError {
    #[error("rule set field `{field}`: {message}")]
    Invalid { field: String, message: String },
    #[error("unknown rule set `{0}`; known: {known}", known = builtin_ids().join(", "))]
    Unknown(String),
    #[error("no rule set covers year {0}")]
    NoneForYear(i32),
}

fn invalid(field: &str, message: &str) -> RuleSetError {
    RuleSetError::Invalid {
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

impl RuleSet {
    /// Parses and validates a rule-set document.
    pub fn from_json(text: &str) -> Result<RuleSet, RuleSetError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let set: RuleSet = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            RuleSetError::Invalid {
                field,
                message: e.into_inner().to_string(),
            }
        })?;
        set.validate()?;
        Ok(set)
    }

    /// Checks what the types cannot: positive amounts and consistent years.
    pub fn validate(&self) -> Result<(), RuleSetError> {
        if self.id.trim().is_empty() {
            return Err(invalid("id", "must not be empty"));
        }
        if let Some(last) = self.last_year {
            if last < self.first_year {
                return Err(invalid("last_year", "must not be before first_year"));
            }
        }
        let positive = [
            ("annual.public_min_hours", self.annual.public_min_hours),
            (
                "annual.professional_min_hours",
                self.annual.professional_min_hours,
            ),
            (
                "conference.national.hours_per_day",
                self.conference.national.hours_per_day,
            ),
            (
                "conference.corps.hours_per_day",
                self.conference.corps.hours_per_day,
            ),
            ("conference.annual_cap", self.conference.annual_cap),
            (
                "exams.qualification.senior",
                self.exams.qualification.senior,
            ),
            (
                "exams.qualification.intermediate",
                self.exams.qualification.intermediate,
            ),
            (
                "exams.qualification.junior",
                self.exams.qualification.junior,
            ),
            (
                "exams.practice_qualification",
                self.exams.practice_qualification,
            ),
            ("exams.title_language", self.exams.title_language),
            ("exams.computer", self.exams.computer),
            (
                "plausibility.max_hours_per_day",
                self.plausibility.max_hours_per_day,
            ),
        ];
        for (field, value) in positive {
            if value.is_zero() {
                return Err(invalid(field, "must be greater than 0"));
            }
        }
        if self.public_online_forms.is_empty() {
            return Err(invalid(
                "public_online_forms",
                "must name at least one form",
            ));
        }
        if self.promotion.cycle_years == 0 {
            return Err(invalid("promotion.cycle_years", "must be at least 1"));
        }
        if self.promotion.face_to_face_forms.is_empty() {
            return Err(invalid(
                "promotion.face_to_face_forms",
                "must name at least one form",
            ));
        }
        if self.service.min_months == 0 {
            return Err(invalid("service.min_months", "must be at least 1"));
        }
        Ok(())
    }

    pub fn covers(&self, year: i32) -> bool {
        year >= self.first_year && self.last_year.is_none_or(|last| year <= last)
    }

    /// A shipped rule set by id.
    pub fn builtin(id: &str) -> Result<RuleSet, RuleSetError> {
        builtins()
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| RuleSetError::Unknown(id.to_owned()))
    }

    /// The newest shipped rule set that covers `year`.
    pub fn for_year(year: i32) -> Result<RuleSet, RuleSetError> {
        builtins()
            .into_iter()
            .rev()
            .find(|s| s.covers(year))
            .ok_or(RuleSetError::NoneForYear(year))
    }
}

/// All shipped rule sets. They are validated by a test, so a broken file never ships.
pub fn builtins() -> Vec<RuleSet> {
    BUILTIN
        .iter()
        .filter_map(|text| RuleSet::from_json(text).ok())
        .collect()
}

pub fn builtin_ids() -> Vec<String> {
    builtins().into_iter().map(|s| s.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_set_is_valid() {
        for text in BUILTIN {
            RuleSet::from_json(text).unwrap();
        }
        assert_eq!(builtins().len(), BUILTIN.len());
    }

    #[test]
    fn the_2019_set_holds_the_numbers_of_the_notice() {
        let s = RuleSet::builtin("bingtuan-2019").unwrap();
        assert_eq!(s.annual.public_min_hours, Hours::whole(30));
        assert_eq!(s.annual.professional_min_hours, Hours::whole(60));
        assert_eq!(s.conference.national.hours_per_day, Hours::whole(6));
        assert_eq!(s.conference.corps.paper_bonus, Hours::whole(4));
        assert_eq!(s.conference.annual_cap, Hours::whole(40));
        assert_eq!(s.exams.qualification.intermediate, Hours::whole(35));
        assert_eq!(s.exams.computer, Hours::whole(10));
        assert_eq!(s.plausibility.max_hours_per_day, Hours::whole(8));
        assert_eq!(s.promotion.cycle_years, 1);
        assert_eq!(RuleSet::for_year(2019).unwrap().id, "bingtuan-2019");
        assert_eq!(
            RuleSet::for_year(2018),
            Err(RuleSetError::NoneForYear(2018))
        );
    }

    #[test]
    fn a_bad_field_is_named() {
        let text = include_str!("../rules/bingtuan-2019.json")
            .replace("\"hours_per_day\": 6", "\"hours_per_day\": 0");
        let err = RuleSet::from_json(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "rule set field `conference.national.hours_per_day`: must be greater than 0"
        );

        let text = include_str!("../rules/bingtuan-2019.json")
            .replace("\"cycle_years\": 1", "\"cycle_years\": \"one\"");
        let err = RuleSet::from_json(&text).unwrap_err();
        assert!(err.to_string().contains("`promotion.cycle_years`"), "{err}");

        let text = include_str!("../rules/bingtuan-2019.json").replace("\"computer\": 10,", "");
        let err = RuleSet::from_json(&text).unwrap_err();
        assert!(
            err.to_string().contains("missing field `computer`"),
            "{err}"
        );
    }
}
