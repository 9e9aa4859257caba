//! The checks that flag a declaration or a ledger entry for the reviewer; they never decide.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    HoursMismatch,
    DatesOutsideYear,
    FutureDate,
    OverlappingDates,
    DuplicateEvidence,
    DuplicateDeclaration,
    MissingEvidence,
    ImplausibleDailyHours,
    StaffNotInRoster,
    StaffInactive,
    InvalidIdNumber,
    PublicNotOnline,
    ConferenceCapApplied,
    ServiceUnderOneYear,
    MissingConfirmation,
    DaysExceedSpan,
    PromotionNeedsFaceToFace,
    /// Y4: a transition certificate of a year the rule set does not admit (credited 0).
    TransitionYearNotListed,
    /// The name read from the certificate is not the declarant's.
    EvidenceNameMismatch,
    /// The dates read from the certificate are not the declared ones.
    EvidenceDatesMismatch,
    /// The hours read from the certificate are not the declared ones.
    EvidenceHoursMismatch,
    /// The issuing body read from the certificate is not the declared organizer.
    EvidenceOrganizerMismatch,
    /// Nothing usable could be read from the evidence.
    EvidenceUnreadable,
    /// The certificate number read is on another declaration too (of anyone).
    DuplicateCertificateNo,
}

impl Flag {
    pub const ALL: [Flag; 24] = [
        Flag::HoursMismatch,
        Flag::DatesOutsideYear,
        Flag::FutureDate,
        Flag::OverlappingDates,
        Flag::DuplicateEvidence,
        Flag::DuplicateDeclaration,
        Flag::MissingEvidence,
        Flag::ImplausibleDailyHours,
        Flag::StaffNotInRoster,
        Flag::StaffInactive,
        Flag::InvalidIdNumber,
        Flag::PublicNotOnline,
        Flag::ConferenceCapApplied,
        Flag::ServiceUnderOneYear,
        Flag::MissingConfirmation,
        Flag::DaysExceedSpan,
        Flag::PromotionNeedsFaceToFace,
        Flag::TransitionYearNotListed,
        Flag::EvidenceNameMismatch,
        Flag::EvidenceDatesMismatch,
        Flag::EvidenceHoursMismatch,
        Flag::EvidenceOrganizerMismatch,
        Flag::EvidenceUnreadable,
        Flag::DuplicateCertificateNo,
    ];

    /// Whether the flag comes from reading the evidence, not from the declaration's own data:
    /// the engine never raises these; the evidence reader does.
    pub fn is_from_reading(self) -> bool {
        matches!(
            self,
            Flag::EvidenceNameMismatch
                | Flag::EvidenceDatesMismatch
                | Flag::EvidenceHoursMismatch
                | Flag::EvidenceOrganizerMismatch
                | Flag::EvidenceUnreadable
                | Flag::DuplicateCertificateNo
        )
    }

    /// The short badge text (GLOSSARY.md).
    pub fn badge_zh(self) -> &'static str {
        match self {
            Flag::HoursMismatch => "学时不符",
            Flag::DatesOutsideYear => "非本年度",
            Flag::FutureDate => "日期超前",
            Flag::OverlappingDates => "时间重叠",
            Flag::DuplicateEvidence => "材料重复",
            Flag::DuplicateDeclaration => "重复申报",
            Flag::MissingEvidence => "缺少材料",
            Flag::ImplausibleDailyHours => "日均过高",
            Flag::StaffNotInRoster => "非本单位",
            Flag::StaffInactive => "已离岗",
            Flag::InvalidIdNumber => "证号有误",
            Flag::PublicNotOnline => "公需非网学",
            Flag::ConferenceCapApplied => "会议封顶",
            Flag::ServiceUnderOneYear => "服务不满一年",
            Flag::MissingConfirmation => "缺认定文号",
            Flag::DaysExceedSpan => "天数有误",
            Flag::PromotionNeedsFaceToFace => "缺面授",
            Flag::TransitionYearNotListed => "非补录年度",
            Flag::EvidenceNameMismatch => "证书姓名不符",
            Flag::EvidenceDatesMismatch => "证书日期不符",
            Flag::EvidenceHoursMismatch => "证书学时不符",
            Flag::EvidenceOrganizerMismatch => "发证单位不符",
            Flag::EvidenceUnreadable => "材料无法识别",
            Flag::DuplicateCertificateNo => "证书编号重复",
        }
    }

    /// The tooltip explanation (GLOSSARY.md).
    pub fn explanation_zh(self) -> &'static str {
        match self {
            Flag::HoursMismatch => "申报学时与按标准计算的学时不一致",
            Flag::DatesOutsideYear => "学习时间不在本审核年度",
            Flag::FutureDate => "学习时间晚于今天",
            Flag::OverlappingDates => "与本人其他培训、会议的时间重叠",
            Flag::DuplicateEvidence => "证明材料与其他申报（可能是他人的）完全相同",
            Flag::DuplicateDeclaration => {
                "同一人、同一形式、同一主办单位、同一时间、同一名称的申报已存在"
            }
            Flag::MissingEvidence => "该学习形式须上传证明材料",
            Flag::ImplausibleDailyHours => "日均学时超过8学时",
            Flag::StaffNotInRoster => "申报人不在本单位人员名单中",
            Flag::StaffInactive => "申报人已调出或离岗",
            Flag::InvalidIdNumber => "身份证号码校验位错误",
            Flag::PublicNotOnline => "公需科目须通过网络学习完成",
            Flag::ConferenceCapApplied => "学术会议年度计入专业科目学时最多40学时，超出部分不计",
            Flag::ServiceUnderOneYear => "基层服务不满一年，不能视同完成当年度学习任务",
            Flag::MissingConfirmation => "其他形式学时须由师市人社局或兵团业务主管部门认定",
            Flag::DaysExceedSpan => "申报天数超过起止日期之间的天数",
            Flag::PromotionNeedsFaceToFace => "申报上一级资格人员在本申报周期内尚无集中面授记录",
            Flag::TransitionYearNotListed => {
                "过渡年补录的面授合格证书不属于规则集允许补录的年度，不计学时"
            }
            Flag::EvidenceNameMismatch => "证明材料上的姓名与申报人不一致（显示读到的姓名）",
            Flag::EvidenceDatesMismatch => "证明材料上的日期与申报的起止日期不一致",
            Flag::EvidenceHoursMismatch => "证明材料上的学时与申报学时不一致",
            Flag::EvidenceOrganizerMismatch => "证明材料的发证单位与申报的主办单位不一致",
            Flag::EvidenceUnreadable => "未能从证明材料中读出内容，请人工核对",
            Flag::DuplicateCertificateNo => "同一证书编号出现在多条申报中",
        }
    }
}
