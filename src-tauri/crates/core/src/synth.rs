//! A deterministic synthetic unit: realistic names, valid ID numbers, real organizers, every form
//! and a share of every suspicious situation. For benchmarks, demos and the reference platform's
//! seed. Randomness comes from the caller's seed only.

use crate::hours::Hours;
use crate::idnumber;
use crate::model::{
    Category, ConferenceLevel, Declaration, Evidence, ExamLevel, Form, Input, Staff, Status,
    TitleLevel,
};
use chrono::{Datelike, Duration, NaiveDate};

/// SplitMix64: tiny, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        // `items` is never empty at the call sites below.
        &items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "邓", "曹", "彭",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "慧", "建国", "红梅", "志强", "海燕", "文博", "雪", "晨", "宇",
];
const UYGHUR: &[&str] = &[
    "阿依古丽·买买提",
    "艾力·吐尔逊",
    "古丽娜尔·艾海提",
    "买买提江·热合曼",
    "迪丽努尔·阿不都",
    "努尔兰·哈力克",
];
/// 石河子市, 阿拉尔市, 图木舒克市, 五家渠市, 乌鲁木齐市天山区, 阿克苏市.
const REGIONS: &[&str] = &["659001", "659002", "659003", "659004", "650102", "652901"];
const SERIES: &[&str] = &[
    "卫生", "教师", "工程", "农业", "会计", "经济", "统计", "档案",
];
const NATIONAL_ORGS: &[&str] = &[
    "中华医学会",
    "中国农学会",
    "中国水利学会",
    "中国会计学会",
    "中国土木工程学会",
    "中华护理学会",
];
const CORPS_ORGS: &[&str] = &[
    "兵团卫生健康委员会",
    "兵团农业农村局",
    "兵团水利局",
    "兵团教育局",
    "新疆农垦科学院",
];
const BASES: &[&str] = &[
    "兵团干部学院",
    "兵团公共就业和人才服务局",
    "石河子大学医学院",
    "石河子大学水利建筑工程学院",
    "第一师阿拉尔市继续教育基地",
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthParams {
    pub year: i32,
    pub unit_id: String,
    pub staff: usize,
    pub declarations_per_staff: usize,
    pub seed: u64,
}

impl Default for SynthParams {
    fn default() -> Self {
        SynthParams {
            year: 2019,
            unit_id: "U01".into(),
            staff: 300,
            declarations_per_staff: 10,
            seed: 1,
        }
    }
}

fn id_number(rng: &mut Rng) -> String {
    let region = rng.pick(REGIONS);
    let birth = NaiveDate::from_ymd_opt(1965, 1, 1).unwrap_or_default()
        + Duration::days(rng.below(33 * 365) as i64);
    let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), rng.below(1000));
    let check = idnumber::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

fn name(rng: &mut Rng) -> String {
    if rng.chance(8) {
        return (*rng.pick(UYGHUR)).to_owned();
    }
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

fn hex64(rng: &mut Rng) -> String {
    (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect()
}

fn date_in(rng: &mut Rng, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default() + Duration::days(rng.below(330) as i64)
}

/// Generates one unit's roster and declarations for `p.year`.
pub fn generate(p: &SynthParams) -> Input {
    let mut rng = Rng::new(p.seed);
    let mut staff = Vec::with_capacity(p.staff);
    let mut declarations = Vec::with_capacity(p.staff * p.declarations_per_staff);
    let mut last_sha = String::new();
    for s in 0..p.staff {
        let mut number = id_number(&mut rng);
        if rng.chance(1) {
            // a typo in the check character
            number.pop();
            number.push(if number.ends_with('1') { '2' } else { '1' });
        }
        let member = Staff {
            id: format!("{}-S{:05}", p.unit_id, s + 1),
            name: name(&mut rng),
            id_number: number,
            unit_id: p.unit_id.clone(),
            title_series: (*rng.pick(SERIES)).to_owned(),
            title_level: Some(*rng.pick(&[
                TitleLevel::Junior,
                TitleLevel::Intermediate,
                TitleLevel::Intermediate,
                TitleLevel::SeniorDeputy,
                TitleLevel::SeniorFull,
            ])),
            applying_promotion: rng.chance(15),
            active: !rng.chance(3),
        };
        for k in 0..p.declarations_per_staff {
            let id = format!("{}-D{:07}", p.unit_id, s * p.declarations_per_staff + k + 1);
            let mut d = declaration(&mut rng, id, &member.id, p.year, k);
            if rng.chance(1) && !last_sha.is_empty() {
                // someone else's certificate uploaded again
                if let Some(e) = d.evidence.first_mut() {
                    e.sha256 = last_sha.clone();
                }
            }
            if let Some(e) = d.evidence.first() {
                last_sha = e.sha256.clone();
            }
            declarations.push(d);
        }
        staff.push(member);
    }
    // A few declarations from people who left the roster.
    if p.staff > 0 && rng.chance(50) {
        let id = format!("{}-D9999999", p.unit_id);
        declarations.push(declaration(&mut rng, id, "X-S00000", p.year, 0));
    }
    Input {
        year: p.year,
        rules: None,
        staff,
        declarations,
    }
}

/// Picks an item with the given integer weights.
fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u64)]) -> T {
    let total: u64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.below(total);
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// A declaration's title as a staff member would type it: the year, then what it was. The
/// transition certificate's form name already names its years, so only its own year is given.
fn title(form: Form, year: i32) -> String {
    match form {
        Form::TransitionCertificate => format!("{year}年度面授合格证书（过渡年补录）"),
        _ => format!("{year}{}", crate::labels::form_zh(form)),
    }
}

fn declaration(rng: &mut Rng, id: String, staff_id: &str, year: i32, k: usize) -> Declaration {
    // The first three of each person are public online courses, as on the real platform.
    let form = if k < 3 {
        Form::OnlineCourse
    } else {
        weighted(
            rng,
            &[
                (Form::OnlineCourse, 40),
                (Form::BaseTraining, 8),
                (Form::OrganizedTraining, 14),
                (Form::AcademicConference, 14),
                (Form::QualificationExam, 3),
                (Form::PracticeQualificationExam, 2),
                (Form::TitleLanguageExam, 3),
                (Form::ComputerExam, 3),
                (Form::DegreeEducation, 2),
                (Form::GrassrootsService, 2),
                (Form::AidXinjiang, 1),
                (Form::TransitionCertificate, 4),
                (Form::Other, 4),
            ],
        )
    };
    let category = if k < 3 || (form != Form::OnlineCourse && rng.chance(2)) {
        Category::Public
    } else {
        Category::Professional
    };
    let mut start = date_in(rng, year);
    let mut span: i64 = match form {
        Form::BaseTraining | Form::OrganizedTraining => 1 + rng.below(5) as i64,
        Form::AcademicConference => 1 + rng.below(4) as i64,
        Form::GrassrootsService => {
            if rng.chance(70) {
                366
            } else {
                200
            }
        }
        Form::AidXinjiang => 365,
        _ => 1,
    };
    if matches!(form, Form::GrassrootsService | Form::AidXinjiang) {
        start -= Duration::days(span - 1 - rng.below(20) as i64);
        span = span.max(1);
    }
    if form == Form::TransitionCertificate {
        let cert_year = *rng.pick(&[year - 2, year - 1]);
        start = date_in(rng, cert_year);
        span = 3;
        // Now and then a certificate of a year the transition does not admit (Y4), made from
        // the date already drawn, so the rest of the unit stays as it was.
        if start.ordinal().is_multiple_of(16) {
            start = start.with_year(year - 3).unwrap_or(start);
        }
    }
    if rng.chance(2) {
        start = date_in(rng, year - 1);
    }
    if rng.below(1000) < 3 {
        // A typo that swaps the year's last digits (2019 -> 2091): a date in the future.
        let swapped = year / 100 * 100 + year % 10 * 10 + year / 10 % 10;
        start = date_in(rng, swapped.max(year + 1));
    }
    let end = start + Duration::days(span - 1);
    let days = if form == Form::AcademicConference {
        let d = span as u32;
        Some(if rng.chance(3) { d + 1 } else { d })
    } else {
        None
    };
    let level = (form == Form::AcademicConference).then(|| {
        if rng.chance(50) {
            ConferenceLevel::National
        } else {
            ConferenceLevel::Corps
        }
    });
    let exam_level = (form == Form::QualificationExam).then(|| {
        *rng.pick(&[
            ExamLevel::Senior,
            ExamLevel::Intermediate,
            ExamLevel::Junior,
        ])
    });
    let presented_paper = form == Form::AcademicConference && rng.chance(30);
    let certified: Option<i64> = match form {
        Form::OnlineCourse => Some([2, 4, 6, 8, 10, 12][rng.below(6) as usize]),
        Form::BaseTraining | Form::OrganizedTraining | Form::TransitionCertificate => {
            let per_day = if rng.chance(3) { 10 } else { 6 };
            Some(span * per_day)
        }
        Form::Other => Some(2 + rng.below(7) as i64),
        _ => None,
    };
    let expected: i64 = match form {
        Form::AcademicConference => {
            let days = i64::from(days.unwrap_or(1)).min(span);
            let (per_day, bonus) = if level == Some(ConferenceLevel::National) {
                (6, 6)
            } else {
                (4, 4)
            };
            days * per_day + if presented_paper { bonus } else { 0 }
        }
        Form::QualificationExam => match exam_level {
            Some(ExamLevel::Senior) | None => 40,
            Some(ExamLevel::Intermediate) => 35,
            Some(ExamLevel::Junior) => 30,
        },
        Form::PracticeQualificationExam => 40,
        Form::TitleLanguageExam | Form::ComputerExam => 10,
        _ => certified.unwrap_or(0),
    };
    let claimed = if rng.chance(4) {
        expected + 2 + rng.below(10) as i64
    } else {
        expected
    };
    let organizer = match form {
        Form::AcademicConference if level == Some(ConferenceLevel::National) => {
            rng.pick(NATIONAL_ORGS)
        }
        Form::BaseTraining | Form::TransitionCertificate => rng.pick(BASES),
        Form::OnlineCourse => &"专技平台",
        _ => rng.pick(CORPS_ORGS),
    };
    let evidence = if form == Form::OnlineCourse || rng.chance(2) {
        Vec::new()
    } else {
        let pdf = rng.chance(60);
        vec![Evidence {
            id: format!("{id}-E1"),
            file_name: if pdf {
                "证书.pdf".into()
            } else {
                "证书.jpg".into()
            },
            media_type: if pdf {
                "application/pdf".into()
            } else {
                "image/jpeg".into()
            },
            size: 20_000 + rng.below(400_000),
            sha256: hex64(rng),
        }]
    };
    let status = *rng.pick(&[
        Status::PendingUnitReview,
        Status::PendingUnitReview,
        Status::PendingUnitReview,
        Status::UnitApproved,
        Status::UnitApproved,
        Status::IndustryApproved,
    ]);
    Declaration {
        title: title(form, end.year()),
        id,
        staff_id: staff_id.to_owned(),
        category,
        form,
        level,
        exam_level,
        organizer: (*organizer).to_owned(),
        start_date: start,
        end_date: end,
        days,
        presented_paper,
        claimed_hours: Some(Hours::whole(claimed)),
        certified_hours: certified.map(Hours::whole),
        confirmation_ref: (form == Form::Other && rng.chance(80))
            .then(|| format!("师人社认〔{year}〕{}号", 1 + rng.below(200))),
        evidence,
        status,
        version: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_their_year_once() {
        let input = generate(&SynthParams {
            staff: 200,
            ..SynthParams::default()
        });
        let transition: Vec<_> = input
            .declarations
            .iter()
            .filter(|d| d.form == Form::TransitionCertificate)
            .collect();
        assert!(
            !transition.is_empty(),
            "the sample has transition certificates"
        );
        for d in &input.declarations {
            let year = d.end_date.year().to_string();
            assert!(d.title.starts_with(&year), "{}", d.title);
            assert!(!d.title.contains(&format!("{year}{year}")), "{}", d.title);
        }
        for d in transition {
            assert_eq!(
                d.title,
                format!("{}年度面授合格证书（过渡年补录）", d.end_date.year())
            );
        }
    }
}
