//! Domain types, serialized exactly as the interchange JSON of DOMAIN.md.

use crate::flags::Flag;
use crate::hours::Hours;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 公需科目 / 专业科目.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Public,
    Professional,
}

/// The form of study a declaration claims (学习形式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Form {
    OnlineCourse,
    BaseTraining,
    OrganizedTraining,
    DegreeEducation,
    AcademicConference,
    QualificationExam,
    PracticeQualificationExam,
    TitleLanguageExam,
    ComputerExam,
    GrassrootsService,
    AidXinjiang,
    TransitionCertificate,
    Other,
}

impl Form {
    pub const ALL: [Form; 13] = [
        Form::OnlineCourse,
        Form::BaseTraining,
        Form::OrganizedTraining,
        Form::DegreeEducation,
        Form::AcademicConference,
        Form::QualificationExam,
        Form::PracticeQualificationExam,
        Form::TitleLanguageExam,
        Form::ComputerExam,
        Form::GrassrootsService,
        Form::AidXinjiang,
        Form::TransitionCertificate,
        Form::Other,
    ];

    /// Forms where the person attends in person over a span of days; only these can overlap.
    pub fn is_attendance(self) -> bool {
        matches!(
            self,
            Form::BaseTraining | Form::OrganizedTraining | Form::AcademicConference
        )
    }
}

/// Level of an academic conference (A4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ConferenceLevel {
    National,
    Corps,
}

impl ConferenceLevel {
    pub const ALL: [ConferenceLevel; 2] = [ConferenceLevel::National, ConferenceLevel::Corps];
}

/// Level of a national qualification exam (A5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ExamLevel {
    Senior,
    Intermediate,
    Junior,
}

impl ExamLevel {
    pub const ALL: [ExamLevel; 3] = [
        ExamLevel::Senior,
        ExamLevel::Intermediate,
        ExamLevel::Junior,
    ];
}

/// A staff member's current title level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TitleLevel {
    SeniorFull,
    SeniorDeputy,
    Intermediate,
    Junior,
}

impl TitleLevel {
    pub const ALL: [TitleLevel; 4] = [
        TitleLevel::SeniorFull,
        TitleLevel::SeniorDeputy,
        TitleLevel::Intermediate,
        TitleLevel::Junior,
    ];
}

/// Where a declaration stands on the platform.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    PendingUnitReview,
    Returned,
    Rejected,
    UnitApproved,
    IndustryApproved,
    IndustryReturned,
    SpotChecked,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::PendingUnitReview,
        Status::Returned,
        Status::Rejected,
        Status::UnitApproved,
        Status::IndustryApproved,
        Status::IndustryReturned,
        Status::SpotChecked,
    ];

    /// Whether hours of a declaration in this status count towards the ledger: a returned or
    /// rejected declaration credits nothing until it is declared again.
    pub fn counts(self) -> bool {
        !matches!(
            self,
            Status::Returned | Status::Rejected | Status::IndustryReturned
        )
    }
}

/// A professional-technical staff member (专业技术人员) of the unit's roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub id_number: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub title_series: String,
    #[serde(default)]
    pub title_level: Option<TitleLevel>,
    #[serde(default)]
    pub applying_promotion: bool,
    #[serde(default = "default_true")]
    pub active: bool,
}

fn default_true() -> bool {
    true
}

fn default_version() -> u64 {
    1
}

/// An evidence file (证明材料), content-addressed by SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evidence {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    /// The file's SHA-256: 64 lowercase hexadecimal digits.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{64}$"))]
    pub sha256: String,
}

/// One declaration (学时申报) of one staff member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Declaration {
    pub id: String,
    pub staff_id: String,
    pub category: Category,
    pub form: Form,
    #[serde(default)]
    pub level: Option<ConferenceLevel>,
    #[serde(default)]
    pub exam_level: Option<ExamLevel>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub organizer: String,
    #[serde(with = "crate::date_format")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub start_date: NaiveDate,
    #[serde(with = "crate::date_format")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub end_date: NaiveDate,
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub presented_paper: bool,
    /// What the declarant claims; absent or null when nothing is claimed (a deemed form such as
    /// a degree or a year of service, whose record is the claim).
    #[serde(default)]
    pub claimed_hours: Option<Hours>,
    #[serde(default)]
    pub certified_hours: Option<Hours>,
    #[serde(default)]
    pub confirmation_ref: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub status: Status,
    #[serde(default = "default_version")]
    pub version: u64,
}

impl Declaration {
    /// Inclusive number of calendar days from `start_date` to `end_date`.
    pub fn span_days(&self) -> i64 {
        (self.end_date - self.start_date).num_days() + 1
    }
}

/// The interchange document: the reviewed year, the rule set and the unit's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Input {
    pub year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    #[serde(default)]
    pub staff: Vec<Staff>,
    #[serde(default)]
    pub declarations: Vec<Declaration>,
}

/// What counts as deemed complete (视同完成).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Deemed {
    /// The year's professional requirement (A3).
    Professional,
    /// The whole year, public and professional (A6).
    All,
}

/// The engine's verdict on one declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeclarationResult {
    pub id: String,
    pub staff_id: String,
    pub category: Category,
    /// The year whose ledger this declaration counts in.
    pub year: i32,
    /// The hours the rule gives before the annual conference cap.
    pub computed_hours: Hours,
    /// The hours that count, after caps.
    pub credited_hours: Hours,
    pub deemed: Option<Deemed>,
    pub clause: String,
    pub explanation: String,
    pub flags: Vec<Flag>,
}

/// Hours still missing per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Shortfall {
    pub public: Hours,
    pub professional: Hours,
}

/// One staff member's annual ledger (年度完成情况).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerEntry {
    pub staff_id: String,
    pub year: i32,
    pub public_hours: Hours,
    pub professional_hours: Hours,
    pub public_satisfied: bool,
    pub professional_satisfied: bool,
    pub complete: bool,
    pub deemed_by: Vec<String>,
    pub shortfall: Shortfall,
    pub flags: Vec<Flag>,
}

/// The whole evaluation of an input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evaluation {
    pub declarations: Vec<DeclarationResult>,
    pub ledger: Vec<LedgerEntry>,
}
